"""What can go wrong with an action on a case; each message (translated) says why and what to do."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _


class CaseActionError(Exception):
    """An action that cannot be done; the message (translated) says why and what to do."""


class CaseInvalid(CaseActionError):
    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__(_("The application has errors."))
        self.errors = dict(errors)


class CaseConflict(CaseActionError):
    """Someone else changed the case since the page was opened (optimistic lock lost)."""


class IllegalTransition(CaseActionError):
    pass


class IdempotencyKeyReused(CaseActionError):
    pass


class OneAtATime(CaseActionError):
    """The service considers one application at a time, and one is still open."""

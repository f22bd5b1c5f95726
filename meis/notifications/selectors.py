"""Reads of templates and messages."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from meis.core.identifiers import InvalidIdentifier, normalize_fin
from meis.notifications.models import Attachment, Channel, Message, Template
from meis.registry.models import Language, Person

FALLBACK_LANGUAGE = Language.AZERBAIJANI


class TemplateMissing(LookupError):
    """No template for an event, not even in Azerbaijani."""


# (event, language) → (expires at, template): this process's cache of current versions.
_templates: dict[tuple[str, str], tuple[float, Template]] = {}


def template_current(*, event: str, language: str) -> Template:
    """The newest version in `language`, else in Azerbaijani; cached for
    NOTIFICATION_TEMPLATE_CACHE_SECONDS (0 turns the cache off)."""
    seconds = settings.NOTIFICATION_TEMPLATE_CACHE_SECONDS
    cached = _templates.get((event, language)) if seconds > 0 else None
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    template = _template_newest(event=event, language=language)
    if seconds > 0:
        _templates[(event, language)] = (time.monotonic() + seconds, template)
    return template


def template_cache_clear(**_signal: object) -> None:
    _templates.clear()


def _template_newest(*, event: str, language: str) -> Template:
    for code in dict.fromkeys((language, FALLBACK_LANGUAGE)):
        template = Template.objects.filter(event=event, language=code).order_by("-version").first()
        if template is not None:
            return template
    raise TemplateMissing(f"No template for event {event!r} in {language!r} or Azerbaijani.")


def inbox_list(*, person: Person) -> QuerySet[Message]:
    """The person's portal inbox, newest first, with the files offered for download. The
    caller has checked the person is signed in."""
    return (
        Message.objects.filter(person=person, channel=Channel.PORTAL)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )


def inbox_attachment_get(*, person: Person, public_id: str) -> Attachment | None:
    """One of the person's own inbox attachments whose bytes are still kept; None otherwise
    (another person's, an e-mail's, removed under retention, or no such file)."""
    return (
        Attachment.objects.filter(
            public_id=public_id,
            message__person=person,
            message__channel=Channel.PORTAL,
        )
        .exclude(storage_name="")
        .first()
    )


def inbox_unread_count(*, person: Person) -> int:
    return inbox_list(person=person).filter(read_at__isnull=True).count()


def inbox_unread_subquery(person_id: OuterRef) -> Subquery:
    """`inbox_unread_count` of the person `person_id` as a subquery: the navigation's count,
    read with the signed-in citizen's other facts (`citizen_count_register`)."""
    unread = (
        Message.objects.filter(person_id=person_id, channel=Channel.PORTAL, read_at__isnull=True)
        .order_by()
        .values("person_id")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Subquery(unread, output_field=IntegerField())


def inbox_message_get(*, person: Person, public_id: str) -> Message | None:
    """One of the person's own portal messages, with its files; None for anyone else's."""
    return inbox_list(person=person).filter(public_id=public_id).first()


def messages_for_case(*, case_reference: str) -> QuerySet[Message]:
    """Every message about a case, oldest first, with its delivery status, for the timeline.

    One-time codes never appear. The case timeline's own selector checks the reader's access.
    """
    return (
        Message.objects.filter(case_reference=case_reference, is_contact_verification=False)
        .only(
            "public_id",
            "channel",
            "event",
            "subject",
            "status",
            "created_at",
            "sent_at",
            "delivered_at",
            "failed_at",
            "read_at",
            "case_reference",
        )
        .order_by("created_at", "id")
    )


def message_search(
    *, fin: str = "", case_reference: str = "", status: str = "", criteria_valid: bool = True
) -> QuerySet[Message]:
    """Messages for the staff view; the view has checked the staff member's permission.

    Nothing when the search form's criteria were not valid (`criteria_valid=False`)."""
    if not criteria_valid:
        return Message.objects.none()
    messages = (
        Message.objects.select_related("person")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )
    if fin:
        try:
            messages = messages.filter(person__fin=normalize_fin(fin))
        except InvalidIdentifier:
            return messages.none()
    if case_reference:
        messages = messages.filter(_by_reference(case_reference.strip()))
    if status:
        messages = messages.filter(status=status)
    return messages


def _by_reference(reference: str) -> Q:
    """The messages with this reference, as typed: any letter case, and an Azerbaijani
    keyboard's İ and ı for the I of "MEIS" (case references are "MEIS-2026-0000123", award
    letters' "award-52")."""
    typed = reference.replace("İ", "I").replace("ı", "i")
    if typed.upper().startswith("MEIS-"):
        return Q(case_reference=typed.upper())
    return Q(case_reference=typed.lower())


def messages_latest(*, limit: int = 50) -> QuerySet[Message]:
    """The newest messages of every kind, for the development mailbox (DEBUG only)."""
    return Message.objects.order_by("-created_at", "-id")[:limit]


def message_get(*, public_id: uuid.UUID) -> Message:
    """One message by its public id, for the staff desk (404 when there is none)."""
    return get_object_or_404(Message, public_id=public_id)

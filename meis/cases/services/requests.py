"""Information requests: the case worker asks, the clock stops; the citizen answers, it restarts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.cases.models import Case, CaseEvent, CaseStatus, InformationRequest
from meis.cases.services.answers import document_save
from meis.cases.services.common import Actor, case_audit, event_add
from meis.cases.services.delivery import citizen_notify
from meis.cases.services.errors import CaseActionError, IllegalTransition
from meis.cases.services.transitions import require_worker, transition
from meis.catalog.definitions import DocumentDefinition
from meis.catalog.selectors import version_definition
from meis.core.formats import day
from meis.notifications.events import EventCode
from meis.workcalendar.arithmetic import Suspension
from meis.workcalendar.selectors import add_working_days, deadline_due_on

# How long the applicant is asked to take to answer an information request, in national working
# days. No source states a period (docs/domain.md, "Answering an information request"); the case
# is not closed when it passes: the decision clock stays stopped until the answer.
INFORMATION_ANSWER_WORKING_DAYS = 10


def information_answer_by(asked_on: date) -> date:
    """The date the letter asking for more information gives for the answer."""
    return add_working_days(asked_on, INFORMATION_ANSWER_WORKING_DAYS)


def _suspensions(case: Case) -> list[Suspension]:
    return [
        Suspension(r.starts_on, r.ends_on)
        for r in InformationRequest.objects.filter(case=case).order_by("starts_on")
    ]


def _due_on(case: Case) -> date | None:
    if not case.decision_working_days:
        return None
    return deadline_due_on(
        submitted_on=case.submitted_on,
        working_days=case.decision_working_days,
        suspensions=_suspensions(case),
    )


@transaction.atomic
def case_request_information(
    *,
    case: Case,
    actor: Actor,
    text: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Ask the citizen for more information: the clock stops and the citizen is notified."""
    require_worker(actor, case)
    if not text.strip():
        raise CaseActionError(_("Enter what information the applicant must provide."))
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.IN_REVIEW],
        status=CaseStatus.AWAITING_INFORMATION,
        due_on=None,
    )
    now = timezone.now()
    assert isinstance(actor, User)  # noqa: S101 — require_worker refused anyone else
    InformationRequest.objects.create(
        case=case,
        requested_text=text.strip(),
        requested_by=actor,
        requested_at=now,
        starts_on=timezone.localdate(now),
    )
    event_add(
        case, CaseEvent.Kind.INFORMATION_REQUESTED, actor=actor, status_after=case.status, note=text
    )
    case_audit(case, "case.request_information", actor, request)
    with translation.override(case.person.preferred_language or "az"):
        citizen_notify(
            case,
            event=EventCode.INFORMATION_REQUESTED,
            dedupe_key=f"case:{case.reference}:information:{case.version}",
            requested_information=text.strip(),
            due_on=day(information_answer_by(timezone.localdate(now))),
        )
    return case


@transaction.atomic
def case_answer(
    *,
    case: Case,
    actor: Actor,
    text: str,
    files: Sequence[UploadedFile],
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """The citizen answers a request with text and files: the clock restarts today."""
    if not text.strip() and not files:
        raise CaseActionError(_("Enter your answer or upload a file."))
    open_request = InformationRequest.objects.filter(case=case, ends_on__isnull=True).first()
    if open_request is None:
        raise IllegalTransition(_("Nothing is waiting for your answer on this case."))
    today = timezone.localdate()
    InformationRequest.objects.filter(pk=open_request.pk).update(
        ends_on=today, answer_text=text.strip(), answered_at=timezone.now()
    )
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.AWAITING_INFORMATION],
        status=CaseStatus.IN_REVIEW,
    )
    Case.objects.filter(pk=case.pk).update(due_on=_due_on(case))
    definition = DocumentDefinition(
        code="additional",
        name={"az": "Əlavə sənəd", "en": "Additional document", "ru": "Дополнительный документ"},
        required=False,
        content_types=("pdf", "jpeg", "png"),
        max_size_kb=max(
            (d.max_size_kb for d in version_definition(case.service_version).documents),
            default=5120,
        ),
        max_count=5,
    )
    for upload in files[: definition.max_count]:
        document_save(
            upload=upload,
            definition=definition,
            actor=actor,
            case=case,
            information_request=open_request,
        )
    event_add(
        case, CaseEvent.Kind.INFORMATION_PROVIDED, actor=actor, status_after=case.status, note=text
    )
    case_audit(case, "case.answer", actor, request, files=len(files))
    case.refresh_from_db()
    return case

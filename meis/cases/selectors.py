"""Reads of the case engine. A single case is always read through the access funnel
(`meis.cases.access.case_get_for_actor`); these selectors work on cases already granted,
on the citizen's own cases, or on the queue of a worker's own centre and subsystems.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import BooleanField, CharField, F, IntegerField, Model, Q, QuerySet, Value
from django.db.models import Field as DjangoField
from django.utils import timezone, translation

from meis.accounts.models import StaffProfile
from meis.awards.models import HELD_STATUSES, SERVICE_CODES, Award
from meis.cases.models import (
    OPEN_STATUSES,
    ApplicationDraft,
    Case,
    CaseDocument,
    CaseEvent,
    InformationRequest,
)
from meis.catalog.definitions import ONE_AT_A_TIME_HOUSEHOLD, ServiceDefinition, text_in
from meis.catalog.handlers import HandlerNotAvailable, PreCheck, handler_resolve
from meis.catalog.selectors import version_definition
from meis.core import formats
from meis.core.compiled import CompiledQuery
from meis.eligibility.selectors import application_facts
from meis.notifications.models import Message
from meis.notifications.selectors import messages_for_case
from meis.registry.models import HouseholdMembership, Person
from meis.rules.explain import LANGUAGES, fact_label, fact_value
from meis.workcalendar.arithmetic import ClockReading, Suspension, WorkingCalendar, case_clock
from meis.workcalendar.selectors import national_calendar


@dataclass(frozen=True)
class EarlierApplication:
    """What someone starting an application already has for that service: an open case (their
    own, or for a service a household applies for once, a household member's) and an award they
    hold. `is_refused`: the service considers one application at a time, so this one must wait."""

    open_case: Case | None
    is_own_case: bool
    award: Award | None
    is_refused: bool


def _open_for_service(service_code: str) -> QuerySet[Case]:
    return Case.objects.filter(
        service_version__service__code=service_code,
        status__in=OPEN_STATUSES,
        appeal_of__isnull=True,
    )


def _household_of(person: Person) -> QuerySet[HouseholdMembership]:
    """The current members of the person's current household(s), the person among them."""
    return HouseholdMembership.objects.filter(
        left_on__isnull=True,
        household__memberships__person=person,
        household__memberships__left_on__isnull=True,
    )


def open_case_blocking(*, person: Person, definition: ServiceDefinition) -> Case | None:
    """The open case that stops a new application for a one-at-a-time service, or None."""
    if not definition.one_at_a_time:
        return None
    cases = _open_for_service(definition.code)
    if definition.one_at_a_time == ONE_AT_A_TIME_HOUSEHOLD:
        members = _household_of(person).values("person_id")
        cases = cases.filter(Q(person=person) | Q(person__in=members))
    else:
        cases = cases.filter(person=person)
    return cases.order_by("submitted_at", "id").first()


def earlier_application(*, person: Person, definition: ServiceDefinition) -> EarlierApplication:
    """What the start page warns about (or refuses for) before a second application."""
    blocking = open_case_blocking(person=person, definition=definition)
    own = _open_for_service(definition.code).filter(person=person).order_by("-submitted_at")
    kinds = [kind for kind, code in SERVICE_CODES.items() if code == definition.code]
    award = (
        Award.objects.filter(person=person, kind__in=kinds, status__in=HELD_STATUSES)
        .order_by("-start_on", "-id")
        .first()
        if kinds
        else None
    )
    open_case = blocking or own.first()
    return EarlierApplication(
        open_case=open_case,
        is_own_case=open_case is not None and open_case.person_id == person.pk,
        award=award,
        is_refused=blocking is not None,
    )


def case_list_for_citizen(*, person: Person) -> QuerySet[Case]:
    """The citizen's own applications, newest first."""
    return (
        Case.objects.filter(person=person)
        .select_related("service_version")
        .order_by("-submitted_at")
    )


def queue_list(*, profile: StaffProfile, is_head: bool, open_only: bool = True) -> QuerySet[Case]:
    """Open cases of the worker's centre (and subsystems, unless head), earliest deadline first."""
    cases = Case.objects.filter(centre_id=profile.centre_id).select_related(
        "person", "service_version", "assigned_to"
    )
    if not is_head:
        cases = cases.filter(subsystem__in=list(profile.subsystems or []))
    if open_only:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return cases.order_by(F("due_on").asc(nulls_last=True), "submitted_at")


def case_information_requests(case: Case) -> list[InformationRequest]:
    """The case's information requests, earliest first; no query for a case read through the
    funnel that has none (`case_get_for_actor` annotates `has_information_requests`)."""
    if not getattr(case, "has_information_requests", True):
        return []
    return list(InformationRequest.objects.filter(case=case).order_by("starts_on", "id"))


def case_suspensions(
    case: Case, requests: list[InformationRequest] | None = None
) -> list[Suspension]:
    """The periods the case's clock stood still (from `requests` when the page has them)."""
    if requests is None:
        requests = case_information_requests(case)
    return [Suspension(r.starts_on, r.ends_on) for r in requests]


def case_clock_reading(
    case: Case,
    *,
    calendar: WorkingCalendar | None = None,
    suspensions: list[Suspension] | None = None,
    on: date | None = None,
) -> ClockReading | None:
    """The legal clock of an open case (None for instant services and closed cases)."""
    if not case.decision_working_days or not case.is_open:
        return None
    return case_clock(
        calendar or national_calendar(),
        submitted_on=case.submitted_on,
        working_days=case.decision_working_days,
        suspensions=case_suspensions(case) if suspensions is None else suspensions,
        on=on or timezone.localdate(),
    )


def queue_readings(cases: list[Case], *, on: date | None = None) -> list[tuple[Case, Any]]:
    """Each queued case with its clock: one calendar, one query for all suspensions."""
    calendar = national_calendar()
    by_case: dict[int, list[Suspension]] = {}
    for request in InformationRequest.objects.filter(case__in=cases).order_by("starts_on"):
        by_case.setdefault(request.case_id, []).append(
            Suspension(request.starts_on, request.ends_on)
        )
    return [
        (
            case,
            case_clock_reading(
                case, calendar=calendar, suspensions=by_case.get(case.pk, []), on=on
            ),
        )
        for case in cases
    ]


def service_name(case: Case) -> str:
    return text_in(case.service_version.definition["name"])


def answers_display(case: Case) -> list[tuple[str, Any]]:
    """The answers with their questions in the active language, in the form's order."""
    rows = []
    for field in version_definition(case.service_version).fields:
        if field.name not in case.answers:
            continue
        value = case.answers[field.name]
        if value is None or value == "":
            value = "—"  # not answered
        elif field.type == "boolean":
            value = formats.yes_no(bool(value))
        elif field.type == "money" and isinstance(value, int):
            value = formats.money(value)
        elif field.choices:
            value = next((text_in(c.label) for c in field.choices if c.value == value), value)
        rows.append((text_in(field.label), value))
    return rows


def case_documents(case: Case) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(case=case).order_by("uploaded_at", "id")


def document_names(case: Case) -> dict[str, str]:
    """Each document code of the case's service, named in the active language."""
    return {d.code: text_in(d.name) for d in version_definition(case.service_version).documents}


def case_documents_named(case: Case) -> list[tuple[CaseDocument, str]]:
    """The case's documents, each with its type's name ('' for a type the service lacks)."""
    names = document_names(case)
    return [(d, names.get(d.document_code, "")) for d in case_documents(case)]


def case_rules_result(case: Case, *, on: date | None = None) -> PreCheck:
    """What the service's handler says of the case on `on` (the day it was filed by default).

    The one place that gives a case's facts to its handler: the stored pre-check and the
    decision (which grants the award from this result) both come from here. For a rules-backed
    service the facts are the registers' (`meis.eligibility`) merged with the citizen's answers:
    a register's fact is used unless the citizen contradicts it; a contradicting answer is used
    as declared and flagged, the register's value kept beside it. The result carries each
    fact's provenance (`facts`, `contradictions`, and `provenance` in the trace). Raises
    `HandlerNotAvailable` for a service whose automation is not built.
    """
    definition = version_definition(case.service_version)
    handler = handler_resolve(definition.handler)
    on = on or case.submitted_on
    scheme_name = getattr(handler, "scheme", None)
    if not isinstance(scheme_name, str):
        return handler.evaluate(dict(case.answers), on=on)
    merged = application_facts(
        scheme=scheme_name, applicant=case.person, answers=case.answers, on=on
    )
    result = handler.evaluate(merged.values(), on=on)
    facts = merged.as_json()
    trace = dict(result.trace)
    if trace:
        trace["provenance"] = {name: fact["provenance"] for name, fact in facts.items()}
        trace["contradictions"] = {
            name: {"declared": facts[name]["value"], "registry": facts[name]["registry_value"]}
            for name in merged.contradictions
        }
    notes = {note.code: _translations(note.text) for note in merged.sheet.notes}
    return replace(
        result, trace=trace, facts=facts, contradictions=merged.contradictions, notes=notes
    )


def _translations(text: Any) -> dict[str, str]:
    """A translatable text in each language of the pages."""
    rendered = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            rendered[lang] = str(text)
    return rendered


def case_pre_check(case: Case) -> dict[str, Any]:
    """The handler's pre-check with its explanation (stored by the task).

    Besides the outcome, amount and explanation (`explanations`: az, en, ru), a rules-backed
    service's pre-check keeps the trace and every fact with its provenance (`facts`: name →
    value, provenance, the register's value when the citizen contradicted it, and the fact's
    name and value as a reader sees them), the facts still missing, a near miss, and notes on
    registers that were silent.
    """
    try:
        result = case_rules_result(case)
    except HandlerNotAvailable as error:
        return {"outcome": "not_available", "explanation": str(error), "reasons": []}
    stored: dict[str, Any] = {
        "outcome": str(result.outcome),
        "explanation": result.explanation,
        "reasons": list(result.reasons),
        "amount_qepik": result.amount_qepik,
    }
    if result.explanations:
        stored["explanations"] = dict(result.explanations)
    if result.trace:
        stored["trace"] = result.trace
    scheme = result.trace.get("scheme") or getattr(
        handler_resolve(version_definition(case.service_version).handler), "scheme", None
    )
    if isinstance(scheme, str):
        stored["facts"] = _facts_shown(scheme, result.facts)
        stored["missing"] = [
            {"name": name, "label": {lang: fact_label(scheme, name, lang) for lang in LANGUAGES}}
            for name in result.missing
        ]
        stored["contradictions"] = list(result.contradictions)
        stored["near_miss_months"] = result.near_miss_months
        stored["notes"] = [{"code": code, "text": text} for code, text in result.notes.items()]
    return stored


def _facts_shown(scheme: str, facts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each fact as stored, with its name and value(s) in az, en and ru for the pages."""
    shown = {}
    for name, fact in facts.items():
        row = dict(fact)
        row["label"] = {lang: fact_label(scheme, name, lang) for lang in LANGUAGES}
        row["shown"] = {lang: fact_value(scheme, name, fact["value"], lang) for lang in LANGUAGES}
        if fact.get("is_contradicted"):
            registry = fact["registry_value"]
            row["registry_shown"] = {
                lang: fact_value(scheme, name, registry, lang) for lang in LANGUAGES
            }
        shown[name] = row
    return shown


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    note: str = ""
    status: str = ""
    actor: str = ""
    is_internal: bool = False


def case_timeline(
    case: Case, *, for_staff: bool, documents: list[CaseDocument] | None = None
) -> list[TimelineEntry]:
    """One timeline for every reader: events, documents and messages with delivery status.

    The citizen's view hides internal events (assignments, escalations) and staff names.
    `documents`: the case's documents when the page has read them already.
    """
    entries: list[TimelineEntry] = []
    for row in _events_and_messages(case, for_staff=for_staff):
        entries.append(row)
    names = document_names(case)
    for document in case_documents(case) if documents is None else documents:
        entries.append(
            TimelineEntry(
                at=document.uploaded_at,
                kind="document",
                title=document.original_name,
                note=names.get(document.document_code, ""),
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


# The columns events and messages share in the timeline's one query (a UNION of the two).
_ENTRY_COLUMNS = ("entry_at", "entry_kind", "entry_note", "entry_is_internal", "entry_actor_id")
_MESSAGE_COLUMNS = ("entry_subject", "entry_channel", "entry_status")


def _events_and_messages_query(
    case_id: int, reference: str, *, for_staff: bool
) -> QuerySet[Any, tuple[Any, ...]]:
    text = Value("", output_field=CharField())
    events = CaseEvent.objects.filter(case_id=case_id)
    if not for_staff:
        events = events.filter(is_internal=False)
    event_rows = events.annotate(
        entry_at=F("occurred_at"),
        entry_kind=F("kind"),
        entry_note=F("note"),
        entry_is_internal=F("is_internal"),
        entry_actor_id=F("actor_id"),
        entry_subject=text,
        entry_channel=text,
        entry_status=text,
    ).values_list(*_ENTRY_COLUMNS, *_MESSAGE_COLUMNS)
    message_rows = (
        messages_for_case(case_reference=reference)
        .annotate(
            entry_at=F("created_at"),
            entry_kind=F("event"),
            entry_note=text,
            entry_is_internal=Value(False, output_field=BooleanField()),
            entry_actor_id=Value(None, output_field=IntegerField()),
            entry_subject=F("subject"),
            entry_channel=F("channel"),
            entry_status=F("status"),
        )
        .values_list(*_ENTRY_COLUMNS, *_MESSAGE_COLUMNS)
        .order_by()
    )
    return event_rows.order_by().union(message_rows, all=True)


# Read on every case page: the SQL is built once per process (meis.core.compiled).
_EVENTS_AND_MESSAGES = {
    for_staff: CompiledQuery(
        lambda case_id, reference, for_staff=for_staff: _events_and_messages_query(
            case_id, reference, for_staff=for_staff
        ),
        arguments=(int, str),
    )
    for for_staff in (False, True)
}


def _events_and_messages(case: Case, *, for_staff: bool) -> list[TimelineEntry]:
    """The case's events (the citizen's view without internal ones) and its messages with their
    delivery status, read in one query; staff names in a second one, for staff only."""
    rows = _EVENTS_AND_MESSAGES[for_staff].tuples(case.pk, case.reference)
    actors = _actor_names({row[4] for row in rows if row[4] is not None}) if for_staff else {}
    event_kinds = _labels(CaseEvent, "kind")
    message_events = _labels(Message, "event")
    channels = _labels(Message, "channel")
    statuses = _labels(Message, "status")
    entries = []
    for at, kind, note, is_internal, actor_id, subject, channel, status in rows:
        if channel:  # only messages have a channel
            entries.append(
                TimelineEntry(
                    at=at,
                    kind="message",
                    title=subject or str(message_events.get(kind, kind)),
                    note=str(channels.get(channel, channel)),
                    status=str(statuses.get(status, status)),
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    at=at,
                    kind=kind,
                    title=str(event_kinds.get(kind, kind)),
                    note=note,
                    actor=actors.get(actor_id, "") if actor_id is not None else "",
                    is_internal=bool(is_internal),
                )
            )
    return entries


def _labels(model: type[Model], name: str) -> dict[str, Any]:
    """A choice field's values and their labels (what `get_<name>_display` would show)."""
    field = model._meta.get_field(name)
    assert isinstance(field, DjangoField)  # noqa: S101 — a concrete field of the model
    return dict(field.flatchoices)


def _actor_names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    users = User.objects.filter(pk__in=user_ids).select_related("citizen_account__person")
    return {user.pk: user_name(user) for user in users}


def user_name(user: User | None) -> str:
    """A person by name: a citizen by their registry name, staff by the account's full name;
    the user name only when neither is known."""
    if user is None:
        return ""
    account = getattr(user, "citizen_account", None)
    if account is not None:
        return str(account.person.full_name)
    return user.get_full_name() or user.get_username()


def open_information_request(
    case: Case, requests: list[InformationRequest] | None = None
) -> InformationRequest | None:
    """The request still waiting for the applicant (from `requests` when the page has them)."""
    if requests is None:
        requests = case_information_requests(case)
    return next((r for r in requests if r.ends_on is None), None)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def draft_get_for_applicant(*, key: str, person: Person, user: User) -> ApplicationDraft | None:
    """The draft with this key if it is this person's, filled in by this user; None otherwise
    (also for a key that is not a UUID)."""
    if not _is_uuid(key):
        return None
    draft = (
        ApplicationDraft.objects.filter(key=key, person=person, acting_user=user)
        .select_related("service_version__service", "centre")
        .first()
    )
    if draft is not None:  # found by them: the same rows the caller holds
        draft.person = person
        draft.acting_user = user
    return draft


def draft_documents(*, draft: ApplicationDraft) -> list[CaseDocument]:
    """The draft's uploads in the order they came."""
    return list(CaseDocument.objects.filter(draft=draft).order_by("uploaded_at", "id"))


def draft_documents_by_code(*, draft: ApplicationDraft) -> dict[str, list[CaseDocument]]:
    """The draft's uploads by document code, each in the order they came (one query)."""
    by_code: dict[str, list[CaseDocument]] = {}
    for document in draft_documents(draft=draft):
        by_code.setdefault(document.document_code, []).append(document)
    return by_code


def case_document_get(*, public_id: str) -> CaseDocument | None:
    """The uploaded document with this public id, with its case; None for an unknown or
    malformed id. It is its case's to grant: read the case through the funnel before use."""
    if not _is_uuid(public_id):
        return None
    return CaseDocument.objects.select_related("case").filter(public_id=public_id).first()

"""Writes of E-Arayış: issue (through the case engine as an instant service), check, revoke.

`certificate_issue` renders and signs outside the transaction, then in one transaction files and
decides the case through the case engine (`case_submit_instant`: case, timeline, audit, usage
events), records the certificate and, when the person asked for it, queues an e-mail with the
signed PDF to their verified address.
Every check by code, API or PDF writes an audit event the citizen sees in "who looked at my data".
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import re
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.accounts.access import (
    PersonNotFound,
    actor_roles,
    citizen_person,
    person_get_for_actor,
    staff_institution,
)
from meis.accounts.roles import Role
from meis.accounts.selectors import registration_open_get, staff_profile_get
from meis.audit.services import audit_record
from meis.cases.models import Channel
from meis.cases.services import case_submit_instant
from meis.catalog.selectors import eservice_version_current
from meis.centres.models import ServiceCentre
from meis.certificates import codes
from meis.certificates.definitions import CertificateType, certificate_type_get
from meis.certificates.facts import LANGUAGES, Facts, day, text
from meis.certificates.models import Certificate, CertificateStatus
from meis.certificates.rendering import ISSUER, Page, pdf_render
from meis.certificates.signing import PdfCheck, PdfVerdict, pdf_check, pdf_sign
from meis.notifications.events import EventCode
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services import notification_queue
from meis.notifications.services.attachments import AttachmentFile
from meis.registry.models import Person
from meis.rules.explain import format_date
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

Actor = User | AnonymousUser
VERIFY_ACTION = "certificate.verify"
STAFF_ROLES = frozenset(
    {Role.CASE_WORKER, Role.CENTRE_HEAD, Role.CALL_CENTRE_OPERATOR, Role.ADMINISTRATOR}
)


class CertificateError(Exception):
    """An action that cannot be done; the message (translated) says why and what to do."""


class Emailed(enum.StrEnum):
    """What became of the person's wish to get the PDF by e-mail."""

    NOT_ASKED = "not_asked"
    QUEUED = "queued"
    NO_VERIFIED_EMAIL = "no_verified_email"


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    code: str
    pdf: bytes
    emailed: Emailed = Emailed.NOT_ASKED


# --- Issue -----------------------------------------------------------------------------------
def _person_rows(person: Person) -> list[tuple[dict[str, str], dict[str, str]]]:
    name = f"{person.last_name} {person.first_name} {person.patronymic}".strip()
    return [
        (text("Soyadı, adı, atasının adı", "Full name", "Фамилия, имя, отчество"), _same(name)),
        (text("FİN", "FİN (personal ID)", "ФИН"), _same(person.fin)),
        (text("Doğum tarixi", "Date of birth", "Дата рождения"), day(person.birth_on)),
    ]


def _same(value: str) -> dict[str, str]:
    return {lang: value for lang in LANGUAGES}


def certificate_document(
    *,
    person: Person,
    kind: CertificateType,
    facts: Facts,
    language: str,
    recipient: str,
    code: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
    valid: str | None = None,
) -> tuple[dict[str, object], bytes]:
    """The frozen facts record and the signed PDF of one certificate (`valid` is printed for
    "valid until" instead of the date, for one valid with no end)."""
    rows = [[label[language], value[language]] for label, value in _person_rows(person)]
    rows += [[label[language], value[language]] for label, value in facts.rows]
    record: dict[str, object] = {"title": kind.title[language], "rows": rows, "key": facts.key}
    page = Page(
        lang=language,
        title=kind.title[language],
        rows=rows,
        code=code,
        issued=f"{issued_on:%d.%m.%Y}",
        valid=valid or f"{expires_on:%d.%m.%Y}",
        recipient=recipient,
    )
    return record, pdf_sign(pdf_render(page))


def _centre_for(person: Person, actor: Actor) -> ServiceCentre:
    """The staff member's centre; else the person's latest open registration; else the first."""
    profile = staff_profile_get(user=actor)
    if profile is not None and profile.centre is not None:
        return profile.centre
    registration = registration_open_get(person=person)
    if registration is not None:
        return registration.centre
    return ServiceCentre.objects.order_by("code")[0]


def staff_channel(*, actor: Actor) -> str:
    """The channel a staff member issues through: the call centre for an operator, else the
    service centre's desk."""
    if Role.CALL_CENTRE_OPERATOR in actor_roles(actor):
        return Channel.CALL_CENTRE
    return Channel.CENTRE_DESK


def certificate_issue(
    *,
    person: Person,
    type_code: str,
    language: str,
    recipient: str,
    actor: Actor,
    channel: str = Channel.PORTAL,
    purpose: str = "other",
    send_by_email: bool = False,
    request: HttpRequest | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> Issued:
    """Issue a certificate now: facts frozen, PDF signed and stored, a decided instant case.

    `period` (first and last month) is for a type stating something over a chosen period
    (`CertificateType.period_facts`); other types refuse it.

    With `send_by_email` the signed PDF is also queued, in the same transaction, to the person's
    verified e-mail address; a person without one still gets the certificate (`Issued.emailed`
    says so, and the caller tells them).
    """
    kind = certificate_type_get(type_code)
    if language not in LANGUAGES:
        raise CertificateError(_("Choose Azerbaijani, English or Russian."))
    now = timezone.now()
    today = timezone.localdate(now)
    if period is None:
        facts = kind.facts(person, today)
    elif kind.period_facts is None:
        raise CertificateError(_("This certificate is not issued for a chosen period."))
    else:
        facts = kind.period_facts(person, today, *period)
    code = codes.code_new()
    expires_on = kind.expires_on(issued_on=today, key=facts.key)
    record, pdf = certificate_document(
        person=person,
        kind=kind,
        facts=facts,
        language=language,
        recipient=recipient.strip(),
        code=code,
        issued_on=today,
        expires_on=expires_on,
    )
    name = default_storage.save(
        f"certificates/{today:%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    emailed = Emailed.NOT_ASKED
    if send_by_email:
        emailed = Emailed.QUEUED if person.verified_email else Emailed.NO_VERIFIED_EMAIL
    try:
        with transaction.atomic():
            certificate = _record(
                person=person,
                kind=kind,
                record=record,
                code=code,
                language=language,
                recipient=recipient.strip(),
                actor=actor,
                channel=channel,
                purpose=purpose,
                issued_at=now,
                expires_on=expires_on,
                pdf_name=name,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                emailed=emailed,
                request=request,
            )
            if emailed == Emailed.QUEUED:
                _email_queue(certificate=certificate, kind=kind, pdf=pdf)
    except Exception:
        default_storage.delete(name)
        raise
    return Issued(certificate=certificate, code=code, pdf=pdf, emailed=emailed)


def _email_queue(*, certificate: Certificate, kind: CertificateType, pdf: bytes) -> None:
    """The e-mail with the signed PDF, in the person's language (its text says where else to
    get the certificate). Runs in the transaction that records the certificate."""
    person = certificate.person
    lang = person.preferred_language if person.preferred_language in LANGUAGES else "az"
    title = kind.title[lang]
    issued_on = timezone.localdate(certificate.issued_at)
    with translation.override(lang):
        portal_url = reverse("certificates:mine")
    notification_queue(
        person=person,
        event=EventCode.CERTIFICATE_ISSUED,
        context={
            "name": f"{person.first_name} {person.last_name}",
            "certificate_title": title,
            "issued_on": format_date(issued_on, lang),
            "valid_until": format_date(certificate.expires_on, lang),
            "portal_url": portal_url,
        },
        channel_preferences=[MessageChannel.EMAIL],
        dedupe_key=f"certificate:{certificate.pk}",
        case_reference=certificate.case.reference if certificate.case else "",
        attachments=[
            AttachmentFile(
                name=f"{title} {issued_on:%d.%m.%Y}.pdf",
                content_type="application/pdf",
                content=pdf,
            )
        ],
    )


def _record(
    *,
    person: Person,
    kind: CertificateType,
    record: dict[str, object],
    code: str,
    language: str,
    recipient: str,
    actor: Actor,
    channel: str,
    purpose: str,
    issued_at: datetime.datetime,
    expires_on: datetime.date,
    pdf_name: str,
    pdf_sha256: str,
    emailed: Emailed,
    request: HttpRequest | None,
) -> Certificate:
    case = case_submit_instant(
        person=person,
        version=eservice_version_current(code=kind.service_code),
        answers={"purpose": purpose},
        channel=channel,
        actor=actor,
        centre=_centre_for(person, actor),
        idempotency_key=f"certificate:{pdf_sha256[:48]}",  # max 64 characters
        decided_at=issued_at,
        note=str(record["title"]),
        request=request,
    )
    certificate = Certificate.objects.create(
        type_code=kind.code,
        person=person,
        case=case,
        language=language,
        recipient=recipient[:200],
        facts=record,
        issued_at=issued_at,
        expires_on=expires_on,
        issued_by=actor if isinstance(actor, User) else None,
        channel=channel,
        code_digest=codes.code_digest(code) or "",
        pdf_name=pdf_name,
        pdf_sha256=pdf_sha256,
    )
    audit_record(
        action="certificate.issue",
        actor=actor,
        actor_role=",".join(sorted(actor_roles(actor))) or "anonymous",
        actor_institution=staff_institution(actor),
        person=person,
        obj=certificate,
        purpose=f"{kind.code} via {channel} ({case.reference})",
        request=request,
        details={
            "type": kind.code,
            "case": case.reference,
            "recipient": recipient[:200],
            "emailed": str(emailed),
        },
    )
    usage_record(
        kind=UsageKind.CERTIFICATE_ISSUED,
        occurred_at=issued_at,
        service_code=kind.service_code,
        channel=channel,
        region=person.region,
        centre_code=case.centre.code if case.centre_id else "",
        source=f"certificate:{certificate.pk}:issued",
    )
    return certificate


# --- Check -----------------------------------------------------------------------------------
class CheckStatus:
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class CheckResult:
    """What a verifier may see: exactly what the certificate states, plus its status."""

    certificate: Certificate
    status: str
    facts_changed: bool
    issuer: str

    @property
    def title(self) -> str:
        return str(self.certificate.facts["title"])

    @property
    def rows(self) -> list[list[str]]:
        rows: list[list[str]] = self.certificate.facts["rows"]
        return rows

    def as_json(self) -> dict[str, object]:
        """The API's answer; a revoked certificate's facts and recipient are withheld, as on
        the check page (it confirms nothing about the holder any more)."""
        c = self.certificate
        revoked = self.status == CheckStatus.REVOKED
        return {
            "status": self.status,
            "title": self.title,
            "facts": [] if revoked else [{"label": k, "value": v} for k, v in self.rows],
            "language": c.language,
            "presented_to": None if revoked else c.recipient,
            "issued_at": c.issued_at.isoformat(),
            "valid_until": c.expires_on.isoformat(),
            "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            "facts_changed_since_issue": self.facts_changed,
            "issuer": self.issuer,
            "pdf_sha256": c.pdf_sha256,
        }


def certificate_status(certificate: Certificate, *, on: datetime.date) -> str:
    if certificate.is_revoked:
        return CheckStatus.REVOKED
    if certificate.is_expired(on=on):
        return CheckStatus.EXPIRED
    return CheckStatus.VALID


def _result(certificate: Certificate) -> CheckResult:
    today = timezone.localdate()
    status = certificate_status(certificate, on=today)
    changed = False
    if status == CheckStatus.VALID:
        kind = certificate_type_get(certificate.type_code)
        issued_key = certificate.facts.get("key")
        changed = kind.facts_key(certificate.person, today, issued_key=issued_key) != issued_key
    return CheckResult(
        certificate=certificate,
        status=status,
        facts_changed=changed,
        issuer=ISSUER[certificate.language],
    )


# Bidirectional overrides and isolates, and other invisible format characters: a verifier's
# self-declared name is shown to the holder, and must not reorder or hide what it says.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
ORGANISATION_MAX_LENGTH = 120


def organisation_clean(text: str) -> str:
    """The verifier's self-declared organisation as it is logged and shown to the holder: one
    line of printable text, no control or direction-changing characters, at most 120 letters.
    U+FFFD (what the edge puts for a NUL or an undecodable byte) counts as a control character."""
    printable = "".join(
        c if c.isprintable() and c != "\ufffd" else " " for c in _INVISIBLE.sub("", text)
    )
    return " ".join(printable.split())[:ORGANISATION_MAX_LENGTH]


def _log_check(
    result: CheckResult, *, organisation: str, via: str, request: HttpRequest | None
) -> None:
    actor = request.user if request is not None else None
    certificate = result.certificate
    # Both rows or neither; inside a caller's transaction (an API call runs in one) they simply
    # join it: a savepoint would cost two round trips and guard nothing the caller does not.
    with transaction.atomic(savepoint=False):
        audit_record(
            action=VERIFY_ACTION,
            actor=actor,
            actor_role="verifier",
            actor_institution=organisation_clean(organisation),
            person=certificate.person,
            obj=certificate,
            purpose=f"Checked the certificate “{result.title}” ({via})",
            request=request,
            details={"via": via, "status": result.status, "self_declared": bool(organisation)},
        )
        # Every check counts, in the channel it came by: the check page or a PDF upload on the
        # portal, or the machine interface.
        usage_record(
            kind=UsageKind.CERTIFICATE_VERIFIED,
            occurred_at=timezone.now(),
            service_code=certificate_type_get(certificate.type_code).service_code,
            channel=Channel.API if via.startswith("api") else Channel.PORTAL,
            outcome=str(result.status),
        )


def _by_code(code: str) -> Certificate | None:
    """The certificate with this code: one indexed equality on the code's digest (None for an
    unknown or malformed code).

    A check needs the holder only as a key (the facts' queries, the audit event): the holder is
    attached with only the id loaded, and a certificate type whose facts read a column of the
    person loads the person when it does (Django's deferred loading)."""
    digest = codes.code_digest(code)
    if not digest:
        return None
    certificate = next(iter(Certificate.objects.filter(code_digest=digest).order_by()[:1]), None)
    if certificate is not None:
        certificate.person = Person.from_db(DEFAULT_DB_ALIAS, ["id"], [certificate.person_id])
    return certificate


def certificate_check(
    *, code: str, organisation: str, via: str, request: HttpRequest | None
) -> CheckResult | None:
    """The certificate with this code as a verifier sees it (logged), or None.

    Unknown and malformed codes give the same None; the lookup is one indexed equality on the
    code's digest.
    """
    certificate = _by_code(code)
    if certificate is None:
        return None
    result = _result(certificate)
    _log_check(result, organisation=organisation, via=via, request=request)
    return result


def certificate_check_pdf(
    *, data: bytes, organisation: str, request: HttpRequest | None, via: str = "pdf"
) -> tuple[PdfCheck, CheckResult | None]:
    """Check an uploaded PDF: our signature over the whole file, and a record with its hash."""
    check = pdf_check(data)
    if check.verdict != PdfVerdict.GENUINE:
        return check, None
    certificate = (
        Certificate.objects.select_related("person").filter(pdf_sha256=check.sha256).first()
    )
    if certificate is None:
        return check, None
    result = _result(certificate)
    _log_check(result, organisation=organisation, via=via, request=request)
    return check, result


# --- Revoke ----------------------------------------------------------------------------------
def certificate_revoke(
    *,
    certificate: Certificate,
    actor: Actor,
    reason: str,
    request: HttpRequest | None = None,
) -> Certificate:
    """Revoke: the holder may revoke their own; staff may revoke any, with a reason. Audited."""
    own = citizen_person(actor)
    roles = actor_roles(actor)
    is_holder = own is not None and own.pk == certificate.person_id
    if not is_holder and not roles & STAFF_ROLES:
        raise CertificateError(_("Only the holder or ministry staff can revoke a certificate."))
    reason = reason.strip()
    if not is_holder and not reason:
        raise CertificateError(_("Write the reason for revoking the certificate."))
    if not is_holder:
        # Staff revoke only for a person they serve (their centre's, the caller on their line,
        # or as an administrator): the access funnel decides and audits the read or refusal.
        # Anyone else is told what an unknown code is told.
        try:
            person_get_for_actor(
                actor=actor,
                person_id=certificate.person_id,
                purpose="e-certificate revoke",
                request=request,
            )
        except PersonNotFound:
            raise CertificateError(
                _("No certificate has this code. Check the code and try again.")
            ) from None
    now = timezone.now()
    with transaction.atomic():
        updated = Certificate.objects.filter(
            pk=certificate.pk, status=CertificateStatus.ISSUED
        ).update(
            status=CertificateStatus.REVOKED,
            revoked_at=now,
            revoked_reason=(reason or "Revoked by the holder")[:255],
            revoked_by=actor if isinstance(actor, User) else None,
        )
        if not updated:
            raise CertificateError(_("This certificate is already revoked."))
        audit_record(
            action="certificate.revoke",
            actor=actor,
            actor_role="citizen" if is_holder else ",".join(sorted(roles)),
            actor_institution=staff_institution(actor),
            person=certificate.person,
            obj=certificate,
            purpose=(reason or "Revoked by the holder")[:255],
            request=request,
        )
    certificate.refresh_from_db()
    return certificate


def certificate_revoke_by_code(
    *, code: str, actor: Actor, reason: str, request: HttpRequest | None = None
) -> Certificate:
    """Revoke the certificate with this code (the staff desk); CertificateError when no
    certificate has it, otherwise as `certificate_revoke`."""
    certificate = _by_code(code)
    if certificate is None:
        raise CertificateError(_("No certificate has this code. Check the code and try again."))
    return certificate_revoke(certificate=certificate, actor=actor, reason=reason, request=request)

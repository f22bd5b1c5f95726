"""The signed extract of an expert commission's decision (TSEK qərarından çıxarış, §4).

Issued for one `DisabilityDecision` — by the commission's pages right after the last member
signs, or from the person's own pages — as a PDF signed with the ministry's key and verifiable
by its code like every certificate. It is the person's, has no application behind it (no case),
and is valid while the decision is: until the day before the re-examination, or with no end for
a decision without one. There is one extract in force per decision (a partial unique index):
issuing it again returns the same certificate; after the holder revokes it a new one is issued.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, staff_institution
from meis.audit.services import audit_record
from meis.cases.models import Channel
from meis.certificates import codes
from meis.certificates.definitions import EXTRACT_CODE, certificate_type_get
from meis.certificates.examinations import INDEFINITE, extract_facts
from meis.certificates.facts import LANGUAGES
from meis.certificates.models import Certificate, CertificateStatus
from meis.certificates.services import CertificateError, certificate_document
from meis.lifeevents.models import DisabilityDecision
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

Actor = User | AnonymousUser


def extract_expires_on(decision: DisabilityDecision) -> datetime.date:
    """The last day the extract is valid: the day before the re-examination, or no end."""
    if decision.reexamine_on is None:
        return datetime.date.max
    return decision.reexamine_on - datetime.timedelta(days=1)


def _in_force(decision: DisabilityDecision) -> Certificate | None:
    return Certificate.objects.filter(
        disability_decision=decision, status=CertificateStatus.ISSUED
    ).first()


def disability_decision_extract_issue(
    *,
    decision: DisabilityDecision,
    language: str,
    members: int | None = None,
    actor: Actor | None = None,
    channel: str = Channel.PORTAL,
    request: HttpRequest | None = None,
) -> Certificate:
    """The signed extract of `decision`, issued to its person in `language` (az, en, ru).

    `members`: how many members signed besides the chair, printed as "signed by the chair and N
    members"; without it the extract says "the chair and the members". `actor` is who caused the
    issue (the last signing member, the person), None for the system; audited either way.
    Idempotent: while an extract of the decision is in force (not revoked), that certificate is
    returned, in the language it was issued in.
    """
    if language not in LANGUAGES:
        raise CertificateError(_("Choose Azerbaijani, English or Russian."))
    existing = _in_force(decision)
    if existing is not None:
        return existing
    kind = certificate_type_get(EXTRACT_CODE)
    person = decision.person
    now = timezone.now()
    today = timezone.localdate(now)
    code = codes.code_new()
    expires_on = extract_expires_on(decision)
    record, pdf = certificate_document(
        person=person,
        kind=kind,
        facts=extract_facts(decision, members=members),
        language=language,
        recipient="",
        code=code,
        issued_on=today,
        expires_on=expires_on,
        valid=INDEFINITE[language] if decision.reexamine_on is None else None,
    )
    name = default_storage.save(
        f"certificates/{today:%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    who = actor if actor is not None else AnonymousUser()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                type_code=kind.code,
                person=person,
                disability_decision=decision,
                language=language,
                facts=record,
                issued_at=now,
                expires_on=expires_on,
                issued_by=who if isinstance(who, User) else None,
                channel=channel,
                code_digest=codes.code_digest(code) or "",
                pdf_name=name,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
            audit_record(
                action="certificate.issue",
                actor=who,
                actor_role=",".join(sorted(actor_roles(who))) or "system",
                actor_institution=staff_institution(who),
                person=person,
                obj=certificate,
                purpose=f"{kind.code} of decision {decision.number or decision.pk}",
                request=request,
                details={"type": kind.code, "decision": decision.pk},
            )
            usage_record(
                kind=UsageKind.CERTIFICATE_ISSUED,
                occurred_at=now,
                service_code=kind.service_code,
                channel=channel,
                region=person.region,
                source=f"certificate:{certificate.pk}:issued",
            )
    except IntegrityError:
        # Issued meanwhile by another call for the same decision: that one is the extract.
        default_storage.delete(name)
        existing = _in_force(decision)
        if existing is None:
            raise
        return existing
    except Exception:
        default_storage.delete(name)
        raise
    return certificate

"""The disability register's writes: referral, assignment, examination, decision, signatures.

    referral = referral_issue(actor=clinic_user, fin=..., kind=..., diagnoses=[...], summary=...)
    referral = self_referral_request(person=..., kind="appeal", grounds=..., actor=citizen_user)
    examination_book(actor=member_user, referral=..., sitting=...)
    referral_extend(actor=member_user, referral=..., reason=...)
    decision = decision_draft(actor=member_user, referral=..., draft=DecisionDraft(...))
    decision = decision_sign(actor=member_user, decision=...)   # the last signature decides
    report = disability_daily_run(on=...)                        # the scheduler's job

Every refusal is a `DisabilityError` with a translated message a page shows as it is; a refusal
that is an access attempt (a clinic outside its catchment, a member of another commission) is
audited before it is raised. The last member's signature writes the register's
`DisabilityDecision`, issues the signed extract (`meis.certificates.extracts`), tells the person
and, when the decision changes one that awards rest on, recalculates them from its date
(`meis.proactive.services.person_reassess`).
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, role_codes
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.awards.models import HELD_STATUSES, Award, AwardKind
from meis.cases.models import Channel
from meis.cases.services import case_submit_instant
from meis.catalog.selectors import eservice_version_current
from meis.centres.models import ServiceCentre
from meis.certificates.extracts import disability_decision_extract_issue
from meis.core.identifiers import InvalidIdentifier, normalize_fin
from meis.disability import letters
from meis.disability.models import (
    Category,
    Cause,
    ClinicStaff,
    Commission,
    CommissionLevel,
    CommissionMember,
    Decision,
    MedicalInstitution,
    Referral,
    ReferralKind,
    ReferralState,
    Signature,
    Sitting,
)
from meis.disability.terms import (
    add_months,
    appeal_deadline,
    degree_for_percentage,
    longest_term_months,
    may_be_indefinite,
    uses_percentages,
)
from meis.lifeevents.models import DisabilityDecision, DisabilityDegree
from meis.proactive.services import person_reassess
from meis.registry.models import Person
from meis.rules.store import default_store
from meis.workcalendar.selectors import add_working_days

Actor = User | AnonymousUser

SELF_REFERRAL_SERVICE = "disability-reexamination-request"
# ICD-10: a letter (U is reserved), two digits, optionally a dot and up to four more characters.
ICD10 = re.compile(r"^[A-TV-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?$")
MAX_DIAGNOSES = 10
SUMMARY_MAX = 4000
# The awards a commission decision is the ground of, recalculated when a decision changes.
RECALCULATED_KINDS = (
    AwardKind.DISABILITY_PENSION,
    AwardKind.DISABILITY_BENEFIT,
    AwardKind.DISABLED_CHILD_BENEFIT,
)


# A referral still before the commission (not decided).
OPEN_STATES = (ReferralState.ASSIGNED, ReferralState.BOOKED, ReferralState.DRAFTED)


class DisabilityError(ValueError):
    """A refusal, its message translated for the page that shows it."""


def _parameter(name: str, on: datetime.date) -> int:
    return int(str(default_store().value(f"disability.{name}", on=on)))


def _clean_text(value: str, *, limit: int, label: str) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise DisabilityError(
            _("%(field)s contains a character that cannot be stored.") % {"field": label}
        )
    if len(text) > limit:
        raise DisabilityError(
            _("%(field)s is longer than %(limit)d characters.") % {"field": label, "limit": limit}
        )
    return text


# --- Referrals ---------------------------------------------------------------------------------


def clinic_of(actor: Actor) -> MedicalInstitution | None:
    """The institution a medical-staff account refers from (None for anyone else)."""
    if not actor.is_authenticated or Role.MEDICAL_STAFF not in actor_roles(actor):
        return None
    staff = ClinicStaff.objects.select_related("institution").filter(user_id=actor.pk).first()
    return staff.institution if staff else None


def diagnoses_parse(value: str | list[str]) -> list[str]:
    """ICD-10 codes from a comma- or space-separated text; refuses a malformed one by name."""
    items = value if isinstance(value, list) else re.split(r"[\s,;]+", value or "")
    codes = list(dict.fromkeys(item.strip().upper() for item in items if item.strip()))
    if not codes:
        raise DisabilityError(_("Give at least one diagnosis code (ICD-10, for example G35)."))
    if len(codes) > MAX_DIAGNOSES:
        raise DisabilityError(_("Give at most %(n)d diagnosis codes.") % {"n": MAX_DIAGNOSES})
    bad = [code for code in codes if not ICD10.match(code)]
    if bad:
        raise DisabilityError(
            _("%(codes)s is not an ICD-10 code (a letter, two digits, then optionally a dot).")
            % {"codes": ", ".join(c[:12] for c in bad[:3])}
        )
    return codes


def _person_by_fin(fin: str, on: datetime.date) -> Person:
    try:
        normalized = normalize_fin(fin)
    except InvalidIdentifier:
        raise DisabilityError(
            _("A FİN is 7 characters, Latin letters and digits (for example 5ABC123).")
        ) from None
    person = Person.objects.filter(fin=normalized).first()
    if person is None:
        raise DisabilityError(_("No person with this FİN is in the population register."))
    if person.died_on is not None and person.died_on <= on:
        raise DisabilityError(
            _("The population register records this person's death; no referral can be issued.")
        )
    return person


def _age(person: Person, on: datetime.date) -> int:
    years = on.year - person.birth_on.year
    return years - ((on.month, on.day) < (person.birth_on.month, person.birth_on.day))


def latest_decision(person: Person) -> DisabilityDecision | None:
    return DisabilityDecision.objects.filter(person=person).order_by("-decided_on", "-pk").first()


def _open_referral(person: Person) -> Referral | None:
    return Referral.objects.filter(person=person).exclude(state=ReferralState.SIGNED).first()


def commission_pick(*, person: Person, exclude: Commission | None = None) -> Commission:
    """A commission at random among those that may examine `person`: the regional ones serving
    the person's region and the central one; never `exclude` (the one whose decision is appealed).
    `secrets`, not `random`: nobody can predict or steer who decides."""
    # One query: the few commissions with members (a commission without any cannot sign).
    commissions = Commission.objects.filter(is_active=True, members__isnull=False).distinct()
    candidates = [
        c
        for c in commissions.order_by("code")
        if (c.level == CommissionLevel.CENTRAL or person.region in (c.regions or []))
        and (exclude is None or c.pk != exclude.pk)
    ]
    if not candidates:
        raise DisabilityError(
            _("No expert commission can take this referral now. Try again later or call 142.")
        )
    return secrets.SystemRandom().choice(candidates)


def _number_new(prefix: str, length: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def _referral_create(
    *,
    person: Person,
    kind: str,
    diagnoses: list[str],
    summary: str,
    institution: MedicalInstitution | None,
    actor: Actor,
    reviews: DisabilityDecision | None,
    exclude: Commission | None,
    case_reference: str,
    on: datetime.date,
) -> Referral:
    commission = commission_pick(person=person, exclude=exclude)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    number=_number_new(f"F88-{on:%y}-", 8),
                    pseudonym=_number_new("A-", 7),
                    kind=kind,
                    person=person,
                    institution=institution,
                    issued_by=actor if isinstance(actor, User) else None,
                    issued_at=timezone.now(),
                    diagnoses=diagnoses,
                    clinical_summary=summary,
                    age_years=_age(person, on),
                    sex=person.sex,
                    reviews=reviews,
                    commission=commission,
                    assigned_on=on,
                    due_on=add_working_days(on, _parameter("decision_working_days", on)),
                    case_reference=case_reference,
                )
            break
        except IntegrityError:  # a number or pseudonym drawn twice: draw again
            continue
    else:  # pragma: no cover — 32^8 numbers
        raise DisabilityError(_("The referral could not be numbered. Try again."))
    if kind == ReferralKind.APPEAL:
        # An appeal is examined in person: the next sitting with room, if one is planned.
        sitting = _next_sitting(commission, on)
        if sitting is not None:
            _book(referral, sitting)
    letters.referral_registered(referral)
    return referral


def referral_issue(
    *,
    actor: Actor,
    fin: str,
    kind: str,
    diagnoses: str | list[str],
    summary: str,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> Referral:
    """A clinic's electronic referral (Form 88) for the person with `fin`, assigned at once."""
    on = on or timezone.localdate()
    institution = clinic_of(actor)
    if institution is None:
        raise DisabilityError(_("Only the staff of a medical institution may issue a referral."))
    if kind not in (ReferralKind.INITIAL, ReferralKind.REEXAMINATION):
        raise DisabilityError(_("Choose an initial examination or a re-examination."))
    codes = diagnoses_parse(diagnoses)
    text = _clean_text(summary, limit=SUMMARY_MAX, label=_("The clinical summary"))
    if not text:
        raise DisabilityError(_("Write the clinical summary the commission decides on."))
    person = _person_by_fin(fin, on)
    if person.region not in (institution.catchment or []):
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=actor,
            actor_role=role_codes(actor_roles(actor)),
            actor_institution=institution.name,
            person=person,
            purpose="disability referral outside the institution's catchment",
            request=request,
            details={"page": "disability referral", "region": person.region},
        )
        raise DisabilityError(
            _(
                "This person does not live in your institution's catchment area. The "
                "polyclinic where the person is registered issues the referral."
            )
        )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if _open_referral(person) is not None:
            raise DisabilityError(
                _("This person already has a referral with a commission; wait for its decision.")
            )
        reviews = latest_decision(person)
        if kind == ReferralKind.REEXAMINATION and reviews is None:
            raise DisabilityError(
                _("The register holds no decision to re-examine: issue an initial referral.")
            )
        referral = _referral_create(
            person=person,
            kind=kind,
            diagnoses=codes,
            summary=text,
            institution=institution,
            actor=actor,
            reviews=reviews if kind == ReferralKind.REEXAMINATION else None,
            exclude=None,
            case_reference="",
            on=on,
        )
        audit_record(
            action="disability.referral_issue",
            actor=actor,
            actor_role=Role.MEDICAL_STAFF,
            actor_institution=institution.name,
            person=person,
            obj=referral,
            purpose=f"referral {referral.number}",
            request=request,
        )
    return referral


def self_referral_check(*, person: Person, kind: str, on: datetime.date) -> DisabilityDecision:
    """The decision a person's own request reviews, or why they may not ask."""
    decision = latest_decision(person)
    if decision is None:
        raise DisabilityError(
            _(
                "The register holds no decision of an expert commission about you. For a first "
                "examination your polyclinic issues the referral."
            )
        )
    if _open_referral(person) is not None:
        raise DisabilityError(_("You already have a referral with a commission."))
    if kind == ReferralKind.APPEAL:
        last_day = appeal_deadline(decision.decided_on)
        if on > last_day:
            raise DisabilityError(
                _(
                    "An appeal could be lodged until %(day)s (one month after the decision). "
                    "Ask for a re-examination instead."
                )
                % {"day": last_day.strftime("%d.%m.%Y")}
            )
    elif kind != ReferralKind.REEXAMINATION:
        raise DisabilityError(_("Choose a re-examination or an appeal."))
    return decision


def self_referral_request(
    *,
    person: Person,
    kind: str,
    grounds: str,
    actor: Actor,
    channel: str = Channel.PORTAL,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> Referral:
    """The person's own request for a re-examination or an appeal, through the e-service engine
    (an instant service: the case records the request, the register the referral)."""
    on = on or timezone.localdate()
    text = _clean_text(grounds, limit=2000, label=_("Your grounds"))
    if not text:
        raise DisabilityError(_("Say briefly why you ask for the examination."))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        # The same request sent twice (a double click, a second tab): the referral it made.
        sent = Referral.objects.filter(
            person=person, kind=kind, case_reference__gt="", state__in=OPEN_STATES
        ).first()
        if sent is not None:
            return sent
        reviewed = self_referral_check(person=person, kind=kind, on=on)
        deciding = _deciding_commission(reviewed)
        case = case_submit_instant(
            person=person,
            version=eservice_version_current(code=SELF_REFERRAL_SERVICE),
            answers={"examination": kind, "grounds": text},
            channel=channel,
            actor=actor,
            centre=_centre_for(person),
            idempotency_key=f"disability-self:{person.pk}:{reviewed.pk}:{kind}",
            decided_at=timezone.now(),
            note=_kind_label(kind, person.preferred_language),
            request=request,
        )
        existing = Referral.objects.filter(case_reference=case.reference).first()
        if existing is not None:  # the same case filed again (its idempotency key)
            return existing
        return _referral_create(
            person=person,
            kind=kind,
            diagnoses=list(reviewed_diagnoses(reviewed)),
            summary=text,
            institution=None,
            actor=actor,
            reviews=reviewed,
            exclude=deciding if kind == ReferralKind.APPEAL else None,
            case_reference=case.reference,
            on=on,
        )


def reviewed_diagnoses(decision: DisabilityDecision) -> list[str]:
    """The diagnoses of the referral the reviewed decision closed (none for an old decision)."""
    commission_decision = Decision.objects.filter(outcome=decision).select_related("referral")
    found = commission_decision.first()
    return list(found.referral.diagnoses) if found else []


def _deciding_commission(decision: DisabilityDecision) -> Commission | None:
    found = Decision.objects.filter(outcome=decision).select_related("referral__commission").first()
    if found is not None:
        return found.referral.commission
    return Commission.objects.filter(name=decision.commission_name).first()


def _kind_label(kind: str, language: str) -> str:
    with translation.override(language or "az"):
        return str(ReferralKind(kind).label)


def _centre_for(person: Person) -> ServiceCentre:
    centres = ServiceCentre.objects.order_by("code")
    return centres.filter(region=person.region).first() or centres[0]


# --- The commission's work ---------------------------------------------------------------------


def membership_of(actor: Actor) -> CommissionMember | None:
    if not actor.is_authenticated or Role.COMMISSION_MEMBER not in actor_roles(actor):
        return None
    return CommissionMember.objects.select_related("commission").filter(user_id=actor.pk).first()


def member_for(actor: Actor, referral: Referral, request: HttpRequest | None) -> CommissionMember:
    """The actor's membership of the referral's commission; anyone else is refused, audited
    (the pages call it before they show a referral: a member of another commission sees 404)."""
    member = membership_of(actor)
    if member is None or member.commission_id != referral.commission_id:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=actor,
            actor_role=role_codes(actor_roles(actor)),
            actor_institution=member.commission.name if member else "",
            person=referral.person,
            obj=referral,
            purpose=f"disability referral {referral.pseudonym} of another commission",
            request=request,
            details={"page": "disability referral"},
        )
        raise DisabilityError(_("This referral is not with your commission."))
    return member


def _next_sitting(commission: Commission, on: datetime.date) -> Sitting | None:
    return (
        Sitting.objects.filter(commission=commission, held_on__gt=on, booked__lt=F("capacity"))
        .order_by("held_on", "starts_at")
        .first()
    )


def _book(referral: Referral, sitting: Sitting) -> None:
    taken = Sitting.objects.filter(pk=sitting.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise DisabilityError(_("That sitting is full. Choose another."))
    if referral.sitting_id is not None:
        Sitting.objects.filter(pk=referral.sitting_id).update(booked=F("booked") - 1)
    referral.sitting = sitting
    referral.state = ReferralState.BOOKED
    referral.save(update_fields=["sitting", "state"])
    sitting.refresh_from_db()
    letters.examination_booked(referral)


def examination_book(
    *, actor: Actor, referral: Referral, sitting: Sitting, request: HttpRequest | None = None
) -> Referral:
    """Call the person to an in-person examination at one of the commission's sittings."""
    member_for(actor, referral, request)
    if referral.state not in (ReferralState.ASSIGNED, ReferralState.BOOKED):
        raise DisabilityError(_("The decision is already being signed; nobody can be called now."))
    if sitting.commission_id != referral.commission_id or sitting.held_on <= timezone.localdate():
        raise DisabilityError(_("Choose one of your commission's coming sittings."))
    with transaction.atomic():
        _book(referral, sitting)
    return referral


def referral_extend(
    *, actor: Actor, referral: Referral, reason: str, request: HttpRequest | None = None
) -> Referral:
    """Extend the deadline once, to the longest the law allows, with a reason on record."""
    member_for(actor, referral, request)
    text = _clean_text(reason, limit=500, label=_("The reason"))
    if not text:
        raise DisabilityError(_("Give the reason for the extension."))
    if referral.extended_reason:
        raise DisabilityError(_("The deadline was extended already; it can be extended once."))
    if referral.state == ReferralState.SIGNED:
        raise DisabilityError(_("The referral is decided."))
    on = referral.assigned_on
    referral.due_on = add_working_days(on, _parameter("decision_extended_working_days", on))
    referral.extended_reason = text
    referral.save(update_fields=["due_on", "extended_reason"])
    return referral


@dataclass
class DecisionDraft:
    is_established: bool
    degree: str = ""
    percentage: int | None = None
    categories: list[str] = field(default_factory=list)
    cause: str = ""
    reexamine_on: datetime.date | None = None
    indefinite: bool = False
    reasoning: str = ""


def draft_check(referral: Referral, draft: DecisionDraft, on: datetime.date) -> DecisionDraft:
    """The draft as the law allows it on `on`, or the first reason it does not."""
    reasoning = _clean_text(draft.reasoning, limit=4000, label=_("The reasoning"))
    if not reasoning:
        raise DisabilityError(_("Write the commission's reasoning."))
    if not draft.is_established:
        return DecisionDraft(is_established=False, reasoning=reasoning)
    person = referral.person
    is_child = _age(person, on) < 18
    _degree_check(draft.degree, is_child=is_child)
    _percentage_check(draft.degree, draft.percentage, is_child=is_child, on=on)
    categories = list(dict.fromkeys(draft.categories))
    if any(c not in Category.values for c in categories):
        raise DisabilityError(_("Choose the life-activity categories from the list."))
    if draft.cause not in Cause.values:
        raise DisabilityError(_("Choose the cause of the disability."))
    reexamine_on = _reexamination_check(draft, person, is_child=is_child, on=on)
    return DecisionDraft(
        is_established=True,
        degree=draft.degree,
        percentage=draft.percentage,
        categories=categories,
        cause=draft.cause,
        reexamine_on=reexamine_on,
        indefinite=reexamine_on is None,
        reasoning=reasoning,
    )


def _degree_check(degree: str, *, is_child: bool) -> None:
    """Under 18 the law names disability of a child; adults have degree I, II or III."""
    if is_child and degree != DisabilityDegree.CHILD:
        raise DisabilityError(
            _("The person is under 18: the decision establishes disability of a child.")
        )
    adult_degrees = (DisabilityDegree.FIRST, DisabilityDegree.SECOND, DisabilityDegree.THIRD)
    if not is_child and degree not in adult_degrees:
        raise DisabilityError(_("Choose degree I, II or III."))


def _percentage_check(
    degree: str, percentage: int | None, *, is_child: bool, on: datetime.date
) -> None:
    """From 1 July 2022 the percentage decides the degree: it must lie in the degree's band."""
    if not uses_percentages(on):
        if percentage is not None and not 0 <= percentage <= 100:
            raise DisabilityError(_("A percentage is between 0 and 100."))
        return
    if percentage is None:
        raise DisabilityError(
            _(
                "Give the percentage of lost body functions (degrees have been set by it "
                "since 1 July 2022)."
            )
        )
    band = degree_for_percentage(percentage, on)
    if band is None:
        raise DisabilityError(
            _("%(p)d %% is outside the bands: below %(min)d %% no disability is established.")
            % {"p": percentage, "min": _parameter("degree_3_percent_min", on)}
        )
    if not is_child and band != degree:
        raise DisabilityError(
            _("%(p)d %% is in the band of degree %(band)s, not degree %(degree)s.")
            % {"p": percentage, "band": band, "degree": degree}
        )


def _reexamination_check(
    draft: DecisionDraft, person: Person, *, is_child: bool, on: datetime.date
) -> datetime.date | None:
    """The re-examination date: after the decision, within the degree's longest term (a child's
    up to the 18th birthday); none only under the 15-year rule."""
    if draft.indefinite:
        if not may_be_indefinite(person, on):
            raise DisabilityError(
                _(
                    "Disability is established without a re-examination date only after "
                    "%(years)d years of disability."
                )
                % {"years": _parameter("indefinite_after_months", datetime.date(2022, 7, 1)) // 12}
            )
        return None
    reexamine_on = draft.reexamine_on
    if reexamine_on is None:
        raise DisabilityError(_("Give the re-examination date, or decide without one."))
    if reexamine_on <= on:
        raise DisabilityError(_("The re-examination date must be after the decision."))
    longest = add_months(on, longest_term_months(draft.degree, on))
    if is_child:
        longest = max(longest, _eighteenth_birthday(person))
    if reexamine_on > longest:
        raise DisabilityError(
            _("For this degree the re-examination is due by %(day)s at the latest.")
            % {"day": longest.strftime("%d.%m.%Y")}
        )
    return reexamine_on


def _eighteenth_birthday(person: Person) -> datetime.date:
    return add_months(person.birth_on, 18 * 12)


def decision_draft(
    *,
    actor: Actor,
    referral: Referral,
    draft: DecisionDraft,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> Decision:
    """Write (or rewrite, while nobody has signed) the commission's decision."""
    on = on or timezone.localdate()
    member_for(actor, referral, request)
    checked = draft_check(referral, draft, on)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.state == ReferralState.SIGNED:
            raise DisabilityError(_("The referral is decided."))
        existing = Decision.objects.filter(referral=locked).first()
        if existing is not None and existing.signatures.exists():
            raise DisabilityError(
                _("Members have signed this decision; it can no longer be changed.")
            )
        values: dict[str, Any] = {
            "is_established": checked.is_established,
            "degree": checked.degree,
            "percentage": checked.percentage,
            "categories": checked.categories,
            "cause": checked.cause,
            "reexamine_on": checked.reexamine_on,
            "reasoning": checked.reasoning,
            "drafted_by": actor,
            "drafted_at": timezone.now(),
        }
        decision, _created = Decision.objects.update_or_create(referral=locked, defaults=values)
        locked.state = ReferralState.DRAFTED
        locked.save(update_fields=["state"])
        referral.state = locked.state
    return decision


def decision_sign(
    *,
    actor: Actor,
    decision: Decision,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> Decision:
    """The actor confirms the decision; the last member's confirmation decides."""
    on = on or timezone.localdate()
    referral = decision.referral
    member = member_for(actor, referral, request)
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.signed_at is not None:
            raise DisabilityError(_("The decision is signed by every member already."))
        if Signature.objects.filter(decision=locked, member=member).exists():
            raise DisabilityError(_("You have signed this decision already."))
        Signature.objects.create(decision=locked, member=member, signed_at=timezone.now())
        audit_record(
            action="disability.decision_sign",
            actor=actor,
            actor_role=Role.COMMISSION_MEMBER,
            actor_institution=member.commission.name,
            person=referral.person,
            obj=locked,
            purpose=f"decision on referral {referral.pseudonym}",
            request=request,
        )
        members = set(referral.commission.members.values_list("pk", flat=True))
        signed = set(locked.signatures.values_list("member_id", flat=True))
        if members - signed:
            return locked
        _decide(locked, actor=actor, on=on, members=len(members), request=request)
    return locked


def _decide(
    decision: Decision,
    *,
    actor: Actor,
    on: datetime.date,
    members: int,
    request: HttpRequest | None,
) -> None:
    referral = decision.referral
    person = referral.person
    decision.decided_on = on
    decision.signed_at = timezone.now()
    outcome = None
    if decision.is_established:
        outcome = DisabilityDecision.objects.create(
            person=person,
            degree=decision.degree,
            percentage=decision.percentage,
            cause=decision.cause,
            decided_on=on,
            reexamine_on=decision.reexamine_on,
            number=f"TSEK-{on:%Y}-{referral.pk:06d}",
            commission_name=referral.commission.name,
            examination=referral.kind,
            categories=decision.categories,
        )
        decision.outcome = outcome
    decision.save(update_fields=["decided_on", "signed_at", "outcome"])
    referral.state = ReferralState.SIGNED
    referral.save(update_fields=["state"])
    if outcome is not None:
        # Members other than the chair, as the extract prints them.
        disability_decision_extract_issue(
            decision=outcome,
            language=person.preferred_language or "az",
            members=members - 1,
            actor=actor,
            request=request,
        )
    recalculated: list[Award] = []
    if outcome is not None and referral.kind != ReferralKind.INITIAL:
        recalculated = awards_recalculate(person=person, on=on, reference=outcome.number)
    letters.decision_signed(decision, recalculated=recalculated)


def awards_recalculate(*, person: Person, on: datetime.date, reference: str) -> list[Award]:
    """Every award the decisions are the ground of, assessed again from `on`; the replacements."""
    held = Award.objects.filter(
        person=person, kind__in=RECALCULATED_KINDS, status__in=HELD_STATUSES
    ).select_related("person", "household")
    replaced = []
    for award in held:
        new = person_reassess(
            award=award, on=on, start_on=on, origin_reference=f"disability-decision/{reference}"
        )
        if new is not None:
            replaced.append(new)
    return replaced


# --- What the register does by itself ----------------------------------------------------------


@dataclass
class DailyReport:
    reminded: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return f"re-examination reminders {self.reminded}; overdue referrals escalated {self.escalated}"


def reminders_send(*, on: datetime.date) -> int:
    """Tell each person whose re-examination falls within the reminder period, once."""
    days = _parameter("reexamination_reminder_days", on)
    due = DisabilityDecision.objects.filter(
        reminded_on__isnull=True,
        reexamine_on__gt=on,
        reexamine_on__lte=on + datetime.timedelta(days=days),
        person__died_on__isnull=True,
    ).select_related("person")
    sent = 0
    for decision in due.iterator(chunk_size=1000):
        with transaction.atomic():
            claimed = DisabilityDecision.objects.filter(
                pk=decision.pk, reminded_on__isnull=True
            ).update(reminded_on=on)
            newer = DisabilityDecision.objects.filter(
                person_id=decision.person_id, decided_on__gt=decision.decided_on
            ).exists()
            if claimed and not newer and _open_referral(decision.person) is None:
                letters.reexamination_reminder(decision)
                sent += 1
    return sent


def overdue_escalate(*, on: datetime.date) -> int:
    """Referrals past their deadline, not yet escalated: flagged for the central commission's
    chair (their page lists them) and audited."""
    overdue = Referral.objects.filter(due_on__lt=on, escalated_on__isnull=True).exclude(
        state=ReferralState.SIGNED
    )
    count = 0
    for referral in overdue.select_related("commission"):
        with transaction.atomic():
            if Referral.objects.filter(pk=referral.pk, escalated_on__isnull=True).update(
                escalated_on=on
            ):
                audit_record(
                    action="disability.referral_escalate",
                    actor=None,
                    actor_role="system",
                    obj=referral,
                    purpose=f"referral {referral.pseudonym} past its deadline {referral.due_on}",
                )
                count += 1
    return count


def disability_daily_run(*, on: datetime.date) -> DailyReport:
    return DailyReport(reminded=reminders_send(on=on), escalated=overdue_escalate(on=on))


def disability_daily() -> str:
    return str(disability_daily_run(on=timezone.localdate()))

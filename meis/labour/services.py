"""Writes of the contracts register: notifications of conclusion, amendment, suspension,
resumption and termination, and the binding of representatives to employers.

Each notification is one atomic change that registers the contract (or its new version), opens
the employee's insurance account on their first contract, writes the audit row and queues the
messages to the employee and the confirmation to the representative through the outbox, in the
same transaction (docs/domain.md §6: the contract takes effect when registered; both parties are
informed within one working day — here at once, by the outbox).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import polars as pl
from django.contrib.auth.models import AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from meis.accounts.models import BindingGrantor, CitizenAccount, EmployerRepresentative
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.core.bulk import frame_insert_ignoring_conflicts, frame_write, ids_reserve
from meis.insurance.models import InsuranceAccount
from meis.labour.models import (
    BatchMode,
    Contract,
    ContractStatus,
    ContractTerm,
    ContractVersion,
    Notice,
    NotificationBatch,
    TerminationGround,
)
from meis.labour.validation import Checked, ContractDraft, Problem, conclusions_check
from meis.notifications.models import Channel, Message
from meis.notifications.services.bulk import messages_frame, recipients_by_channel
from meis.notifications.services.outbox import notification_queue
from meis.registry.models import Employer, Person

Actor = User | AnonymousUser

LANGUAGES = ("az", "en", "ru")

# The terms a version copies from its contract.
TERM_FIELDS = (
    "occupation_id",
    "position",
    "workplace",
    "monthly_wage_qepik",
    "weekly_hours",
    "term",
    "fixed_end_on",
    "probation_months",
    "is_main_job",
)


class NotificationRefused(Exception):
    """The notification breaks a rule; `problems` say which field and why (translated)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Registered:
    batch: NotificationBatch
    contracts: list[Contract]
    problems: list[Problem]


# --- Conclusion -----------------------------------------------------------------------------


def conclusions_register(
    *,
    employer: Employer,
    drafts: Sequence[ContractDraft],
    actor: Actor | None,
    assurance: str,
    mode: str = BatchMode.ALL_OR_NOTHING,
    file_name: str = "",
    idempotency_key: str = "",
    first_row: int = 1,
    now: datetime.datetime | None = None,
) -> Registered:
    """Check and register notifications of conclusion as one batch.

    All or nothing: any problem registers no row. Row by row: the valid rows are registered and
    the others reported. The batch row (with every problem) is written either way, so the
    employer can download the error report later. The same `idempotency_key` again returns the
    first batch's outcome and registers nothing.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if idempotency_key:
        earlier = NotificationBatch.objects.filter(
            employer=employer, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return _registered_before(earlier)
    checked = conclusions_check(
        employer_id=employer.pk, drafts=drafts, today=today, first_row=first_row
    )
    problems = checked.all_problems
    rows = list(enumerate(drafts, start=first_row))
    accepted = [] if (problems and mode == BatchMode.ALL_OR_NOTHING) else rows
    accepted = [(row, d) for row, d in accepted if row not in checked.problems]
    user = _user(actor)
    with transaction.atomic():
        batch = NotificationBatch.objects.create(
            employer=employer,
            submitted_by=user,
            file_name=file_name[:255],
            mode=mode,
            idempotency_key=idempotency_key,
            rows=len(drafts),
            registered=len(accepted),
            refused=len(drafts) - len(accepted),
            problems=[p.as_dict() for p in problems],
        )
        try:
            with transaction.atomic():
                contracts = _contracts_write(
                    employer, accepted, checked, batch, user, assurance, now
                )
        except IntegrityError as error:
            # A concurrent notification registered the same person first: the constraints
            # (one main job, one live contract per employer) decided; nothing of ours is kept.
            raise NotificationRefused(
                [
                    Problem(
                        0,
                        "employee_fin",
                        "concurrent_change",
                        _(
                            "Another notification for this employee was registered at the "
                            "same moment. Check the employee's contracts and try again."
                        ),
                    )
                ]
            ) from error
        if contracts:
            _accounts_open(contracts)
            _messages_queue(employer, contracts, Notice.CONCLUSION, actor, batch)
        audit_record(
            action=AuditAction.OTHER,
            actor=user,
            actor_role=Role.EMPLOYER,
            actor_institution=employer.name,
            obj=batch,
            purpose="labour.conclusions_register",
            details={
                "employer": employer.voen,
                "rows": len(drafts),
                "registered": len(contracts),
                "assurance": assurance,
            },
        )
    return Registered(batch=batch, contracts=contracts, problems=problems)


def contract_conclude(
    *,
    employer: Employer,
    draft: ContractDraft,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime | None = None,
) -> Contract:
    """Register one notified conclusion; NotificationRefused with the problems otherwise."""
    result = conclusions_register(
        employer=employer,
        drafts=[draft],
        actor=actor,
        assurance=assurance,
        first_row=0,
        now=now,
    )
    if result.problems:
        raise NotificationRefused(result.problems)
    return result.contracts[0]


def _registered_before(batch: NotificationBatch) -> Registered:
    contracts = list(
        Contract.objects.filter(versions__batch=batch, versions__number=1).order_by("id")
    )
    problems = [Problem(**p) for p in batch.problems]
    return Registered(batch=batch, contracts=contracts, problems=problems)


def _contracts_write(
    employer: Employer,
    rows: Sequence[tuple[int, ContractDraft]],
    checked: Checked,
    batch: NotificationBatch,
    user: User | None,
    assurance: str,
    now: datetime.datetime,
) -> list[Contract]:
    """The new contracts and their first versions. Ids are reserved first and the rows written
    as one frame each (COPY on PostgreSQL): at 100 000 rows `bulk_create` spent most of an
    upload's time preparing values."""
    ids = ids_reserve(Contract._meta.db_table, len(rows))
    contracts = [
        Contract(
            id=contract_id,
            employer=employer,
            person_id=checked.person_ids[row],
            occupation_id=checked.occupation_ids[row],
            position=d.position.strip(),
            workplace=d.workplace.strip(),
            monthly_wage_qepik=d.monthly_wage_qepik,
            weekly_hours=d.weekly_hours,
            term=d.term,
            fixed_end_on=d.fixed_end_on if d.term == ContractTerm.FIXED else None,
            probation_months=d.probation_months,
            is_main_job=d.is_main_job,
            concluded_on=d.concluded_on,
            start_on=d.start_on,
            registered_at=now,
            is_late=row in checked.late,
        )
        for contract_id, (row, d) in zip(ids, rows, strict=True)
    ]
    frame_write(Contract._meta.db_table, _contracts_frame(contracts))
    for contract in contracts:
        contract._state.adding = False
        contract._state.db = DEFAULT_DB_ALIAS
    _first_versions_write(contracts, user, assurance, now, batch)
    return contracts


# The columns of a new contract row, in the order `_contracts_frame` writes them.
_CONTRACT_COLUMNS = (
    "id",
    "employer_id",
    "person_id",
    *TERM_FIELDS,
    "concluded_on",
    "start_on",
    "status",
    "registered_at",
    "is_late",
    "version",
)


def _contracts_frame(contracts: Sequence[Contract]) -> pl.DataFrame:
    return pl.DataFrame(
        {name: [getattr(c, name) for c in contracts] for name in _CONTRACT_COLUMNS},
        schema_overrides={
            "fixed_end_on": pl.Date,
            "concluded_on": pl.Date,
            "start_on": pl.Date,
        },
    )


def _first_versions_write(
    contracts: Sequence[Contract],
    user: User | None,
    assurance: str,
    now: datetime.datetime,
    batch: NotificationBatch,
) -> None:
    """Version 1 of each new contract, written as one frame (COPY on PostgreSQL): the same
    rows `_version` makes, without building 100 000 model instances."""
    today = timezone.localdate(now)
    frame = pl.DataFrame(
        {
            "contract_id": [c.pk for c in contracts],
            "number": [1] * len(contracts),
            "notice": [Notice.CONCLUSION.value] * len(contracts),
            "effective_on": [c.start_on for c in contracts],
            "registered_at": [now] * len(contracts),
            "notified_by_id": [user.pk if user else None] * len(contracts),
            "assurance": [assurance] * len(contracts),
            "is_late": [c.start_on < today for c in contracts],
            "batch_id": [batch.pk] * len(contracts),
            **{name: [getattr(c, name) for c in contracts] for name in TERM_FIELDS},
        },
        schema_overrides={
            "notified_by_id": pl.Int64,
            "fixed_end_on": pl.Date,
            "effective_on": pl.Date,
        },
    )
    frame_write(ContractVersion._meta.db_table, frame)


def _version(
    contract: Contract,
    number: int,
    notice: str,
    effective_on: datetime.date,
    user: User | None,
    assurance: str,
    now: datetime.datetime,
    batch: NotificationBatch | None = None,
    ground: TerminationGround | None = None,
) -> ContractVersion:
    return ContractVersion(
        contract=contract,
        number=number,
        notice=notice,
        effective_on=effective_on,
        termination_ground=ground,
        registered_at=now,
        notified_by=user,
        assurance=assurance,
        is_late=effective_on < timezone.localdate(now),
        batch=batch,
        **{name: getattr(contract, name) for name in TERM_FIELDS},
    )


def _accounts_open(contracts: Iterable[Contract]) -> None:
    """The first registered contract opens the worker's individual insurance account (§6):
    one set-based insert; a person who has an account keeps it as it is."""
    first_start: dict[int, datetime.date] = {}
    for contract in contracts:
        start = first_start.get(contract.person_id)
        if start is None or contract.start_on < start:
            first_start[contract.person_id] = contract.start_on
    starts = pl.Series(list(first_start.values()), dtype=pl.Date)
    frame_insert_ignoring_conflicts(
        InsuranceAccount._meta.db_table,
        pl.DataFrame(
            {
                "person_id": pl.Series(list(first_start), dtype=pl.Int64),
                "record_months": pl.repeat(0, len(first_start), dtype=pl.Int64, eager=True),
                "pension_capital_qepik": pl.repeat(0, len(first_start), dtype=pl.Int64, eager=True),
                "pre_2006_capital_qepik": pl.repeat(
                    0, len(first_start), dtype=pl.Int64, eager=True
                ),
                "updated_on": starts,
                "opened_on": starts,
            }
        ),
        returning={"person_id": pl.Int64()},
    )


# --- Later notifications --------------------------------------------------------------------


def contract_amend(
    *,
    contract: Contract,
    changes: ContractDraft,
    effective_on: datetime.date,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime | None = None,
) -> Contract:
    """Register an amendment of the terms from `effective_on`; the earlier version is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = _locked(contract)
        _require_live(contract)
        # The amended terms are checked as on the day they take effect (the minimum wage and
        # the employee's age then), not on the contract's first day.
        checked = conclusions_check(
            employer_id=contract.employer_id,
            drafts=[replace(changes, start_on=effective_on, concluded_on=effective_on)],
            today=timezone.localdate(now),
            first_row=0,
        )
        # Checking the amended terms as a new conclusion would find the contract itself as a
        # duplicate or a second main job: those two problems are about other contracts only.
        problems = [
            p
            for p in checked.all_problems
            if p.code not in {"duplicate", "second_main_job", "concluded_in_future"}
        ]
        if (
            changes.is_main_job
            and not contract.is_main_job
            and Contract.objects.filter(person=contract.person, is_main_job=True)
            .exclude(status=ContractStatus.TERMINATED)
            .exclude(pk=contract.pk)
            .exists()
        ):
            problems.append(
                Problem(
                    0,
                    "is_main_job",
                    "second_main_job",
                    _("This employee already has a main job elsewhere."),
                )
            )
        if checked.person_ids.get(0) not in (None, contract.person_id):
            problems.append(
                Problem(
                    0,
                    "employee_fin",
                    "employee_changed",
                    _("An amendment cannot change the employee; terminate and conclude anew."),
                )
            )
        if effective_on < contract.start_on:
            problems.append(
                Problem(
                    0,
                    "effective_on",
                    "before_start",
                    _("An amendment cannot take effect before work started."),
                )
            )
        if problems:
            raise NotificationRefused(problems)
        contract.occupation_id = checked.occupation_ids[0]
        contract.position = changes.position.strip()
        contract.workplace = changes.workplace.strip()
        contract.monthly_wage_qepik = changes.monthly_wage_qepik
        contract.weekly_hours = changes.weekly_hours
        contract.term = changes.term
        contract.fixed_end_on = changes.fixed_end_on if changes.term == ContractTerm.FIXED else None
        contract.probation_months = changes.probation_months
        contract.is_main_job = changes.is_main_job
        return _next_version(contract, Notice.AMENDMENT, effective_on, actor, assurance, now)


def contract_suspend(
    *,
    contract: Contract,
    from_on: datetime.date,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime | None = None,
) -> Contract:
    """Suspend the contract from `from_on` (no wage, no contributions until resumed)."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status != ContractStatus.ACTIVE:
            raise NotificationRefused(
                [Problem(0, "status", "not_active", _("Only an active contract can be suspended."))]
            )
        if from_on < contract.start_on:
            raise NotificationRefused(
                [
                    Problem(
                        0,
                        "effective_on",
                        "before_start",
                        _("A suspension cannot begin before work started."),
                    )
                ]
            )
        contract.status = ContractStatus.SUSPENDED
        contract.suspended_from = from_on
        return _next_version(contract, Notice.SUSPENSION, from_on, actor, assurance, now)


def contract_resume(
    *,
    contract: Contract,
    on: datetime.date,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime | None = None,
) -> Contract:
    """End a suspension from `on`."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status != ContractStatus.SUSPENDED:
            raise NotificationRefused(
                [Problem(0, "status", "not_suspended", _("The contract is not suspended."))]
            )
        if contract.suspended_from and on <= contract.suspended_from:
            raise NotificationRefused(
                [
                    Problem(
                        0,
                        "effective_on",
                        "before_suspension",
                        _("Work resumes after the day the suspension began."),
                    )
                ]
            )
        contract.status = ContractStatus.ACTIVE
        contract.suspended_from = None
        return _next_version(contract, Notice.RESUMPTION, on, actor, assurance, now)


def contract_terminate(
    *,
    contract: Contract,
    on: datetime.date,
    ground: TerminationGround,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime | None = None,
) -> Contract:
    """Terminate the contract on `on` (the last day of work) on a cited legal ground."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = _locked(contract)
        _require_live(contract)
        if on < contract.start_on:
            raise NotificationRefused(
                [
                    Problem(
                        0,
                        "terminated_on",
                        "before_start",
                        _("A contract cannot end before work started (%(start)s).")
                        % {"start": f"{contract.start_on:%d.%m.%Y}"},
                    )
                ]
            )
        if not ground.is_active:
            raise NotificationRefused(
                [Problem(0, "ground", "ground_unknown", _("Choose a ground from the list."))]
            )
        contract.status = ContractStatus.TERMINATED
        contract.terminated_on = on
        contract.termination_ground = ground
        contract.suspended_from = None
        return _next_version(contract, Notice.TERMINATION, on, actor, assurance, now, ground=ground)


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("employer", "person")
        .get(pk=contract.pk)
    )


def _require_live(contract: Contract) -> None:
    if contract.status == ContractStatus.TERMINATED:
        raise NotificationRefused(
            [
                Problem(
                    0,
                    "status",
                    "terminated",
                    _("The contract was terminated; it cannot change any more."),
                )
            ]
        )


def _next_version(
    contract: Contract,
    notice: str,
    effective_on: datetime.date,
    actor: Actor | None,
    assurance: str,
    now: datetime.datetime,
    ground: TerminationGround | None = None,
) -> Contract:
    user = _user(actor)
    number = (
        ContractVersion.objects.filter(contract=contract).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    contract.version = number
    contract.save()
    _version(contract, number, notice, effective_on, user, assurance, now, ground=ground).save()
    _messages_queue(contract.employer, [contract], notice, actor, None, effective_on)
    audit_record(
        action=AuditAction.OTHER,
        actor=user,
        actor_role=Role.EMPLOYER,
        actor_institution=contract.employer.name,
        person=contract.person,
        obj=contract,
        purpose=f"labour.{notice}",
        details={"employer": contract.employer.voen, "version": number, "assurance": assurance},
    )
    return contract


# --- Messages -------------------------------------------------------------------------------


def _messages_queue(
    employer: Employer,
    contracts: Sequence[Contract],
    notice: str,
    actor: Actor | None,
    batch: NotificationBatch | None,
    effective_on: datetime.date | None = None,
) -> None:
    """To each employee: what was registered; to the representative: one confirmation."""
    if len(contracts) > SET_BASED_FROM:
        _employee_messages_write(employer, contracts, notice)
    else:
        _employee_messages_queue(employer, contracts, notice, effective_on)
    _confirmation_queue(employer, contracts, notice, actor, batch)


# From this many contracts on, the employees' messages are rendered and written as one frame
# (COPY) rather than one `notification_queue` call each: at 100 000 rows the per-row path spent
# three quarters of an upload's time in savepoints and template renders.
SET_BASED_FROM = 50


def _employee_messages_write(
    employer: Employer, contracts: Sequence[Contract], notice: str
) -> None:
    """The same messages as `_employee_messages_queue`, rendered set-based (conclusions only:
    a batch registers conclusions, each effective on its contract's start)."""
    people = pl.DataFrame(
        list(
            Person.objects.filter(pk__in={c.person_id for c in contracts}).values(
                "id",
                "first_name",
                "last_name",
                "preferred_language",
                "verified_phone",
                "verified_email",
            )
        ),
        schema={
            "id": pl.Int64,
            "first_name": pl.String,
            "last_name": pl.String,
            "preferred_language": pl.String,
            "verified_phone": pl.String,
            "verified_email": pl.String,
        },
    )
    rows = pl.DataFrame(
        {
            "person_id": [c.person_id for c in contracts],
            "contract_number": [c.number for c in contracts],
            "dedupe_key": [f"contract:{c.pk}:v{c.version}" for c in contracts],
            "effective_on": [f"{c.start_on:%d.%m.%Y}" for c in contracts],
        },
        schema={
            "person_id": pl.Int64,
            "contract_number": pl.String,
            "dedupe_key": pl.String,
            "effective_on": pl.String,
        },
    ).join(people, left_on="person_id", right_on="id")
    language = (
        pl.when(pl.col("preferred_language").is_in(LANGUAGES))
        .then(pl.col("preferred_language"))
        .otherwise(pl.lit("az"))
    )
    notice_texts = {}
    for code in LANGUAGES:
        with override(code):
            notice_texts[code] = str(Notice(notice).label).lower()
    letters = rows.with_columns(language=language).with_columns(
        name=pl.concat_str("first_name", "last_name", separator=" "),
        employer_name=pl.lit(employer.name),
        notice=pl.col("language").replace_strict(notice_texts, return_dtype=pl.String),
        portal_url=pl.lit("/") + pl.col("language") + pl.lit("/my/contracts/"),
        case_reference=pl.lit(""),
    )
    recipients = recipients_by_channel(
        letters, [Channel.PORTAL.value, Channel.SMS.value, Channel.EMAIL.value]
    )
    frame_write(
        Message._meta.db_table, messages_frame(event="contract_registered", recipients=recipients)
    )


def _employee_messages_queue(
    employer: Employer,
    contracts: Sequence[Contract],
    notice: str,
    effective_on: datetime.date | None,
) -> None:
    people = Person.objects.in_bulk({c.person_id for c in contracts})
    for contract in contracts:
        person = people[contract.person_id]
        with override(person.preferred_language):
            notice_text = str(Notice(notice).label).lower()
        on = effective_on or contract.start_on
        notification_queue(
            person=person,
            event="contract_registered",
            context={
                "name": f"{person.first_name} {person.last_name}",
                "employer_name": employer.name,
                "notice": notice_text,
                "contract_number": contract.number,
                "effective_on": f"{on:%d.%m.%Y}",
                "portal_url": f"/{person.preferred_language}/my/contracts/",
            },
            channel_preferences=_channels(person),
            dedupe_key=f"contract:{contract.pk}:v{contract.version}",
        )


def _confirmation_queue(
    employer: Employer,
    contracts: Sequence[Contract],
    notice: str,
    actor: Actor | None,
    batch: NotificationBatch | None,
) -> None:
    representative = _representative(actor)
    if representative is not None:
        with override(representative.preferred_language):
            notice_text = str(Notice(notice).label).lower()
        key = (
            f"batch:{batch.pk}" if batch else f"contract:{contracts[0].pk}:v{contracts[0].version}"
        )
        notification_queue(
            person=representative,
            event="contract_confirmed",
            context={
                "name": f"{representative.first_name} {representative.last_name}",
                "employer_name": employer.name,
                "notice": notice_text,
                "count": len(contracts),
                "portal_url": f"/{representative.preferred_language}/employer/",
            },
            channel_preferences=[Channel.PORTAL.value],
            dedupe_key=f"confirm:{key}",
        )


def _channels(person: Person) -> list[str]:
    channels = [Channel.PORTAL.value]
    if person.verified_phone:
        channels.append(Channel.SMS.value)
    if person.verified_email:
        channels.append(Channel.EMAIL.value)
    return channels


def _representative(actor: Actor | None) -> Person | None:
    if actor is None or not actor.is_authenticated:
        return None
    account = CitizenAccount.objects.select_related("person").filter(user_id=actor.pk).first()
    return account.person if account else None


def _user(actor: Actor | None) -> User | None:
    if actor is None or not actor.is_authenticated:
        return None
    assert isinstance(actor, User)  # noqa: S101 — authenticated means a user
    return actor


# --- Representatives ------------------------------------------------------------------------


class BindingRefused(Exception):
    """The actor may not bind representatives to this employer."""


def representative_bind(
    *, employer: Employer, person: Person, actor: Actor, granted_as: str
) -> EmployerRepresentative:
    """Let `person` act for `employer`. An administrator may bind anyone; the head of the
    employer as the tax register records him may bind for his own employer only."""
    user = _user(actor)
    if granted_as == BindingGrantor.EMPLOYER_HEAD:
        head = _representative(actor)
        if head is None or employer.head_id != head.pk:
            raise BindingRefused(_("Only the employer's head may bind representatives."))
    with transaction.atomic():
        binding, created = EmployerRepresentative.objects.get_or_create(
            person=person,
            employer=employer,
            revoked_at__isnull=True,
            defaults={"granted_by": user, "granted_as": granted_as},
        )
        if created:
            audit_record(
                action=AuditAction.OTHER,
                actor=user,
                actor_role=Role.ADMINISTRATOR
                if granted_as == BindingGrantor.ADMINISTRATOR
                else Role.EMPLOYER,
                person=person,
                obj=binding,
                purpose="labour.representative_bind",
                details={"employer": employer.voen, "granted_as": granted_as},
            )
        return binding


def representative_unbind(*, binding: EmployerRepresentative, actor: Actor) -> None:
    """Revoke a binding (kept, with who revoked it and when)."""
    user = _user(actor)
    with transaction.atomic():
        updated = EmployerRepresentative.objects.filter(
            pk=binding.pk, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=user)
        if updated:
            audit_record(
                action=AuditAction.OTHER,
                actor=user,
                person=binding.person,
                obj=binding,
                purpose="labour.representative_unbind",
                details={"employer_id": binding.employer_id},
            )

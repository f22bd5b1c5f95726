"""The proactive pipeline: candidates → the same rules as applications → awards → outbox.

    run = run_start(on=…, mode="incremental"|"full", schemes=[…], partition=(i, n), actor=…)
    run_execute(run)   # resumes: chunks already committed are skipped

Each chunk (an id range of a full run, or the whole day's cohort of an incremental run) is one
transaction: candidate results, awards (INSERT … ON CONFLICT DO NOTHING on the unique
(person, kind, start) and exclusivity constraints), outbox messages for the awards actually
inserted, usage events and the chunk's checkpoint row commit together or not at all. A crash
loses at most the chunk in flight; running again resumes after the last checkpoint.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from meis.audit.services import audit_record
from meis.awards.models import EXCLUSIVITY_GROUPS, SERVICE_CODES, AwardOrigin
from meis.awards.services import basis_get_or_create
from meis.core import bulk
from meis.proactive.models import (
    CandidateResult,
    Outcome,
    ProactiveRun,
    RunChunk,
    RunMode,
    RunStatus,
)
from meis.proactive.services.letters import letters_queue
from meis.proactive.sources import (
    CONTACT_SCHEMA,
    CONTACTS_SQL,
    FULL_DEFAULT,
    INCREMENTAL_DEFAULT,
    SOURCES,
    Source,
)
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store
from meis.usage.models import UsageEvent, UsageKind

DEFAULT_CHUNK_SIZE = 200_000
# What an inserted award row gives back: its id and its unique key within a scheme's run.
AWARD_KEY: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "person_id": pl.Int64(),
    "start_on": pl.Date(),
}
Actor = AbstractBaseUser | AnonymousUser | None


class ProactiveError(Exception):
    """A run cannot start or be approved; the message says why and what to do."""


class SimulatedCrash(RuntimeError):
    """Raised by tests (``crash_after_chunks``) to stop a run as a killed worker would."""


@dataclass(frozen=True)
class Chunk:
    scheme: str
    number: int
    low: int | None = None  # id range [low, high) of a full run
    high: int | None = None


# -- starting, approving ------------------------------------------------------------------------


def run_start(
    *,
    on: datetime.date,
    mode: str = RunMode.INCREMENTAL,
    schemes: Sequence[str] = (),
    partition: tuple[int, int] = (1, 1),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    actor: Actor = None,
) -> ProactiveRun:
    """Create a run, or find the unfinished one with the same parameters (to resume it).

    A full run that may create more awards than PROACTIVE_FOUR_EYES_THRESHOLD stops in
    "awaiting approval" before anything is written.
    """
    index, count = partition
    if not 1 <= index <= count:
        raise ProactiveError(f"partition {index}/{count} is not one of 1/{count}…{count}/{count}")
    chosen = list(schemes) or list(FULL_DEFAULT if mode == RunMode.FULL else INCREMENTAL_DEFAULT)
    unknown = [s for s in chosen if s not in SOURCES]
    if unknown:
        raise ProactiveError(
            f"unknown scheme(s) {', '.join(unknown)}; known: {', '.join(sorted(SOURCES))}"
        )
    resumable = (
        ProactiveRun.objects.filter(
            on=on,
            mode=mode,
            schemes=chosen,
            partition_index=index,
            partition_count=count,
            status__in=[RunStatus.RUNNING, RunStatus.FAILED, RunStatus.AWAITING_APPROVAL],
        )
        .order_by("-id")
        .first()
    )
    if resumable is not None:
        return resumable
    run = ProactiveRun.objects.create(
        on=on,
        mode=mode,
        schemes=chosen,
        partition_index=index,
        partition_count=count,
        chunk_size=chunk_size,
        status=RunStatus.RUNNING,
        started_by=_user(actor),
    )
    if mode == RunMode.FULL:
        run.expected_changes = sum(_upper_bound(SOURCES[s], run) for s in chosen)
        if run.expected_changes > settings.PROACTIVE_FOUR_EYES_THRESHOLD:
            run.status = RunStatus.AWAITING_APPROVAL
        run.save(update_fields=["expected_changes", "status"])
    return run


def run_approve(*, run: ProactiveRun, actor: Actor) -> ProactiveRun:
    """A second administrator approves a run that waits; audited. Execute it afterwards."""
    from meis.accounts.access import actor_roles
    from meis.accounts.roles import Role

    user = _user(actor)
    if run.status != RunStatus.AWAITING_APPROVAL:
        raise ProactiveError("This run is not waiting for approval.")
    if actor is None or Role.ADMINISTRATOR not in actor_roles(actor):  # type: ignore[arg-type]
        raise ProactiveError("Only an administrator may approve a proactive run.")
    if user is not None and run.started_by_id == user.pk:
        raise ProactiveError("A second administrator must approve: you started this run.")
    with transaction.atomic():
        run.status, run.approved_by = RunStatus.RUNNING, user
        run.save(update_fields=["status", "approved_by"])
        audit_record(
            action="proactive.run_approve",
            actor=user,
            actor_role=Role.ADMINISTRATOR,
            obj=run,
            purpose="Four-eyes approval of a mass proactive run",
            details={"run": run.pk, "expected_changes": run.expected_changes, "on": str(run.on)},
        )
    return run


def _upper_bound(source: Source, run: ProactiveRun) -> int:
    """How many awards the run could create at most: its candidates (one COUNT, no evaluation)."""
    where, params = source.full_filter(run.on)
    sql = source.count_sql(where)
    with connection.cursor() as cursor:
        cursor.execute(sql, cast(list[Any], params))
        return int(cursor.fetchone()[0])


# -- executing -----------------------------------------------------------------------------------


def run_execute(run: ProactiveRun, *, crash_after_chunks: int | None = None) -> ProactiveRun:
    """Run (or resume) every chunk not yet committed, then write the report."""
    if run.status == RunStatus.AWAITING_APPROVAL:
        raise ProactiveError("This run waits for a second administrator's approval.")
    if run.status == RunStatus.SUCCEEDED:
        return run
    started = time.perf_counter()
    run.status, run.error = RunStatus.RUNNING, ""
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["status", "error", "started_at"])
    for scheme in run.schemes:
        # Before the chunks, in its own transaction: partitions running side by side would
        # otherwise wait for each other's first chunk to commit the shared row.
        basis_get_or_create(scheme=scheme, on=run.on)
    done = set(RunChunk.objects.filter(run=run).values_list("scheme", "chunk_no"))
    committed = 0
    try:
        for chunk in chunks_of(run):
            if (chunk.scheme, chunk.number) in done:
                continue
            chunk_run(run, chunk)
            committed += 1
            if crash_after_chunks is not None and committed >= crash_after_chunks:
                raise SimulatedCrash(f"simulated crash after {committed} chunk(s)")
    except SimulatedCrash:
        raise  # a killed worker leaves the run "running"; the next start resumes it
    except Exception as error:
        run.status, run.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
        run.seconds += time.perf_counter() - started
        run.save(update_fields=["status", "error", "seconds"])
        raise
    run.report = run_report(run)
    run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
    run.seconds += time.perf_counter() - started
    run.save(update_fields=["report", "status", "finished_at", "seconds"])
    return run


def chunks_of(run: ProactiveRun) -> Iterator[Chunk]:
    """The run's chunks: one per scheme for a day, id ranges for a full run (this partition's)."""
    for scheme in run.schemes:
        if run.mode == RunMode.INCREMENTAL:
            yield Chunk(scheme, 0)
            continue
        bounds = run.report.setdefault("bounds", {})
        if scheme not in bounds:
            table = SOURCES[scheme].chunk_table
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT MIN(id), MAX(id) FROM "{table}"')  # noqa: S608
                low, high = cursor.fetchone()
            bounds[scheme] = [low or 0, high or -1]
            ProactiveRun.objects.filter(pk=run.pk).update(report=run.report)
        low, high = bounds[scheme]
        for number, start in enumerate(range(low, high + 1, run.chunk_size)):
            if number % run.partition_count == run.partition_index - 1:
                yield Chunk(scheme, number, start, start + run.chunk_size)


def chunk_run(run: ProactiveRun, chunk: Chunk) -> dict[str, Any]:
    """Evaluate one chunk and commit everything it decides, with its checkpoint."""
    watch = Stopwatch()
    source = SOURCES[chunk.scheme]
    with transaction.atomic():
        # A full run's rows are written set-based (COPY) and their references checked per chunk;
        # a day's few rows go through the ordinary services, triggers and all.
        is_verifying_references = bulk.transaction_tune(defer_references=run.mode == RunMode.FULL)
        frame = candidates_read(run, source, chunk)
        watch.lap("read")
        results = evaluate(run, source, frame)
        watch.lap("evaluate")
        basis = basis_get_or_create(scheme=source.scheme, on=run.on)
        inserted = awards_insert(run, source, chunk, results, basis_id=basis.pk)
        # On the awards' unique key: one person may be granted twice in a chunk from different
        # dates (a mother's two births), each grant with its own award and letter.
        results = results.join(inserted, on=["person_id", "start_on"], how="left")
        results = results.with_columns(
            outcome=pl.when(pl.col("award_id").is_not_null())
            .then(pl.lit(Outcome.GRANTED.value))
            .when(pl.col("is_eligible"))
            .then(pl.lit(Outcome.ALREADY_HOLDS.value))
            .otherwise(pl.col("outcome"))
        )
        watch.lap("awards")
        granted = contacts_join(results.filter(pl.col("award_id").is_not_null()))
        letters = letters_queue(source=source, granted=granted, on=run.on)
        watch.lap("letters")
        usage_write(source, granted, on=run.on)
        results_write(run, chunk, results)
        watch.lap("results")
        if is_verifying_references:
            # What the awards and letters point at: people (the granted, a child's parents) and
            # households (read from the registry in this transaction) and the basis. Message
            # templates were read here too and are never deleted.
            bulk.references_verify(
                [
                    ("registry_person", granted["person_id"]),
                    ("registry_person", letters.addressees),
                    ("registry_household", granted["household_id"]),
                    ("awards_decisionbasis", pl.Series([basis.pk])),
                ]
            )
            watch.lap("references")
        counts = chunk_counts(results)
        if source.is_for_a_child:
            # Grants whose letter found no parent or adult of the household (see letters.py).
            counts["letter_to_child_only"] = letters.to_child_only
        RunChunk.objects.create(
            run=run,
            scheme=chunk.scheme,
            chunk_no=chunk.number,
            counts={**counts, "phases": watch.phases},
            seconds=watch.total(),
        )
    return counts


class Stopwatch:
    """Seconds per phase of a chunk (kept with its checkpoint, summed in the run report)."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self.last, 3)
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


def candidates_read(run: ProactiveRun, source: Source, chunk: Chunk) -> pl.DataFrame:
    if run.mode == RunMode.INCREMENTAL:
        where, params = source.incremental(run.on)
        if run.partition_count > 1:
            where += f" AND MOD({source.chunk_column}, %s) = %s"
            params = [*params, run.partition_count, run.partition_index - 1]
        return bulk.frame_read(source.select_sql(where), params, source.columns)
    where, params = source.full_filter(run.on)
    sql = source.select_sql(where, (chunk.low or 0, chunk.high or 0))  # a full run's id range
    return bulk.frame_read(sql, params, source.columns)


def contacts_join(granted: pl.DataFrame) -> pl.DataFrame:
    """The grants with the names and contacts their letters need (read for them only, unless
    the source read them with the candidates)."""
    if all(name in granted.columns for name in CONTACT_SCHEMA):
        return granted
    ids = granted["person_id"].to_list()
    if not ids:
        return granted.with_columns(
            pl.lit(None, dtype=t).alias(c) for c, t in CONTACT_SCHEMA.items() if c != "person_id"
        )
    contacts = bulk.frame_read_ids(CONTACTS_SQL, ids, CONTACT_SCHEMA)
    return granted.join(contacts, on="person_id", how="left")


def evaluate(run: ProactiveRun, source: Source, frame: pl.DataFrame) -> pl.DataFrame:
    """The rule over the chunk's candidates, with outcome, refusing rule and near-miss months."""
    scheme = get_scheme(source.scheme)
    if source.derive is not None:
        frame = source.derive(frame, run.on)
    result = evaluate_batch(scheme, frame, on=run.on)
    if source.candidate_step:
        # Only people of the scheme's age are candidates; younger rows were read by the range.
        result = result.filter(pl.col(source.candidate_step))
    start = source.start_on()
    if source.scheme == "targeted_assistance":
        start = pl.lit(run.on.replace(day=1))
    # The end is computed from the start (a term counts from it): two steps, not one.
    result = result.with_columns(start_on=start).with_columns(end_on=source.end_on())
    result = result.with_columns(
        rule=_refusing_rule(scheme.requirements, scheme.refusals),
        months_short=_months_short(source, run.on),
    )
    near = pl.col("months_short").is_not_null() & (
        pl.col("months_short") <= source.near_miss_months
    )
    return result.with_columns(
        outcome=pl.when(pl.col("is_eligible"))
        .then(pl.lit(Outcome.GRANTED.value))
        .when(near)
        .then(pl.lit(Outcome.NEAR_MISS.value))
        .otherwise(pl.lit(Outcome.REFUSED.value))
    )


def _refusing_rule(requirements: Sequence[str], refusals: Sequence[str]) -> pl.Expr:
    expr = pl.lit("", dtype=pl.String)
    for name in reversed(refusals):
        expr = pl.when(pl.col(name)).then(pl.lit(name)).otherwise(expr)
    for name in reversed(requirements):
        expr = pl.when(~pl.col(name)).then(pl.lit(name)).otherwise(expr)
    return pl.when(pl.col("is_eligible")).then(pl.lit("")).otherwise(expr)


def _months_short(source: Source, on: datetime.date) -> pl.Expr:
    if not source.near_miss_months:
        return pl.lit(None, dtype=pl.Int64)
    if source.required_record_step.startswith("labour_pensions."):
        required: pl.Expr = pl.lit(
            int(str(default_store().value(source.required_record_step, on=on)))
        )
    else:
        required = pl.col(source.required_record_step)
    short = required - pl.col("insurance_record_months")
    return pl.when(~pl.col("is_eligible") & (short > 0)).then(short).otherwise(None)


def awards_insert(
    run: ProactiveRun, source: Source, chunk: Chunk, results: pl.DataFrame, *, basis_id: int
) -> pl.DataFrame:
    """Insert the chunk's grants; conflicts (already granted, exclusive award) are skipped."""
    scheme = get_scheme(source.scheme)
    eligible = results.filter(pl.col("is_eligible"))
    facts = [f.name for f in scheme.facts if f.name in eligible.columns]
    facts += [name for name in source.derived_from if name not in facts]
    steps = scheme.step_names()
    record = pl.concat_str(
        pl.lit('{"facts":'),
        pl.struct(facts).struct.json_encode(),
        pl.lit(',"steps":'),
        pl.struct(steps).struct.json_encode(),
        pl.lit("}"),
    )
    now = timezone.now()
    rows = eligible.select(
        "person_id",
        "household_id",
        kind=pl.lit(source.kind.value),
        exclusivity_group=pl.lit(EXCLUSIVITY_GROUPS.get(source.kind, "")),
        amount_qepik="amount_qepik",
        is_one_off=pl.lit(source.is_one_off),
        start_on="start_on",
        end_on="end_on",
        status=pl.lit("active"),
        origin=pl.lit(AwardOrigin.PROACTIVE_RUN.value),
        origin_reference=pl.lit(f"proactive-run-{run.pk}/{source.scheme}/{chunk.number}"),
        origin_batch=pl.lit(run.pk, dtype=pl.Int64),
        basis_id=pl.lit(basis_id, dtype=pl.Int64),
        record=record,
        created_at=pl.lit(now, dtype=pl.Datetime("us", "UTC")),
    )
    inserted = bulk.frame_insert_ignoring_conflicts("awards_award", rows, returning=AWARD_KEY)
    return inserted.rename({"id": "award_id"})


def usage_write(source: Source, granted: pl.DataFrame, *, on: datetime.date) -> None:
    """One e-service use per grant (channel "proactive"), counted on the run's day (at noon:
    a run's grants have a day, not a moment); the award is the source, so it counts once."""
    noon = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12))).astimezone(
        datetime.UTC
    )
    frame = granted.select(
        occurred_at=pl.lit(noon, dtype=pl.Datetime("us", "UTC")),
        day=pl.lit(on),
        kind=pl.lit(UsageKind.PROACTIVE.value),
        service_code=pl.lit(SERVICE_CODES[source.kind]),
        channel=pl.lit("proactive"),
        region="region",
        centre_code=pl.lit(""),
        outcome=pl.lit(""),
        source=pl.lit("award:") + pl.col("award_id").cast(pl.String),
    )
    bulk.frame_write(UsageEvent._meta.db_table, frame)


def results_write(run: ProactiveRun, chunk: Chunk, results: pl.DataFrame) -> None:
    frame = results.select(
        run_id=pl.lit(run.pk, dtype=pl.Int64),
        chunk_no=pl.lit(chunk.number, dtype=pl.Int64),
        scheme=pl.lit(chunk.scheme),
        person_id="person_id",
        household_id="household_id",
        region="region",
        outcome="outcome",
        rule="rule",
        months_short="months_short",
        amount_qepik="amount_qepik",
        award_id="award_id",
    )
    bulk.frame_write(CandidateResult._meta.db_table, frame)


def chunk_counts(results: pl.DataFrame) -> dict[str, Any]:
    """Candidates and outcomes, overall and by region (no personal data)."""
    by_region = results.group_by("region", "outcome").len().sort("region", "outcome").iter_rows()
    regions: dict[str, dict[str, int]] = {}
    for region, outcome, count in by_region:
        regions.setdefault(region, {})[outcome] = int(count)
    totals = {o.value: 0 for o in Outcome}
    for outcome, count in results.group_by("outcome").len().iter_rows():
        totals[outcome] = int(count)
    return {"candidates": results.height, **totals, "regions": regions}


def run_report(run: ProactiveRun) -> dict[str, Any]:
    """Totals per scheme and region from the chunk checkpoints."""
    schemes: dict[str, Any] = {}
    for chunk in RunChunk.objects.filter(run=run).order_by("scheme", "chunk_no"):
        total = schemes.setdefault(
            chunk.scheme, {"candidates": 0, **{o.value: 0 for o in Outcome}, "regions": {}}
        )
        for key, value in chunk.counts.items():
            if key == "phases":
                into = total.setdefault("phases", {})
                for phase, seconds in value.items():
                    into[phase] = round(into.get(phase, 0.0) + seconds, 3)
            elif key == "regions":
                for region, outcomes in value.items():
                    into = total["regions"].setdefault(region, {})
                    for outcome, count in outcomes.items():
                        into[outcome] = into.get(outcome, 0) + count
            else:
                total[key] = total.get(key, 0) + value
    report: dict[str, Any] = {"schemes": schemes}
    if "bounds" in run.report:
        report["bounds"] = run.report["bounds"]
    return report


def run_summary(run: ProactiveRun) -> dict[str, Any]:
    """The machine-readable report (`meis proactive run --json`)."""
    return {
        "run": run.pk,
        "on": run.on.isoformat(),
        "mode": str(run.mode),
        "status": str(run.status),
        "partition": f"{run.partition_index}/{run.partition_count}",
        "expected_changes": run.expected_changes,
        "seconds": round(run.seconds, 3),
        "schemes": dict(run.report.get("schemes", {})),
    }


def run_daily(*, on: datetime.date) -> str:
    """The scheduler's job: today's incremental run, resumed if a previous attempt died."""
    if ProactiveRun.objects.filter(
        on=on, mode=RunMode.INCREMENTAL, status=RunStatus.SUCCEEDED, partition_count=1
    ).exists():
        return f"proactive run for {on} already done"
    run = run_execute(run_start(on=on, mode=RunMode.INCREMENTAL))
    schemes = run.report.get("schemes", {})
    granted = sum(s.get("granted", 0) for s in schemes.values())
    return f"proactive run {run.pk} for {on}: {granted} granted"


def _user(actor: Actor) -> Any:
    if actor is None or not actor.is_authenticated:
        return None
    return actor

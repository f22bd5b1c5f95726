"""Benchmark: the disability register's flow through its services — referral, decision, signatures.

    .venv/bin/python bench/disability.py --people 1000000 [--referrals 10000] [--reuse]

Creates (or with --reuse keeps) the database `meis_bench_disability_<N>` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432, generates the synthetic registry (`meis.registry.synthetic`, people,
households and documents) and loads, idempotently, what the register needs: the seed catalogue,
the reference data (`meis.disability.reference.reference_load`: one polyclinic per economic
region, the commissions and their sittings), the staff (one clinic doctor per polyclinic; for
every commission a chair and two members, in the `medical_staff` / `commission_member` groups)
and a demo signing key for the extracts (`demo_ca_ensure` in a temporary directory, which is
also MEDIA_ROOT; both are removed at the end). Message templates come with the migrations.

Then, in-process on PostgreSQL, for `--referrals` living adults drawn from the registry (none
with an earlier referral or decision, so a reused database skips a previous run's people):

(a) issue: `referral_issue` by the polyclinic of the person's region — the referral numbered,
    assigned at random to a commission serving the region (or the central one), its letter
    queued and the issue audited;
(b) decide: `decision_draft` by the commission's chair, then `decision_sign` by the chair and
    both members — the last signature writes the register's `DisabilityDecision`, issues the
    signed PDF extract (`meis.certificates.extracts`) and queues the decision's letters;
(c) the baseline in the same run: as many bare `DisabilityDecision.objects.create(...)` rows
    (one autocommitted INSERT each, the floor of any decision written one at a time) and one
    `bulk_create` of as many; both are deleted afterwards.

Prints throughput (referrals/s, decisions/s end to end per referral), p50/p99 per referral for
each phase, the baseline beside them, the queries one referral costs, the load average before
and after and the peak RSS. Signing PDFs dominates (b); for a quick figure run `--referrals 1000`
and read the extrapolation to 10,000 printed with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="meis-bench-disability-"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("MEDIA_ROOT", str(WORKDIR / "media"))
os.environ.setdefault("CERTIFICATE_SIGNING_P12", str(WORKDIR / "signing" / "signing.p12"))
os.environ.setdefault("CERTIFICATE_TRUST_ROOTS", str(WORKDIR / "signing" / "ca.pem"))
os.environ.setdefault("CERTIFICATE_VERIFY_BASE_URL", "https://meis.example")

import django  # noqa: E402

from bench._database import database_create  # noqa: E402

EXTRAPOLATE_TO = 10_000
# Adult degrees with a percentage in their band (from 1 July 2022) and a re-examination in a
# year, within every adult degree's longest term.
DEGREES = (("I", 90), ("II", 70), ("III", 45))
CATEGORIES = (["mobility", "work"], ["self_care"], ["work"])
DIAGNOSES = ("G35, G82.1", "I63.9", "E11.4, H36.0", "M05.8", "F20.0")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=10_000, help="people referred, decided")
    parser.add_argument("--reuse", action="store_true", help="keep the database and its registry")
    args = parser.parse_args()
    name = os.environ.get("MEIS_BENCH_DB", f"meis_bench_disability_{args.people}")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    load_before = os.getloadavg()
    try:
        fresh = database_create(name, args.reuse)
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if fresh:
            generate(args.people)
        else:
            print(f"reusing {name} (people referred by earlier runs are left out)")
        staff = prepare()
        measure(args, name, staff, load_before)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def generate(people: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from meis.registry.synthetic import registry_generate

    started = time.perf_counter()
    registry_generate(people=people, seed=1, as_of=timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"registry generated: {people:,} people in {time.perf_counter() - started:.1f} s")


# -- the register's reference data, staff and signing key ------------------------------------------


@dataclass
class Staff:
    clinics: dict[str, Any] = field(default_factory=dict)  # region -> doctor
    commissions: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)  # chair, 2 members


def _user(username: str, group: Any) -> Any:
    from django.contrib.auth.models import User

    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return user


def prepare() -> Staff:
    """Catalogue, reference data, staff and the demo signing key (idempotent; not measured)."""
    from django.conf import settings
    from django.utils import timezone

    from meis.accounts.roles import Role
    from meis.accounts.services import staff_groups_ensure
    from meis.catalog.services import catalog_import_seed
    from meis.certificates.signing import demo_ca_ensure
    from meis.disability.models import Commission, MedicalInstitution
    from meis.disability.reference import clinic_staff_add, member_add, reference_load

    started = time.perf_counter()
    catalog_import_seed()
    reference_load(on=timezone.localdate())
    signing = Path(settings.CERTIFICATE_SIGNING_P12).parent
    signing.mkdir(parents=True, exist_ok=True)
    demo_ca_ensure(signing)
    groups = staff_groups_ensure()
    staff = Staff()
    for institution in MedicalInstitution.objects.order_by("code"):
        doctor = _user(f"bench-{institution.code}", groups[Role.MEDICAL_STAFF])
        clinic_staff_add(user=doctor, institution_code=institution.code)
        for region in institution.catchment:
            staff.clinics[region] = doctor
    for commission in Commission.objects.filter(is_active=True).order_by("code"):
        group = groups[Role.COMMISSION_MEMBER]
        chair = _user(f"bench-{commission.code}-chair", group)
        first = _user(f"bench-{commission.code}-member-1", group)
        second = _user(f"bench-{commission.code}-member-2", group)
        member_add(user=chair, commission_code=commission.code, is_chair=True)
        member_add(user=first, commission_code=commission.code)
        member_add(user=second, commission_code=commission.code)
        staff.commissions[commission.pk] = (chair, first, second)
    print(
        f"reference data: {len(staff.clinics)} regions' polyclinics, "
        f"{len(staff.commissions)} commissions × 3 members, demo signing key "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return staff


# -- the people referred ---------------------------------------------------------------------------


def people_pick(count: int) -> list[tuple[int, str, str]]:
    """Living adults with no referral and no decision yet: (id, FİN, region)."""
    from django.db import connection
    from django.utils import timezone

    from meis.disability.models import Referral
    from meis.disability.terms import add_months
    from meis.lifeevents.models import DisabilityDecision

    today = timezone.localdate()
    sql = f"""SELECT p.id, p.fin, p.region FROM registry_person p
        WHERE p.died_on IS NULL AND p.birth_on <= %s AND p.birth_on > %s
          AND NOT EXISTS (SELECT 1 FROM {Referral._meta.db_table} r WHERE r.person_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM {DisabilityDecision._meta.db_table} d
                          WHERE d.person_id = p.id)
        ORDER BY hashtext(p.id::text) LIMIT %s"""  # noqa: S608 — table names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, [add_months(today, -18 * 12), add_months(today, -90 * 12), count])
        return [(int(pk), str(fin), str(region)) for pk, fin, region in cursor.fetchall()]


# -- the measurement -------------------------------------------------------------------------------


@dataclass
class Timings:
    issue: list[float] = field(default_factory=list)
    decide: list[float] = field(default_factory=list)
    draft: list[float] = field(default_factory=list)
    sign: list[float] = field(default_factory=list)  # the first two signatures
    last: list[float] = field(default_factory=list)  # the deciding signature
    baseline: list[float] = field(default_factory=list)
    issue_total: float = 0.0
    decide_total: float = 0.0
    baseline_total: float = 0.0
    bulk_total: float = 0.0


def _draft(index: int) -> Any:
    from django.utils import timezone

    from meis.disability.services import DecisionDraft
    from meis.disability.terms import add_months

    degree, percentage = DEGREES[index % len(DEGREES)]
    return DecisionDraft(
        is_established=True,
        degree=degree,
        percentage=percentage,
        categories=CATEGORIES[index % len(CATEGORIES)],
        cause="general_illness",
        reexamine_on=add_months(timezone.localdate(), 12),
        reasoning="Persistent impairment of body functions confirmed by the examination.",
    )


def issue_one(staff: Staff, index: int, fin: str, region: str) -> Any:
    from meis.disability.models import ReferralKind
    from meis.disability.services import referral_issue

    return referral_issue(
        actor=staff.clinics[region],
        fin=fin,
        kind=ReferralKind.INITIAL,
        diagnoses=DIAGNOSES[index % len(DIAGNOSES)],
        summary="Progressive impairment; the treatment did not restore the functions.",
    )


def decide_one(staff: Staff, index: int, referral: Any, timings: Timings | None) -> None:
    from meis.disability.services import decision_draft, decision_sign

    chair, first, second = staff.commissions[referral.commission_id]
    t0 = time.perf_counter()
    decision = decision_draft(actor=chair, referral=referral, draft=_draft(index))
    t1 = time.perf_counter()
    decision_sign(actor=chair, decision=decision)
    decision_sign(actor=first, decision=decision)
    t2 = time.perf_counter()
    decided = decision_sign(actor=second, decision=decision)
    t3 = time.perf_counter()
    if decided.outcome_id is None:
        raise SystemExit(f"referral {referral.number}: the last signature did not decide")
    if timings is not None:
        timings.draft.append(t1 - t0)
        timings.sign.append((t2 - t1) / 2)
        timings.last.append(t3 - t2)
        timings.decide.append(t3 - t0)


def queries_of_one(staff: Staff, person: tuple[int, str, str]) -> tuple[int, int]:
    """The SQL statements one referral costs (issue; draft and three signatures), not timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as issued:
        referral = issue_one(staff, 0, person[1], person[2])
    with CaptureQueriesContext(connection) as decided:
        decide_one(staff, 0, referral, None)
    return len(issued.captured_queries), len(decided.captured_queries)


def measure_baseline(people: list[tuple[int, str, str]], timings: Timings) -> None:
    """As many bare DisabilityDecision rows, one INSERT each, then one bulk insert; deleted."""
    from django.utils import timezone

    from meis.disability.terms import add_months
    from meis.lifeevents.models import DisabilityDecision

    today = timezone.localdate()
    reexamine_on = add_months(today, 12)

    def row(index: int, person_id: int, marker: str) -> dict[str, Any]:
        degree, percentage = DEGREES[index % len(DEGREES)]
        return {
            "person_id": person_id,
            "degree": degree,
            "percentage": percentage,
            "cause": "general_illness",
            "decided_on": today,
            "reexamine_on": reexamine_on,
            "number": f"{marker}-{index:06d}",
            "commission_name": "Benchmark baseline commission",
            "examination": "initial",
            "categories": CATEGORIES[index % len(CATEGORIES)],
        }

    started = time.perf_counter()
    for index, (person_id, _fin, _region) in enumerate(people):
        t = time.perf_counter()
        DisabilityDecision.objects.create(**row(index, person_id, "BENCH-ONE"))
        timings.baseline.append(time.perf_counter() - t)
    timings.baseline_total = time.perf_counter() - started
    rows = [
        DisabilityDecision(**row(index, person_id, "BENCH-BULK"))
        for index, (person_id, _fin, _region) in enumerate(people)
    ]
    started = time.perf_counter()
    DisabilityDecision.objects.bulk_create(rows, batch_size=5000)
    timings.bulk_total = time.perf_counter() - started
    DisabilityDecision.objects.filter(number__startswith="BENCH-").delete()


def counts() -> dict[str, int]:
    from meis.certificates.models import Certificate
    from meis.disability.models import Referral
    from meis.lifeevents.models import DisabilityDecision
    from meis.notifications.models import Message

    return {
        "referrals": Referral.objects.count(),
        "decisions": DisabilityDecision.objects.count(),
        "extracts": Certificate.objects.filter(disability_decision__isnull=False).count(),
        "letters": Message.objects.filter(event__startswith="disability_").count(),
        "sms": Message.objects.filter(event="disability_decision", channel="sms").count(),
    }


def measure(
    args: argparse.Namespace, name: str, staff: Staff, load_before: tuple[float, float, float]
) -> None:
    from django.db import connection

    from meis.registry.models import Person

    population = Person.objects.count()
    picked = people_pick(args.referrals + 1)
    if len(picked) < args.referrals + 1:
        raise SystemExit(f"only {len(picked):,} people left to refer in {name}")
    sample, people = picked[0], picked[1:]
    before = counts()
    issue_queries, decide_queries = queries_of_one(staff, sample)
    load_start = os.getloadavg()
    timings = Timings()

    started = time.perf_counter()
    referrals = []
    for index, (_pk, fin, region) in enumerate(people):
        t = time.perf_counter()
        referrals.append(issue_one(staff, index, fin, region))
        timings.issue.append(time.perf_counter() - t)
    timings.issue_total = time.perf_counter() - started
    print(f"issued {len(referrals):,} referrals in {timings.issue_total:.1f} s")

    started = time.perf_counter()
    for index, referral in enumerate(referrals):
        decide_one(staff, index, referral, timings)
        if (index + 1) % 1000 == 0:
            print(f"  decided {index + 1:,} in {time.perf_counter() - started:.1f} s", flush=True)
    timings.decide_total = time.perf_counter() - started

    after = counts()
    measure_baseline(people, timings)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = str(cursor.fetchone()[0]).split(" on ")[0]
    report(args, population, timings, before, after, (issue_queries, decide_queries), server)
    load_after = os.getloadavg()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"load average before {_load(load_before)} (at the start of the measurement "
        f"{_load(load_start)}), after {_load(load_after)}; {os.cpu_count()} cores"
    )
    print(f"peak RSS {rss:.0f} MiB")


def _load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _row(label: str, values: list[float]) -> str:
    return (
        f"  {label:<38} p50 {_ms(values, 0.5):8.2f} ms   p99 {_ms(values, 0.99):8.2f} ms"
        f"   mean {statistics.fmean(values) * 1000:8.2f} ms"
    )


def report(
    args: argparse.Namespace,
    population: int,
    timings: Timings,
    before: dict[str, int],
    after: dict[str, int],
    queries: tuple[int, int],
    server: str,
) -> None:
    n = len(timings.issue)
    made = {key: after[key] - before[key] for key in after}
    issue_rate = n / timings.issue_total
    decide_rate = n / timings.decide_total
    baseline_rate = n / timings.baseline_total
    bulk_rate = n / timings.bulk_total
    both = [a + b for a, b in zip(timings.issue, timings.decide, strict=True)]
    print()
    print(f"disability register: {n:,} referrals over a registry of {population:,} people")
    print(f"  ({server}; written: {made})")
    print(f"  issue + assignment     {issue_rate:10.1f} referrals/s ({timings.issue_total:.1f} s)")
    print(
        f"  draft + 3 signatures   {decide_rate:10.1f} decisions/s ({timings.decide_total:.1f} s)"
    )
    total = timings.issue_total + timings.decide_total
    print(f"  end to end             {n / total:10.1f} referrals decided/s ({total:.1f} s)")
    print(f"  baseline, create()     {baseline_rate:10.1f} rows/s ({timings.baseline_total:.2f} s)")
    print(f"  baseline, bulk_create  {bulk_rate:10.1f} rows/s ({timings.bulk_total:.2f} s)")
    print("latency per referral:")
    print(_row("issue (referral_issue)", timings.issue))
    print(_row("decide (draft + 3 signatures)", timings.decide))
    print(_row("  of which draft", timings.draft))
    print(_row("  of which a non-deciding signature", timings.sign))
    print(_row("  of which the deciding signature", timings.last))
    print(_row("end to end (issue + decide)", both))
    print(_row("baseline: DisabilityDecision.create()", timings.baseline))
    ratio = statistics.fmean(timings.decide) / statistics.fmean(timings.baseline)
    print(f"  decide / baseline (means): {ratio:.0f}×")
    print(f"queries for one referral: issue {queries[0]}, draft + 3 signatures {queries[1]}")
    if n < EXTRAPOLATE_TO:
        scale = EXTRAPOLATE_TO / n
        print(
            f"extrapolated to {EXTRAPOLATE_TO:,} referrals (linear, ×{scale:g}): issue "
            f"{timings.issue_total * scale:.0f} s, decide {timings.decide_total * scale:.0f} s, "
            f"end to end {total * scale / 60:.1f} min"
        )


if __name__ == "__main__":
    main()

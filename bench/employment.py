"""Benchmark: the employment register at national scale on PostgreSQL (issue 16).

    .venv/bin/python bench/employment.py [--people 10000000] [--job-seekers 200000]
                                         [--vacancies 100000] [--contracts 5000] [--reuse]

Creates (or with --reuse keeps) the database `meis_bench_employment_<N>` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432; when it has no people, generates the registry (`registry_generate`;
not the contracts register's history: `contracts_generate` stops on a null `concluded_on` at
10 M people today, so the register holds the day's new contracts only); when it has no
registrations, the employment
register (`meis.employment.synthetic`, timed): about 200,000 open registrations and 100,000 open
vacancies, as on today (the search reads the clock). Then, each figure beside its target and a
baseline measured in the same run:

(a) the public vacancy search (`search.vacancy_search`) over a mix of queries — words with and
    without the Azerbaijani letters and as prefixes, region, occupation and salary filters and
    their combinations, no filter at all, each at page 1 and some at a deep page: p50 and p99.
    Baseline: the same filters with each word as `title__icontains` (no full-text index) and a
    plain count and slice, as a first version would write it;
(b) suggestions for one job seeker (`selectors.vacancies_suggested`) for random open
    registrations: p50 and p99. Baseline: the same person's suggestions assembled from the public
    search, one search per occupation, merged in Python;
(c) the daily status job (`services.statuses_end`) after `--contracts` new contracts of
    unemployed people, committed, and the same day again (its floor). Baseline: the loop a first
    version would run, one query per open registration for a contract started since it (on a
    sample, scaled to all of them; it finds, it does not end).

Prints the load average before and after: the machine has two cores and other work may share them.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")

import django  # noqa: E402

from bench._database import database_create  # noqa: E402
from bench.award_ends import _cpu_seconds, _load  # noqa: E402

TARGET_SEARCH_MS = 50.0
TARGET_SUGGEST_MS = 50.0
TARGET_STATUSES_S = 10.0
BASELINE_SAMPLE = 5_000  # registrations the per-person loop checks (scaled to all)
DEEP_PAGE = 50  # results 981–1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000_000)
    parser.add_argument("--job-seekers", type=int, default=200_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--contracts", type=int, default=5_000)
    parser.add_argument("--searches", type=int, default=600)
    parser.add_argument("--suggestions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database and its data")
    args = parser.parse_args()
    name = os.environ.get("MEIS_BENCH_DB", f"meis_bench_employment_{args.people}")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    load_before = os.getloadavg()
    database_create(name, args.reuse)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args)
    tables_vacuum()
    print(f"\nEmployment register — {args.people:,} people, database {name}, {os.cpu_count()} CPUs")
    rng = random.Random(args.seed)
    search(rng, args.searches)
    suggestions(rng, args.suggestions)
    statuses(rng, args.contracts)
    print(
        f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(os.getloadavg())}"
    )


# -- data -----------------------------------------------------------------------------------------


def generate(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from meis.employment.models import JobSeeker
    from meis.employment.synthetic import employment_generate
    from meis.registry.models import Person
    from meis.registry.synthetic import registry_generate

    today = timezone.localdate()
    if not Person.objects.exists():
        started = time.perf_counter()
        registry_generate(people=args.people, seed=args.seed, as_of=today)
        print(f"registry: {args.people:,} people in {time.perf_counter() - started:.1f} s")
    if JobSeeker.objects.exists():
        print("reusing the employment register: run without --reuse to generate it again")
        return
    started = time.perf_counter()
    result = employment_generate(
        job_seekers=args.job_seekers, vacancies=args.vacancies, seed=args.seed, on=today
    )
    print(f"employment register generated in {time.perf_counter() - started:.1f} s: {result}")


def tables_vacuum() -> None:
    """What autovacuum does to a table that has settled: the visibility map lets the salary
    count read its index alone, and the statistics are the data's (not the empty table's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("employment_vacancy", "employment_jobseeker", "employment_referral"):
            cursor.execute(f"VACUUM ANALYZE {table}")


# -- (a) search -----------------------------------------------------------------------------------


def search(rng: random.Random, count: int) -> None:
    from meis.employment.search import vacancy_search

    kinds = query_kinds()
    plan = [kind for kind in kinds for _ in range(max(1, count // len(kinds)))]
    rng.shuffle(plan)
    queries = [(kind, kinds[kind](rng)) for kind in plan]
    for _, query in queries[:20]:  # warm the caches: the figures are of a running service
        vacancy_search(**query)
    ours = timed_each([q for _, q in queries], lambda q: vacancy_search(**q))
    plain = timed_each([q for _, q in queries], baseline_search)
    print(f"\n(a) vacancy search, {len(queries)} queries of {len(kinds)} kinds")
    print(f"    {'kind':<34}{'p50 ms':>9}{'p99 ms':>9}   baseline (icontains) p50, p99")
    for kind in kinds:
        mine = [t for (k, _), t in zip(queries, ours, strict=True) if k == kind]
        theirs = [t for (k, _), t in zip(queries, plain, strict=True) if k == kind]
        print(
            f"    {kind:<34}{p(mine, 50):9.1f}{p(mine, 99):9.1f}   "
            f"{p(theirs, 50):.1f}, {p(theirs, 99):.1f}"
        )
    print(
        f"    all: p50 {p(ours, 50):.1f} ms, p99 {p(ours, 99):.1f} ms "
        f"(target p99 ≤ {TARGET_SEARCH_MS:.0f} ms); baseline p50 {p(plain, 50):.1f} ms, "
        f"p99 {p(plain, 99):.1f} ms"
    )


Query = dict[str, Any]


def query_kinds() -> dict[str, Callable[[random.Random], Query]]:
    """Each kind of query a visitor types, drawn from the register's own words and filters."""
    from meis.employment.search import fold
    from meis.labour.models import Occupation
    from meis.registry.models import Region

    used = Occupation.objects.filter(pk__in=open_vacancy_occupations())
    titles = [(o.code, o.title_az.split()[0].lower()) for o in used]
    words = [w for _, w in titles if len(w) >= 5]
    marked = [w for w in words if fold(w) != w] or words
    regions = [r.value for r in Region]
    common = ["təcrübəli", "işçi", "ödənilir", "tələb"]

    def salary(rng: random.Random) -> int:
        return rng.choice([50_000, 80_000, 100_000, 150_000, 250_000])

    return {
        "word with diacritics": lambda r: {"text": r.choice(marked)},
        "same word folded (no diacritics)": lambda r: {"text": fold(r.choice(marked))},
        "prefix of 4 letters": lambda r: {"text": fold(r.choice(words))[:4]},
        "common word (many matches)": lambda r: {"text": r.choice(common)},
        "two words": lambda r: {"text": f"{r.choice(words)} {r.choice(common)}"},
        "word + region": lambda r: {"text": r.choice(words), "region": r.choice(regions)},
        "region": lambda r: {"region": r.choice(regions)},
        "occupation": lambda r: {"occupation_code": r.choice(titles)[0]},
        "minimum salary": lambda r: {"min_salary_qepik": salary(r)},
        "region + occupation + salary": lambda r: {
            "region": "baku",
            "occupation_code": r.choice(titles)[0],
            "min_salary_qepik": salary(r),
        },
        "no filter": lambda r: {},
        f"no filter, page {DEEP_PAGE}": lambda r: {"page": DEEP_PAGE},
        f"region, page {DEEP_PAGE}": lambda r: {"region": "baku", "page": DEEP_PAGE},
        f"common word, page {DEEP_PAGE}": lambda r: {"text": r.choice(common), "page": DEEP_PAGE},
    }


def open_vacancy_occupations() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT occupation_id FROM employment_vacancy WHERE status = 'open'"
        )
        return [row[0] for row in cursor.fetchall()]


def baseline_search(query: Query) -> object:
    """The same filters, each word a case-insensitive substring of the title, counted whole."""
    from meis.employment.search import vacancies_open

    vacancies = vacancies_open()
    if query.get("region"):
        vacancies = vacancies.filter(region=query["region"])
    if query.get("occupation_code"):
        vacancies = vacancies.filter(occupation__code=query["occupation_code"])
    if query.get("min_salary_qepik") is not None:
        vacancies = vacancies.filter(salary_qepik__gte=query["min_salary_qepik"])
    for word in str(query.get("text", "")).split():
        vacancies = vacancies.filter(title__icontains=word)
    total = vacancies.count()
    start = (int(query.get("page", 1)) - 1) * 20
    page = vacancies.select_related("employer", "occupation").order_by("-posted_at", "-pk")
    return total, list(page[start : start + 20])


# -- (b) suggestions ------------------------------------------------------------------------------


def suggestions(rng: random.Random, count: int) -> None:
    from meis.employment.models import OPEN_STATES, JobSeeker
    from meis.employment.selectors import vacancies_suggested

    ids = list(
        JobSeeker.objects.filter(state__in=OPEN_STATES).values_list("pk", flat=True)[:1_000_000]
    )
    chosen = rng.sample(ids, min(count, len(ids)))
    people = list(JobSeeker.objects.select_related("person").filter(pk__in=chosen))
    for seeker in people[:10]:
        vacancies_suggested(job_seeker=seeker)
    found: list[int] = []

    def suggest(seeker: Any) -> None:
        found.append(len(vacancies_suggested(job_seeker=seeker)))

    ours = timed_each(people, suggest)
    plain = timed_each(people, baseline_suggest)
    print(f"\n(b) suggestions for one job seeker, {len(people)} job seekers")
    print(
        f"    p50 {p(ours, 50):.1f} ms, p99 {p(ours, 99):.1f} ms (target p99 ≤ "
        f"{TARGET_SUGGEST_MS:.0f} ms); {sum(1 for n in found if n):,} of them got suggestions, "
        f"{statistics.mean(found):.1f} on average"
    )
    print(
        f"    baseline, one public search per occupation merged: p50 {p(plain, 50):.1f} ms, "
        f"p99 {p(plain, 99):.1f} ms"
    )


def baseline_suggest(seeker: Any) -> list[Any]:
    from meis.employment.search import vacancy_search

    region = seeker.desired_region or seeker.person.region
    found = []
    for occupation in seeker.occupations.all():
        page = vacancy_search(
            region=region,
            occupation_code=occupation.code,
            min_salary_qepik=seeker.desired_salary_qepik,
            per_page=10,
        )
        found += page.items
    return sorted(found, key=lambda v: (-v.salary_qepik, v.closes_on))[:10]


# -- (c) the daily status job ---------------------------------------------------------------------


def statuses(rng: random.Random, count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from meis.employment.services import statuses_end
    from meis.notifications.models import Message

    today = timezone.localdate()
    hired = contracts_write(rng, count, today)
    loop_seconds, loop_checked, loop_found, open_count = baseline_statuses(rng, today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    letters = Message.objects.count()
    python_cpu, database_cpu = _cpu_seconds(os.getpid()), _cpu_seconds(backend)
    started = time.perf_counter()
    ended = statuses_end(on=today)
    seconds = time.perf_counter() - started
    python_cpu = _cpu_seconds(os.getpid()) - python_cpu
    database_cpu = _cpu_seconds(backend) - database_cpu
    letters = Message.objects.count() - letters
    started = time.perf_counter()
    again = statuses_end(on=today)
    seconds_again = time.perf_counter() - started
    scaled = loop_seconds * open_count / max(1, loop_checked)
    print(f"\n(c) daily status job on {today}: {hired:,} unemployed people hired since yesterday")
    print(
        f"    statuses_end: {seconds:.2f} s (target ≤ {TARGET_STATUSES_S:.0f} s), ended {ended}, "
        f"{letters:,} letters queued; processor seconds: Python {python_cpu:.2f}, its "
        f"PostgreSQL process {database_cpu:.2f}"
    )
    print(f"    the same day again: {seconds_again:.2f} s, ended {again or 'none'}")
    print(
        f"    baseline, a query per open registration: {loop_seconds:.2f} s for "
        f"{loop_checked:,} (found {loop_found}), so {scaled:.0f} s for all {open_count:,} "
        f"(finding only, nothing ended)"
    )


def contracts_write(rng: random.Random, count: int, today: datetime.date) -> int:
    """Main-job contracts starting today for `count` unemployed people, written with COPY as a
    day's notifications would leave them."""
    import polars as pl
    from django.db import transaction
    from django.utils import timezone

    from meis.core import bulk
    from meis.employment.models import JobSeeker
    from meis.labour.models import Contract, Occupation
    from meis.registry.models import Employer

    people = list(
        JobSeeker.objects.filter(state="active", status="unemployed")
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    chosen = rng.sample(people, min(count, len(people)))
    top = Employer.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    occupations = list(Occupation.objects.values_list("pk", flat=True))
    frame = pl.DataFrame(
        {
            "employer_id": [rng.randint(1, top) for _ in chosen],
            "person_id": chosen,
            "occupation_id": [rng.choice(occupations) for _ in chosen],
            "position": "İşçi",
            "workplace": "Bakı",
            "monthly_wage_qepik": 60_000,
            "weekly_hours": 40,
            "term": "indefinite",
            "probation_months": 0,
            "is_main_job": True,
            "concluded_on": today - datetime.timedelta(days=1),
            "start_on": today,
            "status": "active",
            "registered_at": timezone.now(),
            "is_late": False,
            "version": 1,
        }
    )
    with transaction.atomic():
        bulk.frame_write(Contract._meta.db_table, frame)
    return frame.height


def baseline_statuses(rng: random.Random, today: datetime.date) -> tuple[float, int, int, int]:
    """Per registration, one query for a contract in force started since it was registered."""
    from meis.employment.models import OPEN_STATES, JobSeeker
    from meis.labour.models import Contract, ContractStatus

    registrations = list(
        JobSeeker.objects.filter(state__in=OPEN_STATES).values_list(
            "pk", "person_id", "registered_on"
        )
    )
    sample = rng.sample(registrations, min(BASELINE_SAMPLE, len(registrations)))
    started = time.perf_counter()
    found = 0
    for _pk, person_id, registered_on in sample:
        found += Contract.objects.filter(
            person_id=person_id,
            status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED),
            start_on__lte=today,
            start_on__gte=registered_on,
        ).exists()
    return time.perf_counter() - started, len(sample), found, len(registrations)


# -- helpers --------------------------------------------------------------------------------------


def timed_each(items: list[Any], action: Callable[[Any], object]) -> list[float]:
    """Milliseconds of `action` on each item, one after another."""
    times = []
    for item in items:
        started = time.perf_counter()
        action(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def p(values: list[float], q: int) -> float:
    """The q-th percentile (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


if __name__ == "__main__":
    main()

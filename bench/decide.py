"""Benchmark: deciding applications on the registry's facts — the pre-check and the approval.

    .venv/bin/python bench/decide.py --people 1000000 [--cases 300] [--reuse]

Creates (or with --reuse keeps) the database `meis_bench_decide_<N>` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432, generates the synthetic registry and its facts (`meis registry
generate`'s functions: people, households, insurance accounts, household means) and imports the
seed catalogue. Then, in-process on PostgreSQL, for `--cases` applicants drawn from the registry
— half heads of families with recorded means applying for targeted assistance, half people
past pension age with 25 years of record applying for the old-age pension, none already
holding an award or a case — it files each application (`case_submit`, with its documents and
answers that agree with the registers) and measures:

(a) the pre-check, `case_pre_check(case)`: the registers' facts gathered for the scheme
    (`meis.eligibility`), merged with the answers, the rules evaluated, the explanation written
    in az, en and ru. Target p99 ≤ 20 ms (issue 14);
(b) the approval, `case_approve` of each case the rules find eligible, taken by a case worker:
    one transaction with the rules evaluated again on the registers, the award granted with its
    decision record, the decision, the timeline and audit events and the letter (outbox rows
    with the explanation). Target p99 ≤ 50 ms;
(c) baselines in the same run: the rules alone on the same facts (`RulesHandler.evaluate`, the
    engine's share of (a)), and `case_claim` on the same cases (one conditional UPDATE with its
    timeline and audit events: the floor of any audited decision).

Prints p50/p99 and the mean per phase beside the targets, the counts, the cores and the load
average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")  # every upload says no virus scanner is configured
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="meis-bench-decide-"))

import django  # noqa: E402

from bench._database import database_create  # noqa: E402

TARGET_PRE_CHECK_P99_MS = 20.0
TARGET_APPROVAL_P99_MS = 50.0
TARGETED = "targeted-social-assistance"
OLD_AGE = "old-age-pension"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=300, help="applications filed and measured")
    parser.add_argument("--reuse", action="store_true", help="keep the database and its registry")
    args = parser.parse_args()
    name = os.environ.get("MEIS_BENCH_DB", f"meis_bench_decide_{args.people}")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    fresh = database_create(name, args.reuse)
    django.setup()
    from django.core.management import call_command

    from meis.catalog.services import catalog_import_seed

    call_command("migrate", verbosity=0)
    catalog_import_seed()
    if fresh:
        generate(args.people)
    else:
        print(f"reusing {name} (its earlier applicants are left out)")
    measure(args.people, args.cases, name)


def generate(people: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from meis.lifeevents.synthetic import facts_generate
    from meis.registry.synthetic import registry_generate

    started = time.perf_counter()
    today = timezone.localdate()
    registry_generate(people=people, seed=1, as_of=today)
    facts_generate(seed=1, on=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"registry and facts: {people:,} people in {time.perf_counter() - started:.1f} s")


# -- the applicants --------------------------------------------------------------------------------

_NOT_YET = """NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.person_id = {person})
    AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.person_id = {person}
                    AND w.status IN ('active', 'suspended'))"""

FAMILIES_SQL = f"""SELECT m.person_id, hm.income_12_months_qepik, hm.has_vehicle,
        (SELECT count(*) FROM registry_householdmembership x
         WHERE x.household_id = m.household_id AND x.left_on IS NULL) AS members
    FROM registry_householdmembership m
    JOIN lifeevents_householdmeans hm ON hm.household_id = m.household_id
    JOIN registry_person p ON p.id = m.person_id
    WHERE m.left_on IS NULL AND m.relation = 'head' AND p.died_on IS NULL
      AND hm.declaration_matches_checks AND NOT hm.has_vehicle
      AND hm.refused_suitable_jobs < 2 AND hm.same_purpose_real_estate_units < 2
      AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.household_id = m.household_id
                      AND w.status IN ('active', 'suspended'))
      AND {_NOT_YET.format(person="m.person_id")}
    ORDER BY hashtext(m.person_id::text) LIMIT %s"""  # noqa: S608 — constant SQL

PENSIONERS_SQL = f"""SELECT p.id FROM registry_person p
    JOIN insurance_insuranceaccount a ON a.person_id = p.id
    WHERE p.died_on IS NULL AND a.record_months >= 300
      AND p.birth_on BETWEEN %s AND %s
      AND {_NOT_YET.format(person="p.id")}
    ORDER BY hashtext(p.id::text) LIMIT %s"""  # noqa: S608 — constant SQL


def applicants(count: int) -> tuple[list[tuple[int, dict[str, Any]]], list[int]]:
    """Families (head, answers that agree with the registers) and pensioners to apply for."""
    from django.db import connection
    from django.utils import timezone

    half = max(1, count // 2)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(FAMILIES_SQL, [half])
        families = [
            (
                int(person_id),
                {
                    "members": str(members),
                    "income_12_months_qepik": f"{income / 100:.2f}",
                    "has_vehicle": "yes" if vehicle else "no",
                },
            )
            for person_id, income, vehicle, members in cursor.fetchall()
            if 1 <= members <= 30
        ]
        # Past every pension age of the schedule (65 for men, 64.5 for women in 2026), under 80.
        cursor.execute(
            PENSIONERS_SQL,
            [today.replace(year=today.year - 80), today.replace(year=today.year - 66), half],
        )
        pensioners = [int(row[0]) for row in cursor.fetchall()]
    return families, pensioners


def iban() -> str:
    body = "NABZ" + "0" * 12 + "12345678"
    digits = "".join(str(int(c, 36)) for c in body + "AZ00")
    return f"AZ{98 - int(digits) % 97:02d}{body}"


def pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\nbench\n%%EOF\n", "application/pdf")


def file_cases(count: int) -> list[Any]:
    """File the applications (not measured): case_submit with documents, portal contact."""
    from django.contrib.auth.models import AnonymousUser

    from meis.cases import services
    from meis.catalog.selectors import eservice_version_current
    from meis.centres.models import ServiceCentre
    from meis.registry.models import Person

    families, pensioners = applicants(count)
    centre = ServiceCentre.objects.order_by("code")[0]
    contact = {"contact_phone": "050 123 45 67", "bank_account_iban": iban()}
    plan = [
        (
            person_id,
            TARGETED,
            {**answers, **contact},
            ["identity_card", "family_composition_certificate"],
        )
        for person_id, answers in families
    ] + [(person_id, OLD_AGE, contact, ["identity_card"]) for person_id in pensioners]
    people = Person.objects.in_bulk([person_id for person_id, *_ in plan])
    versions = {code: eservice_version_current(code=code) for code in (TARGETED, OLD_AGE)}
    cases = []
    for person_id, code, answers, documents in plan:
        cases.append(
            services.case_submit(
                person=people[person_id],
                version=versions[code],
                answers=answers,
                channel="portal",
                actor=AnonymousUser(),
                centre=centre,
                contact_channel="portal",
                contact_value="",
                idempotency_key=str(uuid.uuid4()),
                documents=[(document, pdf()) for document in documents],
            ).case
        )
    return cases


def case_worker(centre_id: int) -> Any:
    from django.contrib.auth.models import User

    from meis.accounts.models import StaffProfile
    from meis.accounts.services import staff_groups_ensure

    username = f"bench-decide-{uuid.uuid4().hex[:8]}"
    user = User.objects.create_user(username=username, is_staff=True)
    user.groups.add(staff_groups_ensure()["case_worker"])
    StaffProfile.objects.create(
        user=user,
        centre_id=centre_id,
        subsystems=["targeted_assistance", "pensions"],
        institution="Bench DOST centre",
    )
    return user


# -- measuring ------------------------------------------------------------------------------------


def timed(items: list[Any], action: Callable[[Any], Any]) -> tuple[list[float], list[Any]]:
    """Seconds of `action(item)` for each item, and what each returned."""
    seconds, results = [], []
    for item in items:
        started = time.perf_counter()
        results.append(action(item))
        seconds.append(time.perf_counter() - started)
    return seconds, results


def line(label: str, seconds: list[float], target_ms: float | None = None) -> str:
    if not seconds:
        return f"{label:<44} no cases"
    ordered = sorted(seconds)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000
    mean = statistics.fmean(seconds) * 1000
    text = (
        f"{label:<44} {len(seconds):>4}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  mean {mean:6.1f} ms"
    )
    if target_ms is not None:
        verdict = "met" if p99 <= target_ms else "MISSED"
        text += f"   target p99 ≤ {target_ms:.0f} ms: {verdict}"
    return text


def measure(people: int, count: int, name: str) -> None:
    from meis.awards.models import Award
    from meis.cases import services
    from meis.cases.selectors import case_pre_check, case_rules_result
    from meis.catalog.handlers import PreCheckOutcome, handler_resolve
    from meis.catalog.selectors import version_definition
    from meis.notifications.models import Message

    load_before = os.getloadavg()
    started = time.perf_counter()
    cases = file_cases(count)
    print(f"filed {len(cases)} applications in {time.perf_counter() - started:.1f} s")
    if not cases:
        raise SystemExit("no applicants left in the registry: run without --reuse")

    # A warm process: the first pre-check of each scheme compiles its rules and loads the
    # explanations (once per process, as a web worker has long done); shown, not counted.
    first_of_scheme = list({case.service_version_id: case for case in reversed(cases)}.values())
    warm_up, _ = timed(first_of_scheme, case_pre_check)
    pre_check, stored = timed(cases, case_pre_check)
    results = [case_rules_result(case) for case in cases]
    handlers = [handler_resolve(version_definition(case.service_version).handler) for case in cases]
    rules_alone, _ = timed(
        list(zip(handlers, results, cases, strict=True)),
        lambda item: item[0].evaluate(
            {k: v["value"] for k, v in item[1].facts.items() if v.get("value") is not None},
            on=item[2].submitted_on,
        ),
    )
    eligible = [
        case
        for case, result in zip(cases, results, strict=True)
        if result.outcome == PreCheckOutcome.ELIGIBLE
    ]
    worker = case_worker(cases[0].centre_id)
    claim, claimed = timed(
        eligible,
        lambda case: services.case_claim(case=case, actor=worker, expected_version=case.version),
    )

    def approve(case: Any) -> Any:
        return services.case_approve(case=case, actor=worker, expected_version=case.version)

    awards_before, letters_before = Award.objects.count(), Message.objects.count()
    # The day's first decision of each scheme also writes its decision basis (the parameters
    # in force): shown, not counted.
    firsts = {case.service_version_id: case for case in reversed(claimed)}
    approval_warm_up, _ = timed(list(firsts.values()), approve)
    approval, _ = timed([c for c in claimed if c not in firsts.values()], approve)
    awards = Award.objects.count() - awards_before
    letters = Message.objects.count() - letters_before
    load_after = os.getloadavg()

    outcomes: dict[str, int] = {}
    for result in stored:
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
    print(f"\nDeciding applications — registry of {people:,} people, database {name}")
    print(
        f"applications: {len(cases)} ({sum(c.service_version.definition['code'] == TARGETED for c in cases)} "
        f"targeted assistance, the rest old-age pension); pre-check outcomes {outcomes}"
    )
    print(line("(a) pre-check with registry facts", pre_check, TARGET_PRE_CHECK_P99_MS))
    print(
        "    warm-up, first pre-check of each scheme (not counted): "
        + ", ".join(f"{seconds * 1000:.1f} ms" for seconds in warm_up)
    )
    print(
        "    warm-up, first approval of each scheme (writes its basis; not counted): "
        + ", ".join(f"{seconds * 1000:.1f} ms" for seconds in approval_warm_up)
    )
    print(line("(b) approval with award, letter and audit", approval, TARGET_APPROVAL_P99_MS))
    print(f"    awards granted: {awards}, letter rows written: {letters}")
    print(line("(c) baseline: the rules alone on those facts", rules_alone))
    print(line("(c) baseline: case_claim (transition + audit)", claim))
    print(f"{os.cpu_count()} CPUs; in-process, one connection to PostgreSQL on 127.0.0.1")
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load_after)}")


def _load(load: tuple[float, float, float]) -> str:
    return "/".join(f"{value:.2f}" for value in load)


if __name__ == "__main__":
    main()

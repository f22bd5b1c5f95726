"""The synthetic register: a country's contract histories since 2014, realistic and repeatable."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from django.db.models import QuerySet
from polars.testing import assert_frame_equal

from meis.core.identifiers import normalize_voen
from meis.insurance.models import InsuranceAccount
from meis.labour import synthetic
from meis.labour.models import Contract, ContractVersion, TerminationGround
from meis.labour.synthetic import ContractsResult, GeneratorError, contracts_generate
from meis.labour.tests.factories import EmployerFactory
from meis.lifeevents.synthetic import facts_generate
from meis.registry.models import Employer, Person
from meis.registry.synthetic import Counters, employer_frame, random_stream, registry_generate
from meis.registry.tests.factories import PersonFactory
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme

AS_OF = datetime.date(2020, 3, 1)
BAKU = ZoneInfo("Asia/Baku")
AS_OF_BEGINS = datetime.datetime(2020, 3, 1, tzinfo=BAKU)
REGISTER_START = datetime.date(2014, 7, 1)
FIRST_MINIMUM_WAGE = datetime.date(2013, 1, 1)  # the parameters' first value
NEVER = datetime.date(9999, 12, 31)
CONTRACT_FIELDS = (
    "id",
    "employer_id",
    "person_id",
    "occupation_id",
    "position",
    "workplace",
    "monthly_wage_qepik",
    "weekly_hours",
    "term",
    "fixed_end_on",
    "probation_months",
    "is_main_job",
    "concluded_on",
    "start_on",
    "status",
    "suspended_from",
    "terminated_on",
    "termination_ground_id",
    "registered_at",
    "is_late",
    "version",
)
VERSION_FIELDS = (
    "id",
    "contract_id",
    "number",
    "notice",
    "effective_on",
    "termination_ground_id",
    "registered_at",
    "assurance",
    "is_late",
    "monthly_wage_qepik",
    "weekly_hours",
    "term",
    "fixed_end_on",
    "occupation_id",
    "position",
    "workplace",
    "probation_months",
    "is_main_job",
)


@dataclass(frozen=True)
class Register:
    """The generated register as frames, with the people and employers it refers to."""

    result: ContractsResult
    contracts: pl.DataFrame
    versions: pl.DataFrame
    people: pl.DataFrame

    @property
    def in_force(self) -> pl.DataFrame:
        return self.contracts.filter(pl.col("status") != "terminated")


def frame(queryset: QuerySet[Any], fields: tuple[str, ...]) -> pl.DataFrame:
    rows = list(queryset.order_by("id").values_list(*fields))
    return pl.DataFrame(rows, schema=list(fields), orient="row", infer_schema_length=None)


def register_read(result: ContractsResult) -> Register:
    people = frame(Person.objects.all(), ("id", "birth_on", "died_on", "sex"))
    employers = frame(Employer.objects.all(), ("id", "sector"))
    contracts = (
        frame(Contract.objects.all(), CONTRACT_FIELDS)
        .join(people.rename({"id": "person_id"}), on="person_id")
        .join(employers.rename({"id": "employer_id"}), on="employer_id")
        .sort("id")
    )
    return Register(result, contracts, frame(ContractVersion.objects.all(), VERSION_FIELDS), people)


def generate(*, people: int, seed: int, batch_size: int = synthetic.DEFAULT_BATCH_SIZE) -> Register:
    registry_generate(people=people, seed=seed, as_of=AS_OF)
    return register_read(contracts_generate(seed=seed, as_of=AS_OF, batch_size=batch_size))


@pytest.fixture
def country(db: None) -> Register:
    return generate(people=5_000, seed=3)


def share_of(mask: pl.Series) -> float:
    return int(mask.cast(pl.Int64).sum()) / max(1, mask.len())


def years(since: pl.Expr, until: pl.Expr) -> pl.Expr:
    return (until - since).dt.total_days() / 365.2425


def overlapping(contracts: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Pairs of contracts with the same `on` columns whose periods overlap."""
    periods = contracts.select("id", *on, "start_on", end=pl.col("terminated_on").fill_null(NEVER))
    pairs = periods.join(periods, on=on, suffix="_other").filter(
        (pl.col("id") < pl.col("id_other"))
        & (pl.col("start_on") <= pl.col("end_other"))
        & (pl.col("start_on_other") <= pl.col("end"))
    )
    return pairs


# --- Repeatable ------------------------------------------------------------------------------


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 400 people, so that 1,500 people span several blocks and batches."""
    monkeypatch.setattr(synthetic, "BLOCK", 400)


def test_the_same_seed_gives_the_same_register_whatever_the_batch_size(db, small_blocks):
    first = generate(people=1_500, seed=5, batch_size=400)
    ContractVersion.objects.all().delete()
    Contract.objects.all().delete()
    InsuranceAccount.objects.all().delete()

    again = register_read(contracts_generate(seed=5, as_of=AS_OF, batch_size=1_200))

    assert first.contracts.height > 100
    assert_frame_equal(first.contracts, again.contracts)
    assert_frame_equal(first.versions, again.versions)
    assert first.result == again.result


def test_another_seed_gives_other_careers(db):
    registry_generate(people=1_500, seed=5, as_of=AS_OF)
    contracts_generate(seed=5, as_of=AS_OF)
    first = list(Contract.objects.order_by("id").values_list("person_id", "start_on")[:50])
    ContractVersion.objects.all().delete()
    Contract.objects.all().delete()
    InsuranceAccount.objects.all().delete()

    contracts_generate(seed=6, as_of=AS_OF)

    assert list(Contract.objects.order_by("id").values_list("person_id", "start_on")[:50]) != first


def test_a_register_that_has_contracts_is_not_generated_again(db):
    registry_generate(people=300, seed=2, as_of=AS_OF)
    contracts_generate(seed=2, as_of=AS_OF)

    with pytest.raises(GeneratorError, match="already holds contracts"):
        contracts_generate(seed=2, as_of=AS_OF)


# --- The law's constraints -------------------------------------------------------------------


def test_nobody_ever_holds_two_main_jobs_at_once(country):
    main = country.contracts.filter(pl.col("is_main_job"))
    assert overlapping(main, ["person_id"]).height == 0
    assert country.in_force.filter(pl.col("is_main_job"))["person_id"].is_unique().all()


def test_nobody_ever_holds_two_contracts_with_one_employer_at_once(country):
    assert overlapping(country.contracts, ["person_id", "employer_id"]).height == 0


def test_workers_are_15_or_older_alive_and_mostly_18_to_63(country):
    contracts = country.contracts.with_columns(age=years(pl.col("birth_on"), pl.col("start_on")))
    assert contracts["age"].min() >= 15
    assert contracts.filter(pl.col("age").is_between(18, 63))["age"].len() >= 0.9 * contracts.height
    died = contracts.filter(pl.col("died_on").is_not_null())
    assert (died["start_on"] < died["died_on"]).all()
    assert (died["terminated_on"].fill_null(NEVER) <= died["died_on"]).all()
    reduced_week = pl.when(pl.col("age") < 16).then(24).when(pl.col("age") < 18).then(36)
    assert contracts.filter(pl.col("weekly_hours") > reduced_week).height == 0


def minimum_wage_met(terms: pl.DataFrame, on: str) -> pl.Series:
    """The rules' minimum-wage check of each row on its `on` date (the first value before it)."""
    scheme = get_scheme("minimum_wage")
    checked = []
    for (day,), group in terms.with_columns(
        day=pl.max_horizontal(pl.col(on), pl.lit(FIRST_MINIMUM_WAGE))
    ).group_by("day"):
        assert isinstance(day, datetime.date)
        result = evaluate_batch(
            scheme, group.select("id", "monthly_wage_qepik", "weekly_hours"), on=day
        )
        checked.append(result.select("id", "is_compliant"))
    return pl.concat(checked)["is_compliant"]


def test_every_wage_meets_the_minimum_wage_for_its_hours_when_it_takes_effect(country):
    set_wages = country.versions.filter(pl.col("notice").is_in(["conclusion", "amendment"]))
    assert minimum_wage_met(set_wages, "effective_on").all()
    in_force = country.in_force.with_columns(today=pl.lit(AS_OF))
    assert minimum_wage_met(in_force, "today").all()
    full_time = country.in_force.filter(pl.col("weekly_hours") == 40)["monthly_wage_qepik"]
    assert full_time.min() < full_time.median() < full_time.max()


def test_a_terminated_contract_has_a_ground_and_ends_after_it_starts(country):
    terminated = country.contracts.filter(pl.col("status") == "terminated")
    assert terminated["termination_ground_id"].null_count() == 0
    assert (terminated["terminated_on"] >= terminated["start_on"]).all()
    assert (terminated["terminated_on"] < AS_OF).all()
    in_force = country.in_force
    assert in_force["terminated_on"].null_count() == in_force.height
    assert in_force["termination_ground_id"].null_count() == in_force.height
    assert (country.contracts["concluded_on"] <= country.contracts["start_on"]).all()
    assert (country.contracts["start_on"] < AS_OF).all()
    fixed = in_force.filter(pl.col("term") == "fixed")
    assert (fixed["fixed_end_on"] >= AS_OF).all()


def test_each_contract_has_the_notifications_that_made_it(country):
    versions = country.versions.sort("contract_id", "number")
    per_contract = versions.group_by("contract_id", maintain_order=True).agg(
        first=pl.col("notice").first(),
        last=pl.col("notice").last(),
        numbers=pl.col("number"),
        terminations=(pl.col("notice") == "termination").sum(),
    )
    assert (per_contract["first"] == "conclusion").all()
    assert per_contract["numbers"].to_list() == [
        list(range(1, len(n) + 1)) for n in per_contract["numbers"].to_list()
    ]
    joined = country.contracts.join(per_contract, left_on="id", right_on="contract_id")
    assert joined.height == country.contracts.height
    assert ((joined["status"] == "terminated") == (joined["last"] == "termination")).all()
    assert (joined["terminations"] <= 1).all()
    assert (joined["version"] == joined["numbers"].list.len()).all()
    last = versions.group_by("contract_id").agg(pl.all().last())
    terms = ["monthly_wage_qepik", "weekly_hours", "term", "fixed_end_on", "occupation_id"]
    compared = country.contracts.join(last, left_on="id", right_on="contract_id", suffix="_v")
    for name in terms:
        assert compared[name].equals(compared[f"{name}_v"]), name
    assert set(versions["assurance"]) == {"register_import"}


def test_notifications_are_registered_in_order_before_the_day_and_a_few_late(country):
    versions = country.versions.sort("contract_id", "number")
    registered = versions["registered_at"]
    assert registered.max() < AS_OF_BEGINS
    later = versions.with_columns(before=pl.col("registered_at").shift().over("contract_id"))
    assert (later["registered_at"] > later["before"]).fill_null(True).all()
    local_day = registered.dt.convert_time_zone("Asia/Baku").dt.date()
    inherited = (versions["notice"] == "conclusion") & (versions["effective_on"] < REGISTER_START)
    late = (local_day > versions["effective_on"]) & ~inherited
    assert (versions["is_late"] == late).all()
    assert 0.01 <= versions["is_late"].mean() <= 0.06


def test_a_few_contracts_in_force_are_suspended_since_some_day_of_the_last_year(country):
    in_force = country.in_force
    suspended = in_force.filter(pl.col("status") == "suspended")
    assert suspended.height <= 0.03 * in_force.height
    assert (suspended["suspended_from"] > suspended["start_on"]).all()
    assert (suspended["suspended_from"] < AS_OF).all()
    notices = country.versions.filter(pl.col("notice") == "suspension")["contract_id"]
    assert sorted(notices.to_list()) == sorted(suspended["id"].to_list())


# --- The country's shape (docs/domain.md §12) ------------------------------------------------


def test_the_register_has_the_shape_of_the_country(db):
    register = generate(people=20_000, seed=11)
    contracts, in_force = register.contracts, register.in_force
    people = register.people.height
    year_2019 = (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    concluded = contracts.filter(pl.col("start_on").is_between(*year_2019)).height
    ended = contracts.filter(pl.col("terminated_on").is_between(*year_2019)).height

    # ≈ 1.7–1.9 M in force, 1.0 M new and 0.9 M terminated a year for 10 M people.
    assert 0.17 <= in_force.height / people <= 0.20
    assert 0.085 <= concluded / people <= 0.115
    assert 0.075 <= ended / people <= 0.105
    assert 0.10 <= share_of(in_force["term"] == "fixed") <= 0.19
    assert 0.03 <= share_of(~in_force["is_main_job"]) <= 0.08
    sectors = in_force["sector"].value_counts(normalize=True)
    share = dict(zip(sectors["sector"], sectors["proportion"].cast(float), strict=True))
    assert 0.47 <= share["state"] <= 0.62
    assert 0.005 <= share["oil"] <= 0.06
    assert 0.35 <= share["non_oil_private"] <= 0.50


def test_terminations_are_mostly_the_employees_or_agreed(country):
    grounds = frame(TerminationGround.objects.all(), ("id", "code", "initiated_by"))
    ended = country.contracts.filter(pl.col("status") == "terminated").join(
        grounds.rename({"id": "termination_ground_id"}), on="termination_ground_id"
    )
    by_initiator = dict(ended["initiated_by"].value_counts(normalize=True).iter_rows())
    by_code = dict(ended["code"].value_counts(normalize=True).iter_rows())
    assert by_initiator["employee"] + by_initiator["parties"] >= 0.6
    assert 0.05 <= by_code["70.b"] + by_code["70.a"] <= 0.2
    assert 0.05 <= by_initiator["expiry"] <= 0.25
    assert "74.death" in by_code


# --- The insurance accounts that follow ------------------------------------------------------


def test_first_contracts_open_insurance_accounts_and_keep_their_record(db):
    registry_generate(people=2_000, seed=8, as_of=AS_OF)
    facts_generate(seed=8, on=AS_OF)
    account_fields = ("id", "person_id", "opened_on", "record_months", "pension_capital_qepik")
    before = frame(InsuranceAccount.objects.all(), account_fields)

    result = contracts_generate(seed=8, as_of=AS_OF)

    first = (
        frame(Contract.objects.all(), ("id", "person_id", "start_on"))
        .group_by("person_id")
        .agg(first_start=pl.col("start_on").min())
    )
    accounts = frame(InsuranceAccount.objects.all(), account_fields)
    opened = first.join(accounts, on="person_id", how="left")
    assert opened["opened_on"].null_count() == 0
    assert (opened["opened_on"] == opened["first_start"]).all()
    kept = before.join(accounts, on="person_id", suffix="_after")
    assert kept["record_months"].equals(kept["record_months_after"])
    assert kept["pension_capital_qepik"].equals(kept["pension_capital_qepik_after"])
    created = accounts.filter(~pl.col("person_id").is_in(before["person_id"].implode()))
    assert created.height == result.accounts_created > 0
    assert (created["record_months"] == 0).all()
    without_contract = accounts.filter(~pl.col("person_id").is_in(first["person_id"].implode()))
    assert without_contract["opened_on"].null_count() == without_contract.height


def test_children_get_no_contracts_and_a_registry_of_them_is_no_error(db):
    for n in range(5):
        PersonFactory.create(birth_on=datetime.date(2010, 1, 1 + n))
    EmployerFactory.create()

    result = contracts_generate(seed=1, as_of=AS_OF)

    assert (result.people, result.contracts) == (5, 0)
    assert not Contract.objects.exists()


# --- The employers -----------------------------------------------------------------------------


def test_employers_have_a_sector_a_unique_sun_an_address_and_an_email():
    employers = employer_frame(random_stream(7, 1), count=5_000, counters=Counters())

    assert set(employers["sector"]) == {"state", "oil", "non_oil_private"}
    state_forms = employers.filter(pl.col("legal_form").is_in(["state", "public_legal_entity"]))
    assert (state_forms["sector"] == "state").all()
    assert employers["sun"].str.contains(r"^[1-9][0-9]{9}$").all()
    assert employers["sun"].n_unique() == employers.height
    assert employers["address"].str.contains(r"^[^,]+, .+ küç\., [0-9]+$").all()
    assert all(normalize_voen(v) == v for v in employers["voen"].head(50))
    assert (employers["email"] == "info." + employers["voen"] + "@example.org").all()

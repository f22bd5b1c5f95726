"""`meis registry generate`: a synthetic country, with the facts proactive runs read."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from meis.awards.models import Award
from meis.insurance.models import InsuranceAccount
from meis.labour.models import Contract
from meis.lifeevents.models import Birth, DisabilityDecision, HouseholdMeans
from meis.proactive.models import RunMode, RunStatus
from meis.proactive.services import run_execute, run_start
from meis.registry.models import Employer, Household, HouseholdMembership, IdentityDocument, Person

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 3, 1)
GENERATE = ("registry", "generate", "--seed", "5", "--as-of", AS_OF.isoformat(), "--quiet")


def test_generate_writes_people_households_documents_and_employers():
    call_command(*GENERATE, "--people", "300")
    assert Person.objects.count() == 300
    assert HouseholdMembership.objects.count() == 300
    assert Household.objects.exists()
    assert IdentityDocument.objects.exists()
    assert Employer.objects.count() == 5


def test_generated_rows_pass_model_validation():
    call_command(*GENERATE, "--people", "200")
    for person in Person.objects.all()[:50]:
        person.full_clean()
    for document in IdentityDocument.objects.all()[:50]:
        document.full_clean()
    for employer in Employer.objects.all():
        employer.full_clean()


def test_generate_refuses_a_registry_that_already_has_people():
    call_command(*GENERATE, "--people", "50")
    with pytest.raises(CommandError, match="--append"):
        call_command(*GENERATE, "--people", "50")
    assert Person.objects.count() == 50


def test_append_adds_people_with_fresh_identifiers():
    call_command(*GENERATE, "--people", "120")
    call_command(*GENERATE, "--people", "80", "--append")
    assert Person.objects.count() == 200
    assert Person.objects.values("fin").distinct().count() == 200
    assert IdentityDocument.objects.values("number").distinct().count() == (
        IdentityDocument.objects.count()
    )
    new = Person.objects.create(
        fin="ABC1234", last_name="X", first_name="Y", birth_on="1990-01-01", sex="M",
        region="baku", address="Bakı",
    )  # fmt: skip
    assert new.pk == 201


@pytest.mark.parametrize("people", ["0", "-5", "abc", "1.5", ""])
def test_a_bad_number_of_people_is_a_command_error(people):
    with pytest.raises(CommandError, match="--people"):
        call_command(*GENERATE, "--people", people)


def test_a_bad_as_of_date_is_a_command_error():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("registry", "generate", "--people", "5", "--as-of", "yesterday")


@pytest.mark.slow
def test_an_unreachable_database_exits_non_zero_with_one_line_and_no_traceback():
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/meis_nowhere",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    meis = Path(sys.executable).with_name("meis")
    result = subprocess.run(  # noqa: S603
        [str(meis), "registry", "generate", "--people", "10", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("CommandError: Cannot write to database")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db(transaction=True)
def test_generate_outside_a_transaction_leaves_every_constraint_in_place():
    # On PostgreSQL this is the bulk path: indexes and constraints rebuilt after the load.
    call_command(*GENERATE, "--people", "300")
    person = Person.objects.order_by("id").first()
    assert person is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            fin=person.fin, last_name="X", first_name="Y", birth_on="1990-01-01", sex="M",
            region="baku", address="Bakı",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityDocument.objects.create(
            person_id=10**9, generation="biometric_id_card", number="AA0000001",
            issued_on="2020-01-01",
        )  # fmt: skip


def test_generate_leaves_the_facts_proactive_runs_read():
    call_command(*GENERATE, "--people", "300")
    assert InsuranceAccount.objects.exists()
    assert Birth.objects.exists()
    assert DisabilityDecision.objects.exists()
    assert HouseholdMeans.objects.count() == Household.objects.count()


def test_a_full_proactive_run_after_generate_grants_awards():
    call_command(*GENERATE, "--people", "300")

    run = run_execute(run_start(on=AS_OF, mode=RunMode.FULL))

    assert run.status == RunStatus.SUCCEEDED
    granted = sum(scheme["granted"] for scheme in run.report["schemes"].values())
    assert granted >= 1
    assert Award.objects.count() == granted


def test_the_country_gets_its_contracts_register_unless_asked_not_to():
    out = io.StringIO()
    call_command(*GENERATE, "--people", "300", stdout=out)
    assert Contract.objects.filter(status="active").exists()
    assert "Contracts register:" in out.getvalue()


def test_no_contracts_leaves_the_register_empty():
    call_command(*GENERATE, "--people", "300", "--no-contracts")
    assert InsuranceAccount.objects.exists()
    assert not Contract.objects.exists()


def test_no_facts_writes_the_registry_alone():
    call_command(*GENERATE, "--people", "300", "--no-facts")
    assert Person.objects.count() == 300
    assert not InsuranceAccount.objects.exists()
    assert not DisabilityDecision.objects.exists()
    assert not Birth.objects.exists()
    assert not HouseholdMeans.objects.exists()
    assert not Contract.objects.exists()


def test_append_gives_facts_to_the_new_people_and_leaves_the_others_alone():
    call_command(*GENERATE, "--people", "120")
    before = list(InsuranceAccount.objects.order_by("person_id").values_list())

    call_command(*GENERATE, "--people", "80", "--append")

    accounts = InsuranceAccount.objects.order_by("person_id")
    assert list(accounts.filter(person_id__lte=120).values_list()) == before
    assert accounts.filter(person_id__gt=120).exists()
    assert HouseholdMeans.objects.count() == Household.objects.count()

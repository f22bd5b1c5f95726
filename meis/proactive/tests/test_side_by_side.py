# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""A full run's partitions side by side on one host (`meis proactive run --full --workers N`)
end with what one process running the whole registry ends with."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from meis.accounts.tests.factories import staff_user
from meis.awards.models import Award
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.models import CandidateResult, ProactiveRun, RunStatus
from meis.proactive.services import run_execute, run_start
from meis.proactive.tests.test_pipeline import DAY, full_population

MEIS = Path(sys.executable).with_name("meis")


def outcome() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    """What a run leaves: the awards, each candidate's result, the letters."""
    awards = sorted(
        Award.objects.values_list("person_id", "kind", "start_on", "amount_qepik", "status")
    )
    results = sorted(CandidateResult.objects.values_list("person_id", "outcome", "rule"))
    letters = Message.objects.filter(event="proactive_award").count()
    return awards, results, letters


def forget_runs() -> None:
    Message.objects.filter(event="proactive_award").delete()
    CandidateResult.objects.all().delete()
    Award.objects.all().delete()
    ProactiveRun.objects.all().delete()


def meis_command(*args: str, threshold: int = 1000) -> subprocess.CompletedProcess[str]:
    """The command line in its own process, on this test's database (committed data)."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PROACTIVE_FOUR_EYES_THRESHOLD": str(threshold),
        "PUBLIC_BASE_URL": "https://meis.example.az",
    }
    return subprocess.run(  # noqa: S603 — our own executable
        [str(MEIS), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_three_forked_partitions_end_as_one_run_over_everyone() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Forked partitions need PostgreSQL: each process has its own connection.")
    templates_seed(Template)
    people = full_population()
    with override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000):
        run_execute(run_start(on=DAY, mode="full", schemes=["old_age_pension"], chunk_size=2))
    alone = outcome()
    forget_runs()

    done = meis_command(
        "proactive", "run", "--full", "--on", DAY.isoformat(), "--scheme", "old_age_pension",
        "--workers", "3", "--chunk-size", "2",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    runs = ProactiveRun.objects.order_by("partition_index")
    assert [(r.partition_index, r.partition_count, r.status) for r in runs] == [
        (1, 3, RunStatus.SUCCEEDED),
        (2, 3, RunStatus.SUCCEEDED),
        (3, 3, RunStatus.SUCCEEDED),
    ]
    assert all(run.chunks.exists() for run in runs)  # each process did its share
    assert done.stdout.count("partition") == 3
    assert outcome() == alone
    assert len(alone[1]) == len(people)
    assert len(alone[0]) == 6


@pytest.mark.django_db(transaction=True)
def test_a_failed_partition_is_named_and_resumes_on_the_same_command() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Forked partitions need PostgreSQL: each process has its own connection.")
    templates_seed(Template)
    full_population()
    args = ("proactive", "run", "--full", "--on", DAY.isoformat(), "--scheme", "old_age_pension",
            "--workers", "2", "--chunk-size", "3")  # fmt: skip
    # A letter template missing: every chunk with a grant fails, in both processes.
    Template.objects.filter(event="proactive_award").update(event="proactive_award_withdrawn")

    failed = meis_command(*args)

    assert failed.returncode != 0
    assert "failed" in failed.stderr
    assert "run the same command again" in failed.stderr
    assert set(ProactiveRun.objects.values_list("status", flat=True)) == {RunStatus.FAILED}
    assert not Award.objects.exists()

    Template.objects.filter(event="proactive_award_withdrawn").update(event="proactive_award")
    resumed = meis_command(*args)

    assert resumed.returncode == 0, resumed.stderr
    assert ProactiveRun.objects.count() == 2  # the same two runs, resumed
    assert Award.objects.count() == 6


def cli(*args: str, threshold: int) -> str:
    """The command as an operator runs it: its own process on PostgreSQL (where it forks), in
    this process on SQLite (where the partitions run one after another)."""
    if connection.vendor == "postgresql":
        done = meis_command(*args, threshold=threshold)
        assert done.returncode == 0, done.stderr
        return done.stdout
    out = io.StringIO()
    with override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=threshold):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_partitions_over_the_threshold_wait_and_one_approval_runs_them_all() -> None:
    templates_seed(Template)
    full_population()
    first, second = staff_user("administrator"), staff_user("administrator")

    out = cli(
        "proactive", "run", "--full", "--on", DAY.isoformat(), "--scheme", "old_age_pension",
        "--workers", "2", "--as", first.username, threshold=5,
    )  # fmt: skip

    runs = list(ProactiveRun.objects.order_by("partition_index"))
    assert [r.status for r in runs] == [RunStatus.AWAITING_APPROVAL] * 2
    assert f"meis proactive approve {runs[0].pk} {runs[1].pk} --as NAME" in out
    assert not Award.objects.exists()

    cli("proactive", "approve", str(runs[0].pk), str(runs[1].pk), "--as", second.username,
        threshold=5)  # fmt: skip

    runs = list(ProactiveRun.objects.order_by("partition_index"))
    assert [(r.status, r.approved_by_id) for r in runs] == [(RunStatus.SUCCEEDED, second.pk)] * 2
    assert Award.objects.count() == 6


def test_workers_need_a_full_run_and_no_partition(db: None) -> None:
    with pytest.raises(CommandError, match="--full"):
        call_command("proactive", "run", "--workers", "2")
    with pytest.raises(CommandError, match="--full"):
        call_command("proactive", "run", "--full", "--workers", "2", "--partition", "1/2")

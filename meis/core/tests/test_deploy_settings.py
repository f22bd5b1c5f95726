"""The production settings pass Django's deployment checklist with no warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "meis.example.gov.az",
    "DATABASE_URL": "sqlite:////tmp/meis-deploy-check.sqlite3",
}


def _manage(*args, environment):
    # Only what a bare production host has: none of the test run's own settings leak in.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **environment}
    return subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "meis.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )


@pytest.mark.slow
def test_check_deploy_reports_nothing_in_production():
    result = _manage(
        "check", "--deploy", "--fail-level", "DEBUG", environment=PRODUCTION_ENVIRONMENT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "SECRET_KEY"}
    result = _manage("check", environment=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr

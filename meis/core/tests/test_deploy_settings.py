"""The production settings pass Django's deployment checklist with no warning; the demo setting
keeps the demo's conveniences with DEBUG off, and is refused as a deployment."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "meis.example.gov.az",
    "DATABASE_URL": "sqlite:////tmp/meis-deploy-check.sqlite3",
    # Limits are counted in a cache every web process shares (nothing connects to it here).
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
    # Uploads are scanned by ClamAV (nothing connects to it here either).
    "CLAMD_SOCKET": "/run/clamav/clamd.ctl",
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
        cwd=ROOT,
    )


@pytest.mark.slow
def test_check_deploy_reports_nothing_in_production():
    result = _manage(
        "check", "--deploy", "--fail-level", "DEBUG", environment=PRODUCTION_ENVIRONMENT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_warns_when_limits_are_counted_per_process():
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "CACHE_URL"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=environment)
    assert result.returncode != 0
    assert "meis.W001" in result.stderr
    assert "CACHE_URL=rediscache://" in result.stderr


@pytest.mark.slow
def test_check_deploy_warns_behind_a_proxy_that_is_not_named():
    behind_proxy = {**PRODUCTION_ENVIRONMENT, "SECURE_PROXY_SSL_HEADER": "1"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=behind_proxy)
    assert result.returncode != 0
    assert "meis.W002" in result.stderr
    named = {**behind_proxy, "TRUSTED_PROXIES": "10.0.0.1,10.0.1.0/24"}
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", environment=named)
    assert result.returncode == 0, result.stdout + result.stderr
    wrong = {**named, "TRUSTED_PROXIES": "10.0.0.1,proxy.local"}
    result = _manage("check", "--deploy", environment=wrong)
    assert "meis.E002" in result.stderr


@pytest.mark.slow
def test_check_deploy_warns_when_uploads_are_not_scanned_for_viruses():
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "CLAMD_SOCKET"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=environment)
    assert result.returncode != 0
    assert "meis.W003" in result.stderr
    assert "CLAMD_SOCKET=" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "SECRET_KEY"}
    result = _manage("check", environment=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- The demo setting (`make run`): the product's pages, the demo's conveniences ---------------
DEMO_ENVIRONMENT = {"MEIS_DEMO": "1"}


@pytest.mark.slow
def test_check_deploy_fails_loudly_while_the_demo_setting_is_on():
    # A server's real key and database, and the demo setting left on behind a local proxy.
    server = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", "--deploy", environment={**server, **DEMO_ENVIRONMENT})

    assert result.returncode != 0
    assert "meis.E001" in result.stderr
    assert "MEIS_DEMO is on" in result.stderr


@pytest.mark.slow
def test_the_demo_refuses_to_answer_a_public_host_name():
    result = _manage(
        "check", environment={**DEMO_ENVIRONMENT, "ALLOWED_HOSTS": "meis.example.gov.az"}
    )

    assert result.returncode != 0
    assert "MEIS_DEMO serves the demo outbox" in result.stderr


@pytest.mark.slow
def test_the_demo_keeps_debug_off_and_its_links_follow_its_port(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.urls import resolve; "
        "print(s.DEBUG, s.PUBLIC_BASE_URL, s.SESSION_COOKIE_SECURE, s.EMAIL_BACKEND, "
        "s.SMS_GATEWAY_URL, resolve('/az/dev/messages/').view_name)"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "DJANGO_SETTINGS_MODULE": "meis.settings",
        "VAR_DIR": str(tmp_path),
        "PORT": "8765",
        **DEMO_ENVIRONMENT,
    }
    result = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "http://127.0.0.1:8765",
        "False",
        "django.core.mail.backends.console.EmailBackend",
        "console:",
        "dev:messages",
    ]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    """(status, content type, body) of a plain GET, error answers included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — 127.0.0.1
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def demo_server(tmp_path):
    """`meis runserver` as `make run` starts it (Procfile.dev), on a fresh demo database."""
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "VAR_DIR": str(tmp_path),
        "PORT": str(port),
        **DEMO_ENVIRONMENT,
    }
    migrate = _manage("migrate", "--no-input", environment=env)
    assert migrate.returncode == 0, migrate.stderr
    server = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "meis.manage", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/health/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the demo server did not start")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_the_demo_server_shows_the_product_404_not_djangos_debug_page(demo_server):
    status, _, html = _get(f"{demo_server}/en/no-such-page/")

    assert status == 404
    assert '<html lang="en"' in html
    assert "Page not found" in html
    assert "URLconf" not in html  # Django's technical 404 lists the URL patterns


@pytest.mark.slow
def test_the_demo_server_serves_the_stylesheet_without_collectstatic(demo_server):
    status, content_type, css = _get(f"{demo_server}/static/meis/css/meis.css")

    assert status == 200
    assert content_type.startswith("text/css")
    assert ".govuk-" in css


@pytest.mark.slow
def test_the_demo_server_shows_the_outbox(demo_server):
    status, _, html = _get(f"{demo_server}/en/dev/messages/")

    assert status == 200
    assert '<html lang="en"' in html

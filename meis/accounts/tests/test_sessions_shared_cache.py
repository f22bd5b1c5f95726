"""Sessions read from a shared cache (Redis) first, as production runs them (settings: the
`cached_db` engine whenever the cache is Redis): signing out, signing out everywhere and the idle
expiry end a session as they do when it is read from the database alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client

pytestmark = pytest.mark.django_db

REDIS_DB = 14
with translation.override("en"):
    RECORD = reverse("accounts:my_record")


def _engine_with(cache_url: str | None) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "meis.settings", "DEBUG": "1"}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_ENGINE)"
    result = subprocess.run(  # noqa: S603 — this interpreter, a fixed program
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_sessions_are_read_from_the_cache_only_when_every_process_shares_it():
    assert _engine_with(f"rediscache://127.0.0.1:6379/{REDIS_DB}").endswith(".cached_db")
    assert _engine_with(None).endswith(".db")  # the demo's per-process cache


@pytest.fixture
def redis_sessions() -> Iterator[None]:
    connection = redis.Redis(db=REDIS_DB)
    try:
        connection.ping()
    except redis.ConnectionError:  # pragma: no cover — Redis runs wherever the tests run
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    connection.flushdb()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}",
        }
    }
    with override_settings(
        CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):  # Django's setting_changed handler opens the overridden cache in place of the kept one
        yield
    connection.flushdb()


def test_a_session_is_read_from_the_cache(citizen, redis_sessions):
    client = signed_in_citizen_client(citizen)
    assert client.get(RECORD).status_code == 200
    assert redis.Redis(db=REDIS_DB).keys("*django.contrib.sessions.cached_db*")


def test_sign_out_ends_a_cached_session(citizen, redis_sessions):
    client = signed_in_citizen_client(citizen)
    cookie = client.cookies["sessionid"].value
    assert client.get(RECORD).status_code == 200
    client.post(reverse("accounts:sign_out"))
    other = signed_in_citizen_client(citizen)
    other.cookies["sessionid"] = cookie  # the ended session's cookie, kept by an attacker
    assert other.get(RECORD).status_code == 302


def test_sign_out_everywhere_ends_the_other_cached_sessions(citizen, redis_sessions):
    phone = signed_in_citizen_client(citizen)
    laptop = signed_in_citizen_client(citizen)
    assert phone.get(RECORD).status_code == 200
    laptop.post(reverse("accounts:sign_out_everywhere"))
    assert phone.get(RECORD).status_code == 302


@override_settings(SESSION_COOKIE_AGE=2)
def test_an_idle_cached_session_ends(citizen, redis_sessions):
    client = signed_in_citizen_client(citizen)
    assert client.get(RECORD).status_code == 200
    time.sleep(3)  # the cache's own expiry runs on the real clock
    assert client.get(RECORD).status_code == 302

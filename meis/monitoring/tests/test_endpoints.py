"""The machine endpoints: a probe that needs nothing, a readiness check that says what is down,
and metrics that only the configured scraper reads."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from meis.notifications.models import Message, Status
from meis.notifications.services import notification_queue

# A load balancer probes by the server's own address, which is not one of ALLOWED_HOSTS.
PROBE_HOST = "10.0.3.17:8000"
TOKEN = "scraper-token-0123456789abcdef"


def queue_message(person):
    return notification_queue(
        person=person,
        event="case_decision",
        context={
            "name": "Gülşən Məmmədova",
            "case_reference": "MEİS-2026-000123",
            "service_name": "Ünvanlı dövlət sosial yardımı",
            "decision": "təyin edildi",
            "portal_url": "https://meis.example/az/cases/MEİS-2026-000123/",
        },
        channel_preferences=["sms"],
        dedupe_key="monitoring:decision",
        case_reference="MEİS-2026-000123",
    )


def test_liveness_answers_without_the_database_and_for_any_host():
    # No django_db mark: touching the database here would fail the test.
    response = Client().get("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_liveness_refuses_a_write():
    response = Client().post("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_readiness_is_ok_when_the_database_and_cache_answer():
    response = Client().get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok"}
    assert body["outbox"] == {"due_oldest_seconds": 0, "pending": 0}


@pytest.mark.django_db
def test_readiness_reports_the_outbox_backlog_without_failing(citizen):
    queue_message(citizen)
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    response = Client().get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json()["outbox"]["pending"] >= 1
    assert response.json()["outbox"]["due_oldest_seconds"] >= 600


@pytest.mark.django_db
def test_readiness_fails_when_the_shared_cache_does_not_answer(settings, caplog):
    # Nothing listens on port 1: the limits' counters cannot be kept.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with caplog.at_level(logging.ERROR, logger="meis.monitoring.views"):
        response = Client().get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "fail"}
    assert "the cache does not answer" in caplog.text


@pytest.mark.django_db
def test_readiness_fails_when_the_database_does_not_answer(caplog):
    with (
        mock.patch("meis.monitoring.views.connection.cursor", side_effect=OperationalError("down")),
        caplog.at_level(logging.ERROR, logger="meis.monitoring.views"),
    ):
        response = Client().get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail", "cache": "ok"}}


@pytest.mark.django_db
def test_metrics_are_refused_to_a_stranger(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["10.9.0.0/16"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9", headers=headers)
        assert response.status_code == 403
        assert b"django_http" not in response.content
        assert "METRICS_TOKEN" in response.json()["detail"]


@pytest.mark.django_db
def test_metrics_are_refused_to_everyone_when_nothing_is_configured(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    response = Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


@pytest.mark.django_db
def test_metrics_behind_a_proxy_judge_the_client_not_the_proxy(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1"]
    settings.MEIS_TRUSTED_PROXIES = ["127.0.0.1"]
    response = Client().get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_scraper_reads_requests_the_task_queue_and_the_outbox(settings, citizen):
    settings.METRICS_TOKEN = TOKEN
    queue_message(citizen)
    queued = Message.objects.filter(status=Status.QUEUED).count()
    Client().get("/az/")  # a page request to count
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'django_http_responses_total_by_status_total{status="200"}' in text
    assert f'meis_outbox_messages{{status="queued"}} {queued:.1f}' in text
    assert 'meis_outbox_messages{status="dead"} 0.0' in text
    assert "meis_outbox_messages_oldest_due_age_seconds " in text
    assert 'meis_tasks{status="ready"} ' in text
    assert 'meis_tasks{status="running"} 0.0' in text


@pytest.mark.django_db
def test_the_scraper_may_be_named_by_its_network_instead(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.9.0.0/16"]
    response = Client().get("/metrics", REMOTE_ADDR="10.9.4.2")
    assert response.status_code == 200
    assert b"meis_tasks" in response.content


def test_production_logs_are_one_json_object_a_line(settings):
    assert settings.LOG_FORMAT == "json"  # the test run uses the production settings
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter_class = config.pop("()")
    assert formatter_class == "pythonjsonlogger.json.JsonFormatter"
    record = logging.LogRecord(
        "meis.cases", logging.WARNING, __file__, 1, "case %s late", ("MEIS-2026-0000001",), None
    )
    line = JsonFormatter(**config).format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "meis.cases"
    assert entry["message"] == "case MEIS-2026-0000001 late"
    assert entry["time"].endswith("+00:00")  # ISO 8601, UTC
    assert isinstance(entry["process"], int)


def test_a_malformed_scraper_network_is_refused_by_the_checks(settings):
    from meis.monitoring.checks import metrics_networks_are_valid

    settings.METRICS_ALLOWED_NETWORKS = ["10.9.0.0/16", "scraper.local"]
    (error,) = metrics_networks_are_valid(app_configs=None, databases=None)
    assert error.id == "meis.E003"
    assert "scraper.local" in error.msg

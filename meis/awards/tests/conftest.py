"""Fixtures of the awards' tests: the notifications' in-process SMTP server."""

from meis.notifications.tests.conftest import smtp_server  # noqa: F401 — a fixture

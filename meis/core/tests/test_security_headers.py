"""Every answer carries the Content-Security-Policy and the Permissions-Policy; no page needs an
inline script the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(
    "path",
    [
        "/az/",
        "/en/sign-in/",
        "/ru/verify/",
        "/az/queue/baku-1/display/",
        "/api/v1/schemes",
        "/api/v1/docs",
    ],
)
def test_pages_and_api_answers_carry_both_policies(path):
    response = Client().get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_signed_in_page_and_an_error_carry_them_too(citizen):
    assert "Content-Security-Policy" in signed_in_citizen_client(citizen).get("/az/my/record/")
    missing = Client().get("/az/no-such-page/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" in missing
    assert "Permissions-Policy" in missing


def test_no_template_has_an_inline_script_style_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b")
    attribute = re.compile(r"\s(on[a-z]+|style)\s*=\s*[\"']")
    offending = [
        f"{template.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for template in TEMPLATES.rglob("templates/**/*.html")
        for match in [
            *inline.finditer(template.read_text()),
            *attribute.finditer(template.read_text()),
        ]
    ]
    assert not offending, offending

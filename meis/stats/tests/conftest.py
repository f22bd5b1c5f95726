"""Fixtures of the statistics stories: usage of ten weeks of 2020, an analyst, a case worker."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import signed_in_staff_client
from meis.catalog.services import catalog_import_seed
from meis.usage.models import UsageKind
from meis.usage.services import rollup_refresh, usage_record

MARCH_16 = datetime.date(2020, 3, 16)
# A call back about pensions, as the call log counts it: no region, no centre.
PENSIONS_142: dict[str, Any] = {"service": "pensions", "channel": "call_centre", "region": ""}


def at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def used(
    day: datetime.date,
    kind: UsageKind,
    times: int = 1,
    *,
    service: str = "",
    channel: str = "portal",
    region: str = "baku",
    centre: str = "",
    **extra: Any,
) -> None:
    for _ in range(times):
        usage_record(
            kind=kind,
            occurred_at=at(day),
            service_code=service,
            channel=channel,
            region=region,
            centre_code=centre,
            **extra,
        )


@pytest.fixture
def march_2020(db: None) -> None:
    """A small March 2020: applications in two channels and regions, proactive grants,
    certificates, decisions, calls, call backs and walk-in visitors."""
    catalog_import_seed()  # the services' names
    tsa = "targeted-social-assistance"
    used(MARCH_16, UsageKind.APPLICATION, 30, service=tsa, centre="baku-1")
    used(MARCH_16, UsageKind.APPLICATION, 12, service=tsa, channel="call_centre", centre="baku-1")
    used(
        MARCH_16 + datetime.timedelta(days=1),
        UsageKind.APPLICATION,
        4,
        service="old-age-pension",
        region="lankaran_astara",
    )
    used(MARCH_16, UsageKind.PROACTIVE, 25, service="old-age-pension", channel="proactive")
    used(MARCH_16, UsageKind.PROACTIVE, 11, service="age-benefit", channel="proactive")
    used(MARCH_16, UsageKind.PROACTIVE, 3, service="stipend", channel="proactive")
    used(MARCH_16, UsageKind.CERTIFICATE_ISSUED, 20, service="certificate-pension")
    used(
        MARCH_16, UsageKind.CERTIFICATE_VERIFIED, 15, service="certificate-pension", outcome="valid"
    )
    for days, on_time in ((2, True), (4, True), (12, False)):
        used(
            MARCH_16,
            UsageKind.DECISION,
            service=tsa,
            centre="baku-1",
            outcome="approved",
            measure=days,
            on_time=on_time,
        )
    used(
        MARCH_16,
        UsageKind.CALL,
        2,
        service="pensions",
        channel="call_centre",
        measure=240,
        outcome="information",
    )
    used(MARCH_16, UsageKind.TICKET, 2, channel="centre_desk", centre="baku-1", measure=600)
    # Four call backs promised about pensions: one made in 2 hours, one in 30 (after the
    # deadline), one not reached, one still waiting; with no region, as the call log writes them.
    used(MARCH_16, UsageKind.CALLBACK_REQUESTED, 4, **PENSIONS_142)
    for hours, on_time in ((2, True), (30, False)):
        used(
            MARCH_16 + datetime.timedelta(days=1),
            UsageKind.CALLBACK_CLOSED,
            outcome="done",
            measure=hours * 3600,
            on_time=on_time,
            **PENSIONS_142,
        )
    used(MARCH_16, UsageKind.CALLBACK_CLOSED, outcome="unreachable", **PENSIONS_142)
    rollup_refresh(today=datetime.date(2020, 3, 31))


@pytest.fixture
def analyst(db: None) -> Any:
    return signed_in_staff_client(factories.staff_user("analyst"))


@pytest.fixture
def case_worker(db: None) -> Any:
    return signed_in_staff_client(
        factories.staff_user(
            "case_worker", centre_code="baku-1", subsystems=["targeted_assistance"]
        )
    )

"""The seed's kinds of figures for any period (issue 19, item 6): total e-service uses; pensions,
benefits and stipends assigned proactively; certificates. The news text of March 2020 quotes
2,774,891 uses in ten weeks, of them 17,853 old-age and 1,377 disability pensions, 35,506
benefits and 3,141 stipends assigned proactively, and 165,000 e-certificates."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from meis.usage.models import UsageKind
from meis.usage.selectors import (
    Period,
    kind_total,
    proactive_by_group,
    uses_by,
    uses_total,
)


@dataclass(frozen=True)
class Report:
    start: datetime.date
    end: datetime.date
    e_service_uses: int
    proactive: dict[str, int]
    proactive_total: int
    applications: int
    decisions: int
    certificates_issued: int
    certificates_verified: int
    appointments: int
    calls: int
    emails: int
    walk_in_visitors: int
    uses_by_channel: dict[str, int]

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data


def report_for(period: Period) -> Report:
    proactive = proactive_by_group(period)
    return Report(
        start=period.start,
        end=period.end,
        e_service_uses=uses_total(period),
        proactive=proactive,
        proactive_total=kind_total(period, UsageKind.PROACTIVE),
        applications=kind_total(period, UsageKind.APPLICATION),
        decisions=kind_total(period, UsageKind.DECISION),
        certificates_issued=kind_total(period, UsageKind.CERTIFICATE_ISSUED),
        certificates_verified=kind_total(period, UsageKind.CERTIFICATE_VERIFIED),
        appointments=kind_total(period, UsageKind.APPOINTMENT),
        calls=kind_total(period, UsageKind.CALL),
        emails=kind_total(period, UsageKind.EMAIL),
        walk_in_visitors=kind_total(period, UsageKind.TICKET),
        uses_by_channel=dict(uses_by(period, "channel")),
    )

"""Names, in the page's language, for the codes the usage rollups keep: no raw code reaches a
page, a CSV header aside (open data keeps codes, and its data dictionary names them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meis.callcentre.models import CallOutcome, CallTopic
from meis.cases.models import CaseStatus, Channel
from meis.catalog.models import EService
from meis.centres.models import ServiceCentre
from meis.mailintake.models import EmailStatus
from meis.registry.models import Region
from meis.usage.models import UsageKind


class Labels:
    """One page's labels: each lookup table read once per page, not once per row."""

    def __init__(self) -> None:
        self._services: dict[str, str] | None = None
        self._centres: dict[str, str] | None = None
        self._topics: dict[str, str] | None = None

    def service(self, code: str) -> str:
        if self._services is None:
            self._services = {s.code: str(s.name) for s in EService.objects.all()}
            # Granted by the proactive pipeline, not applied for in the catalogue.
            self._services.setdefault("stipend", _("Presidential stipends"))
        if not code:
            return _("No particular service")
        return self._services.get(code, code)

    def topic(self, code: str) -> str:
        if self._topics is None:
            self._topics = {t.code: str(t.name) for t in CallTopic.objects.all()}
        return self._topics.get(code, code)

    def centre(self, code: str) -> str:
        if self._centres is None:
            self._centres = {c.code: c.name for c in ServiceCentre.objects.all()}
        if not code:
            return _("No centre (online)")
        return self._centres.get(code, code)

    @staticmethod
    def region(code: str) -> str:
        if not code:
            return _("Region not known")
        return str(Region(code).label) if code in Region.values else code

    @staticmethod
    def channel(code: str) -> str:
        return str(Channel(code).label) if code in Channel.values else code

    @staticmethod
    def kind(code: str) -> str:
        return str(UsageKind(code).label) if code in UsageKind.values else code

    @staticmethod
    def outcome(code: str) -> str:
        for choices in (CaseStatus, CallOutcome, EmailStatus):
            if code in choices.values:
                return str(choices(code).label)
        return {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}.get(
            code, code or "—"
        )

"""Person status for the e-government gateway (scope person:status): on a day, does this
person receive a pension, a benefit or targeted assistance, what is their disability degree,
are they registered unemployed. The FİN travels in the body, not the address, so that it stays
out of proxies' access logs; a purpose from a fixed list is required, and every answer is an
audit event of that person with the client's institution and purpose, which the person sees in
"who looked at my data"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from meis.api.clients import ClientBearer, calling_client
from meis.api.fields import Fin, IsoDay
from meis.api.models import Scope
from meis.api.rules import PROBLEMS, Problem, RulesProblem
from meis.api.selectors import person_status_on
from meis.audit.models import AuditAction
from meis.audit.purposes import ReadPurpose
from meis.audit.services import audit_record
from meis.registry.selectors import person_get_by_fin

router = Router(tags=["Persons"])


class PersonStatusIn(Schema):
    fin: Fin
    on: IsoDay | None = Field(None, description="The day asked about; default today.")
    purpose: ReadPurpose = Field(description="Why the data is needed (required by law).")
    reference: str | None = Field(
        None, max_length=64, description="The caller's own reference for this request."
    )


class PersonStatusOut(Schema):
    fin: str
    on: datetime.date
    alive: bool = Field(description="False when the person had died by that day.")
    pensioner: bool = Field(
        description="Receives a labour pension (old-age, disability, survivor)."
    )
    benefit_recipient: bool = Field(description="Receives a monthly social benefit or stipend.")
    assistance_recipient: bool = Field(description="Their family receives targeted assistance.")
    unemployment_benefit_recipient: bool
    disability_degree: str | None = Field(
        description='"I", "II", "III", "child" (established before 18), or null.'
    )
    registered_unemployed: bool | None = Field(
        description="null: the employment register is not connected to MEİS yet."
    )
    registers_not_connected: list[str]


@router.post(
    "/person-status",
    response={200: PersonStatusOut, 401: Problem, 403: Problem, 404: Problem, **PROBLEMS},
    summary="A person's pension, benefit, assistance and disability status on a day "
    "(scope person:status)",
    operation_id="person_status",
    auth=ClientBearer(Scope.PERSON_STATUS),
)
def person_status(request: HttpRequest, body: PersonStatusIn) -> dict[str, Any]:
    client = calling_client(request)
    request.api_purpose = body.purpose.value  # type: ignore[attr-defined]
    on = body.on or timezone.localdate()
    person = person_get_by_fin(fin=body.fin)
    if person is None:
        raise RulesProblem("not-found", 404, _("No person with this FİN is in the register."))
    with transaction.atomic():
        status = person_status_on(person=person, on=on)
        audit_record(
            action=AuditAction.PERSON_READ,
            actor=None,
            actor_role="api_client",
            actor_institution=client.institution,
            person=person,
            purpose=body.purpose.value,
            request=request,
            details={
                "client": client.name,
                "operation": "person_status",
                "on": on.isoformat(),
                "reference": body.reference or "",
            },
        )
    return {
        "fin": person.fin,
        **status.__dict__,
        "registers_not_connected": ["employment"],
    }

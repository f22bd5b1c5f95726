"""The certificate types (arayış növləri), each defined once: title, facts, validity, service.

`service_code` names the catalogue e-service the issue is recorded under (a case and a usage
event like any other). The catalogue has six certificate services; the household and income
certificates are recorded under the benefits certificate service, and the active-contracts one
under the employment-history service, until the catalogue gets its own entries for them. The
two disability examination statements have their own e-services; the commission decision's
extract is issued for its decision (`extracts.py`) and is not offered among the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from meis.certificates import examinations as ex
from meis.certificates import facts as f
from meis.registry.models import Person

EXTRACT_CODE = "disability_extract"


@dataclass(frozen=True)
class CertificateType:
    code: str
    service_code: str
    title: f.Text
    facts: Callable[[Person, datetime.date], f.Facts]
    valid_days: int = 30
    # The facts' key alone, where the registers give it more cheaply than the printed rows: a
    # verification compares only keys (has anything changed since issue?).
    key: Callable[[Person, datetime.date], dict[str, Any]] | None = None
    # A type issued for one record rather than for the person on a day (the decision extract):
    # its key today is recomputed from the key it was issued with, which names the record.
    recheck: Callable[[dict[str, Any], datetime.date], dict[str, Any]] | None = None
    # Whether a person or a desk chooses it among the certificates (the extract is issued for
    # its decision, not chosen).
    is_offered: bool = True
    # A type that states something over a period the person chooses (payments received): its
    # facts for [first month, last month]; `facts` gives its default period. Registered by the
    # app whose registers it reads (`certificate_type_register`).
    period_facts: (
        Callable[[Person, datetime.date, datetime.date, datetime.date], f.Facts] | None
    ) = None

    def facts_key(
        self, person: Person, on: datetime.date, *, issued_key: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if self.recheck is not None:
            return self.recheck(issued_key or {}, on)
        return self.key(person, on) if self.key else self.facts(person, on).key

    def expires_on(self, *, issued_on: datetime.date, key: dict[str, object]) -> datetime.date:
        """Last day the certificate is valid: its period, or sooner when the status ends sooner."""
        expires = issued_on + datetime.timedelta(days=self.valid_days)
        until = key.get("until")
        if isinstance(until, str):
            expires = min(expires, datetime.date.fromisoformat(until) - datetime.timedelta(days=1))
        return expires


TYPES: tuple[CertificateType, ...] = (
    CertificateType(
        code="pension",
        service_code="certificate-pension",
        title=f.text(
            "Pensiyaçı olub-olmamaq barədə arayış",
            "Certificate of pension status",
            "Справка о получении пенсии",
        ),
        facts=f.pension_facts,
        key=f.pension_key,
    ),
    CertificateType(
        code="benefits",
        service_code="certificate-benefits",
        title=f.text(
            "Sosial müavinət və ünvanlı yardım alıb-almamaq barədə arayış",
            "Certificate of social benefits and targeted assistance",
            "Справка о получении социальных пособий и адресной помощи",
        ),
        facts=f.benefits_facts,
        key=f.benefits_key,
    ),
    CertificateType(
        code="insurance",
        service_code="certificate-insurance-record",
        title=f.text(
            "Sığorta stajı və pensiya kapitalı barədə arayış",
            "Certificate of insurance record and pension capital",
            "Справка о страховом стаже и пенсионном капитале",
        ),
        facts=f.insurance_facts,
    ),
    CertificateType(
        code="employment",
        service_code="certificate-employment-history",
        title=f.text(
            "Əmək fəaliyyəti barədə arayış",
            "Certificate of employment and work history",
            "Справка о трудовой деятельности",
        ),
        facts=f.employment_facts,
    ),
    CertificateType(
        code="active_contracts",
        service_code="certificate-employment-history",
        title=f.text(
            "İş yerləri haqqında arayış",
            "Certificate of employment contracts in force",
            "Справка о действующих трудовых договорах",
        ),
        facts=f.active_contracts_facts,
    ),
    CertificateType(
        code="unemployment",
        service_code="certificate-unemployment-registration",
        title=f.text(
            "İşsizlikdən sığorta və işaxtaran statusu barədə arayış",
            "Certificate of unemployment benefit and job-seeker status",
            "Справка о пособии по безработице и статусе ищущего работу",
        ),
        facts=f.unemployment_facts,
        valid_days=14,
    ),
    CertificateType(
        code="disability",
        service_code="certificate-disability-status",
        title=f.text(
            "Əlillik statusu barədə arayış",
            "Certificate of disability status",
            "Справка о статусе инвалидности",
        ),
        facts=f.disability_facts,
    ),
    CertificateType(
        code="household",
        service_code="certificate-benefits",
        title=f.text(
            "Ailə tərkibi barədə arayış",
            "Certificate of household composition",
            "Справка о составе семьи",
        ),
        facts=f.household_facts,
    ),
    CertificateType(
        code="social_income",
        service_code="certificate-benefits",
        title=f.text(
            "Sosial ödənişlərdən gəlirlər barədə arayış",
            "Certificate of income from social payments",
            "Справка о доходах от социальных выплат",
        ),
        facts=f.income_facts,
    ),
    CertificateType(
        code="disability_last_examination",
        service_code="disability-last-examination",
        title=f.text(
            "Son TSEK müayinəsi barədə məlumat",
            "Information on the last expert-commission examination",
            "Сведения о последнем освидетельствовании МСЭК",
        ),
        facts=ex.last_examination_facts,
    ),
    CertificateType(
        code="disability_examinations",
        service_code="disability-examinations-history",
        title=f.text(
            "TSEK-lərdə keçirilmiş müayinələr barədə məlumat",
            "History of expert-commission examinations",
            "Сведения об освидетельствованиях в МСЭК",
        ),
        facts=ex.examinations_history_facts,
    ),
    # Issued for one commission decision (meis.certificates.extracts), not chosen: it is
    # counted under the assessment service that produced the decision.
    CertificateType(
        code=EXTRACT_CODE,
        service_code="disability-assessment",
        title=f.text(
            "Tibbi-sosial ekspert komissiyasının qərarından çıxarış",
            "Extract of the expert commission's decision",
            "Выписка из решения медико-социальной экспертной комиссии",
        ),
        facts=ex.extract_unavailable,
        recheck=ex.extract_recheck,
        is_offered=False,
    ),
)
# Lists, not tuples: an app above this one adds its types when Django starts
# (`certificate_type_register`, from its AppConfig.ready), and the forms read these lists.
OFFERED = [certificate_type for certificate_type in TYPES if certificate_type.is_offered]

BY_CODE = {certificate_type.code: certificate_type for certificate_type in TYPES}


def certificate_type_register(certificate_type: CertificateType) -> None:
    """Add a type defined by an app above this one (which may read registers this app may not,
    such as payments); registering the same code again replaces it (tests, reloads)."""
    previous = BY_CODE.get(certificate_type.code)
    if previous is not None and previous in OFFERED:
        OFFERED.remove(previous)
    BY_CODE[certificate_type.code] = certificate_type
    if certificate_type.is_offered:
        OFFERED.append(certificate_type)


def certificate_type_get(code: str) -> CertificateType:
    """The type with this code; KeyError for an unknown one."""
    return BY_CODE[code]

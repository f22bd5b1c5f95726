"""The payment certificate (Ödənişlər haqqında arayış): what the ministry paid a person, month by
month, for a bank or an embassy — issued, signed and checked by code like every certificate.

The certificates app may not read payments (the layers in pyproject.toml), so this app defines
the type and registers it when Django starts (`PaymentsConfig.ready`). Its facts name their
period and person in the key, so a check recomputes the same months (`recheck`) and says when
something changed since issue (a payment the bank returned afterwards).
"""

from __future__ import annotations

import datetime
from typing import Any

from meis.awards.models import AwardKind
from meis.certificates import facts as f
from meis.certificates.definitions import CertificateType, certificate_type_register
from meis.payments.selectors_payments import PaymentReceived, payments_received
from meis.registry.models import Person

CODE = "payments_received"
DEFAULT_MONTHS = 12
TITLE = f.text(
    "Ödənişlər haqqında arayış",
    "Certificate of payments received",
    "Справка о полученных выплатах",
)
NOTE = f.text(
    "Nazirliyin ödəniş cədvəlləri ilə banka göndərilmiş pensiya, müavinət və yardımlar "
    "(gecikmiş ödənişlər daxil, artıq ödənişə görə tutulanlar çıxılmaqla). Bankın geri "
    "qaytardığı ödənişlər göstərilmir.",
    "Pensions, benefits and assistance sent to the bank by the Ministry's payrolls (arrears "
    "included, less any amount withheld for an overpayment). Payments the bank returned are "
    "not listed.",
    "Пенсии, пособия и помощь, перечисленные в банк по платёжным ведомостям Министерства "
    "(включая задолженность, за вычетом удержаний в счёт переплаты). Выплаты, возвращённые "
    "банком, не указаны.",
)
NONE = f.text(
    "Bu dövrdə ödəniş olmayıb",
    "No payments in this period",
    "Выплат за этот период не было",
)


def default_period(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months: the month of issue and the eleven before it."""
    last = on.replace(day=1)
    first = _months_back(last, DEFAULT_MONTHS - 1)
    return first, last


def _months_back(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _kind(code: str) -> f.Text:
    try:
        label = AwardKind(code).label
    except ValueError:
        return f.same(code)
    return f.each_language(lambda: label)


def _key(
    person_id: int, first: datetime.date, last: datetime.date, paid: list[PaymentReceived]
) -> dict[str, Any]:
    return {
        "person": person_id,
        "from": f"{first:%Y-%m}",
        "to": f"{last:%Y-%m}",
        "payments": [[f"{p.month:%Y-%m}", p.kind, p.sent_qepik, p.bank_code] for p in paid],
    }


def payments_period_facts(
    person: Person, on: datetime.date, first: datetime.date, last: datetime.date
) -> f.Facts:
    """The payments of the months from `first` to `last`: month and scheme, amount and bank."""
    first, last = first.replace(day=1), last.replace(day=1)
    paid = payments_received(person=person, first_month=first, last_month=last)
    period = f.same(f"{first:%m.%Y} – {last:%m.%Y}")
    rows: list[tuple[f.Text, f.Text]] = [(f.text("Dövr", "Period", "Период"), period)]
    if not paid:
        rows.append((f.text("Ödənişlər", "Payments", "Выплаты"), NONE))
    for payment in paid:
        kind, amount = _kind(payment.kind), f.money(payment.sent_qepik)
        label = {lang: f"{payment.month:%m.%Y}, {kind[lang]}" for lang in f.LANGUAGES}
        value = {lang: f"{amount[lang]}, {payment.bank_name}" for lang in f.LANGUAGES}
        rows.append((label, value))
    total = sum(payment.sent_qepik for payment in paid)
    rows.append((f.text("Cəmi ödənilib", "Total paid", "Всего выплачено"), f.money(total)))
    rows.append((f.text("Qeyd", "Note", "Примечание"), NOTE))
    return f.Facts(rows=rows, key=_key(person.pk, first, last, paid))


def payments_facts(person: Person, on: datetime.date) -> f.Facts:
    """The default period: the last twelve months."""
    return payments_period_facts(person, on, *default_period(on))


def payments_recheck(issued_key: dict[str, Any], on: datetime.date) -> dict[str, Any]:
    """The key today for the person and months the certificate was issued for."""
    first = datetime.date.fromisoformat(f"{issued_key['from']}-01")
    last = datetime.date.fromisoformat(f"{issued_key['to']}-01")
    person = Person.objects.get(pk=issued_key["person"])
    paid = payments_received(person=person, first_month=first, last_month=last)
    return _key(person.pk, first, last, paid)


PAYMENTS_RECEIVED = CertificateType(
    code=CODE,
    # Counted under the benefits certificate service until the catalogue has its own entry.
    service_code="certificate-benefits",
    title=TITLE,
    facts=payments_facts,
    recheck=payments_recheck,
    period_facts=payments_period_facts,
)


def register() -> None:
    certificate_type_register(PAYMENTS_RECEIVED)

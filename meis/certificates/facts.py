"""What each certificate states: small functions from the registers to language-ready facts.

Each function takes the person and the day of issue and returns `Facts`: the rows printed on the
certificate (label and value in az/en/ru) and a language-neutral `key` — the substance of the
statement. Verification recomputes the key and says so when the registers no longer agree
(the pension ended after the certificate was issued).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Q, QuerySet
from django.utils import translation

from meis.accounts.access import household_for_citizen
from meis.awards.models import Award, AwardKind, AwardStatus
from meis.insurance.models import Contribution, InsuranceAccount
from meis.labour.models import (
    Contract,
    ContractStatus,
    ContractTerm,
    Occupation,
    TerminationGround,
)
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Employer, HouseholdMembership, Person
from meis.rules.explain import format_money

LANGUAGES = ("az", "en", "ru")
Text = dict[str, str]


def text(az: str, en: str, ru: str) -> Text:
    return {"az": az, "en": en, "ru": ru}


def same(value: str) -> Text:
    return {lang: value for lang in LANGUAGES}


def each_language(make: Callable[[], object]) -> Text:
    """A value rendered once per language (translated model labels)."""
    values = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            values[lang] = str(make())
    return values


YES_NO = {True: text("Bəli", "Yes", "Да"), False: text("Xeyr", "No", "Нет")}


@dataclass(frozen=True)
class Facts:
    rows: list[tuple[Text, Text]]
    key: dict[str, Any] = field(default_factory=dict)


def day(value: datetime.date | None) -> Text:
    return same(f"{value:%d.%m.%Y}" if value else "—")


def money(qepik: int) -> Text:
    return {lang: format_money(qepik, lang) for lang in LANGUAGES}


def _active(on: datetime.date) -> Q:
    return Q(status=AwardStatus.ACTIVE, start_on__lte=on) & (
        Q(end_on__isnull=True) | Q(end_on__gte=on)
    )


def _award_rows(awards: Iterable[Award]) -> list[tuple[Text, Text]]:
    rows = []
    for award in awards:
        kind = each_language(award.get_kind_display)
        since = text("başlanğıc", "since", "с")
        value = {
            lang: f"{money(award.amount_qepik)[lang]}, {since[lang]} {day(award.start_on)[lang]}"
            for lang in LANGUAGES
        }
        rows.append((kind, value))
    return rows


def _award_key(awards: Iterable[Award]) -> list[list[Any]]:
    return [[a.kind, a.amount_qepik, a.start_on.isoformat()] for a in awards]


def _key_rows(sql: str, params: list[Any]) -> list[list[Any]]:
    """_award_key from the three columns it needs, by one plain statement: a bank's check runs
    it on every call, and an ORM query built anew costs ten times its own work in Python
    (tests/test_facts_key.py holds the result equal to the facts' own key). On the database the
    ORM would read awards from (a bank's check: the replica, when there is one)."""
    alias = router.db_for_read(Award) or DEFAULT_DB_ALIAS
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [[kind, amount, _as_date(start_on).isoformat()] for kind, amount, start_on in rows]


def _as_date(value: datetime.date | str) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _placeholders(values: Iterable[object]) -> str:
    return ", ".join("%s" for _ in values)


# Table names from the models, every value bound as a parameter.
_AWARDS_HELD = (
    f"SELECT kind, amount_qepik, start_on FROM {Award._meta.db_table}"  # noqa: S608
    " WHERE status = %s AND start_on <= %s AND (end_on IS NULL OR end_on >= %s)"
)


PENSION_KINDS = (
    AwardKind.OLD_AGE_PENSION,
    AwardKind.DISABILITY_PENSION,
    AwardKind.SURVIVOR_PENSION,
)
BENEFIT_KINDS = tuple(kind for kind in AwardKind.values if kind not in PENSION_KINDS)


def _pensions(person: Person, on: datetime.date) -> QuerySet[Award]:
    return Award.objects.filter(_active(on), person=person, kind__in=PENSION_KINDS).order_by("kind")


def pension_facts(person: Person, on: datetime.date) -> Facts:
    """Pensiyaçı olub-olmamaq: the labour pensions paid on the day of issue."""
    awards = list(_pensions(person, on))
    rows = [(text("Pensiya alır", "Receives a pension", "Получает пенсию"), YES_NO[bool(awards)])]
    rows += _award_rows(awards)
    return Facts(rows=rows, key={"is_pensioner": bool(awards), "awards": _award_key(awards)})


_PENSIONS_HELD = (
    f"{_AWARDS_HELD} AND person_id = %s AND kind IN ({_placeholders(PENSION_KINDS)}) ORDER BY kind"
)


def pension_key(person: Person, on: datetime.date) -> dict[str, Any]:
    """pension_facts' key alone (the same awards as `_pensions`): three columns, no rows to word
    in three languages."""
    params = [AwardStatus.ACTIVE, on, on, person.pk, *PENSION_KINDS]
    awards = _key_rows(_PENSIONS_HELD, params)
    return {"is_pensioner": bool(awards), "awards": awards}


def _benefits(person: Person, on: datetime.date) -> QuerySet[Award]:
    """Benefits, stipends and the family's targeted assistance paid on the day."""
    households = HouseholdMembership.objects.filter(person=person, left_on__isnull=True).values(
        "household_id"
    )
    return (
        Award.objects.filter(_active(on), kind__in=BENEFIT_KINDS)
        .filter(Q(person=person) | Q(kind=AwardKind.TARGETED_ASSISTANCE, household__in=households))
        .exclude(is_one_off=True)
        .order_by("kind", "start_on")
    )


def benefits_facts(person: Person, on: datetime.date) -> Facts:
    """Müavinət və ÜDSY: benefits, stipends and the family's targeted assistance on the day."""
    awards = list(_benefits(person, on))
    label = text(
        "Sosial müavinət, təqaüd və ya ünvanlı yardım alır",
        "Receives social benefits, stipends or targeted assistance",
        "Получает социальные пособия, стипендии или адресную помощь",
    )
    rows = [(label, YES_NO[bool(awards)]), *_award_rows(awards)]
    return Facts(rows=rows, key={"receives": bool(awards), "awards": _award_key(awards)})


_BENEFITS_HELD = (
    f"{_AWARDS_HELD} AND kind IN ({_placeholders(BENEFIT_KINDS)}) AND is_one_off = %s"  # noqa: S608
    " AND (person_id = %s OR (kind = %s AND household_id IN ("
    f"SELECT household_id FROM {HouseholdMembership._meta.db_table}"
    " WHERE person_id = %s AND left_on IS NULL)))"
    " ORDER BY kind, start_on"
)


def benefits_key(person: Person, on: datetime.date) -> dict[str, Any]:
    """benefits_facts' key alone (the same awards as `_benefits`)."""
    params = [AwardStatus.ACTIVE, on, on, *BENEFIT_KINDS, False]
    params += [person.pk, AwardKind.TARGETED_ASSISTANCE, person.pk]
    awards = _key_rows(_BENEFITS_HELD, params)
    return {"receives": bool(awards), "awards": awards}


def insurance_facts(person: Person, on: datetime.date) -> Facts:
    """Sığorta stajı və pensiya kapitalı from the individual insurance account."""
    account = InsuranceAccount.objects.filter(person=person).first()
    months = account.record_months if account else 0
    capital = account.pension_capital_qepik if account else 0
    record = {
        "az": f"{months // 12} il {months % 12} ay",
        "en": f"{months // 12} years {months % 12} months",
        "ru": f"{months // 12} лет {months % 12} мес.",
    }
    rows = [
        (text("Sığorta stajı", "Insurance record", "Страховой стаж"), record),
        (
            text("Sığorta hissəsi üzrə pensiya kapitalı", "Pension capital", "Пенсионный капитал"),
            money(capital),
        ),
        (
            text("Məlumatın tarixi", "Account data as of", "Данные счёта на"),
            day(account.updated_on if account else None),
        ),
    ]
    return Facts(rows=rows, key={"record_months": months, "capital_qepik": capital})


TO_DATE = text("hal-hazırda", "to date", "по настоящее время")
MAIN_JOB = {
    True: text("əsas iş yeri", "main job", "основное место работы"),
    False: text("əlavə iş yeri", "secondary job", "работа по совместительству"),
}
ARTICLE = text("Maddə", "Art.", "Ст.")
TERMINATED = text("xitam əsası", "ended on the ground of", "основание прекращения")


def _contracts(person: Person, on: datetime.date) -> list[Contract]:
    """The person's contracts in the register that had started by `on`, earliest first."""
    return list(
        Contract.objects.filter(person=person, start_on__lte=on)
        .select_related("employer", "occupation", "termination_ground")
        .order_by("start_on", "id")
    )


def _titled(obj: Occupation | TerminationGround) -> Text:
    return {lang: str(getattr(obj, f"title_{lang}")) for lang in LANGUAGES}


def _employer(contract: Contract) -> Text:
    return same(f"{contract.employer.name} (VÖEN {contract.employer.voen})")


def _ground(ground: TerminationGround) -> Text:
    """ "Art. 70(b): Reduction of …" with the article cited in the certificate's language."""
    cited = ground.article.removeprefix("Art. ")
    title = _titled(ground)
    return {lang: f"{ARTICLE[lang]} {cited}: {title[lang]}" for lang in LANGUAGES}


def _is_ended(contract: Contract, on: datetime.date) -> bool:
    return contract.terminated_on is not None and contract.terminated_on <= on


def _contract_row(contract: Contract, on: datetime.date) -> tuple[Text, Text]:
    """Employer → position (occupation), from – to or to date, main or secondary, the ground."""
    occupation = _titled(contract.occupation)
    until = day(contract.terminated_on) if _is_ended(contract, on) else TO_DATE
    ground = (
        _ground(contract.termination_ground)
        if _is_ended(contract, on) and contract.termination_ground
        else None
    )
    value = {}
    for lang in LANGUAGES:
        parts = [
            f"{contract.position} ({contract.occupation.code} {occupation[lang]})",
            f"{day(contract.start_on)[lang]} – {until[lang]}",
            MAIN_JOB[contract.is_main_job][lang],
        ]
        if ground is not None:
            parts.append(f"{TERMINATED[lang]}: {ground[lang]}")
        value[lang] = "; ".join(parts)
    return _employer(contract), value


def _contract_key(contract: Contract, on: datetime.date) -> list[Any]:
    ended = _is_ended(contract, on)
    return [
        contract.number,
        contract.employer.voen,
        contract.position,
        contract.occupation.code,
        contract.start_on.isoformat(),
        contract.terminated_on.isoformat() if ended and contract.terminated_on else None,
        contract.termination_ground.code if ended and contract.termination_ground else None,
        contract.is_main_job,
    ]


def _unregistered_spans(
    person: Person, on: datetime.date, contracts: list[Contract]
) -> list[dict[str, Any]]:
    """Employers paying contributions in months the register has no contract with them for
    (the work before July 2014, mostly): one span per VÖEN, first to last such month."""
    covered: dict[str, list[tuple[datetime.date, datetime.date]]] = {}
    for contract in contracts:
        end = contract.terminated_on or on
        covered.setdefault(contract.employer.voen, []).append(
            (contract.start_on.replace(day=1), end)
        )
    months = (
        Contribution.objects.filter(person=person, month_on__lte=on)
        .exclude(employer_voen="")
        .values_list("employer_voen", "month_on")
        .order_by("month_on", "employer_voen")
    )
    spans: dict[str, dict[str, Any]] = {}
    for voen, month in months:
        if any(first <= month <= last for first, last in covered.get(voen, [])):
            continue
        span = spans.setdefault(voen, {"employer_voen": voen, "first": month, "months": 0})
        span["last"] = month
        span["months"] += 1
    return sorted(spans.values(), key=lambda span: (span["first"], span["employer_voen"]))


def employment_facts(person: Person, on: datetime.date) -> Facts:
    """Əmək fəaliyyəti: the contracts register, each contract from its start to its end or to
    date, with the termination ground; before the register (July 2014), the employers that
    paid insurance contributions."""
    contracts = _contracts(person, on)
    spans = _unregistered_spans(person, on, contracts)
    note = text(
        "İş tarixçəsi əmək müqavilələri reyestrindəndir. 2014-cü ilin iyulundan əvvəlki "
        "(reyestrdən əvvəlki) iş, varsa, sığorta haqlarına görə göstərilir.",
        "The work history is taken from the employment contracts register. Work before "
        "July 2014, when the register began, is shown from insurance contributions, if any.",
        "Трудовая история — по реестру трудовых договоров. Работа до июля 2014 года "
        "(до создания реестра) показана по страховым взносам, если они были.",
    )
    rows: list[tuple[Text, Text]] = [(text("Qeyd", "Note", "Примечание"), note)]
    if not contracts and not spans:
        none = text("Qeydə alınmayıb", "None recorded", "Не зарегистрировано")
        rows.append((text("İş yerləri", "Employers", "Места работы"), none))
    rows += [_contract_row(contract, on) for contract in contracts]
    names = dict(
        Employer.objects.filter(voen__in=[s["employer_voen"] for s in spans]).values_list(
            "voen", "name"
        )
    )
    by_contributions = text(
        "sığorta haqlarına görə", "from insurance contributions", "по страховым взносам"
    )
    for span in spans:
        employer = f"{names.get(span['employer_voen'], '')} (VÖEN {span['employer_voen']})"
        period = f"{span['first']:%m.%Y} – {span['last']:%m.%Y}"
        value = {lang: f"{period} ({by_contributions[lang]})" for lang in LANGUAGES}
        rows.append((same(employer.strip()), value))
    key = {
        "contracts": [_contract_key(contract, on) for contract in contracts],
        "employers": [
            [s["employer_voen"], s["first"].isoformat(), s["last"].isoformat()] for s in spans
        ],
    }
    return Facts(rows=rows, key=key)


TERM = {
    ContractTerm.INDEFINITE: text("müddətsiz", "indefinite", "бессрочный"),
    ContractTerm.FIXED: text("müddətli", "fixed-term until", "срочный до"),
}


def active_contracts_facts(person: Person, on: datetime.date) -> Facts:
    """İş yerləri haqqında arayış: the contracts in force on the day — employer, position,
    start and term. No wage: like E-Arayış's certificate, a third party verifying it learns
    where the person works, not what they earn (the work-history certificate has no wage
    either)."""
    contracts = [c for c in _contracts(person, on) if not _is_ended(c, on)]
    label = text(
        "Qüvvədə olan əmək müqaviləsi var",
        "Has an employment contract in force",
        "Имеет действующий трудовой договор",
    )
    rows: list[tuple[Text, Text]] = [(label, YES_NO[bool(contracts)])]
    suspended = text("dayandırılıb", "suspended since", "приостановлен с")
    for contract in contracts:
        term = TERM[ContractTerm(contract.term)]
        value = {}
        for lang in LANGUAGES:
            parts = [
                contract.position,
                f"{text('başlanğıc', 'since', 'с')[lang]} {day(contract.start_on)[lang]}",
                f"{term[lang]} {day(contract.fixed_end_on)[lang]}"
                if contract.fixed_end_on
                else term[lang],
                MAIN_JOB[contract.is_main_job][lang],
                f"№ {contract.number}",
            ]
            if contract.status == ContractStatus.SUSPENDED and contract.suspended_from:
                parts.append(f"{suspended[lang]} {day(contract.suspended_from)[lang]}")
            value[lang] = "; ".join(parts)
        rows.append((_employer(contract), value))
    key = {
        "contracts": [
            [
                contract.number,
                contract.employer.voen,
                contract.position,
                contract.start_on.isoformat(),
                contract.fixed_end_on.isoformat() if contract.fixed_end_on else None,
                contract.is_main_job,
                contract.status,
            ]
            for contract in contracts
        ]
    }
    return Facts(rows=rows, key=key)


def unemployment_facts(person: Person, on: datetime.date) -> Facts:
    """İşsiz kimi qeydiyyat: the unemployment insurance benefit MEİS pays, and an honest note."""
    awards = list(
        Award.objects.filter(_active(on), person=person, kind=AwardKind.UNEMPLOYMENT_BENEFIT)
    )
    label = text(
        "İşsizlikdən sığorta ödənişi alır",
        "Receives unemployment insurance benefit",
        "Получает страховую выплату по безработице",
    )
    register = text(
        "İşaxtaran qeydiyyatı məşğulluq orqanının reyestrindədir; MEİS-ə hələ qoşulmayıb.",
        "Job-seeker registration is kept by the employment service; "
        "that register is not yet connected to MEİS.",
        "Регистрация ищущих работу ведётся службой занятости; этот реестр ещё не подключён.",
    )
    rows = [
        (label, YES_NO[bool(awards)]),
        *_award_rows(awards),
        (text("Qeyd", "Note", "Примечание"), register),
    ]
    return Facts(rows=rows, key={"receives": bool(awards), "awards": _award_key(awards)})


def disability_facts(person: Person, on: datetime.date) -> Facts:
    """Əlillik statusu: the latest commission (TSEK) decision still in force on the day."""
    decision = (
        DisabilityDecision.objects.filter(person=person, decided_on__lte=on)
        .filter(Q(reexamine_on__isnull=True) | Q(reexamine_on__gt=on))
        .order_by("-decided_on", "-id")
        .first()
    )
    label = text("Əlilliyi müəyyən edilib", "Disability established", "Инвалидность установлена")
    rows = [(label, YES_NO[decision is not None])]
    if decision is None:
        return Facts(rows=rows, key={"has_disability": False})
    rows += [
        (
            text("Dərəcə", "Degree", "Степень"),
            each_language(decision.get_degree_display),
        ),
        (text("Qərar tarixi", "Decided on", "Дата решения"), day(decision.decided_on)),
        (
            text("Təkrar müayinə", "Valid until re-examination on", "Переосвидетельствование"),
            day(decision.reexamine_on)
            if decision.reexamine_on
            else text("müddətsiz", "indefinite", "бессрочно"),
        ),
    ]
    if decision.percentage is not None:
        rows.append(
            (
                text(
                    "Orqanizm funksiyalarının itirilməsi",
                    "Loss of body functions",
                    "Утрата функций",
                ),
                same(f"{decision.percentage}%"),
            )
        )
    key = {
        "has_disability": True,
        "degree": decision.degree,
        "until": decision.reexamine_on.isoformat() if decision.reexamine_on else None,
    }
    return Facts(rows=rows, key=key)


def household_facts(person: Person, on: datetime.date) -> Facts:
    """Ailə tərkibi: the current members of the person's household in the population register."""
    members = household_for_citizen(person=person)
    rows = [
        (
            text("Ailə üzvlərinin sayı", "Household members", "Членов семьи"),
            same(str(len(members) or 1)),
        )
    ]
    for membership in members:
        member = membership.person
        name = f"{member.last_name} {member.first_name} {member.patronymic}".strip()
        relation = each_language(membership.get_relation_display)
        value = {lang: f"{relation[lang]}, {member.birth_on:%d.%m.%Y}" for lang in LANGUAGES}
        rows.append((same(name), value))
    key = {"members": sorted([m.person_id, m.relation] for m in members)}
    return Facts(rows=rows, key=key)


def _months_overlapping(award: Award, start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months of [start, end) during which the award was paid."""
    first = max(award.start_on, start)
    last = min(award.end_on or end, end - datetime.timedelta(days=1))
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


def income_period(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The twelve full calendar months before the month of issue: [start, end)."""
    end = on.replace(day=1)
    return end.replace(year=end.year - 1), end


def income_facts(person: Person, on: datetime.date) -> Facts:
    """Sosial ödənişlərdən gəlir: pensions, benefits and assistance paid over twelve months."""
    start, end = income_period(on)
    awards = Award.objects.filter(person=person, start_on__lt=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start)
    )
    total = 0
    by_kind: dict[str, int] = {}
    for award in awards.exclude(status=AwardStatus.SUSPENDED):
        paid = (
            award.amount_qepik * (start <= award.start_on < end)
            if award.is_one_off
            else award.amount_qepik * _months_overlapping(award, start, end)
        )
        if paid:
            by_kind[award.kind] = by_kind.get(award.kind, 0) + paid
            total += paid
    period = same(f"{start:%d.%m.%Y} – {end - datetime.timedelta(days=1):%d.%m.%Y}")
    rows = [(text("Dövr", "Period", "Период"), period)]
    for kind, amount in sorted(by_kind.items()):
        rows.append((each_language(functools.partial(str, AwardKind(kind).label)), money(amount)))
    rows.append((text("Cəmi", "Total", "Итого"), money(total)))
    return Facts(
        rows=rows, key={"from": start.isoformat(), "total_qepik": total, "by_kind": by_kind}
    )

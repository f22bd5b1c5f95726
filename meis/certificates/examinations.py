"""What the disability examination statements and the decision extract state (TSERAS, §4).

Three documents from the register's commission decisions (`DisabilityDecision`):
- the last examination (Son TSEK müayinəsi barədə məlumat): the newest decision — date,
  commission, examination, result (degree, percent, cause, categories), re-examination or
  indefinite;
- the examination history (TSEK-lərdə keçirilmiş müayinələr): every decision, newest first;
- the decision extract (TSEK qərarından çıxarış): one given decision, issued for that decision
  (`meis.certificates.extracts`), never chosen from the certificates page.

A person with no decision gets a statement saying so, like every other certificate that finds
nothing in the register.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from meis.certificates.facts import (
    LANGUAGES,
    YES_NO,
    Facts,
    Text,
    day,
    each_language,
    same,
    text,
)
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Person

# The life-activity categories of the 2022 criteria (docs/domain.md §4), by their register code.
CATEGORIES: dict[str, Text] = {
    "self_care": text("özünəxidmət", "self-care", "самообслуживание"),
    "mobility": text("hərəkət", "mobility", "передвижение"),
    "orientation": text("oriyentasiya", "orientation", "ориентация"),
    "communication": text("ünsiyyət", "communication", "общение"),
    "behaviour": text("davranışa nəzarət", "behaviour control", "контроль за поведением"),
    "learning": text("təlim", "learning", "обучение"),
    "work": text("əmək fəaliyyəti", "work", "трудовая деятельность"),
}
# The causes the register records (docs/domain.md §4); an unknown code is printed as it is.
CAUSES: dict[str, Text] = {
    "general_illness": text("ümumi xəstəlik", "general illness", "общее заболевание"),
    "work_injury": text("əmək xəsarəti", "work injury", "трудовое увечье"),
    "occupational_disease": text(
        "peşə xəstəliyi", "occupational disease", "профессиональное заболевание"
    ),
    "chernobyl": text(
        "Çernobıl AES-dəki qəza", "the Chernobyl accident", "авария на Чернобыльской АЭС"
    ),
    "military_service": text("hərbi xidmət", "military service", "военная служба"),
    "january_1990": text(
        "1990-cı il 20 Yanvar hadisələri",
        "the events of 20 January 1990",
        "события 20 января 1990 года",
    ),
    "territorial_integrity": text(
        "ərazi bütövlüyünün müdafiəsi",
        "the defence of territorial integrity",
        "защита территориальной целостности",
    ),
}
EXAMINATIONS: dict[str, Text] = {
    "initial": text("ilkin müayinə", "initial examination", "первичное освидетельствование"),
    "reexamination": text("təkrar müayinə", "re-examination", "повторное освидетельствование"),
    "appeal": text(
        "şikayət üzrə müayinə", "appeal examination", "освидетельствование по обжалованию"
    ),
}
INDEFINITE = text("müddətsiz", "indefinite", "бессрочно")
NOT_RECORDED = text("qeyd edilməyib", "not recorded", "не указано")
NONE_LIMITED = text("məhdudiyyət qeyd edilməyib", "none recorded", "ограничения не указаны")

EXAMINED = text(
    "Tibbi-sosial ekspert komissiyasının (TSEK) qərarı var",
    "An expert commission (TSEK) decision is recorded",
    "Имеется решение медико-социальной экспертной комиссии (МСЭК)",
)
NOTHING_NOTE = text(
    "Reyestrdə sizin barənizdə tibbi-sosial ekspert komissiyasının qərarı yoxdur. Müayinədən "
    "keçmisinizsə və qərar göstərilmirsə, DOST xidmət mərkəzində soruşun və ya 142-yə zəng edin.",
    "The register holds no expert-commission decision about you. If you were examined and the "
    "decision is missing, ask at a DOST service centre or call 142.",
    "В реестре нет решений медико-социальной экспертной комиссии о вас. Если вы проходили "
    "освидетельствование, а решения нет, обратитесь в центр DOST или позвоните 142.",
)
NOTE = text("Qeyd", "Note", "Примечание")
LABELS: dict[str, Text] = {
    "examined_on": text("Müayinə tarixi", "Examined on", "Дата освидетельствования"),
    "commission": text("Komissiya", "Commission", "Комиссия"),
    "number": text("Qərarın nömrəsi", "Decision number", "Номер решения"),
    "examination": text("Müayinənin növü", "Examination", "Вид освидетельствования"),
    "degree": text("Dərəcə", "Degree", "Степень"),
    "percentage": text(
        "Orqanizm funksiyalarının itirilməsi", "Loss of body functions", "Утрата функций"
    ),
    "cause": text("Əlilliyin səbəbi", "Cause of the disability", "Причина инвалидности"),
    "categories": text(
        "Məhdudlaşmış həyat fəaliyyəti kateqoriyaları",
        "Life-activity categories limited",
        "Ограниченные категории жизнедеятельности",
    ),
    "reexamine_on": text("Təkrar müayinə", "Re-examination on", "Переосвидетельствование"),
    "count": text(
        "Qeydə alınmış müayinələr", "Examinations recorded", "Зарегистрировано освидетельствований"
    ),
    "decided_on": text("Qərar tarixi", "Decided on", "Дата решения"),
    "since": text(
        "Əlillik müəyyən edildiyi tarix",
        "Disability established from",
        "Инвалидность установлена с",
    ),
    "signed": text("İmzalanıb", "Signed", "Подписано"),
}


def _labelled(table: dict[str, Text], code: str) -> Text:
    return table.get(code) or same(code or "—")


def _or_not_recorded(value: str) -> Text:
    return same(value) if value else NOT_RECORDED


def _reexamination(decision: DisabilityDecision) -> Text:
    return day(decision.reexamine_on) if decision.reexamine_on else INDEFINITE


def _categories(decision: DisabilityDecision) -> Text:
    codes = [str(code) for code in decision.categories or []]
    if not codes:
        return NONE_LIMITED
    named = [_labelled(CATEGORIES, code) for code in codes]
    return {lang: ", ".join(name[lang] for name in named) for lang in LANGUAGES}


def _percentage(decision: DisabilityDecision) -> Text:
    return same(f"{decision.percentage}%") if decision.percentage is not None else same("—")


def _result_rows(decision: DisabilityDecision) -> list[tuple[Text, Text]]:
    """Degree, percent (from July 2022), cause and the categories limited."""
    rows = [(LABELS["degree"], each_language(decision.get_degree_display))]
    if decision.percentage is not None:
        rows.append((LABELS["percentage"], _percentage(decision)))
    rows += [
        (LABELS["cause"], _labelled(CAUSES, decision.cause)),
        (LABELS["categories"], _categories(decision)),
    ]
    return rows


def decision_key(decision: DisabilityDecision) -> list[Any]:
    """The substance of one decision, language-neutral (what a verification compares)."""
    return [
        decision.pk,
        decision.number,
        decision.degree,
        decision.percentage,
        decision.cause,
        sorted(str(code) for code in decision.categories or []),
        decision.decided_on.isoformat(),
        decision.reexamine_on.isoformat() if decision.reexamine_on else None,
    ]


def _decisions(person: Person, on: datetime.date) -> QuerySet[DisabilityDecision]:
    """The person's commission decisions taken by `on`, newest first."""
    return DisabilityDecision.objects.filter(person=person, decided_on__lte=on).order_by(
        "-decided_on", "-id"
    )


def _nothing() -> list[tuple[Text, Text]]:
    return [(EXAMINED, YES_NO[False]), (NOTE, NOTHING_NOTE)]


def last_examination_facts(person: Person, on: datetime.date) -> Facts:
    """Son TSEK müayinəsi: the newest commission decision — when, which commission, which
    examination, its result and the re-examination date or "indefinite"."""
    decision = _decisions(person, on).first()
    if decision is None:
        return Facts(rows=_nothing(), key={"examined": False})
    rows = [
        (EXAMINED, YES_NO[True]),
        (LABELS["examined_on"], day(decision.decided_on)),
        (LABELS["commission"], _or_not_recorded(decision.commission_name)),
        (LABELS["number"], _or_not_recorded(decision.number)),
        (LABELS["examination"], _labelled(EXAMINATIONS, decision.examination)),
        *_result_rows(decision),
        (LABELS["reexamine_on"], _reexamination(decision)),
    ]
    return Facts(rows=rows, key={"examined": True, "decision": decision_key(decision)})


def _history_value(decision: DisabilityDecision) -> Text:
    """One decision on one line: the examination, its result and what follows it."""
    examination = _labelled(EXAMINATIONS, decision.examination)
    degree = each_language(decision.get_degree_display)
    cause = _labelled(CAUSES, decision.cause)
    categories = _categories(decision)
    reexamine = _reexamination(decision)
    value = {}
    for lang in LANGUAGES:
        parts = [examination[lang], degree[lang]]
        if decision.percentage is not None:
            parts.append(f"{decision.percentage}%")
        parts += [
            f"{LABELS['cause'][lang]}: {cause[lang]}",
            f"{LABELS['categories'][lang]}: {categories[lang]}",
            f"{LABELS['reexamine_on'][lang]}: {reexamine[lang]}",
        ]
        if decision.number:
            parts.append(f"№ {decision.number}")
        value[lang] = "; ".join(parts)
    return value


def _history_label(decision: DisabilityDecision) -> Text:
    """The date of the examination and the commission that held it."""
    when = f"{decision.decided_on:%d.%m.%Y}"
    commission = decision.commission_name
    return same(f"{when}, {commission}") if commission else same(when)


def examinations_history_facts(person: Person, on: datetime.date) -> Facts:
    """TSEK-lərdə keçirilmiş müayinələr: every commission decision, newest first."""
    decisions = list(_decisions(person, on))
    if not decisions:
        return Facts(rows=_nothing(), key={"decisions": []})
    rows = [
        (EXAMINED, YES_NO[True]),
        (LABELS["count"], same(str(len(decisions)))),
    ]
    rows += [(_history_label(d), _history_value(d)) for d in decisions]
    return Facts(rows=rows, key={"decisions": [decision_key(d) for d in decisions]})


def _signed(members: int | None) -> Text:
    if members is None:
        return text(
            "Komissiyanın sədri və üzvləri tərəfindən gücləndirilmiş elektron imza ilə",
            "With enhanced electronic signatures by the chair and the members of the commission",
            "Усиленными электронными подписями председателя и членов комиссии",
        )
    return {
        "az": f"Komissiyanın sədri və {members} üzvü tərəfindən gücləndirilmiş elektron imza ilə",
        "en": (
            f"With enhanced electronic signatures by the chair and {members} "
            f"member{'' if members == 1 else 's'} of the commission"
        ),
        "ru": f"Усиленными электронными подписями председателя и членов комиссии ({members})",
    }


def extract_facts(decision: DisabilityDecision, *, members: int | None = None) -> Facts:
    """TSEK qərarından çıxarış: one decision as the commission signed it."""
    rows = [
        (LABELS["number"], _or_not_recorded(decision.number)),
        (LABELS["commission"], _or_not_recorded(decision.commission_name)),
        (LABELS["decided_on"], day(decision.decided_on)),
        (LABELS["examination"], _labelled(EXAMINATIONS, decision.examination)),
        *_result_rows(decision),
        (LABELS["since"], day(decision.decided_on)),
        (LABELS["reexamine_on"], _reexamination(decision)),
        (LABELS["signed"], _signed(members)),
    ]
    return Facts(rows=rows, key=extract_key(decision))


def extract_key(decision: DisabilityDecision) -> dict[str, Any]:
    """The decision as it was, and whether it is still the person's latest: a verifier of an
    extract whose decision was replaced (an appeal, a re-examination) is told the registers
    have changed since."""
    latest = (
        DisabilityDecision.objects.filter(person_id=decision.person_id)
        .order_by("-decided_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return {"decision": decision_key(decision), "is_latest": latest == decision.pk}


def extract_recheck(issued_key: dict[str, Any], on: datetime.date) -> dict[str, Any]:
    """An extract's key today, from the key it was issued with (it names its decision)."""
    stored = issued_key.get("decision") or [None]
    decision = DisabilityDecision.objects.filter(pk=stored[0]).first()
    if decision is None:
        return {"decision": None, "is_latest": False}
    return extract_key(decision)


def extract_unavailable(person: Person, on: datetime.date) -> Facts:
    """The extract is issued for one decision (`extracts.disability_decision_extract_issue`),
    never for a person and a day."""
    raise TypeError("A decision extract is issued for a decision: use extracts.")

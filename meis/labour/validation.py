"""Checks of employment-contract notifications, one row or a hundred thousand at a time.

Every notification — the web form, an uploaded file, an API call — passes the same checks
(`conclusions_check`): the employee exists and is alive, the age and working-time limits of the
Labour Code, the minimum wage for the hours (the `minimum_wage` rules scheme, evaluated
vectorised over the whole batch), one main job at a time, no second live contract with the same
employer, consistent dates. The checks read the database a fixed number of times per batch (not
per row), so a 100 000-row upload is checked in seconds.

A problem names the row, the field, a stable code (for the API and the error report) and a
translated sentence (for people).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from meis.core.identifiers import InvalidIdentifier, normalize_fin
from meis.labour.models import Contract, ContractStatus, ContractTerm, Occupation
from meis.registry.models import Person
from meis.rules.engine import evaluate_batch
from meis.rules.errors import ParameterError
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

# The columns of a notification, in the order of a file's header.
FIELDS = (
    "employee_fin",
    "occupation_code",
    "position",
    "workplace",
    "monthly_wage_qepik",
    "weekly_hours",
    "term",
    "fixed_end_on",
    "probation_months",
    "concluded_on",
    "start_on",
    "is_main_job",
)


@dataclass
class ContractDraft:
    """The terms of one notified conclusion (Labour Code Art. 43.2), as typed or uploaded."""

    employee_fin: str
    occupation_code: str
    position: str
    workplace: str
    monthly_wage_qepik: int
    weekly_hours: int
    term: str
    start_on: datetime.date
    concluded_on: datetime.date
    fixed_end_on: datetime.date | None = None
    probation_months: int = 0
    is_main_job: bool = True


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based, as the employer counts the rows of their file (0 for a single form)
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass
class Checked:
    """The outcome of checking a batch: problems by row, and what the checks resolved."""

    problems: dict[int, list[Problem]] = field(default_factory=dict)
    person_ids: dict[int, int] = field(default_factory=dict)  # row -> person id
    occupation_ids: dict[int, int] = field(default_factory=dict)  # row -> occupation id
    late: set[int] = field(default_factory=set)

    def add(self, row: int, name: str, code: str, message: str) -> None:
        self.problems.setdefault(row, []).append(Problem(row, name, code, message))

    @property
    def all_problems(self) -> list[Problem]:
        return [p for row in sorted(self.problems) for p in self.problems[row]]


def _parameter(name: str, on: datetime.date) -> int:
    return int(str(default_store().value(name, on=on)))


def _age_in_months(birth_on: datetime.date, on: datetime.date) -> int:
    """Whole months of age on `on` (the rules keep ages in months)."""
    return (on.year - birth_on.year) * 12 + on.month - birth_on.month - (on.day < birth_on.day)


def conclusions_check(
    *,
    employer_id: int,
    drafts: Sequence[ContractDraft],
    today: datetime.date,
    first_row: int = 1,
) -> Checked:
    """Check every draft; rows are numbered from `first_row` (2 for a file with a header)."""
    checked = Checked()
    rows = _rules_cover(list(enumerate(drafts, start=first_row)), checked)
    fins = _fins(rows, checked)
    people = {
        p["fin"]: p
        for p in Person.objects.filter(fin__in=set(fins.values())).values(
            "id", "fin", "birth_on", "died_on"
        )
    }
    codes = {d.occupation_code.strip() for _, d in rows}
    occupations = dict(
        Occupation.objects.filter(code__in=codes, is_active=True).values_list("code", "id")
    )
    for row, draft in rows:
        _terms_check(row, draft, checked, today)
        occupation = occupations.get(draft.occupation_code.strip())
        if occupation is None:
            checked.add(
                row,
                "occupation_code",
                "occupation_unknown",
                _("There is no occupation with this code in the classifier."),
            )
        else:
            checked.occupation_ids[row] = occupation
        fin = fins.get(row)
        if fin is None:
            continue
        person = people.get(fin)
        if person is None:
            checked.add(
                row, "employee_fin", "person_unknown", _("No person with this FİN is registered.")
            )
            continue
        checked.person_ids[row] = person["id"]
        _person_check(row, draft, person, checked)
    _live_contracts_check(employer_id, rows, checked)
    _minimum_wage_check(rows, checked)
    return checked


# The parameters the checks read on the first day of work.
PARAMETERS_READ = (
    "labour.minimum_wage",
    "labour.full_time_weekly_hours",
    "labour.longest_probation_months",
    "labour.minimum_employment_age",
    "labour.weekly_hours_under_16",
    "labour.weekly_hours_under_18",
)


def _rules_cover(
    rows: list[tuple[int, ContractDraft]], checked: Checked
) -> list[tuple[int, ContractDraft]]:
    """The rows whose first day of work the rules have parameters for; the others (a start
    before the first recorded minimum wage) get a problem and no further checks."""
    store = default_store()
    uncovered = set()
    for start_on in {d.start_on for _row, d in rows}:
        try:
            for name in PARAMETERS_READ:
                store.value(name, on=start_on)
        except ParameterError:
            uncovered.add(start_on)
    if not uncovered:
        return rows
    earliest = max(store.parameter(name).periods[0].start for name in PARAMETERS_READ)
    for row, d in rows:
        if d.start_on in uncovered:
            checked.add(
                row,
                "start_on",
                "date_out_of_range",
                _(
                    "The register's rules start on %(earliest)s; a contract that started "
                    "earlier cannot be checked. Contact the ministry."
                )
                % {"earliest": f"{earliest:%d.%m.%Y}"},
            )
    return [(row, d) for row, d in rows if d.start_on not in uncovered]


def _fins(rows: Iterable[tuple[int, ContractDraft]], checked: Checked) -> dict[int, str]:
    fins = {}
    for row, draft in rows:
        try:
            fins[row] = normalize_fin(draft.employee_fin)
        except InvalidIdentifier as error:
            checked.add(row, "employee_fin", "fin_invalid", " ".join(error.messages))
    return fins


def _terms_check(row: int, d: ContractDraft, checked: Checked, today: datetime.date) -> None:
    _required_check(row, d, checked)
    _time_check(row, d, checked)
    _term_check(row, d, checked)
    _dates_check(row, d, checked, today)


def _required_check(row: int, d: ContractDraft, checked: Checked) -> None:
    if not d.position.strip():
        checked.add(row, "position", "required", _("Enter the position."))
    if not d.workplace.strip():
        checked.add(row, "workplace", "required", _("Enter the workplace."))
    if d.monthly_wage_qepik <= 0:
        checked.add(row, "monthly_wage_qepik", "wage_not_positive", _("Enter the monthly wage."))


def _time_check(row: int, d: ContractDraft, checked: Checked) -> None:
    full_week = _parameter("labour.full_time_weekly_hours", d.start_on)
    if not 1 <= d.weekly_hours <= full_week:
        checked.add(
            row,
            "weekly_hours",
            "hours_out_of_range",
            _("The working week is from 1 to %(hours)s hours.") % {"hours": full_week},
        )
    longest_probation = _parameter("labour.longest_probation_months", d.start_on)
    if not 0 <= d.probation_months <= longest_probation:
        checked.add(
            row,
            "probation_months",
            "probation_too_long",
            _("Probation is at most %(months)s months.") % {"months": longest_probation},
        )


def _term_check(row: int, d: ContractDraft, checked: Checked) -> None:
    if d.term not in ContractTerm.values:
        checked.add(row, "term", "term_unknown", _("The term is indefinite or fixed."))
    elif d.term == ContractTerm.FIXED and d.fixed_end_on is None:
        checked.add(
            row, "fixed_end_on", "end_required", _("A fixed-term contract needs its end date.")
        )
    elif d.term == ContractTerm.FIXED and d.fixed_end_on and d.fixed_end_on <= d.start_on:
        checked.add(
            row, "fixed_end_on", "end_before_start", _("The term must end after work starts.")
        )
    elif d.term == ContractTerm.INDEFINITE and d.fixed_end_on is not None:
        checked.add(
            row,
            "fixed_end_on",
            "end_not_allowed",
            _("An indefinite contract has no end date; choose fixed-term or remove the date."),
        )


def _dates_check(row: int, d: ContractDraft, checked: Checked, today: datetime.date) -> None:
    if d.concluded_on > d.start_on:
        checked.add(
            row,
            "concluded_on",
            "concluded_after_start",
            _("The contract is concluded on or before the first day of work."),
        )
    elif d.concluded_on > today:
        checked.add(
            row,
            "concluded_on",
            "concluded_in_future",
            _("A contract cannot be notified before it is concluded."),
        )
    if d.start_on < today:
        checked.late.add(row)


def _person_check(row: int, d: ContractDraft, person: Mapping[str, Any], c: Checked) -> None:
    died_on = person["died_on"]
    if isinstance(died_on, datetime.date) and died_on <= d.start_on:
        c.add(
            row,
            "employee_fin",
            "person_deceased",
            _("The register records this person as deceased."),
        )
        return
    birth_on = person["birth_on"]
    assert isinstance(birth_on, datetime.date)  # noqa: S101 — a registry column, never null
    age = _age_in_months(birth_on, d.start_on)
    youngest = _parameter("labour.minimum_employment_age", d.start_on)
    if age < youngest:
        c.add(
            row,
            "employee_fin",
            "too_young",
            _("A contract may be concluded from the age of %(age)s.") % {"age": youngest // 12},
        )
        return
    limit = None
    if age < 16 * 12:
        limit = _parameter("labour.weekly_hours_under_16", d.start_on)
    elif age < 18 * 12:
        limit = _parameter("labour.weekly_hours_under_18", d.start_on)
    if limit is not None and d.weekly_hours > limit:
        c.add(
            row,
            "weekly_hours",
            "hours_over_minor_limit",
            _("An employee of this age works at most %(hours)s hours a week.") % {"hours": limit},
        )


def _live_contracts_check(
    employer_id: int, rows: Sequence[tuple[int, ContractDraft]], checked: Checked
) -> None:
    """One main job at a time; one live contract with the same employer — in the register and
    within the batch itself."""
    person_ids = set(checked.person_ids.values())
    live = Contract.objects.filter(person_id__in=person_ids).exclude(
        status=ContractStatus.TERMINATED
    )
    main_elsewhere = set(live.filter(is_main_job=True).values_list("person_id", flat=True))
    here = set(live.filter(employer_id=employer_id).values_list("person_id", flat=True))
    in_batch_main = Counter(
        checked.person_ids[r] for r, d in rows if d.is_main_job and r in checked.person_ids
    )
    in_batch = Counter(checked.person_ids[r] for r, _d in rows if r in checked.person_ids)
    for row, draft in rows:
        person_id = checked.person_ids.get(row)
        if person_id is None:
            continue
        if person_id in here or in_batch[person_id] > 1:
            checked.add(
                row,
                "employee_fin",
                "duplicate",
                _("This employee already has a live contract with your organisation."),
            )
        elif draft.is_main_job and (person_id in main_elsewhere or in_batch_main[person_id] > 1):
            checked.add(
                row,
                "is_main_job",
                "second_main_job",
                _(
                    "This employee already has a main job; notify this one as secondary "
                    "(additional) work."
                ),
            )


def _minimum_wage_check(rows: Sequence[tuple[int, ContractDraft]], checked: Checked) -> None:
    """The minimum wage in force on the first day of work, pro rata to the hours, vectorised."""
    valid = [
        (row, d)
        for row, d in rows
        if d.monthly_wage_qepik > 0 and d.weekly_hours > 0 and d.weekly_hours <= 7 * 24
    ]
    if not valid:
        return
    frame = pl.DataFrame(
        {
            "row": [row for row, _d in valid],
            "start_on": [d.start_on for _r, d in valid],
            "monthly_wage_qepik": [d.monthly_wage_qepik for _r, d in valid],
            "weekly_hours": [d.weekly_hours for _r, d in valid],
        },
        schema={
            "row": pl.Int64,
            "start_on": pl.Date,
            "monthly_wage_qepik": pl.Int64,
            "weekly_hours": pl.Int64,
        },
    )
    scheme = get_scheme("minimum_wage")
    for (start_on,), group in frame.group_by("start_on"):
        assert isinstance(start_on, datetime.date)  # noqa: S101 — a Date column
        result = evaluate_batch(scheme, group, on=start_on)
        for row, required in (
            result.filter(~pl.col("is_compliant")).select("row", "required_wage_qepik").iter_rows()
        ):
            checked.add(
                row,
                "monthly_wage_qepik",
                "below_minimum_wage",
                _(
                    "The wage is below the minimum wage for these hours: at least "
                    "%(amount)s AZN a month."
                )
                % {"amount": f"{required // 100}.{required % 100:02d}"},
            )

"""Reads of vacancies: the public search (vakansiya axtarışı) of open vacancies, filtered and
paged; and an employer's own vacancies with their referrals (at the end).

`Vacancy.search_text` holds the vacancy's words folded by `fold` (lower case, Azerbaijani
letters to plain Latin), so "muhasib" finds "Mühasib". On PostgreSQL the words are matched by
full-text search over the stored `search_vector` (`to_tsvector('simple', search_text)`,
migration 0005) with its GIN index (each typed word a prefix: "muha" finds "mühasib"); on
SQLite each word is a substring match.

A query is reduced to at most `MAX_WORDS` words of letters and digits before it reaches the
database, and those words are passed as a parameter, never spliced into SQL: a 10,000-character
query or a piece of SQL is a handful of harmless words. The total is counted up to `COUNT_CAP`
(a count over 100,000 rows on every page would be the slowest part of the search); the results
are ranked by relevance only when at most `RANK_CAP` vacancies match (ranking reads every match),
otherwise newest first like a search without words, read in index order (`_newest_matching_ids`).
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from meis.employment.models import Referral, ReferralOutcome, Vacancy, VacancyStatus

MAX_WORDS = 10
# Letters a word keeps from the query: longer words are cut (no word in the vacancies is longer).
MAX_WORD_LENGTH = 40
# Characters of the query read at all: the rest of a pasted page is ignored.
MAX_QUERY_LENGTH = 500
COUNT_CAP = 10_000
RANK_CAP = 1_000
MAX_PER_PAGE = 100

_FOLD = str.maketrans(
    {
        "ə": "e",
        "ı": "i",
        "ö": "o",
        "ü": "u",
        "ğ": "g",
        "ş": "s",
        "ç": "c",
        "ё": "е",  # Cyrillic yo, often typed as ye
        "\u0307": None,  # the dot "İ".lower() leaves on i
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case with the Azerbaijani letters folded to Latin: "Mühasib İŞÇİ" → "muhasib isci".

    Cyrillic stays Cyrillic (lower case). Used for the stored `search_text` and for queries."""
    return text.replace("İ", "i").lower().translate(_FOLD)


def query_words(text: str) -> list[str]:
    """The words of a typed query, folded: letters and digits only, at most `MAX_WORDS`."""
    words: list[str] = []
    for word in _WORD.findall(fold(text[:MAX_QUERY_LENGTH])):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
        if len(words) == MAX_WORDS:
            break
    return words


@dataclass(frozen=True)
class Page:
    """One page of results. `total` is exact up to `COUNT_CAP`; `is_total_capped` says there
    are more."""

    items: list[Vacancy]
    number: int
    per_page: int
    total: int
    is_total_capped: bool

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def vacancies_open(*, on: datetime.date | None = None) -> QuerySet[Vacancy]:
    """Vacancies anyone may see: open, and not past their closing date (the hourly job closes
    them; until it runs, the date decides)."""
    on = on or timezone.localdate()
    return Vacancy.objects.filter(status=VacancyStatus.OPEN, closes_on__gte=on)


def vacancy_get_open(*, vacancy_id: int) -> Vacancy | None:
    """An open vacancy for its public page; None when it does not exist or is no longer open."""
    if not 0 < vacancy_id < 2**63:
        return None
    return vacancies_open().select_related("employer", "occupation").filter(pk=vacancy_id).first()


def vacancy_search(
    *,
    text: str = "",
    region: str = "",
    occupation_code: str = "",
    min_salary_qepik: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """Open vacancies matching every given filter, newest first (by relevance when words are
    given and few enough vacancies match). A page past the last one is empty."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 1)
    vacancies = vacancies_open()
    if region:
        vacancies = vacancies.filter(region=region)
    if occupation_code:
        vacancies = vacancies.filter(occupation__code=occupation_code[:8])
    if min_salary_qepik is not None:
        vacancies = vacancies.filter(salary_qepik__gte=min_salary_qepik)
    base = vacancies
    words = query_words(text)
    tsquery = ""
    if words:
        vacancies, tsquery = _match(vacancies, words)
    counted = vacancies.order_by()[: COUNT_CAP + 1].count()
    total = min(counted, COUNT_CAP)
    start = (page - 1) * per_page
    if start >= total:
        return Page([], page, per_page, total, counted > COUNT_CAP)
    if tsquery and counted <= RANK_CAP:
        vacancies = vacancies.annotate(rank=_rank(tsquery)).order_by(
            F("rank").desc(), "-posted_at", "-pk"
        )
    elif tsquery:
        ids = _newest_matching_ids(base, tsquery, start=start, count=per_page)
        found = Vacancy.objects.select_related("employer", "occupation").in_bulk(ids)
        items = [found[pk] for pk in ids if pk in found]
        return Page(items, page, per_page, total, counted > COUNT_CAP)
    else:
        vacancies = vacancies.order_by("-posted_at", "-pk")
    items = list(vacancies.select_related("employer", "occupation")[start : start + per_page])
    return Page(items, page, per_page, total, counted > COUNT_CAP)


_VECTOR = f"{Vacancy._meta.db_table}.search_vector"  # migration 0005: a stored tsvector


def _newest_matching_ids(
    base: QuerySet[Vacancy], tsquery: str, *, start: int, count: int
) -> list[int]:
    """A page of a common word's matches, newest first, read in the order of the "newest"
    indexes and stopped when the page is full (PostgreSQL).

    Thousands of vacancies match a common word: collecting them all from the full-text index
    and sorting them took 40–75 ms a page at 100,000 open vacancies. Read newest first, about
    two rows are looked at per match. The planner would still choose the sort for a deep page
    (it expects few matches of a prefix), so sorting is ruled out for this one statement."""
    inner = (
        base.order_by("-posted_at", "-pk")
        .annotate(vector=RawSQL(_VECTOR, ()))  # noqa: S611 — a column name, no input
        .values("pk", "vector")
    )
    sql, params = inner.query.sql_with_params()
    statement = (
        f"SELECT page.pk FROM ({sql} OFFSET 0) AS page "  # noqa: S608 — Django's compiled SQL
        "WHERE page.vector @@ to_tsquery('simple', %s) LIMIT %s OFFSET %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(statement, (*params, tsquery, count, start))
        ids = [row[0] for row in cursor.fetchall()]
        # An enclosing transaction (a request's) goes on with the planner as it was (an error
        # above rolls the setting back with the savepoint).
        cursor.execute("RESET enable_sort")
    return ids


def _match(vacancies: QuerySet[Vacancy], words: list[str]) -> tuple[QuerySet[Vacancy], str]:
    if connection.vendor != "postgresql":
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        return vacancies.filter(condition), ""
    # Every word is letters and digits only (query_words), so "word:*" is a valid prefix term;
    # the tsquery itself still travels as a parameter. A one-letter word is matched whole: as a
    # prefix it would match nearly every vacancy.
    tsquery = " & ".join(word if len(word) == 1 else f"{word}:*" for word in words)
    matches = RawSQL(  # noqa: S611 — constant SQL; the words are a bound parameter
        f"{_VECTOR} @@ to_tsquery('simple', %s)",
        (tsquery,),
        output_field=BooleanField(),
    )
    return vacancies.filter(matches), tsquery


def _rank(tsquery: str) -> RawSQL:
    return RawSQL(  # noqa: S611 — constant SQL; the words are a bound parameter
        f"ts_rank({_VECTOR}, to_tsquery('simple', %s))",
        (tsquery,),
        output_field=FloatField(),
    )


# --- An employer's own vacancies (its pages and its API client; the caller checked access) ----


def vacancies_of_employer(*, employer_id: int) -> QuerySet[Vacancy]:
    """Every vacancy of the employer, newest first, with its referrals counted."""
    pending = Q(referrals__outcome=ReferralOutcome.PENDING)
    return (
        Vacancy.objects.filter(employer_id=employer_id)
        .select_related("occupation")
        .annotate(referral_count=Count("referrals"), pending_count=Count("referrals", pending))
        .order_by("-posted_at", "-pk")
    )


def vacancy_of_employer(*, employer_id: int, vacancy_id: int) -> Vacancy | None:
    """The employer's vacancy with this number; None for any other employer's."""
    if not 0 < vacancy_id < 2**63:
        return None
    return (
        Vacancy.objects.select_related("employer", "occupation")
        .filter(employer_id=employer_id, pk=vacancy_id)
        .first()
    )


def referrals_of_vacancy(*, vacancy: Vacancy) -> QuerySet[Referral]:
    """The job seekers referred to the vacancy (the page shows their names, never the FİN)."""
    return (
        Referral.objects.filter(vacancy=vacancy)
        .select_related("job_seeker__person")
        .order_by("-referred_on", "-pk")
    )

"""One way to write money, dates and yes/no on every page, message and PDF, in az, en and ru.

    money(42_550)          -> "425,50 manat" (az), "425.50 AZN" (en), "425,50 AZN" (ru)
    day(date(2026, 12, 4)) -> "4 dekabr 2026", "4 December 2026", "4 декабря 2026"
    day_time(datetime)     -> "4 dekabr 2026, 14:05" (in the site's time zone)
    yes_no(True)           -> "Bəli", "Yes", "Да"
    weekday_day(date)      -> "cümə, 4 dekabr 2026", "Friday, 4 December 2026"
    duration(timedelta)    -> "4 dəq 12 san", "4 min 12 s", "4 мин 12 с"

Money is integer qəpik (1 manat = 100 qəpik), written exactly: groups of three separated by a
space (az, ru) or a comma (en), two decimals after a comma (az, ru) or a point (en), then
"manat" in Azerbaijani (the currency's own name, as the ministry's letters write it) and the
ISO code "AZN" in English and Russian. Dates are day, month name and year, the month in lower
case in Azerbaijani and in the genitive in Russian. Each function takes the language (``az``,
``en``, ``ru``) or, without one, uses the active language.

`meis.rules.explain` (which imports no Django, and no other app) writes money and dates in its
explanations the same way; `meis/core/tests/test_formats.py` keeps the two in step. In templates:
``{% load formats %}`` and ``{{ amount_qepik|money }}``, ``{{ on|day }}``, ``{{ at|day_time }}``,
``{{ flag|yes_no }}``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy

LANGUAGES = ("az", "en", "ru")
MONTHS = {
    "az": [
        "yanvar",
        "fevral",
        "mart",
        "aprel",
        "may",
        "iyun",
        "iyul",
        "avqust",
        "sentyabr",
        "oktyabr",
        "noyabr",
        "dekabr",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}
# A month on its own (nominative: "декабрь 2026", not the genitive of a date).
MONTHS_ALONE = {
    "az": MONTHS["az"],
    "en": MONTHS["en"],
    "ru": [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
}
# Django's own date formats ("j E Y" in `date_format`, `dateformat.format` and the `date`
# filter) name a month in a date by these words; its Azerbaijani catalogue writes them with a
# capital ("6 Dekabr 2026"). Listed here so that the project's catalogues keep them, translated
# as MONTHS writes a date's month, wherever a date is written through Django.
DJANGO_MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
SEPARATORS = {"az": (" ", ","), "en": (",", "."), "ru": (" ", ",")}  # (group, decimal)
CURRENCY = {"az": "manat", "en": "AZN", "ru": "AZN"}


def language_or_active(language: str | None = None) -> str:
    code = (language or translation.get_language() or "az")[:2]
    return code if code in LANGUAGES else "az"


def money(qepik: int, language: str | None = None) -> str:
    """Integer qəpik as manat, exactly: "1 234,56 manat", "1,234.56 AZN", "1 234,56 AZN"."""
    lang = language_or_active(language)
    group, decimal = SEPARATORS[lang]
    sign = "-" if qepik < 0 else ""
    whole, cents = divmod(abs(int(qepik)), 100)
    grouped = f"{whole:,}".replace(",", group)
    return f"{sign}{grouped}{decimal}{cents:02d} {CURRENCY[lang]}"


def manat(amount: Decimal | int | str, language: str | None = None) -> str:
    """A manat amount (a form's Decimal) written as `money` writes qəpik."""
    return money(int((Decimal(amount) * 100).to_integral_value()), language)


def day(value: datetime.date, language: str | None = None) -> str:
    """A date as day, month name and year: "4 dekabr 2026", "4 December 2026"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    lang = language_or_active(language)
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def day_time(value: datetime.datetime, language: str | None = None) -> str:
    """A moment as its local date and time: "4 dekabr 2026, 14:05"."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local.date(), language)}, {local:%H:%M}"


WEEKDAYS = {
    "az": (
        "bazar ertəsi",
        "çərşənbə axşamı",
        "çərşənbə",
        "cümə axşamı",
        "cümə",
        "şənbə",
        "bazar",
    ),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
}
# Hours, minutes and seconds as each language abbreviates them on forms.
DURATION_UNITS = {"az": ("saat", "dəq", "san"), "en": ("h", "min", "s"), "ru": ("ч", "мин", "с")}


def weekday_day(value: datetime.date, language: str | None = None) -> str:
    """A date with its weekday: "cümə, 4 dekabr 2026", "Friday, 4 December 2026"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    lang = language_or_active(language)
    return f"{WEEKDAYS[lang][value.weekday()]}, {day(value, lang)}"


def duration(value: datetime.timedelta, language: str | None = None) -> str:
    """A length of time to the second, largest unit first: "1 saat 4 dəq", "4 min 12 s"."""
    hours_unit, minutes_unit, seconds_unit = DURATION_UNITS[language_or_active(language)]
    total = max(int(value.total_seconds()), 0)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} {hours_unit} {minutes} {minutes_unit}"
    if minutes:
        return f"{minutes} {minutes_unit} {seconds} {seconds_unit}"
    return f"{seconds} {seconds_unit}"


def month_year(value: datetime.date, language: str | None = None) -> str:
    """A month: "dekabr 2026", "December 2026", "декабрь 2026"."""
    lang = language_or_active(language)
    return f"{MONTHS_ALONE[lang][value.month - 1]} {value.year}"


def count(value: int, language: str | None = None) -> str:
    """A whole number with the language's thousands separator: "2 774 891", "2,774,891"."""
    group, _decimal = SEPARATORS[language_or_active(language)]
    return f"{int(value):,}".replace(",", group)


def decimal_number(value: float, places: int = 1, language: str | None = None) -> str:
    """A number with `places` decimals and the language's separators: "4,5", "4.5"."""
    group, decimal = SEPARATORS[language_or_active(language)]
    whole = f"{value:,.{places}f}"
    return whole.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def yes_no(value: bool | None, language: str | None = None) -> str:
    """Yes or no in the language; "—" when it is not known."""
    with translation.override(language_or_active(language)):
        if value is None:
            return "—"
        return gettext("Yes") if value else gettext("No")

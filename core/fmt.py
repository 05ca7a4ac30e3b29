"""Numbers and dates formatted per UI language with Babel (vi: 11.859,59 · 16/6/2025)."""

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from core import i18n

_DATE_PATTERNS = {"vi": "d/M/yyyy", "en": "d MMM yyyy"}
_MONTH_PATTERNS = {"vi": "'Th'M yyyy", "en": "MMM yyyy"}


def number(value: float | None, decimals: int | None = None) -> str:
    """A number with the language's separators; whole numbers print without decimals."""
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    return _number(value, decimals, i18n.lang())


# Babel formats are pure functions of value and language, and pages print the same few hundred
# dates and figures on every run: remembered, not re-formatted.
@lru_cache(maxsize=8192)
def _number(value: float, decimals: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def date(value: dt.date | None) -> str:
    """A full date: 16/6/2025 or 16 Jun 2025."""
    if value is None:
        return "—"
    return _date(value, i18n.lang())


@lru_cache(maxsize=8192)
def _date(value: dt.date, lang: str) -> str:
    return format_date(value, _DATE_PATTERNS[lang], locale=lang)


def month(value: dt.date) -> str:
    """A month label for chart ticks: Th7 2025 or Jul 2025."""
    return format_date(value, _MONTH_PATTERNS[i18n.lang()], locale=i18n.lang())


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """'16/6/2025 – 30/9/2025', or one date when there is no end."""
    if end is None or end == start:
        return date(start)
    return f"{date(start)} – {date(end)}"


def quantity(value: float, unit: str, bound: str | None = None) -> str:
    """Number plus its unit word in the current language (singular for exactly one), with its bound."""
    word = i18n.t(f"unit.{unit}.one" if value == 1 else f"unit.{unit}")
    return bounded(f"{number(value)} {word}".strip(), bound)


def bounded(text: str, bound: str | None) -> str:
    """'more than 2,770,000' for a lower bound, 'at most 300' for an upper one, else the text."""
    return i18n.t(f"bound.{bound}", value=text) if bound else text

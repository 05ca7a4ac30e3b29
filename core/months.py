"""Month choices for the period filters (from/to), without Streamlit.

A period filter is two month selects whose options are stable 'YYYY-MM' strings ('' is no bound).
The link keeps ISO dates: a chosen month means its first day (from) or its last day (to). A date
from a link that falls inside a month (from=2025-04-15) is kept as long as its select still shows
that month: ``resolve`` returns the kept date when it lies in the chosen month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from babel.dates import format_date

NO_BOUND = ""
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# 'Tháng 4/2025' and 'Apr 2025': the label depends only on the month and the language.
_PATTERNS = {"vi": "'Tháng' M/yyyy", "en": "MMM yyyy"}


def is_month(value: object) -> bool:
    return isinstance(value, str) and bool(_MONTH.match(value)) and 1 <= int(value[:4])


def month_of(day: dt.date | None) -> str:
    """'2025-04' for any day of April 2025; '' for no date."""
    return f"{day.year:04d}-{day.month:02d}" if day else NO_BOUND


def first_day(month: str) -> dt.date | None:
    """The month's first day; None for '' or anything that is not a month."""
    if not is_month(month):
        return None
    return dt.date(int(month[:4]), int(month[5:]), 1)


def last_day(month: str) -> dt.date | None:
    """The month's last day; None for '' or anything that is not a month."""
    start = first_day(month)
    if start is None:
        return None
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def span(days: Iterable[dt.date | None], always: Iterable[dt.date] = ()) -> tuple[str, str]:
    """The whole years around the given days (and the ``always`` days): ('2016-01', '2025-12').

    Whole years keep a year's months together in the list and make every preset of the
    timeline (before/after 1/7/2025, the year 2025) a choice."""
    known = [d for d in (*days, *always) if d]
    if not known:
        today = dt.date.today()
        return f"{today.year:04d}-01", f"{today.year:04d}-12"
    return f"{min(known).year:04d}-01", f"{max(known).year:04d}-12"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, newest first (the data's latest months are at the top)."""
    start, end = first_day(first), first_day(last)
    if start is None or end is None or start > end:
        return []
    out, year, month = [], end.year, end.month
    while (year, month) >= (start.year, start.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def options(first: str, last: str, *keep: str | None) -> list[str]:
    """'' (no bound) then the months from first to last, newest first.

    ``keep`` are months that must stay choosable although they lie outside the span (a link's
    date, the select's current value); they are placed in date order among the others."""
    return list(_options(first, last, tuple(m for m in keep if is_month(m))))


@lru_cache(maxsize=256)
def _options(first: str, last: str, keep: tuple[str, ...]) -> tuple[str, ...]:
    """Made once per span and kept months (two selects on every run of the timeline and trips)."""
    months = set(months_between(first, last))
    months.update(keep)
    return (NO_BOUND, *sorted(months, reverse=True))


@lru_cache(maxsize=256)
def labels(choices: tuple[str, ...], lang: str, no_bound: str) -> dict[str, str]:
    """Every choice's label in a language, the no-bound choice named ``no_bound`` (read only)."""
    return {m: no_bound if m == NO_BOUND else label(m, lang) for m in choices}


@lru_cache(maxsize=4096)
def label(month: str, lang: str) -> str:
    """'Tháng 4/2025' (vi) or 'Apr 2025' (en); anything that is not a month is shown as itself."""
    start = first_day(month)
    if start is None:
        return str(month)
    return format_date(start, _PATTERNS.get(lang, _PATTERNS["en"]), locale=lang if lang in _PATTERNS else "en")


def resolve(month: str | None, kept: dt.date | None, end: bool) -> dt.date | None:
    """The date a select stands for: the kept date when it lies in the chosen month (a link's
    exact day), else the month's first day (from) or last day (``end``: to); None for no bound."""
    if not is_month(month):
        return None
    if kept and month_of(kept) == month:
        return kept
    return last_day(month) if end else first_day(month)


def ordered(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """Two dates in the wrong order are swapped, so every view the selects make is a valid link."""
    if date_from and date_to and date_from > date_to:
        return date_to, date_from
    return date_from, date_to

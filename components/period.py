"""The period filter: 'from month' / 'to month' selects in place of Streamlit's date picker.

Streamlit's calendar cannot be told its language (it shows 'December 2026', 'S M T W T F S' and
opens on today's month), so the period is chosen by month, with labels in the page's language.
The link keeps ISO dates (see core/months.py): a chosen month writes its first day (from) or
last day (to); a link's exact day (from=2025-04-15) is kept while its select shows that month.

Each select has a companion session value '<key>.day': the exact date the select stands for. It
is seeded from the link like the select, set by callbacks that set the select (presets, reset,
swap), and after every run holds the date the view shows, so that a select changed away and back
means the month's first/last day again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from components import cache, url_session, widgets
from core import catalog, fmt, i18n, months, timeline, trips, url_state
from core.i18n import t


def _day(key: str) -> str:
    return f"{key}.day"


@cache.shared(max_entries=8)
def _span(cat: catalog.Catalog) -> tuple[str, str]:
    """The months the lists offer: whole years around every event and trip (and 2025)."""
    days: list[dt.date | None] = []
    if "events" in cat.datasets:
        days += [d for e in cat["events"].records for d in (e.date, e.end_date)]
    if "trips" in cat.datasets:
        days += [d for trip in cat["trips"].records for d in trips.dates_of(trip)]
    return months.span(days, always=(timeline.TWO_TIER_START,))


def dates(keys: tuple[str, str]) -> tuple[dt.date | None, dt.date | None]:
    """In a callback: the (from, to) dates the two selects now stand for, in order."""
    chosen = [months.resolve(url_session.widget_value(key), url_session.widget_value(_day(key)), end=i == 1)
              for i, key in enumerate(keys)]
    return months.ordered(*chosen)


def set_dates(keys: tuple[str, str], date_from: dt.date | None, date_to: dt.date | None) -> None:
    """From a callback (a preset, a reset): show these dates' months and stand for exactly these dates."""
    for key, day in zip(keys, (date_from, date_to), strict=True):
        url_session.set_widget(key, months.month_of(day))
        url_session.set_widget(_day(key), day)


def _on_change(keys: tuple[str, str], then: Callable[[], None] | None) -> None:
    """A month chosen: months in the wrong order are swapped (both then mean whole months)."""
    first, second = (url_session.widget_value(key) for key in keys)
    if months.is_month(first) and months.is_month(second) and first > second:
        url_session.set_widget(keys[0], second)
        url_session.set_widget(keys[1], first)
        for key in keys:
            url_session.set_widget(_day(key), None)
    if then:
        then()


def month_selects(state: url_state.ViewState, keys: tuple[str, str], labels: tuple[str, str], columns,
                  on_change: Callable[[], None] | None = None) -> tuple[dt.date | None, dt.date | None]:
    """Two month selects (from, to) in the given columns; returns the dates of the view, in order.

    ``on_change`` runs in the selects' callback after a wrong order has been swapped."""
    lang = i18n.lang()
    first, last = _span(catalog.get())
    shown = (state.date_from, state.date_to)
    chosen = []
    for i, (base, label, column) in enumerate(zip(keys, labels, columns, strict=True)):
        key = url_session.lang_key(base)  # labels are translated (widget rule 3)
        url_session.seed(key, months.month_of(shown[i]))
        url_session.seed(_day(base), shown[i])
        options = months.options(first, last, months.month_of(shown[i]), url_session.widget_value(base))
        names = months.labels(tuple(options), lang, t("common.period.any"))
        value = column.selectbox(label, options, key=key, format_func=widgets.labels(names),
                                 placeholder=t("common.period.placeholder"), on_change=_on_change,
                                 args=(keys, on_change))
        chosen.append(months.resolve(value if value in options else months.NO_BOUND,
                                     url_session.widget_value(_day(base)), end=i == 1))
    date_from, date_to = months.ordered(*chosen)
    for base, day, column, end in zip(keys, (date_from, date_to), columns, (False, True), strict=True):
        url_session.set_widget(_day(base), day)  # what the select stands for from now on
        if day and day != (months.last_day if end else months.first_day)(months.month_of(day)):
            column.caption(t("common.period.exact_to" if end else "common.period.exact_from", date=fmt.date(day)))
    return date_from, date_to

"""Metric logic without Streamlit: periods as dates, filters, latest values, chartable groups."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from core import fmt, i18n, schemas

# The page's order of schemas.DOMAINS: the IOC first (its figures, what it monitors, follow the IOC
# profile), then the others in the vocabulary's order (the URL's).
DOMAINS = ("ioc", *(d for d in schemas.DOMAINS if d != "ioc"))
ENTITIES = schemas.ENTITIES
DEFAULT_DOMAIN = DOMAINS[0]
# The digest's headline figures: (indicator, entity), each shown with its latest value.
HEADLINE = (
    ("ioc_services_at_launch", "old_danang"),
    ("ioc_dossiers_flagged_early", "old_danang"),
    ("late_dossier_share", "old_danang"),
    ("dti_rank", "old_danang"),
    ("dti_rank", "new_city"),
    ("open_datasets", "new_city"),
)
_PART = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def _bounds_of(part: str) -> tuple[dt.date, dt.date]:
    """'2022' -> whole year; '2025-06' -> whole month."""
    match = _PART.match(part)
    if not match:
        raise ValueError(f"not a period: {part!r}")
    year, month = int(match.group(1)), match.group(2)
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    last = calendar.monthrange(year, int(month))[1]
    return dt.date(year, int(month), 1), dt.date(year, int(month), last)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day a period covers: '2022', '2025-06', '2016/2018', '2024-01/2024-09'."""
    first, _, last = period.partition("/")
    return _bounds_of(first)[0], _bounds_of(last or first)[1]


def midpoint(period: str) -> dt.date:
    """The middle day of a period: where its point sits on a time axis."""
    start, end = period_bounds(period)
    return start + (end - start) / 2


def overlaps(start: dt.date, end: dt.date, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """True when [start, end] shares a day with [date_from, date_to] (open ends allowed)."""
    return (date_from is None or end >= date_from) and (date_to is None or start <= date_to)


def _part_label(part: str) -> str:
    start, _ = _bounds_of(part)
    return str(start.year) if len(part) == 4 else fmt.month(start)


def period_label(period: str) -> str:
    """'2022', 'Th6 2025', '2016–2018', 'Th1 2024 – Th9 2024' in the UI language."""
    first, _, last = period.partition("/")
    if not last:
        return _part_label(first)
    joiner = "–" if len(first) == len(last) == 4 else " – "
    return _part_label(first) + joiner + _part_label(last)


def filter_metrics(metrics, domains=(), date_from=None, date_to=None) -> list[schemas.Metric]:
    """Metrics in the chosen domains (all when none) whose period overlaps [from, to]."""
    return [m for m in metrics if (not domains or m.domain in domains)
            and overlaps(*period_bounds(m.period), date_from, date_to)]


def open_domain(domains) -> str:
    """The one domain a link opens: the first known one it names (old links named several)."""
    return next((d for d in domains if d in DOMAINS), DEFAULT_DOMAIN)


def domain_param(domain: str, linked=()) -> tuple[str, ...]:
    """The link's value for the open domain: one slug; none when the default opened by itself."""
    if domain not in DOMAINS or (domain == DEFAULT_DOMAIN and open_domain(linked) == domain
                                 and not set(linked) & set(DOMAINS)):
        return ()
    return (domain,)


def headline(metrics, picks=HEADLINE) -> list[schemas.Metric]:
    """The latest value of each headline (indicator, entity), in the picks' order; missing ones skipped."""
    latest_of = {(m.indicator, m.entity): m for m in latest(metrics)}
    return [latest_of[pick] for pick in picks if pick in latest_of]


def by_domain(metrics) -> dict[str, list[schemas.Metric]]:
    """Metrics grouped by domain, in the fixed domain order (only domains that have any)."""
    groups = {d: [m for m in metrics if m.domain == d] for d in DOMAINS}
    return {d: group for d, group in groups.items() if group}


def _recency(metric: schemas.Metric) -> tuple:
    start, end = period_bounds(metric.period)
    return end, start, metric.as_of or dt.date.min


def latest(metrics) -> list[schemas.Metric]:
    """One metric per (indicator, entity): the one whose period ends last.

    Ordered by indicator (first seen in the data), then entity in the fixed order.
    """
    best: dict[tuple[str, str], schemas.Metric] = {}
    first_seen: dict[str, int] = {}
    for metric in metrics:
        first_seen.setdefault(metric.indicator, len(first_seen))
        key = (metric.indicator, metric.entity)
        if key not in best or _recency(metric) > _recency(best[key]):
            best[key] = metric
    return sorted(best.values(), key=lambda m: (first_seen[m.indicator], ENTITIES.index(m.entity)))


class ChartGroup(NamedTuple):
    """Metrics that may share one axis: one indicator with one base (denominator, rank_of)."""

    indicator: str
    records: tuple[schemas.Metric, ...]


def base_key(metric: schemas.Metric) -> tuple:
    """What must be equal for two values to share an axis."""
    denominator = metric.denominator.vi if metric.denominator else ""
    return metric.indicator, metric.unit, denominator, metric.rank_of


def chart_groups(metrics) -> tuple[list[ChartGroup], list[schemas.Metric]]:
    """Groups with at least two values to draw, and the values left out because their base differs.

    A value alone on its base is not drawn (its card shows it); when its indicator has a drawn
    group, it is returned as 'left out' so the page can say why it is not on that chart.
    """
    groups: dict[tuple, list[schemas.Metric]] = {}
    for metric in metrics:
        groups.setdefault(base_key(metric), []).append(metric)
    drawn = [ChartGroup(key[0], tuple(sorted(rows, key=_recency))) for key, rows in groups.items()
             if len(rows) >= 2]
    drawn_indicators = {g.indicator for g in drawn}
    left_out = [m for rows in groups.values() if len(rows) < 2 for m in rows
                if m.indicator in drawn_indicators]
    return drawn, left_out


def series(records) -> dict[str, list[schemas.Metric]]:
    """Records per entity (fixed entity order), each in period order."""
    ordered = sorted(records, key=lambda m: period_bounds(m.period))
    found = {e: [m for m in ordered if m.entity == e] for e in ENTITIES}
    return {e: rows for e, rows in found.items() if rows}


def joins(records) -> list[bool]:
    """For each pair of neighbours (in period order): may a line join them?

    Only when the second period starts the day after the first ends: a line across a missing
    period would suggest values nobody measured, and overlapping periods are not a sequence.
    """
    bounds = sorted(period_bounds(m.period) for m in records)
    return [b[0] - a[1] == dt.timedelta(days=1) for a, b in zip(bounds, bounds[1:], strict=False)]


def decimals(value: float) -> int:
    """Decimals needed to show a curated value as written (at most 4)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def value_text(metric: schemas.Metric) -> str:
    """'0,8335', '2/63', '98,8 %', '11.224' in the UI language."""
    number = fmt.number(metric.value, decimals(metric.value))
    if metric.unit == "rank":
        return f"{number}/{metric.rank_of}" if metric.rank_of else number
    if metric.unit == "percent":
        return fmt.bounded(f"{number} {i18n.t('unit.percent')}", metric.bound)
    return fmt.bounded(number, metric.bound)


def indicator_title(label: str) -> str:
    """An indicator's name from one record's label: drop the year and the place after ' – ' or ','."""
    head = re.split(r" – |, ", label, maxsplit=1)[0]
    head = re.sub(r"\s*\b(19|20)\d{2}\b", "", head).strip(" ,–-")
    return head or label


def year_span(metrics, events=()) -> tuple[int, int]:
    """First and last year that any metric period or event touches."""
    years = [y for m in metrics for y in (period_bounds(m.period)[0].year, period_bounds(m.period)[1].year)]
    years += [e.date.year for e in events]
    return (min(years), max(years)) if years else (dt.date.today().year,) * 2


def years_of(date_from, date_to, span: tuple[int, int]) -> tuple[int, int]:
    """The year pickers' values for a date range, clamped to the data's span."""
    lo, hi = span
    first = min(max(date_from.year, lo), hi) if date_from else lo
    last = max(min(date_to.year, hi), lo) if date_to else hi
    return first, max(first, last)


def dates_of(first: int, last: int, span, date_from=None, date_to=None):
    """(from, to) for picked years; the link's own dates stay when the years did not change.

    The full span means 'no period filter' (None, None), so the link stays short.
    """
    first, last = min(first, last), max(first, last)
    if (first, last) == years_of(date_from, date_to, span):
        return date_from, date_to
    start = None if first == span[0] else dt.date(first, 1, 1)
    end = None if last == span[1] else dt.date(last, 12, 31)
    return start, end


def smart_city_events(events, date_from=None, date_to=None) -> list[schemas.Event]:
    """Smart-city events whose dates overlap [from, to], oldest first."""
    chosen = [e for e in events if "smart-city" in e.topics
              and overlaps(e.date, e.end_date or e.date, date_from, date_to)]
    return sorted(chosen, key=lambda e: (e.date, e.id))

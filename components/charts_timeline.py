"""Pure timeline chart builder: events -> plotly Figure (markers for dated acts, bars for ranges)."""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go

from core import fmt, i18n, schemas
from core.timeline import TWO_TIER_START

# Okabe–Ito colours (safe for the common colour-vision deficiencies); a dark outline keeps the
# lighter ones visible on white, and each topic also has its own lane, so colour is never alone.
COLOURS = {"policy": "#0072B2", "merger": "#D55E00", "apparatus": "#009E73",
           "training": "#CC79A7", "smart-city": "#E69F00"}
OUTLINE = "#1f1f1f"
SUBROWS = (0.0, -0.26, 0.26)
DAY_MS = 24 * 3600 * 1000
HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}<extra></extra>"


def is_milestone(event: schemas.Event) -> bool:
    """A dated act (a decree's date): no end date, or ending the day it starts."""
    return event.end_date is None or event.end_date == event.date


def _end(event: schemas.Event) -> dt.date:
    return event.end_date or event.date


def _bounds(events: list[schemas.Event]) -> tuple[dt.date, dt.date]:
    """The shown date range: the events' span with a margin so edge markers are not cut."""
    lo, hi = min(e.date for e in events), max(_end(e) for e in events)
    pad = dt.timedelta(days=max(10, (hi - lo).days // 25))
    return lo - pad, hi + pad


def _month_starts(lo: dt.date, hi: dt.date, step: int) -> list[dt.date]:
    months = range(lo.year * 12 + lo.month, hi.year * 12 + hi.month + 1)
    starts = [dt.date((m - 1) // 12, (m - 1) % 12 + 1, 1) for m in months if (m - 1) % step == 0]
    return [d for d in starts if lo <= d <= hi]


def ticks(lo: dt.date, hi: dt.date, most: int = 7) -> tuple[list[dt.date], list[str]]:
    """Tick dates and their labels in the UI language (plotly's own locale is English only)."""
    span = (hi - lo).days
    if span <= 70:
        step = next(s for s in (1, 2, 5, 10, 15) if span / s <= most)
        days = [lo + dt.timedelta(days=i) for i in range(span + 1)]
        days = [d for d in days if (d.day - 1) % step == 0 and (step < 5 or d.day < 31)]
        return days, [fmt.date(d) for d in days]
    step = next((s for s in (1, 2, 3, 6, 12, 24, 36, 60, 120) if span / 30.4 / s <= most), 240)
    starts = _month_starts(lo, hi, step)
    labels = [str(d.year) if step >= 12 else fmt.month(d) for d in starts]
    return starts, labels


def _lanes(events: list[schemas.Event], only: tuple[str, ...]) -> dict[str, int]:
    """Topic -> lane index, in the fixed topic order, only topics that have events (and were chosen)."""
    present = [t for t in schemas.TOPICS if (not only or t in only) and any(t in e.topics for e in events)]
    return {topic: index for index, topic in enumerate(present)}


def _offsets(events: list[schemas.Event], gap: dt.timedelta) -> dict[str, float]:
    """Spread events that would overlap in one lane onto sub-rows (greedy, in date order)."""
    last_end: list[dt.date | None] = [None] * len(SUBROWS)
    offsets = {}
    for index, event in enumerate(sorted(events, key=lambda e: (e.date, e.id))):
        free = [i for i, end in enumerate(last_end) if end is None or event.date - end > gap]
        row = free[0] if free else index % len(SUBROWS)
        last_end[row] = _end(event)
        offsets[event.id] = SUBROWS[row]
    return offsets


def _customdata(event: schemas.Event, topic_label: str) -> list[str]:
    """Event id first (selection reads it); escaped title, date and topic for the hover."""
    title = html.escape(i18n.pick(event.title)[0])
    return [event.id, title, fmt.date_range(event.date, event.end_date), html.escape(topic_label)]


def _points(events, topic, lane, offsets, label) -> dict:
    return {"y": [lane + offsets[e.id] for e in events],
            "customdata": [_customdata(e, label) for e in events],
            "name": label, "legendgroup": topic, "hovertemplate": HOVER, "showlegend": False}


def _milestone_trace(events, topic, lane, offsets, label) -> go.Scatter:
    return go.Scatter(x=[e.date.isoformat() for e in events], mode="markers",
                      marker={"symbol": "diamond", "size": 14, "color": COLOURS[topic],
                              "line": {"width": 1.2, "color": OUTLINE}},
                      **_points(events, topic, lane, offsets, label))


def _range_trace(events, topic, lane, offsets, label) -> go.Bar:
    """Ranges as horizontal bars: base = first day, length = days covered (inclusive) in ms."""
    return go.Bar(base=[e.date.isoformat() for e in events], orientation="h", width=0.3,
                  x=[((_end(e) - e.date).days + 1) * DAY_MS for e in events],
                  marker={"color": COLOURS[topic], "line": {"width": 1, "color": OUTLINE}},
                  **_points(events, topic, lane, offsets, label))


def _topic_traces(events, topic, lane, labels, gap) -> list:
    mine = [e for e in events if topic in e.topics]
    offsets = _offsets(mine, gap)
    label = labels.get(topic, topic)
    dated, ranged = [e for e in mine if is_milestone(e)], [e for e in mine if not is_milestone(e)]
    traces = [_range_trace(ranged, topic, lane, offsets, label)] if ranged else []
    return traces + ([_milestone_trace(dated, topic, lane, offsets, label)] if dated else [])


def _add_two_tier_line(fig: go.Figure, label: str, lo: dt.date, hi: dt.date) -> None:
    """A dashed vertical line on 1/7/2025, when the shown range includes it."""
    if not lo <= TWO_TIER_START <= hi:
        return
    x = TWO_TIER_START.isoformat()
    # Text on the side with more room, so it is not cut off at the plot's edge.
    side = "right" if (TWO_TIER_START - lo) > (hi - TWO_TIER_START) else "left"
    fig.add_shape(type="line", x0=x, x1=x, yref="paper", y0=0, y1=1,
                  line={"color": "#444444", "width": 2, "dash": "dash"})
    text = "<br>".join(html.escape(part.strip()) for part in label.split(":", 1))
    fig.add_annotation(x=x, yref="paper", y=1, yanchor="bottom", xanchor=side, align=side, text=text,
                       showarrow=False, font={"size": 12, "color": "#222222"}, bgcolor="#ffffff")


def lane_label(label: str, width: int = 12) -> str:
    """Long lane labels on two lines, so the plot keeps its width on a phone."""
    words = label.split(" ")
    if len(label) <= width or len(words) < 2:
        return html.escape(label)
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(label) / 2))
    return html.escape(" ".join(words[:cut])) + "<br>" + html.escape(" ".join(words[cut:]))


def _add_ring(fig: go.Figure, selected: str) -> None:
    """A ring around the open event on each of its lanes, so the class sees which one is discussed."""
    spots = [(trace.base[i] if isinstance(trace, go.Bar) else trace.x[i], trace.y[i], row)
             for trace in fig.data for i, row in enumerate(trace.customdata) if row[0] == selected]
    if spots:
        fig.add_trace(go.Scatter(
            x=[s[0] for s in spots], y=[s[1] for s in spots], customdata=[s[2] for s in spots],
            mode="markers", hovertemplate=HOVER, showlegend=False, name="selected",
            marker={"symbol": "circle-open", "size": 30, "color": OUTLINE, "line": {"width": 3}}))


def _layout(fig: go.Figure, lanes: dict[str, int], labels: dict[str, str], lo, hi) -> None:
    """Fixed axes: the period is chosen with the (linkable) date filter, not by zooming."""
    tickvals, ticktext = ticks(lo, hi)
    fig.update_layout(
        height=110 + 64 * max(len(lanes), 1), margin={"l": 8, "r": 16, "t": 52, "b": 40},
        showlegend=False, hovermode="closest", clickmode="event+select", barmode="overlay",
        plot_bgcolor="#ffffff", font={"size": 14}, hoverlabel={"font_size": 14}, dragmode=False,
    )
    fig.update_xaxes(type="date", range=[lo.isoformat(), hi.isoformat()], tickmode="array",
                     tickvals=[d.isoformat() for d in tickvals], ticktext=ticktext, fixedrange=True,
                     showgrid=True, gridcolor="#e6e6e6", linecolor="#888888")
    fig.update_yaxes(tickmode="array", tickvals=list(lanes.values()), fixedrange=True,
                     ticktext=[lane_label(labels.get(t, t)) for t in lanes],
                     range=[len(lanes) - 0.5, -0.5], showgrid=True, gridcolor="#f0f0f0", zeroline=False)


def timeline_figure(events: list[schemas.Event], labels: dict[str, str], line_label: str,
                    topics: tuple[str, ...] = (), selected: str = "") -> go.Figure:
    """One lane per topic; an event with several topics appears on each lane with the same id.

    Args:
        labels: topic slug -> translated lane label.
        line_label: the annotation of the 1/7/2025 line, already translated.
        topics: the topics chosen in the filter; only their lanes are drawn (all when empty).
        selected: the open event's id, ringed on the chart.
    """
    fig = go.Figure()
    lanes = _lanes(events, topics)
    if not lanes:
        return fig
    lo, hi = _bounds(events)
    gap = dt.timedelta(days=max(1, (hi - lo).days // 40))
    for topic, lane in lanes.items():
        fig.add_traces(_topic_traces(events, topic, lane, labels, gap))
    _add_ring(fig, selected)
    _layout(fig, lanes, labels, lo, hi)
    _add_two_tier_line(fig, line_label, lo, hi)
    return fig


def selected_event(selection) -> str | None:
    """The event id of the first selected point (never its x value: date-axis x can be wrong)."""
    points = ((selection or {}).get("selection") or {}).get("points") or []
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, (list, tuple)) and custom else custom
        if isinstance(value, str) and value:
            return value
    return None

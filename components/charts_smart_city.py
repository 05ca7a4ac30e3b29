"""Pure chart builder for the smart-city page: one indicator on one base per figure, a trace per entity."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from core import metrics, schemas

# Okabe–Ito colours, plus a marker shape per entity so colour is never the only cue.
COLOURS = {"old_danang": "#0072B2", "new_city": "#D55E00", "old_quangnam": "#009E73"}
SYMBOLS = {"old_danang": "circle", "new_city": "diamond", "old_quangnam": "square"}
OUTLINE = "#1f1f1f"
HOVER = "<b>%{fullData.name}</b><br>%{customdata[0]}: %{customdata[1]}<extra></extra>"


def _trace(entity: str, rows: list[schemas.Metric], name: str) -> go.Scatter:
    """One entity's values; a line joins only neighbouring periods (a gap breaks it)."""
    points: list[tuple] = []
    for row, joined in zip(rows, [True, *metrics.joins(rows)], strict=True):
        if not joined:
            points.append((None, None, None, [None, None, None]))
        text = metrics.value_text(row)
        points.append((metrics.midpoint(row.period), row.value, text,
                       [metrics.period_label(row.period), text, row.id]))
    x, y, text, custom = (list(column) for column in zip(*points, strict=True))
    return go.Scatter(
        x=x, y=y, text=text, customdata=custom, name=name, connectgaps=False, cliponaxis=False,
        mode="lines+markers+text" if any(metrics.joins(rows)) else "markers+text", textposition="top center",
        marker={"symbol": SYMBOLS[entity], "size": 12, "color": COLOURS[entity],
                "line": {"color": OUTLINE, "width": 1}},
        line={"color": COLOURS[entity], "width": 3}, hovertemplate=HOVER,
    )


def _rank_ticks(bottom: int) -> list[int]:
    """1, round tens, and the lowest rank (values are written on the points themselves)."""
    if bottom <= 10:
        return list(range(1, bottom + 1))
    return [1, *range(10, bottom - 4, 10), bottom]


def _x_axis(fig: go.Figure, records) -> None:
    """One tick per period shown, labelled by us (plotly's month names are English only)."""
    points = sorted({(metrics.midpoint(m.period), metrics.period_label(m.period)) for m in records})
    lo, hi = points[0][0], points[-1][0]
    pad = dt.timedelta(days=max(120, (hi - lo).days // 10))
    fig.update_xaxes(type="date", tickvals=[p[0] for p in points], ticktext=[p[1] for p in points],
                     range=[lo - pad, hi + pad], showgrid=False, tickangle=0)


def _y_axis(fig: go.Figure, records, labels: dict) -> None:
    """Ranks run downwards from 1 (best) to the number ranked; other units start at zero."""
    unit, rank_of = records[0].unit, records[0].rank_of
    if unit == "rank":
        # Without the number ranked, the axis still shows whole ranks from 1 down to at least 3.
        bottom = rank_of or max(3, *(int(m.value) for m in records))
        title = labels["y.rank_of"].format(of=rank_of) if rank_of else labels["y.rank"]
        fig.update_yaxes(title_text=title, tickvals=_rank_ticks(bottom), range=[bottom + 0.5, 0.5],
                         zeroline=False)
        return
    top = max(m.value for m in records)
    upper = 1.05 if unit == "index" and top <= 1 else top * 1.25
    if unit == "percent":
        upper = min(upper, 105.0)
    fig.update_yaxes(title_text=labels[f"y.{unit}"], range=[0, upper],
                     ticksuffix=" %" if unit == "percent" else "")


def chart_height(records) -> int:
    """Sized to the data: a few periods get a compact chart, a longer series a taller one."""
    periods = len({m.period for m in records})
    return 220 if periods <= 3 else 280


def metric_chart(records, labels: dict) -> go.Figure:
    """A chart of one indicator on one base; raises if asked to mix bases on one axis.

    Args:
        records: the metrics of one chart group (same indicator, unit, denominator and rank_of).
        labels: translated strings: 'entity.<slug>', 'y.<unit>', 'y.rank_of' (with {of}),
            'separators' (decimal and thousands marks for plotly).
    """
    records = list(records)
    if len({metrics.base_key(m) for m in records}) != 1:
        raise ValueError("a chart shows one indicator on one base")
    fig = go.Figure()
    for entity, rows in metrics.series(records).items():
        fig.add_trace(_trace(entity, rows, labels[f"entity.{entity}"]))
    _x_axis(fig, records)
    _y_axis(fig, records, labels)
    fig.update_layout(
        height=chart_height(records), margin={"l": 10, "r": 10, "t": 30, "b": 10}, separators=labels["separators"],
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, hovermode="closest",
        showlegend=True, meta={"indicator": records[0].indicator},
    )
    return fig


def is_reversed(axis) -> bool:
    """True when an axis puts larger values lower (explicit reversed range or autorange)."""
    return axis.autorange == "reversed" or (bool(axis.range) and axis.range[0] > axis.range[1])

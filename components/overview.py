"""Overview page pieces: the before/after panel and the key-milestone strip.

Every text of the page depends only on the data and the language, so it is made once per data
version and language (`_view`); a page run only hands the texts to Streamlit.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from components import cache, citations, links, widgets
from core import catalog, fmt, i18n, transform, url_state
from core.i18n import t, tx

SCOPE_ORDER = ("old_danang", "old_quangnam", "new_city")
# Smaller values inside the three-column panel so long numbers fit a projector column.
PANEL_CSS = "<style>.st-key-overview-panel [data-testid='stMetricValue'] {font-size: 1.7rem;}</style>"
MILESTONES_PER_ROW = 4


class Metric(NamedTuple):
    label: str
    value: str
    help: str


class Column(NamedTuple):
    """One scope of the panel: its name, then metrics and captions (str) in reading order."""

    title: str
    items: tuple[Metric | str, ...]


class Milestone(NamedTuple):
    text: str  # date (small) and title in one Markdown element
    event: str


class View(NamedTuple):
    headline: tuple[Metric, ...]
    panel: tuple[Column, ...]
    sources: str
    milestones: tuple[Milestone, ...]


def _figure_help(figure, cat: catalog.Catalog) -> str:
    """Hover text: as-of date, sources, confidence, and any conflicting value."""
    lines = [t("overview.as_of", date=fmt.date(figure.as_of)), citations.source_line(figure.sources, cat)]
    if figure.note:
        lines.append(tx(figure.note))
    for alt in figure.alternatives:
        lines.append(t("overview.other_value", value=fmt.quantity(alt.value, figure.unit), note=tx(alt.note)))
    lines.append(t("confidence.label") + ": " + t("confidence." + figure.confidence))
    return "\n\n".join(lines)


def value_text(figure) -> str:
    """The figure's value with unit; '≈' when the source gives a rounded value."""
    return ("≈ " if figure.approximate else "") + fmt.quantity(figure.value, figure.unit)


def _headline(cat: catalog.Catalog) -> tuple[Metric, ...]:
    rows = transform.before_after_totals(cat["figures"].records)
    out = []
    for row in rows:
        helps = [f"{t('scope.' + f.scope)}: {value_text(f)}. {citations.source_line(f.sources, cat)}"
                 for f in row["figures"]]
        out.append(Metric(t("overview.row." + row["indicator"]),
                          f"{fmt.number(row['before'])} → {fmt.number(row['after'])}",
                          "\n\n".join([t("overview.sum_note")] + helps)))
    return tuple(out)


def _type_breakdown(figs: dict) -> str:
    parts = [f"{fmt.number(figs[k].value)} {t('overview.type.' + k)}"
             for k in transform.UNIT_TYPE_ROWS if k in figs]
    return " · ".join(parts)


def _no_figure(indicator: str, scope: str) -> str:
    """Why a cell is empty, in one line: the reason written for it, else the general one."""
    key = f"overview.no_figure.{indicator}.{scope}"
    reason = t(key)
    return reason if reason != key else t("overview.no_figure", label=t("overview.row." + indicator))


def _panel(cat: catalog.Catalog) -> tuple[Column, ...]:
    panel = transform.before_after(cat["figures"].records)
    columns = []
    for scope in SCOPE_ORDER:
        figs, items = panel[scope], []
        for indicator in transform.BEFORE_AFTER_ROWS:
            figure = figs.get(indicator)
            if figure is None:
                items.append(_no_figure(indicator, scope))
                continue
            items.append(Metric(t("overview.row." + indicator), value_text(figure), _figure_help(figure, cat)))
            if indicator == "commune_units" and _type_breakdown(figs):
                items.append(_type_breakdown(figs))
        columns.append(Column(t("scope." + scope), tuple(items)))
    return tuple(columns)


def _sources(cat: catalog.Catalog) -> str:
    """Each before/after figure with its value and sources, as one Markdown list."""
    panel = transform.before_after(cat["figures"].records)
    return "\n".join(f"- **{t('scope.' + scope)} · {widgets.escape_md(tx(figure.label))}**: "
                     f"{value_text(figure)} — {citations.source_line(figure.sources, cat)}"
                     for scope in SCOPE_ORDER for figure in panel[scope].values())


def _milestones(cat: catalog.Catalog) -> tuple[Milestone, ...]:
    return tuple(Milestone(f":small[{fmt.date(event.date)}]  \n**{widgets.escape_md(tx(event.title))}**", event.id)
                 for event in transform.milestones(cat["events"].records))


@cache.shared(max_entries=16)
def _view(cat: catalog.Catalog, lang: str) -> View:
    """Every text of the page, per data version and language (the page checks its datasets first)."""
    figures = "figures" in cat.datasets and bool(cat["figures"].records)
    events = "events" in cat.datasets and bool(cat["events"].records)
    return View(_headline(cat) if figures else (), _panel(cat) if figures else (),
                _sources(cat) if figures else "", _milestones(cat) if events else ())


def headline_row(cat: catalog.Catalog) -> None:
    """Before → after in three numbers the class can read from the back of the room."""
    rows = _view(cat, i18n.lang()).headline
    for column, row in zip(st.columns(max(len(rows), 1)), rows, strict=False):
        column.metric(row.label, row.value, help=row.help, border=True)


def figure_sources(cat: catalog.Catalog) -> None:
    """Each before/after figure with its value and sources, for tracing every number."""
    with st.expander(t("overview.figure_sources")):
        st.markdown(_view(cat, i18n.lang()).sources)


def before_after_panel(cat: catalog.Catalog) -> None:
    """Old Đà Nẵng, old Quảng Nam and the new city side by side, each figure sourced."""
    st.html(PANEL_CSS)
    columns = st.container(key="overview-panel").columns(3, border=True)
    for column, scope in zip(columns, _view(cat, i18n.lang()).panel, strict=True):
        with column:
            st.subheader(scope.title)
            for item in scope.items:
                if isinstance(item, Metric):
                    st.metric(item.label, item.value, help=item.help)
                else:
                    st.caption(item)


def milestone_strip(cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Key dated milestones, each linking to its detail on the timeline."""
    events = _view(cat, i18n.lang()).milestones
    if not events:
        st.caption(t("overview.no_milestones"))
        return
    per_row = MILESTONES_PER_ROW
    label = t("overview.open_event")
    for start in range(0, len(events), per_row):
        row = events[start:start + per_row]
        full = len(row) == per_row  # a full row's columns are the cards; a short row keeps empty places
        columns = st.columns(per_row, border=full)
        for column, event in zip(columns, row, strict=False):
            with column if full else column.container(border=True):
                st.markdown(event.text)
                links.view_link("timeline", label, state, icon=":material/arrow_forward:", event=event.event)

"""Overview page pieces: the before/after panel and the key-milestone strip."""

from __future__ import annotations

import streamlit as st

from components import citations, links, widgets
from core import catalog, fmt, transform, url_state
from core.i18n import t, tx

SCOPE_ORDER = ("old_danang", "old_quangnam", "new_city")
# Smaller values inside the three-column panel so long numbers fit a projector column.
PANEL_CSS = "<style>.st-key-overview-panel [data-testid='stMetricValue'] {font-size: 1.7rem;}</style>"


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


def headline_row(cat: catalog.Catalog) -> None:
    """Before → after in three numbers the class can read from the back of the room."""
    rows = transform.before_after_totals(cat["figures"].records)
    for column, row in zip(st.columns(max(len(rows), 1)), rows, strict=False):
        helps = [f"{t('scope.' + f.scope)}: {value_text(f)}. {citations.source_line(f.sources, cat)}"
                 for f in row["figures"]]
        column.metric(t("overview.row." + row["indicator"]),
                      f"{fmt.number(row['before'])} → {fmt.number(row['after'])}",
                      help="\n\n".join([t("overview.sum_note")] + helps), border=True)


def figure_sources(cat: catalog.Catalog) -> None:
    """Each before/after figure with its value and sources, for tracing every number."""
    panel = transform.before_after(cat["figures"].records)
    with st.expander(t("overview.figure_sources")):
        for scope in SCOPE_ORDER:
            for figure in panel[scope].values():
                st.markdown(f"- **{t('scope.' + scope)} · {widgets.escape_md(tx(figure.label))}**: "
                            f"{value_text(figure)} — {citations.source_line(figure.sources, cat)}")


def _type_breakdown(figs: dict) -> str:
    parts = [f"{fmt.number(figs[k].value)} {t('overview.type.' + k)}"
             for k in transform.UNIT_TYPE_ROWS if k in figs]
    return " · ".join(parts)


def _no_figure(indicator: str, scope: str) -> str:
    """Why a cell is empty, in one line: the reason written for it, else the general one."""
    key = f"overview.no_figure.{indicator}.{scope}"
    reason = t(key)
    return reason if reason != key else t("overview.no_figure", label=t("overview.row." + indicator))


def before_after_panel(cat: catalog.Catalog) -> None:
    """Old Đà Nẵng, old Quảng Nam and the new city side by side, each figure sourced."""
    panel = transform.before_after(cat["figures"].records)
    st.html(PANEL_CSS)
    columns = st.container(key="overview-panel").columns(3, border=True)
    for column, scope in zip(columns, SCOPE_ORDER, strict=True):
        figs = panel[scope]
        with column:
            st.subheader(t("scope." + scope))
            for indicator in transform.BEFORE_AFTER_ROWS:
                figure = figs.get(indicator)
                if figure is None:
                    st.caption(_no_figure(indicator, scope))
                    continue
                st.metric(t("overview.row." + indicator), value_text(figure),
                          help=_figure_help(figure, cat))
                if indicator == "commune_units" and _type_breakdown(figs):
                    st.caption(_type_breakdown(figs))


def milestone_strip(cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Key dated milestones, each linking to its detail on the timeline."""
    events = transform.milestones(cat["events"].records)
    if not events:
        st.caption(t("overview.no_milestones"))
        return
    per_row = 4
    for start in range(0, len(events), per_row):
        columns = st.columns(per_row)
        for column, event in zip(columns, events[start:start + per_row], strict=False):
            with column.container(border=True):
                st.caption(fmt.date(event.date))
                st.markdown(f"**{widgets.escape_md(tx(event.title))}**")
                links.view_link("timeline", t("overview.open_event"), state,
                                  icon=":material/arrow_forward:", event=event.id)

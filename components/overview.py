"""Overview page pieces: the before/after panel and the key-milestone strip."""

from __future__ import annotations

import streamlit as st

from components import widgets
from core import catalog, fmt, transform, url_state
from core.i18n import t, tx

SCOPE_ORDER = ("old_danang", "old_quangnam", "new_city")


def _figure_help(figure, cat: catalog.Catalog) -> str:
    """Hover text: as-of date, sources, confidence, and any conflicting value."""
    lines = [t("overview.as_of", date=fmt.date(figure.as_of)), widgets.source_line(figure.sources, cat)]
    if figure.note:
        lines.append(tx(figure.note))
    for alt in figure.alternatives:
        lines.append(t("overview.other_value", value=fmt.quantity(alt.value, figure.unit), note=tx(alt.note)))
    lines.append(t("confidence.label") + ": " + t("confidence." + figure.confidence))
    return "\n\n".join(lines)


def _type_breakdown(figs: dict) -> str:
    parts = [f"{fmt.number(figs[k].value)} {t('overview.type.' + k)}"
             for k in transform.UNIT_TYPE_ROWS if k in figs]
    return " · ".join(parts)


def before_after_panel(cat: catalog.Catalog) -> None:
    """Old Đà Nẵng, old Quảng Nam and the new city side by side, each figure sourced."""
    panel = transform.before_after(cat["figures"].records)
    columns = st.columns(3, border=True)
    for column, scope in zip(columns, SCOPE_ORDER):
        figs = panel[scope]
        with column:
            st.subheader(t("scope." + scope))
            for indicator in transform.BEFORE_AFTER_ROWS:
                figure = figs.get(indicator)
                if figure is None:
                    st.caption(t("overview.no_figure", label=t("overview.row." + indicator)))
                    continue
                st.metric(t("overview.row." + indicator), fmt.quantity(figure.value, figure.unit),
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
        for column, event in zip(columns, events[start:start + per_row]):
            with column.container(border=True):
                st.caption(fmt.date(event.date))
                st.markdown(f"**{widgets.escape_md(tx(event.title))}**")
                widgets.page_link("timeline", t("overview.open_event"), state,
                                  icon=":material/arrow_forward:", event=event.id)

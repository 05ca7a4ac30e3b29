"""Merger page: old ↔ new lookup, one new unit's view, map, 94-unit table, before/after and charts."""

import streamlit as st

from components import frame, merger, merger_tabs, widgets
from core.i18n import t

state, cat, notices = frame.start("merger")
st.title(t("merger.title"))
ready = not widgets.dataset_error(cat, "units", "mapping")
if ready:
    st.markdown(merger.lead(cat))
    state = merger.check_link(state, cat, notices)
widgets.show_notices(notices)

if ready:
    unit_slot = st.container()
    state = merger.lookup_section(state, cat)
    # Only the chosen section runs: the map alone costs more than all the rest of the page.
    state = merger_tabs.view_picker(state)
    if state.unit and state.view != "map":  # the map view shows the open unit beside the map
        with unit_slot:
            merger.unit_view(state.unit, cat)
    if state.view == "map":
        state = merger_tabs.map_section(state, cat)
    elif state.view == "list":
        state = merger_tabs.table_section(state, cat)
    elif state.view == "compare":
        merger_tabs.before_after(cat)
    else:
        merger_tabs.charts_section(cat)
    merger_tabs.data_sources(cat)

frame.finish(state, "merger", cat, title_extra=merger.view_title(state, cat) if ready else "")

"""Sources and data: every source, how to cite, conflicting figures, downloads and provenance."""

import streamlit as st

from components import frame, widgets
from components import sources as sources_ui
from core.i18n import t

state, cat, notices = frame.start("sources")
st.title(t("nav.sources"))
st.markdown(t("sources.lead"))
widgets.show_notices(notices)

st.header(t("sources.table.header"))
shown = []
if not widgets.dataset_error(cat, "sources"):
    state = sources_ui.filters(state, cat)
    shown = sources_ui.matching(cat, state.q, state.kind, state.confidence)
    sources_ui.source_table(cat, shown)
    sources_ui.source_downloads(cat, state, shown)

st.header(t("sources.cite.header"))
sources_ui.cite_block(cat, state)

st.header(t("sources.conflicts.header"))
if not widgets.dataset_error(cat, "figures", "sources"):
    sources_ui.conflicts(cat)

st.header(t("sources.downloads.header"))
sources_ui.downloads(cat, state, shown)

st.header(t("sources.provenance.header"))
sources_ui.provenance(cat)
sources_ui.editorial_notes(cat)

frame.finish(state, "sources", cat)

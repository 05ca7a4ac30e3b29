"""Overview: the merger before and after, and the key milestones."""

import streamlit as st

from components import frame, overview, widgets
from core.i18n import t

state, cat, notices = frame.start("overview")
st.title(t("overview.title"))
st.markdown(t("overview.lead"))
widgets.show_notices(notices)

st.header(t("overview.before_after"))
if not widgets.dataset_error(cat, "figures", "sources"):
    overview.headline_row(cat)
    overview.before_after_panel(cat)
    overview.figure_sources(cat)

st.header(t("overview.milestones"))
if not widgets.dataset_error(cat, "events"):
    overview.milestone_strip(cat, state)

frame.finish(state, "overview", cat)

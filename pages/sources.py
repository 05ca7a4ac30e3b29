"""sources page: being built in its own issue; says so honestly instead of showing content."""

import streamlit as st

from components import widgets
from core.i18n import t

state, cat, notices = widgets.start("sources")
st.title(t("nav.sources"))
widgets.show_notices(notices)
st.info(t("frame.being_built"), icon=":material/construction:")
widgets.finish(state, "sources", cat)

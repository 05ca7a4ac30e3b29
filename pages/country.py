"""Country page: old → new lookup for every commune, the 34 provinces, charts and an offline map."""

import streamlit as st

from components import country, widgets
from core.i18n import t

state, cat, notices = widgets.start("country")
st.title(t("country.title"))
national = country.bundle(cat.stamp)  # loaded on this page only, once per data version
st.markdown(country.lead(national))
widgets.show_notices(notices)
country.problems(national)
if national.index.old:
    state = country.lookup_section(state, national, cat)
if not national.frame.empty:
    state = country.table_section(state, national, cat)
    country.charts_section(cat)
    country.map_section(national, cat)

widgets.finish(state, "country", cat, title_extra=f"“{state.q}”" if state.q else "")

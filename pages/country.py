"""Country page: old → new lookup for every commune (cited to its clause), one province's story
(`province`), the 34 provinces, charts and an offline map."""

import streamlit as st

from components import country, frame, widgets
from core.i18n import t

state, cat, notices = frame.start("country")
st.title(t("country.title"))
national = country.bundle(cat)  # loaded on this page only, once per data version
state = country.chosen_province(country.known_province(state, national, notices), national)
widgets.show_notices(notices)
country.problems(national)
if state.new_province:
    state = country.province_section(state, national, cat)
    if national.index.old:
        state = country.lookup_section(state, national, cat)
else:
    st.markdown(country.lead(national))
    if national.index.old:
        state = country.lookup_section(state, national, cat)
    if not national.frame.empty:
        state = country.table_section(state, national, cat)
        country.charts_section(cat)
        state = country.map_section(state, national, cat)

title = national.frame.set_index("code").name.get(state.new_province, "") if state.new_province else ""
frame.finish(state, "country", cat, title_extra=title or (f"“{state.q}”" if state.q else ""))

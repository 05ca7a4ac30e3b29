"""Smart city: the IOC's dated profile and sourced KPI cards and charts, filtered by domain and period."""

import streamlit as st

from components import smart_city, widgets
from core import metrics
from core.i18n import t

state, cat, notices = widgets.start("smart-city")
st.title(t("smart-city.title"))
st.markdown(t("smart-city.lead"))
widgets.show_notices(notices)
if not widgets.dataset_error(cat, "metrics", "events", "sources"):
    all_events = metrics.smart_city_events(cat["events"].records)
    span = metrics.year_span(cat["metrics"].records, all_events)
    state = smart_city.filters(state, span)
    chosen = metrics.filter_metrics(cat["metrics"].records, state.domain, state.date_from, state.date_to)
    if not state.domain or "ioc" in state.domain:
        st.header(t("smart-city.ioc.header"), anchor="ioc-profile")
        events = metrics.smart_city_events(cat["events"].records, state.date_from, state.date_to)
        smart_city.ioc_profile(events, cat, state)
    for domain, rows in metrics.by_domain(chosen).items():
        smart_city.domain_section(domain, rows, cat)
    if not chosen:
        st.info(t("smart-city.no_metrics"), icon=":material/filter_alt_off:")
domains = ", ".join(t(f"smart-city.domain.{d}") for d in state.domain)
widgets.finish(state, "smart-city", cat, title_extra=domains)

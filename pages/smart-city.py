"""Smart city as a digest: the IOC in brief, headline figures, then one domain open at a time."""

import streamlit as st

from components import focus, frame, smart_city, widgets
from core import metrics
from core.i18n import t

state, cat, notices = frame.start("smart-city")
st.title(t("smart-city.title"))
st.markdown(t("smart-city.lead"))
widgets.show_notices(notices)
domain = metrics.open_domain(state.domain)
if not widgets.dataset_error(cat, "metrics", "events", "sources"):
    all_events = metrics.smart_city_events(cat["events"].records)
    smart_city.ioc_digest(all_events, cat)
    smart_city.headline(cat)
    state = smart_city.domain_picker(state)
    domain = metrics.open_domain(state.domain)
    state = smart_city.period_filter(state, smart_city.year_span(cat))
    chosen = metrics.filter_metrics(cat["metrics"].records, (domain,), state.date_from, state.date_to)
    with focus.subject("smart-city-open-domain"):
        smart_city.domain_section(domain, chosen, cat)
    focus.keep_in_view("smart-city-open-domain", domain)
    if domain == "ioc":
        smart_city.milestones(metrics.smart_city_events(cat["events"].records, state.date_from, state.date_to),
                              cat, state)
frame.finish(state, "smart-city", cat, title_extra=t(f"smart-city.domain.{domain}"))

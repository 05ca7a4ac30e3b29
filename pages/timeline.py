"""Timeline: dated policy, merger, apparatus, training and smart-city events, filtered by topic, date, search."""

import streamlit as st

from components import frame, widgets
from components import timeline as ui
from core import url_state
from core.i18n import t, tx

state, cat, notices = frame.start("timeline")
st.title(t("nav.timeline"))
st.markdown(t("timeline.lead"))
by_id = cat.by_id("events")
state = url_state.drop_unknown(state, "event", by_id, notices)
widgets.show_notices(notices)
title_extra = ""

if not widgets.dataset_error(cat, "events", "sources"):
    # An open event comes first, where the eye is on a phone and on the projector; it is filled
    # after the filters, which decide what Previous/Next step through.
    detail_slot = st.container()
    state = ui.filters(state, cat)
    shown = ui.shown_events(cat, state)
    state = ui.toolbar(state, shown, cat)
    main, side = st.columns([3, 2], gap="medium")
    with side:
        list_slot = st.container()
        state = ui.picker(state, shown, cat)
        if state.event:
            with detail_slot:
                ui.detail(by_id[state.event], shown, cat)
                ui.keep_in_view(by_id[state.event])
            title_extra = tx(by_id[state.event].title)
        else:
            ui.start_hint(shown)
    if shown and state.tab == "chart":
        with list_slot:
            ui.event_list(shown, state, cat)
    with main:
        if not shown:
            ui.empty_state()
        elif state.tab == "table":
            ui.table(shown, cat)
        else:
            ui.chart(state, shown, cat)
        if shown:
            ui.sources_note(shown, cat)

frame.finish(state, "timeline", cat, title_extra=title_extra)

"""Field trips: cards filtered by institution, theme and date; one trip's programme, themes and gaps."""

import streamlit as st

from components import focus, frame, training, widgets
from core import trips
from core.i18n import t, tx
from core.url_state import drop_unknown

state, cat, notices = frame.start("training")
records = cat["trips"].records
state = drop_unknown(state, "trip", {trip.id for trip in records}, notices)
state = drop_unknown(state, "institution", trips.institutions(records), notices)
current = next((trip for trip in records if trip.id == state.trip), None)

st.title(t("training.title"))
widgets.show_notices(notices)
if not widgets.dataset_error(cat, "trips", "sources"):
    if current:
        with focus.subject("training-trip"):
            training.trip_view(current, cat, state)
        focus.keep_in_view("training-trip", current.id)
    else:
        st.markdown(t("training.lead"))
        state = training.filters(state, records)
        shown = trips.filter_trips(records, state.institution, state.theme, state.date_from, state.date_to)
        training.trip_cards(shown, len(records), state)
frame.finish(state, "training", cat, title_extra=tx(current.class_name) if current else "")

"""Live class: the lecturer starts a room (code, QR, student link); students join and follow."""

import streamlit as st

from components import frame, widgets
from components import live as live_ui
from core import rooms
from core.i18n import t
from core.url_state import drop_unknown

state, cat, notices = frame.start("live")
lessons = live_ui.lessons_for(state, cat)
state = drop_unknown(state, "lesson", lessons, notices)
room = rooms.default_store().get(state.room) if state.room else None
hosting = bool(room and state.host)  # the frame keeps only a host key that drives this room

st.title(t("nav.live"))
widgets.show_notices(notices)
if hosting and room.status() == "live":
    state = live_ui.host_panel(state, lessons)
elif room and room.status() == "live":  # a student (or a wrong key): the frame opens the room's view
    st.write(t("live.joining", code=state.room))
else:  # no room, an unknown one, or one that is over (also the lecturer's own): start or join another
    if hosting:
        live_ui.ended_panel(room, state.room)
    st.write(t("live.intro"))
    state = live_ui.start_panel(state, lessons)
    st.subheader(t("live.student_heading"))
    live_ui.join_panel(state)
frame.finish(state, "live", cat)

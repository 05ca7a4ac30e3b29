"""Lesson mode: the list of lessons; a lesson step opens the view's own page with a lesson bar."""

import streamlit as st

from components import frame, widgets
from components import lesson as lesson_ui
from core import lessons
from core.i18n import t
from core.url_state import drop_unknown

state, cat, notices = frame.start("lesson")
records = cat["lessons"].records
state = drop_unknown(state, "lesson", {lesson.id for lesson in records}, notices)
current = lessons.find(records, state.lesson) if state.lesson else None
if current and state.step <= len(current.steps):
    lesson_ui.go_to_step(current, state.step or 1, state)
elif current:
    notices.append(f"step={state.step}")

st.title(t("nav.lesson"))
widgets.show_notices(notices)
if not widgets.dataset_error(cat, "lessons"):
    st.write(t("lesson.intro"))
    lesson_ui.lesson_list(records, state)
frame.finish(state, "lesson", cat)

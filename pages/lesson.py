"""Lesson mode: a curated sequence of views, one step at a time, each step a link."""

import dataclasses

import streamlit as st

from components import lesson as lesson_ui
from components import widgets
from core.i18n import t, tx
from core.url_state import drop_unknown

state, cat, notices = widgets.start("lesson")
lessons = {lesson.id: lesson for lesson in cat["lessons"].records}
state = drop_unknown(state, "lesson", lessons, notices)
current = lessons.get(state.lesson)
if current and state.step > len(current.steps):
    notices.append(f"step={state.step}")
    state = dataclasses.replace(state, step=0)
if current and not state.step:
    state = dataclasses.replace(state, step=1)

st.title(t("nav.lesson"))
widgets.show_notices(notices)
if not widgets.dataset_error(cat, "lessons"):
    if current:
        lesson_ui.step_view(current, state.step, state)
    else:
        st.write(t("lesson.intro"))
        lesson_ui.lesson_list(list(lessons.values()), state)
title = f"{tx(current.title)} · {state.step}/{len(current.steps)}" if current else ""
widgets.finish(state, "lesson", cat, title_extra=title)

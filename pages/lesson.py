"""Lessons: 'Bài giảng của tôi' (the lecturer's draft) and the ready-made lessons; a lesson's own page
(?lesson=…), its handout (&print=1), and a step link opening the step's view (&step=…)."""

import dataclasses

import streamlit as st

from components import frame, handout, lesson_editor, widgets
from components import lesson as lesson_ui
from core import lessons, url_state
from core.i18n import t

lesson_ui.open_step_link()  # a step link opens the step's page at once
state, cat, notices = frame.start("lesson")
records = cat["lessons"].records
current = lessons.resolve(records, state.lesson) if state.lesson else None
unknown = state.lesson if current is None else ""  # named in its own notice below the title
if current is None:  # without a lesson, its parameters mean nothing
    notices += [f"{k}={v}" for k, v in url_state.to_params(state, "lesson").items() if k in ("step", "print")]
    notices += ["edit"] if state.edit else []
    state = dataclasses.replace(state, lesson="", step=0, print=False, edit="")
if current and state.step and state.step <= len(current.steps):
    lesson_ui.go_to_step(current, state.step, state)
elif current and state.step:
    notices.append(f"step={state.step}")
    state = dataclasses.replace(state, step=0)

if current and state.print:
    widgets.show_notices(notices)
    handout.render(current, dataclasses.replace(state, edit=""), cat)
elif current:
    st.title(t("nav.lesson"))
    widgets.show_notices(notices)
    can_edit = lesson_editor.claim(current, state.edit)  # an edit key leaves the address bar
    state = dataclasses.replace(state, edit="")
    lesson_ui.public_page(current, state, cat)
    if can_edit:
        lesson_editor.edit_button(current.id, state)
else:
    st.title(t("nav.lesson"))
    widgets.show_notices(notices)
    if unknown:
        st.info(t("lesson.public.unknown", id=widgets.escape_md(unknown)), icon=":material/search_off:")
    st.header(t("lesson.mine.heading"))
    lesson_editor.show(state)
    st.header(t("lesson.mine.curated"))
    if not widgets.dataset_error(cat, "lessons"):
        st.write(t("lesson.intro"))
        lesson_ui.lesson_list(records, state, cat)
frame.finish(state, "lesson", cat)

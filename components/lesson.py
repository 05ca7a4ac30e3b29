"""Lesson page pieces: the list of lessons, each with its steps as links, and the jump into a step."""

from __future__ import annotations

import streamlit as st

from components import links, widgets
from core import lessons, schemas, url_state
from core.i18n import t, tn, tx


def _step_link(lesson: schemas.Lesson, number: int, state: url_state.ViewState, label: str, icon=None) -> None:
    page, params = lessons.step_link(lesson, number, url_state.to_params(state))
    links.page_link(page, label, params, icon=icon)


def lesson_list(all_lessons: list[schemas.Lesson], state: url_state.ViewState) -> None:
    """Every lesson with its summary, a link to its first step and the list of its steps."""
    for lesson in all_lessons:
        with st.container(border=True):
            st.subheader(widgets.escape_md(tx(lesson.title)))
            st.write(tx(lesson.summary))
            _step_link(lesson, 1, state, t("lesson.start"), icon=":material/play_arrow:")
            count = tn("lesson.step_count", len(lesson.steps), count=len(lesson.steps))
            with st.expander(t("lesson.steps") + " · " + count):
                for number, step in enumerate(lesson.steps, start=1):
                    _step_link(lesson, number, state, f"{number}. {widgets.escape_md(tx(step.title))}")


def go_to_step(lesson: schemas.Lesson, number: int, state: url_state.ViewState) -> None:
    """Open a step's own view (old /lesson?lesson=…&step=… links land here)."""
    page, params = lessons.step_link(lesson, number, url_state.to_params(state))
    links.switch(page, params, t("lesson.open_view", page=t(f"nav.{page}")))

"""Lesson page pieces: the lesson list and one step with its note, link and previous/next."""

from __future__ import annotations

import streamlit as st

from components import widgets
from core import schemas, url_state
from core.i18n import t, tn, tx


def lesson_list(lessons: list[schemas.Lesson], state: url_state.ViewState) -> None:
    """Every lesson with its summary and a link to its first step."""
    for lesson in lessons:
        with st.container(border=True):
            st.subheader(tx(lesson.title))
            st.write(tx(lesson.summary))
            st.caption(tn("lesson.step_count", len(lesson.steps), count=len(lesson.steps)))
            widgets.page_link("lesson", t("lesson.start"), state, icon=":material/play_arrow:",
                              lesson=lesson.id, step="1")


def step_view(lesson: schemas.Lesson, number: int, state: url_state.ViewState) -> None:
    """One step: counter, title, teaching note, the view it opens, and previous/next."""
    step = lesson.steps[number - 1]
    st.caption(f"{tx(lesson.title)} · " + t("lesson.counter", n=number, total=len(lesson.steps)))
    st.progress(number / len(lesson.steps))
    st.header(tx(step.title))
    with st.container(border=True):
        st.markdown(f"**{t('lesson.note')}**")
        st.write(tx(step.note))
    widgets.page_link(step.page, t("lesson.open_view", page=t(f"nav.{step.page}")), state,
                      icon=":material/open_in_new:", **step.params)
    previous, following = st.columns(2)
    with previous:
        if number > 1:
            widgets.page_link("lesson", t("lesson.previous"), state, icon=":material/arrow_back:",
                              lesson=lesson.id, step=str(number - 1))
    with following:
        if number < len(lesson.steps):
            widgets.page_link("lesson", t("lesson.next"), state, icon=":material/arrow_forward:",
                              lesson=lesson.id, step=str(number + 1))
        else:
            st.caption(t("lesson.last"))

"""The lesson bar: on any page opened as a lesson step, the step, previous/next and the way out."""

from __future__ import annotations

import streamlit as st

from components import focus, links, widgets
from components import lesson as lesson_ui
from core import catalog, lessons, schemas, url_state
from core.i18n import t, tx


def _lesson(state: url_state.ViewState, cat: catalog.Catalog) -> schemas.Lesson | None:
    """The view's lesson, curated or a lecturer's saved one."""
    return lessons.resolve(cat["lessons"].records, state.lesson) if state.lesson else None


def _position(state: url_state.ViewState, cat: catalog.Catalog) -> lessons.Position | None:
    lesson = _lesson(state, cat)
    return lessons.position([lesson], state.lesson, state.step) if lesson else None


def step_target(state: url_state.ViewState, cat: catalog.Catalog) -> tuple[str, dict[str, str]] | None:
    """(page, parameters) of the lesson step this view belongs to, or None outside a lesson."""
    pos = _position(state, cat)
    if pos is None:
        return None
    return lessons.step_link(pos.lesson, pos.number, url_state.to_params(state))


def _link(page: str, params: dict[str, str], label: str, icon: str, key: str) -> None:
    links.page_link(page, label, params, icon=icon, fallback="button", key=key)


def _step_link(pos: lessons.Position, number: int, state: url_state.ViewState, label: str, icon: str) -> None:
    page, params = lessons.step_link(pos.lesson, number, url_state.to_params(state))
    _link(page, params, label, icon, key=f"lesson_bar.step{number}")


def problems(state: url_state.ViewState, cat: catalog.Catalog) -> list[str]:
    """Link parts naming a lesson or step that does not exist (for the page's notice)."""
    if not (state.lesson or state.step) or _position(state, cat):
        return []
    known = _lesson(state, cat)
    return [f"step={state.step}"] if known else [f"lesson={state.lesson}" if state.lesson else f"step={state.step}"]


def step_line(pos: lessons.Position) -> str:
    """'**Bước n/N** · title' (Markdown) of a lesson step."""
    return f"**{t('lesson.counter', n=pos.number, total=pos.total)}** · {widgets.escape_md(tx(pos.step.title))}"


def show(state: url_state.ViewState, page: str, cat: catalog.Catalog) -> None:
    """Step n/N and its title, previous/next step, leave; the teaching note folded (none when presenting).

    A follower of a live room (the lecturer drives) sees only the step and its title."""
    pos = _position(state, cat)
    focus.use(state, step_line(pos) if pos else "")
    if pos is None:
        return
    if focus.is_follower(state):
        with st.container(border=True, key="lesson-bar"):
            st.markdown(step_line(pos))
        return

    with st.container(border=True, key="lesson-bar"):
        with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
            st.markdown(step_line(pos), width="content")
            if pos.previous:
                _step_link(pos, pos.previous, state, t("lesson.bar.previous"), ":material/arrow_back:")
            if pos.next:
                _step_link(pos, pos.next, state, t("lesson.bar.next"), ":material/arrow_forward:")
            else:
                st.caption(t("lesson.last"), width="content")
            leave = {k: v for k, v in url_state.to_params(state, page).items() if k not in url_state.LESSON}
            _link(page, leave, t("lesson.bar.leave"), ":material/close:", key="lesson_bar.leave")
        if not state.present and pos.step.note:
            with st.expander(t("lesson.note"), icon=":material/sticky_note_2:"):
                st.markdown(lesson_ui.text(pos.lesson, pos.step.note))

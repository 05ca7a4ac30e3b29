"""Lesson page pieces: one renderer for every lesson (curated or a lecturer's): its title, summary
and steps as links; the lesson's public page (handout, teaching live, editing); the jump into a step."""

from __future__ import annotations

import streamlit as st

from components import links, url_session, widgets
from core import catalog, lesson_store, lessons, schemas, url_state
from core.i18n import t, tn, tx


def _step_link(lesson: schemas.Lesson, number: int, state: url_state.ViewState, label: str, icon=None) -> None:
    page, params = lessons.step_link(lesson, number, url_state.to_params(state))
    if page in schemas.LESSON_PAGES:
        links.page_link(page, label, params, icon=icon)
    else:  # a step whose page the app no longer has: its title, without a link
        st.markdown(label)


def is_lecturers(lesson: schemas.Lesson) -> bool:
    """Whether the lesson is a lecturer's own (saved in the lesson store), not a curated one."""
    return bool(lesson_store.LESSON_ID.match(lesson.id))


def text(lesson: schemas.Lesson, value) -> str:
    """Markdown of a lesson's text: curated text as written; a lecturer's text as literal text (no
    links, HTML or formatting from whoever wrote it)."""
    shown = tx(value)
    return widgets.escape_md(shown) if is_lecturers(lesson) else shown


def title_of(lesson: schemas.Lesson) -> str:
    """A lesson's title in the language on screen (a lecturer's untitled lesson says so in it)."""
    return tx(lesson.title)


def invalid_steps(lesson: schemas.Lesson, cat: catalog.Catalog) -> set[int]:
    """Numbers of the steps whose page or parameters the app no longer reads as that view: a page
    that does not take steps, a parameter the URL contract ignores, or a record the data lost."""
    known = {"event": cat.ids("events"), "unit": cat.ids("units", "code"), "trip": cat.ids("trips")}
    bad = set(lesson_store.bad_steps(lesson))
    for number, step in enumerate(lesson.steps, start=1):
        if any(k in known and v not in known[k] for k, v in step.params.items()):
            bad.add(number)
    return bad


def _steps(lesson: schemas.Lesson, state: url_state.ViewState, invalid: set[int]) -> None:
    for number, step in enumerate(lesson.steps, start=1):
        _step_link(lesson, number, state, f"{number}. {widgets.escape_md(tx(step.title))}")
        if number in invalid:
            st.caption(f":material/link_off: {t('lesson.public.invalid_step')}")


def lesson_card(lesson: schemas.Lesson, state: url_state.ViewState, cat: catalog.Catalog,
                expanded: bool = False) -> None:
    """A lesson with its summary, a link to its first step and the list of its steps (folded in lists)."""
    with st.container(border=True):
        st.subheader(widgets.escape_md(title_of(lesson)))
        if lesson.summary:
            st.markdown(text(lesson, lesson.summary))
        if not lesson.steps:
            st.info(t("lesson.public.empty"), icon=":material/info:")
            return
        _step_link(lesson, 1, state, t("lesson.start"), icon=":material/play_arrow:")
        count = tn("lesson.step_count", len(lesson.steps), count=len(lesson.steps))
        if expanded:
            st.markdown(f"**{t('lesson.steps')} · {count}**")
            _steps(lesson, state, invalid_steps(lesson, cat))
        else:  # folded: the step links are sent only when the fold is opened (which reruns the page)
            fold = st.expander(t("lesson.steps") + " · " + count, key=f"lesson.steps.{lesson.id}", on_change="rerun")
            if fold.open:
                with fold:
                    _steps(lesson, state, invalid_steps(lesson, cat))


def lesson_list(all_lessons: list[schemas.Lesson], state: url_state.ViewState, cat: catalog.Catalog) -> None:
    """Every lesson, each with its steps folded."""
    for lesson in all_lessons:
        lesson_card(lesson, state, cat)


def lesson_actions(lesson_id: str, state: url_state.ViewState) -> None:
    """The handout (its own link, `lesson-handout`) and teaching the lesson in a live room."""
    lang = {"lang": state.lang} if state.lang != url_state.DEFAULT.lang else {}
    with st.container(horizontal=True, gap="medium"):
        with st.container(key="lesson-handout", width="content"):
            links.page_link("lesson", t("lesson.public.handout"), {**lang, "lesson": lesson_id, "print": "1"},
                            icon=":material/print:")
        with st.container(key="lesson-live", width="content"):
            links.page_link("live", t("lesson.public.live"), {**lang, "lesson": lesson_id},
                            icon=":material/podcasts:")


def public_page(lesson: schemas.Lesson, state: url_state.ViewState, cat: catalog.Catalog) -> None:
    """A lesson's page for anyone: title, steps as links, its handout and teaching it live."""
    lesson_card(lesson, state, cat, expanded=True)
    if is_lecturers(lesson):
        st.caption(t("lesson.public.by_lecturer"))
    lesson_actions(lesson.id, state)


def go_to_step(lesson: schemas.Lesson, number: int, state: url_state.ViewState, link: bool = True) -> None:
    """Open a step's own view (old /lesson?lesson=…&step=… links land here); without navigation
    (a page run on its own), a link to it unless `link` is False."""
    page, params = lessons.step_link(lesson, number, url_state.to_params(state))
    if page in schemas.LESSON_PAGES:
        links.switch(page, params, t("lesson.open_view", page=t(f"nav.{page}")) if link else None)


def open_step_link() -> None:
    """A step link (/lesson?lesson=…&step=N) opens the step's own page before anything of this page
    is drawn, so opening it costs one page run, not this page's frame as well. A link with a
    lecturer's host key goes through the frame first (it claims the key); anything else the page
    itself handles, with its notices."""
    state, _ = url_session.read("lesson")
    if not state.lesson or not state.step or state.host:
        return
    current = lessons.resolve(catalog.get()["lessons"].records, state.lesson)
    if current is not None and state.step <= len(current.steps):
        go_to_step(current, state.step, state, link=False)

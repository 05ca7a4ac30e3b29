"""Live-class logic without Streamlit: which view a room shows, and the links of each role."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from core import rooms, schemas, url_state
from core.lessons import step_link


def step_view(lesson: schemas.Lesson, number: int) -> tuple[str, dict[str, str]]:
    """The view a lesson step shows the class: (page, params).

    Students get the step's own view with `lesson` and `step`, so their page names the step and its
    title; the lesson bar shows a follower no teaching note and no step links (the lecturer drives).
    The lecturer's own link is `core.lessons.step_link` (see lecturer_step).
    """
    return step_link(lesson, number)


def lecturer_step(lesson: schemas.Lesson, number: int) -> tuple[str, dict[str, str]]:
    """Where the lecturer goes for a lesson step: the step's own view with its lesson bar and note."""
    return step_link(lesson, number)


def step_of(state: url_state.ViewState, lessons: dict[str, schemas.Lesson]) -> tuple[schemas.Lesson, int] | None:
    """(lesson, step number) when the view is a step of a known lesson."""
    lesson = lessons.get(state.lesson)
    if lesson and 1 <= state.step <= len(lesson.steps):
        return lesson, state.step
    return None


def view_of(page: str, state: url_state.ViewState, lessons: dict[str, schemas.Lesson]) -> tuple[str, dict]:
    """The view 'Gửi cho lớp' sends: a lesson step's view, else this page with its parameters."""
    found = step_of(state, lessons)
    if found:
        return step_view(*found)
    personal = dataclasses.replace(state, lang=url_state.DEFAULT.lang, present=False, room="", host="")
    return page, url_state.to_params(personal, page)


def neighbour(state: url_state.ViewState, lessons: dict[str, schemas.Lesson], delta: int) -> int | None:
    """The step number `delta` away in the current lesson, or None at either end."""
    found = step_of(state, lessons)
    if not found:
        return None
    lesson, number = found
    target = number + delta
    return target if 1 <= target <= len(lesson.steps) else None


def personal_params(state: url_state.ViewState) -> dict[str, str]:
    """The viewer's own settings (language, presentation mode) kept when following."""
    return {k: v for k, v in url_state.to_params(state).items() if k in ("lang", "present")}


def follower_params(room: rooms.Room, state: url_state.ViewState) -> dict[str, str]:
    """A student's link to the room's view: the view, the room, and the student's own settings."""
    return {**room.params, **personal_params(state), "room": room.code}


def host_params(page_params: dict[str, str], state: url_state.ViewState) -> dict[str, str]:
    """The lecturer's link to a view: the view plus the room and the lecturer's own settings.

    The host key is not in it: the lecturer's tab holds it (components/live.claim)."""
    return {**page_params, **personal_params(state), "room": state.room}


def resume_link(origin_url: str | None, code: str, host: str) -> str:
    """The lecturer's private link that drives the room from another browser (shown only on /live)."""
    return f"{_origin(origin_url)}/live?room={code}&host={host}"


def on_view(page: str, state: url_state.ViewState, room: rooms.Room) -> bool:
    """Whether this view already shows the room's view (then following needs no move)."""
    return page == room.page and view_of(page, state, {})[1] == room.params


def student_link(origin_url: str | None, code: str) -> str:
    """The absolute student link '/live?room=CODE' (never the host key)."""
    return f"{_origin(origin_url)}/live?room={code}"


def _origin(url: str | None) -> str:
    parts = urlsplit(url or "http://localhost:8501/")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://localhost:8501"

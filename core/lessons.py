"""Lesson steps as links: which page and parameters a step opens, and where previous/next lead.

Pure functions over `schemas.Lesson` records (no Streamlit), so the lesson bar, the /lesson
entry page and a live class can share them. A step is the view's own page with the step's
parameters plus `lesson` and `step`; `step` counts from 1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core import lesson_store, schemas

log = logging.getLogger(__name__)

# Parameters a step link keeps from the current view: how it is shown and the live room it is in,
# not what it shows.
KEPT = ("lang", "present", "room", "host")


@dataclass(frozen=True)
class Position:
    """Where a view stands in a lesson: the lesson, the step number and its neighbours."""

    lesson: schemas.Lesson
    number: int

    @property
    def total(self) -> int:
        return len(self.lesson.steps)

    @property
    def step(self) -> schemas.LessonStep:
        return self.lesson.steps[self.number - 1]

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.total else None


def find(lessons: list[schemas.Lesson], lesson_id: str) -> schemas.Lesson | None:
    """The lesson with this id, or None."""
    return next((lesson for lesson in lessons if lesson.id == lesson_id), None)


def resolve(curated: list[schemas.Lesson], lesson_id: str, store=None) -> schemas.Lesson | None:
    """A curated lesson by id, else a lecturer's saved lesson from the lesson store, else None.

    Args:
        curated: the catalog's lessons (data/lessons.yaml); they win over a saved lesson of the same id.
        lesson_id: the `lesson` parameter.
        store: a core.lesson_store.Store (default: the process's store). A store that cannot be read
            (Redis down, a locked or unreadable file) counts as not knowing the lesson: None, logged,
            and the caller shows its notice for an unknown lesson.
    """
    if not lesson_id:
        return None
    found = find(curated, lesson_id)
    if found is not None:
        return found
    if not lesson_store.LESSON_ID.match(lesson_id):
        return None
    try:
        saved = (store or lesson_store.default_store()).lesson(lesson_id)
    except Exception:  # any backend failure (sqlite3, redis, OS) reads as "unknown"
        log.warning("the lesson store could not be read for lesson %s", lesson_id, exc_info=True)
        return None
    return lesson_store.to_lesson(saved) if saved else None


def position(lessons: list[schemas.Lesson], lesson_id: str, number: int) -> Position | None:
    """The step a link points at; None when the lesson is unknown or the step out of range."""
    lesson = find(lessons, lesson_id) if lesson_id else None
    if lesson is None or not 1 <= number <= len(lesson.steps):
        return None
    return Position(lesson, number)


def step_link(lesson: schemas.Lesson, number: int, keep: dict[str, str] | None = None
              ) -> tuple[str, dict[str, str]]:
    """(page key, query parameters) of a lesson step.

    Args:
        lesson: the lesson record.
        number: the step, from 1 (clamped into the lesson's range).
        keep: the current view's parameters; only `lang` and `present` carry over.
    """
    number = min(max(number, 1), len(lesson.steps))
    step = lesson.steps[number - 1]
    params = {k: v for k, v in (keep or {}).items() if k in KEPT and v}
    params.update({k: v for k, v in step.params.items() if v})
    params.update(lesson=lesson.id, step=str(number))
    return step.page, params

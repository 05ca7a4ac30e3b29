"""A view's subject on the first screen: the open event, unit, trip, domain or lookup answer.

A page puts its subject in ``subject(key)`` and then calls ``keep_in_view(key, token)``. When the
view is a lesson step, or a live-room follower arrives at a view the lecturer pushed, a small script
scrolls the subject into view (checked a few times while the page settles: charts and maps above
it change its place as they are drawn). On a lesson step the step's "Bước n/N · title" is repeated
at the top of the subject, so the title stays on the first screen after the scroll.

Plain links (a shared or bookmarked view) open at the top of the page: the reader sees the page's
title and lead first, and clicking around a page never makes it jump. The timeline keeps its own
rule (``always=True``): an open event is always brought into view.

``use(state, step_line)`` is called by the lesson bar on every page run (frame.start).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import re

import streamlit as st

# Checks after the script is drawn, in milliseconds: the page above the subject settles meanwhile.
CHECKS_MS = (60, 300, 900, 1800, 3000)


@dataclasses.dataclass(frozen=True)
class _View:
    step_line: str = ""  # Markdown "**Bước n/N** · title" on a lesson step
    arrival: str = ""  # lesson, step and room: a new value is a new arrival (the script runs again)
    wanted: bool = False  # a lesson step, or a follower of a live room


_view: contextvars.ContextVar[_View | None] = contextvars.ContextVar("focus_view", default=None)

# On a lesson step or for a follower the subject starts in the upper half of the screen; a plain
# link's open event (timeline) only needs its title on the screen.
ARRIVAL_LOWEST = 0.5

# The script runs once per new element: the token makes it new for each subject and arrival. The
# reader's own scrolling, tap or key press ends the checks (the page never jumps back under them).
_SCROLL = ("<script>/* %(token)s */ (() => { let own = false; const stop = () => { own = true; };"
           " const kinds = ['wheel', 'touchstart', 'keydown', 'mousedown'];"
           " kinds.forEach(k => window.addEventListener(k, stop, {capture: true, passive: true}));"
           " setTimeout(() => kinds.forEach(k => window.removeEventListener(k, stop, {capture: true})), %(last)d);"
           " [%(checks)s].forEach(ms => setTimeout(() => { if (own) return;"
           " const d = document.querySelector('.st-key-%(key)s'); if (!d) return;"
           " const box = d.getBoundingClientRect(), head = d.querySelector('h1, h2, h3');"
           " const bar = document.querySelector('[data-testid=stHeader]');"
           " const top = bar ? Math.max(bar.getBoundingClientRect().bottom, 0) : 0;"
           " const bottom = head ? head.getBoundingClientRect().bottom : Math.min(box.bottom, box.top + 160);"
           " if (box.top < top || bottom > window.innerHeight || box.top > window.innerHeight * %(lowest)s) {"
           " d.style.scrollMarginTop = '4rem'; d.scrollIntoView({block: 'start'}); }"
           " }, ms)); })();</script>")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/-]")


def is_follower(state) -> bool:
    """A tab in a live room that does not drive it."""
    return bool(state.room and not state.host)


def use(state, step_line: str = "") -> None:
    """Remember for this run whether subjects are scrolled to, and the lesson step's title line."""
    wanted = bool(step_line) or is_follower(state)
    _view.set(_View(step_line, f"{state.lesson}/{state.step}/{state.room}", wanted))


def _current() -> _View:
    return _view.get() or _View()


def wanted() -> bool:
    """Whether this run's subject is scrolled into view (a lesson step or a follower)."""
    return _current().wanted


@contextlib.contextmanager
def subject(key: str, **container):
    """The subject's container (``st.container(key=key, **container)``), headed by the lesson
    step's title on a lesson step."""
    line = _current().step_line
    with st.container(key=key, **container):
        if line:
            st.caption(f":material/co_present: {line}")
        yield


def keep_in_view(key: str, token: str = "", always: bool = False) -> None:
    """Scroll the subject `key` into view when it is not on the screen (lesson steps, followers;
    every time with `always`)."""
    if not (always or wanted()):
        return
    lowest = ARRIVAL_LOWEST if wanted() else 1
    token = _UNSAFE.sub("", f"{key}:{token}:{_current().arrival}")
    st.html(_SCROLL % {"token": token, "key": _UNSAFE.sub("", key), "lowest": lowest,
                       "checks": ", ".join(str(ms) for ms in CHECKS_MS), "last": CHECKS_MS[-1] + 50},
            unsafe_allow_javascript=True)

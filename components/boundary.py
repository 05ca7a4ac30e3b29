"""Around every page run: the error boundary, and admission (page scripts take turns per process).

The boundary only catches and logs; what a failed page still shows (message, reload link, the rest
of the frame) is drawn by the callback the frame passes in (components/frame.py), so this module
needs nothing from the frame.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from components import compat
from core import nav

log = logging.getLogger("tgbm.pages")


def guard(run: Callable[[], None], page: str, broken: Callable[[str], None]) -> None:
    """The error boundary: run a page; if it raises, log the traceback in the server log and call
    broken(page), which shows a short message and keeps the frame.

    Streamlit's control flow (st.rerun, st.stop, st.switch_page) raises BaseException subclasses,
    which pass through untouched.
    """
    try:
        run()
    except Exception:
        log.exception("page %r failed", page)
        broken(page)


def _page_runs() -> int:
    """How many page scripts of this process run at once (env TGBM_PAGE_RUNS, default 1)."""
    try:
        return max(1, int(os.environ.get("TGBM_PAGE_RUNS", "1")))
    except ValueError:
        return 1


# Admission: page scripts run one (TGBM_PAGE_RUNS) at a time per process, the others wait their
# turn. Streamlit gives every session's run its own thread, and all of them share one interpreter
# lock: when a class's sixty phones run a page at once, sixty threads take turns every few
# milliseconds and all of them finish near the end. Taken in turn, the first finish after one
# run's time and the last no later than before (benchmarks/live.py measures it). Fragment runs
# (the follow poll, the follower count) are small and skip the queue.
_gate = threading.BoundedSemaphore(_page_runs())
_admitted = threading.local()


@contextlib.contextmanager
def page_turn():
    """Wait for this run's turn (re-entrant within one run's thread)."""
    if getattr(_admitted, "held", False):  # app.py's navigation runs the page inside its own run
        yield
        return
    _gate.acquire()
    _admitted.held, _admitted.left = True, False
    try:
        yield
    finally:
        if not _admitted.left:
            _gate.release()
        _admitted.held = _admitted.left = False


def leave_turn() -> None:
    """Give the turn to the next run now, for a run that is about to end by switching pages:
    st.switch_page sleeps 10 ms before it reruns, and a burst of step links would otherwise keep
    every waiting run idle for that long, one after another (benchmarks.attribution --burst)."""
    if getattr(_admitted, "held", False) and not getattr(_admitted, "left", False):
        _admitted.left = True
        _gate.release()


def page_key(page) -> str:
    """The registered page (core/nav.py) a page object runs; the overview when unknown."""
    return _key_of(str(compat.page_script(page)))


@functools.lru_cache(maxsize=64)
def _key_of(script: str) -> str:
    name = Path(script).name
    return next((spec.key for spec in nav.PAGES if Path(spec.file).name == name), "overview")


def install(run_page: Callable[[Callable[[], None], str], None]) -> None:
    """Run every page through run_page(run, page key), in its turn: pages opened through app.py's
    navigation and, right after a server restart (or in AppTest), page files that Streamlit runs
    directly from pages/. Also ends Streamlit's pages/ folder mode (compat.use_app_navigation)."""
    compat.use_app_navigation()

    def wrapper(original):
        def run(self) -> None:
            with page_turn():
                run_page(lambda: original(self), page_key(self))

        return run

    compat.wrap_page_run(wrapper)

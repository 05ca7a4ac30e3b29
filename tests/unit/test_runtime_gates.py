"""Per-process shortcuts on every page run: the data folder is re-checked every few seconds, and
page scripts take turns (re-entrantly, since app.py's navigation runs the page inside its run)."""

from __future__ import annotations

import threading

from components import boundary
from core import catalog


def test_data_folder_is_rechecked_only_after_the_interval(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    first = catalog.current_stamp(tmp_path, now=1000.0)
    (tmp_path / "b.yaml").write_text("y: 2\n", encoding="utf-8")
    assert catalog.current_stamp(tmp_path, now=1000.0 + catalog.RECHECK_SECONDS / 2) == first
    assert catalog.current_stamp(tmp_path, now=1000.0 + catalog.RECHECK_SECONDS) != first


def test_page_turns_are_reentrant_and_exclusive():
    order = []

    def nested():
        with boundary.page_turn():
            with boundary.page_turn():  # app.py → page: the same run, no second turn
                order.append("inner")

    runner = threading.Thread(target=nested)
    runner.start()
    runner.join(timeout=5)
    assert not runner.is_alive() and order == ["inner"]

    with boundary.page_turn():
        other, entered = _another_run()
        assert not entered.wait(0.3)  # another run waits for its turn
    assert entered.wait(5)
    other.join(timeout=5)


def _another_run() -> tuple[threading.Thread, threading.Event]:
    """A second session's run, started now: the event is set once it has its turn."""
    entered = threading.Event()

    def run():
        with boundary.page_turn():
            entered.set()

    other = threading.Thread(target=run)
    other.start()
    return other, entered


def test_a_run_that_switches_pages_gives_its_turn_away_once():
    with boundary.page_turn():
        other, entered = _another_run()
        assert not entered.wait(0.2)
        with boundary.page_turn():  # nested, as app.py runs the page
            boundary.leave_turn()  # the page switches: the next run goes now
            boundary.leave_turn()  # a second call gives nothing more away
        assert entered.wait(5)
    other.join(timeout=5)
    # The turn was released once: the gate admits exactly one run again (a bounded semaphore
    # would have refused a second release), and a switch outside any turn changes nothing.
    boundary.leave_turn()
    assert boundary._gate.acquire(timeout=1)
    assert not boundary._gate.acquire(timeout=0.1) or boundary._page_runs() > 1
    boundary._gate.release()

"""The browser tests' run tracker, fed with frames built from Streamlit's own protobuf classes."""

from __future__ import annotations

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg, ForwardMsgList

from tests.browser.run_tracker import RunTracker, forward_msgs

WS, OTHER = object(), object()


def rerun(fragment_id: str = "") -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = "view=list"
    if fragment_id:
        msg.rerun_script.fragment_id = fragment_id
    return msg.SerializeToString()


def heartbeat() -> bytes:
    msg = BackMsg()
    msg.app_heartbeat = True
    return msg.SerializeToString()


def started(run_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = "main"
    msg.metadata.run.script_run_id = run_id
    return msg


def finished(run_id: str, status=ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    if run_id:
        msg.metadata.run.script_run_id = run_id
    return msg


def delta() -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "x"
    return msg


def receive(tracker: RunTracker, *msgs: ForwardMsg, ws=WS) -> None:
    for msg in msgs:
        tracker.received(ws, msg.SerializeToString())


def loaded() -> RunTracker:
    """A page whose first run (asked for on connecting) has finished."""
    tracker = RunTracker()
    tracker.opened(WS)
    tracker.sent(WS, rerun())
    receive(tracker, started("a"), delta(), finished("a"))
    return tracker


def test_nothing_is_settled_before_a_websocket_a_request_and_a_finished_run():
    tracker = RunTracker()
    assert not tracker.settled()
    tracker.opened(WS)
    assert not tracker.settled()
    tracker.sent(WS, rerun())
    assert not tracker.settled()
    receive(tracker, started("a"), delta())
    assert not tracker.settled()
    receive(tracker, finished("a"))
    assert tracker.settled()


def test_a_finish_without_a_request_on_this_websocket_does_not_count():
    tracker = RunTracker()
    tracker.opened(WS)
    receive(tracker, started("a"), finished("a"))
    assert not tracker.settled()


def test_a_new_request_unsettles_until_its_own_run_finishes():
    tracker = loaded()
    tracker.sent(WS, rerun())
    assert not tracker.settled()
    receive(tracker, started("b"), delta())
    assert not tracker.settled()
    receive(tracker, finished("b"))
    assert tracker.settled()


def test_a_run_started_before_the_request_does_not_settle_it():
    tracker = RunTracker()
    tracker.opened(WS)
    tracker.sent(WS, rerun())
    receive(tracker, started("a"))
    tracker.sent(WS, rerun())          # asked again while run "a" was running
    receive(tracker, finished("a"))    # "a" ended before the server read the new request
    assert not tracker.settled()
    receive(tracker, started("b"), finished("b"))
    assert tracker.settled()


def test_a_run_cut_short_for_a_rerun_does_not_count():
    tracker = loaded()
    tracker.sent(WS, rerun())
    receive(tracker, started("b"), finished("b", ForwardMsg.FINISHED_EARLY_FOR_RERUN))
    assert not tracker.settled()
    receive(tracker, started("c"), finished("c"))
    assert tracker.settled()


def test_compile_errors_and_fragment_runs_count_as_finished():
    tracker = loaded()
    tracker.sent(WS, rerun())
    receive(tracker, started("b"), finished("b", ForwardMsg.FINISHED_WITH_COMPILE_ERROR))
    assert tracker.settled()
    tracker.sent(WS, rerun(fragment_id="frag"))
    assert not tracker.settled()
    receive(tracker, started("f"), finished("f", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY))
    assert tracker.settled()


def test_a_finish_naming_no_run_counts_from_its_arrival():
    tracker = loaded()
    tracker.sent(WS, rerun())
    receive(tracker, finished(""))
    assert tracker.settled()


def test_an_action_that_asks_for_no_run_stays_settled():
    tracker = loaded()
    tracker.sent(WS, heartbeat())
    receive(tracker, delta())
    tracker.sent(WS, "text")
    assert tracker.settled()


def test_a_new_websocket_starts_afresh_and_the_old_ones_frames_are_ignored():
    tracker = loaded()
    tracker.opened(OTHER)
    assert not tracker.settled()
    tracker.sent(WS, rerun())
    receive(tracker, started("z"), finished("z"), ws=WS)
    assert tracker.requests == 0 and tracker.finishes == 0
    tracker.sent(OTHER, rerun())
    receive(tracker, started("b"), finished("b"), ws=OTHER)
    assert tracker.settled()
    tracker.closed(WS)
    assert tracker.settled()
    tracker.closed(OTHER)
    assert not tracker.settled()


def test_a_new_document_unsettles_until_its_websocket_runs_unless_it_never_came():
    tracker = loaded()
    navigation = object()
    tracker.leaving(navigation)
    assert not tracker.settled()
    tracker.stayed(object())           # some other request failed: still leaving
    assert not tracker.settled()
    tracker.stayed(navigation)         # the navigation failed: the old document stays
    assert tracker.settled()
    tracker.leaving(navigation)
    tracker.stayed(None)               # it became a download
    assert tracker.settled()
    tracker.leaving(navigation)
    tracker.opened(OTHER)
    tracker.stayed(None)               # nothing pending any more: no effect
    assert tracker.ws is OTHER and not tracker.settled()


def test_frames_may_hold_a_forward_msg_list_and_garbage_is_ignored():
    listed = ForwardMsgList()
    listed.messages.extend([started("a"), delta(), finished("a")])
    assert [m.WhichOneof("type") for m in forward_msgs(listed.SerializeToString())] == [
        "new_session", "delta", "script_finished"]
    assert forward_msgs(b"\xff\xff\xff") == []
    tracker = RunTracker()
    tracker.opened(WS)
    tracker.sent(WS, b"\xff\xff\xff")
    tracker.sent(WS, rerun())
    tracker.received(WS, b"\xff\xff\xff")
    tracker.received(WS, listed.SerializeToString())
    assert tracker.settled()


class FakePage:
    """A page whose websocket frames arrive while the test waits, as Playwright delivers them."""

    def __init__(self, after_waits: int | None, event: str = "request") -> None:
        self._run_tracker = RunTracker()
        self._run_tracker.opened(WS)
        self.waits, self.after, self.event = 0, after_waits, event

    def wait_for_timeout(self, ms: float) -> None:
        self.waits += 1
        if self.waits == self.after:
            if self.event == "request":
                self._run_tracker.sent(WS, rerun())
            else:
                self._run_tracker.leaving("next document")


def test_await_request_waits_for_a_late_request_or_a_new_document():
    from tests.browser.conftest import await_request, request_mark

    for event in ("request", "navigation"):
        page = FakePage(after_waits=4, event=event)
        mark = request_mark(page)
        page._run_tracker.sent(OTHER, rerun())  # another websocket's request does not count
        assert await_request(page, mark, timeout=5000), event
        assert page.waits == 4, event


def test_await_request_gives_up_when_the_action_asked_for_nothing():
    from tests.browser.conftest import await_request, request_mark

    page = FakePage(after_waits=None)
    page._run_tracker.sent(WS, rerun())  # a request before the mark is not this action's
    mark = request_mark(page)
    assert not await_request(page, mark, timeout=100)
    assert page.waits >= 1
    assert not await_request(object(), request_mark(object()))  # a page without a tracker: nothing to wait for


def test_asked_since_a_mark_counts_this_websockets_requests_and_a_new_document():
    tracker = RunTracker()
    tracker.opened(WS)
    mark = tracker.mark()
    assert not tracker.asked_since(mark)
    tracker.sent(OTHER, rerun())
    tracker.sent(WS, heartbeat())
    assert not tracker.asked_since(mark)  # another websocket's request, or no rerun request
    tracker.sent(WS, rerun())
    assert tracker.asked_since(mark)
    mark = tracker.mark()
    tracker.leaving("next document")
    assert tracker.asked_since(mark)  # left for a new document: its own websocket comes next

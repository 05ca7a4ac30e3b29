"""What a page's Streamlit websocket says about script runs, so a test can wait for the run its
action caused instead of guessing how long that run takes to start.

The browser asks for a run with a `rerun_script` BackMsg; the server answers every run it starts
with a `new_session` ForwardMsg and ends it with a `script_finished` carrying the same
`metadata.run.script_run_id` (Streamlit 1.67 sends one serialized message per binary frame; a
`ForwardMsgList` is read too). A page is *settled* when a run that started after the browser's
last request has finished other than `FINISHED_EARLY_FOR_RERUN` (a run cut short because a newer
request arrived; the newer one follows). A rerun of a fragment is a run like any other.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg, ForwardMsgList

STREAM_PATH = "/_stcore/stream"
_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


def forward_msgs(payload: bytes) -> list[ForwardMsg]:
    """The ForwardMsgs in one received frame: a single message, or the messages of a list."""
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        msg = None
    if msg is not None and msg.WhichOneof("type"):
        return [msg]
    listed = ForwardMsgList()
    try:
        listed.ParseFromString(payload)
    except DecodeError:
        return []
    return [m for m in listed.messages if m.WhichOneof("type")]


def is_rerun_request(payload: bytes) -> bool:
    msg = BackMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "rerun_script"


class RunTracker:
    """The run history of one page's current Streamlit websocket, in the order events arrived.

    Feed it with `opened(ws)`, `sent(ws, payload)`, `received(ws, payload)` and `closed(ws)`; `ws`
    is any object identifying a websocket. A new websocket (reload, goto, reconnect) starts afresh,
    and frames of any other websocket are ignored."""

    def __init__(self) -> None:
        self.ws: object | None = None
        self._navigation: object | None = None  # the new document being fetched, if any
        self._left: object | None = None        # the websocket of the document being left
        self._reset()

    def _reset(self) -> None:
        self.clock = 0                      # one tick per event counted below
        self.requests = 0
        self.last_request: int | None = None  # tick of the last rerun request sent
        self.started: dict[str, int] = {}     # script_run_id -> tick of its new_session
        self.finishes = 0
        self.last_finish: int | None = None  # start tick of the latest finished run

    def _tick(self) -> int:
        self.clock += 1
        return self.clock

    def opened(self, ws: object) -> None:
        self.ws, self._navigation, self._left = ws, None, None
        self._reset()

    def closed(self, ws: object) -> None:
        if ws is self.ws:
            self.ws = None

    def leaving(self, navigation: object) -> None:
        """The page started fetching a new document: until its websocket opens, nothing is settled."""
        if self._navigation is None:
            self._left = self.ws
        self.ws, self._navigation = None, navigation

    def stayed(self, navigation: object | None) -> None:
        """That fetch failed or turned into a download (`None`: whichever is pending): the old
        document and its websocket remain."""
        if self._navigation is not None and navigation in (None, self._navigation):
            self.ws, self._navigation, self._left = self._left, None, None

    def sent(self, ws: object, payload: bytes | str) -> None:
        if ws is self.ws and isinstance(payload, bytes) and is_rerun_request(payload):
            self.requests += 1
            self.last_request = self._tick()

    def received(self, ws: object, payload: bytes | str) -> None:
        if ws is not self.ws or not isinstance(payload, bytes):
            return
        for msg in forward_msgs(payload):
            kind = msg.WhichOneof("type")
            run_id = msg.metadata.run.script_run_id
            if kind == "new_session":
                self.started[run_id] = self._tick()
            elif kind == "script_finished":
                # A run counts from its start; a finish that names no run (the server failed to
                # handle a request) counts from its arrival.
                began = self.started.pop(run_id, None) if run_id else None
                if msg.script_finished == _EARLY:
                    continue
                arrived = self._tick()
                self.finishes += 1
                self.last_finish = max(self.last_finish or 0, arrived if began is None else began)

    def mark(self) -> tuple:
        """Where this page stands now, for `asked_since`: its websocket and requests so far."""
        return self.ws, self.requests

    def asked_since(self, mark: tuple) -> bool:
        """The browser asked for a run after `mark`, or has left that document (a new websocket)."""
        ws, requests = mark
        return self.ws is not ws or self.requests > requests

    def settled(self) -> bool:
        """A websocket is open, the browser asked for at least one run on it, and a run that
        started after its last request has finished."""
        return (self.ws is not None and self.last_request is not None
                and self.last_finish is not None and self.last_finish > self.last_request)

    def describe(self) -> str:
        return (f"websocket {'open' if self.ws is not None else 'none'}, {self.requests} rerun request(s), "
                f"{self.finishes} finished run(s), last request at {self.last_request}, "
                f"last finished run started at {self.last_finish}")

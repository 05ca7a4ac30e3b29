"""A browserless client for Streamlit's websocket protocol, and a helper to run an app server.

Streamlit 1.67 serves the app over Starlette/uvicorn. A browser tab talks to it like this:

1. it opens ``ws://<host>/_stcore/stream`` offering the subprotocol ``streamlit`` (the header's
   second and third entries may carry an XSRF token and a session id to resume; we send neither,
   and send no ``Origin`` header, which the server allows for non-browser clients);
2. it sends a ``BackMsg`` with ``rerun_script`` = a ``ClientState`` naming the page
   (``page_name`` = the st.navigation URL path without slashes, ``""`` for the default page),
   the ``query_string`` (without ``?``), the widget states, the hashes of the ForwardMsgs it has
   cached, and ``context_info`` (timezone, locale, the full URL read by ``st.context.url``);
3. the server streams binary ``ForwardMsg`` protobufs: ``new_session``, ``navigation``,
   ``page_info_changed`` (the query string the script wrote), ``delta`` (elements and blocks)
   and finally ``script_finished`` with its status.

The client here does exactly that, measures time and bytes, records exception elements and the
text it saw, and never waits without a timeout. It only talks to loopback hosts. `start_server`
(from harness/server.py) runs an app to talk to.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

# The server helper lives in harness/server.py; it is re-exported here so one import serves both.
from harness.server import ROOT, Server, free_port, start_server  # noqa: F401

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FINISHED_EARLY = "FINISHED_EARLY_FOR_RERUN"
SUCCESS = "FINISHED_SUCCESSFULLY"
# Fields of elements whose text we keep, so a caller can check which page it really received.
TEXT_FIELDS = ("body", "label", "message", "placeholder", "help")


def check_loopback(url: str) -> None:
    """Refuse anything but a loopback host: this tool must never load a server it does not own."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"refusing non-loopback host {host!r} (allowed: {sorted(LOOPBACK)})")


def split_link(link: str) -> tuple[str, str]:
    """'/timeline?topic=merger' -> ('timeline', 'topic=merger'); '/' -> ('', '')."""
    parts = urlsplit(link)
    return parts.path.strip("/"), parts.query


@dataclass
class RunResult:
    """What one script run sent to the client."""

    link: str
    status: str = ""  # ScriptFinishedStatus name, or "timeout" / "closed" / "error: …"
    seconds: float = 0.0  # from sending rerun_script to receiving script_finished
    connect_seconds: float = 0.0  # websocket handshake (fresh sessions only)
    bytes: int = 0  # websocket payload bytes received (compression is off by default)
    messages: int = 0
    largest: int = 0  # size of the largest single ForwardMsg
    largest_kind: str = ""
    elements: Counter = field(default_factory=Counter)  # element type -> count
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of exception elements
    texts: list[str] = field(default_factory=list)
    # (element type, its texts) of every element in the order drawn: what the page showed
    contents: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    page: str | None = None  # url path of the page the server says it ran
    page_not_found: bool = False
    query_string: str | None = None  # as last written by the script (page_info_changed)

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS and not self.exceptions and not self.page_not_found

    def text(self) -> str:
        return "\n".join(self.texts)


def _element_texts(element) -> list[str]:
    kind = element.WhichOneof("type")
    inner = getattr(element, kind)
    found = []
    for name in TEXT_FIELDS:
        if name in inner.DESCRIPTOR.fields_by_name:
            value = getattr(inner, name)
            if isinstance(value, str) and value:
                found.append(value)
    if kind in ("selectbox", "multiselect", "radio", "button_group"):
        found += [str(option) for option in getattr(inner, "options", [])]
    return found


class Session:
    """One browser-tab-like session on a Streamlit server (use as an async context manager)."""

    def __init__(self, base_url: str, timeout: float = 30.0, locale: str = "vi-VN"):
        check_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.locale = locale
        self.ws: ClientConnection | None = None
        self.cached: set[str] = set()  # hashes of cacheable messages, as the browser keeps them
        self.pages: dict[str, str] = {}  # page_script_hash -> url path, from `navigation`
        self.link = "/"
        self.query_string = ""

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> float:
        """Open the websocket; returns the handshake time in seconds."""
        started = time.perf_counter()
        ws_url = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        self.ws = await asyncio.wait_for(
            connect(ws_url, subprotocols=["streamlit"], compression=None, max_size=None,
                    open_timeout=self.timeout, close_timeout=2, ping_interval=None),
            timeout=self.timeout)
        return time.perf_counter() - started

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), timeout=3)
            except (TimeoutError, OSError):
                pass
            self.ws = None

    def _back_msg(self, page_name: str, query: str) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page_name
        state.cached_message_hashes.extend(sorted(self.cached))
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Ho_Chi_Minh", -420, self.locale
        info.url = f"{self.base_url}/{page_name}" + (f"?{query}" if query else "")
        info.is_embedded, info.color_scheme = False, "light"
        return msg.SerializeToString()

    async def run(self, link: str) -> RunResult:
        """Run the page of `link` ('/timeline?topic=merger') and read until its script finishes."""
        page_name, query = split_link(link)
        self.link, self.query_string = link, query
        return await self._run(page_name, query)

    async def rerun(self) -> RunResult:
        """Run the current page again with the query string the script last wrote (like 'R')."""
        page_name, _ = split_link(self.link)
        return await self._run(page_name, self.query_string)

    async def _run(self, page_name: str, query: str) -> RunResult:
        result = RunResult(link=self.link)
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self.ws.send(self._back_msg(page_name, query)), timeout=self.timeout)
            await asyncio.wait_for(self._read_until_finished(result), timeout=self.timeout)
        except TimeoutError:
            result.status = "timeout"
        except Exception as exc:  # noqa: BLE001 - a load test must report, not crash, on one bad session
            result.status = f"error: {type(exc).__name__}: {exc}"
        result.seconds = time.perf_counter() - started
        if result.query_string is not None:
            self.query_string = result.query_string
        return result

    async def _read_until_finished(self, result: RunResult) -> None:
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                raw = await self.ws.recv(decode=False)
            except ConnectionClosed:
                result.status = "closed"
                return
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            result.bytes += len(raw)
            result.messages += 1
            if len(raw) > result.largest:
                result.largest, result.largest_kind = len(raw), kind
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if self._handle(msg, kind, result):
                return

    def _handle(self, msg: ForwardMsg, kind: str, result: RunResult) -> bool:
        """Record one ForwardMsg; True when the run is over."""
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            element_kind = element.WhichOneof("type")
            result.elements[element_kind] += 1
            if element_kind == "exception":
                result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            texts = _element_texts(element)
            result.texts += texts
            result.contents.append((element_kind, tuple(texts)))
        elif kind == "navigation":
            self.pages = {p.page_script_hash: p.url_pathname for p in msg.navigation.app_pages}
            result.page = self.pages.get(msg.navigation.page_script_hash)
        elif kind == "page_info_changed":
            result.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            result.page_not_found = True
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            if status != FINISHED_EARLY:  # the script reran itself: keep reading the new run
                result.status = status
                return True
        return False


async def open_and_run(base_url: str, link: str, timeout: float = 30.0, session: Session | None = None) -> RunResult:
    """A fresh session's first full run of `link`, as when a student opens a shared link
    (``session``: a not yet connected one of a Session subclass, e.g. one that records)."""
    session = session or Session(base_url, timeout=timeout)
    try:
        connect_seconds = await session.connect()
    except Exception as exc:  # noqa: BLE001 - reported in the result, like any failed session
        return RunResult(link=link, status=f"error: connect: {type(exc).__name__}: {exc}")
    try:
        result = await session.run(link)
        result.connect_seconds = connect_seconds
        return result
    finally:
        await session.close()


async def burst(base_url: str, link: str, sessions: int, timeout: float = 60.0) -> list[RunResult]:
    """`sessions` fresh sessions opening `link` at once; each result's seconds count from the start."""
    started = time.perf_counter()

    async def one() -> RunResult:
        result = await open_and_run(base_url, link, timeout=timeout)
        result.seconds = time.perf_counter() - started
        return result

    return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(sessions))), timeout=timeout + 30)

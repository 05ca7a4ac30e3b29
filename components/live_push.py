"""Server push for live rooms: one watcher thread per server process moves the followers.

Polling costs a script run per follower per poll (Streamlit's fixed cost of a run, about 5 ms on
this project's 2-core reference machine, so sixty phones polling every second kept a third of a
core busy while nothing happened). Instead, each follower's page registers its session here
(`follow`) and one daemon thread per process reads each followed room ten times a second. When
the lecturer moves a room, the thread asks every following session of that room to run the new
view, exactly as Streamlit's own "rerun on save" asks a session to run: through the session's
event loop, with the view's page and query string. The page then draws and the browser's address
follows, as after `st.switch_page`.

The polling fragment stays as the fallback (slow when push works): if Streamlit's runtime ever
stops offering what `compat.request_rerun` uses, following still works, only later, and the server
log says so once (components/compat.py holds every Streamlit internal used here). While the watcher
has sent a session its move and the session has not drawn it yet (`pending`), that session's own
poll leaves the move to the push, so a move costs each follower one page run. What is kept per
session: the room code, the random tab id, the follower's language/presentation settings and
whether they follow; nothing personal. Sessions that closed are dropped on the next tick.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from urllib.parse import urlencode

from components import compat
from core import nav, rooms

log = logging.getLogger("tgbm.live")

WATCH_SECONDS = 0.1  # how often the thread reads each followed room (one store read per room)
# How long a sent move counts as on its way: a session runs it after the runs queued before it
# (about 25 ms each, so 60 followers take 1.5 s); past this, the session's poll moves it itself.
PUSH_GRACE_SECONDS = 15.0


@dataclasses.dataclass
class Follow:
    code: str
    tab: str
    personal: dict[str, str]  # the follower's own link settings (language, presentation)
    following: bool
    seen: int  # the room version this session last showed (or was sent to)
    sent_at: float = 0.0  # when the watcher sent `seen` (time.monotonic()); 0 if the session showed it


class Registry:
    """Who follows which room in this process (pure bookkeeping; the thread lives in Watcher)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_session: dict[str, Follow] = {}

    def follow(self, session_id: str, entry: Follow) -> None:
        with self._lock:
            known = self._by_session.get(session_id)
            if known is not None and known.code == entry.code and known.seen >= entry.seen:
                entry.seen, entry.sent_at = known.seen, known.sent_at  # a view already sent is not sent again
            self._by_session[session_id] = entry

    def pending(self, session_id: str, code: str, version: int, within: float = PUSH_GRACE_SECONDS) -> bool:
        """Whether the watcher sent this session the room's `version` less than `within` seconds ago."""
        with self._lock:
            entry = self._by_session.get(session_id)
            return (entry is not None and entry.code == code and entry.following and entry.seen >= version
                    and entry.sent_at > 0 and time.monotonic() - entry.sent_at < within)

    def leave(self, session_id: str) -> None:
        with self._lock:
            self._by_session.pop(session_id, None)

    def rooms(self) -> dict[str, list[tuple[str, Follow]]]:
        with self._lock:
            grouped: dict[str, list[tuple[str, Follow]]] = {}
            for session_id, entry in self._by_session.items():
                grouped.setdefault(entry.code, []).append((session_id, entry))
            return grouped

    def moves(self, room: rooms.Room, entries: list[tuple[str, Follow]]) -> list[tuple[str, str, dict]]:
        """(session, page, params) for each following session behind the room's version; marks
        them as sent, so one move is sent once."""
        due = []
        with self._lock:
            now = time.monotonic()
            for session_id, entry in entries:
                if entry.following and entry.seen < room.version and room.page in nav.BY_KEY:
                    entry.seen, entry.sent_at = room.version, now
                    due.append((session_id, room.page, {**room.params, **entry.personal, "room": room.code}))
        return due

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_session)


class Watcher:
    """The process's watcher thread (started with the first follower, a daemon)."""

    def __init__(self, registry: Registry, store_factory=rooms.default_store):
        self.registry = registry
        self._store_factory = store_factory
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._last_beat = 0.0

    def ensure_running(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="tgbm-live-watcher", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                self.tick()
            except Exception:  # a store hiccup must not end following for the process
                log.exception("live watcher tick failed")

    def tick(self) -> int:
        """One round: drop closed sessions, send moves, write heartbeats; returns moves sent."""
        store = self._store_factory()
        now = time.monotonic()
        beat = now - self._last_beat >= rooms.BEAT_SECONDS  # on the sessions' behalf
        if beat:
            self._last_beat = now
        sent = 0
        for code, entries in self.registry.rooms().items():
            alive = []
            for session_id, entry in entries:
                if session_active(session_id):
                    alive.append((session_id, entry))
                else:
                    self.registry.leave(session_id)
            if not alive:
                continue
            # A fresh read that also refreshes the process's recent-room cache, so the moved
            # sessions' own polls (Store.recent) see the new version, not the one before it.
            room = store.recent(code, max_age=0)
            if room is None or room.status() != "live":
                for session_id, _ in alive:  # show the polite notice now, not at the next poll
                    rerun_current(session_id)
                    self.registry.leave(session_id)
                continue
            for session_id, page, params in self.registry.moves(room, alive):
                if request_view(session_id, page, params):
                    sent += 1
                elif session_active(session_id):  # the runtime refused: its own poll moves it
                    self.registry.leave(session_id)
                    refuse()
            if beat:
                store.heartbeats(code, [entry.tab for _, entry in alive])
        return sent


REGISTRY = Registry()
WATCHER = Watcher(REGISTRY)
# Set when Streamlit's runtime refused to run a view for a live session (an internal compat.py
# relies on is gone): from then on this process's followers poll every second instead.
REFUSED = threading.Event()


def refuse() -> None:
    """A push to a live session failed: this process stops pushing (logged once)."""
    if not REFUSED.is_set():
        log.warning("live push refused by the Streamlit runtime; followers poll instead")
    REFUSED.set()


def current_session_id() -> str | None:
    """The running script's session id, or None outside a server (AppTest has one too)."""
    return compat.script_session_id()


def available() -> bool:
    """Whether server push works in this process (a live Streamlit server, not AppTest)."""
    session_id = current_session_id()
    return bool(session_id) and not REFUSED.is_set() and compat.app_session(session_id) is not None


def session_active(session_id: str) -> bool:
    return compat.app_session(session_id) is not None


def request_view(session_id: str, page: str, params: dict[str, str]) -> bool:
    """Ask a session to run `page` with `params`, as if its browser had opened that link."""
    session = compat.app_session(session_id)
    if session is None:
        return False
    return compat.request_rerun(session, urlencode(params), nav.BY_KEY[page].url_path)


def rerun_current(session_id: str) -> bool:
    """Ask a session to run its current view again (as Streamlit does on a source change)."""
    session = compat.app_session(session_id)
    return session is not None and compat.rerun_as_before(session)


def follow(code: str, tab: str, personal: dict[str, str], following: bool, seen: int) -> bool:
    """Register this session as a follower of a room; True when push is active (then the caller
    can poll rarely)."""
    session_id = current_session_id()
    if not session_id or REFUSED.is_set() or compat.app_session(session_id) is None:
        return False
    REGISTRY.follow(session_id, Follow(code, tab, dict(personal), following, seen))
    WATCHER.ensure_running()
    return True


def pending(code: str, version: int) -> bool:
    """Whether the watcher has sent this session the room's move to `version` and its page run is on
    its way (then the session's poll need not, and should not, move it too)."""
    session_id = current_session_id()
    return bool(session_id) and REGISTRY.pending(session_id, code, version)


def leave() -> None:
    """This session no longer follows a room (it left the room, became its host, or rejoins it and
    is moved by its own next run); what was sent to it is forgotten."""
    session_id = current_session_id()
    if session_id:
        REGISTRY.leave(session_id)

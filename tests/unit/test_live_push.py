"""Server push for live rooms (components/live_push.py): who is moved, once, and what is dropped.

The Streamlit side (asking a real session to run a view) is exercised by the browser live tests and
benchmarks/live.py; here the bookkeeping and the watcher's round run against a real SQLite store,
with the session calls recorded instead of sent."""

from __future__ import annotations

import pytest

from components import live_push
from core import rooms

VIEW = ("timeline", {"topic": "policy", "to": "2025-07-01", "event": "nq-18-nqtw-2017"})


@pytest.fixture
def store(tmp_path):
    made = rooms.SQLiteStore(tmp_path / "rooms.sqlite3")
    yield made
    made.close()


class CallLog(list):
    active: set


@pytest.fixture
def sent(monkeypatch):
    """Sessions' calls recorded: ('view', session, page, params) and ('rerun', session)."""
    calls, active = CallLog(), set()
    monkeypatch.setattr(live_push, "session_active", lambda sid: sid in active)
    monkeypatch.setattr(live_push, "request_view", lambda sid, page, params: calls.append(("view", sid, page, params)) or True)
    monkeypatch.setattr(live_push, "rerun_current", lambda sid: calls.append(("rerun", sid)) or True)
    calls.active = active
    return calls


def entry(code, tab="tab-0000000000000001", following=True, seen=1, lang="vi"):
    return live_push.Follow(code, tab, {"lang": lang} if lang != "vi" else {}, following, seen)


def test_a_move_is_sent_once_to_each_following_session_with_its_own_settings(store, monkeypatch):
    room, host = store.create(*VIEW)
    registry = live_push.Registry()
    registry.follow("s1", entry(room.code))
    registry.follow("s2", entry(room.code, tab="tab-0000000000000002", lang="en"))
    registry.follow("away", entry(room.code, tab="tab-0000000000000003", following=False))
    moved = store.push(room.code, host, "merger", {"unit": "20194"})
    grouped = registry.rooms()[room.code]
    due = sorted(registry.moves(moved, grouped))
    assert due == [("s1", "merger", {"unit": "20194", "room": room.code}),
                   ("s2", "merger", {"unit": "20194", "lang": "en", "room": room.code})]
    assert registry.moves(moved, grouped) == []  # sent once
    # A page run of the old view re-registering does not make the move due again.
    registry.follow("s1", entry(room.code, seen=1))
    assert registry.moves(moved, registry.rooms()[room.code]) == []


def test_the_watcher_moves_live_followers_drops_closed_sessions_and_beats(store, sent):
    room, host = store.create(*VIEW)
    registry = live_push.Registry()
    watcher = live_push.Watcher(registry, store_factory=lambda: store)
    sent.active.update({"s1", "s2"})
    registry.follow("s1", entry(room.code))
    registry.follow("s2", entry(room.code, tab="tab-0000000000000002"))
    registry.follow("gone", entry(room.code, tab="tab-0000000000000003"))
    assert watcher.tick() == 0 and len(registry) == 2  # nothing moved; the closed session dropped
    assert store.followers(room.code) == 2  # heartbeats written for the sessions, not by them
    store.push(room.code, host, "training", {"trip": "k75-a20-danang-2025-07-07"})
    assert watcher.tick() == 2
    assert sorted(call[1] for call in sent) == ["s1", "s2"]
    assert all(call[2] == "training" for call in sent)
    assert watcher.tick() == 0  # nothing new


def test_an_ended_room_reruns_its_followers_once_for_the_notice(store, sent):
    room, host = store.create(*VIEW)
    registry = live_push.Registry()
    watcher = live_push.Watcher(registry, store_factory=lambda: store)
    sent.active.add("s1")
    registry.follow("s1", entry(room.code))
    store.end(room.code, host)
    watcher.tick()
    assert sent == [("rerun", "s1")] and len(registry) == 0
    watcher.tick()
    assert sent == [("rerun", "s1")]


def test_outside_a_server_push_is_unavailable_and_nothing_registers():
    assert live_push.current_session_id() is None
    assert live_push.available() is False
    assert live_push.follow("ABCDEF", "tab-0000000000000001", {}, True, 1) is False


def test_a_sent_move_is_pending_for_its_session_until_the_grace_passes(store):
    """What a follower's poll asks before moving itself: has the watcher sent it this move?"""
    room, host = store.create(*VIEW)
    registry = live_push.Registry()
    registry.follow("s1", entry(room.code))
    registry.follow("away", entry(room.code, tab="tab-0000000000000002", following=False))
    assert not registry.pending("s1", room.code, room.version)  # shown by its own run, not sent
    moved = store.push(room.code, host, "merger", {"unit": "20194"})
    assert not registry.pending("s1", room.code, moved.version)  # not sent yet: the poll moves it
    registry.moves(moved, registry.rooms()[room.code])
    assert registry.pending("s1", room.code, moved.version)
    assert not registry.pending("away", room.code, moved.version)  # nothing is sent to a tab away
    assert not registry.pending("s2", room.code, moved.version)  # another session
    assert not registry.pending("s1", "ZZZZZZ", moved.version)  # another room
    # A poll's re-registration with the version it last showed keeps what was sent.
    registry.follow("s1", entry(room.code, seen=room.version))
    assert registry.pending("s1", room.code, moved.version)
    assert not registry.pending("s1", room.code, moved.version + 1)  # the room moved on since
    # A push that has not arrived within the grace is no longer trusted: the poll moves the tab.
    assert not registry.pending("s1", room.code, moved.version, within=0)
    registry.leave("s1")  # rejoining forgets what was sent: that run moves the tab itself
    assert not registry.pending("s1", room.code, moved.version)


def test_a_refused_push_leaves_the_move_to_the_polls_and_stops_pushing(store, sent, monkeypatch):
    """A Streamlit whose runtime no longer runs a view for a session (compat falls back): the session's
    poll moves it, and the process's followers poll every second from then on."""
    monkeypatch.setattr(live_push, "REFUSED", live_push.threading.Event())
    monkeypatch.setattr(live_push, "request_view", lambda sid, page, params: False)
    room, host = store.create(*VIEW)
    registry = live_push.Registry()
    watcher = live_push.Watcher(registry, store_factory=lambda: store)
    sent.active.add("s1")
    registry.follow("s1", entry(room.code))
    moved = store.push(room.code, host, "merger", {"unit": "20194"})
    assert watcher.tick() == 0
    assert live_push.REFUSED.is_set()
    assert not registry.pending("s1", room.code, moved.version)  # its own poll moves it
    assert len(registry) == 0

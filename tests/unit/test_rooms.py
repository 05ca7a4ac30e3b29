"""Room store contract: the same tests against SQLite (WAL) and a real redis-server."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import rooms

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
LESSON_VIEW = ("timeline", {"topic": "policy", "to": "2025-07-01", "event": "nq-18-nqtw-2017"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A private redis-server on a free loopback port in a temp dir, stopped after the module."""
    if not REDIS_SERVER:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing in CI (apt-get install redis-server)")
        pytest.skip("redis-server not installed (apt-get install redis-server); Redis store untested")
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    client.close()
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        made = rooms.SQLiteStore(tmp_path / "rooms.sqlite3")
    else:
        made = rooms.RedisStore(request.getfixturevalue("redis_url"))
        made.redis.flushdb()
    yield made
    made.close()


class TestStoreContract:
    def test_create_gives_code_view_and_secret(self, store):
        room, host = store.create(*LESSON_VIEW)
        assert len(room.code) == 6 and set(room.code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        assert len(host) >= 22  # ≥ 128 bits in URL-safe base64
        got = store.get(room.code)
        assert (got.page, got.params, got.version, got.status()) == (*LESSON_VIEW, 1, "live")

    def test_host_key_is_stored_only_as_a_hash(self, store):
        room, host = store.create()
        assert store._host_hash(room.code) == rooms.hash_key(host) != host

    def test_push_moves_view_and_bumps_version(self, store):
        room, host = store.create()
        moved = store.push(room.code.lower(), host, "merger", {"unit": "20194"})
        assert (moved.page, moved.params, moved.version) == ("merger", {"unit": "20194"}, 2)
        assert store.get(room.code).version == 2

    def test_wrong_host_key_cannot_push_or_end(self, store):
        room, host = store.create()
        for key in ("", "x" * 32, host[:-1] + ("A" if host[-1] != "A" else "B"), None):
            with pytest.raises(rooms.RoomError) as err:
                store.push(room.code, key, "merger", {})
            assert err.value.reason == "not-host"
            with pytest.raises(rooms.RoomError):
                store.end(room.code, key)
        assert store.get(room.code).version == 1 and not store.get(room.code).ended

    def test_end_then_replayed_host_link_cannot_drive(self, store):
        room, host = store.create()
        store.end(room.code, host)
        assert store.get(room.code).status() == "ended"
        with pytest.raises(rooms.RoomError) as err:
            store.push(room.code, host, "merger", {})
        assert err.value.reason == "ended"
        assert store.get(room.code).page == "overview"

    def test_expired_room(self, store, monkeypatch):
        room, host = store.create()
        later = time.time() + rooms.expiry_seconds() + 1
        monkeypatch.setattr(rooms.time, "time", lambda: later)
        assert store.get(room.code).status() == "expired"
        with pytest.raises(rooms.RoomError):
            store.push(room.code, host, "merger", {})

    @pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABC0O1", "abcdel", "ÀBCDEF", "../../x", None])
    def test_malformed_codes_are_unknown(self, store, code):
        assert store.get(code) is None
        assert store.followers(code) == 0
        assert not store.is_host(code, "x" * 32)

    def test_unknown_codes_never_create_rooms(self, store):
        room, host = store.create()
        for _ in range(1000):
            code = rooms.new_code()
            assert store.get(code) is None or code == room.code
            store.heartbeat(code, secrets.token_urlsafe(12))
        assert store.count_rooms() == 1

    @pytest.mark.parametrize("page, params", [
        ("merger", {"room": "ABCDEF"}), ("merger", {"host": "x" * 32}), ("merger", {"lang": "en"}),
        ("merger", {"unit": "../etc"}), ("merger", {"event": "nq-18"}), ("merger", {"view": "nope"}),
        ("timeline", {"from": "2025-13-01"}), ("nowhere", {}), ("live", {}), ("merger", {"q": "x" * 201}),
        ("merger", {"unit": ["20194"]}), ("merger", "unit=20194"),
    ])
    def test_views_outside_the_url_contract_are_rejected(self, store, page, params):
        room, host = store.create()
        with pytest.raises(rooms.RoomError) as err:
            store.push(room.code, host, page, params)
        assert err.value.reason == "bad-view"
        assert store.get(room.code).version == 1

    def test_followers_from_heartbeats_expire(self, store, monkeypatch):
        room, _ = store.create()
        tabs = [secrets.token_urlsafe(12) for _ in range(3)]
        for tab in tabs + tabs[:1]:
            store.heartbeat(room.code, tab)
        store.heartbeat(room.code, "bad id with spaces")
        assert store.followers(room.code) == 3
        later = time.time() + rooms.HEARTBEAT_SECONDS + 1
        monkeypatch.setattr(rooms.time, "time", lambda: later)
        assert store.followers(room.code) == 0

    def test_ended_room_takes_no_heartbeats(self, store):
        room, host = store.create()
        store.heartbeat(room.code, "tab-aaaaaaaa")
        store.end(room.code, host)
        store.heartbeat(room.code, "tab-bbbbbbbb")
        assert store.followers(room.code) == 0


def test_validate_view_canonicalises_like_links():
    assert rooms.validate_view("timeline", {"topic": "merger,policy", "tab": "chart"}) == (
        "timeline", {"topic": "merger,policy"})


def test_open_store_picks_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("ROOMS_DB", str(tmp_path / "a" / "r.sqlite3"))
    store = rooms.open_store(url="")
    assert isinstance(store, rooms.SQLiteStore) and store.path == tmp_path / "a" / "r.sqlite3"
    assert store._exec("PRAGMA journal_mode")[0][0] == "wal"
    store.close()
    assert isinstance(rooms.open_store(url="redis://127.0.0.1:1/0"), rooms.RedisStore)


def test_default_path_is_outside_the_repo(monkeypatch, tmp_path):
    monkeypatch.delenv("ROOMS_DB", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert rooms.default_db_path() == tmp_path / "tinh-gon" / "rooms.sqlite3"


def test_expiry_from_env(monkeypatch):
    monkeypatch.setenv("ROOMS_EXPIRY_HOURS", "2")
    assert rooms.expiry_seconds() == 7200
    monkeypatch.setenv("ROOMS_EXPIRY_HOURS", "soon")
    assert rooms.expiry_seconds() == 6 * 3600


WORKER = """
import sys
from core import rooms
store = rooms.SQLiteStore(sys.argv[1])
action, code, host = sys.argv[2], sys.argv[3], sys.argv[4]
if action == "push":
    for unit in ("20194", "20197", "20200"):
        store.push(code, host, "merger", {"unit": unit})
    store.heartbeat(code, "process-two-tab")
room = store.get(code)
print(room.page, room.params.get("unit", ""), room.version, store.followers(code))
"""


def test_two_processes_share_one_sqlite_file(tmp_path):
    db = tmp_path / "shared.sqlite3"
    store = rooms.SQLiteStore(db)
    room, host = store.create()
    store.heartbeat(room.code, "process-one-tab")
    run = [sys.executable, "-c", WORKER, str(db)]
    out = subprocess.run(run + ["push", room.code, host], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["merger", "20200", "4", "2"]
    seen = store.get(room.code)
    assert (seen.page, seen.params, seen.version) == ("merger", {"unit": "20200"}, 4)
    assert store.followers(room.code) == 2
    store.close()


class TestRecentReads:
    """Store.recent: the followers' polls share one read per room and interval in a process."""

    def test_recent_reads_are_shared_until_they_are_stale(self, store, monkeypatch):
        room, host = store.create(*LESSON_VIEW)
        other = type(store)(store.path) if isinstance(store, rooms.SQLiteStore) else rooms.RedisStore(store.url)
        first = store.recent(room.code, max_age=60)
        other.push(room.code, host, "merger", {})  # another process moves the room
        assert store.recent(room.code, max_age=60).version == first.version  # still the shared read
        assert store.recent(room.code, max_age=0).version == first.version + 1  # a fresh read
        assert store.recent(room.code, max_age=60).page == "merger"  # …which is shared from now on
        other.close()

    def test_own_writes_are_seen_at_once(self, store):
        room, host = store.create(*LESSON_VIEW)
        assert store.recent(room.code, max_age=60).version == 1
        store.push(room.code, host, "merger", {"unit": "20194"})
        assert store.recent(room.code, max_age=60).params == {"unit": "20194"}
        store.end(room.code, host)
        assert store.recent(room.code, max_age=60).status() == "ended"

    def test_made_up_codes_do_not_grow_the_cache_for_ever(self, store, monkeypatch):
        monkeypatch.setattr(rooms, "RECENT_ROOMS", 16)
        for _ in range(100):
            assert store.recent(rooms.new_code(), max_age=60) is None
        assert len(store._recent) <= 16
        assert store.recent("not a code!") is None and store.count_rooms() == 0


def _beating(store, code: str) -> set[str]:
    """Tabs with a stored heartbeat for a room, read from the backend itself."""
    if isinstance(store, rooms.SQLiteStore):
        return {row[0] for row in store._exec("SELECT tab FROM beats WHERE code = ?", (code,))}
    return set(store.redis.zrange(store._key(code, "beats"), 0, -1))


class TestHeartbeatsInOneWrite:
    def test_many_tabs_count_once_each_and_only_for_a_live_room(self, store):
        room, host = store.create(*LESSON_VIEW)
        tabs = [f"tab-{n:016d}" for n in range(40)]
        store.heartbeats(room.code, tabs + tabs[:5] + ["bad tab!"])
        assert store.followers(room.code) == 40 and _beating(store, room.code) == set(tabs)
        unknown = rooms.new_code()
        store.heartbeats(unknown, tabs)  # a made-up room: nothing written
        assert _beating(store, unknown) == set() and store.count_rooms() == 1
        store.end(room.code, host)
        store.heartbeats(room.code, ["tab-9999999999999999"])  # an ended room: nothing written
        assert "tab-9999999999999999" not in _beating(store, room.code)

"""Live-class rooms: a code, a hashed host key, the current view and follower heartbeats (no Streamlit).

One small interface (`Store`) with two backends: SQLite in WAL mode (the default, one file shared
by every server process on a machine) and Redis (`ROOMS_URL=redis://…`, for servers on several
machines). Only the room code, the host key's hash, the current view, a version counter and
timestamps are stored; followers are counted from heartbeats that carry a random per-tab id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core import schemas, url_state

ALPHABET = schemas.ROOM_ALPHABET  # input is upper-cased
CODE_LENGTH = schemas.ROOM_CODE_LENGTH
HOST_KEY_BYTES = 24  # 192 bits, as 32 URL-safe characters
DEFAULT_EXPIRY_HOURS = 6.0
HEARTBEAT_SECONDS = 15.0  # a tab counts as following while its last heartbeat is this recent
BEAT_SECONDS = 5.0  # a following tab's heartbeat is written at most this often (three per HEARTBEAT_SECONDS)
KEEP_ENDED_SECONDS = 24 * 3600  # ended/expired rooms are kept a day so links say "ended", then purged
# View parameters that belong to the viewer, not to the view: never pushed to a room.
PERSONAL = ("lang", "present", "room", "host")
NOT_FOLLOWABLE = ("live",)
_TAB = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class RoomError(Exception):
    """A room operation that cannot be done; `reason` is a stable slug for the UI."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Room:
    """A room as stored; `params` is the view's canonical URL parameters."""

    code: str
    page: str
    params: dict = field(default_factory=dict)
    version: int = 1
    created: float = 0.0
    updated: float = 0.0
    expires: float = 0.0
    ended: bool = False

    def status(self, now: float | None = None) -> str:
        """'live', 'ended' or 'expired'."""
        if self.ended:
            return "ended"
        return "expired" if (now or time.time()) >= self.expires else "live"


def normalize_code(raw: str | None) -> str | None:
    """An upper-cased room code, or None when it cannot be one (wrong length or characters)."""
    code = (raw or "").strip().upper()
    if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code):
        return code
    return None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def hash_key(host_key: str) -> str:
    """The stored form of a host key (the key is 192 random bits, so one SHA-256 suffices)."""
    return hashlib.sha256(host_key.encode("utf-8", "replace")).hexdigest()


def valid_tab(tab: str) -> bool:
    return bool(_TAB.match(tab or ""))


def validate_view(page: str, params: dict) -> tuple[str, dict[str, str]]:
    """The view in canonical form, parsed by the same parser as links; RoomError('bad-view') if not.

    Parameters outside the page's part of the URL contract, malformed values and viewer-only
    parameters (language, presentation mode, room, host) are all rejected.
    """
    if page not in url_state.PAGE_PARAMS or page in NOT_FOLLOWABLE or not isinstance(params, dict):
        raise RoomError("bad-view")
    allowed = set(url_state.params_for(page)) - set(PERSONAL)
    if any(not isinstance(k, str) or k not in allowed or not isinstance(v, str) for k, v in params.items()):
        raise RoomError("bad-view")
    state, ignored = url_state.from_params(params)
    if ignored:
        raise RoomError("bad-view")
    return page, url_state.to_params(state, page)


def expiry_seconds() -> float:
    """Room lifetime: env ROOMS_EXPIRY_HOURS (default 6)."""
    try:
        hours = float(os.environ.get("ROOMS_EXPIRY_HOURS", DEFAULT_EXPIRY_HOURS))
    except ValueError:
        hours = DEFAULT_EXPIRY_HOURS
    return max(hours, 0.001) * 3600


def default_db_path() -> Path:
    """ROOMS_DB, else $XDG_STATE_HOME/tinh-gon/rooms.sqlite3 (~/.local/state/… by default)."""
    if os.environ.get("ROOMS_DB"):
        return Path(os.environ["ROOMS_DB"]).expanduser()
    state_home = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state_home) / "tinh-gon" / "rooms.sqlite3"


RECENT_SECONDS = 0.25  # how stale a follower's poll may read the room (see Store.recent)
RECENT_ROOMS = 1024


class Store:
    """The room store interface; backends implement the _underscored primitives."""

    def __init__(self, expiry: float | None = None):
        self.expiry = expiry if expiry is not None else expiry_seconds()
        self._recent: dict[str, tuple[float, Room | None]] = {}  # code -> (read at, room)
        self._recent_lock = threading.Lock()

    def create(self, page: str = "overview", params: dict | None = None) -> tuple[Room, str]:
        """A new room showing the given view; returns it with its host key (shown once, never stored)."""
        page, params = validate_view(page, params or {})
        host_key = secrets.token_urlsafe(HOST_KEY_BYTES)
        now = time.time()
        self._purge(now)
        for _ in range(20):
            room = Room(new_code(), page, params, 1, now, now, now + self.expiry)
            if self._insert(room, hash_key(host_key)):
                return room, host_key
        raise RoomError("no-code")

    def get(self, raw_code: str | None) -> Room | None:
        """The room, or None for an unknown or malformed code (never creates anything)."""
        code = normalize_code(raw_code)
        return self._get(code) if code else None

    def recent(self, raw_code: str | None, max_age: float = RECENT_SECONDS) -> Room | None:
        """The room as read at most `max_age` seconds ago in this process: what the followers'
        polls use, so sixty tabs polling every second cost a few store reads, not sixty. This
        process's own writes (push, end) are seen at once; other processes' within max_age."""
        code = normalize_code(raw_code)
        if not code:
            return None
        now = time.monotonic()
        with self._recent_lock:
            known = self._recent.get(code)
        if known is not None and now - known[0] < max_age:
            return known[1]
        room = self._get(code)
        with self._recent_lock:
            if len(self._recent) >= RECENT_ROOMS:  # made-up codes must not grow it for ever
                self._recent.clear()
            self._recent[code] = (now, room)
        return room

    def _forget(self, code: str) -> None:
        with self._recent_lock:
            self._recent.pop(code, None)

    def is_host(self, raw_code: str | None, host_key: str | None) -> bool:
        """Whether host_key drives this room (constant-time comparison of hashes)."""
        code = normalize_code(raw_code)
        stored = self._host_hash(code) if code and host_key else None
        return bool(stored) and hmac.compare_digest(stored, hash_key(host_key))

    def _live_room_for_host(self, raw_code: str | None, host_key: str | None) -> Room:
        if not self.is_host(raw_code, host_key):
            raise RoomError("not-host")
        room = self.get(raw_code)
        if room is None or room.status() != "live":
            raise RoomError(room.status() if room else "unknown")
        return room

    def push(self, raw_code: str | None, host_key: str | None, page: str, params: dict) -> Room:
        """Move the room to a view (host only); bumps the version."""
        page, params = validate_view(page, params)
        room = self._live_room_for_host(raw_code, host_key)
        moved = self._set_view(room.code, page, params, time.time())
        self._forget(room.code)
        return moved

    def end(self, raw_code: str | None, host_key: str | None) -> None:
        """End the room (host only); followers are told so politely."""
        room = self._live_room_for_host(raw_code, host_key)
        self._end(room.code, time.time())
        self._forget(room.code)

    def heartbeat(self, raw_code: str | None, tab: str) -> None:
        """Count this tab as following a live room for HEARTBEAT_SECONDS; ignored otherwise."""
        self.heartbeats(raw_code, [tab])

    def heartbeats(self, raw_code: str | None, tabs) -> None:
        """heartbeat() for many tabs of one room at once (the live watcher's round): one write."""
        code = normalize_code(raw_code)
        tabs = sorted({tab for tab in tabs if valid_tab(tab)})
        if code and tabs:
            self._beat(code, tabs, time.time())

    def followers(self, raw_code: str | None) -> int:
        code = normalize_code(raw_code)
        return self._count(code, time.time() - HEARTBEAT_SECONDS) if code else 0

    def count_rooms(self) -> int:
        """Rooms stored (any state); for tests and monitoring."""
        return self._count_rooms()


def _row_room(row) -> Room:
    code, page, params, version, created, updated, expires, ended = row
    return Room(code, page, json.loads(params), version, created, updated, expires, bool(ended))


_ROOM_COLUMNS = "code, page, params, version, created, updated, expires, ended"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, host_hash TEXT NOT NULL, page TEXT NOT NULL,
  params TEXT NOT NULL, version INTEGER NOT NULL, created REAL NOT NULL, updated REAL NOT NULL,
  expires REAL NOT NULL, ended INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS beats (code TEXT NOT NULL, tab TEXT NOT NULL, seen REAL NOT NULL,
  PRIMARY KEY (code, tab)) WITHOUT ROWID;
"""


class SQLiteFile:
    """The machine's state file (ROOMS_DB): SQLite in WAL mode, shared by every server process on
    the machine. One connection per store, guarded by a lock: Streamlit runs scripts on
    short-lived threads."""

    def _open(self, path: str | Path | None, schema: str) -> None:
        self.path = Path(path) if path else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(schema)

    def _exec(self, sql: str, args=()) -> list:
        with self._lock:
            return self._db.execute(sql, args).fetchall()


class SQLiteStore(SQLiteFile, Store):
    """Rooms in one SQLite file (WAL): several server processes on one machine share it."""

    def __init__(self, path: str | Path | None = None, expiry: float | None = None):
        super().__init__(expiry)
        self._open(path, _SCHEMA)

    def _insert(self, room: Room, host_hash: str) -> bool:
        try:
            self._exec(f"INSERT INTO rooms ({_ROOM_COLUMNS}, host_hash) VALUES (?,?,?,?,?,?,?,?,?)",
                       (room.code, room.page, json.dumps(room.params), room.version, room.created,
                        room.updated, room.expires, 0, host_hash))
        except sqlite3.IntegrityError:
            return False
        return True

    def _get(self, code: str) -> Room | None:
        rows = self._exec(f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE code = ?", (code,))
        return _row_room(rows[0]) if rows else None

    def _host_hash(self, code: str) -> str | None:
        rows = self._exec("SELECT host_hash FROM rooms WHERE code = ?", (code,))
        return rows[0][0] if rows else None

    def _set_view(self, code: str, page: str, params: dict, now: float) -> Room:
        self._exec("UPDATE rooms SET page = ?, params = ?, version = version + 1, updated = ? "
                   "WHERE code = ?", (page, json.dumps(params), now, code))
        return self._get(code)

    def _end(self, code: str, now: float) -> None:
        self._exec("UPDATE rooms SET ended = 1, version = version + 1, updated = ? WHERE code = ?",
                   (now, code))
        self._exec("DELETE FROM beats WHERE code = ?", (code,))

    def _beat(self, code: str, tabs: list[str], now: float) -> None:
        # Only a live room gets heartbeats: a join with a made-up code writes nothing.
        # One transaction for the whole list: one commit for a class.
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO beats (code, tab, seen) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM rooms "
                    "WHERE code = ? AND ended = 0 AND expires > ?) "
                    "ON CONFLICT (code, tab) DO UPDATE SET seen = excluded.seen",
                    [(code, tab, now, code, now) for tab in tabs])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _count(self, code: str, since: float) -> int:
        return self._exec("SELECT COUNT(*) FROM beats WHERE code = ? AND seen >= ?", (code, since))[0][0]

    def _count_rooms(self) -> int:
        return self._exec("SELECT COUNT(*) FROM rooms")[0][0]

    def _purge(self, now: float) -> None:
        self._exec("DELETE FROM beats WHERE seen < ?", (now - HEARTBEAT_SECONDS,))
        self._exec("DELETE FROM rooms WHERE expires < ? OR (ended = 1 AND updated < ?)",
                   (now - KEEP_ENDED_SECONDS, now - KEEP_ENDED_SECONDS))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class RedisStore(Store):
    """Rooms in Redis (hash `tg:room:CODE`, sorted set `tg:beats:CODE`), for several machines."""

    PREFIX = "tg:"

    def __init__(self, url: str, expiry: float | None = None):
        import redis

        super().__init__(expiry)
        self.url = url
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5)

    def _key(self, code: str, kind: str = "room") -> str:
        return f"{self.PREFIX}{kind}:{code}"

    def _insert(self, room: Room, host_hash: str) -> bool:
        key = self._key(room.code)
        if not self.redis.hsetnx(key, "code", room.code):
            return False
        self.redis.hset(key, mapping={
            "host_hash": host_hash, "page": room.page, "params": json.dumps(room.params),
            "version": room.version, "created": room.created, "updated": room.updated,
            "expires": room.expires, "ended": 0})
        self.redis.expireat(key, int(room.expires + KEEP_ENDED_SECONDS))
        return True

    def _get(self, code: str) -> Room | None:
        data = self.redis.hgetall(self._key(code))
        if "page" not in data:
            return None
        return Room(code, data["page"], json.loads(data["params"]), int(data["version"]),
                    float(data["created"]), float(data["updated"]), float(data["expires"]),
                    data["ended"] == "1")

    def _host_hash(self, code: str) -> str | None:
        return self.redis.hget(self._key(code), "host_hash")

    def _set_view(self, code: str, page: str, params: dict, now: float) -> Room:
        pipe = self.redis.pipeline()
        pipe.hset(self._key(code), mapping={"page": page, "params": json.dumps(params), "updated": now})
        pipe.hincrby(self._key(code), "version", 1)
        pipe.execute()
        return self._get(code)

    def _end(self, code: str, now: float) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._key(code), mapping={"ended": 1, "updated": now})
        pipe.hincrby(self._key(code), "version", 1)
        pipe.delete(self._key(code, "beats"))
        pipe.expire(self._key(code), KEEP_ENDED_SECONDS)
        pipe.execute()

    def _beat(self, code: str, tabs: list[str], now: float) -> None:
        ended, expires = self.redis.hmget(self._key(code), ["ended", "expires"])
        if expires is None or ended == "1" or float(expires) <= now:
            return
        key = self._key(code, "beats")
        pipe = self.redis.pipeline()
        pipe.zadd(key, dict.fromkeys(tabs, now))
        pipe.zremrangebyscore(key, "-inf", now - HEARTBEAT_SECONDS)
        pipe.expireat(key, int(float(expires)) + 60)
        pipe.execute()

    def _count(self, code: str, since: float) -> int:
        return self.redis.zcount(self._key(code, "beats"), since, "+inf")

    def _count_rooms(self) -> int:
        return sum(1 for _ in self.redis.scan_iter(match=self._key("*"), count=500))

    def _purge(self, now: float) -> None:
        """Redis expires keys by itself."""

    def close(self) -> None:
        self.redis.close()


def backend(redis_store, sqlite_store, url: str | None = None, db: str | Path | None = None):
    """A store of the machine's shared state: Redis when ROOMS_URL (or url) is redis://…, rediss://…
    or unix://…, else SQLite at ROOMS_DB (or db). Rooms and lessons use the same settings."""
    url = url if url is not None else os.environ.get("ROOMS_URL", "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        return redis_store(url)
    return sqlite_store(db)


def open_store(url: str | None = None, db: str | Path | None = None) -> Store:
    """The room store the settings name (see backend)."""
    return backend(RedisStore, SQLiteStore, url, db)


@lru_cache(maxsize=1)
def default_store() -> Store:
    """The process's store, opened once from the environment (a shared resource, not user state)."""
    return open_store()

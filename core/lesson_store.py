"""Lecturers' own lessons: a draft per browser and saved lessons with a public id (no Streamlit).

The same interface and the same settings as the room store (core/rooms.py): SQLite in WAL mode at
ROOMS_DB by default (new tables in the rooms file, one file shared by every server process on a
machine), Redis with ROOMS_URL (keys under `tg:lessons:`, shared by replicas on several machines).

A draft is a lecturer's working copy, found by a secret draft key that the browser keeps; a saved
lesson has a public id (`bg-…`, a link anyone may open) and a secret edit key. Both keys are stored
only as SHA-256 hashes. Drafts live DRAFT_DAYS from their last change; saved lessons are kept until
deleted. Every change is one atomic read-modify-write (an immediate SQLite transaction, a Redis
WATCH/MULTI), so two tabs adding steps at once both land, and a tab writing over a version it did not
see is refused with "conflict" instead of silently dropping the other tab's work.
"""

from __future__ import annotations

import collections
import dataclasses
import hmac
import json
import logging
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from core import i18n, rooms, schemas, url_state

log = logging.getLogger(__name__)

MAX_STEPS = 50
MAX_TITLE = 120  # characters, the lesson's title and each step's
MAX_NOTE = 2000  # characters, a step's teaching note
SAVES_PER_MINUTE = 30  # per process, all lessons together: a flood of saves is refused
DRAFT_DAYS = 30  # a draft lives this long after its last change
KEY_BYTES = rooms.HOST_KEY_BYTES  # draft and edit keys: 32 URL-safe characters (url_state.HOST_KEY)
ID_ALPHABET = schemas.ROOM_ALPHABET.lower()  # no look-alikes; ids are read aloud and typed
ID_PREFIX = "bg-"
ID_LENGTH = 8
LESSON_ID = re.compile(r"^bg-[a-z2-9]{8}$")  # also a curated SLUG, so an exported lesson validates
UID = re.compile(r"^[a-z2-9]{8}$")
# What a step's parameters never keep (the viewer's settings, the room, the lesson's own parameters).
DROPPED = url_state.NOT_IN_STEPS
# Shown for a lesson or step saved without a title (a schemas.Text needs one).
UNTITLED = "lesson.editor.untitled"  # UI string keys of the names an untitled lesson or step gets
UNTITLED_STEP = "lesson.untitled_step"
REASONS = ("bad-view", "too-many-steps", "title-too-long", "note-too-long", "empty", "conflict",
           "not-found", "wrong-key", "rate-limited", "bad-order")


class LessonError(Exception):
    """A lesson operation that cannot be done; `reason` (one of REASONS) is a stable slug for the UI.

    "not-found" is also the answer for an unknown, expired or malformed draft key where a draft must
    exist (update_draft, save).
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Step:
    """One step: a view (page and canonical parameters), its title and teaching note."""

    uid: str  # random, given when the step is added (widget keys use it)
    page: str  # one of schemas.LESSON_PAGES
    params: dict[str, str] = field(default_factory=dict)
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Draft:
    """A lecturer's working copy; `version` grows by one on every change."""

    title: str
    steps: tuple[Step, ...]
    version: int
    lesson_id: str = ""  # the saved lesson this draft edits, if any
    base_version: int = 0  # that lesson's version when the draft was loaded or saved
    updated: float = 0.0


@dataclass(frozen=True)
class SavedLesson:
    id: str
    title: str
    steps: tuple[Step, ...]
    version: int
    created: float
    updated: float


# --- pure helpers -------------------------------------------------------------------------------

_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean_text(text, *, multiline: bool = False) -> str:
    """NFC text without control or bidi-override characters, trimmed; a title is one line.

    Nothing else changes: markup and injection-like text are kept verbatim (pages render it as text).
    """
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char == "\n" and multiline:
            out.append(char)
        elif char in "\n\t":
            out.append(" ")
        elif unicodedata.category(char) != "Cc" and char not in _BIDI:
            out.append(char)
    return "".join(out).strip()


def title_ok(title: str) -> bool:
    return len(clean_text(title)) <= MAX_TITLE


def note_ok(note: str) -> bool:
    return len(clean_text(note, multiline=True)) <= MAX_NOTE


def check_view(page: str, params: dict) -> tuple[str, dict[str, str]]:
    """A step's view in canonical form, parsed by the same parser as links; LessonError('bad-view') if not.

    The viewer's own parameters (language, presentation, room, host) and the lesson's (lesson, step,
    print, edit) are dropped; any other parameter outside the page's part of the URL contract, or a
    malformed value, is refused. Pages: schemas.LESSON_PAGES (not the lesson list, not the live room).
    """
    if page not in schemas.LESSON_PAGES or not isinstance(params, dict):
        raise LessonError("bad-view")
    params = {k: v for k, v in params.items() if k not in DROPPED}
    allowed = set(url_state.params_for(page)) - set(DROPPED)
    if any(not isinstance(k, str) or k not in allowed or not isinstance(v, str) for k, v in params.items()):
        raise LessonError("bad-view")
    state, ignored = url_state.for_page(params, page)
    if ignored:
        raise LessonError("bad-view")
    return page, url_state.to_params(state, page)


def view_ok(page: str, params: dict) -> bool:
    try:
        check_view(page, params)
    except LessonError:
        return False
    return True


def bad_steps(lesson: schemas.Lesson) -> list[int]:
    """Numbers (from 1) of the steps whose page or parameters are no longer a valid view."""
    return [n for n, step in enumerate(lesson.steps, start=1) if not view_ok(step.page, dict(step.params))]


def moved(steps: tuple[Step, ...], uid: str, delta: int) -> tuple[Step, ...]:
    """The steps with one moved `delta` places (clamped at either end)."""
    order = list(steps)
    index = next((i for i, s in enumerate(order) if s.uid == uid), None)
    if index is None:
        return tuple(order)
    target = min(max(index + delta, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    return tuple(order)


def without(steps: tuple[Step, ...], uid: str) -> tuple[Step, ...]:
    return tuple(s for s in steps if s.uid != uid)


def changed(steps: tuple[Step, ...], uid: str, **values) -> tuple[Step, ...]:
    """The steps with one step's title and/or note replaced."""
    return tuple(dataclasses.replace(s, **values) if s.uid == uid else s for s in steps)


def hash_key(key: str) -> str:
    return rooms.hash_key(key)


def _key_hash(key) -> str | None:
    """The stored form of a well-formed draft or edit key, None for anything else."""
    return hash_key(key) if isinstance(key, str) and url_state.HOST_KEY.match(key) else None


def new_lesson_id() -> str:
    return ID_PREFIX + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _new_uid(taken) -> str:
    while True:
        uid = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if uid not in taken:
            return uid


def _checked_steps(steps) -> tuple[Step, ...]:
    if not isinstance(steps, (list, tuple)) or not all(isinstance(s, Step) for s in steps):
        raise LessonError("bad-order")
    if len(steps) > MAX_STEPS:
        raise LessonError("too-many-steps")
    uids = [s.uid for s in steps]
    if len(set(uids)) != len(uids) or not all(isinstance(u, str) and UID.match(u) for u in uids):
        raise LessonError("bad-order")
    out = []
    for step in steps:
        page, params = check_view(step.page, step.params)
        title, note = clean_text(step.title), clean_text(step.note, multiline=True)
        if len(title) > MAX_TITLE:
            raise LessonError("title-too-long")
        if len(note) > MAX_NOTE:
            raise LessonError("note-too-long")
        out.append(Step(step.uid, page, params, title, note))
    return tuple(out)


# --- one schema, one renderer ------------------------------------------------------------------


def _named(key: str, **values) -> schemas.Text:
    """The name the app gives an untitled lesson or step, in both languages."""
    return schemas.Text(vi=i18n.strings("vi")[key].format(**values), en=i18n.strings("en")[key].format(**values))


def to_lesson(saved: SavedLesson) -> schemas.Lesson:
    """A saved lesson as the curated lessons' schema (Vietnamese text as written by the lecturer).

    A step whose page is no longer a lesson page is still returned (unvalidated), so the page can show
    it with a notice (see bad_steps) instead of failing.
    """
    steps = []
    for number, step in enumerate(saved.steps, start=1):
        title = schemas.Text(vi=step.title.strip()) if step.title.strip() else _named(UNTITLED_STEP, n=number)
        note = schemas.Text(vi=step.note.strip()) if step.note.strip() else None
        try:
            steps.append(schemas.LessonStep(page=step.page, params=dict(step.params), title=title, note=note))
        except ValidationError:
            steps.append(schemas.LessonStep.model_construct(page=step.page, params=dict(step.params),
                                                            title=title, note=note))
    title = schemas.Text(vi=saved.title.strip()) if saved.title.strip() else _named(UNTITLED)
    try:
        return schemas.Lesson(id=saved.id, title=title, steps=steps)
    except ValidationError:
        return schemas.Lesson.model_construct(id=saved.id, title=title, summary=None, steps=steps)


class _Dumper(yaml.SafeDumper):
    """Safe YAML with notes of several lines written as blocks, as a curator would."""


def _str(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def export_yaml(saved: SavedLesson) -> str:
    """A YAML list holding this one lesson, in data/lessons.yaml's form (a curator appends it there)."""
    record = to_lesson(saved).model_dump(mode="json", exclude_none=True)
    for step in record["steps"]:
        if not step.get("params"):
            step["params"] = {}
    return yaml.dump([record], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# --- storage -----------------------------------------------------------------------------------


def _step_data(step: Step) -> dict:
    return {"uid": step.uid, "page": step.page, "params": step.params, "title": step.title, "note": step.note}


def _step_of(data: dict) -> Step:
    params = {str(k): str(v) for k, v in (data.get("params") or {}).items()}
    return Step(str(data["uid"]), str(data["page"]), params, str(data.get("title", "")),
                str(data.get("note", "")))


def _draft_json(draft: Draft) -> str:
    return json.dumps({"title": draft.title, "steps": [_step_data(s) for s in draft.steps],
                       "version": draft.version, "lesson_id": draft.lesson_id,
                       "base_version": draft.base_version, "updated": draft.updated}, ensure_ascii=False)


def _draft_of(raw: str | None) -> Draft | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return Draft(str(data.get("title", "")), tuple(_step_of(s) for s in data.get("steps", [])),
                     int(data["version"]), str(data.get("lesson_id", "")), int(data.get("base_version", 0)),
                     float(data.get("updated", 0.0)))
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("a stored lesson draft could not be read")
        return None


def _lesson_json(saved: SavedLesson) -> str:
    return json.dumps({"title": saved.title, "steps": [_step_data(s) for s in saved.steps],
                       "version": saved.version, "created": saved.created, "updated": saved.updated},
                      ensure_ascii=False)


def _lesson_of(lesson_id: str, raw: str | None) -> SavedLesson | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return SavedLesson(lesson_id, str(data.get("title", "")), tuple(_step_of(s) for s in data["steps"]),
                           int(data["version"]), float(data["created"]), float(data["updated"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("stored lesson %s could not be read", lesson_id)
        return None


class _SaveWindow:
    """At most `limit` saves in any 60 seconds, for this process."""

    def __init__(self, limit: int):
        self.limit = limit
        self._times: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def take(self) -> None:
        now = time.monotonic()
        with self._lock:
            while self._times and now - self._times[0] >= 60:
                self._times.popleft()
            if len(self._times) >= self.limit:
                raise LessonError("rate-limited")
            self._times.append(now)


# change(draft or None, lesson_of) -> (draft to write or None, [(lesson, edit hash of a new one or None)],
# result); lesson_of(id) -> (lesson, edit hash) or None, read inside the same transaction.
Change = Callable[..., tuple]


def _empty() -> Draft:
    return Draft("", (), 0)


class Store:
    """The lesson store interface; backends implement the _underscored primitives."""

    def __init__(self, draft_seconds: float | None = None, saves_per_minute: int = SAVES_PER_MINUTE):
        self.draft_seconds = draft_seconds if draft_seconds is not None else DRAFT_DAYS * 86400.0
        self._saves = _SaveWindow(saves_per_minute)

    # drafts

    def new_draft(self) -> tuple[str, Draft]:
        """A new empty draft and its secret key (shown once; only its hash is stored)."""
        key = secrets.token_urlsafe(KEY_BYTES)
        now = time.time()
        self._purge(now)
        draft = Draft("", (), 1, updated=now)
        self._txn(hash_key(key), lambda _draft, _lesson_of: (draft, [], None))
        return key, draft

    def draft(self, key: str | None) -> Draft | None:
        """The draft, or None for an unknown, expired or malformed key."""
        key_hash = _key_hash(key)
        return self._draft(key_hash) if key_hash else None

    def _need_hash(self, key) -> str:
        key_hash = _key_hash(key)
        if not key_hash:
            raise LessonError("not-found")
        return key_hash

    def add_step(self, key: str, page: str, params: dict, title: str) -> Draft:
        """Append a view as the draft's next step (atomic: two tabs adding at once both land).

        The title is cut to MAX_TITLE. A well-formed key whose draft is gone (expired) starts a new
        draft under it, so a lecturer whose draft expired can keep adding.
        """
        page, params = check_view(page, params)
        title = clean_text(title)[:MAX_TITLE]
        key_hash = self._need_hash(key)

        def change(draft, _lesson_of):
            draft = draft or _empty()
            if len(draft.steps) >= MAX_STEPS:
                raise LessonError("too-many-steps")
            step = Step(_new_uid({s.uid for s in draft.steps}), page, params, title)
            new = dataclasses.replace(draft, steps=draft.steps + (step,), version=draft.version + 1,
                                      updated=time.time())
            return new, [], new

        return self._txn(key_hash, change)

    def update_draft(self, key: str, expected_version: int, *, title: str | None = None,
                     steps=None) -> Draft:
        """Replace the draft's title and/or steps, if the draft is still at `expected_version`.

        Raises LessonError: "conflict" (changed in another tab since), "not-found", "title-too-long",
        "note-too-long", "too-many-steps", "bad-view", "bad-order" (steps must be the draft's own,
        each once: reordered, edited or removed; new steps come through add_step).
        """
        key_hash = self._need_hash(key)
        if title is not None:
            title = clean_text(title)
            if len(title) > MAX_TITLE:
                raise LessonError("title-too-long")
        if steps is not None:
            steps = _checked_steps(steps)

        def change(draft, _lesson_of):
            if draft is None:
                raise LessonError("not-found")
            if draft.version != expected_version:
                raise LessonError("conflict")
            if title is None and steps is None:
                return None, [], draft
            if steps is not None and not {s.uid for s in steps} <= {s.uid for s in draft.steps}:
                raise LessonError("bad-order")
            new = dataclasses.replace(draft, title=draft.title if title is None else title,
                                      steps=draft.steps if steps is None else steps,
                                      version=draft.version + 1, updated=time.time())
            return new, [], new

        return self._txn(key_hash, change)

    # saved lessons

    def save(self, key: str, *, as_new: bool = False) -> tuple[SavedLesson, str | None]:
        """Save the draft: a new lesson (returned with its edit key, shown once) or, when the draft
        edits a saved lesson and not as_new, that lesson (edit key None).

        Raises LessonError: "empty", "rate-limited", "conflict" (the lesson was saved from elsewhere
        since this draft loaded it), "not-found" (no draft, or its lesson was deleted).
        """
        key_hash = self._need_hash(key)
        current = self._draft(key_hash)
        if current is None:
            raise LessonError("not-found")
        if not current.steps:
            raise LessonError("empty")
        self._saves.take()
        edit_key = secrets.token_urlsafe(KEY_BYTES)

        def change(draft, lesson_of):
            if draft is None:
                raise LessonError("not-found")
            if not draft.steps:
                raise LessonError("empty")
            now = time.time()
            if draft.lesson_id and not as_new:
                found = lesson_of(draft.lesson_id)
                if found is None:
                    raise LessonError("not-found")
                old = found[0]
                if old.version != draft.base_version:
                    raise LessonError("conflict")
                saved = SavedLesson(old.id, draft.title, draft.steps, old.version + 1, old.created, now)
                writes, returned = [(saved, None)], None
            else:
                lesson_id = new_lesson_id()
                while lesson_of(lesson_id) is not None:
                    lesson_id = new_lesson_id()
                saved = SavedLesson(lesson_id, draft.title, draft.steps, 1, now, now)
                writes, returned = [(saved, hash_key(edit_key))], edit_key
            new = dataclasses.replace(draft, lesson_id=saved.id, base_version=saved.version,
                                      version=draft.version + 1, updated=now)
            return new, writes, (saved, returned)

        return self._txn(key_hash, change)

    def lesson(self, lesson_id: str | None) -> SavedLesson | None:
        """The saved lesson, or None for an unknown or malformed id."""
        if not isinstance(lesson_id, str) or not LESSON_ID.match(lesson_id):
            return None
        found = self._lesson(lesson_id)
        return found[0] if found else None

    def is_editor(self, lesson_id: str | None, edit_key: str | None) -> bool:
        """Whether edit_key edits this lesson (constant-time comparison of hashes)."""
        key_hash = _key_hash(edit_key)
        if not key_hash or not isinstance(lesson_id, str) or not LESSON_ID.match(lesson_id):
            return False
        found = self._lesson(lesson_id)
        return bool(found) and hmac.compare_digest(found[1], key_hash)

    def _editable(self, lesson_id, edit_key) -> SavedLesson:
        saved = self.lesson(lesson_id)
        if saved is None:
            raise LessonError("not-found")
        if not self.is_editor(lesson_id, edit_key):
            raise LessonError("wrong-key")
        return saved

    def edit(self, key: str, lesson_id: str, edit_key: str) -> Draft:
        """Load a saved lesson into the draft (replacing the draft's title and steps).

        A well-formed key whose draft is gone starts a new draft under it.
        """
        key_hash = self._need_hash(key)
        saved = self._editable(lesson_id, edit_key)

        def change(draft, _lesson_of):
            version = (draft or _empty()).version + 1
            new = Draft(saved.title, saved.steps, version, saved.id, saved.version, time.time())
            return new, [], new

        return self._txn(key_hash, change)

    def delete(self, lesson_id: str, edit_key: str) -> None:
        """Delete a saved lesson (edit key holder only); drafts editing it may save it as new."""
        self._editable(lesson_id, edit_key)
        self._delete(lesson_id)

    def count_lessons(self) -> int:
        """Lessons stored; for tests and monitoring."""
        return self._count_lessons()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS lesson_drafts (key_hash TEXT PRIMARY KEY, data TEXT NOT NULL,
  expires REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lessons (id TEXT PRIMARY KEY, edit_hash TEXT NOT NULL, data TEXT NOT NULL)
  WITHOUT ROWID;
"""


class SQLiteStore(rooms.SQLiteFile, Store):
    """Drafts and lessons in the rooms' SQLite file (WAL), shared by the processes on a machine."""

    def __init__(self, path: str | Path | None = None, draft_seconds: float | None = None,
                 saves_per_minute: int = SAVES_PER_MINUTE):
        super().__init__(draft_seconds, saves_per_minute)
        self._open(path, _SCHEMA)

    def _draft(self, key_hash: str) -> Draft | None:
        rows = self._exec("SELECT data FROM lesson_drafts WHERE key_hash = ? AND expires > ?",
                          (key_hash, time.time()))
        return _draft_of(rows[0][0]) if rows else None

    def _lesson(self, lesson_id: str) -> tuple[SavedLesson, str] | None:
        rows = self._exec("SELECT data, edit_hash FROM lessons WHERE id = ?", (lesson_id,))
        saved = _lesson_of(lesson_id, rows[0][0]) if rows else None
        return (saved, rows[0][1]) if saved else None

    def _txn(self, key_hash: str, change: Change):
        """Run `change` on the draft and write what it returns, in one immediate transaction (the
        database's write lock is held from the first read, so other processes wait)."""

        def lesson_of(lesson_id: str):
            rows = self._db.execute("SELECT data, edit_hash FROM lessons WHERE id = ?",
                                    (lesson_id,)).fetchall()
            saved = _lesson_of(lesson_id, rows[0][0]) if rows else None
            return (saved, rows[0][1]) if saved else None

        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                rows = self._db.execute("SELECT data FROM lesson_drafts WHERE key_hash = ? AND expires > ?",
                                        (key_hash, now)).fetchall()
                draft, writes, result = change(_draft_of(rows[0][0]) if rows else None, lesson_of)
                if draft is not None:
                    self._db.execute(
                        "INSERT INTO lesson_drafts (key_hash, data, expires) VALUES (?, ?, ?) ON CONFLICT "
                        "(key_hash) DO UPDATE SET data = excluded.data, expires = excluded.expires",
                        (key_hash, _draft_json(draft), now + self.draft_seconds))
                for saved, edit_hash in writes:
                    if edit_hash:
                        self._db.execute("INSERT INTO lessons (id, edit_hash, data) VALUES (?, ?, ?)",
                                         (saved.id, edit_hash, _lesson_json(saved)))
                    else:
                        self._db.execute("UPDATE lessons SET data = ? WHERE id = ?",
                                         (_lesson_json(saved), saved.id))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return result

    def _delete(self, lesson_id: str) -> None:
        self._exec("DELETE FROM lessons WHERE id = ?", (lesson_id,))

    def _count_lessons(self) -> int:
        return self._exec("SELECT COUNT(*) FROM lessons")[0][0]

    def _purge(self, now: float) -> None:
        self._exec("DELETE FROM lesson_drafts WHERE expires <= ?", (now,))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class RedisStore(Store):
    """Drafts (`tg:lessons:draft:HASH`, a JSON string with a TTL) and lessons (`tg:lessons:lesson:ID`,
    a hash of data and edit_hash, no TTL) in Redis, for servers on several machines."""

    PREFIX = "tg:lessons:"

    def __init__(self, url: str, draft_seconds: float | None = None,
                 saves_per_minute: int = SAVES_PER_MINUTE):
        import redis

        super().__init__(draft_seconds, saves_per_minute)
        self.url = url
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5)
        self._watch_error = redis.WatchError

    def _key(self, kind: str, name: str) -> str:
        return f"{self.PREFIX}{kind}:{name}"

    def _draft(self, key_hash: str) -> Draft | None:
        return _draft_of(self.redis.get(self._key("draft", key_hash)))

    def _lesson(self, lesson_id: str) -> tuple[SavedLesson, str] | None:
        data = self.redis.hgetall(self._key("lesson", lesson_id))
        saved = _lesson_of(lesson_id, data.get("data"))
        return (saved, data.get("edit_hash", "")) if saved else None

    def _txn(self, key_hash: str, change: Change):
        """Run `change` on the draft under WATCH and write in MULTI/EXEC; retried when a watched key
        (the draft, or a lesson `change` read) changed meanwhile."""
        draft_key = self._key("draft", key_hash)
        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(draft_key)

                    def lesson_of(lesson_id: str):
                        key = self._key("lesson", lesson_id)
                        pipe.watch(key)
                        data = pipe.hgetall(key)
                        saved = _lesson_of(lesson_id, data.get("data"))
                        return (saved, data.get("edit_hash", "")) if saved else None

                    draft, writes, result = change(_draft_of(pipe.get(draft_key)), lesson_of)
                    pipe.multi()
                    if draft is not None:
                        pipe.set(draft_key, _draft_json(draft), px=max(int(self.draft_seconds * 1000), 1))
                    for saved, edit_hash in writes:
                        mapping = {"data": _lesson_json(saved)}
                        if edit_hash:
                            mapping["edit_hash"] = edit_hash
                        pipe.hset(self._key("lesson", saved.id), mapping=mapping)
                    pipe.execute()
                    return result
                except self._watch_error:
                    continue

    def _delete(self, lesson_id: str) -> None:
        self.redis.delete(self._key("lesson", lesson_id))

    def _count_lessons(self) -> int:
        return sum(1 for _ in self.redis.scan_iter(match=self._key("lesson", "*"), count=500))

    def _purge(self, now: float) -> None:
        """Redis expires drafts by itself."""

    def close(self) -> None:
        self.redis.close()


def open_store(url: str | None = None, db: str | Path | None = None) -> Store:
    """The lesson store the room settings name (rooms.backend: Redis with ROOMS_URL, else SQLite)."""
    return rooms.backend(RedisStore, SQLiteStore, url, db)


@lru_cache(maxsize=1)
def default_store() -> Store:
    """The process's lesson store, opened once from the environment (its save cap is this process's)."""
    return open_store()

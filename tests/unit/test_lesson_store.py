"""Lesson store contract: the same tests against SQLite (WAL) and a real redis-server; the saved
lesson's schema and export; lesson and step links round-trip through the URL contract."""

import os
import shutil
import threading
import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as hs

from core import catalog, lesson_store, lessons, load, nav, paths, rooms, schemas, url_state, validate
from core.lesson_store import LessonError, Step
from tests.strategies import view_states

ROOT = paths.ROOT
VIEWS = [
    ("country", {"province": "48"}, "Tỉnh Đà Nẵng"),
    ("timeline", {"topic": "policy", "event": "nq-18-nqtw-2017"}, "Nghị quyết 18"),
    ("merger", {"unit": "20194"}, "Phường Hải Vân"),
]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE lessons; --",
           "[bấm](javascript:alert(1))", "{{7*7}} ${7*7} %s", "**đậm** _nghiêng_ # tiêu đề"]


@pytest.fixture(scope="module")
def redis_url():
    """A private redis-server for this module; missing: a failure in CI, a skip elsewhere."""
    from harness import redis_server

    if not redis_server.redis_binary():
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing in CI (apt-get install redis-server)")
        pytest.skip("redis-server not installed (apt-get install redis-server); Redis lesson store untested")
    server = redis_server.start_redis()
    yield server.url
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path):
    """A factory of stores on one backend: every store it makes shares the same data (one SQLite
    file, one Redis database), as server processes do."""
    made = []
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")

        def make(**kwargs):
            made.append(lesson_store.RedisStore(url, **kwargs))
            return made[-1]

        make().redis.flushdb()
    else:
        path = tmp_path / "rooms.sqlite3"

        def make(**kwargs):
            made.append(lesson_store.SQLiteStore(path, **kwargs))
            return made[-1]

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(make_store):
    return make_store()


def _draft_with(store, views=VIEWS):
    key, _ = store.new_draft()
    for page, params, title in views:
        draft = store.add_step(key, page, params, title)
    return key, draft


# --- drafts --------------------------------------------------------------------------------------


def test_new_draft_is_empty_and_found_by_its_key(store):
    key, draft = store.new_draft()
    assert url_state.HOST_KEY.match(key) and len(key) == 32
    assert (draft.title, draft.steps, draft.lesson_id) == ("", (), "")
    assert store.draft(key) == draft
    other, _ = store.new_draft()
    assert other != key


@pytest.mark.parametrize("key", [None, "", "short", "x" * 32, "a b" * 20, "../" * 12, 42])
def test_unknown_or_malformed_draft_keys_find_nothing(store, key):
    assert store.draft(key) is None


def test_keys_are_stored_only_as_hashes(store):
    key, _ = _draft_with(store)
    saved, edit_key = store.save(key)
    if isinstance(store, lesson_store.RedisStore):
        keys = list(store.redis.scan_iter("*"))
        redis = store.redis
        values = [redis.hgetall(k) if redis.type(k) == "hash" else redis.get(k) for k in keys]
        dump = " ".join(map(str, keys + values))
    else:
        dump = store.path.read_bytes().decode("latin-1") + "".join(
            p.read_bytes().decode("latin-1") for p in store.path.parent.glob("*-wal"))
    assert key not in dump and edit_key not in dump
    assert lesson_store.hash_key(key) in dump and lesson_store.hash_key(edit_key) in dump


def test_add_step_appends_canonical_views(store):
    key, _ = store.new_draft()
    draft = store.add_step(key, "timeline", {"event": "nq-18-nqtw-2017", "topic": "merger,policy",
                                             "lang": "en", "present": "1", "room": "ABC234",
                                             "host": "h" * 32, "lesson": "k75-a20", "step": "2",
                                             "print": "1", "edit": "e" * 32}, "  Một   bước ")
    assert len(draft.steps) == 1 and draft.version == 2
    step = draft.steps[0]
    assert lesson_store.UID.match(step.uid)
    assert (step.page, step.params, step.title, step.note) == (
        "timeline", {"topic": "merger,policy", "event": "nq-18-nqtw-2017"}, "Một   bước", "")
    draft = store.add_step(key, "country", {"province": "48", "filter": "quảng"}, "x" * 500)
    assert [s.page for s in draft.steps] == ["timeline", "country"]
    assert draft.steps[1].params == {"filter": "quảng", "province": "48"}
    assert draft.steps[1].title == "x" * lesson_store.MAX_TITLE
    assert store.draft(key) == draft


def test_every_followable_page_can_be_a_step(store):
    key, _ = store.new_draft()
    for page in schemas.LESSON_PAGES:
        store.add_step(key, page, {}, page)
    assert [s.page for s in store.draft(key).steps] == list(schemas.LESSON_PAGES)
    assert set(schemas.LESSON_PAGES) == {p.key for p in nav.PAGES} - {"lesson", "live"}


@pytest.mark.parametrize("page, params", [
    ("lesson", {}), ("live", {}), ("nowhere", {}), ("", {}), ("merger", None),
    ("merger", {"event": "nq-18-nqtw-2017"}),  # another page's parameter
    ("merger", {"unit": "../../etc/passwd"}),  # malformed value
    ("timeline", {"from": "2025-08-01", "to": "2025-07-01"}),
    ("timeline", {"utm_source": "x"}),
    ("country", {"province": "da-nang"}),  # /merger's reading of `province`
    ("merger", {"province": "48"}),  # /country's reading
    ("merger", {"unit": 20194}),
])
def test_bad_views_are_refused(store, page, params):
    key, _ = store.new_draft()
    with pytest.raises(LessonError) as err:
        store.add_step(key, page, params, "t")
    assert err.value.reason == "bad-view"
    assert store.draft(key).steps == ()


def test_at_most_max_steps(store):
    key, _ = store.new_draft()
    for n in range(lesson_store.MAX_STEPS):
        draft = store.add_step(key, "merger", {}, f"{n}")
    with pytest.raises(LessonError) as err:
        store.add_step(key, "merger", {}, "one too many")
    assert err.value.reason == "too-many-steps"
    assert len(store.draft(key).steps) == lesson_store.MAX_STEPS == len(draft.steps)
    assert len({s.uid for s in draft.steps}) == lesson_store.MAX_STEPS
    with pytest.raises(LessonError) as err:
        store.update_draft(key, draft.version, steps=draft.steps + draft.steps[:1])
    assert err.value.reason == "too-many-steps"


def test_update_draft_edits_title_order_notes_and_removes(store):
    key, draft = _draft_with(store)
    first, second, third = (s.uid for s in draft.steps)
    draft = store.update_draft(key, draft.version, title="Bài của tôi")
    draft = store.update_draft(key, draft.version, steps=lesson_store.moved(draft.steps, third, -1))
    assert [s.uid for s in draft.steps] == [first, third, second]
    draft = store.update_draft(key, draft.version, steps=lesson_store.moved(draft.steps, first, -1))
    assert [s.uid for s in draft.steps] == [first, third, second]  # already first
    steps = lesson_store.changed(draft.steps, third, title="Hải Vân", note="Dòng 1\nDòng 2\x07")
    draft = store.update_draft(key, draft.version, steps=steps)
    assert (draft.steps[1].title, draft.steps[1].note) == ("Hải Vân", "Dòng 1\nDòng 2")
    draft = store.update_draft(key, draft.version, steps=lesson_store.without(draft.steps, first))
    assert [s.uid for s in draft.steps] == [third, second]
    assert draft.title == "Bài của tôi" and draft.version == 1 + 3 + 5
    assert store.draft(key) == draft
    assert store.update_draft(key, draft.version) == draft  # nothing to change: no new version


@pytest.mark.parametrize("change, reason", [
    ({"title": "x" * (lesson_store.MAX_TITLE + 1)}, "title-too-long"),
    ({"steps": "title"}, "title-too-long"),
    ({"steps": "note"}, "note-too-long"),
    ({"steps": "unknown-uid"}, "bad-order"),
    ({"steps": "duplicate"}, "bad-order"),
    ({"steps": "bad-view"}, "bad-view"),
    ({"steps": [{"uid": "x"}]}, "bad-order"),
])
def test_update_draft_limits(store, change, reason):
    key, draft = _draft_with(store)
    steps = draft.steps
    make = {
        "title": lambda: lesson_store.changed(steps, steps[0].uid, title="y" * (lesson_store.MAX_TITLE + 1)),
        "note": lambda: lesson_store.changed(steps, steps[0].uid, note="n" * (lesson_store.MAX_NOTE + 1)),
        "unknown-uid": lambda: steps[:2] + (Step("zzzzzzzz", "merger", {}, "new"),),
        "duplicate": lambda: steps + steps[:1],
        "bad-view": lambda: lesson_store.changed(steps, steps[0].uid, page="live"),
    }
    if isinstance(change.get("steps"), str):
        change = {"steps": make[change["steps"]]()}
    with pytest.raises(LessonError) as err:
        store.update_draft(key, draft.version, **change)
    assert err.value.reason == reason
    assert store.draft(key) == draft


def test_limits_at_the_edge_are_accepted(store):
    key, draft = _draft_with(store)
    steps = lesson_store.changed(draft.steps, draft.steps[0].uid, title="t" * lesson_store.MAX_TITLE,
                                 note="n" * lesson_store.MAX_NOTE)
    draft = store.update_draft(key, draft.version, title="T" * lesson_store.MAX_TITLE, steps=steps)
    assert len(draft.steps[0].note) == lesson_store.MAX_NOTE
    assert lesson_store.title_ok("t" * lesson_store.MAX_TITLE) and not lesson_store.title_ok("t" * 121)
    assert lesson_store.note_ok("n" * lesson_store.MAX_NOTE) and not lesson_store.note_ok("n" * 2001)


def test_two_tabs_with_a_stale_version_get_a_conflict(make_store):
    tab_a, tab_b = make_store(), make_store()
    key, draft = _draft_with(tab_a)
    seen_a, seen_b = tab_a.draft(key), tab_b.draft(key)
    assert seen_a == seen_b
    tab_a.update_draft(key, seen_a.version, steps=lesson_store.without(seen_a.steps, seen_a.steps[0].uid))
    with pytest.raises(LessonError) as err:
        tab_b.update_draft(key, seen_b.version, title="B's title")
    assert err.value.reason == "conflict"
    reloaded = tab_b.draft(key)
    assert len(reloaded.steps) == 2 and reloaded.title == ""
    assert tab_b.update_draft(key, reloaded.version, title="B's title").title == "B's title"


def test_a_step_added_in_another_tab_is_not_dropped_by_a_stale_edit(make_store):
    tab_a, tab_b = make_store(), make_store()
    key, draft = _draft_with(tab_a)
    tab_b.add_step(key, "sources", {"kind": "legal"}, "Nguồn")
    with pytest.raises(LessonError) as err:
        tab_a.update_draft(key, draft.version, steps=draft.steps[::-1])
    assert err.value.reason == "conflict"
    assert [s.page for s in tab_a.draft(key).steps][-1] == "sources"


def test_concurrent_add_step_from_threads_all_land(make_store):
    key, _ = make_store().new_draft()
    stores = [make_store() for _ in range(4)]
    errors = []

    def add(worker: int):
        try:
            for n in range(8):
                stores[worker % 4].add_step(key, "merger", {}, f"{worker}-{n}")
        except Exception as exc:  # a lost update shows as a missing title below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    draft = stores[0].draft(key)
    assert sorted(s.title for s in draft.steps) == sorted(f"{w}-{n}" for w in range(6) for n in range(8))
    assert len({s.uid for s in draft.steps}) == 48
    assert draft.version == 1 + 48


def test_drafts_expire_and_a_change_renews_them(make_store):
    store = make_store(draft_seconds=0.8)
    key, _ = store.new_draft()
    idle, _ = store.new_draft()
    for n in range(3):
        time.sleep(0.3)
        store.add_step(key, "merger", {}, f"{n}")
    assert store.draft(idle) is None  # 0.9 s without a change
    assert len(store.draft(key).steps) == 3
    time.sleep(1.0)
    assert store.draft(key) is None
    with pytest.raises(LessonError) as err:
        store.update_draft(key, 4, title="late")
    assert err.value.reason == "not-found"
    with pytest.raises(LessonError) as err:
        store.save(key)
    assert err.value.reason == "not-found"
    # an expired draft's key starts a new draft when the lecturer adds a view again
    assert len(store.add_step(key, "merger", {}, "again").steps) == 1


def test_default_lifetimes(store):
    assert store.draft_seconds == lesson_store.DRAFT_DAYS * 86400 == 30 * 86400
    key, _ = _draft_with(store)
    saved, _ = store.save(key)
    if isinstance(store, lesson_store.RedisStore):
        assert 29 * 86400 < store.redis.ttl(store._key("draft", lesson_store.hash_key(key))) <= 30 * 86400
        assert store.redis.ttl(store._key("lesson", saved.id)) == -1  # kept until deleted
        assert all(k.startswith("tg:lessons:") for k in store.redis.scan_iter("*"))
    else:
        expires = store._exec("SELECT expires FROM lesson_drafts")[0][0]
        assert 29 * 86400 < expires - time.time() <= 30 * 86400


# --- saved lessons -------------------------------------------------------------------------------


def test_save_creates_a_lesson_with_an_edit_key_then_updates_it(store):
    key, _ = _draft_with(store)
    draft = store.update_draft(key, store.draft(key).version, title="Ba tỉnh")
    saved, edit_key = store.save(key)
    assert lesson_store.LESSON_ID.match(saved.id) and url_state.HOST_KEY.match(edit_key)
    assert (saved.title, saved.steps, saved.version) == ("Ba tỉnh", draft.steps, 1)
    assert store.lesson(saved.id) == saved
    draft = store.draft(key)
    assert (draft.lesson_id, draft.base_version) == (saved.id, 1)
    assert store.is_editor(saved.id, edit_key)
    steps = lesson_store.without(draft.steps, draft.steps[0].uid)
    draft = store.update_draft(key, draft.version, steps=steps)
    again, no_key = store.save(key)
    assert (again.id, again.version, no_key, len(again.steps)) == (saved.id, 2, None, 2)
    assert again.created == saved.created and again.updated >= saved.updated
    assert store.draft(key).base_version == 2
    copy, copy_key = store.save(key, as_new=True)
    assert copy.id != saved.id and copy_key not in (None, edit_key) and copy.version == 1
    assert store.draft(key).lesson_id == copy.id
    assert store.count_lessons() == 2


def test_empty_draft_is_not_saved(store):
    key, _ = store.new_draft()
    with pytest.raises(LessonError) as err:
        store.save(key)
    assert err.value.reason == "empty"
    key, draft = _draft_with(store, VIEWS[:1])
    store.update_draft(key, draft.version, steps=())
    with pytest.raises(LessonError) as err:
        store.save(key)
    assert err.value.reason == "empty"
    assert store.count_lessons() == 0


def test_two_drafts_saving_the_same_lesson_second_gets_a_conflict(make_store):
    store, other = make_store(), make_store()
    key, _ = _draft_with(store)
    saved, edit_key = store.save(key)
    key_a, _ = store.new_draft()
    key_b, _ = other.new_draft()
    draft_a = store.edit(key_a, saved.id, edit_key)
    draft_b = other.edit(key_b, saved.id, edit_key)
    assert draft_a.steps == draft_b.steps == saved.steps and draft_a.base_version == 1
    store.update_draft(key_a, draft_a.version, title="A")
    other.update_draft(key_b, draft_b.version, title="B")
    assert store.save(key_a)[0].version == 2
    with pytest.raises(LessonError) as err:
        other.save(key_b)
    assert err.value.reason == "conflict"
    assert store.lesson(saved.id).title == "A"
    fork, fork_key = other.save(key_b, as_new=True)  # nothing lost: B keeps its work as a new lesson
    assert fork.title == "B" and fork_key and store.lesson(saved.id).title == "A"
    # B reloads the lesson and can then save over it
    other.edit(key_b, saved.id, edit_key)
    assert other.save(key_b)[0].version == 3


@pytest.mark.parametrize("lesson_id", ["bg-zzzzzzzz", "k75-a20", "", None, "bg-1", "../x", "BG-ABCDEFGH"])
def test_unknown_lessons(store, lesson_id):
    key, _ = store.new_draft()
    assert store.lesson(lesson_id) is None
    assert not store.is_editor(lesson_id, "k" * 32)
    for call in (lambda: store.edit(key, lesson_id, "k" * 32), lambda: store.delete(lesson_id, "k" * 32)):
        with pytest.raises(LessonError) as err:
            call()
        assert err.value.reason == "not-found"


@pytest.mark.parametrize("wrong", ["", None, "k" * 32, "short", 12345])
def test_wrong_edit_keys(store, wrong):
    key, _ = _draft_with(store)
    saved, edit_key = store.save(key)
    other_key, _ = store.new_draft()
    assert not store.is_editor(saved.id, wrong)
    with pytest.raises(LessonError) as err:
        store.edit(other_key, saved.id, wrong)
    assert err.value.reason == "wrong-key"
    with pytest.raises(LessonError) as err:
        store.delete(saved.id, wrong)
    assert err.value.reason == "wrong-key"
    assert store.lesson(saved.id) == saved and store.draft(other_key).steps == ()


def test_another_lessons_edit_key_does_not_open_this_one(store):
    key_a, _ = _draft_with(store)
    key_b, _ = _draft_with(store, VIEWS[:1])
    saved_a, edit_a = store.save(key_a)
    saved_b, edit_b = store.save(key_b)
    assert store.is_editor(saved_a.id, edit_a) and not store.is_editor(saved_a.id, edit_b)
    assert not store.is_editor(saved_b.id, edit_a)


def test_deleted_lessons(store):
    key, _ = _draft_with(store)
    saved, edit_key = store.save(key)
    store.delete(saved.id, edit_key)
    assert store.lesson(saved.id) is None and store.count_lessons() == 0
    assert not store.is_editor(saved.id, edit_key)
    with pytest.raises(LessonError) as err:
        store.save(key)  # the draft still edits the deleted lesson
    assert err.value.reason == "not-found"
    with pytest.raises(LessonError) as err:
        store.delete(saved.id, edit_key)
    assert err.value.reason == "not-found"
    assert lessons.resolve([], saved.id, store) is None
    revived, _ = store.save(key, as_new=True)  # the draft's steps are not lost
    assert revived.steps == saved.steps and revived.id != saved.id


def test_saves_per_minute_are_capped_per_process(make_store):
    assert lesson_store.SAVES_PER_MINUTE == 30
    store = make_store(saves_per_minute=3)
    key, _ = _draft_with(store, VIEWS[:1])
    for _ in range(3):
        store.save(key, as_new=True)
    with pytest.raises(LessonError) as err:
        store.save(key, as_new=True)
    assert err.value.reason == "rate-limited"
    with pytest.raises(LessonError) as err:
        store.save(key)
    assert err.value.reason == "rate-limited"
    assert store.count_lessons() == 3
    empty, _ = store.new_draft()
    with pytest.raises(LessonError) as err:
        store.save(empty)  # an empty draft is refused as empty, without using the cap
    assert err.value.reason == "empty"


def test_rate_window_frees_up_after_a_minute(monkeypatch):
    window = lesson_store._SaveWindow(2)
    clock = [1000.0]
    monkeypatch.setattr(lesson_store.time, "monotonic", lambda: clock[0])
    window.take()
    window.take()
    with pytest.raises(LessonError):
        window.take()
    clock[0] += 60
    window.take()


@pytest.mark.parametrize("text", HOSTILE)
def test_injection_like_titles_and_notes_are_stored_verbatim(store, text):
    key, _ = store.new_draft()
    draft = store.add_step(key, "merger", {}, text)
    steps = lesson_store.changed(draft.steps, draft.steps[0].uid, note=text + "\n" + text)
    draft = store.update_draft(key, draft.version, title=text, steps=steps)
    saved, _ = store.save(key)
    saved = store.lesson(saved.id)
    assert (saved.title, saved.steps[0].title, saved.steps[0].note) == (text, text, text + "\n" + text)
    lesson = lesson_store.to_lesson(saved)
    assert (lesson.title.vi, lesson.steps[0].title.vi) == (text, text)
    assert yaml.safe_load(lesson_store.export_yaml(saved))[0]["title"]["vi"] == text


def test_control_and_bidi_characters_are_removed():
    assert lesson_store.clean_text("a\u202eb\x00c\td\ne") == "abc d e"
    assert lesson_store.clean_text("a\r\nb\u2066", multiline=True) == "a\nb"
    assert lesson_store.clean_text("Hoa\u0300 ") == "Hoà"  # NFC


def test_the_rooms_file_holds_rooms_and_lessons(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    room_store, lesson_db = rooms.SQLiteStore(path), lesson_store.SQLiteStore(path)
    room, _ = room_store.create("merger", {})
    key, _ = _draft_with(lesson_db)
    saved, _ = lesson_db.save(key)
    assert room_store.get(room.code) == room and lesson_db.lesson(saved.id) == saved
    room_store.close()
    lesson_db.close()


def test_open_store_follows_the_room_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("ROOMS_DB", str(tmp_path / "r.sqlite3"))
    monkeypatch.delenv("ROOMS_URL", raising=False)
    lesson_store.default_store.cache_clear()
    try:
        store = lesson_store.default_store()
        assert isinstance(store, lesson_store.SQLiteStore) and store.path == tmp_path / "r.sqlite3"
        assert lesson_store.default_store() is store
    finally:
        lesson_store.default_store.cache_clear()
    assert isinstance(lesson_store.open_store(url="redis://127.0.0.1:1/0"), lesson_store.RedisStore)


# --- one schema, one renderer --------------------------------------------------------------------


def test_to_lesson_is_the_curated_schema(store):
    key, draft = _draft_with(store)
    steps = lesson_store.changed(draft.steps, draft.steps[1].uid, note="Hỏi lớp: vì sao?")
    store.update_draft(key, draft.version, title="Ba góc nhìn", steps=steps)
    saved, _ = store.save(key)
    lesson = lesson_store.to_lesson(saved)
    assert isinstance(lesson, schemas.Lesson) and lesson.id == saved.id and lesson.summary is None
    assert [s.page for s in lesson.steps] == ["country", "timeline", "merger"]
    assert [s.note.vi if s.note else None for s in lesson.steps] == [None, "Hỏi lớp: vì sao?", None]
    assert lessons.step_link(lesson, 1) == ("country", {"province": "48", "lesson": saved.id, "step": "1"})
    assert lesson_store.bad_steps(lesson) == []


def test_untitled_lessons_and_steps_get_a_title():
    saved = lesson_store.SavedLesson("bg-abcdefgh", " ", (Step("abcdefgh", "merger", {}, "", ""),), 1, 0, 0)
    lesson = lesson_store.to_lesson(saved)
    assert (lesson.title.vi, lesson.title.en) == ("Bài giảng chưa đặt tên", "Untitled lesson")
    assert (lesson.steps[0].title.vi, lesson.steps[0].title.en) == ("Bước 1", "Step 1")


def test_a_step_no_longer_valid_is_kept_and_named():
    steps = (Step("abcdefgh", "merger", {"unit": "20194"}, "ok"),
             Step("bcdefghj", "gone-page", {}, "gone"),
             Step("cdefghjk", "merger", {"colour": "x"}, "renamed parameter"))
    lesson = lesson_store.to_lesson(lesson_store.SavedLesson("bg-abcdefgh", "t", steps, 1, 0, 0))
    assert [s.title.vi for s in lesson.steps] == ["ok", "gone", "renamed parameter"]
    assert lesson_store.bad_steps(lesson) == [2, 3]


def _validate_with(tmp_path, text: str) -> tuple[int, list]:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    lessons_file = data / "lessons.yaml"
    original = lessons_file.read_text(encoding="utf-8").rstrip("\n")
    lessons_file.write_text(original + "\n" + text, encoding="utf-8")
    code = validate.main(["--data", str(data), "--stamp"])
    cat = catalog.build(data)
    return code, cat


def test_an_exported_lesson_validates_in_data_lessons_yaml(tmp_path, capsys):
    steps = tuple(Step(f"abcdefg{n}", page, params, title, "Ghi chú\nhai dòng: có dấu hai chấm")
                  for n, (page, params, title) in zip("23456789", VIEWS + [
                      ("smart-city", {"domain": "ioc"}, "IOC"), ("overview", {}, HOSTILE[0]),
                      ("sources", {"kind": "legal", "q": "1659"}, "'quoted' \"title\""),
                      ("training", {"trip": "k75-a20-danang-2025-07-07"}, "Chuyến đi")], strict=False))
    saved = lesson_store.SavedLesson("bg-7k2m9p4q", "Bài: của <tôi>", steps, 3, 0, 0)
    text = lesson_store.export_yaml(saved)
    code, cat = _validate_with(tmp_path, text)
    assert code == 0, capsys.readouterr().out
    assert [lesson.id for lesson in cat["lessons"].records] == ["k75-a20", "bg-7k2m9p4q"]
    assert cat["lessons"].records[1] == lesson_store.to_lesson(saved)
    checked = load.validate(yaml.safe_load(text), schemas.Lesson, "lessons.yaml")
    assert checked.problems == [] and checked.records == [lesson_store.to_lesson(saved)]


def test_validation_still_catches_a_bad_step_in_lessons_yaml(tmp_path, capsys):
    saved = lesson_store.SavedLesson("bg-7k2m9p4q", "t", (Step("abcdefgh", "merger", {"event": "x"}, "t"),),
                                     1, 0, 0)
    code, cat = _validate_with(tmp_path, lesson_store.export_yaml(saved))
    assert code == 1 and "steps.params" in capsys.readouterr().out
    assert [lesson.id for lesson in cat["lessons"].records] == ["k75-a20"]


def test_lesson_schema_accepts_country_steps_and_no_note_or_summary():
    lesson = schemas.Lesson.model_validate({"id": "x", "title": {"vi": "t"}, "steps": [
        {"page": "country", "params": {"province": "48"}, "title": {"vi": "t"}}]})
    assert lesson.summary is None and lesson.steps[0].note is None
    for page in ("lesson", "live", "nowhere"):
        with pytest.raises(ValueError):
            schemas.LessonStep.model_validate({"page": page, "title": {"vi": "t"}})


# --- links round-trip ----------------------------------------------------------------------------

IDS = hs.text(alphabet=lesson_store.ID_ALPHABET, min_size=8, max_size=8).map(lambda s: "bg-" + s)


@given(lesson_id=IDS, handout=hs.booleans())
def test_a_lesson_link_round_trips(lesson_id, handout):
    params = {"lesson": lesson_id, **({"print": "1"} if handout else {})}
    state, ignored = url_state.for_page(params, "lesson")
    assert ignored == [] and state.lesson == lesson_id and state.print is handout
    assert url_state.to_params(state, "lesson") == params
    assert lesson_store.LESSON_ID.match(lesson_id) and load.validate(
        [{"id": lesson_id, "title": {"vi": "t"}, "steps": [{"page": "overview", "title": {"vi": "t"}}]}],
        schemas.Lesson, "lessons.yaml").problems == []


@hs.composite
def saved_lessons(draw):
    steps = []
    for n in range(draw(hs.integers(1, 6))):
        page = draw(hs.sampled_from(schemas.LESSON_PAGES))
        state = draw(view_states(page))
        page, params = lesson_store.check_view(page, url_state.to_params(state, page))
        steps.append(Step(f"abcdefg{'23456789'[n]}", page, params, f"Bước {n}"))
    return lesson_store.SavedLesson(draw(IDS), "t", tuple(steps), 1, 0, 0)


@given(saved=saved_lessons(), keep=hs.sampled_from([{}, {"lang": "en"}, {"lang": "en", "present": "1"}]))
def test_every_step_link_round_trips(saved, keep):
    lesson = lesson_store.to_lesson(saved)
    for number, step in enumerate(saved.steps, start=1):
        page, params = lessons.step_link(lesson, number, keep)
        assert page == step.page
        state, ignored = url_state.for_page(params, page)
        assert ignored == []
        assert url_state.to_params(state, page) == params
        assert (state.lesson, state.step) == (saved.id, number)
        assert {k: v for k, v in params.items() if k not in url_state.NOT_IN_STEPS} == step.params

"""Lesson steps as links: page and parameters of a step, previous/next, bad positions."""

import pytest

from core import lessons, schemas, url_state

LESSON = schemas.Lesson.model_validate({
    "id": "demo",
    "title": {"vi": "Bài mẫu"},
    "summary": {"vi": "Ba bước"},
    "steps": [
        {"page": "timeline", "params": {"topic": "policy", "event": "e-1"},
         "title": {"vi": "Một"}, "note": {"vi": "Ghi chú một"}},
        {"page": "merger", "params": {}, "title": {"vi": "Hai"}, "note": {"vi": "Ghi chú hai"}},
        {"page": "merger", "params": {"q": "hoa lien"}, "title": {"vi": "Ba"}, "note": {"vi": "Ba"}},
    ],
})


@pytest.mark.parametrize("number, page, params", [
    (1, "timeline", {"topic": "policy", "event": "e-1", "lesson": "demo", "step": "1"}),
    (2, "merger", {"lesson": "demo", "step": "2"}),
    (3, "merger", {"q": "hoa lien", "lesson": "demo", "step": "3"}),
    (0, "timeline", {"topic": "policy", "event": "e-1", "lesson": "demo", "step": "1"}),
    (9, "merger", {"q": "hoa lien", "lesson": "demo", "step": "3"}),
])
def test_step_link(number, page, params):
    assert lessons.step_link(LESSON, number) == (page, params)


def test_step_link_keeps_language_and_presentation_only():
    keep = {"lang": "en", "present": "1", "topic": "merger", "q": "old search", "event": "x"}
    page, params = lessons.step_link(LESSON, 2, keep)
    assert (page, params) == ("merger", {"lang": "en", "present": "1", "lesson": "demo", "step": "2"})


def test_step_params_win_over_kept_ones():
    _, params = lessons.step_link(LESSON, 1, {"topic": "merger"})
    assert params["topic"] == "policy"


@pytest.mark.parametrize("lesson_id, number, expected", [
    ("demo", 1, (1, None, 2)),
    ("demo", 2, (2, 1, 3)),
    ("demo", 3, (3, 2, None)),
])
def test_position_neighbours(lesson_id, number, expected):
    pos = lessons.position([LESSON], lesson_id, number)
    assert (pos.number, pos.previous, pos.next) == expected
    assert pos.total == 3
    assert pos.step.title.vi == ["Một", "Hai", "Ba"][number - 1]


@pytest.mark.parametrize("lesson_id, number", [("demo", 0), ("demo", 4), ("other", 1), ("", 1)])
def test_position_none_for_bad_links(lesson_id, number):
    assert lessons.position([LESSON], lesson_id, number) is None


def test_step_links_parse_back_on_their_page():
    """A step link is a valid link of its page: nothing in it is ignored."""
    for number in range(1, 4):
        page, params = lessons.step_link(LESSON, number, {"lang": "en", "present": "1"})
        state, ignored = url_state.from_params(params)
        assert ignored == []
        assert url_state.to_params(state, page) == params


def test_every_page_accepts_lesson_and_step():
    for page in url_state.PAGE_PARAMS:
        assert {"lesson", "step"} <= set(url_state.params_for(page))


def test_cross_page_links_drop_the_lesson():
    state, _ = url_state.from_params({"lesson": "demo", "step": "2", "lang": "en"})
    assert url_state.link_params(state) == {"lang": "en"}


class _DownStore:
    """A lesson store whose backend cannot be reached."""

    def lesson(self, lesson_id):
        raise ConnectionError("store down")


def _saved_store(tmp_path):
    from core import lesson_store

    store = lesson_store.SQLiteStore(tmp_path / "rooms.sqlite3")
    key, _ = store.new_draft()
    store.add_step(key, "country", {"province": "48"}, "Đà Nẵng")
    store.update_draft(key, store.draft(key).version, title="Bài của tôi")
    return store, store.save(key)[0]


def test_resolve_curated_first_then_saved_lessons(tmp_path):
    store, saved = _saved_store(tmp_path)
    assert lessons.resolve([LESSON], "demo", store) is LESSON
    found = lessons.resolve([LESSON], saved.id, store)
    assert (found.id, found.title.vi, found.steps[0].page) == (saved.id, "Bài của tôi", "country")
    assert lessons.step_link(found, 1) == ("country", {"province": "48", "lesson": saved.id, "step": "1"})
    shadow = LESSON.model_copy(update={"id": saved.id})
    assert lessons.resolve([shadow], saved.id, store) is shadow
    store.close()


@pytest.mark.parametrize("lesson_id", ["", "nope", "bg-zzzzzzzz", "k75-a20", "bg-../../x"])
def test_resolve_unknown_ids(tmp_path, lesson_id):
    store, _ = _saved_store(tmp_path)
    assert lessons.resolve([LESSON], lesson_id, store) is None
    store.close()


def test_resolve_tolerates_a_store_that_is_down(caplog):
    from core import lesson_store

    assert lessons.resolve([LESSON], "bg-abcdefgh", _DownStore()) is None
    assert "could not be read" in caplog.text
    unreachable = lesson_store.RedisStore("redis://127.0.0.1:1/0")
    assert lessons.resolve([LESSON], "bg-abcdefgh", unreachable) is None
    assert lessons.resolve([LESSON], "demo", _DownStore()) is LESSON  # curated lessons need no store


def test_steps_without_a_note_and_lessons_without_a_summary():
    bare = schemas.Lesson.model_validate({"id": "bare", "title": {"vi": "t"}, "steps": [
        {"page": "country", "params": {"province": "48"}, "title": {"vi": "Một"}}]})
    assert bare.summary is None and bare.steps[0].note is None
    assert lessons.step_link(bare, 1) == ("country", {"province": "48", "lesson": "bare", "step": "1"})

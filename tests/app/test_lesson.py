"""Lesson steps in AppTest: each step is its view's own page with a lesson bar (step n/N, title,
previous/next to the neighbouring steps' pages); old /lesson links and stale steps."""

import re
from urllib.parse import parse_qsl

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import paths

# Expected values come from the lesson file itself, not from the page's code.
LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]
STEPS = LESSON["steps"]


def run(page: str, **params) -> AppTest:
    """A page opened through the app (so its links are in-app page links)."""
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60).run()
    at.query_params.update(params)
    return at.switch_page(f"pages/{page}.py").run()


def step_params(number: int) -> dict[str, str]:
    step = STEPS[number - 1]
    return {**{k: str(v) for k, v in step["params"].items()}, "lesson": LESSON["id"], "step": str(number)}


def bar_links(at) -> dict[str, tuple[str, dict[str, str]]]:
    """{label: (page file, query parameters)} of the links in the lesson bar."""
    return {link.label: (link.proto.page, dict(parse_qsl(link.proto.query_string)))
            for link in at.main.get("page_link")}


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_each_step_shows_its_title_counter_and_neighbours(number):
    at = run(STEPS[number - 1]["page"], **step_params(number))
    assert not at.exception
    bar = [m.value for m in at.markdown if f"Bước {number}/{len(STEPS)}" in m.value]
    assert bar and STEPS[number - 1]["title"]["vi"] in bar[0].replace("\\", "")
    found = bar_links(at)
    for label, target in (("Trước", number - 1), ("Tiếp", number + 1)):
        if 1 <= target <= len(STEPS):
            page, params = found[label]
            assert page.removesuffix(".py").rsplit("/", 1)[-1] == STEPS[target - 1]["page"]
            assert params == step_params(target)
        else:
            assert label not in found
    assert "Rời bài giảng" in found


def test_an_old_lesson_link_opens_the_steps_own_page():
    at = run("lesson", lesson=LESSON["id"], step="4")
    assert not at.exception
    shown = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert shown == step_params(4)
    assert any(f"Bước 4/{len(STEPS)}" in m.value for m in at.markdown)


def test_a_step_beyond_the_lesson_is_named_and_dropped():
    at = run("merger", lesson=LESSON["id"], step="99")
    assert not at.exception
    assert any("step=99" in i.value for i in at.info)
    assert not any(f"/{len(STEPS)}" in m.value and "Bước" in m.value for m in at.markdown)


def test_a_listed_lessons_steps_are_sent_when_its_fold_is_opened():
    at = run("lesson")
    assert not at.exception
    titles = [f"{n}. {step['title']['vi']}" for n, step in enumerate(STEPS, start=1)]
    shown = lambda: [link.label.replace("\\", "") for link in at.main.get("page_link")]  # noqa: E731
    assert not set(titles) & set(shown())
    at.session_state[f"lesson.steps.{LESSON['id']}"] = True
    at.run()
    assert not at.exception
    assert [label for label in shown() if label in titles] == titles


# --- Lecturers' own lessons: the draft, the editor, the public page, bad input, live ------------

WRONG_KEY = "W" * 32


@pytest.fixture
def stores(tmp_path, monkeypatch):
    """Lesson and room stores in a private file (never the user's own ROOMS_DB)."""
    from core import lesson_store, rooms

    monkeypatch.setenv("ROOMS_DB", str(tmp_path / "rooms.sqlite3"))
    monkeypatch.delenv("ROOMS_URL", raising=False)
    for opener in (lesson_store.default_store, rooms.default_store):
        opener.cache_clear()
    yield lesson_store.default_store(), rooms.default_store()
    for opener in (lesson_store.default_store, rooms.default_store):
        opener().close()
        opener.cache_clear()


def session(draft_key: str | None = None) -> AppTest:
    """A fresh browser session; with a draft key, the one its cookie would bring back."""
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60)
    if draft_key:
        at.session_state["lesson.draft.key"] = draft_key
    return at.run()


def go(at: AppTest, page: str, **params) -> AppTest:
    at.query_params.clear()
    at.query_params.update(params)
    return at.switch_page(f"pages/{page}.py").run()


def draft_of(at: AppTest):
    from core import lesson_store

    return lesson_store.default_store().draft(at.session_state["lesson.draft.key"])


def uids(at: AppTest) -> list[str]:
    return [b.key.removeprefix("lesson-up-") for b in at.button if b.key and b.key.startswith("lesson-up-")]


def texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in ("info", "warning", "success", "markdown", "caption")
                     for e in getattr(at, kind))


def built(stores) -> tuple[AppTest, str]:
    """A session that added three views (one from /country) and is on /lesson."""
    at = session()
    for page, params in (("timeline", {"event": "nq-18-nqtw-2017"}), ("merger", {"unit": "20194"}),
                         ("country", {"province": "48"})):
        go(at, page, **params)
        at.button(key="lesson-add").click().run()
        assert not at.exception
    go(at, "lesson")
    return at, at.session_state["lesson.draft.key"]


def save(at: AppTest) -> tuple[str, str]:
    """Press 'Lưu'; (lesson id, edit key) from the saved panel."""
    at.button(key="lesson-save").click().run()
    assert not at.exception
    codes = [c.value for c in at.code]
    public = next(c for c in codes if "edit=" not in c)
    private = next(c for c in codes if "edit=" in c)
    query = dict(parse_qsl(private.split("?", 1)[1]))
    assert public.endswith(f"/lesson?lesson={query['lesson']}")
    return query["lesson"], query["edit"]


def test_adding_views_from_several_pages(stores):
    at = session()
    go(at, "timeline", event="nq-18-nqtw-2017", lang="en")
    assert "lesson-add" in {b.key for b in at.button}
    at.button(key="lesson-add").click().run()
    assert [t.value for t in at.toast] == ["Added step 1 to your lesson. [Open my lesson](/lesson?lang=en)"]
    go(at, "merger", unit="20194", room="", present="")
    at.button(key="lesson-add").click().run()
    go(at, "country", province="48")
    at.button(key="lesson-add").click().run()
    assert not at.exception
    assert any("bước 3" in t.value and "(/lesson)" in t.value for t in at.toast)
    steps = draft_of(at).steps
    assert [(s.page, s.params) for s in steps] == [
        ("timeline", {"event": "nq-18-nqtw-2017"}), ("merger", {"unit": "20194"}), ("country", {"province": "48"})]
    assert steps[2].title.startswith("Cả nước")
    # Presentation mode, a live room's follower, /lesson and /live offer no 'lesson-add'.
    for page, params in (("merger", {"present": "1"}), ("lesson", {}), ("live", {})):
        assert "lesson-add" not in {b.key for b in go(at, page, **params).button}


def test_adding_keeps_the_view_not_the_lesson_or_the_viewer(stores):
    at = session()
    go(at, "merger", unit="20194", lesson=LESSON["id"], step="4", lang="en")
    at.button(key="lesson-add").click().run()
    assert [(s.page, s.params) for s in draft_of(at).steps] == [("merger", {"unit": "20194"})]


def test_reorder_title_and_notes_are_stored_and_survive_a_reload(stores):
    at, key = built(stores)
    first, second, third = uids(at)
    at.text_input(key="lesson-title").input("Đà Nẵng sau sáp nhập").run()
    at.text_area(key=f"lesson.step.note.{second}").input("Hỏi lớp: phường này gồm những xã nào?").run()
    at.text_input(key=f"lesson.step.title.{third}").input("Tỉnh mới").run()
    at.button(key=f"lesson-up-{third}").click().run()
    at.button(key=f"lesson-down-{first}").click().run()
    assert not at.exception and not at.warning
    draft = draft_of(at)
    assert draft.title == "Đà Nẵng sau sáp nhập"
    assert [s.uid for s in draft.steps] == [third, first, second]
    assert draft.steps[2].note == "Hỏi lớp: phường này gồm những xã nào?" and draft.steps[0].title == "Tỉnh mới"
    at.button(key=f"lesson-remove-{second}").click().run()
    assert [s.uid for s in draft_of(at).steps] == [third, first]
    reloaded = go(session(key), "lesson")  # a reload or a new tab: the cookie brings the draft back
    assert uids(reloaded) == [third, first]
    assert reloaded.text_input(key="lesson-title").value == "Đà Nẵng sau sáp nhập"


def test_a_change_made_in_another_tab_is_never_overwritten(stores):
    at, key = built(stores)
    other = go(session(key), "lesson")
    other.text_input(key="lesson-title").input("Tab B").run()
    step = uids(at)[0]
    at.text_input(key=f"lesson.step.title.{step}").input("Tab A").run()
    assert any("thẻ hoặc máy khác" in w.value for w in at.warning)
    assert draft_of(at).title == "Tab B" and draft_of(at).steps[0].title != "Tab A"
    assert at.text_input(key="lesson-title").value == "Tab B"  # reloaded
    at.text_input(key=f"lesson.step.title.{step}").input("Tab A").run()  # made again: it lands
    assert draft_of(at).steps[0].title == "Tab A"


def test_save_gives_a_public_page_and_a_private_edit_link(stores):
    at, _ = built(stores)
    at.text_input(key="lesson-title").input("Bài của tôi").run()
    lesson_id, edit = save(at)
    assert any(f"Đã lưu bài giảng {lesson_id}" in s.value for s in at.success)
    assert has_key(at, "lesson-yaml") and has_key(at, "lesson-handout") and has_key(at, "lesson-share")
    # Anyone: the title, the steps as links to their own views, handout and live links, no editing.
    public = go(session(), "lesson", lesson=lesson_id)
    assert not public.exception
    assert [s.value for s in public.subheader] == ["Bài của tôi"]
    links = [(link.proto.page.removesuffix(".py").rsplit("/", 1)[-1], dict(parse_qsl(link.proto.query_string)))
             for link in public.main.get("page_link")]
    assert ("merger", {"unit": "20194", "lesson": lesson_id, "step": "2"}) in links
    assert ("lesson", {"lesson": lesson_id, "print": "1"}) in links
    assert ("live", {"lesson": lesson_id}) in links
    assert "lesson-edit" not in {b.key for b in public.button}
    assert edit not in texts(public)
    # The private link: the key moves into the session and leaves the address bar; 'Sửa' loads the draft.
    editor = go(session(), "lesson", lesson=lesson_id, edit=edit)
    assert "edit" not in editor.query_params and not editor.info
    editor.button(key="lesson-edit").click().run()
    assert not editor.exception
    assert draft_of(editor).lesson_id == lesson_id and len(draft_of(editor).steps) == 3


def test_a_step_of_a_saved_lesson_shows_the_lesson_bar(stores):
    at, _ = built(stores)
    lesson_id, _ = save(at)
    step = go(session(), "merger", unit="20194", lesson=lesson_id, step="2")
    assert not step.exception
    assert any("Bước 2/3" in m.value for m in step.markdown)
    found = bar_links(step)
    assert found["Tiếp"][1] == {"province": "48", "lesson": lesson_id, "step": "3"}


def test_wrong_edit_key_gets_one_notice_and_the_public_page(stores):
    at, _ = built(stores)
    lesson_id, _ = save(at)
    public = go(session(), "lesson", lesson=lesson_id, edit=WRONG_KEY)
    assert not public.exception
    assert sum("Đường dẫn sửa không đúng" in i.value for i in public.info) == 1
    assert "lesson-edit" not in {b.key for b in public.button} and "edit" not in public.query_params


@pytest.mark.parametrize("lesson_id", ["bg-22222222", "khong-co"])
def test_unknown_lesson_id_names_it_and_lists_the_lessons(stores, lesson_id):
    at = go(session(), "lesson", lesson=lesson_id)
    assert not at.exception and not at.error
    assert any(f"Không tìm thấy bài giảng {lesson_id}" in i.value.replace("\\", "") for i in at.info)
    assert LESSON["title"]["vi"] in "\n".join(s.value.replace("\\", "") for s in at.subheader)
    assert "lesson" not in at.query_params


def test_a_step_no_longer_valid_is_shown_with_a_notice(stores):
    lessons, _ = stores
    key, _ = lessons.new_draft()
    lessons.add_step(key, "timeline", {"event": "su-kien-da-bi-xoa"}, "Sự kiện đã bị xoá")
    lessons.add_step(key, "merger", {"unit": "20194"}, "Phường")
    saved, _ = lessons.save(key)
    public = go(session(), "lesson", lesson=saved.id)
    assert not public.exception and not public.error
    assert sum("không còn hợp lệ" in c.value for c in public.caption) == 1
    step = go(session(), "timeline", event="su-kien-da-bi-xoa", lesson=saved.id, step="1")
    assert not step.exception and not step.error
    assert any("Bước 1/2" in m.value for m in step.markdown)


def test_titles_and_notes_are_text_never_markup(stores):
    lessons, _ = stores
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) **bold** <img src=x onerror=alert(1)>"
    key, _ = lessons.new_draft()
    draft = lessons.add_step(key, "merger", {"unit": "20194"}, hostile)
    draft = lessons.update_draft(key, draft.version, title=hostile)
    lessons.update_draft(key, draft.version, steps=lessons_changed(draft, note=hostile))
    saved, _ = lessons.save(key)
    for at in (go(session(), "lesson", lesson=saved.id),
               go(session(), "merger", unit="20194", lesson=saved.id, step="1"),
               go(session(key), "lesson")):
        assert not at.exception
        markdown = [e.value for kind in ("markdown", "subheader", "caption") for e in getattr(at, kind)]
        assert not [m for m in markdown if re.search(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript", m)]
        assert any("\\<script\\>" in m for m in markdown)
    assert not [h for h in at.get("html") if "alert(1)" in str(h.proto)]


def lessons_changed(draft, **values):
    from core import lesson_store

    return lesson_store.changed(draft.steps, draft.steps[0].uid, **values)


def test_an_empty_draft_cannot_be_saved(stores):
    at = session()
    go(at, "merger", unit="20194")
    at.button(key="lesson-add").click().run()
    go(at, "lesson")
    at.button(key=f"lesson-remove-{uids(at)[0]}").click().run()
    assert not at.exception
    assert any("chưa có bước nào" in i.value for i in at.info)
    assert at.button(key="lesson-save").disabled
    # Without any draft: a short how-to.
    fresh = go(session(), "lesson")
    assert any("Thêm vào bài giảng của tôi" in m.value for m in fresh.markdown)


def test_over_long_fields_get_a_message(stores):
    from core import lesson_store

    at, _ = built(stores)
    assert at.text_input(key="lesson-title").max_chars == lesson_store.MAX_TITLE  # the browser stops there
    # A client that sends more anyway (set_value skips the field's own limit):
    at.text_input(key="lesson-title").set_value("x" * (lesson_store.MAX_TITLE + 5)).run()
    assert not at.exception
    assert any(f"tối đa {lesson_store.MAX_TITLE} ký tự" in i.value for i in at.info)
    assert draft_of(at).title == "x" * lesson_store.MAX_TITLE  # cut, never longer
    note = f"lesson.step.note.{uids(at)[0]}"
    assert at.text_area(key=note).max_chars == lesson_store.MAX_NOTE
    at.text_area(key=note).set_value("y" * (lesson_store.MAX_NOTE + 1)).run()
    assert any(f"tối đa {lesson_store.MAX_NOTE} ký tự" in i.value for i in at.info)
    assert draft_of(at).steps[0].note == "y" * lesson_store.MAX_NOTE
    # The store itself refuses longer text with its reason (a message, never a traceback).
    with pytest.raises(lesson_store.LessonError, match="title-too-long"):
        lesson_store.default_store().update_draft(at.session_state["lesson.draft.key"], draft_of(at).version,
                                                  title="z" * (lesson_store.MAX_TITLE + 1))


def test_a_full_draft_says_so(stores):
    from core import lesson_store

    lessons, _ = stores
    key, _ = lessons.new_draft()
    for _ in range(lesson_store.MAX_STEPS):
        lessons.add_step(key, "overview", {}, "Tổng quan")
    at = go(session(key), "merger", unit="20194")
    at.button(key="lesson-add").click().run()
    assert not at.exception
    assert any(f"đủ {lesson_store.MAX_STEPS} bước" in i.value for i in at.info)


def test_a_live_room_starts_from_a_saved_lesson_and_follows_its_steps(stores):
    _, rooms_store = stores
    at, _ = built(stores)
    lesson_id, _ = save(at)
    live = go(session(), "live", lesson=lesson_id)
    assert not live.exception and not live.info
    assert live.selectbox(key="live.lesson.vi").value == lesson_id
    live.button(key="live-start").click().run()
    code = live.query_params["room"]
    room = rooms_store.get(code)
    assert (room.page, room.params) == ("timeline", {"event": "nq-18-nqtw-2017", "lesson": lesson_id, "step": "1"})
    host = go(live, "timeline", event="nq-18-nqtw-2017", lesson=lesson_id, step="1", room=code)
    host.button(key="live-next").click().run()
    assert not host.exception
    room = rooms_store.get(code)
    assert (room.page, room.params) == ("merger", {"unit": "20194", "lesson": lesson_id, "step": "2"})
    # AppTest keeps running the page it was given; the browser lands on the step's page.
    host = go(host, "merger", unit="20194", lesson=lesson_id, step="2", room=code)
    host.button(key="live-prev").click().run()
    assert rooms_store.get(code).params["step"] == "1"


def has_key(at: AppTest, key: str) -> bool:
    try:
        return at.get_by_key(key) is not None
    except KeyError:
        return False


def test_the_author_deletes_a_saved_lesson_and_keeps_the_draft(stores):
    at, key = built(stores)
    lesson_id, _ = save(at)
    at.button(key="lesson-delete").click().run()
    assert not at.exception
    assert any(f"Đã xoá bài giảng {lesson_id}" in s.value for s in at.success)
    assert stores[0].lesson(lesson_id) is None and len(stores[0].draft(key).steps) == 3
    assert "lesson-delete" not in {b.key for b in at.button}  # no saved panel for a deleted lesson
    gone = go(session(), "lesson", lesson=lesson_id)
    assert not gone.exception and any(lesson_id in i.value.replace("\\", "") for i in gone.info)
    at.button(key="lesson-save-new").click().run()  # the draft saved again, as a new lesson
    assert not at.exception and stores[0].count_lessons() == 1

"""Live class in AppTest: start, follow, drive, and every kind of bad room link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from core import paths, rooms

WRONG_HOST = "W" * 32


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ROOMS_DB", str(tmp_path / "rooms.sqlite3"))
    rooms.default_store.cache_clear()
    yield rooms.default_store()
    rooms.default_store().close()
    rooms.default_store.cache_clear()


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def has_key(at: AppTest, key: str) -> bool:
    try:
        return at.get_by_key(key) is not None
    except KeyError:
        return False


def infos(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info)


def test_lecturer_starts_a_room_from_a_lesson(store):
    at = open_page("live")
    at.selectbox(key="live.lesson.vi").set_value("k75-a20").run()
    at.button(key="live-start").click().run()
    assert not at.exception
    code = at.query_params["room"]
    assert "host" not in at.query_params  # the key stays in the tab, never in the address bar
    resume = at.get_by_key("live-resume")
    assert resume is not None
    host = parse_qs(urlsplit(resume.code[0].value).query)["host"][0]
    room = store.get(code)
    assert (room.page, room.params) == ("timeline", {"topic": "policy", "to": "2025-07-01",
                                                     "event": "nq-18-nqtw-2017",
                                                     "lesson": "k75-a20", "step": "1"})
    assert store.is_host(code, host)
    link = at.get_by_key("live-student-link")
    assert link is not None
    assert link.code[0].value.endswith(f"/live?room={code}") and host not in link.code[0].value
    assert "live-end" in keys(at) and "live-push" not in keys(at)
    assert at.query_params["lesson"] == "k75-a20" and not infos(at)  # the room's lesson, no notice


def test_student_link_opens_the_lecturers_view(store):
    room, _ = store.create("merger", {"unit": "20194"})
    at = open_page("live", room=room.code.lower())
    assert not at.exception
    assert at.query_params == {"unit": "20194", "room": room.code}
    assert not keys(at) & {"live-push", "live-next", "live-prev", "live-end"}
    assert "live-away" in keys(at)
    assert store.followers(room.code) == 1


def test_student_follows_a_push_then_steps_away_and_rejoins(store):
    room, host = store.create("overview", {})
    student = open_page("overview", room=room.code)
    lecturer = open_page("merger", room=room.code, host=host, q="hoa lien")
    lecturer.button(key="live-push").click().run()
    assert store.get(room.code).params == {"q": "hoa lien"}
    student.run()
    assert student.query_params == {"room": room.code, "q": "hoa lien"}
    # AppTest keeps running the page it was given; the browser lands on the page switched to.
    student.switch_page("pages/merger.py").run()
    assert student.text_input(key="merger.q").value == "hoa lien"
    student.button(key="live-away").click().run()
    store.push(room.code, host, "sources", {"kind": "legal"})
    student.run()
    assert student.query_params == {"room": room.code, "q": "hoa lien"}
    student.button(key="live-rejoin").click().run()
    assert student.query_params == {"room": room.code, "kind": "legal"}


def test_next_and_previous_move_the_room_through_a_lesson(store):
    """The lecturer walks the steps' own pages (lesson bar and note); students get the same step views
    (lesson and step: the step's title), never the note."""
    room, host = store.create("overview", {})
    lecturer = open_page("merger", room=room.code, host=host, lesson="k75-a20", step="3")
    lecturer.button(key="live-next").click().run()
    assert not lecturer.exception
    assert (store.get(room.code).page, store.get(room.code).params) == (
        "merger", {"unit": "20194", "lesson": "k75-a20", "step": "4"})
    assert lecturer.query_params == {"unit": "20194", "lesson": "k75-a20", "step": "4", "room": room.code}
    lecturer.button(key="live-prev").click().run()
    assert lecturer.query_params["step"] == "3"
    assert (store.get(room.code).page, store.get(room.code).params) == ("merger", {"lesson": "k75-a20", "step": "3"})
    lecturer.button(key="live-push").click().run()
    assert store.get(room.code).page == "merger"
    assert store.get(room.code).params == {"lesson": "k75-a20", "step": "3"}


def test_student_at_a_step_sees_its_title_never_the_note(store, cat):
    """A follower's lesson bar: "Bước n/N · title" only (no note, no step links); the title again
    right above the step's subject."""
    lesson = cat.by_id("lessons")["k75-a20"]
    room, _ = store.create("merger", {"unit": "20194", "lesson": "k75-a20", "step": "4"})
    at = open_page("merger", room=room.code, unit="20194", lesson="k75-a20", step="4")
    assert not at.exception
    title = lesson.steps[3].title.vi
    bar = [m.value for m in at.markdown if "Bước 4/6" in m.value]
    assert bar and title in bar[0].replace("\\", "")
    subject = at.get_by_key("merger-unit-view")
    assert subject is not None and any(title in c.value.replace("\\", "") for c in at.caption)
    shown = "\n".join(m.value for m in at.markdown)
    assert lesson.steps[3].note.vi not in shown
    assert not [e for e in at.expander if e.label == "Ghi chú cho giảng viên"]
    assert not {link.label for link in at.main.get("page_link")} & {"Trước", "Tiếp", "Rời bài giảng"}


def test_wrong_host_key_cannot_drive(store):
    room, _ = store.create("overview", {})
    at = open_page("merger", room=room.code, host=WRONG_HOST)
    assert not at.exception and not at.error
    assert not keys(at) & {"live-push", "live-next", "live-prev"}
    # One notice, on the room's view as a student sees it (no spinner that never ends).
    assert "khóa điều khiển" in infos(at).lower() and "live-away" in keys(at)
    assert at.query_params == {"room": room.code}  # the room is on the overview; the key is gone
    assert store.get(room.code).version == 1
    at.run()
    assert "khóa điều khiển" not in infos(at).lower()  # said once


def test_wrong_host_key_on_live_follows_the_room(store):
    room, _ = store.create("sources", {"kind": "legal"})
    at = open_page("live", room=room.code, host=WRONG_HOST)
    assert not at.exception and not at.error
    assert at.query_params == {"room": room.code, "kind": "legal"}
    assert "Đang mở góc nhìn" not in "\n".join(m.value for m in at.markdown)
    assert infos(at).lower().count("khóa điều khiển") == 1


@pytest.mark.parametrize("page", ["live", "timeline"])
def test_ended_room_and_replayed_host_link(store, page):
    room, host = store.create("overview", {})
    store.end(room.code, host)
    for params in ({"room": room.code}, {"room": room.code, "host": host}):
        at = open_page(page, **params)
        assert not at.exception and not at.error
        # Students are told the room is over; the lecturer's replayed link says so in its own words.
        shown = infos(at) if "host" not in params else "\n".join(s.value for s in at.success)
        assert "đã kết thúc" in shown
        assert not keys(at) & {"live-push", "live-next", "live-prev", "live-end"}
        assert ("live-start" in keys(at)) == (page == "live")  # a new room can start at once
    assert store.get(room.code).version == 2


def test_lecturer_ends_the_room_and_starts_another(store):
    at = open_page("live")
    at.button(key="live-start").click().run()
    first = at.query_params["room"]
    at.button(key="live-end").click().run()
    assert not at.exception and store.get(first).status() == "ended"
    assert has_key(at, "live-ended") and "đã kết thúc" in at.success[0].value
    assert not keys(at) & {"live-end", "live-push"} and not has_key(at, "live-student-link")
    at.button(key="live-start").click().run()
    second = at.query_params["room"]
    assert second != first and store.get(second).status() == "live"
    assert "live-end" in keys(at) and not has_key(at, "live-ended")


@pytest.mark.parametrize("code", ["ABC0O1", "<script>", "ABCDEFGH", ""])
def test_malformed_codes_get_a_polite_notice(store, code):
    at = open_page("live", room=code)
    assert not at.exception and not at.error
    if code:
        assert "bỏ qua" in infos(at)
    assert "live-start" in keys(at) and store.count_rooms() == 0


def test_unknown_codes_create_no_rooms(store):
    at = open_page("live", room="ZZZZZZ")
    assert "Không tìm thấy phòng ZZZZZZ" in infos(at)
    for _ in range(20):
        at.query_params.update({"room": rooms.new_code()})
        at.run()
        assert not at.exception
    assert store.count_rooms() == 0


def test_student_join_form(store):
    room, _ = store.create("sources", {})
    at = open_page("live")
    at.text_input(key="live.join_code").input(room.code.lower())
    at.button[-1].click().run()
    assert at.query_params == {"room": room.code}


def test_share_control_on_a_host_page_never_leaks_the_host_key(store):
    room, host = store.create("overview", {})
    at = open_page("merger", room=room.code, host=host, unit="20194")
    at.button(key="share-open").click().run()
    shown = "\n".join(c.value for c in at.code)
    assert f"/merger?room={room.code}&unit=20194" in shown
    assert host not in shown and "host=" not in shown


def test_english_host_bar(store):
    room, host = store.create("overview", {})
    at = open_page("lesson", room=room.code, host=host, lesson="k75-a20", step="1", lang="en")
    labels = {b.key: b.label for b in at.button}
    assert (labels["live-push"], labels["live-next"]) == ("Send to class", "Next")
    assert "live-prev" not in labels  # no step before the first


def _follow_check():
    """One check of a follower tab on the overview (as the safety-net poll or a page run makes it),
    with server push on; `sent=1`: the watcher has sent this session the room's move."""
    import time

    import streamlit as st

    from components import live, live_push
    from core import rooms, url_state

    code = st.query_params["room"]
    room = rooms.default_store().recent(code)
    if st.query_params.get("sent") == "1":
        live_push.REGISTRY.follow(live_push.current_session_id(), live_push.Follow(
            code, "tab-0000000000000001", {}, True, room.version, time.monotonic()))
    state, _ = url_state.for_page({"room": [code]}, "overview")
    token = live._PAGE_RUN.set(st.query_params.get("page_run") == "1")
    try:
        live._follow(code, "overview", state, pushed=True)
    finally:
        live._PAGE_RUN.reset(token)


@pytest.mark.parametrize(("sent", "page_run", "moves"), [
    ("1", "0", False),  # a poll while the push is on its way: the push alone moves the tab
    ("0", "0", True),  # a poll that finds a move nobody sent: the safety net moves the tab
    ("1", "1", True),  # a page run off the room's view (its query replaced the pushed one) moves
])
def test_a_poll_leaves_a_sent_move_to_the_push(store, monkeypatch, sent, page_run, moves):
    from components import live_push

    monkeypatch.setattr(live_push, "REGISTRY", live_push.Registry())
    room, _ = store.create("merger", {"unit": "20194"})
    at = AppTest.from_function(_follow_check, default_timeout=30)
    at.query_params.update({"room": room.code, "sent": sent, "page_run": page_run})
    at.run()
    assert not at.exception
    # Outside st.navigation the switch to the room's view shows as a link to it.
    opened = [m.value for m in at.markdown if "/merger?" in m.value and "unit=20194" in m.value]
    assert bool(opened) == moves
    assert "live-away" in keys(at)  # the follow bar as before

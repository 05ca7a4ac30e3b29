"""Live-class link rules: room/host as global parameters, student links without the host key."""

import pytest

from core import live, rooms, share, url_state

HOST = "Zx_3" + "k" * 28


@pytest.mark.parametrize("raw, expected", [
    ({"room": "abc234"}, "ABC234"), ({"room": "ABC234"}, "ABC234"), ({"room": "ABC0O1"}, ""),
    ({"room": "ABC23"}, ""), ({"room": "ABC2345"}, ""), ({"room": "ÀBC234"}, ""), ({"room": "<b>"}, ""),
])
def test_room_parameter(raw, expected):
    state, ignored = url_state.from_params(raw)
    assert state.room == expected
    assert bool(ignored) == (expected == "")


@pytest.mark.parametrize("host, ok", [(HOST, True), ("short", False), ("a b" * 10, False), ("x" * 101, False)])
def test_host_parameter(host, ok):
    state, ignored = url_state.from_params({"host": host})
    assert (state.host == host, bool(ignored)) == (ok, not ok)


def test_room_is_kept_across_pages_like_lang_and_the_host_key_never_written():
    state, _ = url_state.from_params({"room": "ABC234", "host": HOST, "lang": "en", "q": "hoa"})
    assert state.host == HOST  # read from a private link …
    assert url_state.link_params(state, unit="20194") == {"lang": "en", "room": "ABC234", "unit": "20194"}
    assert url_state.to_params(state, "merger") == {"lang": "en", "room": "ABC234", "q": "hoa"}  # … never written
    assert live.host_params({"unit": "20194"}, state) == {"unit": "20194", "lang": "en", "room": "ABC234"}


def test_resume_link_is_the_only_link_with_the_key():
    assert live.resume_link("http://192.168.1.5:8501/merger?x=1", "ABC234", HOST) == (
        f"http://192.168.1.5:8501/live?room=ABC234&host={HOST}")


def test_share_link_never_carries_the_host_key():
    state, _ = url_state.from_params({"room": "ABC234", "host": HOST, "unit": "20194"})
    url = share.full_url("https://lop.example/merger", state, "merger")
    assert url == "https://lop.example/merger?room=ABC234&unit=20194"


def test_student_link():
    assert live.student_link("https://lop.example:8501/merger?room=X&host=Y", "ABC234") == (
        "https://lop.example:8501/live?room=ABC234")


def test_pushed_view_drops_personal_parameters():
    state, _ = url_state.from_params({"room": "ABC234", "host": HOST, "lang": "en", "present": "1",
                                      "unit": "20194", "topic": "merger"})
    assert live.view_of("merger", state, {}) == ("merger", {"topic": "merger", "unit": "20194"})


def test_lesson_step_sends_the_step_view_with_lesson_and_step(cat):
    """Students get the step's own view (its title shows); the lesson bar never shows them the note."""
    lessons = {lesson.id: lesson for lesson in cat["lessons"].records}
    state, _ = url_state.from_params({"lesson": "k75-a20", "step": "4", "room": "ABC234", "host": HOST})
    page, params = live.view_of("lesson", state, lessons)
    assert (page, params) == ("merger", {"unit": "20194", "lesson": "k75-a20", "step": "4"})
    assert rooms.validate_view(page, params) == (page, params)
    assert (live.neighbour(state, lessons, 1), live.neighbour(state, lessons, -1)) == (5, 3)
    last, _ = url_state.from_params({"lesson": "k75-a20", "step": str(len(lessons["k75-a20"].steps))})
    assert live.neighbour(last, lessons, 1) is None


def test_every_lesson_step_is_a_valid_room_view(cat):
    for lesson in cat["lessons"].records:
        for number in range(1, len(lesson.steps) + 1):
            page, params = live.step_view(lesson, number)
            assert rooms.validate_view(page, params) == (page, params)
            assert (params["lesson"], params["step"]) == (lesson.id, str(number))


def test_follower_keeps_own_language_and_never_host():
    room = rooms.Room("ABC234", "merger", {"unit": "20194"})
    state, _ = url_state.from_params({"room": "ABC234", "lang": "en", "host": HOST})
    assert live.follower_params(room, state) == {"unit": "20194", "lang": "en", "room": "ABC234"}

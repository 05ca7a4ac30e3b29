"""Live class in two browsers: a lecturer drives, a student on a phone follows, steps away, rejoins."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from core import rooms
from tests.browser.conftest import new_context, query, screenshot, wait_for_app

pytestmark = pytest.mark.slow
MOVE_TIMEOUT = 30000  # generous for a loaded machine; speed itself is measured in benchmarks/live.py


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").click()
    wait_for_app(page)


def on_view(page, path: str, **params) -> None:
    """Wait until the page shows this path and exactly these parameters."""
    expected = {k: [v] for k, v in params.items()}
    paths = {path, "/overview"} if path == "/" else {path}  # Streamlit may name the default page
    page.wait_for_url(lambda url: urlsplit(url).path in paths and query_of(url) == expected,
                      timeout=MOVE_TIMEOUT, wait_until="commit")


def headings(page) -> list[str]:
    """The headings of the main area, in order: the page's title and the subject it shows."""
    return [text.strip() for text in page.get_by_test_id("stMain").locator("h1, h2, h3").all_inner_texts()]


def sees_same_view(student, lecturer) -> None:
    """What the student sees (not only its address): the headings of the lecturer's view."""
    wait_for_app(student)
    wanted = headings(lecturer)
    assert wanted
    for _ in range(MOVE_TIMEOUT // 250):
        if headings(student) == wanted:
            break
        student.wait_for_timeout(250)
    assert headings(student) == wanted


def resume_key(page) -> str:
    """The host key from the lecturer's private resume link (folded on /live; never in the URL)."""
    from urllib.parse import parse_qs

    link = page.locator(".st-key-live-resume code").first.text_content().strip()
    return parse_qs(urlsplit(link).query)["host"][0]


def query_of(url: str) -> dict:
    from urllib.parse import parse_qs

    return parse_qs(urlsplit(url).query)


def test_lecturer_drives_student_follows(server, browser):
    lecturer_ctx, student_ctx = new_context(browser), new_context(browser, "phone")
    lecturer, student = lecturer_ctx.new_page(), student_ctx.new_page()
    try:
        lecturer.goto(server + "/live")
        wait_for_app(lecturer)
        click(lecturer, "live-start")
        code, host = query(lecturer)["room"][0], resume_key(lecturer)
        assert "host" not in query(lecturer)
        link = lecturer.locator(".st-key-live-student-link").inner_text().strip()
        assert link == f"{server}/live?room={code}" and host not in link
        expect(lecturer.get_by_role("img").first).to_be_visible()
        screenshot(lecturer, "live-lecturer-room-projector")

        student.goto(link)
        on_view(student, "/", room=code)
        expect(student.locator(".st-key-live-away button")).to_be_visible()

        # The host link keeps the host role on any page, also after a reload.
        lecturer.goto(f"{server}/merger?unit=20194&room={code}&host={host}")
        wait_for_app(lecturer)
        lecturer.reload()
        wait_for_app(lecturer)
        click(lecturer, "live-push")
        on_view(student, "/merger", room=code, unit="20194")
        sees_same_view(student, lecturer)
        assert not student.locator(".st-key-live-push, .st-key-live-next, .st-key-live-end").count()
        screenshot(student, "live-student-following-phone")

        lecturer.goto(f"{server}/lesson?lesson=k75-a20&step=1&room={code}&host={host}")
        wait_for_app(lecturer)
        click(lecturer, "live-next")
        assert query(lecturer)["step"] == ["2"]
        screenshot(lecturer, "live-lecturer-lesson-projector")
        on_view(student, "/timeline", room=code, topic="merger", **{"from": "2025-04-01"},
                to="2025-07-31", event="nq-1659-ubtvqh15-2025-06-16", lesson="k75-a20", step="2")
        sees_same_view(student, lecturer)

        click(student, "live-away")
        click(lecturer, "live-next")
        assert rooms.default_store().get(code).page == "merger"
        # The watcher reads the room ten times a second and would have moved a following tab
        # within this wait (the moves above came in about a second); a tab away stays where it is.
        student.wait_for_timeout(3000)
        assert urlsplit(student.url).path == "/timeline"
        screenshot(student, "live-student-away-phone")
        click(student, "live-rejoin")
        on_view(student, "/merger", room=code, lesson="k75-a20", step="3")  # the step's title, not its note
        sees_same_view(student, lecturer)

        lecturer.goto(f"{server}/live?room={code}&host={host}")
        wait_for_app(lecturer)
        click(lecturer, "live-end")
        expect(student.get_by_text("đã kết thúc")).to_be_visible(timeout=MOVE_TIMEOUT)
        expect(student.get_by_test_id("stException")).to_have_count(0)
    finally:
        lecturer_ctx.close()
        student_ctx.close()


def test_student_on_another_server_process_follows(server, browser):
    """Two app processes sharing one ROOMS_DB (as behind nginx): the lecturer drives on one, the
    student's process moves its own followers from the shared store."""
    from tests.browser.conftest import start_server

    other = start_server()
    other_base = other.base_url
    lecturer_ctx, student_ctx = new_context(browser), new_context(browser, "phone")
    try:
        room, host = rooms.default_store().create("timeline", {"topic": "merger"})
        student = student_ctx.new_page()
        student.goto(f"{other_base}/live?room={room.code}")
        on_view(student, "/timeline", room=room.code, topic="merger")
        lecturer = lecturer_ctx.new_page()
        lecturer.goto(f"{server}/merger?unit=20194&room={room.code}&host={host}")
        wait_for_app(lecturer)
        click(lecturer, "live-push")
        on_view(student, "/merger", room=room.code, unit="20194")
        sees_same_view(student, lecturer)
        expect(student.get_by_test_id("stException")).to_have_count(0)
        rooms.default_store().push(room.code, host, "training", {"trip": "k75-a20-danang-2025-07-07"})
        on_view(student, "/training", room=room.code, trip="k75-a20-danang-2025-07-07")
    finally:
        lecturer_ctx.close()
        student_ctx.close()
        other.stop()

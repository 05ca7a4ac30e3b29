"""The room flow as a class meets it: end and start again, replayed and wrong host links, and a
projected lecturer's address bar that never shows the host key."""

import re

import pytest
from playwright.sync_api import expect

from core import rooms
from tests.browser.conftest import new_context, query, screenshot, wait_for_app
from tests.browser.test_live import MOVE_TIMEOUT, click, on_view, resume_key

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WRONG = "W" * 32


def on_first_screen(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert 0 <= box["y"] < page.viewport_size["height"], (selector, box)


def start_room(page, server: str) -> tuple[str, str]:
    page.goto(server + "/live")
    wait_for_app(page)
    click(page, "live-start")
    code = query(page)["room"][0]
    assert "host" not in query(page)
    return code, resume_key(page)


def test_end_then_a_new_room_and_the_replayed_host_link(server, browser):
    lecturer_ctx, student_ctx, other_ctx = (new_context(browser), new_context(browser, "phone"),
                                            new_context(browser))
    try:
        lecturer, student = lecturer_ctx.new_page(), student_ctx.new_page()
        code, host = start_room(lecturer, server)
        student.goto(f"{server}/live?room={code}")
        on_view(student, "/", room=code)

        click(lecturer, "live-end")
        # The lecturer's page says so at the top and offers a new room; the old room's panel is gone.
        expect(lecturer.locator(".st-key-live-ended")).to_be_visible()
        on_first_screen(lecturer, ".st-key-live-ended")
        expect(lecturer.locator(".st-key-live-ended")).to_contain_text(code)
        expect(lecturer.locator(".st-key-live-end, .st-key-live-student-link")).to_have_count(0)
        expect(lecturer.locator(".st-key-live-start button")).to_be_visible()
        expect(student.get_by_text("đã kết thúc")).to_be_visible(timeout=MOVE_TIMEOUT)
        screenshot(lecturer, "room-ended-projector")

        click(lecturer, "live-start")
        second = query(lecturer)["room"][0]
        assert second != code and rooms.default_store().get(second).status() == "live"
        expect(lecturer.locator(".st-key-live-end button")).to_be_visible()

        # The old host link, replayed in another browser: the room is over, and a new one can start.
        other = other_ctx.new_page()
        other.goto(f"{server}/live?room={code}&host={host}")
        wait_for_app(other)
        expect(other.locator(".st-key-live-ended")).to_contain_text(code)
        expect(other.locator(".st-key-live-start button")).to_be_visible()
        assert "host" not in query(other)
        expect(other.get_by_test_id("stException")).to_have_count(0)
    finally:
        for ctx in (lecturer_ctx, student_ctx, other_ctx):
            ctx.close()


def test_wrong_host_key_gets_one_notice_and_the_student_view(server, browser):
    room, _ = rooms.default_store().create("merger", {"unit": "20194"})
    ctx = new_context(browser, "phone")
    try:
        page = ctx.new_page()
        page.goto(f"{server}/live?room={room.code}&host={WRONG}")
        on_view(page, "/merger", room=room.code, unit="20194")
        wait_for_app(page)
        expect(page.get_by_text(re.compile("Khóa điều khiển trong đường dẫn không đúng"))).to_have_count(1)
        expect(page.get_by_text(re.compile("Đang mở góc nhìn"))).to_have_count(0)
        expect(page.locator(".st-key-live-away button")).to_be_visible()
        expect(page.locator(".st-key-live-push")).to_have_count(0)
        assert rooms.default_store().get(room.code).version == 1
    finally:
        ctx.close()


def test_presenting_lecturer_never_shows_the_host_key_and_drives_after_a_reload(server, browser):
    lecturer_ctx, student_ctx = new_context(browser), new_context(browser, "phone")
    try:
        lecturer, student = lecturer_ctx.new_page(), student_ctx.new_page()
        code, host = start_room(lecturer, server)
        expect(lecturer.locator(".st-key-live-resume")).to_have_count(1)  # folded, before presenting
        student.goto(f"{server}/live?room={code}")
        on_view(student, "/", room=code)

        lecturer.goto(f"{server}/merger?unit=20194&room={code}&present=1")
        wait_for_app(lecturer)
        assert host not in lecturer.url and "host" not in query(lecturer)
        lecturer.reload()
        wait_for_app(lecturer)
        click(lecturer, "live-push")
        on_view(student, "/merger", room=code, unit="20194")
        assert host not in lecturer.url
        assert host not in lecturer.locator("[data-testid=stMain]").inner_text()
        # A presenting /live shows no private link at all.
        lecturer.goto(f"{server}/live?room={code}&present=1")
        wait_for_app(lecturer)
        expect(lecturer.locator(".st-key-live-end button")).to_be_visible()
        expect(lecturer.locator(".st-key-live-resume")).to_have_count(0)
        assert host not in lecturer.content()

        # The private link on another device: it drives, and the key leaves that address bar too.
        other_ctx = new_context(browser)
        try:
            other = other_ctx.new_page()
            other.goto(f"{server}/training?room={code}&host={host}")
            wait_for_app(other)
            other.wait_for_url(lambda url: "host=" not in url, timeout=MOVE_TIMEOUT)
            click(other, "live-push")
            on_view(student, "/training", room=code)
        finally:
            other_ctx.close()
    finally:
        lecturer_ctx.close()
        student_ctx.close()

"""A phone's menu closes after a tap; lesson steps open with their subject (and the step's title) on
the first screen, for the presenting lecturer and for a following student."""

from urllib.parse import urlencode, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from core import paths, rooms
from tests.browser.conftest import OUTPUT, assert_no_exception, new_context, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]
SETTLE_MS = 3600  # the subject is checked up to 3 s after it is drawn (components/focus.py)
MENU_LINKS = "[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]"


def idle(page) -> None:
    """The run is over (without wait_for_app's return to the top of the page)."""
    try:
        page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(
            state="attached", timeout=400)
    except Exception:  # noqa: BLE001 - the run was already over
        pass
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=30000)


def sidebar_shown(page) -> bool:
    """Whether the sidebar's content is on the screen."""
    return page.evaluate("""() => {
        const bar = document.querySelector('[data-testid=stSidebar]');
        const box = document.querySelector('[data-testid=stSidebarContent]').getBoundingClientRect();
        return bar.dataset.collapsed !== 'true' && box.right > 0 && box.left < window.innerWidth;
    }""")


def open_menu(page) -> None:
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'false'")
    page.wait_for_timeout(400)  # the slide-in
    assert sidebar_shown(page)


def test_phone_menu_closes_after_a_tap_and_a_language_switch(server, browser):
    ctx = new_context(browser, "phone")
    try:
        page = ctx.new_page()
        page.goto(server + "/")
        wait_for_app(page)
        assert not sidebar_shown(page)  # collapsed on a narrow screen from the start
        open_menu(page)
        page.locator(MENU_LINKS).filter(has_text="Sáp nhập").first.click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/merger", wait_until="commit")
        idle(page)
        page.wait_for_timeout(600)
        assert not sidebar_shown(page)
        expect(page.get_by_role("heading", level=1).first).to_be_in_viewport()

        open_menu(page)
        page.locator(".st-key-frame-lang button").filter(has_text="English").click()
        page.wait_for_url(lambda url: "lang=en" in url, wait_until="commit")
        idle(page)
        page.wait_for_timeout(600)
        assert not sidebar_shown(page)
        screenshot(page, "phone-menu-closed-after-language-phone")
        assert_no_exception(page)
    finally:
        ctx.close()


def test_projector_sidebar_stays_open_after_a_menu_click(server, browser):
    ctx = new_context(browser, "projector")
    try:
        page = ctx.new_page()
        page.goto(server + "/")
        wait_for_app(page)
        assert sidebar_shown(page)
        page.locator(MENU_LINKS).filter(has_text="Sáp nhập").first.click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/merger", wait_until="commit")
        idle(page)
        page.wait_for_timeout(600)
        assert sidebar_shown(page)
        screenshot(page, "projector-sidebar-open-after-menu-click")
    finally:
        ctx.close()


def step_path(number: int, **extra) -> tuple[str, dict]:
    step = LESSON["steps"][number - 1]
    params = {**{k: str(v) for k, v in step["params"].items()}, "lesson": LESSON["id"], "step": str(number)}
    return f"/{step['page']}", {**params, **extra}


def title_on_screen(page, title: str) -> bool:
    """Some paragraph holding the step's whole title lies within the viewport."""
    return page.evaluate("""title => [...document.querySelectorAll('[data-testid=stMainBlockContainer] p')]
        .filter(p => p.textContent.replace(/\\s+/g, ' ').includes(title))
        .some(p => { const r = p.getBoundingClientRect();
                     return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })""", title)


SUBJECTS = {"merger": "merger-unit-view", "timeline": "timeline-detail", "smart-city": "smart-city-open-domain"}


@pytest.mark.parametrize("number", [4, 2, 6])  # Hòa Liên's split (merger), a timeline step, the IOC
@pytest.mark.parametrize("role", ["presenting", "follower"])
def test_step_opens_with_its_subject_and_title_on_the_first_screen(server, browser, role, number):
    step = LESSON["steps"][number - 1]
    if role == "presenting":
        size, (path, params) = "projector", step_path(number, present="1")
    else:  # a student's phone at the view the room pushed
        path, view = step_path(number)
        room, _ = rooms.default_store().create(path.strip("/"), view)
        size, params = "phone", {**view, "room": room.code}
    ctx = new_context(browser, size)
    try:
        page = ctx.new_page()
        page.goto(f"{server}{path}?{urlencode(params)}")
        idle(page)
        page.wait_for_timeout(SETTLE_MS)
        name = f"step-{number}-{role}-{size}"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{name}-first-screen.png"))
        key = SUBJECTS[step["page"]]
        box = page.locator(f".st-key-{key}").bounding_box()
        height = page.viewport_size["height"]
        assert box is not None and 0 <= box["y"] < height * 0.5, (key, box)
        assert title_on_screen(page, step["title"]["vi"])
        text = page.locator("[data-testid=stMain]").inner_text()
        if role == "follower":
            assert step["note"]["vi"] not in text
            assert not page.locator(".st-key-lesson-bar a").count()  # no previous/next/leave
        assert_no_exception(page)
        screenshot(page, name)
    finally:
        ctx.close()

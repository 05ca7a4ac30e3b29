"""Country page in a real browser at projector and phone sizes, offline: lookup link, typing, map."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser


def _outside_requests(ctx) -> list[str]:
    seen: list[str] = []
    ctx.on("request", lambda request: seen.append(request.url)
           if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
           and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost") else None)
    return seen


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_split_link_and_map_offline(browser, server, size):
    ctx = new_context(browser, size=size, offline=True)
    outside = _outside_requests(ctx)
    page = ctx.new_page()
    open_view(page, server, "/country?q=hoa%20lien")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Phường Hải Vân, Thành phố Đà Nẵng")).to_be_visible()
    expect(main.get_by_text("Phường Liên Chiểu, Thành phố Đà Nẵng")).to_be_visible()
    expect(main.get_by_role("link", name="Xem chi tiết trên trang Sáp nhập Đà Nẵng")).to_be_visible()
    expect(page.locator("path.choroplethlocation")).to_have_count(34, timeout=30000)
    screenshot(page, f"country-{size}")
    assert query(page)["q"] == ["hoa lien"]
    if size == "phone":
        assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= 390
    assert outside == [], outside
    assert_no_exception(page)
    ctx.close()


def test_typing_an_address_writes_the_link(page, server):
    open_view(page, server, "/country")
    box = page.locator(".st-key-country-q input")
    box.fill("phuc xa, ba dinh, ha noi")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_text("Phường Hồng Hà, Thành phố Hà Nội")).to_be_visible()
    assert query(page)["q"] == ["phuc xa, ba dinh, ha noi"]
    assert_no_exception(page)

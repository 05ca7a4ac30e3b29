"""Merger page in a real browser: deep links, opening units, the offline map, the filtered CSV."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from core import catalog, lookup
from tests.browser.conftest import (
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
HAS_UNIT = re.compile(r"[?&]unit=\d{5}")


@pytest.fixture(scope="module")
def index():
    cat = catalog.build()
    return lookup.build_index(cat["units"].records, cat["mapping"].records)


def _code_of(index, name: str) -> str:
    return next(code for code, unit in index.new.items() if unit.name == name)


def _outside_requests(ctx) -> list[str]:
    """Every request the page tried to send beyond this machine (the offline route aborts them)."""
    seen: list[str] = []
    ctx.on("request", lambda request: seen.append(request.url)
           if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
           and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost") else None)
    return seen


def test_lookup_link_lists_both_successors_of_the_split_commune(page, server):
    open_view(page, server, "/merger?q=hoa lien")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Xã Hòa Liên", exact=True)).to_be_visible()
    expect(main.get_by_role("button", name="Phường Hải Vân · khoản 9 · một phần")).to_be_visible()
    expect(main.get_by_role("button", name="Phường Liên Chiểu · khoản 10 · một phần")).to_be_visible()
    assert query(page)["q"] == ["hoa lien"]
    assert_no_exception(page)


@pytest.mark.parametrize("name", ["Phường Liên Chiểu", "Xã Tam Hải"])
def test_unit_link_opens_that_unit(page, server, index, name):
    code = _code_of(index, name)
    open_view(page, server, f"/merger?unit={code}")
    view = page.locator(".st-key-merger-unit-view")
    expect(view.get_by_role("heading", name=name)).to_be_visible()
    expect(view.get_by_text(re.compile(rf"^Mã {code} · "))).to_be_visible()
    assert query(page)["unit"] == [code]
    assert_no_exception(page)


def test_map_renders_offline_and_a_click_opens_the_unit(browser, server, index):
    ctx = new_context(browser, size="projector", offline=True)
    outside = _outside_requests(ctx)
    page = ctx.new_page()
    open_view(page, server, "/merger")
    expect(page.locator(".js-plotly-plot .geo").first).to_be_attached()
    expect(page.locator("path.choroplethlocation")).to_have_count(len(index.new), timeout=20000)
    screenshot(page, "merger-map-projector")
    shape = page.locator("path.choroplethlocation").nth(40)
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(HAS_UNIT)
    wait_for_app(page)
    code = query(page).get("unit", [""])[0]
    assert code in index.new
    expect(page.locator(".st-key-merger-unit-view").get_by_role("heading", name=index.new[code].name)).to_be_visible()
    assert outside == [], outside
    assert_no_exception(page)
    ctx.close()


def test_search_then_open_a_result_on_a_phone(browser, server, index):
    ctx = new_context(browser, size="phone", offline=True)
    page = ctx.new_page()
    open_view(page, server, "/merger")
    box = page.get_by_test_id("stTextInput").locator("input")
    box.fill("minh an")
    box.press("Enter")
    wait_for_app(page)
    result = page.get_by_role("button", name="Phường Hội An · khoản").first
    expect(result).to_be_visible()
    screenshot(page, "merger-search-phone")
    result.click()
    page.wait_for_url(HAS_UNIT)
    wait_for_app(page)
    assert query(page)["unit"] == [_code_of(index, "Phường Hội An")]
    assert query(page)["q"] == ["minh an"]
    expect(page.locator(".st-key-merger-unit-view").get_by_role("heading", name="Phường Hội An")).to_be_attached()
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= 390
    page.get_by_role("button", name="Tất cả đơn vị").click()
    page.wait_for_url(lambda url: not HAS_UNIT.search(url))
    wait_for_app(page)
    assert "unit" not in query(page)
    ctx.close()


def test_filtered_csv_has_a_bom_and_only_the_rows_shown(page, server, index):
    open_view(page, server, "/merger?view=list&type=phuong&province=da-nang")
    expected = lookup.filter_units(lookup.units_frame(index), ("phuong",), ("da-nang",))
    button = page.get_by_role("button", name="Tải CSV các dòng đang hiển thị")
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    assert name.startswith("don-vi-moi_phuong_da-nang_v") and name.endswith(".csv")
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r[next(iter(r))] for r in rows) == sorted(expected["code"])
    assert_no_exception(page)


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_screenshots(browser, server, index, size):
    ctx = new_context(browser, size=size, offline=True)
    page = ctx.new_page()
    for name, path in (("lookup", "/merger?q=hoa lien"), ("unit", f"/merger?unit={_code_of(index, 'Phường Hải Vân')}"),
                       ("empty", "/merger?q=zzz")):
        open_view(page, server, path)
        expect(page.locator("path.choroplethlocation").first).to_be_attached(timeout=20000)
        screenshot(page, f"merger-{name}-{size}")
        assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= page.viewport_size["width"]
        assert_no_exception(page)
    ctx.close()

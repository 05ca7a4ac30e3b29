"""Country page in a real browser at projector and phone sizes, offline: cited answers, the province
view by link in both languages, the table's sorting and the CSV's name, the map."""

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
SIZES = ["projector", "phone"]


def _outside_requests(ctx) -> list[str]:
    seen: list[str] = []
    ctx.on("request", lambda request: seen.append(request.url)
           if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
           and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost") else None)
    return seen


def _no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_split_answer_cites_each_part_and_map_offline(browser, server, size):
    ctx = new_context(browser, size=size, offline=True)
    outside = _outside_requests(ctx)
    page = ctx.new_page()
    open_view(page, server, "/country?q=hoa%20lien")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Phường Hải Vân, Thành phố Đà Nẵng · một phần · khoản 9, Điều 1, "
                            "Nghị quyết 1659/NQ-UBTVQH15")).to_be_visible()
    expect(main.get_by_text("Phường Liên Chiểu, Thành phố Đà Nẵng · một phần · khoản 10")).to_be_visible()
    expect(main.get_by_role("link", name="Xem chi tiết trên trang Sáp nhập Đà Nẵng")).to_be_visible()
    # The clause's wording is one click away.
    wording = "một phần diện tích tự nhiên, quy mô dân số của xã Hòa Liên thành phường mới"
    expect(main.get_by_text(wording)).to_be_hidden()
    main.get_by_text("Nguyên văn khoản 9").click()
    expect(main.get_by_text(wording)).to_be_visible()
    expect(page.locator("path.choroplethlocation")).to_have_count(34, timeout=30000)
    screenshot(page, f"country-split-{size}")
    assert query(page)["q"] == ["hoa lien"]
    if size == "phone":
        _no_sideways_scroll(page)
    assert outside == [], outside
    assert_no_exception(page)
    ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_whole_old_province_and_missing_province_answers(browser, server, size):
    ctx = new_context(browser, size=size)
    page = ctx.new_page()
    main = page.get_by_test_id("stMain")
    open_view(page, server, "/country?q=phuc%20xa%2C%20ba%20dinh%2C%20ha%20noi")
    expect(main.get_by_text("Phường Hồng Hà, Thành phố Hà Nội · toàn bộ · khoản 14, Điều 1, "
                            "Nghị quyết 1656/NQ-UBTVQH15")).to_be_visible()
    open_view(page, server, "/country?q=t%E1%BB%89nh%20Kon%20Tum")
    expect(main.get_by_text("Nghị quyết 202/2025/QH15 ngày 12/6/2025", exact=False)).to_be_visible()
    expect(main.get_by_role("link", name="Xem Tỉnh Quảng Ngãi")).to_be_visible()
    open_view(page, server, "/country?q=t%E1%BB%89nh%20H%C3%A0%20T%C3%A2y")
    expect(main.get_by_text("Không có tỉnh cũ nào tên “Hà Tây”", exact=False)).to_be_visible()
    expect(main.get_by_text("Xã Hà Tây", exact=False).first).to_be_visible()
    open_view(page, server, "/country?q=An%20Ph%C6%B0%E1%BB%9Bc")
    expect(main.get_by_role("button", name="Xã An Phước, Huyện Mang Thít", exact=False)).to_be_visible()
    screenshot(page, f"country-ambiguous-{size}")
    if size == "phone":
        _no_sideways_scroll(page)
    assert_no_exception(page)
    ctx.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_province_view_by_link(browser, server, size, lang):
    ctx = new_context(browser, size=size, offline=True)
    page = ctx.new_page()
    open_view(page, server, "/country?province=48" + ("&lang=en" if lang == "en" else ""))
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Thành phố Đà Nẵng")).to_be_visible()
    formed = ("Hợp nhất từ Thành phố Đà Nẵng, Tỉnh Quảng Nam" if lang == "vi"
              else "Formed from Thành phố Đà Nẵng, Tỉnh Quảng Nam")
    expect(main.get_by_text(formed, exact=False)).to_be_visible()
    expect(main.get_by_text("11.859,59 km²" if lang == "vi" else "11,859.59 km²")).to_be_visible()
    merger = "Xem chi tiết 94 đơn vị" if lang == "vi" else "See the 94 units in detail"
    expect(main.get_by_role("link", name=merger)).to_be_visible()
    expect(page.locator("path.choroplethlocation")).to_have_count(34, timeout=30000)
    clause = "khoản 9" if lang == "vi" else "clause 9"
    fold = main.locator("details").filter(has_text=f"Phường Hải Vân · {clause}")
    expect(fold).to_have_count(1)
    fold.locator("summary").click()  # opens in the browser: no page run
    wording = "Nguyên văn khoản 9:" if lang == "vi" else "Wording of clause 9:"
    expect(fold.get_by_text(wording, exact=False)).to_be_visible()
    screenshot(page, f"country-province-{lang}-{size}")
    assert query(page)["province"] == ["48"]
    if size == "phone":
        _no_sideways_scroll(page)
    assert_no_exception(page)
    ctx.close()


def test_table_sorts_formatted_numbers_as_numbers_and_names_its_csv(browser, server):
    ctx = new_context(browser, size="projector")
    page = ctx.new_page()
    open_view(page, server, "/country?filter=quang")
    main = page.get_by_test_id("stMain")
    with page.expect_download() as info:
        main.get_by_role("button", name="Tải bảng (CSV)").click()
    assert info.value.suggested_filename == "tinh-thanh-loc-quang.csv"
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith('Mã,"Tỉnh, thành phố",Hợp nhất từ,Diện tích (km²)')
    assert_no_exception(page)
    ctx.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_formatted_numbers_sort_as_numbers_in_chromium(browser, lang):
    """The grid sorts text cells with the browser's localeCompare: the table's padded Vietnamese
    and English figures must come out in numeric order there (what a header click shows)."""
    from core import fmt, i18n, national, national_data

    frame = national.province_frame(national_data.build())
    i18n.use(lang)
    try:
        columns = {"area": (frame.area_km2.round(1), [fmt.number(v, 1) for v in frame.area_km2]),
                   "population": (frame.population, [fmt.number(v) for v in frame.population]),
                   "reduction": (frame.reduction_pct, [fmt.number(v, 1) + " %" for v in frame.reduction_pct])}
    finally:
        i18n.use("vi")
    page = browser.new_page()
    for name, (numbers, texts) in columns.items():
        order = page.evaluate("t => t.map((v, i) => [v, i]).sort((a, b) => a[0].localeCompare(b[0]))"
                              ".map(x => x[1])", national.sortable_texts(texts))
        assert [list(numbers)[i] for i in order] == sorted(numbers), name
    page.close()


def test_a_click_on_the_map_opens_that_province(page, server):
    open_view(page, server, "/country")
    shapes = page.locator("path.choroplethlocation")
    expect(shapes).to_have_count(34, timeout=30000)
    shape = shapes.nth(10)
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="đơn vị cấp xã mới", exact=False)).to_be_visible()
    assert len(query(page)["province"]) == 1
    assert_no_exception(page)


def test_typing_an_address_writes_the_link(page, server):
    open_view(page, server, "/country")
    box = page.locator(".st-key-country-q input")
    box.fill("phuc xa, ba dinh, ha noi")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_text("Phường Hồng Hà, Thành phố Hà Nội", exact=False)).to_be_visible()
    assert query(page)["q"] == ["phuc xa, ba dinh, ha noi"]
    assert_no_exception(page)


def test_a_province_link_in_an_answer_opens_the_province_view(page, server):
    open_view(page, server, "/country?q=phuc%20xa%2C%20ba%20dinh%2C%20ha%20noi")
    page.get_by_test_id("stMain").get_by_role("link", name="Xem Thành phố Hà Nội").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Thành phố Hà Nội")).to_be_visible()
    assert query(page)["province"] == ["01"]
    assert_no_exception(page)

"""Field trips and smart city in headless Chromium: deep links, one click to a trip, URL writes, 2 sizes."""

import pytest
from playwright.sync_api import expect

from core import catalog
from tests.browser.conftest import (
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
K75 = "k75-a20-danang-2025-07-07"
TRIP_LINK = f"/training?trip={K75}"
DTI_LINK = "/smart-city?domain=dti"
# For each plotly chart: the text of the element right after the chart's own element container.
TEXT_AFTER_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
    const box = plot.closest('[data-testid="stElementContainer"]');
    const next = box && box.nextElementSibling;
    return next ? next.innerText : '';
})"""


def seed():
    return next(t for t in catalog.build()["trips"].records if t.id == K75)


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "horizontal overflow"


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_trip_link_shows_the_trip(browser, server, size):
    trip = seed()
    ctx = new_context(browser, size=size, offline=True)
    page = ctx.new_page()
    open_view(page, server, TRIP_LINK)
    assert_no_exception(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=trip.class_name.vi)).to_be_visible()
    expect(main.get_by_text(trip.date_note.vi[:40])).to_be_visible()
    prompts = page.locator(".st-key-training-prompts")
    expect(prompts).to_contain_text("Câu hỏi thảo luận")
    expect(prompts).to_contain_text(trip.prompts[0].vi[:40])
    for item in trip.programme:
        expect(main.get_by_text(f"{item.order}. {item.title.vi}")).to_be_visible()
    assert query(page) == {"trip": [K75]}
    no_overflow(page)
    screenshot(page, f"training-trip-{size}")
    prompts.scroll_into_view_if_needed()
    screenshot(page, f"training-trip-prompts-{size}")
    ctx.close()


def open_first_trip(page, server) -> None:
    open_view(page, server, "/training")
    assert_no_exception(page)
    page.get_by_test_id("stPageLink-NavLink").filter(has_text="Mở chuyến đi").first.click()
    wait_for_app(page)


def test_one_click_from_the_list_opens_the_trip(page, server):
    open_first_trip(page, server)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=seed().class_name.vi)).to_be_visible()
    expect(main.get_by_text("Quay lại danh sách chuyến đi")).to_be_visible()


def test_opening_a_trip_puts_it_in_the_address_bar(page, server):
    open_first_trip(page, server)
    assert query(page).get("trip") == [K75]


def test_ioc_visit_links_to_the_smart_city_page(page, server):
    open_view(page, server, TRIP_LINK)
    page.get_by_test_id("stPageLink-NavLink").filter(has_text="Đô thị thông minh (IOC)").click()
    wait_for_app(page)
    assert query(page).get("domain") == ["ioc"]
    expect(page.get_by_test_id("stMain").get_by_text("Khai trương Trung tâm Giám sát").first).to_be_visible()
    assert_no_exception(page)


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_dti_link_every_chart_has_a_visible_source_line(browser, server, size):
    ctx = new_context(browser, size=size, offline=True)
    page = ctx.new_page()
    open_view(page, server, DTI_LINK)
    assert_no_exception(page)
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(2)
    after = page.evaluate(TEXT_AFTER_CHARTS)
    assert len(after) == 2 and all(text.startswith("Nguồn:") for text in after), after
    expect(page.locator(".st-key-smart-city-cards [data-testid=stMetric]")).to_have_count(6)
    assert query(page) == {"domain": ["dti"]}
    no_overflow(page)
    screenshot(page, f"smart-city-dti-{size}")
    plots.first.scroll_into_view_if_needed()
    screenshot(page, f"smart-city-dti-chart-{size}")
    ctx.close()


@pytest.mark.parametrize("link", ["/smart-city", "/smart-city?domain=online-services"])
def test_every_chart_of_the_open_domain_has_a_source_line(page, server, link):
    open_view(page, server, link)
    assert_no_exception(page)
    after = page.evaluate(TEXT_AFTER_CHARTS)
    assert len(after) >= 1 and all(text.startswith("Nguồn:") for text in after), after


def test_filters_write_the_url(page, server):
    open_view(page, server, DTI_LINK)
    page.locator(".st-key-smart-city-domain-vi").get_by_role("radio", name="ICT Index").click()
    wait_for_app(page)
    assert query(page)["domain"] == ["ict-index"]
    page.get_by_test_id("stExpander").filter(has_text="Lọc theo khoảng năm").locator("summary").click()
    year_from = page.get_by_test_id("stSelectbox").filter(has_text="Từ năm").locator("input")
    expect(year_from).to_be_visible()
    wait_for_app(page)
    year_from.click()
    page.keyboard.type("2022")
    page.get_by_role("option", name="2022", exact=True).click()
    page.wait_for_function("() => location.search.includes('from=')")
    wait_for_app(page)
    assert query(page)["from"] == ["2022-01-01"] and "to" not in query(page)
    assert_no_exception(page)

"""Timeline in headless Chromium: the issue's link, the URL contract, chart clicks, CSV, two screen sizes."""

import datetime as dt
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from core import catalog, timeline
from core.url_state import ViewState
from tests.browser.conftest import (
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
ISSUE_LINK = "/timeline?topic=merger&from=2025-06-01&to=2025-07-31"


def expected_titles() -> list[str]:
    """What the filter logic selects on the real data for the issue's link."""
    state = ViewState(topic=("merger",), date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 7, 31))
    return [e.title.vi for e in timeline.filter_events(catalog.build()["events"].records, state)]


def picker_labels(page) -> list[str]:
    """Open the 'open an event' list and read its options (labels 'date · title')."""
    box = page.get_by_test_id("stSelectbox").filter(has_text="Mở một sự kiện")
    box.scroll_into_view_if_needed()
    options = page.get_by_role("option")
    for _ in range(3):  # the first tap can land while the list is still settling after a rerun
        box.locator("input").click()
        try:
            expect(options.first).to_be_visible(timeout=5000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(options.first).to_be_visible()
    labels = [o.inner_text().strip() for o in options.all()]
    page.keyboard.press("Escape")
    return [label for label in labels if " · " in label]


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_issue_link_shows_only_matching_events(browser, server, size):
    ctx = new_context(browser, size=size, offline=True)
    page = ctx.new_page()
    open_view(page, server, ISSUE_LINK)
    assert_no_exception(page)
    screenshot(page, f"timeline-issue-link-{size}-top")
    expected = expected_titles()
    assert expected, "the real data should have merger events in June–July 2025"
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    page.locator(".js-plotly-plot").evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, f"timeline-issue-link-{size}-chart")
    assert [label.split(" · ", 1)[1] for label in picker_labels(page)] == expected
    # Every drawn point is one of the filtered events: one lane (merger), one point per event.
    expect(page.locator(".js-plotly-plot .scatterlayer .point, .js-plotly-plot .barlayer .point")
           ).to_have_count(len(expected))
    assert query(page) == {"topic": ["merger"], "from": ["2025-06-01"], "to": ["2025-07-31"]}
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "horizontal overflow"
    ctx.close()


def test_changing_the_topic_updates_the_url(page, server):
    open_view(page, server, ISSUE_LINK)
    page.get_by_test_id("stMultiSelect").locator("input").click()
    page.get_by_role("option").filter(has_text="Chính sách").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('topic') === 'merger,policy'")
    assert query(page)["from"] == ["2025-06-01"]


def test_table_view_and_search_in_the_url(page, server):
    open_view(page, server, "/timeline?tab=table&q=nghi%20quyet%201659")
    assert_no_exception(page)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    page.get_by_role("radio", name="Biểu đồ").click()
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    assert "tab" not in query(page) and unquote(query(page)["q"][0]) == "nghi quyet 1659"


def test_clicking_a_point_opens_the_event(page, server):
    open_view(page, server, ISSUE_LINK)
    point = page.locator(".js-plotly-plot .scatterlayer .point").first
    point.click(force=True)
    page.wait_for_function("() => new URLSearchParams(location.search).has('event')")
    wait_for_app(page)
    event_id = query(page)["event"][0]
    title = next(e.title.vi for e in catalog.build()["events"].records if e.id == event_id)
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_event_link_on_a_phone_shows_detail_and_sources(browser, server):
    events = catalog.build()["events"].records
    event = next(e for e in events if e.highlight and len(e.sources) > 1)
    ctx = new_context(browser, size="phone", offline=True)
    page = ctx.new_page()
    open_view(page, server, f"/timeline?event={event.id}")
    assert_no_exception(page)
    expect(page.get_by_role("heading", name=event.title.vi)).to_have_count(1)
    sources = {s.id: s for s in catalog.build()["sources"].records}
    for source_id in event.sources:  # every source is linked and opens in a new tab
        expect(page.locator(f"a[href='{sources[source_id].url}']").first).to_have_attribute("target", "_blank")
    page.get_by_text("xem chi tiết").first.click()
    expect(page.get_by_role("heading", name=event.title.vi)).to_be_in_viewport()
    screenshot(page, "timeline-event-phone")
    ctx.close()


def test_csv_download_is_the_filtered_rows_with_bom(page, server):
    open_view(page, server, ISSUE_LINK)
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").locator("button").click()
    download = info.value
    assert download.suggested_filename == "timeline_merger_2025-06-01_2025-07-31.csv"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode("utf-8-sig").strip().splitlines()) == len(expected_titles()) + 1


def test_selecting_a_table_row_opens_the_event(page, server):
    open_view(page, server, "/timeline?tab=table&topic=training")
    first = timeline.filter_events(catalog.build()["events"].records, ViewState(topic=("training",)))[0]
    grid = page.get_by_test_id("stDataFrame").bounding_box()
    page.mouse.click(grid["x"] + 16, grid["y"] + 52)  # the first row's selection box
    page.wait_for_function("() => new URLSearchParams(location.search).has('event')")
    wait_for_app(page)
    assert query(page)["event"] == [first.id] and query(page)["tab"] == ["table"]
    expect(page.get_by_role("heading", name=first.title.vi)).to_be_visible()

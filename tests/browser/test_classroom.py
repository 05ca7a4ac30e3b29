"""The classroom in Chromium: presentation type sizes, the share dialog's QR, shared timeline links
that read without a click, the open event in view, and a lesson walked through the views themselves."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import (
    DATA_ROOT,
    SIZES,
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
EVENTS = {e["id"]: e for e in yaml.safe_load((DATA_ROOT / "events.yaml").read_text(encoding="utf-8"))}
LESSON = next(x for x in yaml.safe_load((DATA_ROOT / "lessons.yaml").read_text(encoding="utf-8"))
              if x["id"] == "k75-a20")
PATHS = {"overview": "/", "timeline": "/timeline", "merger": "/merger", "training": "/training",
         "smart-city": "/smart-city", "sources": "/sources"}

SIZE_JS = """sel => { const e = document.querySelector(sel);
  return e ? parseFloat(getComputedStyle(e).fontSize) : null; }"""
ELEMENTS = {
    "title": "[data-testid=stMain] h1",
    "heading": "[data-testid=stMain] h2, [data-testid=stMain] h3",
    "metric value": "[data-testid=stMetricValue]",
    "metric label": "[data-testid=stMetricLabel] p",
    "caption": "[data-testid=stMain] [data-testid=stCaptionContainer] p",
    "body text": "[data-testid=stMain] [data-testid=stMarkdownContainer] p",
}


@pytest.fixture(params=list(SIZES))
def sized(request, browser):
    ctx = new_context(browser, size=request.param)
    page = ctx.new_page()
    yield request.param, page
    ctx.close()


def font_sizes(page) -> dict[str, float | None]:
    return {name: page.evaluate(SIZE_JS, sel) for name, sel in ELEMENTS.items()}


def test_presentation_mode_scales_the_whole_page(sized, server):
    size, page = sized
    open_view(page, server, "/")
    plain = font_sizes(page)
    open_view(page, server, "/?present=1")
    assert_no_exception(page)
    room = font_sizes(page)
    screenshot(page, f"classroom-present-overview-{size}")
    assert None not in plain.values(), plain
    for name in ELEMENTS:
        assert room[name] >= 1.25 * plain[name], (name, plain[name], room[name])
    assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"


def test_presentation_mode_chart_type(sized, server):
    size, page = sized
    open_view(page, server, "/timeline?topic=merger&present=1")
    ticks = page.locator(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text")
    expect(ticks.first).to_be_attached()
    sizes = ticks.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 16, sizes
    open_view(page, server, "/timeline?topic=merger")
    plain = page.locator(".js-plotly-plot .xtick text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert plain < 16  # the measure can fail: without present the ticks are smaller
    screenshot(page, f"classroom-present-chart-{size}")


@pytest.mark.parametrize("path", ["/timeline?topic=merger&event=nq-1659-ubtvqh15-2025-06-16&present=1",
                                  "/merger?unit=20194&lesson=k75-a20&step=4&present=1"])
def test_share_dialog_qr_fits_and_decodes_to_the_link_without_present(sized, server, path):
    size, page = sized
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_view(page, server, path)
    page.locator(".st-key-share-open button").click()
    dialog = page.get_by_role("dialog")
    qr = dialog.locator("img.share-qr")
    expect(qr).to_be_visible()
    page.wait_for_function("() => { const i = document.querySelector('img.share-qr');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    screenshot_path = screenshot(page, f"classroom-share-{size}-{path.split('?')[0].strip('/')}")
    assert screenshot_path.exists()
    box, (width, height) = qr.bounding_box(), SIZES[size]
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
    assert box["width"] >= 0.6 * min(width, height - 200), box
    shown = dialog.get_by_test_id("stCode").inner_text().strip()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert decoded and decoded[0].text == shown
    link = urlsplit(shown)
    here = parse_qs(urlsplit(page.url).query)
    assert "present" not in parse_qs(link.query)
    assert parse_qs(link.query) == {k: v for k, v in here.items() if k != "present"}
    assert link.path == urlsplit(page.url).path
    dialog.get_by_test_id("stCode").hover()
    dialog.get_by_role("button", name="Chép vào bộ nhớ tạm").click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == shown


@pytest.mark.parametrize("path, event_id", [
    ("/timeline?topic=training", "k75-a20-field-trip-2025-07-07"),
    ("/timeline?q=1659", "nq-1659-ubtvqh15-2025-06-16"),
])
def test_shared_timeline_link_reads_without_a_click(sized, server, path, event_id):
    size, page = sized
    open_view(page, server, path)
    assert_no_exception(page)
    listing = page.locator(".st-key-timeline-list")
    expect(listing).to_contain_text(EVENTS[event_id]["title"]["vi"])
    items = listing.locator("li")
    texts = [li.inner_text() for li in items.all()]
    dates = [re.match(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})", text).groups() for text in texts]
    assert [(int(y), int(m), int(d)) for d, m, y in dates] == sorted((int(y), int(m), int(d)) for d, m, y in dates)
    # one obvious scroll: the list is at most one screen below the top of the page
    listing.scroll_into_view_if_needed()
    screenshot(page, f"classroom-timeline-list-{size}-{event_id}")


def test_open_event_is_where_the_eye_is(sized, server):
    size, page = sized
    open_view(page, server, "/timeline?topic=merger&event=nq-1659-ubtvqh15-2025-06-16&present=1")
    detail = page.locator(".st-key-timeline-detail")
    chart = page.locator(".js-plotly-plot")
    assert detail.bounding_box()["y"] < chart.bounding_box()["y"]
    title = detail.locator("h3")
    before = title.inner_text()
    detail.get_by_role("button", name="Sau").click()
    expect(title).not_to_have_text(before)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    # the new title comes into view (a phone scrolls to it); fails after the timeout if it does not
    page.wait_for_function("""() => { const h = document.querySelector('.st-key-timeline-detail h3');
        if (!h) return false; const r = h.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }""", timeout=20000)
    assert query(page)["event"] != ["nq-1659-ubtvqh15-2025-06-16"]
    screenshot(page, f"classroom-open-event-after-next-{size}")


def expected_step(number: int) -> tuple[str, dict[str, list[str]]]:
    step = LESSON["steps"][number - 1]
    params = {k: [v] for k, v in step["params"].items()}
    params.update(lesson=["k75-a20"], step=[str(number)], present=["1"])
    return PATHS[step["page"]], params


def test_lesson_walks_through_the_views(sized, server):
    size, page = sized
    open_view(page, server, "/lesson?lesson=k75-a20&step=1&present=1")  # the old form of a step link
    total = len(LESSON["steps"])
    for number in range(1, total + 1):
        path, params = expected_step(number)
        page.wait_for_url(re.compile(rf".*[?&]step={number}(&|$)"))
        wait_for_app(page)
        assert_no_exception(page)
        assert urlsplit(page.url).path == path
        assert query(page) == params
        bar = page.locator(".st-key-lesson-bar")
        expect(bar).to_contain_text(f"Bước {number}/{total}")
        expect(bar).to_contain_text(LESSON["steps"][number - 1]["title"]["vi"])
        expect(bar.get_by_test_id("stExpander")).to_have_count(0)  # no notes on the projector
        screenshot(page, f"classroom-lesson-{size}-step{number}")
        if number < total:
            bar.get_by_role("link", name="Tiếp").click()
    bar.get_by_role("link", name="Trước").click()
    page.wait_for_url(re.compile(rf".*[?&]step={total - 1}(&|$)"))


def test_lesson_notes_folded_and_sidebar_returns_to_the_step(page, server):
    open_view(page, server, "/merger?unit=20194&lesson=k75-a20&step=4")
    bar = page.locator(".st-key-lesson-bar")
    note = LESSON["steps"][3]["note"]["vi"]
    expect(bar.get_by_test_id("stExpander")).to_have_count(1)
    expect(bar.get_by_text(note)).not_to_be_visible()
    bar.get_by_test_id("stExpander").get_by_text("Ghi chú cho giảng viên").click()
    expect(bar.get_by_text(note)).to_be_visible()
    lesson_link = page.get_by_test_id("stSidebar").get_by_role("link", name="Bài giảng")
    assert parse_qs(urlsplit(lesson_link.get_attribute("href")).query) == {
        "unit": ["20194"], "lesson": ["k75-a20"], "step": ["4"]}
    bar.get_by_role("link", name="Rời bài giảng").click()
    page.wait_for_url(lambda url: "lesson=" not in url)
    wait_for_app(page)
    assert query(page) == {"unit": ["20194"]}
    expect(page.locator(".st-key-lesson-bar")).to_have_count(0)

"""Smart-city digest and merger map at projector and phone sizes: page length, names, highlight, taps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    SIZES,
    assert_no_exception,
    new_context,
    open_view,
    query,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
HAS_UNIT = re.compile(r"[?&]unit=\d{5}")
SCREENS = 4
MAIN_HEIGHT = "document.querySelector('[data-testid=stMain]').scrollHeight"
# The screen point at the centre of the largest unit shape whose centre lies inside the shape itself
# (plotly's geo overlay takes the pointer events, so the click goes to that point, found from the element).
SHAPE_CENTRE = """() => {
    const found = [...document.querySelectorAll('.st-key-merger-map path.choroplethlocation')].map(path => {
        const local = path.getBBox();
        const inside = path.isPointInFill(new DOMPoint(local.x + local.width / 2, local.y + local.height / 2));
        const box = path.getBoundingClientRect();
        return {inside, area: box.width * box.height, x: box.x + box.width / 2, y: box.y + box.height / 2};
    }).filter(item => item.inside && item.area > 0).sort((a, b) => b.area - a.area);
    return found.length ? {x: found[0].x, y: found[0].y} : null;
}"""


@pytest.fixture
def sized(browser, request):
    ctx = new_context(browser, size=request.param, offline=True)
    yield ctx.new_page(), request.param
    ctx.close()


@pytest.mark.parametrize("sized", ["projector", "phone"], indirect=True)
def test_smart_city_default_page_is_short(sized, server):
    page, size = sized
    open_view(page, server, "/smart-city")
    assert_no_exception(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(re.compile(r"^Khai trương ngày 14/8/2023"))).to_be_visible()
    height = page.evaluate(MAIN_HEIGHT)
    screenshot(page, f"views-smart-city-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    if size == "projector":
        assert height <= SCREENS * SIZES[size][1], f"{height} px is more than {SCREENS} screens"
        expect(page.get_by_test_id("stMetric").first).to_be_in_viewport()


def test_ioc_link_shows_figures_before_the_milestones(page, server):
    open_view(page, server, "/smart-city?domain=ioc")
    assert_no_exception(page)
    cards = page.locator(".st-key-smart-city-cards [data-testid=stMetric]")
    milestones = page.locator(".st-key-smart-city-milestones")
    expect(cards.first).to_be_attached()
    assert cards.first.bounding_box()["y"] < milestones.bounding_box()["y"]
    expect(milestones.get_by_text("UBND thành phố cùng Sở TT&TT")).to_be_hidden()  # folded
    assert query(page) == {"domain": ["ioc"]}


def test_picking_a_domain_shows_only_that_domain(page, server):
    open_view(page, server, "/smart-city?domain=dti")
    page.locator(".st-key-smart-city-domain-vi").get_by_role("radio", name="Dữ liệu mở").click()
    wait_for_app(page)
    assert query(page)["domain"] == ["open-data"]
    headers = page.get_by_test_id("stMain").get_by_test_id("stHeading").filter(has=page.locator("h2"))
    expect(headers).to_have_text(["Dữ liệu mở"])
    assert_no_exception(page)


@pytest.mark.parametrize("sized", ["projector", "phone"], indirect=True)
def test_map_names_units_and_highlights_the_open_one(sized, server):
    page, size = sized
    open_view(page, server, "/merger?unit=20194")
    plot = page.locator(".st-key-merger-map .js-plotly-plot")
    expect(plot.locator("path.choroplethlocation").first).to_be_attached(timeout=20000)
    names = plot.locator("g.geolayer text, g.layer text").filter(has_not=page.locator("tspan.line"))
    expect(names.filter(has_text=re.compile(r"^Bến Giằng$"))).to_have_count(1)  # the largest commune, named
    assert names.count() >= 10
    bold = plot.locator("text").evaluate_all(
        "texts => texts.filter(t => t.textContent === 'Hải Vân' && getComputedStyle(t).fontWeight >= 700).length")
    assert bold == 1  # the open unit's name, in bold over its highlighted shape
    highlighted = plot.locator("path.choroplethlocation").evaluate_all(
        "paths => paths.filter(p => getComputedStyle(p).fill === 'rgb(240, 228, 66)').length")
    assert highlighted == 1
    expect(plot.locator(".modebar")).to_have_count(0)
    screenshot(page, f"views-merger-unit-{size}")
    assert_no_exception(page)


@pytest.mark.parametrize("sized", ["projector", "phone"], indirect=True)
def test_a_tap_on_the_map_opens_details_in_view(sized, server):
    page, size = sized
    open_view(page, server, "/merger")
    plot = page.locator(".st-key-merger-map .js-plotly-plot")
    expect(plot.locator("path.choroplethlocation").first).to_be_attached(timeout=20000)
    plot.evaluate("el => el.scrollIntoView({block: 'start'})")
    centre = page.wait_for_function(SHAPE_CENTRE).json_value()
    page.mouse.click(centre["x"], centre["y"])
    page.wait_for_url(HAS_UNIT)
    # Not wait_for_app: it scrolls back to the top, and where the reader is looking is the point here.
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    details = page.locator(".st-key-merger-unit-view")
    expect(details.get_by_role("heading").first).to_be_in_viewport()
    screenshot(page, f"views-merger-tap-{size}")
    assert_no_exception(page)

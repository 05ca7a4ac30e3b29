"""Every page in a real browser: projector and phone sizes, offline, accessibility, document language."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from core import i18n, nav
from tests.browser.conftest import (
    SIZES,
    assert_no_exception,
    new_context,
    open_view,
    screenshot,
)

PAGES = [spec.key for spec in nav.PAGES]
PLACEHOLDER = i18n.strings("vi")["frame.being_built"]
OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const doc = document.documentElement;
  return Math.max(doc.scrollWidth - doc.clientWidth, main ? main.scrollWidth - main.clientWidth : 0);
}"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", PAGES)
def test_page_renders_at_size(browser, server, key, size):
    ctx = new_context(browser, size)
    page = ctx.new_page()
    try:
        open_view(page, server, nav.href(key))
        assert_no_exception(page)
        assert page.get_by_test_id("stHeading").count() >= 1
        assert PLACEHOLDER not in page.inner_text("body"), f"{key} still shows the 'being built' note"
        if size == "phone":
            assert page.evaluate(OVERFLOW_JS) <= 1, f"{key} overflows horizontally on a phone"
        screenshot(page, f"{key}_{size}")
    finally:
        ctx.close()


@pytest.mark.parametrize("key", PAGES)
def test_page_works_offline(browser, server, key):
    ctx = new_context(browser, "projector", offline=True)
    outside = []
    ctx.on("requestfailed", lambda req: outside.append(req.url))
    page = ctx.new_page()
    try:
        open_view(page, server, nav.href(key))
        assert_no_exception(page)
        assert page.get_by_test_id("stHeading").count() >= 1
        assert [u for u in outside if "127.0.0.1" not in u] == []
        screenshot(page, f"{key}_offline")
    finally:
        ctx.close()


@pytest.mark.parametrize("key", PAGES)
def test_no_serious_accessibility_violations(page, server, key):
    open_view(page, server, nav.href(key))
    results = Axe().run(page, context={"include": [["[data-testid='stMain']"]]})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_document_language_follows_the_ui(page, server, lang):
    open_view(page, server, f"/?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang


def test_charts_have_alt_text_or_table(page, server):
    for key in ("timeline", "merger", "smart-city"):
        open_view(page, server, nav.href(key))
        charts = page.locator(".js-plotly-plot")
        for index in range(charts.count()):
            holder = charts.nth(index).locator("xpath=ancestor::*[@aria-label or @role='img'][1]")
            assert holder.count() >= 1, f"chart {index} on {key} has no accessible label"

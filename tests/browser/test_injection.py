"""Script and HTML payloads in data records and links are shown as text and never run."""

import shutil
from urllib.parse import quote

import pytest

from core import catalog
from tests.browser.conftest import (
    DATA_ROOT,
    assert_no_exception,
    new_context,
    open_view,
    start_server,
)

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = "<img src=x onerror=\"window.__pwned = 2\">"
EVENT = f"""
- id: injection-test-event
  date: 2025-07-02
  title: {{vi: '{IMG} Sự kiện thử', en: '{IMG} Test event'}}
  summary: {{vi: '{SCRIPT} Tóm tắt', en: '{SCRIPT} Summary'}}
  topics: [merger]
  actors: ['{IMG}']
  sources: [injection-test-source]
  confidence: high
  highlight: true
"""
SOURCE = f"""
- id: injection-test-source
  title: '{SCRIPT} Nguồn thử'
  publisher: '{IMG} NXB'
  url: https://example.org/a?b=c(d)
  published: 2025-07-02
  accessed: 2026-11-27
  language: vi
  kind: press
  confidence: high
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA_ROOT, root, ignore=shutil.ignore_patterns("_staging"))
    with open(root / "events.yaml", "a", encoding="utf-8") as fh:
        fh.write(EVENT)
    with open(root / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write(SOURCE)
    catalog.write_manifest(root)
    assert catalog.build(root).all_problems() == []
    with start_server(root) as app:
        yield app.base_url


@pytest.mark.parametrize("path", [
    "/",
    "/timeline?event=injection-test-event",
    "/timeline?q=" + quote(SCRIPT),
    "/sources?q=" + quote("NXB"),
    "/merger?q=" + quote(IMG),
])
def test_payloads_render_as_text(browser, hostile_server, path):
    ctx = new_context(browser)
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        open_view(page, hostile_server, path)
        assert_no_exception(page)
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
        assert page.locator("[data-testid='stMain'] script:not([src])").filter(has_text="__pwned").count() == 0
        if path == "/":
            assert "<img src=x" in page.get_by_test_id("stMain").inner_text()
    finally:
        ctx.close()

"""The sources page in a real browser: deep link, layout at both sizes, real CSV and zip downloads."""

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from core import catalog, exports, i18n
from tests.browser.conftest import assert_no_exception, new_context, open_view, query, screenshot

pytestmark = pytest.mark.browser
BOM = b"\xef\xbb\xbf"
VI = i18n.strings("vi")


def download(page, label: str) -> tuple[str, bytes]:
    """Click the download button with this label; return the file name and bytes received."""
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label).first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30000) as info:
        button.get_by_role("button").click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_legal_sources_render_at_both_sizes(browser, server, size):
    context = new_context(browser, size=size, offline=True)
    page = context.new_page()
    try:
        open_view(page, server, "/sources?kind=legal")
        assert_no_exception(page)
        assert query(page)["kind"] == ["legal"]
        assert page.get_by_test_id("stDataFrame").count() == 1
        assert page.get_by_text("2.819.900").count() >= 1
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page is {overflow}px wider than the {size} screen"
        screenshot(page, f"sources-legal-{size}")
    finally:
        context.close()


def test_filtered_csv_download_starts_with_bom(page, server):
    open_view(page, server, "/sources?kind=legal")
    release = catalog.build().release
    name, data = download(page, VI["sources.dl.csv"])
    assert data.startswith(BOM)
    assert name == exports.file_name("sources", release, "csv", filtered=True)
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    legal = {s.id for s in catalog.build()["sources"].records if s.kind == "legal"}
    assert set(rows["id"]) == legal
    assert_no_exception(page)


def test_filtered_zip_readme_names_the_link(page, server):
    open_view(page, server, "/sources?kind=legal&confidence=high")
    name, data = download(page, VI["sources.downloads.zip_filtered"])
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.md").decode("utf-8")
    release = catalog.build().release
    assert release.version in readme and release.as_of.isoformat() in readme
    assert "/sources?" in readme and "kind=legal" in readme and "confidence=high" in readme
    assert name == exports.bundle_name(release, filtered=True)


def test_full_zip_holds_every_dataset(page, server):
    open_view(page, server, "/sources")
    name, data = download(page, VI["sources.downloads.zip"])
    release = catalog.build().release
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert name == exports.bundle_name(release)
    assert {exports.file_name(d, release, "csv") for d in exports.DATASETS} <= set(archive.namelist())
    assert VI["sources.readme.filtered"] not in archive.read("README.md").decode("utf-8")


def test_a_provenance_fold_shows_its_licence_when_opened(page, server):
    open_view(page, server, "/sources")
    fold = page.get_by_test_id("stExpander").filter(has_text=VI["sources.dataset.units"]).first
    fold.scroll_into_view_if_needed()
    fold.locator("summary").click()
    fold.get_by_text(VI["sources.provenance.licence"]).wait_for(timeout=15000)
    assert_no_exception(page)

"""Every registered page runs without an exception: standalone and through the entrypoint."""

import pytest
from streamlit.testing.v1 import AppTest

from core import i18n, nav, paths

TIMEOUT = 60
VI = i18n.strings("vi")


def title_of(key: str) -> set[str]:
    """A page's title as the locale file words it (the menu name, or '<page>.title')."""
    return {VI[k] for k in (f"nav.{key}", f"{key}.title") if k in VI}


@pytest.mark.parametrize("page", nav.PAGES, ids=lambda p: p.key)
def test_page_runs_standalone(page):
    at = AppTest.from_file(str(paths.ROOT / page.file), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value in title_of(page.key)


@pytest.mark.parametrize("page", nav.PAGES, ids=lambda p: p.key)
def test_page_runs_through_navigation(page):
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page(page.file).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value in title_of(page.key)


# Independent expected values: before the merger Đà Nẵng had 8 districts and 47 communes, Quảng
# Nam 17 districts and 233 communes; Resolution 1659/NQ-UBTVQH15 leaves one city of 94 communes
# and no district level (two-tier government from 1/7/2025).
HEADLINE = [("Đơn vị cấp tỉnh", "2 → 1"), ("Đơn vị cấp huyện", "25 → 0"), ("Đơn vị cấp xã", "280 → 94")]


def test_overview_headline_row_and_panel():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics[:3] == HEADLINE
    communes = [value for label, value in metrics[3:] if label == "Đơn vị cấp xã"]
    assert communes == ["47 đơn vị", "233 đơn vị", "94 đơn vị"]  # old Đà Nẵng, old Quảng Nam, new city
    values = [value for _, value in metrics]
    for expected in ("11.859,59 km²", "3.065.628 người"):
        assert values.count(expected) == 1
    assert all("Nguồn:" in (m.help or "") for m in at.metric)


def test_overview_in_english():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    values = [m.value for m in at.metric]
    assert "11,859.59 km²" in values and "94 units" in values


def test_bad_link_shows_notice():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"from": "2025-13-45", "foo": "bar"})
    at.run()
    assert not at.exception
    assert any("2025-13-45" in i.value and "foo" in i.value for i in at.info)

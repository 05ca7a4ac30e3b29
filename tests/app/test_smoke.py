"""Every registered page runs without an exception: standalone and through the entrypoint."""

import pytest
from streamlit.testing.v1 import AppTest

from core import nav, paths

TIMEOUT = 60


@pytest.mark.parametrize("page", nav.PAGES, ids=lambda p: p.key)
def test_page_runs_standalone(page):
    at = AppTest.from_file(str(paths.ROOT / page.file), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title


@pytest.mark.parametrize("page", nav.PAGES, ids=lambda p: p.key)
def test_page_runs_through_navigation(page):
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page(page.file).run()
    assert not at.exception, [e.value for e in at.exception]


def test_overview_shows_sourced_figures():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    labels = {m.label: m.value for m in at.metric}
    assert labels["Đơn vị cấp xã"] in {"47 đơn vị", "233 đơn vị", "94 đơn vị"}
    values = [m.value for m in at.metric]
    for expected in ("94 đơn vị", "47 đơn vị", "233 đơn vị", "11.859,59 km²", "3.065.628 người"):
        assert expected in values
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

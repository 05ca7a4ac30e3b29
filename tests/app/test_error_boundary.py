"""The error boundary: a page that raises keeps its frame, says so briefly and logs the traceback."""

import logging

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components import overview, timeline
from core import nav, paths

TIMEOUT = 60
MESSAGE = {"vi": "Không hiển thị được phần này", "en": "This part could not be shown"}


def _boom(*_args, **_kwargs):
    raise RuntimeError("forced failure for the test")


def _open(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _menu_labels(at: AppTest) -> list[str]:
    return [link.label for link in at.sidebar.get("page_link")]


def _has_share(at: AppTest) -> bool:
    return any(button.key == "share-open" for button in at.button)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_failing_part_keeps_the_frame(monkeypatch, caplog, lang):
    monkeypatch.setattr(overview, "headline_row", _boom)
    caplog.set_level(logging.ERROR, logger="tgbm.pages")
    at = _open({"lang": lang, "topic": "merger"} if lang == "en" else {"topic": "merger"})
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning if MESSAGE[lang] in w.value]
    reload = [link for link in at.main.get("page_link") if link.icon == ":material/refresh:"]
    assert len(reload) == 1
    # the link reloads this view: the overview page with the link's own parameters
    expected = {"topic": "merger", **({"lang": "en"} if lang == "en" else {})}
    assert reload[0].proto.page.endswith("overview.py") or reload[0].proto.page == ""
    assert dict(reload[0].proto.query_string and [kv.split("=") for kv in reload[0].proto.query_string.split("&")]) \
        == expected
    assert len(_menu_labels(at)) == len(nav.PAGES)  # the menu: every page
    assert at.sidebar.segmented_control(key="frame.lang").value == lang
    assert _has_share(at), "the share control is gone"
    footer = at.caption[-1].value
    assert footer.startswith("Dữ liệu phiên bản" if lang == "vi" else "Data version")
    traces = [r for r in caplog.records if r.name == "tgbm.pages" and r.exc_info]
    assert len(traces) == 1 and "forced failure for the test" in str(traces[0].exc_info[1])


def test_a_failing_timeline_keeps_its_frame(monkeypatch):
    monkeypatch.setattr(timeline, "toolbar", _boom)
    at = _open({"topic": "merger"}, page="pages/timeline.py")
    assert not at.exception
    assert [w for w in at.warning if MESSAGE["vi"] in w.value]
    assert len(_menu_labels(at)) == len(nav.PAGES) and _has_share(at)


def test_control_flow_passes_through(monkeypatch):
    """st.stop inside a page is not an error: no message, nothing logged."""
    monkeypatch.setattr(overview, "headline_row", lambda *_a, **_k: st.stop())
    at = _open({})
    assert not at.exception
    assert not [w for w in at.warning if MESSAGE["vi"] in w.value]
    assert not _has_share(at)  # the run stopped where the page said so


def test_switch_page_passes_through(monkeypatch):
    monkeypatch.setattr(overview, "headline_row", lambda *_a, **_k: st.switch_page("pages/sources.py"))
    at = _open({})
    assert not at.exception
    assert not [w for w in at.warning if MESSAGE["vi"] in w.value]
    assert at.title[0].value == "Nguồn và dữ liệu" or "Nguồn" in at.title[0].value

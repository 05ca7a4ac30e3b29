"""Load test: 60 sessions open the heaviest link at once over Streamlit's websocket protocol."""

from __future__ import annotations

import pytest
import yaml

from core import catalog
from harness import streamlit_ws as sw
from tests.loops import run_apart

pytestmark = pytest.mark.browser

SESSIONS = 60
# The merger page with a unit selected: the most bytes (map + tables) and three plotly charts.
HEAVIEST = "/merger?unit=20194"
TIMEOUT = 120  # per session; the whole burst gets 30 s more, then everything is closed


@pytest.fixture(scope="module")
def app_server():
    with sw.start_server("app.py") as server:
        yield server


def test_sixty_sessions_on_the_heaviest_link_all_finish_cleanly(app_server):
    results = run_apart(sw.burst(app_server.base_url, HEAVIEST, SESSIONS, timeout=TIMEOUT))
    statuses = [r.status for r in results]
    assert len(results) == SESSIONS
    assert statuses.count(sw.SUCCESS) == SESSIONS, sorted(set(statuses))
    assert [e for r in results for e in r.exceptions] == []
    assert {r.page for r in results} == {"merger"}
    assert not any(r.page_not_found for r in results)
    assert all(r.elements["plotly_chart"] > 0 for r in results)


def test_client_sees_the_linked_page_with_its_query(app_server):
    filtered = run_apart(sw.open_and_run(app_server.base_url, "/timeline?topic=merger"))
    unfiltered = run_apart(sw.open_and_run(app_server.base_url, "/timeline"))
    lead = yaml.safe_load((sw.ROOT / "core/locales/vi/timeline.yaml").read_text(encoding="utf-8"))
    assert filtered.ok and unfiltered.ok
    assert filtered.page == "timeline"
    assert lead["timeline.lead"] in filtered.text()
    others = [e.title.vi for e in catalog.build()["events"].records if "merger" not in e.topics]
    seen_filtered = sum(title in filtered.text() for title in others)
    seen_unfiltered = sum(title in unfiltered.text() for title in others)
    assert seen_unfiltered > 0
    assert seen_filtered < seen_unfiltered


def test_client_reports_unknown_pages_and_refuses_other_hosts(app_server):
    result = run_apart(sw.open_and_run(app_server.base_url, "/no-such-page"))
    assert result.page_not_found
    assert not result.ok
    with pytest.raises(ValueError, match="non-loopback"):
        sw.Session("http://example.org:8501")

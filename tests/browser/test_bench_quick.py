"""The benchmark tooling works end to end (`--quick`); speed targets are NOT asserted here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks import report, run
from harness.streamlit_ws import ROOT, SUCCESS
from tests.browser.conftest import CHROMIUM, missing

pytestmark = pytest.mark.browser

MEASURES = ("first_open_ms", "load_ms", "load_bytes", "largest_message_bytes", "warm_median_ms",
            "browser_median_ms")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    if not CHROMIUM:  # the browser figures would be None
        missing("Chromium")
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)],
                   cwd=ROOT, check=True, timeout=600, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_page_and_the_baseline_have_positive_figures_and_no_errors(result):
    assert list(result["pages"]) == [link for _, link in run.LINKS]
    for label, entry in [*result["pages"].items(), ("baseline", result["baseline"])]:
        for key in MEASURES:
            assert entry[key] is not None and entry[key] > 0, (label, key, entry[key])
        assert entry["status"] == SUCCESS, label
        assert entry["exceptions"] == [] and not entry["page_not_found"], label
        assert entry["warm_errors"] == 0 and entry["browser_errors"] == [], label


def test_bursts_data_and_targets_are_reported(result):
    for name in ("heaviest", "baseline"):
        burst = result["burst"][name]
        assert burst["errors"] == 0 and burst["exceptions"] == 0
        assert burst["finished"] == burst["sessions"] == run.SETTINGS["quick"]["burst"]
        assert 0 < burst["p50_ms"] <= burst["p95_ms"] <= burst["max_ms"]
        assert burst["rss_peak_mb"] > 0
    assert result["data"]["cold"]["build_median_ms"] > 0
    assert result["data"]["lookup"]["max_ms"] > 0
    assert [row["id"] for row in result["targets"]] == [t[0] for t in report.TARGETS]
    live_rows = {"live_p95_s", "live_runs_per_move", "live_missed"}  # the live room is not part of --quick
    assert result["live"] is None
    assert all((row["value"] is None) == (row["id"] in live_rows) for row in result["targets"]), result["targets"]


def test_every_link_has_its_cost_against_the_fixed_page(result):
    from benchmarks import page_cost

    costs = result["page_cost"]
    assert [row["link"] for row in costs["links"]] == [link for _, *both in page_cost.LINKS for link in both]
    assert costs["fixed"]["cpu_ms"] > 0 and costs["fixed"]["per_message_ms"] > 0
    for row in costs["links"]:
        assert row["errors"] == 0 and row["cpu_ms"] >= 0 and row["messages"] > 0, row
        assert row["met"] == (row["ratio"] <= page_cost.LIMIT), row

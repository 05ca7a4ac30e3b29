"""Benchmark the app against benchmarks/baseline_app.py: `python -m benchmarks.run [--quick] [--out F]`.

Starts both apps on loopback, then measures, side by side, in one run:
1. per page link: one fresh session's first run (bytes, largest message) and the median warm
   rerun time over Streamlit's websocket protocol;
2. a burst of sessions opening the heaviest page's link (and the baseline) at once;
3. time to a fully rendered page in headless Chromium;
4. cold data load + validation, and the old→new lookup.
Prints a table with PASS/MISS per target (benchmarks/report.py) and writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import streamlit

from benchmarks import live, measure_browser, measure_data, measure_ws, page_cost, report
from core import nav
from harness import streamlit_ws as sw

SCHEMA = 1
BASELINE_SCRIPT = "benchmarks/baseline_app.py"
# A typical shared link for every page; the benchmark runs each one.
LINKS = (
    ("overview", "/"),
    ("timeline", "/timeline?topic=merger&from=2025-06-01&to=2025-07-31"),
    ("merger", "/merger?q=hoa%20lien"),
    ("merger", "/merger?unit=20194"),
    ("training", "/training?trip=k75-a20-danang-2025-07-07"),
    ("smart-city", "/smart-city?domain=dti"),
    ("sources", "/sources?kind=legal"),
    ("lesson", "/lesson?lesson=k75-a20&step=1"),
    ("country", "/country?q=hoa%20lien"),
)
SETTINGS = {
    "full": {"warm_reps": 25, "burst": 60, "browser_reps": 5, "cold_reps": 5, "lookup_reps": 5, "timeout": 60,
             "cost_runs": 30, "cost_variants": ("vi", "en", "present")},
    "quick": {"warm_reps": 3, "burst": 10, "browser_reps": 1, "cold_reps": 2, "lookup_reps": 1, "timeout": 60,
              "cost_runs": 3, "cost_variants": ("vi",)},
}
PHASES: dict[str, float] = {}  # seconds spent in each part, to keep --quick quick


@contextmanager
def phase(name: str):
    """Time one part of the benchmark and say on stderr what is running."""
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    yield
    PHASES[name] = round(time.perf_counter() - started, 1)


def is_stub(page_key: str) -> bool:
    """A page still showing the 'being built' notice instead of its content."""
    source = (sw.ROOT / nav.BY_KEY[page_key].file).read_text(encoding="utf-8")
    return "frame.being_built" in source


def measure_servers(app: sw.Server, base: sw.Server, settings: dict, with_browser: bool) -> dict:
    """Parts 1–3 of the benchmark; returns per-label figures and the bursts."""
    timeout = settings["timeout"]
    targets = [(link, app.base_url, link) for _, link in LINKS] + [("baseline", base.base_url, "/")]
    with phase("first opens"):
        first = asyncio.run(measure_ws.first_opens(targets, timeout))
    with phase("page loads and warm reruns"):
        warm = asyncio.run(measure_ws.warm_runs(targets, settings["warm_reps"], timeout))
    heaviest = max((link for _, link in LINKS), key=lambda link: warm[link]["warm_median_ms"] or 0)
    with phase("bursts"):
        bursts = {
            "heaviest": measure_ws.run_burst(app, heaviest, settings["burst"], timeout),
            "baseline": measure_ws.run_burst(base, "/", settings["burst"], timeout),
        }
    browser = {}
    if with_browser:
        plotly = [(label, url, link, bool(warm[label]["load"]["elements"].get("plotly_chart")))
                  for label, url, link in targets]
        with phase("browser"):
            browser = measure_browser.render_times(plotly, settings["browser_reps"], timeout * 1000)
    return {"first": first, "warm": warm, "browser": browser, "bursts": bursts}


def page_entry(label: str, page_key: str, measured: dict) -> dict:
    """The stable per-page record of the JSON output."""
    warm, browser = measured["warm"][label], measured["browser"].get(label, {})
    load = warm["load"]
    return {
        "page": page_key, "stub": is_stub(page_key) if page_key != "baseline" else False,
        "status": load["status"], "exceptions": load["exceptions"], "page_not_found": load["page_not_found"],
        "first_open_ms": measured["first"][label]["ms"], "load_ms": load["ms"],
        "load_bytes": load["bytes"], "load_messages": load["messages"],
        "largest_message_bytes": load["largest_message_bytes"],
        "largest_message_kind": load["largest_message_kind"], "elements": load["elements"],
        "warm_median_ms": warm["warm_median_ms"], "warm_p90_ms": warm["warm_p90_ms"],
        "warm_runs": warm["warm_runs"], "warm_errors": warm["warm_errors"],
        "browser_median_ms": browser.get("median_ms"), "browser_runs": browser.get("runs", 0),
        "browser_errors": browser.get("errors", []), "browser_exceptions": browser.get("exceptions_shown"),
    }


def assemble(measured: dict, data: dict, quick: bool, settings: dict, load_before: str) -> dict:
    base = page_entry("baseline", "baseline", measured)
    pages = {link: page_entry(link, key, measured) for key, link in LINKS}
    for entry in pages.values():
        entry["ratios"] = {
            "warm": report.ratio(entry["warm_median_ms"], base["warm_median_ms"]),
            "browser": report.ratio(entry["browser_median_ms"], base["browser_median_ms"]),
            "bytes": report.ratio(entry["load_bytes"], base["load_bytes"]),
        }
    bursts = measured["bursts"]
    bursts["p95_ratio"] = report.ratio(bursts["heaviest"]["p95_ms"], bursts["baseline"]["p95_ms"])
    result = {
        "schema": SCHEMA, "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick, "settings": settings,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "streamlit": streamlit.__version__, "load_before": load_before,
                    "load_after": _load_avg()},
        "notes": [
            "bytes: websocket payload of one fresh session's first full run; static JS/CSS not counted",
            "warm: rerun_script -> script_finished on a connected session, after one warm-up run",
            "burst: each session's time from the burst's start to its script_finished",
            "browser: goto -> stApp CONNECTED + notRunning, no stSkeleton, plotly charts drawn; "
            "static assets cached by a discarded first load",
        ],
        "pages": pages, "baseline": base, "burst": bursts, "data": data, "phase_seconds": dict(PHASES),
    }
    result["targets"] = report.check(result)
    return result


def _load_avg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions, for a smoke test")
    parser.add_argument("--out", default="benchmarks/results/latest.json", help="JSON output file")
    parser.add_argument("--no-browser", action="store_true", help="skip part 3 (no Chromium)")
    # The baseline is "the least such a page can cost", so by default its data
    # load is cached; --naive-baseline re-reads the YAML on every run instead.
    parser.add_argument("--naive-baseline", action="store_true",
                        help="re-read the baseline's data on every run (a looser baseline)")
    parser.add_argument("--no-live", action="store_true",
                        help="skip the live room (60 followers, 12 moves: about 3 min; never in --quick)")
    parser.add_argument("--cluster", action="store_true",
                        help="instead: class bursts against one process and 2/4 replicas behind nginx "
                             "(benchmarks/cluster.py; JSON to benchmarks/results/cluster.json)")
    args = parser.parse_args(argv)
    if args.cluster:
        from benchmarks import cluster

        out = args.out if args.out != parser.get_default("out") else "benchmarks/results/cluster.json"
        cluster.run_benchmark(args.quick, Path(out))
        return 0
    settings = SETTINGS["quick" if args.quick else "full"]
    with_browser = not args.no_browser and measure_browser.available()
    load_before = _load_avg()
    with phase("cold data load"):
        cold = measure_data.cold_summary(settings["cold_reps"])
    with phase("lookup"):
        data = {"cold": cold, "lookup": measure_data.in_subprocess("lookup", settings["lookup_reps"])}
    lean = not args.naive_baseline
    base_env = {"TGBM_BASELINE_LEAN": "1" if lean else "0"}
    with sw.start_server("app.py") as app, sw.start_server(BASELINE_SCRIPT, extra_env=base_env) as base:
        measured = measure_servers(app, base, settings, with_browser)
    with phase("page cost"):  # its own servers: the app and the fixed-cost page
        costs = page_cost.measure(settings["cost_runs"], variants=settings["cost_variants"])
    live_result = None
    if not args.quick and not args.no_live:
        with phase("live room"):
            live_result = asyncio.run(live.run(60, 12, 10.0, 30.0))
    result = assemble(measured, data, args.quick, settings, load_before)
    result["page_cost"], result["live"] = costs, live_result
    result["targets"] = report.check(result)
    result["baseline"]["lean"] = lean
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report.table(result))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

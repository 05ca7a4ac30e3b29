"""What Streamlit's elements alone cost the browser: `python -m benchmarks.paint_floor`.

First paint (goto → connected, script done, no skeleton, every plotly chart drawn; the method of
`benchmarks.run`, `benchmarks/measure_browser.py`) of the baseline page, of each page the benchmark
measures (`LINKS` in benchmarks/run.py), and of its **floor**: the fixed-cost page
(`benchmarks/fixed_cost_app.py`) drawing as many elements as that page's first run sends, its
charts, tables, metrics, buttons and selects as small ones of the same kind and everything else
as one line of Markdown. No app code
runs on the fixed page, so where a floor paints later than the baseline, that page's first-paint
target is out of reach of the app's own work without drawing fewer elements.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path

from benchmarks import measure_browser
from harness import streamlit_ws as sw

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "paint-floor.json"
FIXED = "benchmarks/fixed_cost_app.py"
BASELINE = "benchmarks/baseline_app.py"


# Which probe of the fixed page stands for an element kind; any other kind is drawn as Markdown.
PROBE_OF = {"plotly_chart": "plotly", "dataframe": "dataframe", "table": "dataframe", "metric": "metric",
            "button": "button", "page_link": "button", "download_button": "button", "button_group": "segmented",
            "selectbox": "selectbox", "multiselect": "selectbox", "text_input": "selectbox"}


def composition(elements: dict) -> dict[str, int]:
    """The fixed page's probes standing for a page's elements: each kind by its probe (a small chart,
    a ten-row table, a plain button, a three-option select …), the rest as one line of Markdown."""
    parts: dict[str, int] = {}
    for kind, count in sorted(elements.items()):
        probe = PROBE_OF.get(kind, "markdown")
        parts[probe] = parts.get(probe, 0) + count
    return parts


def floor_link(parts: dict[str, int]) -> str:
    return "/?" + "&".join(f"{kind}={n}" for kind, n in parts.items() if n)


def measure(reps: int) -> dict:
    from benchmarks.run import LINKS

    with sw.start_server("app.py") as app, sw.start_server(FIXED) as fixed, sw.start_server(BASELINE, extra_env={"TGBM_BASELINE_LEAN": "1"}) as base:
        parts = {}
        for _, link in LINKS:  # a fresh session's first run: every element is sent
            first = asyncio.run(sw.open_and_run(app.base_url, link, timeout=60))
            parts[link] = composition(dict(first.elements))
        targets = [("baseline", base.base_url, "/", True)]
        for _, link in LINKS:
            targets += [(link, app.base_url, link, parts[link].get("plotly", 0) > 0),
                        (f"floor {link}", fixed.base_url, floor_link(parts[link]), parts[link].get("plotly", 0) > 0)]
        times = measure_browser.render_times(targets, reps)
    baseline = times["baseline"]["median_ms"]

    def ratio(label: str) -> float | None:
        ms = times[label]["median_ms"]
        return round(ms / baseline, 2) if baseline and ms else None

    rows = [{"link": link, "elements": parts[link], "ms": times[link]["median_ms"], "ratio": ratio(link),
             "floor_ms": times[f"floor {link}"]["median_ms"], "floor_ratio": ratio(f"floor {link}"),
             "errors": times[link]["errors"] + times[f"floor {link}"]["errors"]} for _, link in LINKS]
    return {"reps": reps, "baseline_ms": baseline, "load_average": os.getloadavg(), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not measure_browser.available():
        raise SystemExit("needs Chromium (apt-get install chromium)")
    result = measure(args.reps)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"baseline page: {result['baseline_ms']} ms (median of {args.reps} loads)")
    print(f"{'link':58} {'page':>14} {'Streamlit floor':>16}  floor elements")
    for row in result["rows"]:
        print(f"{row['link'][:58]:58} {row['ms']!s:>7} ({row['ratio']}×) {row['floor_ms']!s:>7} "
              f"({row['floor_ratio']}×)  {floor_link(row['elements'])}")

if __name__ == "__main__":
    main()

"""What Streamlit's elements alone cost the browser: `python -m benchmarks.paint_floor`.

First paint (goto → connected, script done, no skeleton, every plotly chart drawn; the method of
`benchmarks.run`, `benchmarks/measure_browser.py`) of the baseline page, of each page the benchmark
measures (`LINKS` in benchmarks/run.py), and of its **floor**: the fixed-cost page
(`benchmarks/fixed_cost_app.py`) drawing as many elements as that page's first run sends, its
charts, tables, metrics, buttons and selects as small ones of the same kind and everything else
as one line of Markdown. No app code
runs on the fixed page, so where a floor paints later than the baseline, that page's first-paint
target is out of reach of the app's own work without drawing fewer elements.

The **replay** goes one step further: the same messages the page's first run sent (its page
config, elements and blocks, with their real content: the map, the long table), sent again
unchanged by `benchmarks/replay_app.py`, which runs no app code. What the page takes beyond its
replay is the app's own work (its script run, its frame's scripts); the replay's own time is what
Streamlit and plotly.js need to draw that content.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import struct
import tempfile
from pathlib import Path

from benchmarks import measure_browser
from harness import streamlit_ws as sw

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "paint-floor.json"
FIXED = "benchmarks/fixed_cost_app.py"
BASELINE = "benchmarks/baseline_app.py"
REPLAY = "benchmarks/replay_app.py"
# What a replay sends again: the page config and the elements and blocks (not the run's own
# bookkeeping: new session, navigation, page info, script finished).
REPLAYED = ("delta", "page_config_changed")


class Recorder(sw.Session):
    """A session that keeps the messages of its last script run that a replay sends again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded: list[bytes] = []

    def _handle(self, msg, kind: str, result) -> bool:
        if kind == "new_session":  # a run that ended early (a step link's switch) is not drawn
            self.recorded = []
        elif kind in REPLAYED:
            self.recorded.append(msg.SerializeToString())
        return super()._handle(msg, kind, result)


def pack(messages: list[bytes]) -> bytes:
    """The replay file: each message's length (4 bytes, big-endian), then its bytes."""
    return b"".join(struct.pack(">I", len(m)) + m for m in messages)


async def record(base_url: str, link: str) -> tuple[dict, bytes]:
    """A fresh session's first run of `link`: its element counts, and its messages for a replay."""
    session = Recorder(base_url, timeout=60)
    result = await sw.open_and_run(base_url, link, session=session)
    if not result.ok:
        raise RuntimeError(f"{link}: {result.status} {result.exceptions}")
    return dict(result.elements), pack(session.recorded)


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
    with tempfile.TemporaryDirectory(prefix="tgbm-replay-") as folder:
        return _measure(reps, Path(folder))


def _measure(reps: int, records: Path) -> dict:
    from benchmarks.run import LINKS

    with sw.start_server("app.py") as app, sw.start_server(FIXED) as fixed, \
            sw.start_server(BASELINE, extra_env={"TGBM_BASELINE_LEAN": "1"}) as base, \
            sw.start_server(REPLAY, extra_env={"TGBM_REPLAY_DIR": str(records)}) as replay:
        parts = {}
        for number, (_, link) in enumerate(LINKS):  # a fresh session's first run: every element is sent
            elements, messages = asyncio.run(record(app.base_url, link))
            parts[link] = composition(elements)
            (records / f"{number}.bin").write_bytes(messages)
        targets = [("baseline", base.base_url, "/", True)]
        for number, (_, link) in enumerate(LINKS):
            plotly = parts[link].get("plotly", 0) > 0
            targets += [(link, app.base_url, link, plotly),
                        (f"replay {link}", replay.base_url, f"/?replay={number}", plotly),
                        (f"floor {link}", fixed.base_url, floor_link(parts[link]), plotly)]
        times = measure_browser.render_times(targets, reps)
    baseline = times["baseline"]["median_ms"]

    def ratio(label: str) -> float | None:
        ms = times[label]["median_ms"]
        return round(ms / baseline, 2) if baseline and ms else None

    rows = [{"link": link, "elements": parts[link], "ms": times[link]["median_ms"], "ratio": ratio(link),
             "replay_ms": times[f"replay {link}"]["median_ms"], "replay_ratio": ratio(f"replay {link}"),
             "floor_ms": times[f"floor {link}"]["median_ms"], "floor_ratio": ratio(f"floor {link}"),
             "errors": [e for label in (link, f"replay {link}", f"floor {link}") for e in times[label]["errors"]]}
            for _, link in LINKS]
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
    print(f"{'link':58} {'page':>14} {'replay':>14} {'small floor':>14}  floor elements")
    for row in result["rows"]:
        print(f"{row['link'][:58]:58} {row['ms']!s:>7} ({row['ratio']}×) {row['replay_ms']!s:>7} "
              f"({row['replay_ratio']}×) {row['floor_ms']!s:>7} ({row['floor_ratio']}×)  "
              f"{floor_link(row['elements'])}")
    print(f"load average after: {result['load_average']}")


if __name__ == "__main__":
    main()

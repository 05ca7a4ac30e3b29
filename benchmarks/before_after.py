"""The same measurements on an earlier checkout and on this one, in one run:
`python -m benchmarks.before_after --before DIR`.

DIR is another checkout of the project (e.g. `git worktree add /tmp/before <commit>`). Both apps
are started from this repository's root, so the same `.streamlit/config.toml` applies; each runs
its own code and data. In one run, on one machine, it measures for both:

1. every link of `benchmarks/page_cost.py` (Vietnamese): server CPU per warm rerun, as a multiple
   of the fixed-cost page measured in the same run (three rounds taking turns, the median kept);
2. 60 fresh sessions opening the heaviest link before at once (p95 until each script finished);
3. the live room (`benchmarks/live.py`): 60 followers, one lap through the K75.A20 lesson.

It prints a Markdown table (the README's before/after table) and writes JSON to
`benchmarks/results/before-after.json`. Run it on an otherwise idle machine; the load average
before and after is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import live, measure_ws, page_cost
from harness import streamlit_ws as sw

RESULTS = sw.ROOT / "benchmarks" / "results" / "before-after.json"
BURST_LINK = "/country?province=48"  # the heaviest link before (82 ms a run); measured on both


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(before: Path, runs: int, with_live: bool, moves: int, rounds: int = 3) -> dict:
    scripts = {"before": str(before / "app.py"), "after": "app.py"}
    load_before = _load()
    rows: dict[str, dict] = {}
    with sw.start_server(page_cost.FIXED_SCRIPT) as fixed, \
            sw.start_server(scripts["before"]) as old, sw.start_server(scripts["after"]) as new:
        base = [asyncio.run(page_cost.cost(fixed, "/", runs * 4))["cpu_ms"]]
        for _, *links in page_cost.LINKS:
            for link in links:
                # Rounds taking turns (before, after, before, …); each side's median round is kept.
                turns = {"before": [], "after": []}
                for _ in range(rounds):
                    for label, server in (("before", old), ("after", new)):
                        turns[label].append(asyncio.run(page_cost.cost(server, link, runs)))
                rows[link] = {label: sorted(found, key=lambda m: m["cpu_ms"])[len(found) // 2]
                              for label, found in turns.items()}
                print(f"[before_after] {link}: {rows[link]['before']['cpu_ms']} → {rows[link]['after']['cpu_ms']} ms",
                      file=sys.stderr, flush=True)
        base.append(asyncio.run(page_cost.cost(fixed, "/", runs * 4))["cpu_ms"])
        bursts = {label: measure_ws.run_burst(server, BURST_LINK, 60, 120)
                  for label, server in (("before", old), ("after", new))}
    lives = {}
    if with_live:
        for label, script in scripts.items():
            lives[label] = asyncio.run(live.run(60, moves, 10.0, 10.0, script=script))
    fixed_ms = sum(base) / len(base)
    for measured in rows.values():
        for entry in measured.values():
            entry["ratio"] = round(entry["cpu_ms"] / fixed_ms, 2)
    return {"generated": datetime.now(UTC).isoformat(timespec="seconds"), "before": str(before), "runs": runs,
            "rounds": rounds,
            "fixed_ms": round(fixed_ms, 2), "links": rows, "burst": bursts, "live": lives,
            "load_before": load_before, "load_after": _load(), "cpus": os.cpu_count()}


def table(result: dict) -> str:
    lines = [f"Fixed-cost page: {result['fixed_ms']:.1f} ms CPU per run; {result['runs']} warm reruns per link "
             f"and round, median of {result.get('rounds', 1)} rounds; "
             f"load average before {result['load_before']}, after {result['load_after']}", "",
             "| link | before ms (× fixed) | after ms (× fixed) | elements before → after |",
             "| --- | ---: | ---: | ---: |"]
    for link, m in result["links"].items():
        b, a = m["before"], m["after"]
        lines.append(f"| `{link}` | {b['cpu_ms']:.1f} ({b['ratio']:.1f}×) | {a['cpu_ms']:.1f} ({a['ratio']:.1f}×) "
                     f"| {b['elements']} → {a['elements']} |")
    b, a = result["burst"]["before"], result["burst"]["after"]
    lines += ["", "| measure | before | after | target |", "| --- | ---: | ---: | ---: |",
              f"| 60 sessions open `{BURST_LINK}` at once: p95 | {b['p95_ms'] / 1000:.2f} s | "
              f"{a['p95_ms'] / 1000:.2f} s | ≤ 1.5 s |"]
    lb, la = result["live"].get("before"), result["live"].get("after")
    if lb and la:
        lines += [
            f"| live room, 60 followers: move → redrawn p95 | {lb['latency_s']['p95']:.2f} s | "
            f"{la['latency_s']['p95']:.2f} s | ≤ 1.0 s |",
            f"| live room: followers that missed a move | {lb['latency_s']['missed']} | {la['latency_s']['missed']} | 0 |",
            f"| live room: script runs per follower per move | {lb['runs_per_follower_per_move']['all']:.2f} | "
            f"{la['runs_per_follower_per_move']['all']:.2f} | 1 |",
            f"| live room: server CPU while moving (% of a core) | {max(lb['cpu_pct_one_core']['while_moving']):.0f} | "
            f"{max(la['cpu_pct_one_core']['while_moving']):.0f} | |"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, type=Path, help="another checkout of the project")
    parser.add_argument("--runs", type=int, default=20, help="warm reruns per link and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per link (the median is kept)")
    parser.add_argument("--moves", type=int, default=6, help="lecturer moves in the live room (10 s apart)")
    parser.add_argument("--no-live", action="store_true")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    if not (args.before / "app.py").is_file():
        parser.error(f"{args.before} has no app.py")
    result = measure(args.before.resolve(), args.runs, not args.no_live, args.moves, args.rounds)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

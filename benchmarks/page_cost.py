"""Every link's page run as a multiple of Streamlit's fixed cost: `python -m benchmarks.page_cost`.

Starts the app and `benchmarks/fixed_cost_app.py` (a title, a line, a caption: what any page run
costs at the least) on loopback. For the typical and the heaviest link of every page, in
Vietnamese, in English (`lang=en`) and in presentation mode (`present=1`), one websocket session
opens the link, reruns it twice to fill the caches, then reruns it `--runs` times; the server's
CPU time over those reruns (all its threads: script, event loop, websocket; from /proc) divided by
the runs is the link's cost per run. The fixed page is measured the same way before and after the
links, and each link's ratio to the mean of the two is printed with PASS/MISS at `LIMIT`.

    python -m benchmarks.page_cost                 # every link, 3 variants, 30 reruns each
    python -m benchmarks.page_cost --quick         # 5 reruns each (a smoke run)
    python -m benchmarks.page_cost --only country  # the links of pages whose key contains "country"

Run it on an otherwise idle machine; the load average before and after is printed and stored in
`benchmarks/results/page-cost.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from harness import streamlit_ws as sw

FIXED_SCRIPT = "benchmarks/fixed_cost_app.py"
LIMIT = 3.0  # a link's run may cost at most this many fixed-cost runs
RESULTS = sw.ROOT / "benchmarks" / "results" / "page-cost.json"
TICKS = os.sysconf("SC_CLK_TCK")
# (page, typical link, heaviest link): the heaviest is the view with the most on screen.
LINKS = (
    ("overview", "/", "/?topic=merger,policy&from=2025-01-01&to=2025-12-31"),
    ("timeline", "/timeline?topic=merger&from=2025-06-01&to=2025-07-31", "/timeline?tab=table"),
    ("merger", "/merger?unit=20194", "/merger"),
    ("merger-views", "/merger?view=compare", "/merger?view=charts"),
    ("merger-list", "/merger?q=hoa%20lien", "/merger?view=list"),
    ("training", "/training?trip=k75-a20-danang-2025-07-07", "/training"),
    ("smart-city", "/smart-city?domain=dti", "/smart-city?domain=feedback"),
    ("country", "/country?q=hoa%20lien", "/country?province=48"),
    ("country-table", "/country", "/country?q=ba%20dinh%2C%20ha%20noi"),
    ("sources", "/sources?kind=legal", "/sources?q=1659"),
    ("lesson", "/lesson", "/lesson?lesson=k75-a20&print=1"),
    ("lesson-step", "/lesson?lesson=k75-a20", "/merger?unit=20194&lesson=k75-a20&step=4"),
    ("live", "/live", "/live?lesson=k75-a20"),
)
PROBE_ELEMENTS = 200  # the fixed page with this many more Markdown elements: Streamlit's price of one
# Streamlit's price of one more element of each kind (the fixed page with 100 more of them).
PRICE_PROBES = ("markdown", "button", "segmented", "selectbox", "metric", "columns", "expander")
VARIANTS = (("vi", ""), ("en", "lang=en"), ("present", "present=1"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def with_param(link: str, param: str) -> str:
    if not param:
        return link
    return f"{link}{'&' if '?' in link else '?'}{param}"


async def cost(server: sw.Server, link: str, runs: int) -> dict:
    """CPU and wall time per warm rerun of `link` on one connected session."""
    async with sw.Session(server.base_url, timeout=120) as session:
        first = await session.run(link)
        for _ in range(2):
            await session.rerun()
        before, started = cpu_seconds(server.pid), time.perf_counter()
        results = [await session.rerun() for _ in range(runs)]
        cpu, wall = cpu_seconds(server.pid) - before, time.perf_counter() - started
    bad = [r.status for r in results if r.status != sw.SUCCESS or r.exceptions]
    return {"cpu_ms": round(cpu * 1000 / runs, 2), "wall_ms": round(wall * 1000 / runs, 2),
            "elements": sum(first.elements.values()), "messages": results[-1].messages,
            "kinds": dict(results[-1].elements),
            "errors": len(bad) + len(first.exceptions)}


# Which probe prices an element kind of the app (the rest cost what a Markdown element costs).
PRICED_AS = {"button": "button", "page_link": "button", "download_button": "button", "button_group": "segmented",
             "selectbox": "selectbox", "multiselect": "selectbox", "text_input": "selectbox", "metric": "metric"}


def streamlit_share(row: dict, fixed: dict, price: dict[str, float], per_message: float) -> float:
    """What Streamlit itself charges for a link's run beyond the fixed page (ms CPU): each element
    at its kind's measured price, every other message (blocks, page info) at a Markdown's."""
    kinds = row.get("kinds", {})
    elements = sum(price.get(PRICED_AS.get(kind, "markdown"), per_message) * n for kind, n in kinds.items())
    others = max(0, row["messages"] - fixed["messages"] - sum(kinds.values()) + sum(fixed.get("kinds", {}).values()))
    return elements + others * per_message


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(runs: int, only: str = "", fixed_runs: int | None = None,
            variants: tuple[str, ...] = tuple(v for v, _ in VARIANTS)) -> dict:
    fixed_runs = fixed_runs or max(runs * 4, 20)
    rows, load_before = [], _load()
    with sw.start_server(FIXED_SCRIPT) as fixed, sw.start_server("app.py") as app:
        fixed_before = asyncio.run(cost(fixed, "/", fixed_runs))
        many = asyncio.run(cost(fixed, f"/?markdown={PROBE_ELEMENTS}", fixed_runs))
        for page, typical, heaviest in LINKS:
            if only and only not in page:
                continue
            for which, link in (("typical", typical), ("heaviest", heaviest)):
                for variant, param in VARIANTS:
                    if variant not in variants:
                        continue
                    full = with_param(link, param)
                    measured = asyncio.run(cost(app, full, runs))
                    rows.append({"page": page, "which": which, "variant": variant, "link": full, **measured})
                    print(f"[page_cost] {measured['cpu_ms']:6.1f} ms  {full}", file=sys.stderr, flush=True)
        fixed_after = asyncio.run(cost(fixed, "/", fixed_runs))
        prices = {kind: asyncio.run(cost(fixed, f"/?{kind}=100", max(runs, 10))) for kind in PRICE_PROBES}
    base = (fixed_before["cpu_ms"] + fixed_after["cpu_ms"]) / 2
    per_message = max(0.0, (many["cpu_ms"] - base) / max(1, many["messages"] - fixed_before["messages"]))
    price = {kind: max(0.0, (m["cpu_ms"] - base) / 100) for kind, m in prices.items()}
    for row in rows:
        row["ratio"] = round(row["cpu_ms"] / base, 2) if base else None
        floor = base + streamlit_share(row, fixed_before, price, per_message)
        row["streamlit_floor_ms"] = round(floor, 2)
        row["floor_ratio"] = round(floor / base, 2) if base else None
        row["met"] = row["ratio"] is not None and row["ratio"] <= LIMIT and not row["errors"]
    return {"generated": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs, "limit": LIMIT,
            "fixed": {"before": fixed_before, "after": fixed_after, "cpu_ms": round(base, 2),
                      "probe": many, "per_message_ms": round(per_message, 4),
                      "price_per_100_ms": {kind: round(m["cpu_ms"] - base, 2) for kind, m in prices.items()}},
            "load_before": load_before, "load_after": _load(), "cpus": os.cpu_count(), "links": rows}


def table(result: dict) -> str:
    fixed = result["fixed"]
    lines = [f"Fixed cost (a title, a line, a caption): {fixed['cpu_ms']:.2f} ms CPU per run "
             f"(before {fixed['before']['cpu_ms']:.2f}, after {fixed['after']['cpu_ms']:.2f}); "
             f"limit {result['limit']:.0f}× = {fixed['cpu_ms'] * result['limit']:.1f} ms",
             f"load average before {result['load_before']}, after {result['load_after']}; "
             f"{result['runs']} warm reruns per link",
             f"Streamlit's price of one more message (element or block): {fixed['per_message_ms']:.3f} ms "
             f"(the fixed page with {PROBE_ELEMENTS} more Markdown elements: {fixed['probe']['cpu_ms']:.1f} ms); "
             "'floor' = the fixed cost + each element at its kind's price + other messages at a Markdown's",
             "100 more of one kind cost (ms CPU per run): " + ", ".join(
                 f"{kind} {ms:.1f}" for kind, ms in fixed["price_per_100_ms"].items()), "",
             f"{'CPU ms':>7} {'× fixed':>8} {'msgs':>5} {'floor':>7}  {'':4}  link"]
    for row in result["links"]:
        verdict = "PASS" if row["met"] else "MISS"
        errors = f"  ({row['errors']} errors)" if row["errors"] else ""
        lines.append(f"{row['cpu_ms']:7.1f} {row['ratio']:7.2f}× {row['messages']:5d} {row['floor_ratio']:6.2f}×  "
                     f"{verdict}  {row['link']}{errors}")
    missed = [r for r in result["links"] if not r["met"]]
    worst = max(result["links"], key=lambda r: r["ratio"] or 0, default=None)
    lines += ["", f"{len(result['links']) - len(missed)}/{len(result['links'])} links within "
              f"{result['limit']:.0f}×" + (f"; worst {worst['ratio']:.2f}× {worst['link']}" if worst else "")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="5 reruns per link")
    parser.add_argument("--only", default="", help="only the pages whose key contains this")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    result = measure(5 if args.quick else args.runs, args.only)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

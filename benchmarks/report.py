"""The performance targets checked against the measured figures, and the printed table."""

from __future__ import annotations

from benchmarks import page_cost
from benchmarks.live import report as live_report

MB = 1_000_000  # 1.5 MB = 1 500 000 bytes
# (id, what, limit, unit); ratios are to the baseline app measured in the same run.
TARGETS = (
    ("warm_ratio", "warm script run ≤ 1.0× baseline (every page)", 1.0, "×"),
    ("page_cost_ratio", "CPU per run ≤ 3× fixed cost (every link, 3 variants)", 3.0, "×"),
    ("burst_p95_ratio", "60-session burst p95 ≤ 0.3× baseline's", 0.3, "×"),
    ("burst_p95_s", "60-session burst p95 ≤ 1.5 s (heaviest link)", 1.5, "s"),
    ("live_p95_s", "live room, 60 followers: move→redrawn p95 ≤ 1.0 s", 1.0, "s"),
    ("live_runs_per_move", "live room: script runs per follower per move ≤ 1", 1.0, "runs"),
    ("live_missed", "live room: followers that missed a move = 0", 0, "tabs"),
    ("page_bytes", "bytes per page load ≤ 1.5 MB (every page)", 1.5 * MB, "B"),
    ("browser_ratio", "first paint ≤ 1.0× baseline (every page)", 1.0, "×"),
    ("cold_load_s", "cold data load + validation ≤ 0.3 s", 0.3, "s"),
    ("lookup_ms", "old→new lookup ≤ 5 ms (slowest query)", 5.0, "ms"),
)


def ratio(value: float | None, base: float | None) -> float | None:
    return round(value / base, 3) if value is not None and base else None


def _worst(pages: dict, key) -> tuple[float | None, str]:
    values = [(key(p), link) for link, p in pages.items() if key(p) is not None]
    return max(values) if values else (None, "")


def check(result: dict) -> list[dict]:
    """One row per target: the worst measured value, where it occurs, and whether it is met."""
    pages, burst, data = result["pages"], result["burst"], result["data"]
    costs, live = result.get("page_cost") or {}, result.get("live") or {}
    worst_cost = max(costs.get("links", []), key=lambda r: r["ratio"] or 0, default=None)
    heaviest_p95 = burst.get("heaviest", {}).get("p95_ms")
    found = {
        "warm_ratio": _worst(pages, lambda p: p["ratios"]["warm"]),
        "page_cost_ratio": (worst_cost["ratio"], worst_cost["link"]) if worst_cost else (None, ""),
        "burst_p95_s": (_seconds(heaviest_p95), burst.get("heaviest", {}).get("link", "")),
        "live_p95_s": (live.get("latency_s", {}).get("p95"), f"{live.get('followers', 0)} followers"),
        "live_runs_per_move": ((live.get("runs_per_follower_per_move") or {}).get("all"),
                               "pushed page runs + safety-net polls"),
        "live_missed": (live.get("latency_s", {}).get("missed"), f"{live.get('moves', 0)} moves"),
        "burst_p95_ratio": (burst.get("p95_ratio"), burst.get("heaviest", {}).get("link", "")),
        "page_bytes": _worst(pages, lambda p: p["load_bytes"]),
        "browser_ratio": _worst(pages, lambda p: p["ratios"]["browser"]),
        "cold_load_s": (_seconds(data["cold"].get("build_median_ms")), "core.catalog.build()"),
        "lookup_ms": (data["lookup"].get("max_ms"), repr(data["lookup"].get("slowest_query", ""))),
    }
    rows = []
    for key, what, limit, unit in TARGETS:
        value, where = found[key]
        met = None if value is None else value <= limit
        rows.append({"id": key, "target": what, "limit": limit, "unit": unit, "value": value,
                     "where": where, "met": met,
                     "over_by": None if value is None or not limit else round(value / limit, 3)})
    return rows


def _seconds(ms_value: float | None) -> float | None:
    return None if ms_value is None else round(ms_value / 1000, 4)


def _fmt(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _x(value) -> str:
    return "—" if value is None else f"{value:.2f}×"


def table(result: dict) -> str:
    """The human-readable summary (≤ ~40 lines)."""
    lines = [f"Benchmark {result['generated']}  ({'quick' if result['quick'] else 'full'}; "
             f"{result['machine']['cpus']} CPUs, load avg {result['machine']['load_before']})",
             "", f"{'page link':<52}{'warm ms':>9}{'×base':>7}{'load KB':>9}{'max msg':>9}"
             f"{'browser':>9}{'×base':>7}"]
    base = result["baseline"]
    rows = [(link + (" [stub]" if p["stub"] else ""), p) for link, p in result["pages"].items()]
    rows.append(("BASELINE baseline_app.py" + (" (lean: cached load)" if base.get("lean") else ""), base))
    for label, p in rows:
        r = p.get("ratios", {})
        lines.append(f"{label[:51]:<52}{_fmt(p['warm_median_ms'], 1):>9}{_x(r.get('warm')):>7}"
                     f"{_fmt(p['load_bytes'] / 1000, 1):>9}{_fmt(p['largest_message_bytes'] / 1000, 1):>9}"
                     f"{_fmt(p['browser_median_ms']):>9}{_x(r.get('browser')):>7}")
    lines += ["", "KB = 1000 bytes of websocket payload for one fresh session's first run (static JS/CSS",
              "not counted; websocket compression is off, Streamlit's default). Warm = median of "
              f"{result['settings']['warm_reps']} reruns; browser = median of {result['settings']['browser_reps']}.",
              ""]
    for name, b in (("burst app", result["burst"].get("heaviest")), ("burst base", result["burst"].get("baseline"))):
        if b:
            lines.append(f"{name}: {b['link']}  {b['finished']}/{b['sessions']} finished, errors {b['errors']}, "
                         f"exceptions {b['exceptions']}; p50 {_fmt(b['p50_ms'])} p95 {_fmt(b['p95_ms'])} "
                         f"max {_fmt(b['max_ms'])} ms; RSS {b['rss_before_mb']}→peak {b['rss_peak_mb']}"
                         f"→{b['rss_after_mb']} MB")
    cold, look = result["data"]["cold"], result["data"]["lookup"]
    lines += [f"cold load+validation: median {_fmt(cold.get('build_median_ms'), 1)} ms "
              f"(import {_fmt(cold.get('import_median_ms'), 1)} ms, not counted)",
              f"lookup: median {_fmt(look.get('median_ms'), 3)} ms, slowest {_fmt(look.get('max_ms'), 3)} ms "
              f"({look.get('slowest_query', '')!r}); index build {_fmt(look.get('index_build_ms'), 1)} ms; "
              f"{look.get('queries')} queries", ""]
    costs = result.get("page_cost")
    if costs:
        lines += [page_cost.table(costs), ""]
    live = result.get("live")
    if live:
        lines += [live_report(live), ""]
    for row in result["targets"]:
        verdict = {True: "PASS", False: "MISS", None: "n/a "}[row["met"]]
        digits = 0 if row["unit"] == "B" else 3
        lines.append(f"{verdict}  {row['target']:<48} worst {_fmt(row['value'], digits)} {row['unit']}"
                     f" ({_x(row['over_by'])} of limit) at {row['where']}")
    return "\n".join(lines)

"""The benchmark's target table reads every part's figures (shapes as benchmarks.live and
benchmarks.page_cost write them); speed itself is never asserted."""

from benchmarks import before_after, page_cost, report

LIVE = {"followers": 60, "moves": 6, "latency_s": {"p50": 0.7, "p95": 1.2, "max": 1.4, "samples": 360, "missed": 0},
        "runs_per_follower_per_move": {"all": 1.0, "full": 1.0, "fragment": 0.0},
        "cpu_pct_one_core": {"server_and_lecturer": 0.5, "idle_room": 1.0, "while_moving": [13.0, 15.0]}}


def cost_row(link: str, cpu: float, fixed: float = 3.0) -> dict:
    return {"page": "p", "which": "typical", "variant": "vi", "link": link, "cpu_ms": cpu, "wall_ms": 50.0,
            "elements": 10, "messages": 20, "kinds": {"markdown": 10}, "errors": 0, "ratio": round(cpu / fixed, 2),
            "met": cpu / fixed <= page_cost.LIMIT, "streamlit_floor_ms": 5.0, "floor_ratio": 1.7}


def result(live: dict | None) -> dict:
    page = {"ratios": {"warm": 0.9, "browser": 0.95, "bytes": 1.0}, "load_bytes": 100_000}
    burst = {"link": "/x", "p95_ms": 1200.0}
    return {"pages": {"/": page}, "burst": {"heaviest": burst, "p95_ratio": 0.2},
            "data": {"cold": {"build_median_ms": 100.0}, "lookup": {"max_ms": 1.0, "slowest_query": "q"}},
            "page_cost": {"links": [cost_row("/", 12.0), cost_row("/lesson", 6.0)]}, "live": live}


def test_every_target_reads_its_figure_and_judges_it():
    rows = {row["id"]: row for row in report.check(result(LIVE))}
    assert list(rows) == [t[0] for t in report.TARGETS]
    assert rows["page_cost_ratio"]["value"] == 4.0 and rows["page_cost_ratio"]["where"] == "/"
    assert rows["page_cost_ratio"]["met"] is False
    assert rows["burst_p95_s"]["value"] == 1.2 and rows["burst_p95_s"]["met"] is True
    assert rows["live_p95_s"]["value"] == 1.2 and rows["live_p95_s"]["met"] is False
    assert rows["live_runs_per_move"]["value"] == 1.0 and rows["live_runs_per_move"]["met"] is True
    assert rows["live_missed"]["value"] == 0 and rows["live_missed"]["met"] is True


def test_without_a_live_room_its_targets_are_not_judged():
    rows = {row["id"]: row for row in report.check(result(None))}
    assert all(rows[key]["value"] is None and rows[key]["met"] is None
               for key in ("live_p95_s", "live_runs_per_move", "live_missed"))


def test_before_after_table_has_a_row_per_link_and_the_live_figures():
    link = {"before": {"cpu_ms": 80.0, "ratio": 26.7, "elements": 414},
            "after": {"cpu_ms": 13.0, "ratio": 4.3, "elements": 39}}
    burst = {"p95_ms": 4350.0}
    text = before_after.table({"fixed_ms": 3.0, "runs": 20, "load_before": "0.1", "load_after": "0.2",
                               "links": {"/country?province=48": link}, "burst": {"before": burst, "after": burst},
                               "live": {"before": LIVE, "after": LIVE}})
    assert "| `/country?province=48` | 80.0 (26.7×) | 13.0 (4.3×) | 414 → 39 |" in text
    assert "| live room: script runs per follower per move | 1.00 | 1.00 | 1 |" in text

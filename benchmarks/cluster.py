"""The cluster benchmark: `python -m benchmarks.run --cluster [--quick]`.

One `streamlit run` process against `scripts/cluster.sh` with 2 (and 4) replicas behind nginx, the
same bursts of fresh sessions through each; the cluster helpers live in harness/cluster.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from harness import streamlit_ws as sw
from harness.cluster import BrowserSession, nginx_binary, rss_kb, start_cluster

CLUSTER_SETTINGS = {
    "full": {"bursts": (60, 120, 240), "replicas": (2, 4), "warm_reps": 2, "timeout": 180},
    "quick": {"bursts": (10, 20), "replicas": (2,), "warm_reps": 1, "timeout": 120},
}
TARGET_RATIO = 0.6  # on 2 cores, 2 replicas cut the 60-burst p95 to ≤ 0.6× one process


class RssPeaks:
    """Peak resident memory of several processes, sampled from /proc in a thread."""

    def __init__(self, pids: dict[str, int], every: float = 0.05):
        import threading

        self.pids, self.every = pids, every
        self.peak_kb = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.peak_kb[name] = max(self.peak_kb[name], rss_kb(pid))
            time.sleep(self.every)

    def __enter__(self) -> RssPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


async def _tracked_burst(base_url: str, link: str, sessions: int, timeout: float) -> list[tuple[str | None, sw.RunResult]]:
    """Like streamlit_ws.burst (fresh sessions opening `link` at once, times from the burst's
    start), also noting which replica took each session."""
    import asyncio

    started = time.perf_counter()

    async def one() -> tuple[str | None, sw.RunResult]:
        session = BrowserSession(base_url, timeout=timeout)
        try:
            await session.connect()
        except Exception as exc:  # noqa: BLE001 - a failed session is a figure, not a crash
            return None, sw.RunResult(link=link, status=f"error: connect: {type(exc).__name__}: {exc}")
        try:
            result = await session.run(link)
        finally:
            await session.close()
        result.seconds = time.perf_counter() - started
        return session.replica, result

    return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(sessions))), timeout=timeout + 30)


def _summary(link: str, results: list[sw.RunResult]) -> dict:
    from benchmarks.measure_ws import ms, percentile

    finished = [r.seconds for r in results if r.status == sw.SUCCESS]
    errors = [r.status for r in results if r.status != sw.SUCCESS]
    return {
        "link": link, "sessions": len(results), "finished": len(finished), "errors": len(errors),
        "error_kinds": sorted(set(errors)), "exceptions": sum(len(r.exceptions) for r in results),
        "p50_ms": ms(percentile(finished, 0.5)) if finished else None,
        "p95_ms": ms(percentile(finished, 0.95)) if finished else None,
        "max_ms": ms(max(finished)) if finished else None,
    }


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def single_process(link: str, bursts: tuple[int, ...], timeout: float) -> dict:
    """Today's deployment: one `streamlit run` process, no balancer."""
    from benchmarks import measure_ws

    with sw.start_server("app.py") as server:
        import asyncio

        asyncio.run(sw.open_and_run(server.base_url, link, timeout=timeout))  # warm-up (cold caches)
        idle = server.rss_kb()[0]
        runs = {}
        for size in bursts:
            burst = measure_ws.run_burst(server, link, size, timeout)
            runs[str(size)] = {**{k: burst[k] for k in ("link", "sessions", "finished", "errors",
                                                        "error_kinds", "exceptions", "p50_ms", "p95_ms", "max_ms")},
                               "per_replica": {"single": size},
                               "rss_peak_mb": {"single": burst["rss_peak_mb"]}}
    return {"replicas": 1, "balancer": False, "idle_rss_mb": {"single": _mb(idle)}, "bursts": runs}


def cluster_run(replicas: int, link: str, bursts: tuple[int, ...], timeout: float) -> dict:
    """`scripts/cluster.sh --replicas N`: bursts through nginx; sessions land where nginx sends them."""
    import asyncio
    from collections import Counter

    with start_cluster(replicas) as cluster:
        members = cluster.replicas()
        names = {m.address: f"r{m.index}" for m in members}
        for member in members:  # warm every replica directly, as the single process was
            asyncio.run(sw.open_and_run(f"http://{member.address}", link, timeout=timeout))
        pids = {names[m.address]: m.pid for m in members}
        idle = {name: _mb(rss_kb(pid)) for name, pid in pids.items()}
        runs = {}
        for size in bursts:
            with RssPeaks(pids) as peaks:
                tracked = asyncio.run(_tracked_burst(cluster.base_url, link, size, timeout))
            time.sleep(1.0)  # let the replicas drop the closed sessions
            summary = _summary(link, [result for _, result in tracked])
            summary["per_replica"] = dict(sorted(Counter(names.get(r, "none") for r, _ in tracked).items()))
            summary["rss_peak_mb"] = {name: _mb(kb) for name, kb in peaks.peak_kb.items()}
            runs[str(size)] = summary
        restarts = cluster.log_tail(100_000).count("starting it again")
    return {"replicas": replicas, "balancer": True, "idle_rss_mb": idle, "bursts": runs, "replica_restarts": restarts}


def scaling(configs: dict[str, dict], bursts: tuple[int, ...], cpus: int) -> dict:
    """p95 (and max) of each cluster relative to one process, per burst size; efficiency = speedup / N."""
    base = configs["1"]["bursts"]
    out = {}
    for key, config in configs.items():
        if key == "1":
            continue
        n = config["replicas"]
        rows = {}
        for size in bursts:
            one, many = base[str(size)], config["bursts"][str(size)]
            ratio = round(many["p95_ms"] / one["p95_ms"], 3) if one["p95_ms"] and many["p95_ms"] else None
            speedup = round(1 / ratio, 3) if ratio else None
            rows[str(size)] = {
                "p95_ratio": ratio, "speedup_p95": speedup,
                "efficiency": round(speedup / n, 3) if speedup else None,
                "efficiency_vs_cores": round(speedup / min(n, cpus), 3) if speedup else None,
                "max_ratio": (round(many["max_ms"] / one["max_ms"], 3)
                              if one["max_ms"] and many["max_ms"] else None),
            }
        out[key] = rows
    return out


def heaviest_link(reps: int, timeout: float) -> tuple[str, dict]:
    """The link of benchmarks.run.LINKS with the slowest warm rerun, measured on one process."""
    import asyncio

    from benchmarks import measure_ws
    from benchmarks.run import LINKS

    with sw.start_server("app.py") as server:
        targets = [(link, server.base_url, link) for _, link in LINKS]
        warm = asyncio.run(measure_ws.warm_runs(targets, reps, timeout))
    medians = {link: warm[link]["warm_median_ms"] for _, link in LINKS}
    return max(medians, key=lambda link: medians[link] or 0), medians


def run_benchmark(quick: bool, out: Path) -> dict:
    import json
    import platform
    from datetime import UTC, datetime

    import streamlit

    def load() -> str:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())

    def say(text: str) -> None:
        print(f"[cluster bench] {text}", file=sys.stderr, flush=True)

    if not nginx_binary():
        raise SystemExit("nginx is not installed: sudo apt-get install nginx (see scripts/cluster.sh)")
    settings = CLUSTER_SETTINGS["quick" if quick else "full"]
    bursts, timeout = settings["bursts"], settings["timeout"]
    load_before = load()
    say("finding the heaviest link …")
    link, medians = heaviest_link(settings["warm_reps"], timeout)
    say(f"heaviest link {link}; one process …")
    configs = {"1": single_process(link, bursts, timeout)}
    for n in settings["replicas"]:
        say(f"cluster of {n} …")
        configs[str(n)] = cluster_run(n, link, bursts, timeout)
    cpus = os.cpu_count() or 1
    result = {
        "schema": 1, "kind": "cluster", "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick, "settings": {**settings, "bursts": list(bursts), "replicas": list(settings["replicas"])},
        "machine": {"cpus": cpus, "python": platform.python_version(), "streamlit": streamlit.__version__,
                    "nginx": _nginx_version(), "load_before": load_before, "load_after": load()},
        "link": link, "warm_median_ms": medians,
        "configs": configs, "scaling": scaling(configs, bursts, cpus),
        "notes": [
            "one process: `streamlit run app.py` alone (today's deployment); clusters: scripts/cluster.sh, "
            "sessions through nginx, which adds a hop",
            "burst: fresh sessions open the link at once; each session's time runs from the burst's start "
            "to its script_finished; the load-generating client runs on the same machine",
            "p95_ratio = cluster p95 / one-process p95 for the same burst; efficiency = speedup / replicas",
            "rss_peak_mb: peak resident memory of each replica during the burst; idle_rss_mb: after one warm-up run",
        ],
    }
    first = str(bursts[0])
    ratio = result["scaling"].get("2", {}).get(first, {}).get("p95_ratio")
    result["target"] = {"what": f"2 replicas: {first}-session burst p95 ≤ {TARGET_RATIO}× one process",
                        "value": ratio, "met": None if ratio is None else ratio <= TARGET_RATIO}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nJSON: {out}")
    return result


def _nginx_version() -> str | None:
    binary = nginx_binary()
    if not binary:
        return None
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
    return done.stderr.strip().split("/")[-1] or None


def table(result: dict) -> str:
    """The printed side-by-side summary."""
    machine = result["machine"]
    lines = [f"Cluster benchmark {result['generated']} ({'quick' if result['quick'] else 'full'}; "
             f"{machine['cpus']} CPUs; load avg before {machine['load_before']}, after {machine['load_after']})",
             f"link: {result['link']}", "",
             f"{'replicas':>8}{'burst':>7}{'ok':>6}{'err':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
             f"{'p95 ×1':>8}{'eff.':>6}  sessions per replica / peak RSS MB"]
    for key, config in result["configs"].items():
        for size, burst in config["bursts"].items():
            scale = result["scaling"].get(key, {}).get(size, {})
            ratio = scale.get("p95_ratio")
            eff = scale.get("efficiency")
            spread = " ".join(f"{name}:{count}" for name, count in burst["per_replica"].items())
            rss = " ".join(f"{v:.0f}" for v in burst["rss_peak_mb"].values())
            lines.append(f"{key:>8}{size:>7}{burst['finished']:>6}{burst['errors']:>5}"
                         f"{burst['p50_ms'] or 0:>9,.0f}{burst['p95_ms'] or 0:>9,.0f}{burst['max_ms'] or 0:>9,.0f}"
                         f"{'—' if ratio is None else f'{ratio:.2f}×':>8}{'—' if eff is None else f'{eff:.2f}':>6}"
                         f"  {spread} / {rss}")
    idle = {k: c["idle_rss_mb"] for k, c in result["configs"].items()}
    lines += ["", "idle RSS per replica (MB): " + "; ".join(
        f"{k}: {' '.join(f'{v:.0f}' for v in values.values())}" for k, values in idle.items())]
    target = result["target"]
    verdict = {True: "PASS", False: "MISS", None: "n/a "}[target["met"]]
    value = "—" if target["value"] is None else f"{target['value']:.3f}×"
    lines.append(f"{verdict}  {target['what']}: {value}")
    return "\n".join(lines)

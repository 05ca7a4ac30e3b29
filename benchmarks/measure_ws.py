"""Measurements over Streamlit's websocket protocol: page loads, warm reruns and a session burst."""

from __future__ import annotations

import asyncio
import math
import statistics
import threading
import time

from harness import streamlit_ws as sw


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def load_summary(result: sw.RunResult) -> dict:
    """The figures of one fresh session's first full run."""
    return {
        "status": result.status, "ms": ms(result.seconds), "connect_ms": ms(result.connect_seconds),
        "bytes": result.bytes, "messages": result.messages, "largest_message_bytes": result.largest,
        "largest_message_kind": result.largest_kind, "elements": dict(sorted(result.elements.items())),
        "exceptions": result.exceptions, "page_not_found": result.page_not_found, "page": result.page,
    }


async def first_opens(targets: list[tuple[str, str, str]], timeout: float) -> dict[str, dict]:
    """One fresh session per (label, base_url, link), one after another, on a just-started server:
    the first open of each page (cold caches). It also warms the servers up for what follows."""
    return {label: load_summary(await sw.open_and_run(base_url, link, timeout=timeout))
            for label, base_url, link in targets}


async def warm_runs(targets: list[tuple[str, str, str]], reps: int, timeout: float) -> dict[str, dict]:
    """Median time from rerun_script to script_finished on already-connected sessions.

    targets: (label, base_url, link). Every session first runs its link once (warm-up, and its bytes are
    the page-load figures); then the sessions take turns, one rerun each per round, so that any
    drift of the machine's speed affects every page alike.
    """
    sessions, loads, times = {}, {}, {}
    try:
        for label, base_url, link in targets:
            session = sw.Session(base_url, timeout=timeout)
            sessions[label], times[label] = session, []
            await session.connect()
            loads[label] = await session.run(link)
        for _ in range(reps):
            for label, session in sessions.items():
                result = await session.rerun()
                ok = result.status == sw.SUCCESS and not result.exceptions
                times[label].append(result.seconds if ok else None)
    finally:
        await asyncio.gather(*(s.close() for s in sessions.values()))
    return {label: _warm_summary(loads[label], times[label]) for label in sessions}


def _warm_summary(load: sw.RunResult, times: list[float | None]) -> dict:
    good = [t for t in times if t is not None]
    return {
        "load": load_summary(load),
        "warm_runs": len(good), "warm_errors": len(times) - len(good),
        "warm_median_ms": ms(statistics.median(good)) if good else None,
        "warm_p90_ms": ms(percentile(good, 0.9)) if good else None,
        "warm_min_ms": ms(min(good)) if good else None,
    }


class RssSampler:
    """Samples a process's resident memory from /proc every few milliseconds in a thread."""

    def __init__(self, server: sw.Server, every: float = 0.02):
        self.server, self.every = server, every
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, self.server.rss_kb()[0])
            except OSError:
                return
            time.sleep(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_burst(server: sw.Server, link: str, sessions: int, timeout: float) -> dict:
    """`sessions` fresh sessions open `link` at once; times count from the burst's start."""
    rss_before = server.rss_kb()[0]
    with RssSampler(server) as sampler:
        results = asyncio.run(sw.burst(server.base_url, link, sessions, timeout=timeout))
    time.sleep(1.0)  # let the server drop the closed sessions before reading memory again
    finished = [r.seconds for r in results if r.status == sw.SUCCESS]
    errors = [r.status for r in results if r.status != sw.SUCCESS]
    return {
        "link": link, "sessions": sessions, "finished": len(finished), "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "exceptions": sum(len(r.exceptions) for r in results),
        "p50_ms": ms(percentile(finished, 0.5)) if finished else None,
        "p95_ms": ms(percentile(finished, 0.95)) if finished else None,
        "max_ms": ms(max(finished)) if finished else None,
        "bytes_per_session": round(statistics.mean(r.bytes for r in results)) if results else 0,
        "rss_before_mb": round(rss_before / 1024, 1), "rss_peak_mb": round(sampler.peak_kb / 1024, 1),
        "rss_after_mb": round(server.rss_kb()[0] / 1024, 1),
    }

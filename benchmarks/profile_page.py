"""Profile a page's warm script runs inside a real server: `python -m benchmarks.profile_page LINK`.

`--cpu LINK [LINK …]` instead measures, without a profiler, the server's CPU time (all its
threads: script, event loop, websocket) and the wall time per warm rerun of each link.

Starts the app with every script run wrapped in cProfile (one stats file per run), opens one
websocket session on LINK, runs it once to warm up, reruns it --runs times, and prints the
functions that cost the most over those warm runs (cProfile slows everything down; use the
ranking, not the absolute times).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import streamlit_ws as sw

PROFILE_DIR = "TGBM_PROFILE_DIR"


def serve() -> None:
    """Run `streamlit run …` (arguments after --serve) with each script run profiled to a file."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web.cli import main as streamlit_main

    target = Path(os.environ[PROFILE_DIR])
    counter, lock = itertools.count(), threading.Lock()
    original = script_runner.ScriptRunner._run_script_thread

    def profiled(self) -> None:
        # The script thread's own CPU clock: time spent waiting for the interpreter lock (while the
        # event loop sends messages) is not charged to whatever function happened to be running.
        profile = cProfile.Profile(time.thread_time)
        profile.runcall(original, self)
        with lock:
            number = next(counter)
        profile.dump_stats(target / f"run-{number:04d}.prof")

    script_runner.ScriptRunner._run_script_thread = profiled
    sys.argv = ["streamlit", *sys.argv[2:]]
    streamlit_main(prog_name="streamlit")


async def _drive(base_url: str, link: str, runs: int) -> list[str]:
    async with sw.Session(base_url, timeout=120) as session:
        first = await session.run(link)
        statuses = [first.status] + [(await session.rerun()).status for _ in range(runs)]
    return statuses


def profile(link: str, runs: int, top: int, script: str = "app.py", callers: tuple[str, ...] = ()) -> str:
    """The top functions by own time and by cumulative time over `runs` warm reruns of `link`."""
    with tempfile.TemporaryDirectory(prefix="tgbm-profile-") as folder:
        os.environ[PROFILE_DIR] = folder
        server = sw.start_server(script, launcher=("-m", "benchmarks.profile_page", "--serve", "run"))
        try:
            statuses = asyncio.run(_drive(server.base_url, link, runs))
        finally:
            server.stop()
        files = sorted(Path(folder).glob("run-*.prof"))[-runs:]  # skip the warm-up (and cold) runs
        out = io.StringIO()
        out.write(f"{link}: {len(files)} warm runs profiled; statuses {sorted(set(statuses))}\n")
        stats = pstats.Stats(*map(str, files), stream=out)
        stats.files = []  # do not list every stats file in the headers
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        for name in callers:  # who calls an expensive function (a regex over "file:line(function)")
            stats.print_callers(name)
        return out.getvalue()


async def _cpu(base_url: str, link: str, runs: int, pid: int) -> tuple[float, float, str]:
    from benchmarks.live import cpu_seconds

    async with sw.Session(base_url, timeout=120) as session:
        await session.run(link)
        await session.rerun()  # warm: caches filled
        cpu, started = cpu_seconds(pid), time.perf_counter()
        statuses = {(await session.rerun()).status for _ in range(runs)}
        return ((cpu_seconds(pid) - cpu) * 1000 / runs, (time.perf_counter() - started) * 1000 / runs,
                ",".join(sorted(statuses)))


def cpu_per_run(links: list[str], runs: int, script: str = "app.py") -> str:
    """Server CPU (ms, all threads) and wall time per warm rerun of each link, without a profiler."""
    lines = []
    with sw.start_server(script) as server:
        for link in links:
            cpu, wall, statuses = asyncio.run(_cpu(server.base_url, link, runs, server.pid))
            lines.append(f"{cpu:6.1f} ms CPU/run  {wall:6.1f} ms wall/run  {statuses}  {link}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("link", nargs="+", help="e.g. '/merger?unit=20194' (several with --cpu)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--script", default="app.py")
    parser.add_argument("--callers", action="append", default=[], metavar="REGEX",
                        help="also list the callers of functions matching REGEX (repeatable)")
    parser.add_argument("--cpu", action="store_true",
                        help="no profiler: the server's CPU and wall time per warm rerun of each link")
    args = parser.parse_args(argv)
    if args.cpu:
        print(cpu_per_run(args.link, args.runs, args.script))
        return 0
    print(profile(args.link[0], args.runs, args.top, args.script, tuple(args.callers)))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve()
    else:
        sys.exit(main())

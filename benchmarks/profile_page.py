"""Profile a page's warm script runs inside a real server: `python -m benchmarks.profile_page LINK`.

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
from pathlib import Path

from benchmarks import streamlit_ws as sw

PROFILE_DIR = "TGBM_PROFILE_DIR"


def serve() -> None:
    """Run `streamlit run …` (arguments after --serve) with each script run profiled to a file."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web.cli import main as streamlit_main

    target = Path(os.environ[PROFILE_DIR])
    counter, lock = itertools.count(), threading.Lock()
    original = script_runner.ScriptRunner._run_script_thread

    def profiled(self) -> None:
        profile = cProfile.Profile()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("link", help="e.g. '/merger?unit=20194'")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--script", default="app.py")
    parser.add_argument("--callers", action="append", default=[], metavar="REGEX",
                        help="also list the callers of functions matching REGEX (repeatable)")
    args = parser.parse_args(argv)
    print(profile(args.link, args.runs, args.top, args.script, tuple(args.callers)))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve()
    else:
        sys.exit(main())

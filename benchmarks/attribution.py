"""Whose work the server's CPU is: Streamlit's, or the app's own.

`python -m benchmarks.live --profile` records the server with py-spy while the lecturer moves the
room (only samples of the thread holding the interpreter lock, so waiting is not counted) and
sorts every sample into one of three shares:

- **Streamlit's runtime**: no frame of the app on the stack (the event loop sending messages,
  starting and finishing script runs, the new-session message of each run);
- **Streamlit's elements**: the app called a Streamlit command (`st.markdown`, `st.page_link`,
  a container …) and the sample is inside it;
- **the app's own work**: inside the app's code or a library it calls itself (pandas, plotly).

With no app work at all, a move would still cost the first two shares: that is the part of the
live room's latency that no change to the app's code can remove without drawing fewer elements.
`python -m benchmarks.attribution FILE` sorts any py-spy raw (collapsed) file the same way.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import signal
import subprocess
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARES = ("streamlit_runtime", "streamlit_elements", "app_own")
_FRAME_FILE = re.compile(r"\(([^()]*?):\d+\)$")


def app_files(root: Path = ROOT) -> frozenset[str]:
    """The app's source files as py-spy names them (path relative to the project, or base name)."""
    found = {root / "app.py", *root.glob("components/*.py"), *root.glob("core/*.py"), *root.glob("pages/*.py")}
    return frozenset(name for p in found for name in (p.name, str(p.relative_to(root)), str(p)))


def _is_app(frame: str, files: frozenset[str]) -> bool:
    match = _FRAME_FILE.search(frame)
    return bool(match) and match.group(1) in files


def _is_streamlit(frame: str) -> bool:
    match = _FRAME_FILE.search(frame)
    return bool(match) and (match.group(1).startswith("streamlit/") or "/streamlit/" in match.group(1))


def classify(lines: Iterable[str], files: frozenset[str]) -> dict:
    """Samples per share, and the app's own samples by its innermost function, from py-spy's raw
    format (one line per stack: frames joined by ';', a space, the sample count)."""
    shares: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        app = [i for i, frame in enumerate(frames) if _is_app(frame, files)]
        if not app:
            shares["streamlit_runtime"] += n
        elif any(_is_streamlit(frame) for frame in frames[app[-1] + 1:]):
            shares["streamlit_elements"] += n
        else:
            shares["app_own"] += n
            own[re.sub(r":\d+\)$", ")", frames[app[-1]])] += n
    total = sum(shares.values())
    return {"samples": total,
            "share": {name: round(shares[name] / total, 3) if total else 0.0 for name in SHARES},
            "app_own_top": [[name, round(n / total, 3)] for name, n in own.most_common(12)] if total else []}


def available() -> str | None:
    """py-spy's path, when it is installed (requirements-test.txt installs it)."""
    beside = Path(__import__("sys").executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen | None:
    """Record the process's interpreter-lock holder for `seconds` into `out` (raw format)."""
    spy = available()
    if spy is None:
        return None
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
                             "--rate", "200", "--gil", "--format", "raw", "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen | None, out: Path) -> dict | None:
    """Wait for the recording and sort it; None when py-spy is missing or could not attach."""
    if process is None:
        return None
    _, error = process.communicate(timeout=120)
    if process.returncode != 0 or not out.exists():
        return {"error": (error or "").strip().splitlines()[-1:] or [f"py-spy exit {process.returncode}"]}
    with out.open(encoding="utf-8") as lines:
        return classify(lines, app_files())


def describe(result: dict | None) -> str:
    if not result:
        return "CPU attribution: not recorded (run with --profile; needs py-spy)"
    if "error" in result:
        return f"CPU attribution: py-spy failed ({' '.join(result['error'])})"
    share = result["share"]
    return (f"server CPU while moving ({result['samples']} samples of the thread holding the lock): Streamlit's "
            f"runtime {share['streamlit_runtime']:.0%}, Streamlit's elements {share['streamlit_elements']:.0%}, "
            f"the app's own work {share['app_own']:.0%}")


def burst(link: str, sessions: int, out: Path) -> tuple[dict | None, list[float]]:
    """`sessions` fresh sessions opening `link` at once on a warm server, recorded by py-spy: whose
    work the burst's CPU is, and each session's seconds from the start."""
    import asyncio
    import time

    from harness import streamlit_ws as sw

    with sw.start_server("app.py") as server:
        asyncio.run(sw.open_and_run(server.base_url, link, timeout=60))  # caches warm, as in class
        spy = start(server.pid, 60, out)
        time.sleep(1.5)  # py-spy attaches
        results = asyncio.run(sw.burst(server.base_url, link, sessions, timeout=60))
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes what it recorded when interrupted
    return finish(spy, out), sorted(r.seconds for r in results if r.ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, nargs="?", help="a py-spy raw file (py-spy record --format raw)")
    parser.add_argument("--burst", metavar="LINK", help="record a burst of fresh sessions on LINK instead")
    parser.add_argument("--sessions", type=int, default=60)
    args = parser.parse_args()
    if args.burst:
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="burst-spy-")) / "burst.spy"
        result, seconds = burst(args.burst, args.sessions, out)
        print(f"burst of {args.sessions} on {args.burst}: {len(seconds)} finished, last after "
              f"{seconds[-1] if seconds else float('nan'):.2f} s (slowed by the sampling)")
    elif args.file:
        with args.file.open(encoding="utf-8") as lines:
            result = classify(lines, app_files())
    else:
        parser.error("give a py-spy raw file or --burst LINK")
    print(describe(result).replace("while moving", "during the burst" if args.burst else "recorded"))
    if not result or "error" in result:
        return
    for name, share in result["app_own_top"]:
        print(f"  {share:6.1%}  {name}")


if __name__ == "__main__":
    main()

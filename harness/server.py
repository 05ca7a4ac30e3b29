"""Run the app (or any Streamlit script) as a `streamlit run` subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(proc: subprocess.Popen, grace: float = 10) -> None:
    """Terminate a child process, killing it when it has not ended after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)


@dataclass
class Server:
    """A `streamlit run` subprocess listening on loopback."""

    proc: subprocess.Popen
    base_url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_kb(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) of the server process in kB, read from /proc (Linux)."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values.get("VmRSS", 0), values.get("VmHWM", 0)

    def log_tail(self, chars: int = 2000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self) -> None:
        stop_process(self.proc)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(script: str | Path = "app.py", data_dir: str | Path | None = None,
                 timeout: float = 60.0, launcher: tuple[str, ...] = ("-m", "streamlit", "run"),
                 options: tuple[str, ...] = (), extra_env: dict[str, str] | None = None) -> Server:
    """Start `python -m streamlit run <script>` from the repository root (so .streamlit/config.toml
    applies) on a free loopback port and wait for /_stcore/health.

    data_dir (or the TGBM_DATA_DIR environment variable) picks the data folder; launcher replaces
    `-m streamlit run` (benchmarks.profile_page uses it to profile every script run); options are
    more command-line config flags, e.g. ("--runner.postScriptGC", "false"); extra_env adds variables.
    """
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(extra_env or {}))
    if data_dir:
        env["TGBM_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, *launcher, str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", *options]
    # The log goes to a file, not a pipe: a full pipe would stall a busy server mid-benchmark.
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(server.base_url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"streamlit server did not start: {server.log_tail()}")

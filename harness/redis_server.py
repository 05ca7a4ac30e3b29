"""A private `redis-server` on a free loopback port, in a temp folder, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from harness.server import free_port, stop_process


def redis_binary() -> str | None:
    """Debian's redis-server, or None when it is not installed."""
    found = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not found and os.access("/usr/bin/redis-server", os.X_OK):
        found = "/usr/bin/redis-server"
    return found


class RedisServer:
    """A running redis-server without persistence (use as a context manager; stop() ends it)."""

    def __init__(self, proc: subprocess.Popen, port: int, workdir: Path):
        self.proc, self.port, self.workdir = proc, port, workdir
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _answers(port: int) -> bool:
    """True once the server answers PING (spoken directly, so no client library is needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(binary: str | None = None, timeout: float = 20.0) -> RedisServer:
    """Start redis-server on a free loopback port and wait until it answers."""
    binary = binary or redis_binary()
    if not binary:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port, workdir = free_port(), Path(tempfile.mkdtemp(prefix="tgbm-redis-"))
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(proc, port, workdir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if _answers(port):
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"redis-server did not start (exit {proc.returncode})")

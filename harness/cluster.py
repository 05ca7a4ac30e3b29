"""The app served by several replicas behind nginx (scripts/cluster.sh), for benchmarks and tests.

`start_cluster(n)` runs `bash scripts/cluster.sh --replicas n` on free loopback ports and waits until
nginx answers; `BrowserSession` is a websocket session that behaves like a browser behind the
balancer: it loads the page first (getting nginx's affinity cookie), sends that cookie with the
websocket and media requests, remembers which replica answered (nginx's X-Upstream header) and
collects the media URLs (images, downloads) the page references.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from websockets.asyncio.client import connect

from harness import streamlit_ws as sw

SCRIPT = sw.ROOT / "scripts" / "cluster.sh"
AFFINITY_COOKIE = "tgbm_affinity"


def nginx_binary() -> str | None:
    """The nginx the cluster script would use, or None when it is not installed."""
    found = os.environ.get("NGINX") or shutil.which("nginx")
    if not found and os.access("/usr/sbin/nginx", os.X_OK):
        found = "/usr/sbin/nginx"
    return found


@dataclass(frozen=True)
class Replica:
    index: int
    port: int
    pid: int

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (children, grandchildren…), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (name) "
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def pid_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status[status.rindex(")") + 2] != "Z"


def rss_kb(pid: int) -> int:
    """Resident memory of one process in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def last_upstream(header: str | None) -> str | None:
    """The replica that finally answered: nginx lists every one it tried ("a:1, b:2")."""
    return header.split(",")[-1].strip() if header else None


def http_get(url: str, cookie: str | None = None, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET; HTTP errors are returned, not raised."""
    sw.check_loopback(url)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


class Cluster:
    """A running `scripts/cluster.sh` (use as a context manager; stop() is SIGTERM + wait)."""

    def __init__(self, proc: subprocess.Popen, port: int, run_dir: Path, log: Path, owns_dir: bool):
        self.proc, self.port, self.run_dir, self.log, self._owns_dir = proc, port, run_dir, log, owns_dir
        self.base_url = f"http://127.0.0.1:{port}"

    def replicas(self) -> list[Replica]:
        """Index, port and pid of each replica, as the script last wrote them."""
        rows = (self.run_dir / "replicas.tsv").read_text().split("\n")
        return [Replica(*map(int, row.split("\t"))) for row in rows if row.strip()]

    def replica_at(self, address: str) -> Replica:
        return next(r for r in self.replicas() if r.address == address)

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM to the script, as Ctrl-C/systemd would; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # last resort: the whole session group
                self.proc.wait(timeout=10)
        if self._owns_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        return self.proc.returncode

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until_balanced(cluster: Cluster, timeout: float = 120.0) -> bool:
    """True once every replica answers its health check and nginx sends new browsers to each of
    them (a replica that was killed and restarted is skipped by nginx for `fail_timeout` after
    its last failed connect, so a healthy replica is not yet a routed one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        addresses = {r.address for r in cluster.replicas()}
        try:
            healthy = all(http_get(f"http://{a}/_stcore/health", timeout=2)[2] == b"ok" for a in addresses)
            seen: set[str] = set()
            if healthy:
                for _ in range(12 * len(addresses)):  # fresh browsers: random keys over the ring
                    seen.add(last_upstream(http_get(cluster.base_url + "/_stcore/health", timeout=5)[1]
                                           .get("X-Upstream")))
                    if seen >= addresses:
                        return True
        except OSError:
            pass  # a replica still starting refuses connections
        time.sleep(0.5)
    return False


def start_cluster(replicas: int, run_dir: Path | None = None, timeout: float = 180.0,
                  extra_env: dict[str, str] | None = None) -> Cluster:
    """Run the cluster script with `replicas` app processes; returns once nginx serves the app."""
    port = sw.free_port()
    owns_dir = run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="tgbm-cluster-")) if run_dir is None else run_dir
    log = run_dir / "cluster.log"
    env = dict(os.environ, PYTHON=sys.executable, **(extra_env or {}))  # replicas use this interpreter
    cmd = ["bash", str(SCRIPT), "--replicas", str(replicas), "--port", str(port),
           "--listen", "127.0.0.1", "--run-dir", str(run_dir)]
    with log.open("wb") as sink:  # a file, not a pipe: a full pipe would stall the script
        proc = subprocess.Popen(cmd, cwd=sw.ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    cluster = Cluster(proc, port, run_dir, log, owns_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if "serving http" in cluster.log_tail():
            return cluster
        time.sleep(0.2)
    tail = cluster.log_tail()
    cluster.stop()
    raise RuntimeError(f"cluster did not start (exit {proc.returncode}):\n{tail}")


class BrowserSession(sw.Session):
    """A session that talks to the balancer like a browser tab: page load, cookie, websocket, media."""

    def __init__(self, base_url: str, timeout: float = 30.0, cookie: str | None = None):
        super().__init__(base_url, timeout=timeout)
        self.cookie = cookie  # "tgbm_affinity=…" once known
        self.replica: str | None = None  # the replica that accepted the websocket
        self.tried: list[str] = []  # every replica nginx tried for that handshake (X-Upstream)
        self.media: list[str] = []  # /media/… URLs of images and downloads of the last run

    def load_page(self, link: str) -> str | None:
        """GET the page's HTML, as a browser does first; keeps the affinity cookie it sets."""
        status, headers, _ = http_get(self.base_url + link, self.cookie, timeout=self.timeout)
        if status != 200:
            raise RuntimeError(f"page load {link}: HTTP {status}")
        cookie = SimpleCookie(headers.get("Set-Cookie", ""))
        if AFFINITY_COOKIE in cookie:
            self.cookie = f"{AFFINITY_COOKIE}={cookie[AFFINITY_COOKIE].value}"
        return last_upstream(headers.get("X-Upstream"))

    async def connect(self) -> float:
        started = time.perf_counter()
        ws_url = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await connect(ws_url, subprotocols=["streamlit"], compression=None, max_size=None,
                                open_timeout=self.timeout, close_timeout=2, ping_interval=None,
                                additional_headers=headers)
        header = self.ws.response.headers.get("X-Upstream") or ""
        self.tried = [part.strip() for part in header.split(",") if part.strip()]
        self.replica = self.tried[-1] if self.tried else None
        return time.perf_counter() - started

    async def _run(self, page_name: str, query: str) -> sw.RunResult:
        self.media = []
        return await super()._run(page_name, query)

    def _handle(self, msg, kind: str, result: sw.RunResult) -> bool:
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "imgs":
                self.media += [img.url for img in element.imgs.imgs if img.url.startswith("/media/")]
            elif which == "download_button" and element.download_button.url.startswith("/media/"):
                self.media.append(element.download_button.url)
        return super()._handle(msg, kind, result)

    def fetch(self, path: str) -> tuple[int, dict, bytes]:
        """GET a URL of this session (e.g. its media) through the balancer, with its cookie."""
        return http_get(self.base_url + path, self.cookie, timeout=self.timeout)

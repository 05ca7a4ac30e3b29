"""The app served by several replicas behind nginx (scripts/cluster.sh), for the benchmark and tests.

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

from benchmarks import streamlit_ws as sw

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


# --- benchmark: `python -m benchmarks.run --cluster [--quick]` ------------------------------------

CLUSTER_SETTINGS = {
    "full": {"bursts": (60, 120, 240), "replicas": (2, 4), "warm_reps": 2, "timeout": 180},
    "quick": {"bursts": (10, 20), "replicas": (2,), "warm_reps": 1, "timeout": 120},
}
TARGET_RATIO = 0.6  # issue 17: on 2 cores, 2 replicas cut the 60-burst p95 to ≤ 0.6× one process


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

"""scripts/classroom.sh: finds the laptop's network address, prints it with a QR code, serves the
app on every address (or nginx + replicas), shares links with that address, and stops on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import zxingcpp
from PIL import Image

from core import origin
from harness import cluster as cl
from tests.netns.conftest import ROOT, in_ns, lonely_namespace

SCRIPT = ROOT / "scripts" / "classroom.sh"
STUDENTS = re.compile(r"Students open:\s+(http://(\S+):(\d+))/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


def port_free(port: int) -> bool:
    """Nothing listens on the port (closed connections in TIME_WAIT do not count, as for Streamlit)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def healthy(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=2).read() == b"ok"
    except OSError:
        return False


def script_env() -> dict:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("TGBM_PUBLIC_URL", None)
    return env


def terminal_qr(text: str) -> str | None:
    """Decode the QR code segno printed with compact=True (two modules per character: █ both
    light, ▀ light above, ▄ light below, space both dark)."""
    lines = [line for line in text.splitlines() if line and set(line) <= set("█▀▄ ")]
    if not lines:
        return None
    width = max(len(line) for line in lines)
    image = Image.new("L", (width, 2 * len(lines)), 255)
    for y, line in enumerate(lines):
        for x, char in enumerate(line.ljust(width, "█")):
            image.putpixel((x, 2 * y), 255 if char in "█▀" else 0)
            image.putpixel((x, 2 * y + 1), 255 if char in "█▄" else 0)
    image = image.resize((width * 8, 2 * len(lines) * 8), Image.NEAREST)
    found = zxingcpp.read_barcodes(image) or zxingcpp.read_barcodes(Image.eval(image, lambda v: 255 - v))
    return found[0].text if found else None


class Running:
    """The script in the background, its own process group, output collected as it comes."""

    def __init__(self, *args: str, env: dict | None = None, prefix: tuple[str, ...] = ()):
        self.proc = subprocess.Popen([*prefix, "bash", str(SCRIPT), *args], cwd=ROOT, env=env or script_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.chunks: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for raw in iter(self.proc.stdout.readline, b""):
            self.chunks.append(raw.decode("utf-8", "replace"))

    @property
    def output(self) -> str:
        return "".join(self.chunks)

    def wait_for(self, pattern: re.Pattern, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.output)
            if found:
                return found
            assert self.proc.poll() is None, f"exited with {self.proc.returncode}:\n{self.output}"
            time.sleep(0.1)
        raise AssertionError(f"no {pattern.pattern!r} after {timeout} s:\n{self.output}")

    def wait_healthy(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not healthy(url):
            assert self.proc.poll() is None, f"exited with {self.proc.returncode}:\n{self.output}"
            assert time.monotonic() < deadline, f"{url} not healthy after {timeout} s:\n{self.output}"
            time.sleep(0.3)

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # SIGTERM to the whole group, like a service manager
        try:
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            self.reader.join(timeout=5)


def test_help_and_bad_arguments():
    done = subprocess.run(["bash", str(SCRIPT), "--help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    assert "--replicas" in done.stdout and "--port" in done.stdout and "TGBM_PUBLIC_URL" in done.stdout
    done = subprocess.run(["bash", str(SCRIPT), "--port", "eighty"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--port must be a port number" in done.stderr


def test_port_in_use_is_said_before_anything_starts():
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(["bash", str(SCRIPT), "--port", str(port)], capture_output=True, text=True,
                              timeout=60, env=script_env())
    assert done.returncode == 3 and "in use" in done.stderr, done.stderr


def test_no_network_says_how_to_turn_on_a_hotspot():
    """A laptop with Wi-Fi off and no hotspot (a namespace with only `lo`): exit 4 with the steps."""
    with lonely_namespace() as ns:
        done = subprocess.run(in_ns(ns, "bash", str(SCRIPT), "--port", "8501"), cwd=ROOT, env=script_env(),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "hotspot" in done.stderr and "Wi-Fi" in done.stderr
    assert "Students open" not in done.stdout


def test_wait_starts_once_the_hotspot_is_on():
    """--wait: no address yet, so it waits; the hotspot comes up (an address appears); it serves."""
    with lonely_namespace() as ns:
        running = Running("--port", "8501", "--wait", prefix=tuple(in_ns(ns)))
        try:
            running.wait_for(re.compile(r"waiting for a network address"), timeout=60)
            assert "Students open" not in running.output
            ip_address = "198.18.1.1"  # test-only range (RFC 2544), inside the namespace only
            subprocess.run(in_ns(ns, "ip", "addr", "add", f"{ip_address}/24", "dev", "lo"), check=True,
                           timeout=30)
            url = running.wait_for(STUDENTS, timeout=60).group(1)
            assert url == f"http://{ip_address}:8501"
            # The app is up: its health check answers inside the namespace (the script switches
            # Streamlit's own welcome lines off).
            probe = in_ns(ns, sys.executable, "-c", "import urllib.request as u; "
                          "print(u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read().decode())")
            deadline = time.monotonic() + 90
            while subprocess.run(probe, capture_output=True, text=True, timeout=30).stdout.strip() != "ok":
                assert time.monotonic() < deadline, f"not healthy after 90 s:\n{running.output}"
                time.sleep(0.5)
        finally:
            code = running.stop()
        assert code in (0, -signal.SIGTERM, 143), running.output


def test_serves_the_class_on_the_network_address():
    address = origin.lan_address()
    if address is None:
        pytest.skip("this machine has no network address (the no-network path is tested in a namespace)")
    port = free_port()
    running = Running("--port", str(port))
    try:
        url, shown, shown_port = running.wait_for(STUDENTS, timeout=60).groups()
        assert shown == address and not origin.is_loopback(shown) and shown_port == str(port)
        running.wait_for(re.compile(r"Ctrl-C stops"), timeout=30)
        assert terminal_qr(running.output) == url + "/"
        running.wait_healthy(f"http://{shown}:{port}/_stcore/health", timeout=60)  # phones' way in
        assert healthy(f"http://127.0.0.1:{port}/_stcore/health")  # and the lecturer's
        # The app process (the script execs it) shares links with the network address.
        with open(f"/proc/{running.proc.pid}/environ", "rb") as handle:
            assert f"TGBM_PUBLIC_URL={url}".encode() in handle.read().split(b"\0")
    finally:
        code = running.stop()
    assert code in (0, -signal.SIGTERM, 143), running.output
    assert not cl.pid_alive(running.proc.pid)
    deadline = time.monotonic() + 10
    while not port_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert port_free(port)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_replicas_behind_nginx_on_every_address():
    if not cl.nginx_binary():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required in CI (apt-get install nginx)")
        pytest.skip("nginx not installed (apt-get install nginx)")
    address = origin.lan_address()
    if address is None:
        pytest.skip("this machine has no network address")
    port = free_port()
    running = Running("--port", str(port), "--replicas", "2")
    children: set[int] = set()
    try:
        url, shown, _ = running.wait_for(STUDENTS, timeout=60).groups()
        assert shown == address
        running.wait_for(re.compile(r"serving http://\S+ through nginx"), timeout=180)
        assert healthy(f"http://{shown}:{port}/_stcore/health")  # nginx listens on the network address
        children = cl.descendants(running.proc.pid)
        apps = [pid for pid in children if b"streamlit" in _cmdline(pid)]
        assert len(apps) == 2, running.output
        for pid in apps:  # every replica shares links with the network address
            with open(f"/proc/{pid}/environ", "rb") as handle:
                assert f"TGBM_PUBLIC_URL={url}".encode() in handle.read().split(b"\0")
    finally:
        code = running.stop()
    assert code in (143, 0), running.output
    assert [pid for pid in children if cl.pid_alive(pid)] == []
    deadline = time.monotonic() + 10
    while not port_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert port_free(port)


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""

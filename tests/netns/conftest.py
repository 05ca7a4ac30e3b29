"""The class's network: a laptop and a phone as two Linux network namespaces joined by a veth pair.

Root only (`ip netns`): elsewhere these tests skip with a message; with CI=true a network that
cannot be made fails them. Addresses come from 198.18.0.0/15 only (set aside for network tests,
never routed). Everything made here (processes in the namespaces, the namespaces, the veth pair)
is removed afterwards, also when a test fails; leftovers of an earlier crashed run (names with a
pid that no longer runs) are removed first.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"
IP = shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip") if os.path.exists(p)), None)
LAPTOP_IP, PHONE_IP, PREFIX = "198.18.0.1", "198.18.0.2", 24  # RFC 2544 benchmarking range only
# Names carry the pid of the test process that made them, so a crashed run's leftovers are known.
_OURS = re.compile(r"^tgbm-(?:laptop|phone|lonely)-(\d+)$")
_OUR_LINKS = re.compile(r"^tgbm[LP](\d+)$")


def cannot(why: str) -> None:
    """The namespaces cannot be made: CI fails, elsewhere the test is skipped with the reason."""
    message = f"two-host network test needs root and iproute2 (`ip netns`): {why}"
    if IN_CI:
        pytest.fail(message + " (CI=true: this test must run)", pytrace=False)
    pytest.skip(message)


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([IP, *args], capture_output=True, text=True, timeout=30)
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done


def in_ns(ns: str, *cmd: str) -> list[str]:
    return [IP, "netns", "exec", ns, *cmd]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def delete_namespace(ns: str) -> None:
    """Stop every process still inside `ns`, then delete it (its end of a veth pair goes with it)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = [int(p) for p in ip("netns", "pids", ns, check=False).stdout.split()]
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while pids and time.monotonic() < deadline and any(_pid_alive(p) for p in pids):
            time.sleep(0.1)
    ip("netns", "delete", ns, check=False)


def clean_leftovers() -> None:
    """Remove namespaces and veth ends left by an earlier run whose test process is gone."""
    for line in ip("netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        found = _OURS.match(name)
        if found and not _pid_alive(int(found.group(1))):
            delete_namespace(name)
    for line in ip("-o", "link", "show", check=False).stdout.splitlines():
        fields = line.split(":")
        name = fields[1].strip().split("@")[0] if len(fields) > 1 else ""
        found = _OUR_LINKS.match(name)
        if found and not _pid_alive(int(found.group(1))):
            ip("link", "delete", name, check=False)


def require_netns() -> None:
    if sys.platform != "linux":
        cannot("Linux only")
    if os.geteuid() != 0:
        cannot("not running as root")
    if not IP:
        cannot("`ip` not found (apt-get install iproute2)")


@dataclass(frozen=True)
class Network:
    laptop: str  # namespace names
    phone: str

    def laptop_cmd(self, *cmd: str) -> list[str]:
        return in_ns(self.laptop, *cmd)

    def phone_cmd(self, *cmd: str) -> list[str]:
        return in_ns(self.phone, *cmd)


@contextmanager
def lonely_namespace():
    """A namespace with nothing but `lo`: a laptop with Wi-Fi off and no hotspot."""
    require_netns()
    clean_leftovers()
    ns = f"tgbm-lonely-{os.getpid()}"
    try:
        ip("netns", "add", ns)
        ip("-n", ns, "link", "set", "lo", "up")
    except (RuntimeError, OSError) as error:
        delete_namespace(ns)
        cannot(str(error))
    try:
        yield ns
    finally:
        delete_namespace(ns)


@contextmanager
def two_hosts():
    """laptop (198.18.0.1/24, default route via the phone) ⟷ veth ⟷ phone (198.18.0.2/24).

    The default route makes core.origin.lan_address() in the laptop find 198.18.0.1 by its route
    probe, as on a real Wi-Fi network."""
    require_netns()
    clean_leftovers()
    pid = os.getpid()
    net = Network(laptop=f"tgbm-laptop-{pid}", phone=f"tgbm-phone-{pid}")
    veth_laptop, veth_phone = f"tgbmL{pid}", f"tgbmP{pid}"
    try:
        try:
            ip("netns", "add", net.laptop)
            ip("netns", "add", net.phone)
            ip("link", "add", veth_laptop, "type", "veth", "peer", "name", veth_phone)
            ip("link", "set", veth_laptop, "netns", net.laptop)
            ip("link", "set", veth_phone, "netns", net.phone)
            for ns, dev, address in ((net.laptop, veth_laptop, LAPTOP_IP), (net.phone, veth_phone, PHONE_IP)):
                ip("-n", ns, "link", "set", "lo", "up")
                ip("-n", ns, "addr", "add", f"{address}/{PREFIX}", "dev", dev)
                ip("-n", ns, "link", "set", dev, "up")
            ip("-n", net.laptop, "route", "add", "default", "via", PHONE_IP)
        except (RuntimeError, OSError) as error:
            cannot(str(error))
        yield net
    finally:
        delete_namespace(net.laptop)
        delete_namespace(net.phone)
        ip("link", "delete", veth_laptop, check=False)  # only if it never left this namespace


def chromium_in(ns: str, chromium: str, folder: Path) -> Path:
    """An executable that starts Chromium inside `ns`: Playwright launches it as the browser and
    talks to it over the inherited pipes, so the driver stays here and the browser's network is
    the namespace's (`ip netns exec` replaces itself with Chromium: the pid is the browser's)."""
    wrapper = folder / f"chromium-{ns}"
    wrapper.write_text(f'#!/bin/sh\nexec {IP} netns exec {ns} {chromium} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def wait_health(cmd_prefix: list[str], url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until `url` answers "ok" when fetched with `cmd_prefix` (e.g. from the phone's namespace)."""
    probe = "import sys, urllib.request as u; sys.exit(u.urlopen(sys.argv[1], timeout=2).read() != b'ok')"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        if subprocess.run([*cmd_prefix, sys.executable, "-c", probe, url], capture_output=True,
                          timeout=30).returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{url} not healthy after {timeout} s")

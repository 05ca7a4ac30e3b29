"""The public origin: the scheme, host and port that students' phones use to open a shared link.

One rule, used by the share dialog, every QR code, the live room's student link, lesson links and
citations (no Streamlit here; components/origin.py gathers the inputs of a run):

1. the setting ``TGBM_PUBLIC_URL`` (e.g. ``http://lop-hoc.truong.edu.vn:8080``), when it is a
   valid http(s) address;
2. else the browser's own origin, when its host is not a loopback name or address (the lecturer
   opened the app by an address that other machines can use too);
3. else the machine's address on the local network (the one Streamlit prints as "Network URL")
   with the port the browser used (which is the server's, or the balancer's in front of it),
   unless the server listens on loopback only;
4. else nothing reachable: the link keeps the browser's origin, and the page says plainly that
   phones cannot open it and which command fixes that.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

SETTING = "TGBM_PUBLIC_URL"
FALLBACK = "http://localhost:8501"
# The command that serves the app to other devices (listens on all addresses, prints the link).
FIX_COMMAND = "bash scripts/classroom.sh"
# Route lookups only: connecting a UDP socket sends nothing, it asks the kernel which local
# address would reach this (documentation) address, i.e. the address of the default route.
_ROUTE_PROBE = ("192.0.2.1", 9)


@dataclass(frozen=True)
class Origin:
    """Where shared links point, and why.

    source: ``setting`` | ``browser`` | ``network`` (the lecturer is on localhost; phones use the
    machine's network address) | ``loopback`` (the server listens on this machine only) |
    ``offline`` (the machine has no network address).
    """

    url: str
    source: str

    @property
    def reachable(self) -> bool:
        return self.source in ("setting", "browser", "network")


def _split_origin(url: str | None) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of an http(s) URL, or None when it is not one."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port


def _join(scheme: str, host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{shown}" + (f":{port}" if port and port != default else "")


def is_loopback(host: str | None) -> bool:
    """Whether a host name or address means 'this machine only' (localhost, 127.0.0.0/8, ::1, 0.0.0.0)."""
    if not host:
        return True
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def listens_on_loopback_only(address: str | None) -> bool:
    """Streamlit's server.address: empty means every address; '0.0.0.0' and '::' too."""
    if not address or address.strip() in ("0.0.0.0", "::", "[::]"):
        return False
    return is_loopback(address)


def setting_origin(value: str | None) -> str | None:
    """The origin of a TGBM_PUBLIC_URL value, or None when unset or not an http(s) address."""
    split = _split_origin(value)
    return _join(*split) if split else None


def public_origin(setting: str | None, browser_url: str | None, listen_address: str | None,
                  server_port: int | None, lan_address: str | None) -> Origin:
    """The origin shared links use (see the module's rule), from what a run knows."""
    configured = setting_origin(setting)
    if configured:
        return Origin(configured, "setting")
    browser = _split_origin(browser_url)
    if browser and not is_loopback(browser[1]):
        return Origin(_join(*browser), "browser")
    scheme, port = (browser[0], browser[2]) if browser else ("http", None)
    port = port or server_port
    own = _join(scheme, browser[1], port) if browser else (_join("http", "localhost", port) if port else FALLBACK)
    if listens_on_loopback_only(listen_address):
        return Origin(own, "loopback")
    if lan_address and not is_loopback(lan_address):
        return Origin(_join(scheme, lan_address, port), "network")
    return Origin(own, "offline")


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def lan_address() -> str | None:
    """This machine's IPv4 address on the local network, or None when it has none.

    First the address of the default route (what Streamlit prints as "Network URL"); a laptop
    serving its own hotspot with no internet may have no default route, so then the first
    usable address of an interface that is up, private ranges first."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            address = probe.getsockname()[0]
        if _usable(address):
            return address
    except OSError:
        pass
    return _interface_address()


def _interface_address() -> str | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in requirements.txt
        return None
    try:
        stats = psutil.net_if_stats()
        found = [addr.address for name, addrs in psutil.net_if_addrs().items()
                 if stats.get(name) and stats[name].isup
                 for addr in addrs if addr.family == socket.AF_INET and _usable(addr.address)]
    except OSError:
        return None
    found.sort(key=lambda a: not ipaddress.ip_address(a).is_private)
    return found[0] if found else None

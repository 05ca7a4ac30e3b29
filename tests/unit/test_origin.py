"""The public origin rule (core/origin.py): every branch, in the order the rule gives them."""

import socket
from types import SimpleNamespace

import pytest

from core import origin
from core.origin import public_origin


def test_the_setting_wins_over_everything():
    got = public_origin("http://lop-hoc.truong.edu.vn:8080/", "http://10.0.0.5:8501/merger", "127.0.0.1", 8501,
                        "192.168.1.5")
    assert (got.url, got.source, got.reachable) == ("http://lop-hoc.truong.edu.vn:8080", "setting", True)


@pytest.mark.parametrize("value", ["", "   ", "lop-hoc:8080", "ftp://x.example", "http://", "http://x:99999"])
def test_a_setting_that_is_not_an_http_address_is_ignored(value):
    got = public_origin(value, "http://localhost:8501/", "", 8501, "192.168.1.5")
    assert got.source == "network"


def test_setting_keeps_https_and_drops_the_default_port_and_path():
    assert origin.setting_origin("https://lop.example:443/app?x=1") == "https://lop.example"


def test_the_browsers_own_origin_when_it_is_not_loopback():
    got = public_origin(None, "http://192.168.1.5:8501/timeline?topic=merger", "", 8501, "10.1.1.1")
    assert (got.url, got.source) == ("http://192.168.1.5:8501", "browser")
    got = public_origin(None, "https://lop.example/merger", "127.0.0.1", 8501, None)
    assert (got.url, got.source) == ("https://lop.example", "browser")  # a proxy in front: its name works


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost", "0.0.0.0"])
def test_loopback_browser_uses_the_network_address_with_the_browsers_port(host):
    got = public_origin(None, f"http://{host}:8600/merger?unit=20194", "", 8501, "192.168.1.5")
    assert (got.url, got.source, got.reachable) == ("http://192.168.1.5:8600", "network", True)


def test_the_servers_port_when_the_browser_gave_none():
    got = public_origin(None, None, "0.0.0.0", 8501, "192.168.1.5")
    assert (got.url, got.source) == ("http://192.168.1.5:8501", "network")


@pytest.mark.parametrize("listen", ["127.0.0.1", "localhost", "::1"])
def test_a_server_on_loopback_only_is_unreachable(listen):
    got = public_origin(None, "http://localhost:8501/", listen, 8501, "192.168.1.5")
    assert (got.url, got.source, got.reachable) == ("http://localhost:8501", "loopback", False)


def test_no_network_address_is_unreachable():
    got = public_origin(None, "http://127.0.0.1:8501/", "", 8501, None)
    assert (got.url, got.source, got.reachable) == ("http://127.0.0.1:8501", "offline", False)
    assert public_origin(None, "http://127.0.0.1:8501/", "", 8501, "127.0.1.1").source == "offline"


def test_nothing_known_falls_back_to_the_default_address():
    got = public_origin(None, None, "127.0.0.1", None, None)
    assert (got.url, got.source) == (origin.FALLBACK, "loopback")


@pytest.mark.parametrize(("address", "loopback_only"), [
    (None, False), ("", False), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False),
    ("127.0.0.1", True), ("localhost", True), ("::1", True)])
def test_listen_addresses(address, loopback_only):
    assert origin.listens_on_loopback_only(address) is loopback_only


class FakeSocket:
    """A UDP socket whose route lookup answers `address`, or fails when it is None (no route)."""

    address: str | None = None

    def __init__(self, *_):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def connect(self, target):
        if self.address is None:
            raise OSError(101, "Network is unreachable")

    def getsockname(self):
        return (self.address, 40000)


def test_lan_address_from_the_default_route(monkeypatch):
    monkeypatch.setattr(FakeSocket, "address", "198.18.0.1")
    monkeypatch.setattr(origin.socket, "socket", FakeSocket)
    assert origin.lan_address() == "198.18.0.1"


def test_lan_address_without_a_default_route_reads_the_interfaces(monkeypatch):
    import psutil

    addr = lambda a, fam=socket.AF_INET: SimpleNamespace(family=fam, address=a)  # noqa: E731
    monkeypatch.setattr(origin.socket, "socket", FakeSocket)
    monkeypatch.setattr(psutil, "net_if_stats", lambda: {"lo": SimpleNamespace(isup=True),
                                                         "wlan0": SimpleNamespace(isup=True),
                                                         "eth0": SimpleNamespace(isup=False)})
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: {
        "lo": [addr("127.0.0.1")], "eth0": [addr("192.168.9.9")],
        "wlan0": [addr("fe80::1", socket.AF_INET6), addr("169.254.3.3"), addr("10.42.0.1")]})
    assert origin.lan_address() == "10.42.0.1"  # a hotspot's own address; down and link-local skipped
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: {"lo": [addr("127.0.0.1")]})
    assert origin.lan_address() is None

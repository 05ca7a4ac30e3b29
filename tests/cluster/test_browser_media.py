"""Chromium through the balancer: on every replica, the share dialog's QR code reads and the CSV
download (a media file) loads from the replica that holds the browser's session."""

from __future__ import annotations

import io
import os
import signal
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from harness import cluster as cl
from tests.browser.conftest import ROOT, new_context, wait_for_app

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

VIEW = "/timeline?topic=merger&from=2025-06-01&to=2025-07-31"
OUTPUT = ROOT / "test-output" / "cluster"


def cookie_per_replica(cluster) -> dict[str, str]:
    """An affinity cookie value that nginx maps to each replica, from plain page loads."""
    found: dict[str, str] = {}
    for _ in range(40):
        status, headers, _ = cl.http_get(cluster.base_url + "/")
        value = SimpleCookie(headers["Set-Cookie"])[cl.AFFINITY_COOKIE].value
        found.setdefault(cl.last_upstream(headers["X-Upstream"]), value)
        if len(found) == len(cluster.replicas()):
            break
    return found


def _check_qr(page) -> None:
    """Open the share dialog; its QR code decodes to the link shown beside it."""
    page.locator(".st-key-share-open button").click()
    dialog = page.get_by_role("dialog")
    image = dialog.locator("img.share-qr")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    assert decoded and decoded[0].text == dialog.get_by_test_id("stCode").inner_text().strip()


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_qr_and_csv_load_for_browsers_on_every_replica(cluster, browser, size):
    cookies = cookie_per_replica(cluster)
    assert set(cookies) == {r.address for r in cluster.replicas()}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    # One browser per replica: projector size on one, phone on the other, then swapped.
    replica = sorted(cookies)[0 if size == "projector" else 1]
    ctx = new_context(browser, size)
    ctx.add_cookies([{"name": cl.AFFINITY_COOKIE, "value": cookies[replica], "url": cluster.base_url}])
    page = ctx.new_page()
    media: list = []
    page.on("response", lambda r: media.append(r) if urlsplit(r.url).path.startswith("/media/") else None)
    try:
        response = page.goto(cluster.base_url + VIEW)
        assert response.headers["x-upstream"] == replica
        wait_for_app(page)

        _check_qr(page)
        page.screenshot(path=OUTPUT / f"share-through-nginx-{size}.png")
        page.keyboard.press("Escape")
        page.get_by_role("dialog").wait_for(state="detached")

        with page.expect_download(timeout=30000) as info:
            page.get_by_test_id("stDownloadButton").locator("button").click()
        data = open(info.value.path(), "rb").read()
        assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") >= 2

        assert [r for r in media if r.status >= 400] == []
        served = [r for r in media if r.status == 200]
        assert served, "the CSV was not fetched from /media/"
        assert {r.headers["x-upstream"] for r in served} == {replica}
    finally:
        ctx.close()


def test_browser_keeps_its_view_when_its_replica_dies(cluster, browser):
    """Streamlit's own client, through nginx: its websocket drops with its replica, it reconnects
    to the other replica and keeps the same view. Streamlit 1.67's client does not rerun the page
    on reconnect when no run was interrupted (streamlit PR #9083), so media drawn by the dead
    replica stay broken until the page runs again. After a reload (on a live replica) the share
    dialog's inline QR code reads."""
    ctx = new_context(browser, "projector")
    page = ctx.new_page()
    try:
        response = page.goto(cluster.base_url + VIEW)
        victim = cluster.replica_at(cl.last_upstream(response.headers["x-upstream"]))
        wait_for_app(page)
        url = page.url
        title = page.get_by_role("heading", level=1).first.inner_text()
        with page.expect_websocket(timeout=30000) as reconnected:
            os.kill(victim.pid, signal.SIGKILL)
        assert reconnected.value.url.endswith("/_stcore/stream")
        wait_for_app(page, timeout=60000)
        assert page.url == url
        assert page.get_by_role("heading", level=1).first.inner_text() == title
        assert page.get_by_test_id("stException").count() == 0

        # A reconnected client has not run the page on its new replica yet, so the first click only
        # reruns it (the callback is unknown there); after a reload the share dialog opens at once.
        reloaded = page.reload()  # the cookie's replica, or the other one while it is down
        wait_for_app(page, timeout=60000)
        assert page.url == url and reloaded.status == 200
        assert page.get_by_role("heading", level=1).first.inner_text() == title
        _check_qr(page)
    finally:
        ctx.close()
        # Leave the cluster whole for the other tests: the script restarts the replica.
        cl.wait_until_balanced(cluster)

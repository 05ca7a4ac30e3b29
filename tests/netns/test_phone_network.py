"""The class's network for real: the app on a laptop, a phone on another host of the same network.

The laptop and the phone are network namespaces joined by a veth pair (tests/netns/conftest.py).
The app listens on all addresses in the laptop; the lecturer's Chromium runs in the laptop and
opens the app as http://localhost:P, the phone's Chromium runs in the phone's namespace, where
localhost is the phone itself and the only way to the app is the laptop's address. So the share
dialog's QR code and the live room's student link work on the phone only if they carry the
laptop's network address (core/origin.py's rule, step 3)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_no_exception,
    new_context,
    screenshot,
    wait_for_app,
)
from tests.netns.conftest import LAPTOP_IP, ROOT, chromium_in, two_hosts, wait_health

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PORT = 8501  # the namespaces are fresh: Streamlit's own default port is free there
UNIT = "20194"
UNIT_NAME = unicodedata.normalize("NFC", "Hòa Liên")
FOLLOW_TIMEOUT = 30000  # generous for a loaded machine; speed is measured in benchmarks/live.py


@pytest.fixture(scope="module")
def network():
    with two_hosts() as net:
        yield net


@pytest.fixture(scope="module")
def laptop_app(network, tmp_path_factory):
    """`streamlit run app.py` on all addresses inside the laptop; live rooms in a tmp SQLite file."""
    folder = tmp_path_factory.mktemp("laptop")
    env = dict(os.environ, PYTHONUNBUFFERED="1", ROOMS_DB=str(folder / "rooms.sqlite3"))
    env.pop("TGBM_PUBLIC_URL", None)  # the address must come from the network itself
    found = subprocess.run(network.laptop_cmd(sys.executable, "-c",
                                              "from core import origin; print(origin.lan_address())"),
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert found.stdout.strip() == LAPTOP_IP, found.stdout + found.stderr
    log = (folder / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        network.laptop_cmd(sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                           "--server.address", "0.0.0.0", "--server.port", str(PORT),
                           "--server.headless", "true", "--browser.gatherUsageStats", "false",
                           "--logger.hideWelcomeMessage", "true"),  # no external-address lookup
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # Healthy as seen from the phone: the network path works before any browser starts.
        wait_health(network.phone_cmd(), f"http://{LAPTOP_IP}:{PORT}/_stcore/health", proc)
        yield PORT
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browsers(browser, network, tmp_path_factory):
    """A Chromium in each namespace, driven by the session's Playwright (one per thread)."""
    folder = tmp_path_factory.mktemp("chromium")
    launched = []
    try:
        for ns in (network.laptop, network.phone):
            launched.append(browser.browser_type.launch(
                executable_path=str(chromium_in(ns, CHROMIUM, folder)), args=CHROMIUM_ARGS))
        yield tuple(launched)
    finally:
        for chromium in launched:
            chromium.close()


def open_connected(page, url: str) -> None:
    """Open a page in a namespaced Chromium. In two of three full-suite runs (never when tests/netns
    ran alone) a page, first the laptop's first one and once the phone's, had not connected its
    websocket after 30 s; a reload connected it. The cause is not found yet: the screenshot is
    kept, and a second failure fails the test."""
    page.goto(url)
    try:
        wait_for_app(page)
    except AssertionError:
        screenshot(page, "netns-first-page-not-connected")
        page.reload()
        wait_for_app(page)


def decode_qr(locator) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))
    assert found, "no QR code could be read"
    return found[0].text


def wait_image_loaded(page, selector: str) -> None:
    page.wait_for_function("s => { const i = document.querySelector(s);"
                           " return i && i.complete && i.naturalWidth > 0; }", arg=selector)


def test_phone_opens_the_share_dialogs_qr_code(laptop_app, browsers):
    laptop_browser, phone_browser = browsers
    lecturer_ctx, phone_ctx = new_context(laptop_browser), new_context(phone_browser, "phone")
    try:
        lecturer = lecturer_ctx.new_page()
        open_connected(lecturer, f"http://localhost:{laptop_app}/merger?unit={UNIT}")
        assert_no_exception(lecturer)
        title = lecturer.locator("[data-testid=stMain] h1").first.inner_text()
        lecturer.locator(".st-key-share-open button").click()
        dialog = lecturer.locator(".st-key-share-dialog")
        expect(dialog.locator("img.share-qr")).to_be_visible()
        wait_image_loaded(lecturer, "img.share-qr")
        expected = f"http://{LAPTOP_IP}:{laptop_app}/merger?unit={UNIT}"
        assert decode_qr(dialog.locator("img.share-qr")) == expected
        expect(dialog.locator(".st-key-share-link")).to_have_text(expected)
        expect(dialog).to_contain_text(LAPTOP_IP)  # which address the phones use

        # The phone is another host: its localhost has no app, only the laptop's address works.
        probe = phone_ctx.new_page()
        with pytest.raises(PlaywrightError, match="ERR_CONNECTION_REFUSED"):
            probe.goto(f"http://localhost:{laptop_app}/_stcore/health")
        probe.close()
        phone = phone_ctx.new_page()
        open_connected(phone, expected)
        assert_no_exception(phone)
        assert urlsplit(phone.url).path == "/merger" and parse_qs(urlsplit(phone.url).query) == {"unit": [UNIT]}
        expect(phone.locator("[data-testid=stMain] h1").first).to_have_text(title)
        expect(phone.get_by_text(UNIT_NAME).first).to_be_visible()
    finally:
        lecturer_ctx.close()
        phone_ctx.close()


def test_phone_joins_the_live_room_and_follows(laptop_app, browsers):
    laptop_browser, phone_browser = browsers
    lecturer_ctx, phone_ctx = new_context(laptop_browser), new_context(phone_browser, "phone")
    local = f"http://localhost:{laptop_app}"
    try:
        lecturer = lecturer_ctx.new_page()
        open_connected(lecturer, local + "/live")
        lecturer.locator(".st-key-live-start button").click()
        wait_for_app(lecturer)
        lecturer.wait_for_url(lambda url: "room" in parse_qs(urlsplit(url).query))
        code = parse_qs(urlsplit(lecturer.url).query)["room"][0]
        link = f"http://{LAPTOP_IP}:{laptop_app}/live?room={code}"
        expect(lecturer.locator(".st-key-live-student-link")).to_have_text(link)
        qr = lecturer.get_by_test_id("stImage").locator("img").first
        expect(qr).to_be_visible()
        wait_image_loaded(lecturer, "[data-testid=stImage] img")
        assert decode_qr(qr) == link

        phone = phone_ctx.new_page()
        open_connected(phone, link)
        expect(phone.locator(".st-key-live-away button")).to_be_visible(timeout=FOLLOW_TIMEOUT)
        assert parse_qs(urlsplit(phone.url).query).get("room") == [code]

        # The host key stays in the lecturer's browser (session and cookie), not in the link.
        lecturer.goto(f"{local}/merger?unit={UNIT}&room={code}")
        wait_for_app(lecturer)
        lecturer.locator(".st-key-live-push button").click()
        wait_for_app(lecturer)

        def moved(url: str) -> bool:
            parts = urlsplit(url)
            params = parse_qs(parts.query)
            return parts.path == "/merger" and params.get("unit") == [UNIT] and params.get("room") == [code]

        phone.wait_for_url(moved, timeout=FOLLOW_TIMEOUT, wait_until="commit")
        wait_for_app(phone)
        assert_no_exception(phone)
        expect(phone.get_by_text(UNIT_NAME).first).to_be_visible()
        expect(phone.locator(".st-key-live-push")).to_have_count(0)  # the phone does not drive
    finally:
        lecturer_ctx.close()
        phone_ctx.close()

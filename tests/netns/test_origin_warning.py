"""The public origin in Chromium, on this machine: a server bound to loopback says plainly that
phones cannot open its links (and which command fixes it); TGBM_PUBLIC_URL names the address."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from core import origin
from tests.browser.conftest import new_context, start_server, wait_for_app

pytestmark = pytest.mark.browser
SCHOOL = "http://lop-hoc.example:8080"


@pytest.fixture(scope="module")
def loopback_server():
    with start_server(env={origin.SETTING: ""}) as app:  # 127.0.0.1 only, no setting
        yield app.base_url


@pytest.fixture(scope="module")
def school_server():
    with start_server(env={origin.SETTING: SCHOOL}) as app:
        yield app.base_url


@pytest.fixture
def page(browser):
    ctx = new_context(browser)
    yield ctx.new_page()
    ctx.close()


def open_share(page, url: str):
    page.goto(url)
    wait_for_app(page)
    page.locator(".st-key-share-open button").click()
    dialog = page.locator(".st-key-share-dialog")
    expect(dialog.locator("img.share-qr")).to_be_visible()
    page.wait_for_function("() => { const i = document.querySelector('img.share-qr');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    return dialog


def decode(locator) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))
    assert found, "no QR code could be read"
    return found[0].text


def start_room(page, base: str):
    page.goto(base + "/live")
    wait_for_app(page)
    page.locator(".st-key-live-start button").click()
    wait_for_app(page)
    link = page.locator(".st-key-live-student-link")
    expect(link).to_be_visible()
    return link


def test_loopback_server_warns_in_the_share_dialog_and_the_live_room(page, loopback_server):
    dialog = open_share(page, loopback_server + "/merger?unit=20194")
    warning = dialog.get_by_test_id("stAlertContainer")
    expect(warning).to_contain_text(origin.FIX_COMMAND)
    expect(warning).to_contain_text("chỉ nhận kết nối từ chính máy này")  # origin.loopback, in Vietnamese
    # The link still works on this machine: the browser's own origin.
    expect(dialog.locator(".st-key-share-link")).to_have_text(loopback_server + "/merger?unit=20194")

    start_room(page, loopback_server)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stAlertContainer").filter(has_text=origin.FIX_COMMAND)).to_have_count(1)


def test_setting_names_the_address_of_links_and_qr_codes(page, school_server):
    dialog = open_share(page, school_server + "/merger?unit=20194")
    shown = SCHOOL + "/merger?unit=20194"
    expect(dialog.locator(".st-key-share-link")).to_have_text(shown)
    assert decode(dialog.locator("img.share-qr")) == shown
    expect(dialog.get_by_test_id("stAlertContainer")).to_have_count(0)
    expect(dialog).not_to_contain_text(origin.FIX_COMMAND)

    link = start_room(page, school_server)
    expect(link).to_have_text(re.compile("^" + re.escape(SCHOOL) + r"/live\?room=[2-9A-Z]{6}$"))
    expect(page.get_by_test_id("stMain")).not_to_contain_text(origin.FIX_COMMAND)

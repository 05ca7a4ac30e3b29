"""Browser fixtures: a real `streamlit run` server on a free port and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from harness.server import Server
from harness.server import start_server as start_app
from tests.browser.run_tracker import STREAM_PATH, RunTracker

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
DATA_ROOT = ROOT / "data"
SIZES = {"projector": (1366, 768), "phone": (390, 844)}
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str) -> None:
    """A required part is not installed: in CI (CI=true) the run fails, elsewhere the test skips."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but not installed", pytrace=False)
    pytest.skip(f"{what} not installed (apt-get install chromium, or set CHROMIUM=…)")


def start_server(data_dir: Path | None = None, env: dict | None = None) -> Server:
    """The app on a free loopback port (harness.server; its log goes to a file, never a pipe) once
    its health check answers; `env`: extra environment variables. Stop it with `.stop()`."""
    return start_app(ROOT / "app.py", data_dir=data_dir, extra_env=env)


@pytest.fixture(scope="session")
def server():
    with start_server() as running:
        yield running.base_url


def new_context(browser, size: str = "projector", offline: bool = False):
    """A fresh browser context (like a new student's browser), optionally with no internet."""
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                              timezone_id="Asia/Ho_Chi_Minh")
    if offline:
        ctx.route("**/*", lambda route: route.continue_()
                  if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
                  or route.request.url.startswith(("data:", "blob:")) else route.abort())
    return track_runs(ctx)


def track_runs(ctx):
    """Give every page of this context (those open now and those to come) a RunTracker fed by its
    Streamlit websocket, for `wait_for_app`. Returns the context."""
    for pg in ctx.pages:
        _track_page(pg)
    ctx.on("page", _track_page)
    return ctx


def _track_page(page) -> None:
    if getattr(page, "_run_tracker", None) is not None:
        return
    tracker = page._run_tracker = RunTracker()

    def on_websocket(ws) -> None:
        if STREAM_PATH not in ws.url:
            return
        tracker.opened(ws)
        ws.on("framesent", lambda payload: tracker.sent(ws, payload))
        ws.on("framereceived", lambda payload: tracker.received(ws, payload))
        ws.on("close", tracker.closed)

    def on_request(request) -> None:
        # A new document in the page (a followed link, a reload): its websocket is yet to come.
        if request.is_navigation_request() and request.frame == page.main_frame:
            tracker.leaving(request)

    page.on("websocket", on_websocket)
    page.on("request", on_request)
    page.on("requestfailed", tracker.stayed)
    page.on("download", lambda download: tracker.stayed(None))


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    yield pg
    pg.close()


CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
QUIET_SECONDS = 2.0  # a connected page whose socket has asked for no run this long asks for none


def _wait_for_run(page, timeout: int) -> None:
    """Wait until a script run that started after the page's last rerun request has finished (an
    action that asked for no run finds this true already). Twice in a row, 50 ms apart, so that
    a request the browser sent just before is reported first. A page with no tracker (its context
    not made by `new_context`/`track_runs`) gets a short wait for a run to start instead."""
    from playwright.sync_api import Error as PlaywrightError

    tracker = getattr(page, "_run_tracker", None)
    if tracker is None:
        try:
            page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(
                state="attached", timeout=400)
        except PlaywrightError:
            pass  # the run was already over, or this action started none
        return
    began = time.monotonic()
    deadline = began + timeout / 1000
    seen = 0
    while True:
        seen = seen + 1 if tracker.settled() else 0
        if seen == 2:
            return
        if tracker.requests == 0 and time.monotonic() - began > QUIET_SECONDS and (
                tracker.ws is not None or page.locator(CONNECTED).count()):
            # Connected, yet no run asked for on this socket: a reconnect to another replica that
            # reruns nothing, or a browser (connected over a wrapper) whose frames Playwright does
            # not report. Nothing is pending here; the DOM checks below decide.
            return
        if not seen and time.monotonic() > deadline:
            raise AssertionError(f"no script run finished after the last rerun request within "
                                 f"{timeout} ms ({tracker.describe()})")
        page.wait_for_timeout(50)


def request_mark(page) -> tuple | None:
    """Where the page's websocket stands before an action: pass it to `await_request`."""
    tracker = getattr(page, "_run_tracker", None)
    return None if tracker is None else tracker.mark()


def await_request(page, mark: tuple | None, timeout: int = 2000) -> bool:
    """After an action that normally asks for a run, wait (at most `timeout` ms) until the browser
    has asked for one, or has left the document. `wait_for_app` alone cannot tell "this action asked
    for no run" from "the browser has not sent its request yet", which a busy machine can delay
    past its first checks. False when nothing was asked within the time (an action that changed
    nothing, such as choosing the option already chosen) or the page has no tracker."""
    tracker = getattr(page, "_run_tracker", None)
    if tracker is None or mark is None:
        return False
    deadline = time.monotonic() + timeout / 1000
    while not tracker.asked_since(mark):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(25)
    return True


def wait_for_app(page, timeout: int = 30000) -> None:
    """Wait as Streamlit's own e2e tests do: the run the last action asked for has finished (read
    from the page's websocket), connected, script not running, no skeletons."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    _wait_for_run(page, timeout)
    page.locator(CONNECTED).wait_for(state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    # Streamlit 1.67 draws far-off elements of a long page as skeletons until they are scrolled
    # near; bring each into view (bounded) and wait until it is drawn, then return to the top.
    skeletons = page.get_by_test_id("stSkeleton")
    for _ in range(60):
        count = skeletons.count()
        if not count:
            break
        try:
            skeletons.first.scroll_into_view_if_needed(timeout=2000)
            page.wait_for_function(
                "n => document.querySelectorAll('[data-testid=stSkeleton]').length < n", arg=count,
                timeout=3000)
        except PlaywrightError:
            pass  # redrawn or replaced meanwhile: count again
    expect(skeletons).to_have_count(0, timeout=timeout)
    page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollTo(0, 0)")


def open_view(page, base: str, path: str) -> None:
    page.goto(base + path)
    wait_for_app(page)


def query(page) -> dict[str, list[str]]:
    """The current URL's query parameters, decoded."""
    return parse_qs(urlsplit(page.url).query)


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    target = OUTPUT / f"{name}.png"
    # Streamlit scrolls inside stMain, so a full-page shot needs a viewport as tall as the content.
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    tall = min(max(height, size["height"]), 8000)
    page.set_viewport_size({"width": size["width"], "height": tall})
    page.wait_for_function("h => window.innerHeight === h", arg=tall)
    page.screenshot(path=str(target))
    page.set_viewport_size(size)
    return target


def assert_no_exception(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)

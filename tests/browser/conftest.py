"""Browser fixtures: a real `streamlit run` server on a free port and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

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
pytestmark = pytest.mark.browser


def missing(what: str) -> None:
    """A required part is not installed: in CI (CI=true) the run fails, elsewhere the test skips."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but not installed", pytrace=False)
    pytest.skip(f"{what} not installed (apt-get install chromium, or set CHROMIUM=…)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path | None = None, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start the app on loopback and wait for its health check (`env`: extra environment variables)."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    if data_dir:
        env["TGBM_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit server did not start: " + proc.stderr.read().decode()[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server():
    proc, base = start_server()
    yield base
    stop_server(proc)


def new_context(browser, size: str = "projector", offline: bool = False):
    """A fresh browser context (like a new student's browser), optionally with no internet."""
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                              timezone_id="Asia/Ho_Chi_Minh")
    if offline:
        ctx.route("**/*", lambda route: route.continue_()
                  if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
                  or route.request.url.startswith(("data:", "blob:")) else route.abort())
    return ctx


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


def wait_for_app(page, timeout: int = 30000) -> None:
    """Wait as Streamlit's own e2e tests do: connected, script not running, no skeletons."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    # A click starts a script run a moment later: wait (briefly) for it to start, then to end.
    try:
        page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(
            state="attached", timeout=400)
    except PlaywrightError:
        pass  # the run was already over, or this action started none
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
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

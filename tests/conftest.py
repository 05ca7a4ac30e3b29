"""Shared fixtures: a private copy of data/ per test, so tests may break files freely."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from core import catalog, i18n, rooms

ROOT = Path(__file__).resolve().parent.parent
# In CI, property tests draw the same examples on every run (a failure there reproduces locally
# with HYPOTHESIS_PROFILE=ci); elsewhere they explore new examples each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "default"))
DATA = ROOT / "data"
# Markers follow from what a test runs (a `pytestmark` in a conftest marks nothing): every test in
# tests/browser or using Chromium is `browser`; load, live-room and walk tests, and cluster tests
# that start replicas, are `slow`, so `-m "not slow"` leaves them out. Tests that start servers,
# Chromium or network namespaces (tests/browser, tests/cluster, tests/netns) are `serial`:
# scripts/test.sh runs them one at a time, and every other test on all cores (pytest-xdist).
SERIAL_FOLDERS = {"browser", "cluster", "netns"}
SLOW_BROWSER_FILES = {"test_load.py", "test_live.py", "test_room_flow.py", "test_walk.py", "test_bench_quick.py"}
CLUSTER_FIXTURES = {"cluster", "running_cluster", "redis_cluster"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.path)).relative_to(ROOT).parts
        folder = parts[1] if len(parts) > 2 else ""
        uses = set(getattr(item, "fixturenames", ()))
        browser = folder == "browser" or "browser" in uses
        if browser:
            item.add_marker(pytest.mark.browser)
        if browser or folder in SERIAL_FOLDERS:
            item.add_marker(pytest.mark.serial)
        if ((folder == "browser" and item.path.name in SLOW_BROWSER_FILES)
                or (folder == "app" and item.path.name == "test_walk.py")
                or (folder == "cluster" and uses & CLUSTER_FIXTURES)):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the curated data in a temp folder, used by the app through TGBM_DATA_DIR."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("_staging"))
    monkeypatch.setenv("TGBM_DATA_DIR", str(target))
    return target


@pytest.fixture(autouse=True)
def vietnamese_by_default():
    """AppTest runs page scripts in the test's thread, so one test's language must not leak."""
    i18n.use("vi")
    yield
    i18n.use("vi")


@pytest.fixture(scope="session")
def cat():
    """The shipped data, validated once for the whole test session (read-only)."""
    return catalog.build(DATA)


@pytest.fixture(scope="session", autouse=True)
def rooms_db():
    """Live-class rooms of the test session go to a temp SQLite file (servers started by tests too)."""
    folder = tempfile.mkdtemp(prefix="rooms-")
    os.environ.setdefault("ROOMS_DB", os.path.join(folder, "rooms.sqlite3"))
    rooms.default_store.cache_clear()
    yield os.environ["ROOMS_DB"]
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: Playwright's sync API allows one instance per
    thread, and browser tests live in tests/browser and tests/cluster."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, missing

    if not CHROMIUM:
        missing("Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

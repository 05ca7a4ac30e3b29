"""Time to a fully rendered page in headless Chromium (Playwright), per link."""

from __future__ import annotations

import os
import shutil
import statistics
import time

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Streamlit's own "done" signals (as in its e2e tests) plus: every plotly chart on the page drawn.
READY = """(plotly) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== "CONNECTED"
      || app.dataset.testScriptState !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  if (!plotly) return true;
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.length > 0 && charts.every((c) => c.querySelector(".js-plotly-plot .main-svg"));
}"""


def available() -> bool:
    return bool(CHROMIUM) and os.path.exists(CHROMIUM)


def _one_load(page, url: str, plotly: bool, timeout_ms: int) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_function(READY, arg=plotly, polling="raf", timeout=timeout_ms)
    return time.perf_counter() - started


def _measure_link(page, url: str, plotly: bool, reps: int, timeout_ms: int) -> dict:
    """One discarded warm-up load, then `reps` timed loads of url in the same tab."""
    from playwright.sync_api import Error as PlaywrightError

    times, errors = [], []
    for attempt in range(reps + 1):
        try:
            seconds = _one_load(page, url, plotly, timeout_ms)
        except PlaywrightError as exc:
            errors.append(str(exc).splitlines()[0][:200])
            continue
        if attempt:
            times.append(seconds)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "min_ms": round(min(times) * 1000, 1) if times else None,
        "runs": len(times), "errors": errors,
        "exceptions_shown": page.get_by_test_id("stException").count(), "waited_for_plotly": plotly,
    }


def render_times(targets: list[tuple[str, str, str, bool]], reps: int,
                 timeout_ms: int = 60000) -> dict[str, dict]:
    """Median time from goto to fully rendered for each (label, base_url, link, has_plotly).

    One browser context per server, 1366×768, Vietnamese locale. Each link's first load is
    discarded: it fills the HTTP cache with Streamlit's static JS/CSS and the lazily loaded chunks
    the page needs (plotly.js, the dataframe grid, …), so the figures are those of a browser that
    has the assets cached and opens a new session (a new tab's page load).
    """
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tabs = {}
            for label, base_url, link, plotly in targets:
                if base_url not in tabs:
                    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                              timezone_id="Asia/Ho_Chi_Minh")
                    tabs[base_url] = ctx.new_page()
                results[label] = _measure_link(tabs[base_url], base_url + link, plotly, reps, timeout_ms)
        finally:
            browser.close()
    return results

"""Country page costs: national load + index, lookup p95, province stories, bytes a browser receives.

Usage:
  python -m benchmarks.measure_national data     # fresh process: load + validate + index; lookup p95 over
                                                 # QUERIES real queries (target ≤ 5 ms); province stories
  python -m benchmarks.measure_national bytes    # starts app.py on loopback; headless Chromium opens each
                                                 # link in a fresh context and counts every HTTP response
                                                 # body and websocket frame it receives (target ≤ 1.5 MB)
  python -m benchmarks.measure_national ws       # the websocket bytes alone, one fresh session per link
  python -m benchmarks.measure_national library  # vietnamadminunits.parse_address against the mapping
Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time

from benchmarks import measure_ws

LINKS = ("/country", "/country?q=hoa%20lien", "/country?province=48", "/country?province=79",
         "/merger?q=hoa%20lien")
QUERIES = 400  # a few hundred real queries: names, folded names, old addresses, old provinces
TARGET_MS, TARGET_BYTES = 5.0, 1_500_000


def data() -> dict:
    """Cold national load and index build, then every old commune looked up three ways."""
    started = time.perf_counter()
    from core import national, national_data, text

    loaded = time.perf_counter()
    bundle = national_data.build()
    built = time.perf_counter()
    index = national.build_index(bundle)
    indexed = time.perf_counter()
    rng = random.Random(20250701)
    units = rng.sample(list(index.old.values()), QUERIES // 4)
    queries = [q for unit in units
               for q in (unit.name, text.fold(unit.full_name), f"{unit.name}, {unit.district}, {unit.province}")]
    provinces = [p.name for p in bundle["old_provinces"]]
    queries += rng.sample(provinces, min(len(provinces), QUERIES - len(queries)))
    queries += [f"tỉnh {n}" for n in ("Hà Tây", "Hà Sơn Bình", "Nghĩa Bình")][: max(0, QUERIES - len(queries))]
    times = []
    for query in queries:
        t0 = time.perf_counter()
        national.lookup(index, query)
        times.append(time.perf_counter() - t0)
    worst = max(range(len(times)), key=times.__getitem__)
    story_times = []
    for province in bundle["provinces"]:
        t0 = time.perf_counter()
        national.province_story(bundle, index, province.code)
        story_times.append(time.perf_counter() - t0)
    p95 = measure_ws.percentile(times, 0.95)
    return {
        "import_ms": measure_ws.ms(loaded - started), "load_validate_ms": measure_ws.ms(built - loaded),
        "index_ms": measure_ws.ms(indexed - built), "queries": len(queries),
        "lookup_p50_ms": measure_ws.ms(measure_ws.percentile(times, 0.5)),
        "lookup_p95_ms": measure_ws.ms(measure_ws.percentile(times, 0.95)),
        "lookup_max_ms": measure_ws.ms(times[worst]), "slowest_query": queries[worst],
        "lookup_target_ms": TARGET_MS, "lookup_within_target": p95 * 1000 <= TARGET_MS,
        "province_story_p95_ms": measure_ws.ms(measure_ws.percentile(story_times, 0.95)),
        "province_story_max_ms": measure_ws.ms(max(story_times)),
    }


def browser_bytes() -> dict:
    """Everything a browser receives for each link until the page is drawn: every HTTP response
    (encoded size on the wire) plus every websocket frame, counted through Chromium's DevTools.

    Two loads per link: ``cold`` in a fresh browser (Streamlit's own JS/CSS/fonts included; the
    server sends them uncompressed, Plotly's bundle alone is 4.7 MB) and ``warm`` when the same
    browser opens the link again (a new session; the framework's hashed, immutable files come from
    the browser's cache, as on every visit after a student's first). ``app`` = websocket + HTTP outside /static/: what the
    view itself costs. The target (TARGET_BYTES) is checked against ``warm.total``."""
    from benchmarks import measure_browser
    from harness.server import start_server

    if not measure_browser.available():
        return {"error": "no Chromium (set CHROMIUM=/path/to/chromium)"}
    from playwright.sync_api import sync_playwright

    out = {}
    with start_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=measure_browser.CHROMIUM, args=measure_browser.CHROMIUM_ARGS)
        try:
            for link in LINKS:
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
                cold = _one_browser_load(context, server.base_url + link)
                context.close()
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
                _one_browser_load(context, server.base_url + link)
                warm = _one_browser_load(context, server.base_url + link)
                context.close()
                out[link] = {"cold": cold, "warm": warm, "within_target": warm["total"] <= TARGET_BYTES}
        finally:
            browser.close()
    return out


def _one_browser_load(context, url: str) -> dict:
    from benchmarks import measure_browser

    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, counts = {}, {"static": 0, "other_http": 0, "ws": 0, "responses": 0, "frames": 0, "cached": 0}

    def finished(event):
        size = int(event.get("encodedDataLength") or 0)  # 0 for a response served from the cache
        counts["static" if "/static/" in urls.get(event["requestId"], "") else "other_http"] += size
        counts["responses"] += 1

    def frame(event):
        payload = event["response"].get("payloadData") or ""
        # binary frames arrive base64-encoded (opcode 2): count the bytes, not the text
        counts["ws"] += len(payload) * 3 // 4 if event["response"].get("opcode") == 2 else len(payload.encode())
        counts["frames"] += 1

    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda e: counts.__setitem__("cached", counts.get("cached", 0) + 1))
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120_000)
    page.wait_for_function(measure_browser.READY, arg=False, polling="raf", timeout=120_000)
    if "/country" in url:  # every country view draws a map
        page.locator("path.choroplethlocation").nth(33).wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # late frames (fragments, other charts) and lazy chunks
    ms = measure_ws.ms(time.perf_counter() - started)
    page.close()
    return {"total": counts["static"] + counts["other_http"] + counts["ws"],
            "app": counts["other_http"] + counts["ws"], **counts, "ms": ms}


def page_bytes() -> dict:
    """Websocket bytes of one fresh session's first run of each link (static JS/CSS not counted)."""
    from harness.server import start_server

    with start_server() as server:
        targets = [(link, server.base_url, link) for link in LINKS]
        return asyncio.run(measure_ws.first_opens(targets, timeout=120))


def library(sample: int = 2000) -> dict:
    """vietnamadminunits.parse_address (offline LEGACY mode) on 'ward, district, province' addresses."""
    from core import national, national_data

    index = national.build_index(national_data.build())
    t0 = time.perf_counter()
    from vietnamadminunits import parse_address
    from vietnamadminunits.parser import ParseMode

    imported = time.perf_counter() - t0
    units = random.Random(1).sample(list(index.old.values()), sample)
    right = wrong = none = 0
    times = []
    for unit in units:
        t0 = time.perf_counter()
        parsed = parse_address(f"{unit.full_name}, {unit.district}, {unit.province}", mode=ParseMode.LEGACY)
        times.append(time.perf_counter() - t0)
        code = (parsed.ward_code or "").zfill(5) if parsed.ward_code else ""
        right, wrong, none = (right + (code == unit.code), wrong + (bool(code) and code != unit.code),
                              none + (not code))
    ward_only = [parse_address(u.full_name, mode=ParseMode.LEGACY).ward_code for u in units[:200]]
    return {"import_ms": measure_ws.ms(imported), "addresses": sample, "right": right, "wrong": wrong,
            "no_answer": none, "p95_ms": measure_ws.ms(measure_ws.percentile(times, 0.95)),
            "ward_name_only_answered": sum(bool(c) for c in ward_only), "ward_name_only_of": len(ward_only)}


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "data"
    result = {"data": data, "bytes": browser_bytes, "ws": page_bytes, "library": library}[what]()
    if what == "ws":
        result = {k: {f: v[f] for f in ("status", "bytes", "largest_message_bytes", "exceptions", "ms")}
                  for k, v in result.items()}
    print(json.dumps(result, ensure_ascii=False))

"""Country page costs: national load + index, lookup p95 over every old commune, first-load bytes.

Usage:
  python -m benchmarks.measure_national data     # fresh process: load + validate + index, lookup p95
  python -m benchmarks.measure_national bytes    # starts app.py on loopback, one fresh session per link
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

LINKS = ("/country", "/country?q=hoa%20lien", "/merger?q=hoa%20lien")


def data() -> dict:
    """Cold national load and index build, then every old commune looked up three ways."""
    started = time.perf_counter()
    from core import national, national_data, text

    loaded = time.perf_counter()
    bundle = national_data.build()
    built = time.perf_counter()
    index = national.build_index(bundle)
    indexed = time.perf_counter()
    queries = []
    for unit in index.old.values():
        queries += [unit.name, text.fold(unit.full_name), f"{unit.name}, {unit.district}, {unit.province}"]
    times = []
    for query in queries:
        t0 = time.perf_counter()
        national.lookup(index, query)
        times.append(time.perf_counter() - t0)
    worst = max(range(len(times)), key=times.__getitem__)
    return {
        "import_ms": measure_ws.ms(loaded - started), "load_validate_ms": measure_ws.ms(built - loaded),
        "index_ms": measure_ws.ms(indexed - built), "queries": len(queries),
        "lookup_p50_ms": measure_ws.ms(measure_ws.percentile(times, 0.5)),
        "lookup_p95_ms": measure_ws.ms(measure_ws.percentile(times, 0.95)),
        "lookup_max_ms": measure_ws.ms(times[worst]), "slowest_query": queries[worst],
    }


def page_bytes() -> dict:
    """Websocket bytes of one fresh session's first run of each link (static JS/CSS not counted)."""
    from benchmarks.server import start_server

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
    result = {"data": data, "bytes": page_bytes, "library": library}[what]()
    if what == "bytes":
        result = {k: {f: v[f] for f in ("status", "bytes", "largest_message_bytes", "exceptions", "ms")}
                  for k, v in result.items()}
    print(json.dumps(result, ensure_ascii=False))

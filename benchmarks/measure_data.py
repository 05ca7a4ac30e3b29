"""Cold data load + validation (fresh process each time) and the old→new lookup's search time.

Run as `python -m benchmarks.measure_data cold|lookup`: prints one JSON object. The runner calls it
in a subprocess so that every cold load really starts from an empty process.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from harness.streamlit_ws import ROOT


def cold() -> dict:
    """Import time and `core.catalog.build()` time (load + validate every data file), separately."""
    started = time.perf_counter()
    from core import catalog

    imported = time.perf_counter()
    cat = catalog.build()
    built = time.perf_counter()
    return {"import_s": imported - started, "build_s": built - imported, "problems": len(cat.all_problems())}


def queries(old_names: list[str], new_names: list[str]) -> list[str]:
    """What people type: full names with and without diacritics, with a type word, and prefixes."""
    from core import text

    found = []
    for name in old_names + new_names:
        folded = text.fold(name)
        found += [name, folded, f"phường {name}", folded.split()[0]]
    found += ["hoa lien", "hòa liên", "hai chau", "Đà Nẵng", "tam ky", "xã", "zzz"]
    return list(dict.fromkeys(q for q in found if q))


def _time(fn, reps: int) -> float:
    """Median seconds of `reps` calls of fn()."""
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def lookup(reps: int = 5) -> dict:
    """Median time per query of core.lookup.search over an index built once (as the page caches it).

    Falls back to core.text.matches over every old and new name when core/lookup.py has no
    build_index/search (it was being written while the benchmark was made).
    """
    from core import catalog, text

    cat = catalog.build()
    units, mapping = cat["units"].records, cat["mapping"].records
    all_queries = queries([r.old_name for r in mapping], [u.name.split(" ", 1)[-1] for u in units])
    try:
        from core.lookup import build_index, search
    except ImportError:
        build_index = search = None
    if build_index and search:
        how = "core.lookup.search(index, query) over an index from core.lookup.build_index"
        index_s = _time(lambda: build_index(units, mapping), reps)
        index = build_index(units, mapping)
        per_query = [_time(lambda q=q: search(index, q), reps) for q in all_queries]
    else:
        how = "fallback: core.text.matches(query, name) over every old and new unit name"
        names = [r.old_name for r in mapping] + [u.name for u in units]
        index_s = 0.0
        per_query = [_time(lambda q=q: [n for n in names if text.matches(q, n)], reps) for q in all_queries]
    worst = max(range(len(per_query)), key=per_query.__getitem__)
    return {
        "how": how, "queries": len(all_queries), "reps_per_query": reps, "index_build_ms": index_s * 1000,
        "median_ms": statistics.median(per_query) * 1000, "max_ms": per_query[worst] * 1000,
        "slowest_query": all_queries[worst],
    }


def in_subprocess(what: str, reps: int = 5, timeout: float = 300) -> dict:
    """Run `what` (cold|lookup) in a fresh Python process from the repository root."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.measure_data", what, str(reps)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_summary(reps: int) -> dict:
    """Median of `reps` cold loads, each in a new process."""
    runs = [in_subprocess("cold") for _ in range(reps)]
    return {
        "runs": reps, "build_median_ms": round(statistics.median(r["build_s"] for r in runs) * 1000, 1),
        "build_min_ms": round(min(r["build_s"] for r in runs) * 1000, 1),
        "import_median_ms": round(statistics.median(r["import_s"] for r in runs) * 1000, 1),
        "problems": runs[0]["problems"],
    }


if __name__ == "__main__":
    what, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(json.dumps(cold() if what == "cold" else lookup(count)))

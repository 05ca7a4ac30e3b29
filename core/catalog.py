"""The whole curated data set: every dataset, cross-references, release stamp and integrity check."""

from __future__ import annotations

import functools
import gc
import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core import load, national_data, paths, schemas, url_state

MANIFEST = "MANIFEST.sha256"


@dataclass
class Catalog:
    """All datasets by name, the release stamp and every problem found."""

    root: Path
    datasets: dict[str, load.Dataset] = field(default_factory=dict)
    release: schemas.Release | None = None
    problems: list[load.Problem] = field(default_factory=list)
    stamp: str = ""
    _national: national_data.NationalData | None = field(default=None, init=False, repr=False)
    _national_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __getitem__(self, name: str) -> load.Dataset:
        return self.datasets[name]

    def by_id(self, name: str) -> dict:
        """A record set's records by id, built once per catalog (the catalog is shared, read-only)."""
        index = self.__dict__.setdefault("_by_id", {})
        if name not in index:
            index[name] = {record.id: record for record in self[name].records}
        return index[name]

    def all_problems(self) -> list[load.Problem]:
        """Problems of every dataset plus catalog-level ones, in file order."""
        found = [p for ds in self.datasets.values() for p in ds.problems] + self.problems
        return sorted(found, key=lambda p: (p.file, p.line or 0))

    def ids(self, name: str, key: str = "id") -> set[str]:
        return {getattr(r, key) for r in self.datasets[name].records}

    def national(self) -> national_data.NationalData:
        """The whole-country set (data/national/), read on first use: only /country and the data
        check need it, so other pages never pay for it. Same folder, stamp and manifest as the
        rest; its problems name file, line and field like every other dataset's."""
        with self._national_lock:
            if self._national is None:
                units = self["mapping"].records if "mapping" in self.datasets else None
                self._national = national_data.build(self.root, units_mapping=units)
        return self._national


def data_files(root: Path) -> list[Path]:
    """Every file under data/ that belongs to the release (not the manifest itself)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST
                  and not p.name.startswith(".") and "_staging" not in p.parts)


def fingerprint(root: Path) -> str:
    """Changes whenever a data file is added, removed or edited (cache key)."""
    stats = [f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in data_files(root)]
    return hashlib.sha256("|".join(stats).encode()).hexdigest()


def build(root: Path | None = None) -> Catalog:
    """Load and validate everything under root (default: the data folder)."""
    root = Path(root or paths.data_dir())
    cat = Catalog(root=root)
    for name in load.RECORD_SETS:
        cat.datasets[name] = load.load_record_set(root, name)
    for rel in load.TABLES:
        cat.datasets[load.TABLE_NAMES[rel]] = load.load_table(root, rel)
    cat.datasets["boundaries"] = load.load_geojson(root)
    load.check_duplicates(cat["units"], "code")
    cat.release = read_release(root, cat)
    check_references(cat)
    check_manifest(root, cat)
    return cat


def read_release(root: Path, cat: Catalog) -> schemas.Release | None:
    data, problems = load.read_yaml(root / "release.yaml", "release.yaml")
    if problems:
        cat.problems.extend(problems)
        return None
    checked = load.validate([data], schemas.Release, "release.yaml")
    cat.problems.extend(checked.problems)
    return checked.records[0] if checked.records else None


def _drop_dangling(ds: load.Dataset, refs, known: set[str], what: str) -> None:
    """Remove records that point to unknown ids, naming each dangling reference."""
    kept, lines = [], {}
    for index, record in enumerate(ds.records):
        missing = [r for r in refs(record) if r not in known]
        for ref in missing:
            message = f"unknown id '{ref}'" if what != "steps.params" else f"invalid link part {ref}"
            ds.problems.append(load.Problem(ds.file, ds.lines.get(index), what, message))
        if not missing:
            lines[len(kept)] = ds.lines.get(index)
            kept.append(record)
    ds.records, ds.lines = kept, lines


def _source_refs(record) -> list[str]:
    alts = getattr(record, "alternatives", [])
    return list(record.sources) + [s for alt in alts for s in alt.sources]


def check_references(cat: Catalog) -> None:
    """Dangling source ids, event ids and unit codes are problems of the citing file."""
    sources = cat.ids("sources")
    for name in ("events", "figures", "trips", "metrics"):
        _drop_dangling(cat[name], _source_refs, sources, "sources")
    _drop_dangling(cat["trips"], lambda r: r.related_events, cat.ids("events"), "related_events")
    _drop_dangling(cat["mapping"], lambda r: [r.new_code], cat.ids("units", "code"), "new_code")
    known = {"event": cat.ids("events"), "unit": cat.ids("units", "code"), "trip": cat.ids("trips")}
    _drop_dangling(cat["lessons"], lambda r: _bad_step_params(r, known), set(), "steps.params")


def _bad_step_params(lesson: schemas.Lesson, known: dict[str, set[str]]) -> list[str]:
    """Lesson step links that the URL contract would ignore or that name unknown records."""
    bad = []
    for number, step in enumerate(lesson.steps, start=1):
        _, ignored = url_state.for_page(step.params, step.page)
        ignored += [k for k in step.params if k in url_state.NOT_IN_STEPS]
        ignored += [f"{k}={v}" for k, v in step.params.items() if k in known and v not in known[k]]
        bad += [f"step {number}: {item}" for item in ignored]
    return bad


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(root: Path) -> Path:
    """Stamp every data file's checksum (run by curators after editing data)."""
    lines = [f"{sha256(p)}  {p.relative_to(root).as_posix()}" for p in data_files(root)]
    target = root / MANIFEST
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def check_manifest(root: Path, cat: Catalog) -> None:
    """A missing, changed or unlisted file means a partial copy or an unstamped edit."""
    manifest = root / MANIFEST
    if not manifest.exists():
        cat.problems.append(load.Problem(MANIFEST, None, "file", "checksum manifest is missing"))
        return
    listed = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, rel = line.partition("  ")
        listed[rel] = (digest, number)
    for rel, (digest, number) in listed.items():
        path = root / rel
        if not path.exists():
            cat.problems.append(load.Problem(MANIFEST, number, rel, "listed file is missing"))
        elif sha256(path) != digest:
            cat.problems.append(load.Problem(MANIFEST, number, rel, "file differs from its checksum"))
    for path in data_files(root):
        if path.relative_to(root).as_posix() not in listed:
            cat.problems.append(load.Problem(MANIFEST, None, path.name, "file is not in the manifest"))


RECHECK_SECONDS = 2.0  # a data folder's files are listed and stat-ed at most this often
_stamps: dict[str, tuple[float, str]] = {}  # data folder -> (when checked, fingerprint)


def current_stamp(root: Path, now: float | None = None) -> str:
    """The folder's fingerprint, re-read when the last check is RECHECK_SECONDS old: a curator's
    edit shows within seconds, and a page run does not walk the data folder every time."""
    now = time.monotonic() if now is None else now
    known = _stamps.get(str(root))
    if known is None or now - known[0] >= RECHECK_SECONDS:
        known = _stamps[str(root)] = (now, fingerprint(root))
    return known[1]


_building = threading.Lock()  # one build at a time: sessions arriving meanwhile wait for its result


def get() -> Catalog:
    """The catalog for this process, rebuilt only when a data file changes."""
    root = paths.data_dir()
    stamp = current_stamp(root)
    with _building:
        return _cached(str(root), stamp)


@functools.lru_cache(maxsize=4)  # one catalog per data folder and version, shared by every session
def _cached(root: str, stamp: str) -> Catalog:
    cat = build(Path(root))
    cat.stamp = stamp
    settle()
    return cat


def settle() -> None:
    """After loading data that lives as long as the process: collect once, then freeze what is
    left, so the collector's full passes stop re-scanning it. Those passes took 120–150 ms each
    with the data loaded, stopping every session's run (benchmarks/live.py saw them as the
    slowest moves); a frozen heap leaves them only what page runs allocate."""
    gc.collect()
    gc.freeze()

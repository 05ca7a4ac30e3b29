"""Reads data/: YAML, CSV and GeoJSON -> validated models, with every problem named by file:line."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from core import schemas

RECORD_SETS = {
    "sources": schemas.Source,
    "events": schemas.Event,
    "figures": schemas.Figure,
    "trips": schemas.Trip,
    "metrics": schemas.Metric,
    "lessons": schemas.Lesson,
}
TABLES = {"units/new_units.csv": schemas.NewUnit, "units/mapping.csv": schemas.MappingRow}
TABLE_NAMES = {"units/new_units.csv": "units", "units/mapping.csv": "mapping"}
GEOJSON = "units/boundaries.geojson"
LICENCE_GLOB = "units/LICENSE-*"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, printed as file:line: field: message."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line or 0}: {self.field}: {self.message}"


@dataclass
class Dataset:
    """The valid records of one file, its provenance and the problems found in it."""

    name: str
    file: str
    records: list = field(default_factory=list)
    meta: schemas.Provenance | None = None
    problems: list[Problem] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Lines(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict


# libyaml's parser when PyYAML was built with it (about 5x faster), else the pure-Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """SafeLoader that keeps dates as strings (pydantic parses them) and records lines."""

    def construct_mapping(self, node, deep=False):
        mapping = _Lines(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping


_LineLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def read_yaml(path: Path, rel: str) -> tuple[object, list[Problem]]:
    """Parse a YAML file; a syntax error becomes a Problem with its line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader), []
    except FileNotFoundError:
        return None, [Problem(rel, None, "file", "file is missing")]
    except UnicodeDecodeError as exc:
        return None, [Problem(rel, None, "file", f"not UTF-8 text ({exc.reason})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return None, [Problem(rel, line, "yaml", f"malformed YAML: {getattr(exc, 'problem', exc)}")]


def _line_of(record, loc: tuple) -> int | None:
    """The line of the deepest located key in a record, falling back to the record's line."""
    node, line = record, getattr(record, "line", None)
    for part in loc:
        if isinstance(node, _Lines):
            line = node.key_lines.get(part, node.line) if isinstance(part, str) else line
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def validate(rows: list, model: type[BaseModel], rel: str, lines=None) -> Dataset:
    """Validate each row; collect every error with file, line and field (never raise)."""
    ds = Dataset(name=rel, file=rel)
    for index, row in enumerate(rows):
        line = lines[index] if lines else getattr(row, "line", None)
        try:
            ds.records.append(model.model_validate(row))
            ds.lines[len(ds.records) - 1] = line
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = lines[index] if lines else _line_of(row, loc)
                name = ".".join(str(p) for p in loc) or "record"
                ds.problems.append(Problem(rel, where, name, err["msg"]))
    return ds


def load_record_set(root: Path, name: str) -> Dataset:
    """One YAML list of records plus its .meta.yaml."""
    rel = f"{name}.yaml"
    data, problems = read_yaml(root / rel, rel)
    if data is None and not problems:
        data = []
    if problems:
        ds = Dataset(name=name, file=rel, problems=problems)
    elif not isinstance(data, list):
        ds = Dataset(name=name, file=rel, problems=[Problem(rel, 1, "file", "expected a list")])
    else:
        ds = validate(data, RECORD_SETS[name], rel)
        ds.name = name
    ds.meta, meta_problems = load_meta(root, f"{name}.meta.yaml")
    ds.problems.extend(meta_problems)
    check_duplicates(ds, "id")
    return ds


def load_meta(root: Path, rel: str) -> tuple[schemas.Provenance | None, list[Problem]]:
    """The provenance file beside a data file; missing or invalid is a problem."""
    data, problems = read_yaml(root / rel, rel)
    if problems:
        return None, problems
    checked = validate([data], schemas.Provenance, rel)
    return (checked.records[0] if checked.records else None), checked.problems


def read_csv_rows(root: Path, rel: str, model) -> tuple[list[dict], Problem | None]:
    """A CSV file's rows as dicts (empty cells None), or the problem that stops reading it: an
    unreadable file, or a header without the model's fields."""
    try:
        with open(root / rel, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in model.model_fields if c not in (reader.fieldnames or [])]
            rows = [{k: (v if v != "" else None) for k, v in r.items()} for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], Problem(rel, None, "file", f"cannot read CSV: {exc}")
    if missing:
        return [], Problem(rel, 1, ",".join(missing), "missing column(s)")
    return rows, None


def load_table(root: Path, rel: str) -> Dataset:
    """A CSV table: header must hold the model's fields; empty cells become None."""
    model, name = TABLES[rel], TABLE_NAMES[rel]
    ds = Dataset(name=name, file=rel)
    rows, problem = read_csv_rows(root, rel, model)
    if problem:
        ds.problems.append(problem)
        return ds
    checked = validate(rows, model, rel, lines=[i + 2 for i in range(len(rows))])
    ds.records, ds.problems, ds.lines = checked.records, checked.problems, checked.lines
    ds.meta, meta_problems = load_meta(root, rel.replace(".csv", ".meta.yaml"))
    ds.problems.extend(meta_problems)
    return ds


def load_geojson(root: Path) -> Dataset:
    """Unit boundaries: a FeatureCollection whose features carry code and name."""
    ds = Dataset(name="boundaries", file=GEOJSON)
    try:
        data = json.loads((root / GEOJSON).read_text(encoding="utf-8"))
        features = data["features"]
        for i, feat in enumerate(features):
            if not {"code", "name"} <= set(feat.get("properties") or {}) or not feat.get("geometry"):
                ds.problems.append(Problem(GEOJSON, None, f"features.{i}", "needs code, name, geometry"))
        ds.records = [data] if not ds.problems else []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        ds.problems.append(Problem(GEOJSON, getattr(exc, "lineno", None), "file", f"invalid GeoJSON: {exc}"))
    ds.meta, meta_problems = load_meta(root, "units/boundaries.meta.yaml")
    ds.problems.extend(meta_problems)
    return ds


def check_duplicates(ds: Dataset, key: str) -> None:
    """Flag records whose key repeats an earlier one (and drop the repeat)."""
    seen, kept, lines = set(), [], {}
    for index, record in enumerate(ds.records):
        value = getattr(record, key)
        if value in seen:
            ds.problems.append(Problem(ds.file, ds.lines.get(index), key, f"duplicate {key} '{value}'"))
            continue
        seen.add(value)
        lines[len(kept)] = ds.lines.get(index)
        kept.append(record)
    ds.records, ds.lines = kept, lines


def read_licences(root: Path) -> dict[str, bytes]:
    """The licence files shipped with the unit tables (MIT), by file name."""
    return {p.name: p.read_bytes() for p in sorted(Path(root).glob(LICENCE_GLOB)) if p.is_file()}

"""Reads and checks data/national/ (34 provinces, 3,321 new communes, the old→new rows with the
resolution clause behind each, the clauses' wording and the reconciliation of the two mappings)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, TypeAdapter, ValidationError

from core import load, paths, schemas

FOLDER = "national"
RESOLUTION = r"^16[5-8]\d/NQ-UBTVQH15$"  # the 34 commune-level resolutions 1654–1687/NQ-UBTVQH15


class Province(schemas.Strict):
    code: str = Field(pattern=r"^\d{2}$")
    name: str
    slug: str = Field(pattern=schemas.SLUG)
    old_provinces: str
    area_km2: float = Field(gt=0)
    population: int = Field(gt=0)
    communes_before: int = Field(gt=0)
    communes_after: int = Field(gt=0)
    phuong: int = Field(ge=0)
    xa: int = Field(ge=0)
    dac_khu: int = Field(ge=0)
    centre: str
    resolution: str = Field(pattern=RESOLUTION)
    population_basis: Literal["resolution", "government-site"]


class OldProvince(schemas.Strict):
    code: str = Field(pattern=r"^\d{2}$")
    name: str
    new_province_code: str = Field(pattern=r"^\d{2}$")


class District(schemas.Strict):
    code: str = Field(pattern=r"^\d{3}$")
    name: str
    province_code: str = Field(pattern=r"^\d{2}$")


class NewCommune(schemas.Strict):
    code: str = Field(pattern=r"^\d{5}$")
    province_code: str = Field(pattern=r"^\d{2}$")
    unit_type: schemas.UnitType
    name: str
    area_km2: float | None = Field(default=None, gt=0)
    population: int | None = Field(default=None, ge=0)
    figures_doubtful: Literal["0", "1"]
    former_text: str


class MappingRow(schemas.Strict):
    old_code: str = Field(pattern=r"^\d{3}$|^\d{5}$")
    old_type: schemas.OldUnitType
    old_name: str
    district_code: str = Field(pattern=r"^\d{3}$")
    new_code: str = Field(pattern=r"^\d{5}$")
    divided_flag: Literal["0", "1"]
    share: Literal["whole", "part"]
    resolution: str = Field(pattern=RESOLUTION)
    clause: int | None = Field(default=None, ge=1)


class ClauseText(schemas.Strict):
    resolution: str = Field(pattern=RESOLUTION)
    clause: int = Field(ge=1)
    text: str = Field(min_length=20)


class Reconciliation(schemas.Strict):
    old_code: str = Field(pattern=r"^\d{3}$|^\d{5}$")
    old_name: str
    province_code: str = Field(pattern=r"^\d{2}$")
    government_answer: str
    resolutions_answer: str
    decision: Literal["government", "resolutions", "neither"]
    resolution: str = Field(pattern=RESOLUTION)
    clause: str = Field(pattern=r"^\d+(;\d+)*$")
    reason: str = Field(min_length=10)


TABLES = {"provinces": Province, "old_provinces": OldProvince, "districts": District,
          "new_communes": NewCommune, "mapping": MappingRow, "clauses": ClauseText,
          "reconciliation": Reconciliation}
KEYS = {"provinces": "code", "old_provinces": "code", "districts": "code", "new_communes": "code",
        "reconciliation": "old_code"}


@dataclass
class NationalData:
    """The national tables (valid rows only), their provenance, boundaries and every problem."""

    tables: dict[str, list] = field(default_factory=dict)
    lines: dict[str, dict[int, int]] = field(default_factory=dict)
    meta: dict[str, schemas.Provenance | None] = field(default_factory=dict)
    boundaries: dict | None = None
    problems: list[load.Problem] = field(default_factory=list)

    def __getitem__(self, name: str) -> list:
        return self.tables.get(name, [])


def _read(root: Path, name: str, data: NationalData) -> None:
    rel = f"{FOLDER}/{name}.csv"
    model = TABLES[name]
    rows, problem = load.read_csv_rows(root, rel, model)
    if problem:
        data.problems.append(problem)
        data.tables[name] = []
        return
    checked = _validate(rows, model, rel)
    if name in KEYS:
        load.check_duplicates(checked, KEYS[name])
    data.problems += checked.problems
    data.tables[name], data.lines[name] = checked.records, checked.lines
    data.meta[name], meta_problems = load.load_meta(root, f"{FOLDER}/{name}.meta.yaml")
    data.problems += meta_problems


def _validate(rows: list[dict], model, rel: str) -> load.Dataset:
    """All rows at once (fast); row by row only when something is wrong, to name file:line: field."""
    try:
        records = TypeAdapter(list[model]).validate_python(rows)
    except ValidationError:
        return load.validate(rows, model, rel, lines=[i + 2 for i in range(len(rows))])
    return load.Dataset(name=rel, file=rel, records=records, lines={i: i + 2 for i in range(len(rows))})


def _read_boundaries(root: Path, data: NationalData) -> None:
    rel = f"{FOLDER}/boundaries.geojson"
    try:
        geo = json.loads((root / rel).read_text(encoding="utf-8"))
        codes = [f["properties"]["code"] for f in geo["features"]]
        data.boundaries = geo
    except (OSError, ValueError, KeyError, TypeError) as exc:
        data.problems.append(load.Problem(rel, None, "file", f"invalid GeoJSON: {exc}"))
        codes = []
    known = {p.code for p in data["provinces"]}
    if data.boundaries is not None and set(codes) != known:
        data.problems.append(load.Problem(rel, None, "code", "feature codes differ from provinces.csv"))
    data.meta["boundaries"], meta_problems = load.load_meta(root, f"{FOLDER}/boundaries.meta.yaml")
    data.problems += meta_problems


def _problem(data: NationalData, name: str, index: int | None, fld: str, message: str) -> None:
    line = data.lines.get(name, {}).get(index) if index is not None else None
    data.problems.append(load.Problem(f"{FOLDER}/{name}.csv", line, fld, message))


def check_mapping(data: NationalData) -> None:
    """Every row points to a known district and new commune; split flags agree with the rows."""
    districts = {d.code for d in data["districts"]}
    communes = {c.code for c in data["new_communes"]}
    sizes = Counter(r.old_code for r in data["mapping"])
    seen = set()
    for i, row in enumerate(data["mapping"]):
        if row.district_code not in districts:
            _problem(data, "mapping", i, "district_code", f"unknown district '{row.district_code}'")
        if row.new_code not in communes:
            _problem(data, "mapping", i, "new_code", f"unknown new commune '{row.new_code}'")
        if (row.divided_flag == "1") != (sizes[row.old_code] > 1):
            _problem(data, "mapping", i, "divided_flag", f"{row.divided_flag} but {sizes[row.old_code]} row(s)")
        if (row.old_code, row.new_code) in seen:
            _problem(data, "mapping", i, "new_code", f"duplicate pair {row.old_code}->{row.new_code}")
        seen.add((row.old_code, row.new_code))
    province_of = {c.code: c.province_code for c in data["new_communes"]}
    resolution_of = {p.code: p.resolution for p in data["provinces"]}
    clauses = {(c.resolution, c.clause) for c in data["clauses"]}
    for i, row in enumerate(data["mapping"]):
        if (row.share == "whole") != (sizes[row.old_code] == 1):
            _problem(data, "mapping", i, "share", f"{row.share} but {sizes[row.old_code]} row(s)")
        expected = resolution_of.get(province_of.get(row.new_code, ""))
        if expected and row.resolution != expected:
            _problem(data, "mapping", i, "resolution", f"{row.resolution} but the province's is {expected}")
        if row.clause is not None and (row.resolution, row.clause) not in clauses:
            _problem(data, "mapping", i, "clause", f"{row.resolution} khoản {row.clause} not in clauses.csv")
    unmapped = communes - {r.new_code for r in data["mapping"]}
    for code in sorted(unmapped):
        _problem(data, "new_communes", None, "code", f"new commune {code} has no old commune")


def check_reconciliation(data: NationalData) -> None:
    """Each decided old commune is in the mapping, its clauses exist, its kept rows are cited."""
    rows = defaultdict(set)
    for row in data["mapping"]:
        rows[row.old_code].add((row.resolution, row.clause))
    clauses = {(c.resolution, c.clause) for c in data["clauses"]}
    for i, r in enumerate(data["reconciliation"]):
        cited = {(r.resolution, int(n)) for n in r.clause.split(";")}
        if r.old_code not in rows:
            _problem(data, "reconciliation", i, "old_code", f"'{r.old_code}' is not in mapping.csv")
        elif not cited <= rows[r.old_code]:
            _problem(data, "reconciliation", i, "clause", f"khoản {r.clause} is not cited by the mapping's rows")
        if not cited <= clauses:
            _problem(data, "reconciliation", i, "clause", f"khoản {r.clause} not in clauses.csv")


def check_counts(data: NationalData) -> None:
    """New communes per province (and per type) sum to the province's published counts."""
    by_province = defaultdict(Counter)
    for commune in data["new_communes"]:
        by_province[commune.province_code][commune.unit_type] += 1
    for i, p in enumerate(data["provinces"]):
        found = by_province.get(p.code, Counter())
        if sum(found.values()) != p.communes_after:
            _problem(data, "provinces", i, "communes_after",
                     f"{p.communes_after} but new_communes.csv has {sum(found.values())}")
        if (found["phường"], found["xã"], found["đặc khu"]) != (p.phuong, p.xa, p.dac_khu):
            _problem(data, "provinces", i, "phuong,xa,dac_khu", "type counts differ from new_communes.csv")
        if p.phuong + p.xa + p.dac_khu != p.communes_after:
            _problem(data, "provinces", i, "communes_after", "phường + xã + đặc khu differ from the total")


def danang_disagreements(data: NationalData, units_mapping: list) -> list[str]:
    """Pairs and whole/part marks of data/units/mapping.csv that the national rows do not share."""
    ours = {(r.old_code, r.new_code): r.share for r in units_mapping}
    codes = {new for _, new in ours} | {old for old, _ in ours}
    national = [r for r in data["mapping"] if r.new_code in codes or r.old_code in codes]
    theirs = {(r.old_code, r.new_code): r.share for r in national}
    found = [f"{o}->{n} only in units/mapping.csv" for o, n in sorted(set(ours) - set(theirs))]
    found += [f"{o}->{n} only in national/mapping.csv" for o, n in sorted(set(theirs) - set(ours))]
    found += [f"{o}->{n}: '{ours[o, n]}' in units, '{theirs[o, n]}' national"
              for o, n in sorted(set(ours) & set(theirs)) if ours[o, n] != theirs[o, n]]
    return found


def build(root: Path | None = None, units_mapping: list | None = None) -> NationalData:
    """Load and check every national file; pass Đà Nẵng's mapping rows to compare them too."""
    root = Path(root or paths.data_dir())
    data = NationalData()
    for name in TABLES:
        _read(root, name, data)
    _read_boundaries(root, data)
    check_mapping(data)
    check_reconciliation(data)
    check_counts(data)
    if units_mapping:
        for message in danang_disagreements(data, units_mapping):
            _problem(data, "mapping", None, "Đà Nẵng", message)
    return data

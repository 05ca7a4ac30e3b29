"""Old ↔ new commune lookup: an in-memory index over old and new unit names and the 94-unit table."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from core import places, schemas, text

TYPE_SLUG = schemas.UNIT_TYPES
PROVINCE_SLUG = schemas.FORMER_PROVINCES
KIND_ORDER = {"old": 0, "new": 1, "district": 2}
SAME_UNIT = ("unchanged", "type_changed")


@dataclass(frozen=True)
class Link:
    """One side of an old → new pair: the unit on the other side, and how much of the old unit."""

    code: str
    name: str
    unit_type: str
    share: str
    clause: int
    district: str = ""
    province: str = ""


@dataclass(frozen=True)
class OldUnit:
    """A pre-2025 unit with every new unit it went into and what happened to it."""

    code: str
    name: str
    unit_type: str
    district: str
    province: str
    successors: tuple[Link, ...]
    status: str

    @property
    def full_name(self) -> str:
        return f"{self.unit_type} {self.name}"


@dataclass(frozen=True)
class District:
    """A former district-level unit and the new units its communes went into."""

    slug: str
    name: str
    province: str
    new_codes: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """One search hit: an old unit (with its status), a new unit (with its origins) or a district."""

    kind: str
    status: str
    code: str
    name: str
    exact: bool
    links: tuple[Link, ...]
    district: str = ""
    province: str = ""


@dataclass(frozen=True)
class _Entry:
    kind: str
    code: str
    exact: str
    fold: str
    type_fold: str


@dataclass(frozen=True)
class Index:
    """Everything the lookup needs, built once per data version."""

    old: dict[str, OldUnit]
    new: dict[str, schemas.NewUnit]
    origins: dict[str, tuple[Link, ...]]
    districts: dict[str, District]
    entries: tuple[_Entry, ...]


def bare_name(unit: schemas.NewUnit) -> str:
    """'Phường Hải Vân' -> 'Hải Vân' (the name without its type word)."""
    return places.bare_name(unit.name, unit.unit_type)


# The lookup's words for places.fate: an old unit that alone became a unit of another name is
# listed with the merged ones.
STATUS = {"renamed": "merged"}


def _status(rows: list[schemas.MappingRow], new: dict, origin_count: dict) -> str:
    successor = new[rows[0].new_code]
    fate = places.fate(len(rows) > 1 or rows[0].share == "part", origin_count[successor.code],
                       text.exact(bare_name(successor)) == text.exact(rows[0].old_name),
                       successor.unit_type == rows[0].old_unit_type)
    return STATUS.get(fate, fate)


def _old_units(mapping, new: dict) -> dict[str, OldUnit]:
    by_old, origin_count = defaultdict(list), defaultdict(int)
    for row in mapping:
        by_old[row.old_code].append(row)
        origin_count[row.new_code] += 1
    units = {}
    for code, rows in by_old.items():
        first = rows[0]
        links = tuple(Link(r.new_code, new[r.new_code].name, new[r.new_code].unit_type, r.share, r.clause)
                      for r in rows)
        units[code] = OldUnit(code, first.old_name, first.old_unit_type, first.old_district,
                              first.old_province, links, _status(rows, new, origin_count))
    return units


def _origins(mapping, old: dict[str, OldUnit]) -> dict[str, tuple[Link, ...]]:
    origins = defaultdict(list)
    for row in mapping:
        unit = old[row.old_code]
        origins[row.new_code].append(Link(unit.code, unit.full_name, unit.unit_type, row.share, row.clause,
                                          unit.district, unit.province))
    return {code: tuple(sorted(links, key=lambda link: text.sort_key(link.name.split(" ", 1)[-1])))
            for code, links in origins.items()}


def _districts(old: dict[str, OldUnit]) -> dict[str, District]:
    """Districts that had communes (huyện Hoàng Sa had none: it is an old unit itself)."""
    grouped = defaultdict(list)
    for unit in old.values():
        if unit.unit_type != "huyện":
            grouped[(unit.district, unit.province)] += [link.code for link in unit.successors]
    return {text.slug(name): District(text.slug(name), name, province, tuple(dict.fromkeys(codes)))
            for (name, province), codes in grouped.items()}


def _type_of(name: str) -> str:
    folded = text.fold(name)
    return folded[: len(folded) - len(places.strip_type_word(folded))].strip()


def _entries(old, new, districts) -> tuple[_Entry, ...]:
    entries = [_Entry("old", u.code, text.exact(u.name), text.fold(u.name), text.fold(u.unit_type))
               for u in old.values()]
    entries += [_Entry("new", u.code, text.exact(bare_name(u)), text.fold(bare_name(u)), text.fold(u.unit_type))
                for u in new.values()]
    for d in districts.values():
        plain = d.name[len(_type_of(d.name)):].strip()
        entries.append(_Entry("district", d.slug, text.exact(plain), text.fold(plain), _type_of(d.name)))
    # Sorted once here, so a query only needs a stable sort by rank to list names alphabetically.
    return tuple(sorted(entries, key=lambda entry: text.sort_key(entry.exact)))


def build_index(units: list[schemas.NewUnit], mapping: list[schemas.MappingRow]) -> Index:
    """Prepare the search keys of every old unit, new unit and former district once."""
    new = {u.code: u for u in units}
    mapping = [row for row in mapping if row.new_code in new]
    old = _old_units(mapping, new)
    districts = _districts(old)
    return Index(old, new, _origins(mapping, old), districts, _entries(old, new, districts))


def split_query(query: str) -> tuple[str, str, bool]:
    """(type word typed, the name part as a search key, whether to compare with diacritics)."""
    exact, folded = text.exact(query), text.fold(query)
    stripped = places.strip_type_word(folded)
    type_word = places.type_of(folded)
    if len(exact) != len(folded):  # unusual characters: folding changed the length
        return type_word, stripped, False
    name = exact[len(exact) - len(stripped):]
    with_marks = text.has_diacritics(name)
    return type_word, (name if with_marks else stripped), with_marks


def _result(index: Index, entry: _Entry, exact: bool) -> Result:
    if entry.kind == "old":
        unit = index.old[entry.code]
        return Result("old", unit.status, unit.code, unit.full_name, exact, unit.successors,
                      unit.district, unit.province)
    if entry.kind == "new":
        unit = index.new[entry.code]
        return Result("new", "new", unit.code, unit.name, exact, index.origins.get(unit.code, ()),
                      unit.former_districts, unit.former_province)
    district = index.districts[entry.code]
    links = tuple(Link(c, index.new[c].name, index.new[c].unit_type, "", index.new[c].clause)
                  for c in district.new_codes)
    return Result("district", "district", district.slug, district.name, exact, links, "", district.province)


def search(index: Index, query: str) -> list[Result]:
    """Every old unit, new unit and former district whose name contains the query, best first.

    Exact names come before partial ones, then units of the type the user typed (if any).
    A new unit that an old hit already names as unchanged (or only retyped) is not listed twice.
    """
    type_word, key, with_marks = split_query(query)
    if not key:
        return []
    hits = []
    for entry in index.entries:
        name = entry.exact if with_marks else entry.fold
        if key in name:
            rank = (name != key, bool(type_word) and entry.type_fold != type_word, KIND_ORDER[entry.kind])
            hits.append((rank, entry, name == key))
    hits.sort(key=lambda hit: hit[0])
    results = [_result(index, entry, exact) for _, entry, exact in hits]
    same = {r.links[0].code for r in results if r.kind == "old" and r.status in SAME_UNIT}
    return [r for r in results if not (r.kind == "new" and r.code in same)]


def suggest(index: Index, query: str, count: int = 3) -> list[str]:
    """Close spellings of names in the index, for a query that matched nothing."""
    _, key, _ = split_query(query)
    names = {}
    for entry in index.entries:
        if entry.kind != "district":
            unit = index.old.get(entry.code) if entry.kind == "old" else index.new[entry.code]
            names.setdefault(entry.fold, unit.name if entry.kind == "old" else bare_name(unit))
    found = difflib.get_close_matches(text.fold(key), list(names), n=count, cutoff=0.7)
    return [names[f] for f in found]


def units_frame(index: Index) -> pd.DataFrame:
    """One row per new unit in Vietnamese order, with filter slugs and its count of old units."""
    rows = []
    for unit in index.new.values():
        origins = index.origins.get(unit.code, ())
        rows.append({
            **unit.model_dump(), "type_slug": TYPE_SLUG[unit.unit_type],
            "province_slug": PROVINCE_SLUG[unit.former_province],
            "district_slugs": tuple(text.slug(d) for d in unit.former_districts.split("; ")),
            "origins": len(origins), "status": new_status(index, origins),
        })
    frame = pd.DataFrame(rows)
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: text.sort_key(frame["name"].iat[i]))]
    return frame.reset_index(drop=True).astype({"area_km2": "Float64", "population": "Int64"})


def new_status(index: Index, origins: tuple[Link, ...]) -> str:
    """'merged', or the status of the one old unit that wholly became this unit."""
    if len(origins) == 1 and index.old[origins[0].code].status in SAME_UNIT:
        return index.old[origins[0].code].status
    return "merged"


def filter_units(frame: pd.DataFrame, types=(), provinces=(), district: str = "") -> pd.DataFrame:
    """The rows matching every filter that is set (an empty filter keeps everything)."""
    keep = pd.Series(True, index=frame.index)
    if types:
        keep &= frame["type_slug"].isin(types)
    if provinces:
        keep &= frame["province_slug"].isin(provinces)
    if district:
        keep &= frame["district_slugs"].map(lambda slugs: district in slugs)
    return frame[keep]


def district_options(index: Index) -> list[tuple[str, str]]:
    """(slug, name) of every former district named by a new unit, by province, in Vietnamese order."""
    names = {(u.former_province, d) for u in index.new.values() for d in u.former_districts.split("; ")}
    return [(text.slug(n), n) for p, n in sorted(names, key=lambda pn: (pn[0], text.sort_key(pn[1])))]


def csv_bytes(frame: pd.DataFrame, columns: dict[str, str]) -> bytes:
    """The rows as CSV in UTF-8 with a BOM (Excel then shows Vietnamese letters correctly)."""
    return frame[list(columns)].rename(columns=columns).to_csv(index=False).encode("utf-8-sig")


def csv_name(prefix: str, version: str, types=(), provinces=(), district: str = "") -> str:
    """'don-vi-moi_phuong_da-nang_v1.0.0.csv': the filters and the data version in the name."""
    parts = [prefix, "-".join(types), "-".join(provinces), district, f"v{version}" if version else ""]
    return "_".join(p for p in parts if p) + ".csv"

"""Whole-country old → new lookup (10,602 rows, one index built once) and the 34-province table."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from core import text

# Folded type words a user may put before a name (checked longest first).
TYPE_WORDS = re.compile(
    r"^(?:(thanh pho|thu do|thi tran|thi xa|dac khu|phuong|huyen|quan|tinh|xa|tp|tx|tt)\s+"
    r"|(tp\.|tx\.|tt\.|p\.|q\.|h\.|x\.|t\.)\s*)"
)
COMMUNE_TYPES = {"phuong": "phường", "p.": "phường", "xa": "xã", "x.": "xã", "thi tran": "thị trấn",
                 "tt": "thị trấn", "tt.": "thị trấn"}
PROVINCE_WORDS = {"tinh", "thu do", "t."}
DISTRICT_WORDS = {"huyen", "quan", "thi xa", "tx", "tx.", "h.", "q."}
ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "hn": "ha noi"}
SEPARATORS = re.compile(r"[,;\n]+")
MAX_PARTIAL = 30
DANANG = "48"
# Sources the country page cites for its figures (ids in data/sources.yaml).
SOURCES = ("vietnamadminunits-national-2025", "nq-1654-1687-ubtvqh15-texts", "nq-1654-ubtvqh15-text",
           "nq-1656-ubtvqh15-text", "nq-1659-ubtvqh15-text", "nq-1687-ubtvqh15-text", "nq-202-2025-qh15")
MAP_SOURCES = ("vietnamese-provinces-database-boundaries",)


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    unit_type: str
    province: str
    province_code: str


@dataclass(frozen=True)
class OldCommune:
    """A pre-2025 commune with every new commune it went into and what happened to it."""

    code: str
    unit_type: str
    name: str
    district: str
    province: str
    successors: tuple[NewUnit, ...]
    status: str  # merged / split / unchanged / renamed

    @property
    def full_name(self) -> str:
        return f"{self.unit_type.capitalize()} {self.name}"

    @property
    def in_danang(self) -> bool:
        return any(s.province_code == DANANG for s in self.successors)


@dataclass(frozen=True)
class ProvinceHit:
    """An old province and the new province it became part of."""

    old_name: str
    new_name: str
    new_code: str
    new_slug: str
    partners: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    communes: tuple[OldCommune, ...] = ()
    provinces: tuple[ProvinceHit, ...] = ()
    exact: bool = True
    parsed: bool = False

    @property
    def ambiguous(self) -> bool:
        return len(self.communes) > 1


@dataclass
class Index:
    old: dict[str, OldCommune]
    by_exact: dict[str, list[str]]
    by_fold: dict[str, list[str]]
    district_codes: dict[str, set[str]]  # folded bare district name -> old commune codes
    province_codes: dict[str, set[str]]  # folded bare province name (old or new) -> old commune codes
    province_hits: dict[str, list[ProvinceHit]]
    names: list[tuple[str, str]]  # (folded name, exact name) for partial matches


EXACT_TYPE_WORDS = re.compile(
    r"^(?:(thành phố|thủ đô|thị trấn|thị xã|đặc khu|phường|huyện|quận|tỉnh|xã|tp|tx|tt)\s+"
    r"|(tp\.|tx\.|tt\.|p\.|q\.|h\.|x\.|t\.)\s*)"
)


@functools.lru_cache(maxsize=20_000)
def split_type(part: str) -> tuple[str, str, str]:
    """'Xã Hòa Liên' -> ('xa', 'hòa liên', 'hoa lien'): type word, exact and folded bare name.

    With diacritics the type word must be written as one ('Quán Thánh' is a name, 'Quận 1' is not);
    without, 'quan thanh' is read as a type word plus a name, and the whole text is tried as well.
    """
    exact, folded = text.exact(part), text.fold(part)
    marked = text.has_diacritics(part)
    match = (EXACT_TYPE_WORDS if marked else TYPE_WORDS).match(exact if marked else folded)
    cut = match.end() if match else 0
    word = text.fold(match.group(1) or match.group(2)) if match else ""
    bare_fold = ALIASES.get(folded[cut:].strip(), folded[cut:].strip()) if len(exact) == len(folded) else folded
    bare_exact = exact[cut:].strip() if len(exact) == len(folded) else bare_fold
    return word, bare_exact, bare_fold


def _bare(name: str) -> str:
    return split_type(name)[2]


def _status(successors: tuple[NewUnit, ...], origins: dict, old_type: str, old_name: str) -> str:
    if len(successors) > 1:
        return "split"
    new = successors[0]
    if origins[new.code] > 1:
        return "merged"
    same_name = split_type(new.name)[1] == text.exact(old_name)
    return "unchanged" if same_name and new.unit_type == old_type else "renamed"


def build_index(data) -> Index:
    """Search keys for every old commune, district and province (built once per data version)."""
    provinces = {p.code: p for p in data["provinces"]}
    new = {c.code: NewUnit(c.code, f"{c.unit_type.capitalize()} {c.name}", c.unit_type,
                           provinces[c.province_code].name, c.province_code)
           for c in data["new_communes"] if c.province_code in provinces}
    districts = {d.code: d for d in data["districts"]}
    old_prov = {p.code: p for p in data["old_provinces"]}
    rows, origins = defaultdict(list), defaultdict(int)
    for row in data["mapping"]:
        if row.new_code in new and row.district_code in districts:
            rows[row.old_code].append(row)
            origins[row.new_code] += 1
    old, by_exact, by_fold = {}, defaultdict(list), defaultdict(list)
    district_codes, province_codes = defaultdict(set), defaultdict(set)
    for code, group in rows.items():
        first = group[0]
        district = districts[first.district_code]
        successors = tuple(new[r.new_code] for r in group)
        old[code] = OldCommune(code, first.old_type, first.old_name, district.name,
                               old_prov[district.province_code].name, successors,
                               _status(successors, origins, first.old_type, first.old_name))
        by_exact[text.exact(first.old_name)].append(code)
        by_fold[text.fold(first.old_name)].append(code)
        district_codes[_bare(district.name)].add(code)
        province_codes[_bare(old[code].province)].add(code)
        for unit in successors:
            province_codes[_bare(unit.province)].add(code)
    names = sorted({(k, text.exact(old[c[0]].name)) for k, c in by_fold.items()})
    return Index(old, dict(by_exact), dict(by_fold), dict(district_codes), dict(province_codes),
                 _province_hits(data, provinces), names)


def _province_hits(data, provinces: dict) -> dict[str, list[ProvinceHit]]:
    members = defaultdict(list)
    for p in data["old_provinces"]:
        members[p.new_province_code].append(p.name)
    hits = defaultdict(list)
    for p in data["old_provinces"]:
        target = provinces.get(p.new_province_code)
        if target:
            partners = tuple(n for n in members[p.new_province_code] if n != p.name)
            hits[_bare(p.name)].append(ProvinceHit(p.name, target.name, target.code, target.slug, partners))
    return dict(hits)


def _communes_named(index: Index, bare_exact: str, bare_fold: str, raw: str = "") -> list[str]:
    """Old communes with that name; names that begin like a type word ('Xa Dung', 'Phường Đúc')
    are found both with and without it."""
    if text.has_diacritics(bare_exact):
        found = index.by_exact.get(bare_exact, []) + index.by_exact.get(text.exact(raw), [])
    else:
        found = index.by_fold.get(bare_fold, []) + index.by_fold.get(text.fold(raw), [])
    return list(dict.fromkeys(found))


def _narrow(index: Index, parts: list[tuple[str, str, str]], raw: list[str]) -> list[str]:
    """The communes named by one part that best fit the districts/provinces named by the others."""
    best, best_score = [], -1
    for i, (word, bare_exact, bare_fold) in enumerate(parts):
        found = _communes_named(index, bare_exact, bare_fold, raw[i] if word else "")
        if word and word not in COMMUNE_TYPES and len(parts) > 1:
            # a district/province word: only island districts (no communes) or a name like 'Quán Thánh'
            whole = text.fold(raw[i])
            found = [c for c in found if index.old[c].unit_type == "huyện" or text.fold(index.old[c].name) == whole]
            if not found:
                continue
        if word in COMMUNE_TYPES:
            typed = [c for c in found if index.old[c].unit_type == COMMUNE_TYPES[word]]
            found = typed or found
        score = 0
        for j, other in enumerate(parts):
            if j == i:
                continue
            as_district = other[0] not in PROVINCE_WORDS
            as_province = other[0] not in DISTRICT_WORDS
            in_district = [c for c in found if as_district and c in index.district_codes.get(other[2], ())]
            in_province = [c for c in found if as_province and c in index.province_codes.get(other[2], ())]
            if in_district:  # a district is narrower than a province of the same name
                found, score = in_district, score + 2
            elif in_province:
                found, score = in_province, score + 1
        if found and score > best_score:
            best, best_score = found, score
    return best


def _partial(index: Index, bare_exact: str, bare_fold: str) -> list[str]:
    with_marks = text.has_diacritics(bare_exact)
    key = bare_exact if with_marks else bare_fold
    if len(key) < 3:
        return []
    codes = [c for fold, exact in index.names if key in (exact if with_marks else fold)
             for c in index.by_fold[fold]]
    return codes[:MAX_PARTIAL]


def _parse_with_library(index: Index, query: str) -> list[str]:
    """Full old addresses (street, ward, district, province) via vietnamadminunits' offline parser.

    Only parse_address is used: convert_address may send the address to an online geocoder for
    divided communes, and it picks one successor where the dashboard lists every one.
    """
    try:
        from vietnamadminunits import parse_address
        from vietnamadminunits.parser import ParseMode

        unit = parse_address(query, mode=ParseMode.LEGACY)
    except Exception:  # noqa: BLE001 - a parser failure just means no answer from it
        return []
    code = unit.ward_code or ""
    return [code] if code in index.old else []


def lookup(index: Index, query: str) -> Answer:
    """Old communes (and old provinces) named by a free-text query, best guess first."""
    raw = [p.strip() for p in SEPARATORS.split(query or "") if p.strip()]
    raw = [p for p in raw if split_type(p)[2]]
    parts = [split_type(p) for p in raw]
    if not parts:
        return Answer()
    provinces = tuple(index.province_hits.get(parts[0][2], ())) if len(parts) == 1 else ()
    codes = _narrow(index, parts, raw)
    exact, parsed = True, False
    if not codes and (len(parts) > 1 or len(parts[0][2].split()) > 3):
        codes, parsed = _parse_with_library(index, query), True
    if not codes and len(parts) == 1 and not provinces:
        codes, exact = _partial(index, parts[0][1], parts[0][2]), False
    communes = sorted((index.old[c] for c in dict.fromkeys(codes)),
                      key=lambda u: (text.sort_key(u.province), text.sort_key(u.district), u.code))
    return Answer(tuple(communes), provinces, exact, parsed and bool(codes))


def by_province(communes) -> dict[str, list[OldCommune]]:
    """Candidates grouped by their old province (for an ambiguous name)."""
    groups = defaultdict(list)
    for unit in communes:
        groups[unit.province].append(unit)
    return dict(groups)


def province_frame(data) -> pd.DataFrame:
    """The 34 provinces with the reduction in commune-level units, in code order."""
    rows = [p.model_dump() for p in data["provinces"]]
    frame = pd.DataFrame(rows)
    frame["reduction_pct"] = (100 * (1 - frame.communes_after / frame.communes_before)).round(1)
    frame["old_count"] = frame.old_provinces.str.count(";") + 1
    return frame.sort_values("code").reset_index(drop=True)


def filter_provinces(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """Provinces whose new or old names contain the text (diacritics optional)."""
    if not query.strip():
        return frame
    keep = [text.matches(query, f"{n}; {o}") for n, o in zip(frame.name, frame.old_provinces, strict=True)]
    return frame[keep]

"""Whole-country old → new lookup (one index built once), the clause behind every old → new row,
each province's story and the 34-province table.

The clause fields (share, resolution, clause; clauses.csv; a province's resolution and population
basis) are read with getattr and defaults: a data folder without them still answers, without the
citation.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from core import places, text
from core.i18n import t
from core.places import COMMUNE_TYPES, DISTRICT_WORDS, PROVINCE_WORDS, split_type

SEPARATORS = re.compile(r"[,;\n]+")
MAX_PARTIAL = 30
DANANG = "48"
# Sources the country page cites for its figures (ids in data/sources.yaml).
SOURCES = ("vietnamadminunits-national-2025", "nq-1654-1687-ubtvqh15-texts", "nq-1654-ubtvqh15-text",
           "nq-1656-ubtvqh15-text", "nq-1659-ubtvqh15-text", "nq-1687-ubtvqh15-text", "nq-202-2025-qh15")
MAP_SOURCES = ("vietnamese-provinces-database-boundaries",)
# The old provinces' legal basis: Resolution 202/2025/QH15 of 12/6/2025 (no clause text here).
PROVINCE_RESOLUTION = "202/2025/QH15"
PROVINCE_RESOLUTION_DATE = "2025-06-12"
CODE = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class Cite:
    """What a resolution says about one old → new row: whole or part, and which clause."""

    share: str = ""  # "whole" / "part"; "" when the data does not say
    resolution: str = ""  # e.g. "1659/NQ-UBTVQH15"
    clause: int | None = None  # N of "khoản N, Điều 1"

    @property
    def known(self) -> bool:
        return bool(self.resolution)

    def text(self) -> str:
        """'khoản 9, Điều 1, Nghị quyết 1659/NQ-UBTVQH15' (or the resolution alone); '' when unknown."""
        if not self.known:
            return ""
        if self.clause:
            return t("country.cite.clause", clause=self.clause, resolution=self.resolution)
        return t("country.cite.resolution", resolution=self.resolution)


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
    cites: tuple[Cite, ...] = ()  # one per successor, in the same order

    def links(self) -> tuple[tuple[NewUnit, Cite], ...]:
        """Each successor with its citation (an empty Cite when the data has none)."""
        cites = self.cites if len(self.cites) == len(self.successors) else (Cite(),) * len(self.successors)
        return tuple(zip(self.successors, cites, strict=True))

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
    resolution: str = PROVINCE_RESOLUTION


@dataclass(frozen=True)
class Answer:
    communes: tuple[OldCommune, ...] = ()
    provinces: tuple[ProvinceHit, ...] = ()
    exact: bool = True
    parsed: bool = False
    missing_province: str = ""  # the query named an old province ("tỉnh Hà Tây") that did not exist

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
    new: dict[str, NewUnit] = field(default_factory=dict)
    origins: dict[str, list[tuple[str, Cite]]] = field(default_factory=dict)  # new code -> (old code, cite)
    clauses: dict[tuple[str, int], str] = field(default_factory=dict)  # (resolution, clause) -> wording

    def clause_text(self, cite: Cite) -> str:
        return self.clauses.get((cite.resolution, cite.clause), "") if cite.clause else ""


def _bare(name: str) -> str:
    return split_type(name)[2]


# The country lookup's words for places.fate: a new type under the same name is a renaming.
STATUS = {"type_changed": "renamed"}


def _status(successors: tuple[NewUnit, ...], origins: dict, old_type: str, old_name: str) -> str:
    new = successors[0]
    fate = places.fate(len(successors) > 1, origins[new.code], split_type(new.name)[1] == text.exact(old_name),
                       new.unit_type == old_type)
    return STATUS.get(fate, fate)


def build_index(data) -> Index:
    """Search keys for every old commune, district and province (built once per data version)."""
    provinces = {p.code: p for p in data["provinces"]}
    new = {c.code: NewUnit(c.code, f"{c.unit_type.capitalize()} {c.name}", c.unit_type,
                           provinces[c.province_code].name, c.province_code)
           for c in data["new_communes"] if c.province_code in provinces}
    districts = {d.code: d for d in data["districts"]}
    old_prov = {p.code: p for p in data["old_provinces"]}
    rows, origins, origin_rows = defaultdict(list), defaultdict(int), defaultdict(list)
    for row in data["mapping"]:
        if row.new_code in new and row.district_code in districts:
            rows[row.old_code].append(row)
            origins[row.new_code] += 1
            origin_rows[row.new_code].append((row.old_code, cite_of(row)))
    old, by_exact, by_fold = {}, defaultdict(list), defaultdict(list)
    district_codes, province_codes = defaultdict(set), defaultdict(set)
    for code, group in rows.items():
        first = group[0]
        district = districts[first.district_code]
        successors = tuple(new[r.new_code] for r in group)
        old[code] = OldCommune(code, first.old_type, first.old_name, district.name,
                               old_prov[district.province_code].name, successors,
                               _status(successors, origins, first.old_type, first.old_name),
                               tuple(cite_of(r) for r in group))
        by_exact[text.exact(first.old_name)].append(code)
        by_fold[text.fold(first.old_name)].append(code)
        district_codes[_bare(district.name)].add(code)
        province_codes[_bare(old[code].province)].add(code)
        for unit in successors:
            province_codes[_bare(unit.province)].add(code)
    names = sorted({(k, text.exact(old[c[0]].name)) for k, c in by_fold.items()})
    clauses = {(c.resolution, int(c.clause)): c.text for c in data["clauses"]
               if getattr(c, "resolution", "") and getattr(c, "clause", None)}
    return Index(old, dict(by_exact), dict(by_fold), dict(district_codes), dict(province_codes),
                 _province_hits(data, provinces), names, new, dict(origin_rows), clauses)


def cite_of(row) -> Cite:
    """The row's share, resolution and clause (empty when the data folder has no such columns)."""
    share = getattr(row, "share", "") or ("part" if getattr(row, "divided_flag", "0") == "1" else "")
    clause = getattr(row, "clause", None)
    try:
        clause = int(clause) if clause not in (None, "") else None
    except (TypeError, ValueError):
        clause = None
    return Cite(share if share in ("whole", "part") else "", getattr(row, "resolution", "") or "", clause)


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
    missing = raw[0] if len(parts) == 1 and parts[0][0] in PROVINCE_WORDS and not provinces else ""
    codes = _narrow(index, parts, raw)
    exact, parsed = True, False
    if not codes and not provinces and (len(parts) > 1 or len(parts[0][2].split()) > 3):
        codes, parsed = _parse_with_library(index, query), True
    if not codes and len(parts) == 1 and not provinces:
        codes, exact = _partial(index, parts[0][1], parts[0][2]), False
    communes = sorted((index.old[c] for c in dict.fromkeys(codes)),
                      key=lambda u: (text.sort_key(u.province), text.sort_key(u.district), u.code))
    return Answer(tuple(communes), provinces, exact, parsed and bool(codes), missing)


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


def missing_name(answer: Answer) -> str:
    return places.strip_type(answer.missing_province) if answer.missing_province else ""


def split_parts(unit: OldCommune) -> list[tuple[NewUnit, Cite]]:
    """For a divided old commune: the new units that took a part, with the clause that says so."""
    return [(new, cite) for new, cite in unit.links() if cite.share != "whole"]


# --- one province's story ---------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    old: OldCommune
    cite: Cite


@dataclass(frozen=True)
class NewCommuneStory:
    unit: NewUnit
    origins: tuple[Origin, ...]
    cite: Cite  # the clause that formed the unit (the one its rows cite most)
    area_km2: float | None
    population: int | None

    @property
    def search_text(self) -> str:
        return "; ".join([self.unit.name, *(o.old.full_name for o in self.origins)])


@dataclass(frozen=True)
class ProvinceStory:
    code: str
    name: str
    old_provinces: tuple[str, ...]
    centre: str
    resolution: str
    area_km2: float
    population: int
    population_basis: str
    before: dict[str, int]  # old unit type -> count (phường, xã, thị trấn, huyện without communes)
    after: dict[str, int]  # phường, xã, đặc khu
    communes: tuple[NewCommuneStory, ...]

    @property
    def merged(self) -> bool:
        return len(self.old_provinces) > 1


def province_story(data, index: Index, code: str) -> ProvinceStory | None:
    """Everything the province view shows for one of the 34 (None for an unknown code)."""
    province = next((p for p in data["provinces"] if p.code == code), None)
    if province is None:
        return None
    figures = {c.code: c for c in data["new_communes"] if c.province_code == code}
    communes, before_codes = [], set()
    for new_code in figures:
        if new_code not in index.new:
            continue
        rows = index.origins.get(new_code, [])
        origins = tuple(Origin(index.old[o], cite) for o, cite in rows if o in index.old)
        before_codes.update(o.old.code for o in origins)
        cited = Counter((o.cite.resolution, o.cite.clause) for o in origins if o.cite.clause)
        resolution, clause = cited.most_common(1)[0][0] if cited else (getattr(province, "resolution", ""), None)
        row = figures[new_code]
        communes.append(NewCommuneStory(index.new[new_code], origins, Cite("", resolution, clause),
                                        row.area_km2, row.population))
    communes.sort(key=lambda c: (c.cite.clause is None, c.cite.clause or 0, text.sort_key(c.unit.name)))
    before = Counter(index.old[c].unit_type for c in before_codes)
    return ProvinceStory(
        province.code, province.name, tuple(n.strip() for n in province.old_provinces.split(";")),
        province.centre, getattr(province, "resolution", ""), province.area_km2, province.population,
        getattr(province, "population_basis", ""), dict(before),
        {"phường": province.phuong, "xã": province.xa, "đặc khu": province.dac_khu}, tuple(communes))


def filter_communes(communes, query: str) -> list[NewCommuneStory]:
    """New communes whose name or an origin's name contains the text (diacritics optional)."""
    return [c for c in communes if text.matches(query, c.search_text)]


def csv_name(all_name: str, filtered_name: str, query: str) -> str:
    """'34-tinh-thanh.csv' for the whole table, 'tinh-thanh-loc-quang.csv' when filtered by 'quang'."""
    slug = text.slug(query)[:40].strip("-")
    return (filtered_name.format(filter=slug) if slug else all_name) + ".csv"


SORT_MARK, FIGURE_SPACE = "\u2060", "\u2007"  # word joiner (sorts as nothing), figure space (digit wide)


def sortable_texts(texts: list[str]) -> list[str]:
    """Formatted numbers ('3.359,8', '76,0 %') that still sort as numbers in st.dataframe.

    The grid compares text cells with localeCompare, where spaces sort before digits: each text is
    padded on the left to the column's width with figure spaces (as wide as a digit, so the numbers
    also line up), behind a word joiner that collation ignores and that keeps the grid from reading
    a short cell ('927.5') as a number while longer ones stay text."""
    width = max((len(x) for x in texts), default=0)
    return [SORT_MARK + FIGURE_SPACE * (width - len(x)) + x for x in texts]

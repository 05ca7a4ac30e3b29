"""Reconcile the two national old→new mappings against the 34 resolutions 1654–1687/NQ-UBTVQH15.

For every old commune this decides its new commune(s), whole or part, and the resolution and clause
(khoản N of Điều 1) that say so. The government-site mapping (national-2025) and the mapping
extracted from the resolutions (dvhcvn-20250701/national_clauses.csv) agree on most old communes;
where they disagree, the wording of the clause decides: an old commune goes (wholly or in part) into
new unit X only if the clause forming X names it. Same-named old communes of one new province are
told apart by the clause's own qualifier ("xã Tân Phú (huyện Tam Bình)") or, failing that, by the
district of the other units the clause names.

Run by scripts/prepare_national.py; runnable alone to print the disagreements and decisions:
    python scripts/reconcile_national.py
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core import text  # noqa: E402

DEFAULT_DVHCVN = ROOT.parent / "shared" / "data-sources" / "dvhcvn-20250701"
DEFAULT_NATIONAL = ROOT.parent / "shared" / "data-sources" / "national-2025"

OLD_TYPES = ("thị trấn", "phường", "xã", "huyện")
NEW_TYPES = ("phường", "xã", "đặc khu")
_TYPE = r"(?:thị trấn|phường|xã|huyện|đặc khu)"
# Words the PDF conversion glued to their neighbour ("Tam Bìnhthành", "vàcác", "Điều nàythành").
_GLUED = ["thành", "và", "sau", "của", "các", "một phần", "phần còn lại", "tại", "khoản", "thị trấn",
          "phường", "xã", "toàn bộ"]
# How an old unit goes: wholly, or in part (part of its area or population, or what remains of it).
_UPPER = "".join(chr(c) for c in range(0x41, 0x1EFF) if chr(c).isupper() and chr(c).isalpha())
WHOLE = re.compile(r"(?:(?:toàn )?bộ diện tích tự nhiên(?:,| và)? (?:toàn bộ )?quy mô dân(?: số)?(?: hiện có)?(?: của)?"
                   r"|toàn bộ(?= (?:các )?(?:xã|phường|thị trấn|huyện) )) ")
PART = re.compile(r"(?:một phần diện tích(?: tự nhiên)?(?:(?:,| và) (?:toàn bộ |một phần )?quy mô dân(?: số)?)?"
                  r"|một phần quy mô dân số|toàn bộ diện tích tự nhiên|toàn bộ quy mô dân số"
                  r"|phần (?:diện tích tự nhiên |quy mô dân số )?còn lại)(?: của)? ")
MARKERS = re.compile(f"({WHOLE.pattern}|{PART.pattern})")
AFTER = re.compile(r"\s*sau khi (?:thực hiện )?sắp xếp\b.*?(?:Điều này|$)")
FORMS = re.compile(
    r"^(?:Sắp xếp|Thành lập|Nhập)\s+(?P<body>.*?)\s+thành\s+(?:(?:phường|xã|đặc khu)\s+(?:mới\s+)?"
    r"có tên gọi là\s+)?(?P<type>(?i:phường|xã|đặc khu))\s+(?P<name>[^.;]+?)\s*\.?$")
RENAME = re.compile(r"^Đổi tên (?P<otype>phường|xã|thị trấn) (?P<old>.+?) thành (?P<type>phường|xã|đặc khu) "
                    r"(?P<name>[^.;]+?)\s*\.?$")
UNCHANGED = re.compile(r"không thực hiện sắp xếp là (?P<list>.+?)\s*\.?$")
QUALIFIER = re.compile(r"\s*\((?P<q>[^)]*)\)\s*")


class ReconcileError(Exception):
    """The inputs cannot be reconciled (unparseable resolution, unknown province …)."""


@dataclass(frozen=True)
class Item:
    """An old unit named in a clause: type, name, optional qualifier and how it goes (whole/part)."""

    unit_type: str
    name: str
    qualifier: str = ""
    share: str = "whole"


@dataclass
class Clause:
    """One numbered clause of Điều 1: the new unit it forms (or the unchanged units it lists)."""

    number: int
    text: str
    new_type: str = ""
    new_name: str = ""
    items: list[Item] = field(default_factory=list)
    unchanged: list[Item] = field(default_factory=list)


# --- Reading the resolutions -----------------------------------------------------------------------

def normalise(raw: str) -> str:
    """NFC, Markdown marks removed, glued words separated, whitespace folded to single spaces."""
    s = unicodedata.normalize("NFC", raw).replace("\u00a0", " ")
    s = re.sub(r"[*\\]", "", s)
    s = " ".join(s.split())
    glued = "|".join(map(re.escape, _GLUED))
    for word in _GLUED:  # a word glued to the end of the previous one: "Bìnhthành" -> "Bình thành"
        s = re.sub(rf"(?<=[^\W_])(?={re.escape(word)}(?:\b|{glued}|[{_UPPER}]))", " ", s)
    for word in _GLUED:  # … or to the start of the next: "củaxã" -> "của xã"
        s = re.sub(rf"(?<=\b{re.escape(word)})(?=[^\W\d_])", " ", s)
    s = re.sub(r"\)(?=[^\s,.;)])", ") ", s)
    s = re.sub(r"\b(xã|phường|thị trấn) \1\b", r"\1", s)  # "của xã xã Đông Hưng"
    s = re.sub(r"([^\W\d_])(?=[^\W\d_])", _case_split, s)  # "phườngNgô" -> "phường Ngô"
    s = re.sub(r"(?<=\d)(?=[^\W\d_])", " ", s)  # "Đông Hải 2thành" (after the word split above)
    s = re.sub(r"\s*,\s*", ", ", s)
    s = re.sub(r"\s*\(\s*", " (", s)
    s = re.sub(r"\s*\)", ")", s)
    s = re.sub(r"\bgọi\s*là\s*", "gọi là ", s)
    s = re.sub(r"\bsố\s*của\b", "số của", s)
    return " ".join(s.split())


def _case_split(found: re.Match) -> str:
    """Used by normalise(): a space after a lower-case letter followed by an upper-case one."""
    end = found.end()
    following = found.string[end:end + 1]
    return found.group(1) + (" " if found.group(1).islower() and following.isupper() else "")


def split_clauses(markdown: str) -> dict[int, str]:
    """The numbered clauses of Điều 1 (numbers 1..N in order), each normalised, without 'N. '."""
    found = re.search(r"Điều 1\.(.*?)\n[\s*]*Điều 2\.", unicodedata.normalize("NFC", markdown), re.S)
    if not found:
        raise ReconcileError("no Điều 1 … Điều 2 in the resolution")
    parts = re.split(r"(?:^|\n)[\s\u00a0]*(\d{1,3})\\?\.\s*(?=[^\d\s])", found.group(1))
    numbers = [int(n) for n in parts[1::2]]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ReconcileError(f"clauses out of order: {numbers[:10]}…")
    return {n: normalise(t) for n, t in zip(numbers, parts[2::2], strict=True)}


def resolution_province(markdown: str) -> str:
    """'… CẤP XÃ CỦA THÀNH PHỐ HÀ NỘI NĂM 2025' -> 'ha noi' (folded, without tỉnh/thành phố)."""
    title = " ".join(unicodedata.normalize("NFC", markdown).split())
    found = re.search(r"CẤP XÃ CỦA (?:TỈNH|THÀNH PHỐ) (.+?) NĂM 2025", title)
    if not found:
        raise ReconcileError("no province in the title")
    return text.fold(found.group(1))


def _split_list(body: str) -> list[str]:
    """'các xã A, B (huyện C) và D' -> ['các xã A', 'B (huyện C)', 'D'] (commas in brackets kept)."""
    pieces, depth, current = [], 0, ""
    for char in body:
        depth += char == "("
        depth -= char == ")"
        if char in ",;" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += char
    pieces.append(current)
    out = []
    for piece in pieces:  # "… và …", and a type word inside a piece starts a new name
        for part in re.split(r"\s+và\s+(?![^(]*\))", piece):
            out += re.split(r"(?<!thị)\s+(?=(?:các\s+)?(?:thị trấn|phường|xã)\s)(?![^(]*\))", part)
    return [p.strip(" ,.;") for p in out if p.strip(" ,.;") not in ("", "các")]


def parse_list(body: str, share: str, unit_type: str = "") -> list[Item]:
    """Old units of one list; a type word ('các phường', 'xã') carries on to the names after it."""
    items = []
    for piece in _split_list(body):
        qualifier = ""
        found = QUALIFIER.search(piece)
        if found:
            qualifier = found.group("q").strip()
            piece = (piece[:found.start()] + " " + piece[found.end():]).strip()
        typed = re.match(rf"^(?:các\s+)?({_TYPE})\s+(.*)$", piece, flags=re.IGNORECASE)
        if typed:
            unit_type, piece = typed.group(1).lower(), typed.group(2)
        if not unit_type or not piece:
            continue
        items.append(Item(unit_type, capitalise(piece), qualifier, share))
    return items


def parse_body(body: str) -> list[Item]:
    """'toàn bộ … của A, B, một phần … của C và phần còn lại của D sau khi … khoản 3 Điều này'.
    Names after '… sau khi sắp xếp theo quy định tại khoản N Điều này' go back to whole units."""
    chunks = MARKERS.split(body)
    items = []
    for marker, segment in zip(chunks[1::2], chunks[2::2], strict=True):
        share = "part" if PART.fullmatch(marker) else "whole"
        after = AFTER.search(segment)
        if after:
            items += parse_list(_trim(segment[:after.start()]), share)
            items += parse_list(_trim(segment[after.end():]), "whole", items[-1].unit_type if items else "")
        else:
            items += parse_list(_trim(segment), share)
    return items


def _trim(segment: str) -> str:
    return re.sub(r"^(?:,|và)\s*|(?:,|\s+và)\s*$", "", segment.strip()).strip()


def parse_clause(number: int, clause_text: str) -> Clause:
    """One clause: the new unit formed and the old units named, whole or in part."""
    clause = Clause(number, clause_text)
    renamed = RENAME.match(clause_text)
    formed = FORMS.match(clause_text)
    unchanged = UNCHANGED.search(clause_text)
    if renamed:
        clause.new_type, clause.new_name = renamed.group("type"), capitalise(renamed.group("name"))
        clause.items = [Item(renamed.group("otype"), capitalise(renamed.group("old")), "", "whole")]
    elif formed:
        clause.new_type, clause.new_name = formed.group("type").lower(), capitalise(formed.group("name"))
        clause.items = parse_body(formed.group("body"))
    elif unchanged:
        clause.unchanged = parse_list(unchanged.group("list"), "whole")
    return clause


def read_resolutions(folder: Path) -> dict[str, tuple[str, dict[int, Clause]]]:
    """{'1656/NQ-UBTVQH15': (province key, {N: Clause})} for the 34 commune-level resolutions."""
    out = {}
    for path in sorted(folder.glob("16[5-8][0-9]_NQ-UBTVQH15.md")):
        number = path.stem.replace("_", "/")
        markdown = path.read_text(encoding="utf-8")
        try:
            clauses = {n: parse_clause(n, t) for n, t in split_clauses(markdown).items()}
            out[number] = (resolution_province(markdown), clauses)
        except ReconcileError as error:
            raise ReconcileError(f"{path.name}: {error}") from error
    if len(out) != 34:
        raise ReconcileError(f"{len(out)} resolutions in {folder}, expected 34")
    return out


# --- Names -----------------------------------------------------------------------------------------

def capitalise(name: str) -> str:
    """First letter upper-case ('é Tòng' -> 'É Tòng'); the rest as written."""
    name = name.strip()
    return name[:1].upper() + name[1:]


ROMAN = {r: str(i) for i, r in enumerate(
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split(), start=1)}


@cache
def name_key(name: str, diacritics: bool = False) -> str:
    """Match key of a unit name: case, apostrophes, hyphens and spaces ignored, numbers without
    leading zeros ('Phường 04' = 'Phường 4'); diacritics too unless asked to keep them."""
    if not diacritics:
        name = ROMAN.get(name.strip(), name)
    key = (text.exact if diacritics else text.fold)(name.replace("\u2019", "'"))
    key = re.sub(r"['\-\s.]", "", key)
    return re.sub(r"(?<!\d)0+(\d)", r"\1", key)


@cache
def bare(name: str) -> str:
    """The name without a leading type word: 'Phường Đúc' -> 'Đúc', 'Phường 4' -> '4'."""
    return re.sub(rf"^{_TYPE}\s+", "", name.strip(), flags=re.IGNORECASE)


def type_key(unit_type: str) -> str:
    return text.exact(unit_type)


def split_type(full: str) -> tuple[str, str]:
    """'Thị trấn Ngọc Lặc' -> ('thị trấn', 'Ngọc Lặc'); the type word read from the name itself."""
    found = re.match(rf"^({_TYPE})\s+(.+)$", full.strip(), flags=re.IGNORECASE)
    if not found:
        return "", capitalise(full)
    return found.group(1).lower(), capitalise(found.group(2))


CUT_NAME = re.compile(r"^(?:ị trấn|hị trấn|ường|hường|ã)\b")


def is_cut_name(name: str) -> bool:
    """A name starting in lower case or with the tail of a type word ('ị trấn …', 'ường 5')."""
    return bool(name) and (name[0].islower() or bool(CUT_NAME.match(name)))


@dataclass(frozen=True)
class OldUnit:
    code: str
    unit_type: str
    name: str
    district: str  # district name ("Huyện Mang Thít")
    province: str  # new province code
    old_province: str = ""  # old province name ("Tỉnh Trà Vinh")
    district_code: str = ""  # two old provinces may each have a Huyện Châu Thành

    @property
    def place(self) -> str:
        return self.district_code or f"{self.old_province}|{self.district}"


def _qualifier_matches(qualifier: str, unit: OldUnit) -> bool:
    """'huyện Mang Thít' or 'huyện Châu Thành, tỉnh Trà Vinh': every part names the unit's old
    district or old province."""
    places = [name_key(unit.district), name_key(unit.old_province)]
    parts = [name_key(p) for p in qualifier.split(",") if p.strip()]
    return bool(parts) and all(any(p and (p == q or q.endswith(p) or p.endswith(q)) for q in places if q)
                               for p in parts)


def find_units(units: list, unit_type: str, name: str) -> list:
    """Units (anything with unit_type and name) that a clause's 'type name' designates, by the first
    rule that finds any: same type and name with diacritics ('Lộc Thạnh' is not 'Lộc Thành'); same
    type, name without diacritics ('Chơ GLong' = 'Chơ Long'); another type, same name; the closest
    spelling of the same type (ratio >= 0.8: 'Can Hồ' for Kan Hồ, 'N' Thôn Hạ' for N'Thol Hạ)."""
    kind = type_key(unit_type)
    for diacritics in (True, False):
        key = name_key(bare(name), diacritics)
        same = [u for u in units if name_key(bare(u.name), diacritics) == key]
        typed = [u for u in same if type_key(u.unit_type) == kind]
        if typed:
            return typed
        if same and not diacritics:
            return same
    key = name_key(bare(name))
    scored = [(SequenceMatcher(None, key, name_key(bare(u.name))).ratio(), u) for u in units
              if type_key(u.unit_type) == kind]
    best = max((r for r, _ in scored), default=0)
    return [u for r, u in scored if r == best] if best >= 0.8 else []


def resolve_items(items: list[Item], units: list[OldUnit]) -> dict[Item, list[OldUnit]]:
    """Each item of a clause -> the old unit(s) of the province it names. Same-named units are told
    apart by the item's qualifier, else by the districts of the clause's other, unambiguous units."""
    out: dict[Item, list[OldUnit]] = {}
    for item in items:
        if item.unit_type == "huyện":  # an island district: its communes, or the district itself
            key = name_key(item.name)
            found = [u for u in units if name_key(u.district).endswith(key)]
            out[item] = found
            continue
        found = find_units(units, item.unit_type, item.name)
        if item.qualifier and len(found) > 1:
            found = [u for u in found if _qualifier_matches(item.qualifier, u)] or found
        out[item] = found
    for counted in ("unique", "any"):  # districts of the unambiguous units, else of all candidates
        districts = Counter(d for found in out.values() if counted == "any" or len(found) == 1
                            for d in {u.place for u in found})
        for item, found in out.items():
            if len(found) > 1:
                best = max(districts[u.place] for u in found)
                if best:
                    out[item] = [u for u in found if districts[u.place] == best]
    return out


@dataclass(frozen=True)
class NewUnit:
    code: str
    unit_type: str
    name: str
    province: str  # new province code


@dataclass
class Reading:
    """What the resolutions' texts say, resolved to codes."""

    # {old code: {new code: (share, resolution, clause)}}; share 'ambiguous' when a clause names a
    # name that several old units of the province bear and nothing tells them apart
    answers: dict[str, dict[str, tuple[str, str, int]]] = field(default_factory=lambda: defaultdict(dict))
    clause_of_new: dict[str, tuple[str, int]] = field(default_factory=dict)  # new code -> clause
    problems: list[str] = field(default_factory=list)


def read_texts(resolutions: dict, new_units: list[NewUnit], old_units: list[OldUnit],
               province_of_key: dict[str, str]) -> Reading:
    """Resolve every clause of every resolution to new and old codes."""
    reading = Reading()
    new_by_province, old_by_province = defaultdict(list), defaultdict(list)
    for unit in new_units:
        new_by_province[unit.province].append(unit)
    for unit in old_units:
        old_by_province[unit.province].append(unit)
    for number, (pkey, clauses) in resolutions.items():
        province = province_of_key.get(pkey)
        if province is None:
            raise ReconcileError(f"{number}: province '{pkey}' not among the new provinces")
        for clause in clauses.values():
            if clause.new_name:
                targets = [(item, clause.new_type, clause.new_name) for item in clause.items]
                formed = [(clause.new_type, clause.new_name)]
            else:
                targets = [(item, item.unit_type, item.name) for item in clause.unchanged]
                formed = [(item.unit_type, item.name) for item in clause.unchanged]
            codes = {}
            for unit_type, name in formed:
                found = find_units(new_by_province[province], unit_type, name)
                if len(found) != 1:
                    reading.problems.append(f"{number} khoản {clause.number}: new unit {unit_type} {name}: "
                                            f"{len(found)} new communes of the province match")
                    continue
                codes[unit_type, name] = found[0].code
                reading.clause_of_new.setdefault(found[0].code, (number, clause.number))
            resolved = resolve_items([t[0] for t in targets], old_by_province[province])
            for item, unit_type, name in targets:
                code = codes.get((unit_type, name))
                if code is None:
                    continue
                units = resolved[item]
                if not units:
                    reading.problems.append(f"{number} khoản {clause.number}: {item.unit_type} {item.name} "
                                            "is not an old commune of the province")
                share = item.share if len(units) == 1 or item.unit_type == "huyện" else "ambiguous"
                for unit in units:
                    previous = reading.answers[unit.code].get(code)
                    if previous is None or previous[0] == "ambiguous":
                        reading.answers[unit.code][code] = (share, number, clause.number)
    return reading


@dataclass
class Decision:
    """One old commune whose mappings disagree (or agree on a pair no clause supports)."""

    old_code: str
    old_name: str
    province_code: str
    government: list[str]
    resolutions: list[str]
    kept: list[str]
    decision: str  # government | resolutions | neither
    resolution: str
    clauses: list[int]
    reason: str


@dataclass
class Result:
    """Rows per old commune {old code: [(new code, share, resolution, clause)]} and the decisions."""

    rows: dict[str, list[tuple[str, str, str, int | None]]]
    decisions: list[Decision]
    reading: Reading
    notes: list[str] = field(default_factory=list)


def _namesake_elsewhere(unit: OldUnit, new_code: str, answers, by_name) -> OldUnit | None:
    """The same-named old unit that the clause forming new_code names instead, if any."""
    for other in by_name.get((type_key(unit.unit_type), name_key(unit.name)), []):
        said = answers.get(other.code, {}).get(new_code)
        if other.code != unit.code and said and said[0] != "ambiguous":
            return other
    return None


def decide(government: dict[str, list[str]], resolutions_map: dict[str, list[str]], reading: Reading,
           old_units: dict[str, OldUnit], new_names: dict[str, str]) -> Result:
    """For every old commune of the government mapping: its new commune(s), whole or part, and the
    clause. Where the mappings disagree, new unit X is kept iff the clause forming X names the old
    commune; a pair both mappings give is dropped only when X's clause names a same-named unit of
    another district instead (and the commune keeps another new unit)."""
    answers, rows, decisions, notes = reading.answers, {}, [], []
    by_name = defaultdict(list)
    for unit in old_units.values():
        by_name[type_key(unit.unit_type), name_key(unit.name)].append(unit)
    for code in sorted(government):
        unit, said = old_units[code], answers.get(code, {})
        gov, res = sorted(government[code]), sorted(resolutions_map.get(code, government[code]))
        candidates = sorted(set(gov) | set(res))
        if gov != res:
            kept = [x for x in candidates if x in said and (said[x][0] != "ambiguous" or (x in gov and x in res))]
            if not kept:
                kept = sorted(set(gov) & set(res)) or gov
                notes.append(f"{code}: no clause names it unambiguously; kept {kept}")
        else:
            kept = [x for x in gov if x in said or not _namesake_elsewhere(unit, x, answers, by_name)]
            kept = kept or gov
        if gov == res and kept == gov:
            decision = None
        else:
            decision = "government" if kept == gov else "resolutions" if kept == res else "neither"
        shares = {}
        for x in kept:
            share = said.get(x, ("",))[0]
            shares[x] = share if share in ("whole", "part") else ("whole" if len(kept) == 1 else "part")
        if len(kept) > 1:
            shares = {x: "part" for x in kept}
        rows[code] = [(x, shares[x], *reading.clause_of_new.get(x, ("", None))) for x in kept]
        if decision:
            cited = sorted({reading.clause_of_new[x] for x in kept if x in reading.clause_of_new})
            decisions.append(Decision(
                code, f"{unit.unit_type} {unit.name}", unit.province, gov, res, kept, decision,
                cited[0][0] if cited else "", [c for _, c in cited],
                _reason(unit, kept, shares, [x for x in candidates if x not in kept], answers, by_name,
                        new_names, reading)))
    return Result(rows, decisions, reading, notes)


def _reason(unit, kept, shares, dropped, answers, by_name, new_names, reading) -> str:
    def clause(x):
        found = reading.clause_of_new.get(x)
        return f"{found[0].split('/')[0]} khoản {found[1]}" if found else "no clause"

    said = []
    for x in kept:
        how = "wholly" if shares[x] == "whole" else "in part"
        said.append(f"{clause(x)} names it ({how}) in forming {new_names.get(x, x)}")
    for x in dropped:
        other = _namesake_elsewhere(unit, x, answers, by_name)
        if other:
            said.append(f"{clause(x)} forming {new_names.get(x, x)} names the {other.unit_type} {other.name} "
                        f"of {other.district}, {other.old_province} ({other.code}), not this one")
        elif x not in new_names:
            said.append(f"{x} is not a code of the government list's new communes (no clause forms it)")
        else:
            said.append(f"{clause(x)} forming {new_names.get(x, x)} does not name it")
    return f"{unit.unit_type} {unit.name} ({unit.district}, {unit.old_province}): " + "; ".join(said)


def reconciliation_frame(result: Result, new_names: dict[str, str]):
    """reconciliation.csv: one row per decided old commune."""
    import pandas as pd

    def answer(codes):
        return "; ".join(f"{x} {new_names.get(x, '?')}" for x in codes)

    return pd.DataFrame([{
        "old_code": d.old_code, "old_name": d.old_name, "province_code": d.province_code,
        "government_answer": answer(d.government), "resolutions_answer": answer(d.resolutions),
        "decision": d.decision, "resolution": d.resolution,
        "clause": ";".join(str(c) for c in d.clauses), "reason": d.reason,
    } for d in result.decisions], columns=RECONCILIATION_COLUMNS)


RECONCILIATION_COLUMNS = ["old_code", "old_name", "province_code", "government_answer",
                          "resolutions_answer", "decision", "resolution", "clause", "reason"]


def clauses_frame(resolutions: dict, cited: set[tuple[str, int]]):
    """clauses.csv: the wording of every clause cited in the mapping."""
    import pandas as pd

    rows = [{"resolution": r, "clause": n, "text": resolutions[r][1][n].text}
            for r, n in sorted(cited, key=lambda rc: (rc[0], rc[1]))]
    return pd.DataFrame(rows, columns=["resolution", "clause", "text"])


def read_resolutions_mapping(path: Path) -> dict[str, list[str]]:
    """{old code: [new codes]} from dvhcvn's national_clauses.csv."""
    import csv

    out = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["old_commune_code"]].append(row["new_commune_code"])
    return dict(out)


def reconcile(mapping_rows, new_communes, districts, old_provinces, provinces, dvhcvn: Path,
              province_key) -> tuple[Result, dict]:
    """Everything prepare_national.py needs: the decided rows and the parsed resolutions."""
    resolutions = read_resolutions(dvhcvn / "resolutions")
    district_name = dict(zip(districts.code, districts.name, strict=True))
    district_province = dict(zip(districts.code, districts.province_code, strict=True))
    new_province = dict(zip(old_provinces.code, old_provinces.new_province_code, strict=True))
    old_province_name = dict(zip(old_provinces.code, old_provinces.name, strict=True))
    old_units = {}
    for row in mapping_rows.drop_duplicates("old_code").itertuples():
        province = district_province[row.district_code]
        old_units[row.old_code] = OldUnit(row.old_code, row.old_type, row.old_name,
                                          district_name[row.district_code], new_province[province],
                                          old_province_name[province], row.district_code)
    new_units = [NewUnit(r.code, r.unit_type, r.name, r.province_code) for r in new_communes.itertuples()]
    province_of_key = {province_key(r.name): r.code for r in provinces.itertuples()}
    reading = read_texts(resolutions, new_units, list(old_units.values()), province_of_key)
    government = mapping_rows.groupby("old_code").new_code.apply(list).to_dict()
    new_names = {r.code: f"{r.unit_type} {r.name}" for r in new_communes.itertuples()}
    result = decide(government, read_resolutions_mapping(dvhcvn / "national_clauses.csv"), reading,
                    old_units, new_names)
    return result, resolutions


def main() -> int:
    """Standalone: rebuild from the shared sources and print the disagreements and decisions."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, default=DEFAULT_NATIONAL, help="national-2025 folder")
    parser.add_argument("--dvhcvn", type=Path, default=DEFAULT_DVHCVN, help="dvhcvn-20250701 folder")
    args = parser.parse_args()
    from scripts import prepare_national

    try:
        tables = prepare_national.build_tables(args.sources, args.dvhcvn)
    except (ReconcileError, prepare_national.DataError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    frame = tables["reconciliation"]
    print(frame.to_string(index=False, max_colwidth=60))
    print(f"{len(frame)} decisions: {frame.decision.value_counts().to_dict()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

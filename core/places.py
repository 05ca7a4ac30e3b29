"""Vietnamese place names (no Streamlit): the type words written before a name, how a typed name
is split into type word and bare name, and what became of an old unit. Shared by the Đà Nẵng
lookup (core/lookup.py) and the whole-country one (core/national.py)."""

from __future__ import annotations

import functools
import re

from core import text

# Every type word a user may write before a name, as written (lower case) -> the type it means.
TYPE_WORDS = {
    "thành phố": "thành phố", "tp": "thành phố", "tp.": "thành phố",
    "thủ đô": "thủ đô",
    "tỉnh": "tỉnh", "t.": "tỉnh",
    "quận": "quận", "q.": "quận",
    "huyện": "huyện", "h.": "huyện",
    "thị xã": "thị xã", "tx": "thị xã", "tx.": "thị xã",
    "phường": "phường", "p.": "phường",
    "xã": "xã", "x.": "xã",
    "thị trấn": "thị trấn", "tt": "thị trấn", "tt.": "thị trấn",
    "đặc khu": "đặc khu",
}
# Folded written form -> folded type ('tp.' -> 'thanh pho'): what a search compares.
TYPE_OF = {text.fold(word): text.fold(kind) for word, kind in TYPE_WORDS.items()}
# Folded written forms by level: a commune (with its Vietnamese type), a district, a province.
COMMUNE_TYPES = {text.fold(word): kind for word, kind in TYPE_WORDS.items() if kind in ("phường", "xã", "thị trấn")}
DISTRICT_WORDS = {text.fold(word) for word, kind in TYPE_WORDS.items() if kind in ("huyện", "quận", "thị xã")}
PROVINCE_WORDS = {text.fold(word) for word, kind in TYPE_WORDS.items() if kind in ("tỉnh", "thủ đô")}
ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "hn": "ha noi"}


def _prefix(words) -> re.Pattern:
    """A type word at the start: a whole word before a space, or an abbreviation with its dot."""
    ordered = sorted(words, key=len, reverse=True)
    whole = "|".join(re.escape(w) for w in ordered if not w.endswith("."))
    dotted = "|".join(re.escape(w) for w in ordered if w.endswith("."))
    return re.compile(rf"^(?:({whole})\s+|({dotted})\s*)")


FOLDED_PREFIX = _prefix(TYPE_OF)  # matched against folded text
EXACT_PREFIX = _prefix(TYPE_WORDS)  # matched against text with its diacritics, lower case


def strip_type_word(folded: str) -> str:
    """Remove a leading type word (phường, xã, quận, tp.…) from a folded name."""
    return FOLDED_PREFIX.sub("", folded, count=1)


def type_of(folded: str) -> str:
    """The folded type a folded name begins with ('quan hai chau' -> 'quan'), or ''."""
    return TYPE_OF.get(folded[: len(folded) - len(strip_type_word(folded))].strip(), "")


@functools.lru_cache(maxsize=20_000)
def split_type(part: str) -> tuple[str, str, str]:
    """'Xã Hòa Liên' -> ('xa', 'hòa liên', 'hoa lien'): type word as written (folded), exact and
    folded bare name.

    With diacritics the type word must be written as one ('Quán Thánh' is a name, 'Quận 1' is not);
    without, 'quan thanh' is read as a type word plus a name, and the whole text is tried as well.
    """
    exact, folded = text.exact(part), text.fold(part)
    marked = text.has_diacritics(part)
    match = (EXACT_PREFIX if marked else FOLDED_PREFIX).match(exact if marked else folded)
    cut = match.end() if match else 0
    word = text.fold(match.group(1) or match.group(2)) if match else ""
    bare_fold = ALIASES.get(folded[cut:].strip(), folded[cut:].strip()) if len(exact) == len(folded) else folded
    bare_exact = exact[cut:].strip() if len(exact) == len(folded) else bare_fold
    return word, bare_exact, bare_fold


def strip_type(raw: str) -> str:
    """'tỉnh Hà Tây' -> 'Hà Tây' (the name as typed, without its type word)."""
    cleaned = text.nfc(raw).strip()
    marked = text.has_diacritics(cleaned)
    match = (EXACT_PREFIX if marked else FOLDED_PREFIX).match(cleaned.lower() if marked else text.fold(cleaned))
    return cleaned[match.end():].strip() if match and len(text.fold(cleaned)) == len(cleaned) else cleaned


def bare_name(full_name: str, unit_type: str) -> str:
    """'Phường Hải Vân' of type 'phường' -> 'Hải Vân' (the name without its type word)."""
    return " ".join(full_name.split()[len(unit_type.split()):])


def fate(split: bool, origins: int, same_name: bool, same_type: bool) -> str:
    """What became of an old unit: 'split' (into several new units, or only in part), 'merged'
    (its new unit has other origins too), else alone into one new unit: 'unchanged',
    'type_changed' (same name, another type) or 'renamed'. Each lookup names these its own way."""
    if split:
        return "split"
    if origins > 1:
        return "merged"
    if not same_name:
        return "renamed"
    return "unchanged" if same_type else "type_changed"

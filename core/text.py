"""Vietnamese text handling: NFC, tone-placement unification, diacritic folding, search, sorting."""

import functools
import re
import unicodedata

# Old ("hòa") and new ("hoà") tone placement are both in use; index and query use the old style.
_TONE_PLACEMENT = {
    new: old
    for pair in (
        "oà òa|oá óa|oả ỏa|oã õa|oạ ọa|oè òe|oé óe|oẻ ỏe|oẽ õe|oẹ ọe|uỳ ùy|uý úy|uỷ ủy|uỹ ũy|uỵ ụy"
    ).split("|")
    for new, old in [pair.split(" ")]
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền, sắc, hỏi, ngã, nặng


def nfc(text: str) -> str:
    """Unicode NFC form (text from macOS or some keyboards arrives in NFD)."""
    return unicodedata.normalize("NFC", text)


def exact(text: str) -> str:
    """NFC, unified tone placement, case-folded, single spaces: the 'with diacritics' key."""
    text = nfc(text).casefold()
    text = _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group(0)], text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Drop every diacritic and map đ to d: the 'typed without diacritics' key."""
    decomposed = unicodedata.normalize("NFD", exact(text))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d")


def has_diacritics(text: str) -> bool:
    """True when the user typed any Vietnamese mark or đ."""
    return fold(text) != exact(text)


def matches(query: str, text: str) -> bool:
    """Substring match that ignores diacritics only when the query has none."""
    query = query.strip()
    if not query:
        return True
    if has_diacritics(query):
        return exact(query) in exact(text)
    return fold(query) in fold(text)


@functools.lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """ASCII slug of a Vietnamese name: 'Quận Hải Châu' -> 'quan-hai-chau'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@functools.lru_cache(maxsize=1024)
def _letter_weight(char: str) -> tuple[int, int]:
    base = unicodedata.normalize("NFD", char)
    tone = next((_TONES.index(c) + 1 for c in base if c in _TONES), 0)
    letter = unicodedata.normalize("NFC", "".join(c for c in base if c not in _TONES))
    pos = _ALPHABET.find(letter)
    return (pos if pos >= 0 else 100 + ord(letter[:1] or " "), tone)


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order (a, ă, â, b, c, d, đ, e, ê…); tones break ties."""
    weights = [_letter_weight(c) for c in exact(text)]
    return (tuple(w[0] for w in weights), tuple(w[1] for w in weights))

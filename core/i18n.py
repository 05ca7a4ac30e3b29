"""UI strings: t(key, **fmt) over core/locales/<lang>/*.yaml (one file per page), Vietnamese default."""

import contextlib
import contextvars
from functools import cache

import yaml

from core.paths import LOCALES_DIR

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
# Each Streamlit session runs its script in its own thread, so a context variable keeps
# one session's language from leaking into another's.
_current = contextvars.ContextVar("lang", default=DEFAULT_LANG)


@cache
def strings(lang: str) -> dict[str, str]:
    """All strings of one language as a flat {dotted.key: text} dict."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            merged.update({str(k): str(v) for k, v in (yaml.safe_load(fh) or {}).items()})
    return merged


def use(lang: str) -> None:
    """Set the language for the rest of this script run."""
    _current.set(lang if lang in LANGS else DEFAULT_LANG)


@contextlib.contextmanager
def using(lang: str):
    """Texts in `lang` inside the block, then the run's own language again (cached builders that
    take the language as an argument make their texts in it)."""
    token = _current.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _current.reset(token)


def lang() -> str:
    """The language of the current script run."""
    return _current.get()


def t(key: str, **fmt) -> str:
    """The string for key in the current language; the key itself when it is missing."""
    text = strings(lang()).get(key, key)
    return text.format(**fmt) if fmt else text


def tn(key: str, n: int, **fmt) -> str:
    """t() for a count n: '<key>.one' when n is exactly one (English '1 record'), else '<key>'."""
    one = f"{key}.one"
    return t(one if n == 1 and one in strings(lang()) else key, **fmt)


def pick(text, lang_code: str | None = None) -> tuple[str, bool]:
    """The record text in the current language and whether it fell back to Vietnamese."""
    if text is None:
        return "", False
    code = lang_code or lang()
    if code == "en" and getattr(text, "en", None):
        return text.en, False
    return text.vi, code != "vi"


def tx(text) -> str:
    """Record text in the current language, with a marker when English is missing."""
    value, fell_back = pick(text)
    return f"{value} {t('common.vi_only')}" if fell_back and value else value

"""Every locale has exactly the Vietnamese keys, and every key used in code exists."""

import re
from pathlib import Path

from core import i18n

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for d in ("app.py", "pages", "components", "core") for p in
        ([ROOT / d] if d.endswith(".py") else (ROOT / d).rglob("*.py"))]


def test_locales_have_the_same_keys():
    vi = set(i18n.strings("vi"))
    for lang in i18n.LANGS:
        assert set(i18n.strings(lang)) == vi, lang


def test_every_literal_key_used_in_code_exists():
    used = set()
    for path in CODE:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.\-]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in i18n.strings("vi"))
    assert not missing
    assert used, "the scan found no keys at all"


def test_missing_key_shows_the_key():
    assert i18n.t("no.such.key") == "no.such.key"


def test_no_duplicate_keys_across_locale_files():
    for lang in i18n.LANGS:
        seen = {}
        for path in sorted((i18n.LOCALES_DIR / lang).glob("*.yaml")):
            for line in path.read_text(encoding="utf-8").splitlines():
                key = line.split(":", 1)[0].strip()
                if line and not line.startswith((" ", "#")):
                    assert key not in seen, f"{key} in {path.name} and {seen[key]}"
                    seen[key] = path.name

"""A page rendered in English shows no Vietnamese UI string."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from core import i18n, nav, paths
from tests.app.test_leaks import open_folds

LINKS = {
    "overview": {}, "timeline": {"topic": "merger"}, "merger": {"q": "hoa lien"},
    "training": {"trip": "k75-a20-danang-2025-07-07"}, "smart-city": {"domain": "dti"},
    "sources": {"kind": "legal"}, "lesson": {"lesson": "k75-a20", "step": "2"},
}


def vietnamese_fragments() -> set[str]:
    """Literal pieces (≥ 12 characters) of every UI string whose English differs.

    Pieces that also occur in the data files are left out: record text (publisher names,
    dataset titles) may be Vietnamese in both languages.
    """
    vi, en = i18n.strings("vi"), i18n.strings("en")
    data_text = "\n".join(p.read_text(encoding="utf-8") for p in (paths.ROOT / "data").rglob("*.yaml"))
    pieces = set()
    for key, text in vi.items():
        if text != en.get(key):
            pieces |= {p.strip() for p in re.split(r"\{[^}]*\}", text) if len(p.strip()) >= 12}
    return {p for p in pieces if p not in data_text}


def rendered_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success", "code", "metric", "button", "text_input", "selectbox", "multiselect",
                 "radio", "expander", "tabs", "toggle", "checkbox", "date_input"):
        for element in getattr(at, kind, []):
            for attr in ("value", "label", "help", "placeholder", "options"):
                value = getattr(element, attr, None)
                parts.append(" ".join(map(str, value)) if isinstance(value, list | tuple) else str(value or ""))
    return "\n".join(parts)


@pytest.mark.parametrize("key", list(LINKS))
def test_english_page_has_no_vietnamese_ui_text(key):
    at = AppTest.from_file(str(paths.ROOT / nav.BY_KEY[key].file), default_timeout=60)
    at.query_params.update({"lang": "en", **LINKS[key]})
    open_folds(at, key)  # folds that send their content only once opened
    at.run()
    assert not at.exception
    text = rendered_text(at)
    assert len(text) > 200
    leftovers = sorted(p for p in vietnamese_fragments() if p in text)
    assert leftovers == []

"""Readers never see working notes: no file names, copy hosts, 'GitHub' or English notes on a Vietnamese page.

Every page is run in both languages, in its default view and at the deep links a class opens. The text a
reader can see is collected (link targets are not visible and are left out); the Sources page's
"Ghi chú biên tập" fold is the one place curators' notes may appear, so it is skipped.
"""

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import sources as sources_ui
from core import catalog, i18n, nav, paths

LINKS = {
    "overview": [{}],
    "timeline": [{}, {"event": "nq-1659-ubtvqh15-2025-06-16"}, {"tab": "table"}],
    "merger": [{}, {"unit": "20194"}, {"view": "list"}],
    "training": [{}, {"trip": "k75-a20-danang-2025-07-07"}],
    "smart-city": [{}, {"domain": "dti"}, {"domain": "ioc"}],
    "sources": [{}],
    "lesson": [{}, {"lesson": "k75-a20", "step": "3"}],
    "country": [{}, {"province": "48"}, {"province": "01"}, {"q": "hoa lien"}, {"q": "tỉnh Kon Tum"}],
    "live": [{}],
}
CASES = [(key, lang, params) for key, links in LINKS.items() for lang in i18n.LANGS for params in links]

# Leaks in any language: file names, the hosts of copies, the working words of curators.
ANY_LANGUAGE = [
    re.compile(r"\b[\w-]+\.(?:txt|csv|ya?ml|py|json|md)\b", re.IGNORECASE),
    re.compile(r"github", re.IGNORECASE),
    re.compile(r"hasontech|demo1022|yes8877", re.IGNORECASE),
    re.compile(r"máy chủ demo|demo host", re.IGNORECASE),
    re.compile(r"\(meta\)"),
]
# English working notes that once reached the Vietnamese page.
VIETNAMESE_PAGE = [
    re.compile(p, re.IGNORECASE) for p in (
        r"title taken from", r"title rebuilt", r"url slug", r"does not report", r"not shown",
        r"mirror copy", r"research notes", r"\bcuration\b", r"\bcurators?\b")
]
LINK_TARGET = re.compile(r"\]\((?:<[^>]*>|[^)\s]*)\)")
EDITORIAL = {i18n.strings(lang)["sources.editorial.header"] for lang in i18n.LANGS}


def _element_text(node) -> list[str]:
    parts = []
    for attr in ("value", "label", "help", "placeholder", "options", "caption"):
        # Only what the element has (a field of its own or a property of its class); reading it
        # must not fail: an error here is a page the scan cannot read, so the test fails.
        if attr not in vars(node) and not isinstance(getattr(type(node), attr, None), property):
            continue
        value = getattr(node, attr)
        if isinstance(value, pd.DataFrame):
            links = [c for c in value.columns if value[c].astype(str).str.match(r"https?://").any()]
            frame = value.drop(columns=links)  # link columns show a fixed "open" text, not the address
            parts.append(frame.to_csv(index=False))
        elif isinstance(value, list | tuple):
            parts.extend(map(str, value))
        elif isinstance(value, str):
            parts.append(value)
    return parts


def visible_text(node) -> str:
    """The text of a node and its children, without link targets and without the editorial fold."""
    if getattr(node, "type", None) == "expander" and getattr(node, "label", None) in EDITORIAL:
        return ""
    parts = _element_text(node)
    for child in getattr(node, "children", {}).values():
        parts.append(visible_text(child))
    return LINK_TARGET.sub("]", "\n".join(p for p in parts if p))


def open_folds(at: AppTest, key: str) -> None:
    """Folds that send their content only once opened are opened, so that the scan reads it too."""
    if key == "sources":
        for name in sources_ui.PROVENANCE:
            at.session_state[f"sources.provenance.{name}"] = True
    if key == "lesson":
        for lesson in catalog.build(paths.ROOT / "data")["lessons"].records:
            at.session_state[f"lesson.steps.{lesson.id}"] = True


def run(key: str, lang: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / nav.BY_KEY[key].file), default_timeout=90)
    at.query_params.update({"lang": lang, **params} if lang != "vi" else params)
    open_folds(at, key)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
@pytest.mark.parametrize(("key", "lang", "params"), CASES)
def test_no_working_notes_reach_the_page(key, lang, params):
    text = visible_text(run(key, lang, params)._tree)
    patterns = ANY_LANGUAGE + (VIETNAMESE_PAGE if lang == "vi" else [])
    leaks = sorted({m.group(0) + " … " + text[max(0, m.start() - 60):m.end() + 60].replace("\n", " ")
                    for p in patterns for m in p.finditer(text)})
    assert not leaks, leaks


def test_every_page_is_scanned():
    assert set(LINKS) == set(nav.BY_KEY)


def test_the_scan_reads_the_folds_that_build_on_opening():
    licence = {i18n.strings(lang)["sources.provenance.licence"] for lang in i18n.LANGS}
    assert any(word in visible_text(run("sources", "vi", {})._tree) for word in licence)
    closed = AppTest.from_file(str(paths.ROOT / nav.BY_KEY["lesson"].file), default_timeout=90).run()
    steps = len(next(x for x in catalog.build(paths.ROOT / "data")["lessons"].records if x.id == "k75-a20").steps)
    assert len(visible_text(run("lesson", "vi", {})._tree)) > len(visible_text(closed._tree))
    def links(at: AppTest) -> int:  # a page run on its own draws its in-app links as Markdown links
        return sum(m.value.count("](/") for m in at.markdown)

    assert links(run("lesson", "vi", {})) >= links(closed) + steps


def test_the_scan_sees_a_leak_and_skips_link_targets():
    at = AppTest.from_string(
        "import streamlit as st\n"
        "st.markdown('[Báo](https://github.com/x/y.md) and notes.txt')\n"
        "with st.expander('Ghi chú biên tập'):\n    st.markdown('curator: file.csv on github')\n")
    at.run()
    text = visible_text(at._tree)
    assert "notes.txt" in text and "github" not in text and "file.csv" not in text

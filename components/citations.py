"""Source citations as Markdown: the one formatter for every 'Nguồn: …' line and sources fold.

A source's name is a link when it has a URL (its target escaped so it cannot break Markdown's
``(…)``), else plain text with a 'no public link' marker; its date is the publication date, else
the public note on it, else 'date unknown' (``cite.published_text``).
"""

from __future__ import annotations

import streamlit as st

from components import widgets
from core import catalog, cite, schemas
from core.i18n import t

_URL_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})


def safe_url(url: str) -> str:
    """A link target that cannot break out of Markdown's (…) syntax."""
    return url.translate(_URL_ESCAPES)


def link(text: str, url: str) -> str:
    """'[text](url)' with the text shown literally."""
    return f"[{widgets.escape_md(text)}]({safe_url(url)})"


def source_name(src: schemas.Source, text: str) -> str:
    """A source's name: a link when it has a URL, else plain text with a marker."""
    if src.url:
        return link(text, src.url)
    return f"{widgets.escape_md(text)} ({t('common.no_link')})"


def _found(source_ids, cat: catalog.Catalog, ordered: bool) -> list[schemas.Source]:
    by_id = cat.by_id("sources")
    if ordered:
        return cite.ordered_sources(list(source_ids), by_id)
    return [by_id[sid] for sid in dict.fromkeys(source_ids) if sid in by_id]


def source_line(source_ids, cat: catalog.Catalog, ordered: bool = False) -> str:
    """'Nguồn: Publisher (16/6/2025); …' with links, in the given order (legal texts first when
    ``ordered``)."""
    parts = [f"{source_name(src, cite.publisher_text(src))} ({cite.published_text(src)})"
             for src in _found(source_ids, cat, ordered)]
    return t("common.sources_label") + " " + "; ".join(parts)


def sources_expander(source_ids, cat: catalog.Catalog, label_key: str = "common.sources") -> None:
    """Every cited source with title, publisher, date, confidence and a link, folded."""
    lines = [f"- {source_name(src, src.title)} — {widgets.escape_md(cite.publisher_text(src))}, "
             f"{cite.published_text(src)} · {t('confidence.' + src.confidence)}"
             for src in _found(source_ids, cat, ordered=False)]
    with st.expander(t(label_key)):
        if lines:  # one list, one element: each element is a message the server sends on every run
            st.markdown("\n".join(lines))

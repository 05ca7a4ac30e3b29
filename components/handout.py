"""A lesson's handout: its print view (`/lesson?lesson=<id>&print=1`).

For each step: its number, title and note, the view's key content as text with its sources
(core/handout.py), the step's public link as text and its QR code. One HTML element per step, its
texts escaped (a title or note is shown as written, never as markup). The print CSS makes the
browser's Print → Save as PDF an A4 handout: no sidebar, header, toolbar, widgets or footer, each
step after the first on a new page.
"""

from __future__ import annotations

import functools
import html
import re

import streamlit as st

from components import cache, links
from components import origin as public_origin
from core import catalog, handout, i18n, schemas, share, url_state
from core.i18n import t, tx

# Marks the handout's own elements: in print, every element without it is hidden.
MARK = "tgbm-handout"
LONG_PART = 60  # a link part (between '?' and '&') longer than this may break inside
PRINT_CSS = f"""
<style>
.{MARK} {{ color: #000; background: #fff; font-size: 1rem; line-height: 1.45; }}
.{MARK} h1 {{ font-size: 1.7rem; margin: 0 0 0.4rem; padding: 0; }}
.{MARK} h2 {{ font-size: 1.3rem; margin: 0 0 0.4rem; padding: 0; }}
.{MARK} .step-number {{ font-size: 0.9rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }}
.{MARK} .note {{ white-space: pre-wrap; border-left: 3px solid #000; padding-left: 0.6rem; margin: 0.4rem 0; }}
.{MARK} .label {{ font-weight: 600; margin: 0.6rem 0 0.2rem; }}
.{MARK} ul {{ margin: 0.2rem 0 0.6rem 1.2rem; padding: 0; }}
.{MARK} li {{ margin: 0.15rem 0; }}
.{MARK} .sources {{ font-size: 0.85rem; }}
.{MARK} .unavailable {{ border: 1px solid #000; padding: 0.4rem 0.6rem; font-weight: 600; }}
.{MARK} .link-row {{ display: flex; gap: 1rem; align-items: center; margin: 0.4rem 0 0.6rem; }}
.{MARK} .qr {{ width: 40mm; height: 40mm; flex: none; image-rendering: pixelated; }}
.{MARK} .url {{ font-family: monospace; font-size: 0.9rem; overflow-wrap: anywhere; }}
.{MARK} .url .seg {{ white-space: nowrap; }}
.{MARK}.step {{ border-top: 1px solid #999; padding-top: 0.8rem; margin-top: 0.8rem; }}
@page {{ size: A4; margin: 15mm; }}
@media print {{
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"], header,
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], footer, .stDeployButton {{ display: none !important; }}
  [data-testid="stElementContainer"]:not(:has(.{MARK})),
  [data-testid="stVerticalBlock"]:not(:has(.{MARK})),
  [data-testid="stHorizontalBlock"]:not(:has(.{MARK})),
  [data-testid="stLayoutWrapper"]:not(:has(.{MARK})),
  [data-testid="stExpander"], [data-testid="stDialog"], div[role="dialog"], button, input, textarea,
  select, hr {{ display: none !important; }}
  html, body, #root, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  .stMain, [data-testid="stMainBlockContainer"], .stMainBlockContainer, [data-testid="stVerticalBlock"],
  [data-testid="stLayoutWrapper"], [data-testid="stElementContainer"], .stHtml {{
    display: block !important; height: auto !important; min-height: 0 !important; max-height: none !important;
    overflow: visible !important; position: static !important; width: auto !important;
    max-width: none !important; padding: 0 !important; margin: 0 !important; background: #fff !important;
    color: #000 !important; box-shadow: none !important; }}
  .{MARK} {{ font-size: 11pt; }}
  .{MARK}.step {{ border-top: none; margin-top: 0; padding-top: 0; }}
  .{MARK}.step.later {{ break-before: page; page-break-before: always; }}
  .{MARK}.step {{ break-inside: auto; }}
  .{MARK} .link-row {{ break-inside: avoid; }}
}}
</style>
"""


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def _breakable(url: str) -> str:
    """The link escaped, wrapping only after '?' and '&': never at a hyphen, which text taken from the
    PDF (copy, pdftotext) would drop as a word break. A part too long for a line may break anywhere."""
    parts = re.split(r"(?<=[?&])", url)
    return "<wbr>".join(f'<span class="seg">{_e(p)}</span>' if len(p) <= LONG_PART else _e(p) for p in parts if p)


def _lang_params(state: url_state.ViewState) -> dict[str, str]:
    return {k: v for k, v in url_state.to_params(state).items() if k == "lang"}


def _content_html(content: handout.StepContent) -> str:
    if not content.available:
        return f'<p class="unavailable" role="note">{_e(content.facts[0].text)}</p>'
    items = []
    for fact in content.facts:
        sources = (f'<br><span class="sources">{_e(t("common.sources_label"))} {_e("; ".join(fact.sources))}</span>'
                   if fact.sources else "")
        items.append(f"<li>{_e(fact.text)}{sources}</li>")
    return f'<p class="label">{_e(t("handout.content"))}</p><ul>{"".join(items)}</ul>'


def step_html(number: int, total: int, step: schemas.LessonStep, content: handout.StepContent, url: str) -> str:
    """One step as HTML, every text escaped."""
    return _step_html(i18n.lang(), number, total, tx(step.title), tx(step.note) if step.note else "", content, url)


@functools.lru_cache(maxsize=512)
def _step_html(lang: str, number: int, total: int, title: str, note: str, content: handout.StepContent,
               url: str) -> str:
    """Made once per language (the one on screen: `t` reads it), step text, content and link: the
    same for every reader of a handout."""
    parts = [f'<section class="{MARK} step{" later" if number > 1 else ""}" data-step="{number}">',
             f'<p class="step-number">{_e(t("handout.step", n=number, total=total))}</p>',
             f"<h2>{_e(title)}</h2>",
             # The link and its code right under the title: on the step's first page, however long it is.
             f'<div class="link-row"><img class="qr" alt="{_e(t("handout.qr_alt", n=number))}" '
             f'src="data:image/png;base64,{share.qr_base64(url)}">'
             f'<div><p class="label">{_e(t("handout.link"))}</p><p class="url">{_breakable(url)}</p></div></div>']
    if note:
        parts.append(f'<p class="label">{_e(t("handout.note"))}</p><p class="note">{_e(note)}</p>')
    parts.append(_content_html(content))
    parts.append("</section>")
    return "".join(parts)


def _national(page: str, cat: catalog.Catalog):
    """The national set, built once per data version by the country page's cache, when a step needs it."""
    if page != "country":
        return None
    from components import country  # the country page's pieces (and its charts) only when needed

    return country.bundle(cat)


@cache.shared(max_entries=256)
def _content(cat: catalog.Catalog, lang: str, page: str, params: tuple[tuple[str, str], ...]) -> handout.StepContent:
    """A step's key content, made once per data version, language and view (a lecturer's steps too)."""
    return handout.step_content(page, dict(params), cat, _national(page, cat))


def render(lesson: schemas.Lesson, state: url_state.ViewState, cat: catalog.Catalog) -> None:
    """The print view of a lesson (curated or saved)."""
    st.html(PRINT_CSS)
    where = public_origin.current()
    public_origin.notice(where)
    st.caption(t("handout.print_hint"))
    links.page_link("lesson", t("handout.back"), {**_lang_params(state), "lesson": lesson.id},
                    icon=":material/arrow_back:")
    summary = f"<p>{_e(tx(lesson.summary))}</p>" if lesson.summary else ""
    st.html(f'<div class="{MARK} head"><h1>{_e(tx(lesson.title))}</h1>{summary}</div>')
    total = len(lesson.steps)
    steps = []
    for number, step in enumerate(lesson.steps, start=1):
        content = _content(cat, i18n.lang(), step.page, tuple(sorted(step.params.items())))
        steps.append(step_html(number, total, step, content, handout.step_url(where.url, lesson, number, state.lang)))
    st.html("".join(steps))  # every step in one element: each element is a message and a gap

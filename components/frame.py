"""The page frame every page draws around its content: page setup, the language switch, the lesson
bar, the data banner, the share control and dialog, the live-class strip, the menu and the footer.

A page calls ``start(page)`` first and ``finish(...)`` last; if the page raises in between, the
error boundary (components/boundary.py) logs it and ``_broken_frame`` keeps the frame around a
short message.
"""

from __future__ import annotations

import base64
import contextvars
import dataclasses
import logging
from collections.abc import Callable

import streamlit as st

from components import (
    boundary,
    lesson_bar,
    lesson_draft,
    links,
    live,
    phone_menu,
    streamlit_vi,
    url_session,
    widgets,
)
from components import origin as public_origin
from core import catalog, fmt, i18n, nav, paths, share, url_state
from core.i18n import t

# The top-of-page slot that finish() fills with the share control, per script run.
_share_slot = contextvars.ContextVar("share_slot", default=None)
_menu_slot = contextvars.ContextVar("menu_slot", default=None)
# What the error boundary needs to redraw the frame when a page raises: page, state, catalog, and
# whether finish() has run.
_frame = contextvars.ContextVar("frame", default=None)
# Set by the entrypoint's configure_page for the page it runs next: the page then does not send the
# same page config again (one message less per run). A page file run directly sets its own.
_configured = contextvars.ContextVar("page_configured", default=False)
log = logging.getLogger("tgbm.pages")
# Streamlit's default caption grey falls below WCAG AA contrast on white; darken it slightly.
BASE_CSS = ("<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
            "{color: #55575f !important; opacity: 1 !important;}</style>")
LANG_SCRIPT = "<script>document.documentElement.lang = '{lang}';</script>"
# Presentation mode scales the root font size: Streamlit sizes type and spacing in rem, so
# headings, metrics, captions, body text and gaps all grow together and nothing shrinks.
PRESENT_CSS = """
<style>
html { font-size: 130%; }
.stMainBlockContainer { padding-top: 3rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
</style>
"""
# The share dialog: wide, and its QR code sized to the viewport so it is never cut off.
SHARE_CSS = """
<style>
div[role="dialog"]:has(.st-key-share-dialog) { width: min(96vw, 1100px); max-width: 96vw; }
.share-qr { display: block; margin: 0 auto; width: min(100%, calc(100vh - 15rem), 36rem);
            height: auto; image-rendering: pixelated; }
.st-key-lesson-bar [data-testid="stPageLink-NavLink"] { border: 1px solid rgba(49, 51, 63, 0.25);
  background: #ffffff; padding: 0.2rem 0.75rem; }
.st-key-lesson-bar [data-testid="stPageLink-NavLink"] span { font-weight: 600; }
.st-key-timeline-detail { scroll-margin-top: 4rem; }
.st-key-share-link code { font-size: 1.35rem !important; line-height: 1.5; }
</style>
"""


def app_pages() -> list:
    """The st.Page list for app.py's navigation, made once per session and language.

    Making a page object resolves its file on disk; nine of them on every run were a tenth of a
    short page's run. They are kept per session, never shared: st.navigation marks the chosen
    object runnable and its run() unmarks it, which must not interleave between sessions."""
    key = f"_tgbm.pages.{i18n.lang()}"
    pages = st.session_state.get(key)
    if pages is None:
        pages = [st.Page(spec.file, title=t(f"nav.{spec.key}"), icon=spec.icon,
                         url_path=spec.url_path or None, default=spec.key == "overview")
                 for spec in nav.PAGES]
        st.session_state[key] = pages
    nav.use_objects({spec.file: page for spec, page in zip(nav.PAGES, pages, strict=True)})
    return pages


# The favicon as a data URI: a file path makes Streamlit read the file and register a media
# file on every call (and a media URL lives only in the replica that made it).
_FAVICON = "data:image/png;base64," + base64.b64encode((paths.ROOT / "assets" / "icon.png").read_bytes()).decode()


def configure_page(entrypoint: bool = False) -> None:
    """Page config, set by the entrypoint, or by the page when the entrypoint did not run.

    Right after a server restart, Streamlit runs a deep link's page file directly (legacy
    pages/ mode) until some session has run st.navigation; setting the config in the page too
    makes those first views look the same.
    """
    _configured.set(entrypoint)
    i18n.use(url_session.peek("lang"))
    st.set_page_config(
        page_title=i18n.t("app.title"),
        page_icon=_FAVICON,
        layout="wide",
        initial_sidebar_state="collapsed" if url_session.peek("present") == "1" else "auto",
    )


def start(page: str) -> tuple[url_state.ViewState, catalog.Catalog, list[str]]:
    """Read the view from the URL, show the language switch and data problems; load data."""
    if not _configured.get():
        configure_page()
    _configured.set(False)
    state, notices = url_session.read(page)
    state = live.claim(state)  # the host key: from the link into the session, or from the session
    url_session.seed("frame.lang", state.lang)
    _menu_slot.set(st.sidebar.container())
    # The language names are endonyms, the same in every language (rule 3 in components/widgets.py).
    names = {code: i18n.strings(i18n.DEFAULT_LANG)[f"frame.lang.{code}"] for code in i18n.LANGS}
    with st.sidebar:
        lang = st.segmented_control(t("frame.language"), options=list(i18n.LANGS), key="frame.lang",
                                    format_func=widgets.labels(names), required=True)
    state = dataclasses.replace(state, lang=lang if lang in i18n.LANGS else state.lang)
    i18n.use(state.lang)
    # Streamlit hard-codes <html lang="en">; screen readers and translators need the UI language.
    # The value is one of two fixed codes, never text from a link or the data.
    # One element for the page's scripts (each element costs a message and a gap in the layout):
    # the page language, the phone menu that closes after a tap (phone_menu) and, on Vietnamese
    # pages, Streamlit's own English texts in Vietnamese (streamlit_vi).
    st.html(LANG_SCRIPT.format(lang=i18n.lang()) + phone_menu.SCRIPT + streamlit_vi.script(i18n.lang()),
            unsafe_allow_javascript=True)
    st.html(BASE_CSS + SHARE_CSS + (PRESENT_CSS if state.present else ""))
    widgets.use_presentation(state.present)
    _share_slot.set(st.container())
    install_boundary()  # a page Streamlit ran directly before any app.py run (restart, AppTest)
    cat = catalog.get()
    # /lesson names its own; on /live a lesson without a step is the lesson a room starts from.
    stale = lesson_bar.problems(state, cat) if page not in ("lesson", "live") else []
    if stale:  # a lesson or step that does not exist: named once, then left out of the URL
        notices += stale
        state = dataclasses.replace(state, lesson="", step=0)
    _frame.set({"page": page, "state": state, "cat": cat, "finished": False})
    lesson_bar.show(state, page, cat)
    data_banner(cat)
    return state, cat, notices


def finish(state: url_state.ViewState, page: str, cat: catalog.Catalog, title_extra: str = "") -> None:
    """Write the view back to the URL, offer it for sharing, and close with the footer."""
    url_session.write(state, page)
    if _frame.get():
        _frame.get()["finished"] = True
    with _share_slot.get() or st.container():
        share_control(state, page, title_extra)
        live.bar(state, page, cat)
    with _menu_slot.get() or st.sidebar:
        menu(state, lesson_bar.step_target(state, cat))
    footer(cat)


def menu(state: url_state.ViewState, lesson_step: tuple[str, dict] | None = None) -> None:
    """The page menu; every link keeps the view's global filters and language.

    During a lesson the lesson entry leads back to the current step (page, parameters).
    """
    query = url_state.link_params(state)
    for spec in nav.PAGES:
        page, params = lesson_step if spec.key == "lesson" and lesson_step else (spec.key, query)
        if not links.page_link(page, t(f"nav.{spec.key}"), params, icon=spec.icon, fallback="none"):
            return  # a page run on its own has no menu
    st.divider()


def share_control(state: url_state.ViewState, page: str, title_extra: str = "") -> None:
    """One click opens the share dialog: the view's title, its link with a copy button, a large QR.

    The dialog stays open across reruns (a chart redraw, a URL write) until it is closed.
    """
    title = share.view_title(state, page, title_extra)
    with st.container(horizontal=True, gap="small"):
        st.button(t("share.button"), icon=":material/qr_code_2:", key="share-open",
                  on_click=url_session.set_widget, args=("share.dialog", page))
        if lesson_draft.addable(state, page):
            lesson_draft.add_control(state, page, title)
    lesson_draft.remember()
    if url_session.widget_value("share.dialog") == page:
        where = public_origin.current()
        url = share.full_url(where.url, state, page)
        st.dialog(t("share.dialog_title"), width="large", on_dismiss=_close_share)(share_panel)(
            url, title, where)


def _close_share() -> None:
    url_session.set_widget("share.dialog", "")


def share_panel(url: str, title: str, where, key: str = "share-dialog") -> None:
    """A link to share: the public-address notice, a QR code sized to the screen, the title and the
    link with a copy button (the share dialog's content; /lesson shows a saved lesson's with it)."""
    with st.container(key=key):
        public_origin.notice(where)
        qr, text = st.columns([3, 2], gap="medium")
        qr.html(f'<img class="share-qr" alt="{t("share.qr_caption")}" '
                f'src="data:image/png;base64,{share.qr_base64(url)}">')
        with text:
            st.subheader(widgets.escape_md(title))
            with st.container(key="share-link"):
                st.code(url, language=None, wrap_lines=True)
            st.caption(t("share.help"))
            st.caption(t("share.qr_caption"))


def data_banner(cat: catalog.Catalog) -> None:
    """Name every data problem; pages with intact data keep working below it."""
    problems = cat.all_problems()
    if not problems:
        return
    files = ", ".join(sorted({p.file for p in problems}))
    widgets.problems_banner(t("frame.data_problem", count=len(problems), files=files), problems)


def footer(cat: catalog.Catalog) -> None:
    """Data version and as-of date on every page."""
    release = cat.release if cat else None
    st.divider()
    if release:
        st.caption(t("frame.footer", version=release.version, as_of=fmt.date(release.as_of)))
    else:
        st.caption(t("frame.footer_unknown"))


def install_boundary() -> None:
    """Run every page inside the error boundary, in its turn (components/boundary.py): pages opened
    through app.py's navigation and, right after a server restart (or in AppTest), page files that
    Streamlit runs directly from pages/."""
    boundary.install(_run_page)


def _run_page(run: Callable[[], None], page: str) -> None:
    _frame.set(None)
    boundary.guard(run, page, _broken_frame)


def _broken_frame(page: str) -> None:
    frame = _frame.get() or {}
    page = frame.get("page", page)
    if frame.get("state") is None:  # the frame itself failed: the view as the link says
        frame["state"] = url_state.from_params(st.query_params.to_dict())[0]
    state = frame["state"]
    i18n.use(state.lang)
    st.warning(t("frame.broken"), icon=":material/sentiment_dissatisfied:")
    links.page_link(page, t("frame.reload"), url_state.to_params(state, page), icon=":material/refresh:")
    if frame.get("finished"):
        return
    parts = [lambda: share_control(state, page), lambda: menu(state)]
    slots = [_share_slot.get() or st.container(), _menu_slot.get() or st.sidebar]
    for part, slot in zip(parts, slots, strict=True):
        try:
            with slot:
                part()
        except Exception:
            log.exception("frame of page %r failed", page)
    footer(frame.get("cat"))

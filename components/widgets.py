"""Streamlit UI pieces shared by pages: page frame, notices, data banner, sources, links, footer.

The widget rule, for every stateful widget in the app (Streamlit 1.67's selectbox, multiselect,
pills and segmented control send the *shown label* back as the value; a label that changed between
runs comes back as a junk string, and the page breaks):

1. Options are stable values (slugs, ids, years), never display text.
2. An option's label depends only on the option and the UI language: never counts or other live
   data. Show counts beside the widget (a caption), not in its labels.
3. Widgets with translated labels use ``key=url_state.lang_key("<page>.<field>")``: a language
   switch then makes a fresh widget seeded from the URL. Call lang_key before seeding; callbacks
   and seeds may keep using the plain '<page>.<field>' (url_state maps it to the language shown).
   The language switch itself has labels that do not depend on the language (endonyms).
4. format_func is total: use ``labels(names)`` (an unknown value shows as str(value)), and keep only
   known options from what a widget returns (``known(values, options)``).
5. Widget values are set only through url_state.seed (from the URL, before the widget) and
   url_state.set_widget (from callbacks); never pass a default together with a key.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from components import charts, lesson_bar, live, phone_menu, streamlit_vi
from components import origin as public_origin
from core import catalog, cite, fmt, i18n, nav, paths, share, url_state
from core.i18n import t, tx

# The top-of-page slot that finish() fills with the share control, per script run.
_share_slot = contextvars.ContextVar("share_slot", default=None)
_menu_slot = contextvars.ContextVar("menu_slot", default=None)
_present = contextvars.ContextVar("present", default=False)
# What the error boundary needs to redraw the frame when a page raises: page, state, catalog, and
# whether finish() has run.
_frame = contextvars.ContextVar("frame", default=None)
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


def configure_page() -> None:
    """Page config, set by the entrypoint and again by every page.

    Right after a server restart, Streamlit runs a deep link's page file directly (legacy
    pages/ mode) until some session has run st.navigation; setting the config here too makes
    those first views look the same.
    """
    i18n.use(url_state.peek("lang"))
    st.set_page_config(
        page_title=i18n.t("app.title"),
        page_icon=_FAVICON,
        layout="wide",
        initial_sidebar_state="collapsed" if url_state.peek("present") == "1" else "auto",
    )


def start(page: str) -> tuple[url_state.ViewState, catalog.Catalog, list[str]]:
    """Read the view from the URL, show the language switch and data problems; load data."""
    configure_page()
    state, notices = url_state.read(page)
    state = live.claim(state)  # the host key: from the link into the session, or from the session
    url_state.seed("frame.lang", state.lang)
    _menu_slot.set(st.sidebar.container())
    # The language names are endonyms, the same in every language (rule 3 above).
    names = {code: i18n.strings(i18n.DEFAULT_LANG)[f"frame.lang.{code}"] for code in i18n.LANGS}
    with st.sidebar:
        lang = st.segmented_control(t("frame.language"), options=list(i18n.LANGS), key="frame.lang",
                                    format_func=labels(names), required=True)
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
    _present.set(state.present)
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
    url_state.write(state, page)
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

    During a lesson the lesson entry leads back to the current step (page file, parameters).
    """
    query = url_state.link_params(state)
    try:
        for spec in nav.PAGES:
            file, params = lesson_step if spec.key == "lesson" and lesson_step else (spec.file, query)
            st.page_link(nav.target(file), label=t(f"nav.{spec.key}"), icon=spec.icon, query_params=params)
    except st.errors.StreamlitAPIException:  # page run on its own, without st.navigation
        return
    st.divider()


def share_control(state: url_state.ViewState, page: str, title_extra: str = "") -> None:
    """One click opens the share dialog: the view's title, its link with a copy button, a large QR.

    The dialog stays open across reruns (a chart redraw, a URL write) until it is closed.
    """
    st.button(t("share.button"), icon=":material/qr_code_2:", key="share-open",
              on_click=url_state.set_widget, args=("share.dialog", page))
    if url_state.widget_value("share.dialog") == page:
        where = public_origin.current()
        url = share.full_url(where.url, state, page)
        st.dialog(t("share.dialog_title"), width="large", on_dismiss=_close_share)(_share_dialog)(
            url, share.view_title(state, page, title_extra), where)


def _close_share() -> None:
    url_state.set_widget("share.dialog", "")


def _share_dialog(url: str, title: str, where) -> None:
    with st.container(key="share-dialog"):
        public_origin.notice(where)
        qr, text = st.columns([3, 2], gap="medium")
        qr.html(f'<img class="share-qr" alt="{t("share.qr_caption")}" '
                f'src="data:image/png;base64,{share.qr_base64(url)}">')
        with text:
            st.subheader(escape_md(title))
            with st.container(key="share-link"):
                st.code(url, language=None, wrap_lines=True)
            st.caption(t("share.help"))
            st.caption(t("share.qr_caption"))


def plotly_chart(figure, **kwargs):
    """st.plotly_chart with larger chart type in presentation mode (titles, ticks, legends, hover)."""
    return st.plotly_chart(charts.for_room(figure) if _present.get() else figure, **kwargs)


def show_notices(notices: list[str]) -> None:
    """A polite note naming link parts that were ignored."""
    if notices:
        st.info(t("frame.ignored", items=", ".join(notices)), icon=":material/link_off:")


def data_banner(cat: catalog.Catalog) -> None:
    """Name every data problem; pages with intact data keep working below it."""
    problems = cat.all_problems()
    if not problems:
        return
    files = sorted({p.file for p in problems})
    st.warning(t("frame.data_problem", count=len(problems), files=", ".join(files)), icon=":material/warning:")
    with st.expander(t("frame.data_problem_details")):
        st.code("\n".join(str(p) for p in problems[:200]), language=None, wrap_lines=True)


def dataset_error(cat: catalog.Catalog, *names: str) -> bool:
    """True (and an inline message) when a dataset this part needs could not be loaded at all."""
    broken = [n for n in names if not cat[n].records]
    if broken:
        st.error(t("frame.dataset_missing", names=", ".join(cat[n].file for n in broken)))
    return bool(broken)


def footer(cat: catalog.Catalog) -> None:
    """Data version and as-of date on every page."""
    release = cat.release if cat else None
    st.divider()
    if release:
        st.caption(t("frame.footer", version=release.version, as_of=fmt.date(release.as_of)))
    else:
        st.caption(t("frame.footer_unknown"))


def href(page: str, state: url_state.ViewState, **params) -> str:
    """A relative link to a page keeping the global filters, plus page parameters."""
    values = url_state.link_params(state, **params)
    return nav.href(page) + ("?" + urlencode(values) if values else "")


def page_link(page: str, label: str, state: url_state.ViewState, icon=None, **params) -> None:
    """An in-app link to another page carrying the global filters and page parameters."""
    try:
        st.page_link(nav.target(nav.BY_KEY[page].file), label=label, icon=icon,
                     query_params=url_state.link_params(state, **params))
    except st.errors.StreamlitAPIException:  # page run on its own, without st.navigation
        st.markdown(f"[{label}]({href(page, state, **params)})")


def source_line(source_ids, cat: catalog.Catalog) -> str:
    """'Nguồn: Publisher (16/6/2025), …' as Markdown with links."""
    by_id = cat.by_id("sources")
    parts = []
    for sid in source_ids:
        src = by_id.get(sid)
        if src:
            when = fmt.date(src.published) if src.published else t("common.date_unknown")
            parts.append(f"{source_name(src, cite.publisher_text(src))} ({when})")
    return t("common.sources_label") + " " + "; ".join(parts)


def source_name(src, text: str) -> str:
    """Markdown for a source's name: a link when it has a URL, else plain text with a marker."""
    if src.url:
        return f"[{escape_md(text)}](<{src.url}>)"
    return f"{escape_md(text)} ({t('common.no_link')})"


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$"})


def escape_md(text: str) -> str:
    """Text from data shown as literal text in Markdown (no links, HTML or formatting)."""
    return str(text).translate(_MD_ESCAPES)


def sources_expander(source_ids, cat: catalog.Catalog, label_key: str = "common.sources") -> None:
    """Every cited source with publisher, date, confidence and a link."""
    by_id = cat.by_id("sources")
    lines = []
    for sid in dict.fromkeys(source_ids):
        src = by_id.get(sid)
        if src:
            when = fmt.date(src.published) if src.published else t("common.date_unknown")
            lines.append(f"- {source_name(src, src.title)} — {escape_md(cite.publisher_text(src))}, {when} · "
                         f"{t('confidence.' + src.confidence)}")
    with st.expander(t(label_key)):
        if lines:  # one list, one element: each element is a message the server sends on every run
            st.markdown("\n".join(lines))


def guard(run: Callable[[], None], page: str) -> None:
    """The error boundary: run a page; if it raises, a short message with a link reloading the
    view, the frame (menu, language, share, footer) kept, and the traceback in the server log.

    Streamlit's control flow (st.rerun, st.stop, st.switch_page) raises BaseException subclasses,
    which pass through untouched.
    """
    _frame.set(None)
    try:
        run()
    except Exception:
        log.exception("page %r failed", page)
        _broken_frame(page)


def _page_runs() -> int:
    """How many page scripts of this process run at once (env TGBM_PAGE_RUNS, default 1)."""
    try:
        return max(1, int(os.environ.get("TGBM_PAGE_RUNS", "1")))
    except ValueError:
        return 1


# Admission: page scripts run one (TGBM_PAGE_RUNS) at a time per process, the others wait their
# turn. Streamlit gives every session's run its own thread, and all of them share one interpreter
# lock: when a class's sixty phones run a page at once, sixty threads take turns every few
# milliseconds and all of them finish near the end. Taken in turn, the first finish after one
# run's time and the last no later than before (benchmarks/live.py measures it). Fragment runs
# (the follow poll, the follower count) are small and skip the queue.
_gate = threading.BoundedSemaphore(_page_runs())
_admitted = threading.local()


@contextlib.contextmanager
def _page_turn():
    if getattr(_admitted, "held", False):  # app.py's navigation runs the page inside its own run
        yield
        return
    with _gate:
        _admitted.held = True
        try:
            yield
        finally:
            _admitted.held = False


def _use_app_navigation() -> None:
    """Runs go through app.py's st.navigation from now on, as st.navigation itself declares.

    Because the page files live in pages/, Streamlit starts a server in its old folder mode: until
    some session opens "/" (app.py), every run of /timeline etc. globs pages/, builds a page
    object per file and runs the page file directly, skipping app.py. That costs about a tenth of
    each run and makes the first visitors' runs differ from later ones. st.navigation ends that
    mode by clearing this flag; a page run directly does the same here."""
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except ImportError:  # pragma: no cover - Streamlit moved it; the folder mode still works
        pass


def install_boundary() -> None:
    """Run every page inside guard(): pages opened through app.py's navigation and, right after a
    server restart (or in AppTest), page files that Streamlit runs directly from pages/."""
    from streamlit.navigation.page import StreamlitPage

    _use_app_navigation()
    if getattr(StreamlitPage.run, "guarded", False):
        return
    original = StreamlitPage.run

    def run(self) -> None:
        name = Path(str(getattr(self, "_page", ""))).name
        key = next((spec.key for spec in nav.PAGES if Path(spec.file).name == name), "overview")
        with _page_turn():
            guard(lambda: original(self), key)

    run.guarded = True
    StreamlitPage.run = run


def _broken_frame(page: str) -> None:
    frame = _frame.get() or {}
    page = frame.get("page", page)
    if frame.get("state") is None:  # the frame itself failed: the view as the link says
        frame["state"] = url_state.from_params(st.query_params.to_dict())[0]
    state = frame["state"]
    i18n.use(state.lang)
    st.warning(t("frame.broken"), icon=":material/sentiment_dissatisfied:")
    try:
        st.page_link(nav.target(nav.BY_KEY[page].file), label=t("frame.reload"), icon=":material/refresh:",
                     query_params=url_state.to_params(state, page))
    except st.errors.StreamlitAPIException:  # page run on its own, without st.navigation
        st.markdown(f"[{t('frame.reload')}]({nav.href(page)}{url_state.query_string(state, page)})")
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


def labels(names: dict, fallback: str | None = None) -> Callable[[object], str]:
    """A total format_func: the option's label, else the fallback, else str(value)."""
    return lambda value: names.get(value, str(value) if fallback is None else fallback)


def known(values: Iterable | None, options: Iterable) -> tuple:
    """The values a widget returned that are real options, in the widget's order (drops stale labels).

    The order is kept so that the link reopens the widget exactly as it was shown."""
    options = set(options)
    return tuple(dict.fromkeys(value for value in values or () if value in options))


__all__ = ["tx"]

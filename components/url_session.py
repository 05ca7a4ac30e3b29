"""The URL in a session: the only module touching st.query_params, and the widget keys it seeds.

The contract itself (ViewState <-> parameters) is core/url_state.py; this module reads the run's
URL with it, writes the view back, and gives widgets their values from the URL.
"""

from __future__ import annotations

import streamlit as st

from core import cite, i18n, url_state
from core.url_state import ViewState

# Widgets whose option labels are translated, by the base of their key ('<page>.<field>'): their
# session-state key is '<base>.<lang>' (lang_key). seed, set_widget and widget_value take the base
# and map it to the key of the language on screen, so callbacks and pages use the plain base.
LANG_SCOPED = frozenset({
    "country.province",
    "live.lesson",
    "merger.color", "merger.district", "merger.province", "merger.type", "merger.unit", "merger.view",
    "smart-city.domain",
    "sources.cite_kind", "sources.confidence", "sources.kind",
    *(f"sources.cite.{name}" for name in cite.CITING),
    "timeline.event", "timeline.from", "timeline.preset", "timeline.tab", "timeline.to", "timeline.topic",
    "training.date_from", "training.date_to", "training.institution", "training.theme",
})


def lang_key(base: str) -> str:
    """The session-state key of an option widget whose labels are translated: '<page>.<field>.<lang>'.

    Streamlit's selectbox, multiselect, pills and segmented control send the *shown label* back as
    their value. When a label changes between runs the frontend sends a label that no longer
    exists and the widget breaks; so option labels depend only on the option and the language
    (never on counts or other live data), and the language is part of the key, so a language
    switch makes a fresh widget seeded from the URL. The full rule is in components/widgets.py.
    The base must be declared in LANG_SCOPED.
    """
    if base not in LANG_SCOPED:
        raise KeyError(f"{base!r} is not a language-scoped widget key (add it to LANG_SCOPED)")
    return f"{base}.{_widget_lang()}"


def _widget_lang() -> str:
    """The language of the widgets on screen: the language switch's value, also inside callbacks
    (which run before the page has set the run's language)."""
    try:
        chosen = st.session_state.get("frame.lang")
    except Exception:  # outside a Streamlit run (unit tests)
        chosen = None
    return chosen if chosen in i18n.LANGS else i18n.lang()


def _key(key: str) -> str:
    return f"{key}.{_widget_lang()}" if key in LANG_SCOPED else key


def _current_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def read(page: str) -> tuple[ViewState, list[str]]:
    """The view this run shows, from the URL; notes whether the URL came from outside."""
    ss = st.session_state
    raw = _current_params()
    state, notices = url_state.for_page(raw, page)
    page_changed = ss.get("_url.page") != page
    flat = {k: v[-1] for k, v in raw.items() if v}
    ss["_url.external"] = page_changed or ss.get("_url.written") != flat
    i18n.use(state.lang)
    return state, notices if ss["_url.external"] else []


def seed(key: str, value) -> None:
    """Give a widget its value from the URL when the URL is new (link, back/forward, page switch)."""
    ss = st.session_state
    key = _key(key)
    if ss.get("_url.external", True) or key not in ss:
        ss[key] = list(value) if isinstance(value, tuple) else value


def set_widget(key: str, value) -> None:
    """Set a widget's value from a callback (reset buttons, list selections)."""
    st.session_state[_key(key)] = list(value) if isinstance(value, tuple) else value


def write(state: ViewState, page: str) -> None:
    """Put the view into the URL (a new history entry when it changed)."""
    ss = st.session_state
    params = url_state.to_params(state, page)
    current = {k: v[-1] for k, v in _current_params().items() if v}
    # After an outside change the browser's address bar may differ from the server's copy of
    # the URL, so write then too (Streamlit skips a history entry when nothing changed).
    if current != params or ss.get("_url.external"):
        st.query_params.from_dict(params)
    ss["_url.written"] = params
    ss["_url.page"] = page


def peek(param: str) -> str:
    """A global parameter for the entrypoint (page titles, sidebar), before any page runs.

    Prefers the language widget's fresh value when the URL has not changed from outside.
    """
    ss = st.session_state
    if param == "lang" and "frame.lang" in ss:
        raw = {k: v[-1] for k, v in _current_params().items() if v}
        if ss.get("_url.written") == raw:
            return ss["frame.lang"] or i18n.DEFAULT_LANG
    values = st.query_params.get_all(param)
    return url_state.param_value(param, values[-1]) if values else ""


def widget_value(key: str):
    """A widget's current value or selection event, read inside its own callback."""
    return st.session_state.get(_key(key))

"""The URL contract: ViewState <-> query parameters, and the only module touching st.query_params."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from core import i18n, schemas

MULTI = {
    "topic": schemas.TOPICS,
    "type": ("phuong", "xa", "dac-khu"),
    "province": ("da-nang", "quang-nam"),
    "domain": ("dti", "ict-index", "feedback", "online-services", "open-data", "ioc"),
    "kind": ("legal", "press", "dataset", "portal"),
    "confidence": ("high", "medium", "low"),
    "theme": ("advantages", "difficulties", "lessons", "limitations", "teaching"),
}
IDS = {"event", "unit", "trip", "lesson", "district", "institution"}
CHOICES = {"lang": i18n.LANGS, "color": ("type", "province"), "tab": ("chart", "table"),
           "view": ("map", "list", "compare", "charts")}
GLOBAL = ("topic", "from", "to", "lang", "present", "room", "host")
# Read from a link, never written into one: the lecturer's host key moves into the tab's session
# (components/live.claim), so no address bar, share link or QR code ever shows it.
NEVER_WRITTEN = ("host",)
# Every page accepts these (a lesson step is the view's own page); links do not keep them.
LESSON = ("lesson", "step")
IGNORED_SILENTLY = {"embed", "embed_options"}
PAGE_PARAMS = {
    "overview": (),
    "timeline": ("q", "event", "tab"),
    "merger": ("q", "unit", "view", "type", "province", "district", "color"),
    "training": ("trip", "institution", "theme"),
    "smart-city": ("domain",),
    "sources": ("q", "kind", "confidence"),
    "lesson": ("lesson", "step"),
    "country": ("q", "filter", "province"),
    "live": (),
}
ALL_PARAMS = set(GLOBAL).union(*PAGE_PARAMS.values())
MAX_Q = 200
MAX_FILTER = 80
TEXTS = {"q": MAX_Q, "filter": MAX_FILTER}  # free-text parameters and their longest accepted value
_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
# `province` means one thing per page: on /merger a list of slugs (MULTI), on /country one of the 34
# new provinces by its 2-digit code (the page checks the code against its data). The two value sets
# do not overlap, so one parser reads both into separate fields, and read() names a value that is
# the other page's as ignored.
NEW_PROVINCE = re.compile(r"^\d{2}$")
PAGE_FIELDS = {("country", "province"): "new_province"}
# Live class: a room code (no look-alike characters, upper-cased) and a host key (URL-safe secret).
ROOM_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{6}$")
HOST_KEY = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


@dataclass(frozen=True)
class ViewState:
    """Everything a link can say about a view; defaults mean 'not set'."""

    topic: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    filter: str = ""  # /country: the province table's filter box
    new_province: str = ""  # /country: one new province's 2-digit code (URL `province`)
    event: str = ""
    unit: str = ""
    trip: str = ""
    lesson: str = ""
    step: int = 0
    lang: str = i18n.DEFAULT_LANG
    present: bool = False
    type: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    district: str = ""
    domain: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()
    institution: str = ""
    theme: tuple[str, ...] = ()
    color: str = "type"
    tab: str = "chart"
    view: str = "map"
    room: str = ""
    host: str = ""


FIELD_OF = {"from": "date_from", "to": "date_to"}
DEFAULT = ViewState()


def _field(param: str, page: str | None = None) -> str:
    return PAGE_FIELDS.get((page, param)) or FIELD_OF.get(param, param)


def _clean(value: str) -> str:
    """NFC, no control characters, trimmed."""
    value = unicodedata.normalize("NFC", value)
    return "".join(c for c in value if unicodedata.category(c)[0] != "C").strip()


def _parse_multi(param: str, values: list[str]) -> tuple[tuple[str, ...], list[str]]:
    items = [_clean(v) for raw in values for v in raw.split(",") if _clean(v)]
    good = tuple(dict.fromkeys(v for v in items if v in MULTI[param]))
    return good, [v for v in items if v not in MULTI[param]]


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_clean(value)) if re.match(r"^\d{4}-\d{2}-\d{2}$", _clean(value)) else None
    except ValueError:
        return None


def _parse_one(param: str, value: str):
    """A single value, or None when malformed."""
    value = _clean(value)
    if param in ("from", "to"):
        return _parse_date(value)
    if param in TEXTS:
        return value if len(value) <= TEXTS[param] else None
    if param in IDS:
        return value if len(value) <= 80 and _ID.match(value) else None
    if param == "step":
        return int(value) if re.fullmatch(r"[0-9]{1,2}", value) and int(value) >= 1 else None
    if param == "room":
        return value.upper() if ROOM_CODE.match(value.upper()) else None
    if param == "host":
        return value if HOST_KEY.match(value) else None
    if param == "present":
        return {"1": True, "0": False}.get(value)
    return value if value in CHOICES[param] else None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def from_params(params: dict[str, list[str] | str]) -> tuple[ViewState, list[str]]:
    """Parse query parameters; bad values fall back to defaults and are reported, never raised."""
    values, ignored = {}, []
    for raw_key, raw in params.items():
        key = _clean(str(raw_key))
        raw_list = [str(v) for v in (raw if isinstance(raw, (list, tuple)) else [raw])]
        if key in IGNORED_SILENTLY:
            continue
        if key == "province" and any(NEW_PROVINCE.match(_clean(v)) for raw in raw_list for v in raw.split(",")):
            codes = [_clean(v) for raw in raw_list for v in raw.split(",") if NEW_PROVINCE.match(_clean(v))]
            values["new_province"] = codes[0]
            ignored += [f"{key}={_short(c)}" for c in codes[1:]]
            rest = [v for raw in raw_list for v in raw.split(",") if not NEW_PROVINCE.match(_clean(v))]
            values[_field(key)], bad = _parse_multi(key, rest)
            ignored += [f"{key}={_short(b)}" for b in bad]
        elif key in MULTI:
            good, bad = _parse_multi(key, raw_list)
            values[_field(key)] = good
            ignored += [f"{key}={_short(b)}" for b in bad]
        elif key in IDS or key in CHOICES or key in TEXTS or key in ("from", "to", "step", "present", "room", "host"):
            parsed = _parse_one(key, raw_list[-1]) if raw_list else None
            if parsed is None and raw_list and _clean(raw_list[-1]):
                ignored.append(f"{key}={_short(_clean(raw_list[-1]))}")
            elif parsed is not None:
                values[_field(key)] = parsed
        else:
            ignored.append(_short(key) or "?")
    state = ViewState(**values)
    if state.date_from and state.date_to and state.date_from > state.date_to:
        ignored.append(f"from={state.date_from.isoformat()}>to={state.date_to.isoformat()}")
        state = dataclasses.replace(state, date_from=None, date_to=None)
    return state, ignored


def _encode(value) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def params_for(page: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(GLOBAL + PAGE_PARAMS.get(page, ()) + LESSON))


def to_params(state: ViewState, page: str | None = None) -> dict[str, str]:
    """Only the values that differ from the defaults, for the page's parameters."""
    keys = params_for(page) if page else tuple(dict.fromkeys(GLOBAL + sum(PAGE_PARAMS.values(), ())))
    out = {}
    for key in keys:
        if key in NEVER_WRITTEN:
            continue
        value = getattr(state, _field(key, page))
        if value != getattr(DEFAULT, _field(key, page)):
            out[key] = _encode(value)
    return out


def drop_unknown(state: ViewState, name: str, known, notices: list[str]) -> ViewState:
    """Clear an id that the data does not know (a stale or mistyped link), with a notice."""
    value = getattr(state, name)
    if value and value not in known:
        notices.append(f"{name}={_short(value)}")
        return dataclasses.replace(state, **{name: DEFAULT.__getattribute__(name)})
    return state


def query_string(state: ViewState, page: str) -> str:
    """'?a=b&…' for a page link, or '' when everything is at its default."""
    params = to_params(state, page)
    return "?" + urlencode(params) if params else ""


def link_params(state: ViewState, **params) -> dict[str, str]:
    """Parameters of a link to another view: this view's global filters plus the given ones."""
    values = {k: v for k, v in to_params(state).items() if k in GLOBAL}
    values.update({k: v for k, v in params.items() if v})
    return values


# Bases of the widget keys made with lang_key(); seed/set_widget/widget_value map them to the
# key of the language on screen, so callbacks and pages keep using the plain '<page>.<field>'.
_LANG_SCOPED: set[str] = set()


def lang_key(base: str) -> str:
    """The session-state key of an option widget whose labels are translated: '<page>.<field>.<lang>'.

    Streamlit's selectbox, multiselect, pills and segmented control send the *shown label* back as
    their value. When a label changes between runs the frontend sends a label that no longer
    exists and the widget breaks; so option labels depend only on the option and the language
    (never on counts or other live data), and the language is part of the key, so a language
    switch makes a fresh widget seeded from the URL. The full rule is in components/widgets.py.
    """
    _LANG_SCOPED.add(base)
    return f"{base}.{_widget_lang()}"


def _widget_lang() -> str:
    """The language of the widgets on screen: the language switch's value, also inside callbacks
    (which run before the page has set the run's language)."""
    try:
        _, ss = _session()
        chosen = ss.get("frame.lang")
    except Exception:  # outside a Streamlit run (unit tests)
        chosen = None
    return chosen if chosen in i18n.LANGS else i18n.lang()


def _key(key: str) -> str:
    return f"{key}.{_widget_lang()}" if key in _LANG_SCOPED else key


def _session():
    import streamlit as st

    return st, st.session_state


def _current_params(st) -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def read(page: str) -> tuple[ViewState, list[str]]:
    """The view this run shows, from the URL; notes whether the URL came from outside."""
    st, ss = _session()
    raw = _current_params(st)
    state, notices = from_params(raw)
    notices += [key for key in raw if key in ALL_PARAMS and key not in params_for(page)]
    state = _page_fields(state, page, notices)
    page_changed = ss.get("_url.page") != page
    flat = {k: v[-1] for k, v in raw.items() if v}
    ss["_url.external"] = page_changed or ss.get("_url.written") != flat
    i18n.use(state.lang)
    return state, notices if ss["_url.external"] else []


def _page_fields(state: ViewState, page: str, notices: list[str]) -> ViewState:
    """Keep only the page's own reading of a parameter that means different things per page."""
    for (owner, param), name in PAGE_FIELDS.items():
        if param not in params_for(page):
            continue
        other = _field(param)  # the field every other page reads
        drop = other if page == owner else name
        value = getattr(state, drop)
        if value != getattr(DEFAULT, drop):
            notices.append(f"{param}={_short(_encode(value))}")
            state = dataclasses.replace(state, **{drop: getattr(DEFAULT, drop)})
    return state


def seed(key: str, value) -> None:
    """Give a widget its value from the URL when the URL is new (link, back/forward, page switch)."""
    _, ss = _session()
    key = _key(key)
    if ss.get("_url.external", True) or key not in ss:
        ss[key] = list(value) if isinstance(value, tuple) else value


def set_widget(key: str, value) -> None:
    """Set a widget's value from a callback (reset buttons, list selections)."""
    _, ss = _session()
    ss[_key(key)] = list(value) if isinstance(value, tuple) else value


def write(state: ViewState, page: str) -> None:
    """Put the view into the URL (a new history entry when it changed)."""
    st, ss = _session()
    params = to_params(state, page)
    current = {k: v[-1] for k, v in _current_params(st).items() if v}
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
    st, ss = _session()
    raw = {k: v[-1] for k, v in _current_params(st).items() if v}
    if param == "lang" and "frame.lang" in ss and ss.get("_url.written") == raw:
        return ss["frame.lang"] or i18n.DEFAULT_LANG
    state, _ = from_params({param: raw[param]} if param in raw else {})
    return _encode(getattr(state, _field(param))) if param in raw else ""


def widget_value(key: str):
    """A widget's current value or selection event, read inside its own callback."""
    _, ss = _session()
    return ss.get(_key(key))

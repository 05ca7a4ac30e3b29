"""The URL contract (no Streamlit): ViewState <-> query parameters, the pages' parameters and their
vocabularies. The session side (reading and writing st.query_params, widget keys) is
components/url_session.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from core import i18n, schemas

MULTI = {
    "topic": schemas.TOPICS,
    "type": tuple(schemas.UNIT_TYPES.values()),
    "province": tuple(schemas.FORMER_PROVINCES.values()),
    "domain": schemas.DOMAINS,
    "kind": schemas.SOURCE_KINDS,
    "confidence": schemas.CONFIDENCE,
    "theme": schemas.THEME_KINDS,
}
IDS = {"event", "unit", "trip", "lesson", "district", "institution"}
CHOICES = {"lang": i18n.LANGS, "color": ("type", "province"), "tab": ("chart", "table"),
           "view": ("map", "list", "compare", "charts")}
GLOBAL = ("topic", "from", "to", "lang", "present", "room", "host")
# Read from a link, never written into one: the lecturer's host key moves into the tab's session
# (components/live.claim), and a saved lesson's edit key into the session and a cookie, so no address
# bar, share link, QR code or handout ever shows either.
NEVER_WRITTEN = ("host", "edit")
# Every page accepts these (a lesson step is the view's own page); links do not keep them.
LESSON = ("lesson", "step")
# What a lesson step's own parameters never hold: the viewer's settings, the live room, and the
# lesson's own parameters (a step link adds `lesson` and `step` itself).
NOT_IN_STEPS = ("lang", "present", "room", "host", "lesson", "step", "print", "edit")
IGNORED_SILENTLY = {"embed", "embed_options"}
# Parameters with one value each that are neither ids, choices nor free text.
SINGLE = ("from", "to", "step", "present", "room", "host", "print", "edit")
PAGE_PARAMS = {
    "overview": (),
    "timeline": ("q", "event", "tab"),
    "merger": ("q", "unit", "view", "type", "province", "district", "color"),
    "training": ("trip", "institution", "theme"),
    "smart-city": ("domain",),
    "sources": ("q", "kind", "confidence"),
    "lesson": ("lesson", "step", "print", "edit"),
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
# do not overlap, so one parser reads both into separate fields, and for_page() names a value that is
# the other page's as ignored.
NEW_PROVINCE = re.compile(r"^\d{2}$")
PAGE_FIELDS = {("country", "province"): "new_province"}
# Live class: a room code (no look-alike characters, upper-cased) and a host key (URL-safe secret).
ROOM_CODE = re.compile(rf"^[{re.escape(schemas.ROOM_ALPHABET)}]{{{schemas.ROOM_CODE_LENGTH}}}$")
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
    print: bool = False  # /lesson: the lesson's handout (print view)
    edit: str = ""  # /lesson: a saved lesson's secret edit key (read, never written)

    def __copy__(self) -> ViewState:
        return self

    def __deepcopy__(self, memo: dict) -> ViewState:
        """Itself: every field is immutable. st.fragment deep-copies its arguments on every page
        run (the live bar's fragment takes the view), which cost more than the fragment's work."""
        return self


FIELD_OF = {"from": "date_from", "to": "date_to"}
DEFAULT = ViewState()


def _field(param: str, page: str | None = None) -> str:
    return PAGE_FIELDS.get((page, param)) or FIELD_OF.get(param, param)


UNREADABLE = "…"  # how a value with nothing readable in it is named among the ignored parts


def _clean(value: str) -> str:
    """NFC, no control characters, trimmed."""
    value = unicodedata.normalize("NFC", value)
    return "".join(c for c in value if unicodedata.category(c)[0] != "C").strip()


def _unreadable(value: str) -> bool:
    """Something was written (not only spaces), but nothing readable is left once control and
    format characters are removed (e.g. a lone right-to-left mark): named as ignored, not dropped."""
    return bool(value.strip()) and not _clean(value)


def _parse_multi(param: str, values: list[str]) -> tuple[tuple[str, ...], list[str]]:
    parts = [v for raw in values for v in raw.split(",")]
    items = [_clean(v) for v in parts if _clean(v)]
    good = tuple(dict.fromkeys(v for v in items if v in MULTI[param]))
    return good, [v for v in items if v not in MULTI[param]] + [UNREADABLE for v in parts if _unreadable(v)]


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
    if param in ("host", "edit"):
        return value if HOST_KEY.match(value) else None
    if param == "present":
        return {"1": True, "0": False}.get(value)
    if param == "print":
        return True if value == "1" else None
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
        elif key in IDS or key in CHOICES or key in TEXTS or key in SINGLE:
            parsed = _parse_one(key, raw_list[-1]) if raw_list else None
            if parsed is None and raw_list and (_clean(raw_list[-1]) or _unreadable(raw_list[-1])):
                ignored.append(f"{key}={_short(_clean(raw_list[-1])) or UNREADABLE}")
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
    return dict(_params(state, page))


@functools.lru_cache(maxsize=512)
def _params(state: ViewState, page: str | None) -> tuple[tuple[str, str], ...]:
    """to_params as pairs, made once per view and page: a page run asks for the same view's
    parameters for every link it draws (the menu alone has nine)."""
    keys = params_for(page) if page else tuple(dict.fromkeys(GLOBAL + sum(PAGE_PARAMS.values(), ())))
    out = []
    for key in keys:
        if key in NEVER_WRITTEN:
            continue
        value = getattr(state, _field(key, page))
        if value != getattr(DEFAULT, _field(key, page)):
            out.append((key, _encode(value)))
    return tuple(out)


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


def for_page(raw: dict[str, list[str]], page: str) -> tuple[ViewState, list[str]]:
    """The view a page shows from its link's parameters, naming what the page ignores."""
    state, notices = from_params(raw)
    notices += [key for key in raw if key in ALL_PARAMS and key not in params_for(page)]
    return _page_fields(state, page, notices), notices


def param_value(param: str, raw: str) -> str:
    """One parameter's value as a link writes it (its default when the raw value is malformed)."""
    state, _ = from_params({param: raw})
    return _encode(getattr(state, _field(param)))


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

"""A thousand random, hostile and valid query strings through the app: never an exception, always a notice.

Every example opens a fresh session (no AppTest is shared between examples, so one example's
widget state cannot hide another's problem)."""

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import nav, paths, url_state
from tests.strategies import view_states

# The oracle: README's URL contract ("Links" table), written out here, not read from the code.
KEPT = {"topic", "from", "to", "lang", "present", "room", "host", "lesson", "step"}  # every page
OWN = {
    "overview": set(), "live": set(), "lesson": set(),  # lesson, step: every page (KEPT)
    "timeline": {"q", "event", "tab"},
    "merger": {"q", "unit", "view", "type", "province", "district", "color"},
    "training": {"trip", "institution", "theme"},
    "smart-city": {"domain"},
    "country": {"q", "filter", "province"},
    "sources": {"q", "kind", "confidence"},
}
STREAMLITS_OWN = {"embed", "embed_options"}  # Streamlit reads these itself; the app never sees them
# Parameters whose values are a closed set (a word list, an ISO date, a 2-digit code, "1"): no value
# of HOSTILE but the topic list below belongs to any of them.
CLOSED = {"topic", "from", "to", "lang", "present", "tab", "view", "type", "province", "color",
          "theme", "domain", "kind", "confidence"}
LONGEST = {"q": 200, "filter": 80}  # free text and its longest accepted value
KEYS = sorted(KEPT.union(*OWN.values())) + ["page", "utm_source", "id", "<b>", "' OR 1=1 --", "%00"]
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE events; --",
    "../../etc/passwd", "javascript:alert(1)", "\x00\x01\x1b[31m", "2025-13-45", "9" * 400,
    "merger,policy,merger,<x>", "Đà Nẵng", "hoà", "%E0%A4%A", "\u202e", "𝕏" * 30,
]


def app_for(page: str) -> AppTest:
    return AppTest.from_file(str(paths.ROOT / nav.BY_KEY[page].file), default_timeout=60)


values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.text(min_size=3000, max_size=6000))
hostile = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), values), max_size=6)
# Half of the examples: a valid view of any page (dates, English, real ids…) with hostile parts added.
queries = st.one_of(hostile, st.tuples(view_states(), st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=2))
                    .map(lambda vh: list(url_state.to_params(vh[0]).items()) + vh[1]))


def must_be_ignored(page: str, params: dict[str, list[str]]) -> list[str]:
    """The parameters README's contract says this page cannot take, so the page must say it ignored
    them: a key the page does not read, a closed-set parameter whose every value is hostile, free
    text longer than its limit."""
    own = KEPT | OWN[page]
    out = []
    for key, vals in params.items():
        if key in STREAMLITS_OWN:
            continue
        if key not in own:
            out.append(key)
        elif key in CLOSED and all(v in HOSTILE and v != "merger,policy,merger,<x>" for v in vals):
            out.append(key)
        elif key in LONGEST and all(len(v.strip()) > LONGEST[key] for v in vals):
            out.append(key)
    return out


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(page=st.sampled_from([spec.key for spec in nav.PAGES]), pairs=queries)
def test_hostile_query_strings(page, pairs):
    # Parse the way a browser-sent query string arrives: repeated keys, percent-decoding.
    params = parse_qs(urlencode(pairs), keep_blank_values=True)
    at = app_for(page)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if must_be_ignored(page, params):
        notices = [i.value for i in at.info]
        assert any(word in n for n in notices for word in ("bỏ qua", "ignored")), (must_be_ignored(page, params), notices)


@pytest.mark.parametrize("page", [spec.key for spec in nav.PAGES])
def test_unknown_param_notice_names_it(page):
    at = app_for(page)
    at.query_params.update({"colour": "red"})
    at.run()
    assert any("colour" in i.value for i in at.info)


def test_the_oracle_names_every_page():
    assert set(OWN) == {spec.key for spec in nav.PAGES}

"""The URL contract: parsing, round trip, bad values and random input."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import nav, url_state
from core.url_state import ViewState, from_params, to_params
from tests.strategies import view_states


def test_defaults_write_nothing():
    assert to_params(ViewState(), "timeline") == {}


@pytest.mark.parametrize(
    "params, field, expected",
    [
        ({"topic": "merger,policy"}, "topic", ("merger", "policy")),
        ({"topic": ["merger", "policy"]}, "topic", ("merger", "policy")),
        ({"from": "2025-06-01"}, "date_from", dt.date(2025, 6, 1)),
        ({"q": "Hòa Liên"}, "q", "Hòa Liên"),
        ({"event": "nq-1659-ubtvqh15-2025-06-16"}, "event", "nq-1659-ubtvqh15-2025-06-16"),
        ({"unit": "20194"}, "unit", "20194"),
        ({"lang": "en"}, "lang", "en"),
        ({"step": "3"}, "step", 3),
        ({"present": "1"}, "present", True),
    ],
)
def test_parse_good_values(params, field, expected):
    state, ignored = from_params(params)
    assert getattr(state, field) == expected
    assert ignored == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2025-13-45"}, "date_from"),
        ({"to": "yesterday"}, "date_to"),
        ({"topic": "sports"}, "topic"),
        ({"q": "x" * 5000}, "q"),
        ({"event": "<script>alert(1)</script>"}, "event"),
        ({"lang": "fr"}, "lang"),
        ({"step": "-2"}, "step"),
        ({"present": "yes"}, "present"),
        ({"unit": "../../etc/passwd"}, "unit"),
    ],
)
def test_bad_values_fall_back_with_a_notice(params, field):
    state, ignored = from_params(params)
    assert getattr(state, field) == getattr(ViewState(), field)
    assert len(ignored) == 1
    assert len(ignored[0]) < 60


def test_unknown_parameter_is_reported_and_embed_is_not():
    state, ignored = from_params({"utm_source": "x", "embed": "true"})
    assert state == ViewState()
    assert ignored == ["utm_source"]


def test_from_after_to_is_dropped():
    state, ignored = from_params({"from": "2025-08-01", "to": "2025-07-01"})
    assert (state.date_from, state.date_to) == (None, None)
    assert ignored


def test_round_trip():
    state = ViewState(topic=("merger",), date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 7, 31),
                      q="đà nẵng", event="x-1", lang="en")
    params = to_params(state, "timeline")
    assert params == {"topic": "merger", "from": "2025-06-01", "to": "2025-07-31", "lang": "en",
                      "q": "đà nẵng", "event": "x-1"}
    assert from_params(params) == (state, [])


def test_country_filter_round_trip_and_its_own_page():
    state = ViewState(q="hoà liên", filter="quảng")
    assert to_params(state, "country") == {"q": "hoà liên", "filter": "quảng"}
    assert from_params(to_params(state, "country")) == (state, [])
    assert "filter" not in to_params(state, "timeline")


def test_page_params_only():
    state = ViewState(unit="20194", event="x")
    assert to_params(state, "merger") == {"unit": "20194"}


def test_a_caller_changing_the_parameters_does_not_change_the_next_answer():
    """to_params is made once per view and page; each caller still gets a dict of its own."""
    state = ViewState(unit="20194", lang="en")
    first = to_params(state, "merger")
    first["unit"] = "changed"
    first.pop("lang")
    assert to_params(state, "merger") == {"unit": "20194", "lang": "en"}
    assert to_params(ViewState(unit="20195"), "merger") == {"unit": "20195"}


def test_drop_unknown_id():
    notices = []
    state = url_state.drop_unknown(ViewState(event="nope"), "event", {"a"}, notices)
    assert state.event == "" and notices == ["event=nope"]


keys = st.one_of(st.sampled_from(["topic", "from", "to", "q", "filter", "event", "unit", "trip", "lang",
                                  "step", "present", "type", "lesson", "kind"]), st.text(max_size=20))
values = st.one_of(st.text(max_size=300), st.lists(st.text(max_size=50), max_size=4))


@settings(max_examples=1500, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_random_params_never_raise_and_give_valid_state(params):
    state, ignored = from_params(params)
    assert isinstance(state, ViewState)
    assert set(state.topic) <= set(url_state.MULTI["topic"])
    assert state.lang in ("vi", "en")
    assert len(state.q) <= url_state.MAX_Q and len(state.filter) <= url_state.MAX_FILTER
    assert not state.date_from or not state.date_to or state.date_from <= state.date_to
    again, _ = from_params(to_params(state))
    assert again == state


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([spec.key for spec in nav.PAGES]), st.data())
def test_every_valid_view_is_a_link_that_reads_back_the_same(page, data):
    """Valid views (dates in order, real ids, both languages) survive the round trip unchanged."""
    state = data.draw(view_states(page))
    params = to_params(state, page)
    again, ignored = from_params(params)
    assert ignored == []
    assert to_params(again, page) == params
    assert again == state


def test_the_valid_view_strategy_reaches_dates_english_and_ids():
    """The strategy is useful: over a fixed sample it sets dates, English and ids (not just defaults)."""
    import random

    from tests.strategies import random_state

    states = [random_state(random.Random(n), "timeline") for n in range(200)]
    assert sum(s.date_from is not None for s in states) > 20
    assert sum(s.lang == "en" for s in states) > 20
    assert sum(bool(s.event) for s in states) > 20
    assert sum(bool(s.topic) for s in states) > 20


def test_vocabularies_are_the_schemas():
    from core import schemas

    assert url_state.MULTI["domain"] == schemas.DOMAINS and url_state.MULTI["kind"] == schemas.SOURCE_KINDS
    assert url_state.MULTI["theme"] == schemas.THEME_KINDS and url_state.MULTI["confidence"] == schemas.CONFIDENCE
    assert url_state.MULTI["type"] == ("phuong", "xa", "dac-khu")
    assert url_state.MULTI["province"] == ("da-nang", "quang-nam")


def test_room_codes_the_rooms_make_are_codes_the_url_reads():
    from core import rooms

    for _ in range(200):
        code = rooms.new_code()
        assert url_state.ROOM_CODE.match(code) and from_params({"room": code.lower()})[0].room == code
    for look_alike in ("ABC230", "ABC231", "ABCO23", "ABCI23", "ABCL23", "ABC23", "ABC2345"):
        assert not url_state.ROOM_CODE.match(look_alike)


def _lang_key_bases() -> set[str]:
    """Every literal key (and f-string prefix) the components pass to url_session.lang_key."""
    import ast
    from pathlib import Path

    found = set()
    for path in Path(__file__).resolve().parents[2].joinpath("components").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "lang_key" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    found.add(arg.value)
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    found.add(arg.values[0].value + "*")
    return found


def test_every_language_scoped_key_is_declared():
    from components import url_session

    bases = _lang_key_bases()
    assert {"merger.unit", "sources.cite.*", "merger.*"} <= bases
    for base in bases:
        if base.endswith("*"):
            assert any(k.startswith(base[:-1]) for k in url_session.LANG_SCOPED), base
        else:
            assert base in url_session.LANG_SCOPED, base
    with pytest.raises(KeyError):
        url_session.lang_key("merger.q")
    assert url_session.lang_key("merger.unit") in ("merger.unit.vi", "merger.unit.en")


def test_lesson_page_reads_lesson_step_print_and_edit():
    assert set(url_state.PAGE_PARAMS["lesson"]) == {"lesson", "step", "print", "edit"}
    key = "A" * 16 + "b_-" + "9" * 13
    state, ignored = url_state.for_page({"lesson": "bg-7k2m9p4q", "print": "1", "edit": key}, "lesson")
    assert ignored == [] and (state.lesson, state.print, state.edit) == ("bg-7k2m9p4q", True, key)
    # the edit key is read, never written (like the room's host key)
    assert to_params(state, "lesson") == {"lesson": "bg-7k2m9p4q", "print": "1"}
    assert "edit" in url_state.NEVER_WRITTEN and "edit" not in url_state.query_string(state, "lesson")
    assert url_state.link_params(state) == {}


@pytest.mark.parametrize("params", [{"print": "0"}, {"print": "yes"}, {"print": "true"}, {"edit": "short"},
                                    {"edit": "x" * 101}, {"edit": "a b" * 10}, {"edit": "<script>" * 4}])
def test_bad_print_and_edit_values_are_ignored(params):
    state, ignored = from_params(params)
    assert (state.print, state.edit) == (False, "")
    assert len(ignored) == 1 and len(ignored[0]) < 60


@pytest.mark.parametrize("page", [p for p in url_state.PAGE_PARAMS if p != "lesson"])
def test_print_and_edit_belong_to_the_lesson_page_only(page):
    state, notices = url_state.for_page({"print": "1", "edit": "k" * 32}, page)
    assert sorted(notices) == ["edit", "print"]
    assert "print" not in to_params(state, page) and "edit" not in to_params(state, page)


def test_a_value_with_nothing_readable_is_named_not_dropped():
    state, ignored = url_state.from_params({"from": "\u202e", "topic": "\u202e,merger"})
    assert state.date_from is None and state.topic == ("merger",)
    assert ignored == ["from=" + url_state.UNREADABLE, "topic=" + url_state.UNREADABLE]
    assert url_state.from_params({"from": "  ", "topic": ""})[1] == []  # blank is simply absent


@given(view_states())
@settings(max_examples=50, deadline=None)
def test_a_view_state_is_its_own_copy_because_every_field_is_immutable(state):
    # st.fragment deep-copies its arguments on every run; ViewState answers with itself, which is
    # only right while no field can change in place (a list or dict field would make hash() fail).
    import copy

    assert copy.deepcopy(state) is state and copy.copy(state) is state
    hash(state)
    for value in vars(state).values():
        assert isinstance(value, (str, int, bool, tuple, dt.date, type(None)))
        assert not isinstance(value, tuple) or all(isinstance(v, str) for v in value)

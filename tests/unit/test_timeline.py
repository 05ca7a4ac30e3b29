"""Timeline logic: topic/date/search filters (diacritics, Đ→d), presets, counts, frame, CSV, file name."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from core import load, timeline
from core.url_state import ViewState

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timeline"
D = dt.date


@pytest.fixture(scope="module")
def events():
    ds = load.load_record_set(FIXTURE, "events")
    assert not ds.problems and ds.records
    return ds.records


def ids(events, **state) -> list[str]:
    return [e.id for e in timeline.filter_events(events, ViewState(**state))]


def test_no_filter_keeps_everything_in_date_order(events):
    found = timeline.filter_events(events, ViewState())
    assert len(found) == len(events)
    assert [e.date for e in found] == sorted(e.date for e in events)


def test_topic_filter_is_any_of_the_chosen_topics(events):
    assert set(ids(events, topic=("merger",))) == {e.id for e in events if "merger" in e.topics}
    both = set(ids(events, topic=("training", "smart-city")))
    assert both == {"fx-k75-2025", "fx-ioc-2019"}


@pytest.mark.parametrize(
    "date_from, date_to, inside, outside",
    [
        (D(2025, 6, 1), D(2025, 7, 31), {"fx-nq-1659-2025", "fx-k75-2025"}, {"fx-nq-60-2025", "fx-bi-thu-2025"}),
        (None, D(2025, 6, 30), {"fx-nq-18-2017", "fx-luat-72-2025"}, {"fx-hai-cap-2025"}),
        (D(2025, 7, 1), None, {"fx-hai-cap-2025", "fx-bi-thu-2025"}, {"fx-nq-1659-2025"}),
        # A range counts when it overlaps the period, even if it starts before it.
        (D(2019, 9, 15), D(2019, 12, 31), {"fx-ioc-2019"}, {"fx-nq-18-2017"}),
        (D(2025, 7, 8), D(2025, 7, 8), {"fx-k75-2025"}, {"fx-hoa-vang-2025"}),
    ],
)
def test_date_filter_overlaps(events, date_from, date_to, inside, outside):
    found = set(ids(events, date_from=date_from, date_to=date_to))
    assert inside <= found
    assert not outside & found


@pytest.mark.parametrize(
    "query, expected",
    [
        ("nghi quyet 1659", {"fx-nq-1659-2025"}),
        ("Nghị quyết 1659", {"fx-nq-1659-2025"}),
        ("da nang", {"fx-nq-1659-2025", "fx-k75-2025", "fx-ioc-2019"}),  # Đà Nẵng: Đ typed as d
        ("dac khu", {"fx-dac-khu-2025"}),  # đặc khu
        ("ĐẶC KHU", {"fx-dac-khu-2025"}),
        ("hoà vang", {"fx-hoa-vang-2025"}),  # new tone placement finds old-style "Hòa"
        ("hòa vang", {"fx-hoa-vang-2025"}),
        ("Bộ Chính trị", {"fx-bi-thu-2025"}),  # actors
        ("72/2025", {"fx-luat-72-2025"}),  # document, with a slash
        ("special zone", {"fx-dac-khu-2025"}),  # English title
    ],
)
def test_search(events, query, expected):
    assert set(ids(events, q=query)) == expected


def test_search_without_diacritics_is_wider_than_with(events):
    loose = set(ids(events, q="hoa"))  # Hòa, hoạt, Hoang…
    strict = set(ids(events, q="hòa"))
    assert "fx-hoa-vang-2025" in loose and "fx-hoa-vang-2025" in strict
    assert strict < loose


def test_filters_combine(events):
    assert ids(events, topic=("merger",), date_from=D(2025, 6, 1), q="da nang") == ["fx-nq-1659-2025"]


@pytest.mark.parametrize(
    "preset, dates",
    [("all", (None, None)), ("before", (None, D(2025, 6, 30))), ("after", (D(2025, 7, 1), None)),
     ("2025", (D(2025, 1, 1), D(2025, 12, 31)))],
)
def test_presets_round_trip(preset, dates):
    assert timeline.preset_dates(preset) == dates
    assert timeline.preset_of(*dates) == preset


def test_custom_dates_have_no_preset():
    assert timeline.preset_of(D(2025, 6, 1), D(2025, 7, 31)) is None
    assert timeline.preset_dates(None) is None


def test_topic_counts_ignore_the_topic_filter_but_not_the_others(events):
    state = ViewState(topic=("policy",), date_from=D(2025, 6, 1), date_to=D(2025, 7, 31))
    counts = timeline.topic_counts(events, state)
    assert counts["merger"] == len(ids(events, topic=("merger",), date_from=state.date_from, date_to=state.date_to))
    assert counts["smart-city"] == 0
    assert set(counts) == {"policy", "merger", "apparatus", "training", "smart-city"}


def test_frame_has_dates_translations_and_first_link(events):
    urls = {"fx-legal": "https://example.org/legal", "fx-press": "https://example.org/press"}
    frame = timeline.events_frame(events, "en", urls)
    row = frame.set_index("id").loc["fx-nq-1659-2025"]
    assert row["title"].startswith("Resolution 1659")
    assert row["topics"] == "Policy, Merger"
    assert row["source_url"] == "https://example.org/legal"
    assert str(frame["date"].dtype).startswith("datetime64")
    vi_only = frame.set_index("id").loc["fx-ioc-2019"]
    assert vi_only["title"] == "Thí điểm Trung tâm IOC"  # no English: Vietnamese text


def test_csv_has_bom_and_only_filtered_rows(events):
    shown = timeline.filter_events(events, ViewState(topic=("merger",), q="da nang"))
    frame = timeline.events_frame(shown, "vi")
    data = timeline.csv_bytes(frame, {"title": "Sự kiện", "date": "Ngày"})
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [e.id for e in shown]
    assert rows[0]["Sự kiện"] == "Nghị quyết 1659: Đà Nẵng có 94 đơn vị hành chính cấp xã"
    assert rows[0]["Ngày"] == "2025-06-16"


def test_empty_csv_still_has_header():
    data = timeline.csv_bytes(timeline.events_frame([], "vi"))
    assert data.decode("utf-8-sig").strip().split(",")[:2] == ["id", "date"]


@pytest.mark.parametrize(
    "state, expected",
    [
        (ViewState(), "timeline_all-topics.csv"),
        (ViewState(topic=("merger",), date_from=D(2025, 6, 1), date_to=D(2025, 7, 31)),
         "timeline_merger_2025-06-01_2025-07-31.csv"),
        (ViewState(topic=("policy", "smart-city"), date_from=D(2025, 7, 1)),
         "timeline_policy-smart-city_2025-07-01_now.csv"),
        (ViewState(q="Đà Nẵng / 1659"), "timeline_all-topics_q-da-nang-1659.csv"),
    ],
)
def test_file_name_states_the_filter(state, expected):
    assert timeline.file_name(state) == expected


def test_is_filtered():
    assert not timeline.is_filtered(ViewState(event="x", tab="table"))
    assert timeline.is_filtered(ViewState(q="hoa"))

"""Timeline figure builder: markers for dated acts, bars for ranges, ids on points, our own ticks."""

import datetime as dt
from pathlib import Path

import plotly.graph_objects as go
import pytest

from components import charts_timeline
from core import i18n, load, schemas

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timeline"
LABELS = {"policy": "Chính sách", "merger": "Sáp nhập", "apparatus": "Bộ máy", "training": "Đào tạo",
          "smart-city": "Đô thị thông minh"}


@pytest.fixture(scope="module")
def events():
    return load.load_record_set(FIXTURE, "events").records



def ids_of(trace) -> list[str]:
    return [row[0] for row in trace.customdata]


def test_zero_length_events_are_diamond_markers_with_their_ids(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "1/7/2025")
    markers = [tr for tr in fig.data if isinstance(tr, go.Scatter)]
    assert markers and all(tr.mode == "markers" and tr.marker.symbol == "diamond" for tr in markers)
    marked = {i for tr in markers for i in ids_of(tr)}
    assert marked == {e.id for e in events if e.end_date is None}


def test_ranges_are_bars_spanning_their_days(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "1/7/2025")
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert {i for tr in bars for i in ids_of(tr)} == {"fx-ioc-2019", "fx-k75-2025"}
    k75 = next(tr for tr in bars if "fx-k75-2025" in ids_of(tr))
    assert k75.orientation == "h"
    assert k75.base[0] == "2025-07-07"
    assert k75.x[0] == 2 * 24 * 3600 * 1000  # 7 and 8 July, inclusive


def test_every_point_has_an_id_and_multi_topic_events_sit_on_each_lane(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "")
    for trace in fig.data:
        assert len(trace.customdata) == len(trace.y)
    lanes = [tr.name for tr in fig.data if "fx-nq-1659-2025" in ids_of(tr)]
    assert sorted(lanes) == sorted([LABELS["policy"], LABELS["merger"]])


def test_lanes_are_translated_topics_in_fixed_order(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "")
    assert list(fig.layout.yaxis.ticktext) == [charts_timeline.lane_label(LABELS[t]) for t in schemas.TOPICS]
    assert "Đô thị<br>thông minh" in fig.layout.yaxis.ticktext
    one_topic = [e for e in events if e.topics == ["apparatus"]]
    fig = charts_timeline.timeline_figure(one_topic, LABELS, "")
    assert list(fig.layout.yaxis.ticktext) == ["Bộ máy"]


@pytest.mark.parametrize("label, expected", [("Bộ máy", "Bộ máy"), ("Đô thị thông minh", "Đô thị<br>thông minh"),
                                             ("A<b>", "A&lt;b&gt;")])
def test_lane_labels_wrap_and_are_escaped(label, expected):
    assert charts_timeline.lane_label(label) == expected


def test_axes_are_fixed_so_the_view_is_the_link(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "")
    assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange


def test_only_the_chosen_topics_get_lanes(events):
    merger = [e for e in events if "merger" in e.topics]
    fig = charts_timeline.timeline_figure(merger, LABELS, "", topics=("merger",))
    assert list(fig.layout.yaxis.ticktext) == ["Sáp nhập"]
    assert {i for tr in fig.data for i in ids_of(tr)} == {e.id for e in merger}


def test_events_on_the_same_day_do_not_sit_on_top_of_each_other(events):
    same_day = [e for e in events if e.date == dt.date(2025, 6, 16) and "policy" in e.topics]
    assert len(same_day) == 2
    fig = charts_timeline.timeline_figure(same_day, LABELS, "")
    assert len(set(fig.data[0].y)) == 2


def test_hover_shows_our_formatted_date_and_escaped_title(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "")
    rows = {row[0]: row for tr in fig.data for row in tr.customdata}
    assert rows["fx-k75-2025"][2] == "7/7/2025 – 8/7/2025"
    assert "%{customdata[2]}" in fig.data[0].hovertemplate


def test_titles_are_escaped_in_hover(events):
    bad = events[0].model_copy(update={"title": schemas.Text(vi="<a href='x'>hack</a>")})
    fig = charts_timeline.timeline_figure([bad], LABELS, "")
    assert "<a" not in fig.data[0].customdata[0][1]


@pytest.mark.parametrize("lang, label", [("vi", "Th7 2025"), ("en", "Jul 2025")])
def test_month_ticks_are_in_the_ui_language(events, lang, label):
    i18n.use(lang)
    mid_2025 = [e for e in events if dt.date(2025, 4, 1) <= e.date <= dt.date(2025, 11, 1)]
    fig = charts_timeline.timeline_figure(mid_2025, LABELS, "")
    ticktext = list(fig.layout.xaxis.ticktext)
    assert label in ticktext
    assert fig.layout.xaxis.tickvals[ticktext.index(label)] == "2025-07-01"


def test_long_spans_get_year_ticks_and_short_ones_day_ticks(events):
    vals, text = charts_timeline.ticks(dt.date(2016, 11, 1), dt.date(2026, 2, 1))
    assert all(len(label) == 4 and label.isdigit() for label in text)
    assert len(vals) <= 7 and all(v.month == 1 and v.day == 1 for v in vals)
    vals, text = charts_timeline.ticks(dt.date(2025, 6, 20), dt.date(2025, 7, 10))
    assert "1/7/2025" in text and len(vals) <= 7


def test_vertical_line_on_first_july_2025(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "1/7/2025: chính quyền hai cấp")
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(s.x0, s.x1) for s in lines] == [("2025-07-01", "2025-07-01")]
    assert fig.layout.annotations[0].text == "1/7/2025<br>chính quyền hai cấp"


def test_the_open_event_is_ringed_on_each_of_its_lanes(events):
    fig = charts_timeline.timeline_figure(events, LABELS, "", selected="fx-nq-1659-2025")
    ring = fig.data[-1]
    assert ring.marker.symbol == "circle-open"
    assert ids_of(ring) == ["fx-nq-1659-2025", "fx-nq-1659-2025"]
    own = [(x, y) for tr in fig.data[:-1] for x, y, row in zip(tr.x, tr.y, tr.customdata, strict=True)
           if row[0] == "fx-nq-1659-2025"]
    assert sorted(zip(ring.x, ring.y, strict=True)) == sorted(own)
    assert len(charts_timeline.timeline_figure(events, LABELS, "").data) == len(fig.data) - 1


def test_no_line_when_the_range_is_far_from_it(events):
    early = [e for e in events if e.date.year < 2020]
    assert not charts_timeline.timeline_figure(early, LABELS, "x").layout.shapes


def test_empty_figure_for_no_events():
    assert not charts_timeline.timeline_figure([], LABELS, "").data


@pytest.mark.parametrize(
    "selection, expected",
    [
        ({"selection": {"points": [{"x": "2025-06-16", "customdata": ["fx-a", "t", "d", "p"]}]}}, "fx-a"),
        ({"selection": {"points": [{"customdata": "fx-b"}]}}, "fx-b"),
        ({"selection": {"points": []}}, None),
        (None, None),
    ],
)
def test_selected_event_reads_the_id_not_the_x_value(selection, expected):
    assert charts_timeline.selected_event(selection) == expected

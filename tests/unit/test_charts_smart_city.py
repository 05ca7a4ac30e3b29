"""Smart-city chart builder: one indicator per figure, entities never joined, ranks run downwards."""

import datetime as dt

import pytest

from components import charts_smart_city as charts
from core import catalog, metrics, schemas

LABELS = {"entity.old_danang": "ĐN cũ", "entity.new_city": "TP mới", "entity.old_quangnam": "QN cũ",
          "y.index": "Điểm", "y.count": "Số", "y.percent": "Tỉ lệ", "y.rank": "Hạng",
          "y.rank_of": "Hạng trên {of}", "separators": ",."}


@pytest.fixture(scope="module")
def records():
    return catalog.build()["metrics"].records



def group_of(records, indicator, **where):
    chosen = [m for m in records if m.indicator == indicator
              and all(getattr(m, k) == v for k, v in where.items())]
    assert len(chosen) >= 2, indicator
    return chosen


def ids_in(trace) -> list[str]:
    return [row[2] for row in trace.customdata if row[2] is not None]


def test_dti_rank_chart_is_reversed_and_names_the_number_ranked(records):
    fig = charts.metric_chart(group_of(records, "dti_rank", rank_of=63), LABELS)
    assert charts.is_reversed(fig.layout.yaxis)
    assert "63" in fig.layout.yaxis.title.text
    assert 63 in fig.layout.yaxis.tickvals and 1 in fig.layout.yaxis.tickvals
    assert all("/63" in text for trace in fig.data for text in trace.text if text)


def test_score_chart_is_not_reversed(records):
    fig = charts.metric_chart(group_of(records, "dti_score", period="2024") + [
        m for m in records if m.id == "dti-score-2023-old-danang"], LABELS)
    assert not charts.is_reversed(fig.layout.yaxis)


def test_old_danang_and_new_city_are_separate_traces(records):
    fig = charts.metric_chart(group_of(records, "dti_score"), LABELS)
    by_name = {trace.name: trace for trace in fig.data}
    assert {"ĐN cũ", "TP mới"} <= set(by_name)
    entity = {m.id: m.entity for m in records}
    for trace in fig.data:
        assert len({entity[i] for i in ids_in(trace)}) == 1
    assert "lines" not in by_name["TP mới"].mode


def test_no_figure_mixes_two_indicators_or_bases(records):
    groups, _ = metrics.chart_groups(records)
    by_id = {m.id: m for m in records}
    for group in groups:
        fig = charts.metric_chart(group.records, LABELS)
        shown = [by_id[i] for trace in fig.data for i in ids_in(trace)]
        assert sorted(m.id for m in shown) == sorted(m.id for m in group.records)
        assert len({metrics.base_key(m) for m in shown}) == 1
        assert fig.layout.meta["indicator"] == group.indicator


def test_mixing_bases_on_one_axis_is_refused(records):
    ranks = [m for m in records if m.indicator == "dti_rank" and m.period == "2024"]
    assert {m.rank_of for m in ranks} == {63, 34}
    with pytest.raises(ValueError):
        charts.metric_chart(ranks, LABELS)


def metric(id_, period, value=1.0, entity="old_danang"):
    return schemas.Metric(id=id_, domain="ict-index", indicator="ict_index_score", label=schemas.Text(vi=id_),
                          entity=entity, period=period, value=value, unit="index",
                          definition=schemas.Text(vi="d"), sources=["s"], confidence="high")


def test_a_missing_year_breaks_the_line():
    fig = charts.metric_chart([metric("a", "2016"), metric("b", "2019"), metric("c", "2020")], LABELS)
    trace = fig.data[0]
    assert list(trace.y) == [1.0, None, 1.0, 1.0]
    assert trace.connectgaps is False and "lines" in trace.mode


def test_isolated_points_are_markers_only():
    fig = charts.metric_chart([metric("a", "2016"), metric("b", "2019")], LABELS)
    assert "lines" not in fig.data[0].mode


def test_ticks_are_our_own_period_labels():
    fig = charts.metric_chart([metric("a", "2023-12"), metric("b", "2025-12", entity="new_city")], LABELS)
    assert list(fig.layout.xaxis.ticktext) == ["Th12 2023", "Th12 2025"]
    assert list(fig.layout.xaxis.tickvals) == [metrics.midpoint("2023-12"), metrics.midpoint("2025-12")]
    assert isinstance(fig.layout.xaxis.tickvals[0], dt.date) or fig.layout.xaxis.type == "date"
    assert fig.layout.separators == ",."


def test_percent_axis_starts_at_zero_and_stops_near_100():
    rows = [schemas.Metric(id=f"p{y}", domain="ioc", indicator="share", label=schemas.Text(vi="x"),
                           entity="old_danang", period=str(y), value=v, unit="percent",
                           definition=schemas.Text(vi="d"), denominator=schemas.Text(vi="all"),
                           sources=["s"], confidence="high") for y, v in ((2023, 97.0), (2024, 95.0))]
    fig = charts.metric_chart(rows, LABELS)
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] <= 105
    assert fig.layout.yaxis.ticksuffix == " %"


def test_a_short_series_gets_a_compact_chart_a_long_one_a_taller_chart(records):
    short = group_of(records, "late_dossier_share")
    long = group_of(records, "dti_score", entity="old_danang")
    assert len({m.period for m in short}) == 2 and len({m.period for m in long}) >= 5
    short_height = charts.metric_chart(short, LABELS).layout.height
    long_height = charts.metric_chart(long, LABELS).layout.height
    assert short_height <= 240 < long_height <= 320

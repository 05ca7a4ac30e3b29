"""Metric logic: periods as dates, filters, latest values, chart groups, labels and the year pickers."""

import datetime as dt

import pytest

from core import i18n, metrics, schemas

D = dt.date


def metric(id_, indicator="x_share", entity="old_danang", period="2022", value=1.0, unit="count",
           domain="feedback", rank_of=None, denominator=None, definition="d", label=None) -> schemas.Metric:
    return schemas.Metric(
        id=id_, domain=domain, indicator=indicator, label=schemas.Text(vi=label or id_), entity=entity,
        period=period, value=value, unit=unit, rank_of=rank_of, definition=schemas.Text(vi=definition),
        denominator=schemas.Text(vi=denominator) if denominator else None, sources=["s"], confidence="high",
    )




@pytest.mark.parametrize(("period", "start", "end"), [
    ("2022", D(2022, 1, 1), D(2022, 12, 31)),
    ("2025-06", D(2025, 6, 1), D(2025, 6, 30)),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("2016/2018", D(2016, 1, 1), D(2018, 12, 31)),
    ("2024-01/2024-09", D(2024, 1, 1), D(2024, 9, 30)),
    ("2015-03/2015-12", D(2015, 3, 1), D(2015, 12, 31)),
])
def test_period_bounds(period, start, end):
    assert metrics.period_bounds(period) == (start, end)


@pytest.mark.parametrize("bad", ["", "22", "2024-1", "2024/20", "abcd"])
def test_bad_period_raises(bad):
    with pytest.raises(ValueError):
        metrics.period_bounds(bad)


def test_every_period_in_the_data_parses_to_an_ordered_range(cat):
    assert cat["metrics"].records
    for record in cat["metrics"].records:
        start, end = metrics.period_bounds(record.period)
        assert start <= end, record.id


@pytest.mark.parametrize(("date_from", "date_to", "expected"), [
    (None, None, True),
    (D(2022, 12, 31), None, True),
    (D(2023, 1, 1), None, False),
    (None, D(2022, 1, 1), True),
    (None, D(2021, 12, 31), False),
    (D(2022, 6, 1), D(2022, 6, 30), True),
])
def test_overlaps_with_open_ends(date_from, date_to, expected):
    assert metrics.overlaps(D(2022, 1, 1), D(2022, 12, 31), date_from, date_to) is expected


def test_filter_by_domain_and_period():
    rows = [metric("a", domain="dti", period="2021"), metric("b", domain="dti", period="2023"),
            metric("c", domain="ioc", period="2023"), metric("d", domain="feedback", period="2016/2018")]
    assert [m.id for m in metrics.filter_metrics(rows, ("dti",))] == ["a", "b"]
    assert [m.id for m in metrics.filter_metrics(rows, (), D(2022, 1, 1), D(2024, 12, 31))] == ["b", "c"]
    assert [m.id for m in metrics.filter_metrics(rows, ("feedback",), D(2018, 6, 1), None)] == ["d"]


def test_latest_is_per_indicator_and_entity():
    rows = [metric("old", period="2021"), metric("new", period="2023"), metric("mid", period="2022"),
            metric("city", entity="new_city", period="2022"),
            metric("other", indicator="y_count", period="2020")]
    assert [m.id for m in metrics.latest(rows)] == ["new", "city", "other"]


def test_latest_prefers_the_period_that_ends_last():
    rows = [metric("first-year", period="2016/2017"), metric("three-years", period="2016/2018")]
    assert [m.id for m in metrics.latest(rows)] == ["three-years"]


def test_dti_ranks_on_different_bases_are_never_grouped(cat):
    dti = [m for m in cat["metrics"].records if m.indicator == "dti_rank"]
    groups, left_out = metrics.chart_groups(dti)
    assert len(groups) == 1
    assert {m.rank_of for m in groups[0].records} == {63}
    assert [(m.entity, m.rank_of) for m in left_out] == [("new_city", 34)]


def test_groups_need_the_same_denominator():
    rows = [metric("a", denominator="first year", unit="percent", period="2016/2017"),
            metric("b", denominator="2016-2018", unit="percent", period="2016/2018")]
    groups, left_out = metrics.chart_groups(rows)
    assert groups == [] and left_out == []


def test_every_chart_group_in_the_data_has_one_indicator_and_one_base(cat):
    groups, _ = metrics.chart_groups(cat["metrics"].records)
    assert groups
    for group in groups:
        assert len(group.records) >= 2
        assert len({metrics.base_key(m) for m in group.records}) == 1, group.indicator


@pytest.mark.parametrize(("periods", "expected"), [
    (["2020", "2021", "2022"], [True, True]),
    (["2020", "2022"], [False]),
    (["2018", "2019-01/2019-09"], [True]),
    (["2024-01/2024-06", "2024"], [False]),
    (["2023-11", "2023-12"], [True]),
])
def test_joins_only_neighbouring_periods(periods, expected):
    rows = [metric(f"m{i}", period=p) for i, p in enumerate(periods)]
    assert metrics.joins(rows) == expected


def test_series_split_by_entity_in_period_order():
    rows = [metric("b", period="2023"), metric("c", entity="new_city", period="2024"),
            metric("a", period="2021")]
    assert {e: [m.id for m in r] for e, r in metrics.series(rows).items()} == {"old_danang": ["a", "b"],
                                                                             "new_city": ["c"]}


@pytest.mark.parametrize(("lang", "kwargs", "expected"), [
    ("vi", {"value": 0.8335, "unit": "index"}, "0,8335"),
    ("en", {"value": 0.8335, "unit": "index"}, "0.8335"),
    ("vi", {"value": 2, "unit": "rank", "rank_of": 63}, "2/63"),
    ("vi", {"value": 1, "unit": "rank"}, "1"),
    ("vi", {"value": 98.8, "unit": "percent"}, "98,8 %"),
    ("vi", {"value": 0.27, "unit": "percent"}, "0,27 %"),
    ("vi", {"value": 5800000, "unit": "count"}, "5.800.000"),
    ("en", {"value": 11224, "unit": "count"}, "11,224"),
])
def test_value_text(lang, kwargs, expected):
    i18n.use(lang)
    assert metrics.value_text(metric("m", **kwargs)) == expected


@pytest.mark.parametrize(("lang", "period", "expected"), [
    ("vi", "2022", "2022"), ("vi", "2016/2018", "2016–2018"), ("vi", "2023-12", "Th12 2023"),
    ("en", "2023-12", "Dec 2023"), ("vi", "2024-01/2024-09", "Th1 2024 – Th9 2024"),
])
def test_period_label(lang, period, expected):
    i18n.use(lang)
    assert metrics.period_label(period) == expected


@pytest.mark.parametrize(("label", "expected"), [
    ("Điểm DTI 2020 – Đà Nẵng (cũ)", "Điểm DTI"),
    ("Tỉ lệ dịch vụ công được số hóa, 2018", "Tỉ lệ dịch vụ công được số hóa"),
    ("Bộ dữ liệu mở, cuối 2023", "Bộ dữ liệu mở"),
    ("DTI score 2024 – Da Nang (former)", "DTI score"),
    ("Cảm biến IoT cấp dữ liệu cho IOC", "Cảm biến IoT cấp dữ liệu cho IOC"),
])
def test_indicator_title(label, expected):
    assert metrics.indicator_title(label) == expected


SPAN = (2015, 2025)


@pytest.mark.parametrize(("date_from", "date_to", "years"), [
    (None, None, (2015, 2025)),
    (D(2022, 1, 1), D(2024, 12, 31), (2022, 2024)),
    (D(2010, 5, 1), D(2030, 1, 1), (2015, 2025)),
    (D(2025, 7, 1), None, (2025, 2025)),
])
def test_years_of_clamps_to_the_span(date_from, date_to, years):
    assert metrics.years_of(date_from, date_to, SPAN) == years


def test_dates_of_keeps_the_links_own_dates_when_years_are_unchanged():
    assert metrics.dates_of(2025, 2025, SPAN, D(2025, 7, 1), None) == (D(2025, 7, 1), None)


@pytest.mark.parametrize(("first", "last", "expected"), [
    (2022, 2024, (D(2022, 1, 1), D(2024, 12, 31))),
    (2015, 2025, (None, None)),
    (2024, 2022, (D(2022, 1, 1), D(2024, 12, 31))),
    (2015, 2020, (None, D(2020, 12, 31))),
])
def test_dates_of_new_years(first, last, expected):
    assert metrics.dates_of(first, last, SPAN) == expected


def test_smart_city_events_are_the_topic_in_date_order(cat):
    events = metrics.smart_city_events(cat["events"].records, D(2023, 1, 1), D(2023, 12, 31))
    assert events and all("smart-city" in e.topics and e.date.year == 2023 for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert "ioc-launch-2023-08-14" in {e.id for e in events}


def test_year_span_covers_metrics_and_events(cat):
    first, last = metrics.year_span(cat["metrics"].records, metrics.smart_city_events(cat["events"].records))
    years = [metrics.period_bounds(m.period)[0].year for m in cat["metrics"].records]
    event_years = [e.date.year for e in cat["events"].records if "smart-city" in e.topics]
    assert first == min(years) and last >= max(event_years)


@pytest.mark.parametrize(("linked", "expected"), [
    ((), "ioc"),
    (("dti",), "dti"),
    (("feedback", "dti"), "feedback"),
    (("nonsense", "open-data"), "open-data"),
    (("nonsense",), "ioc"),
])
def test_a_link_opens_one_domain_its_first_known(linked, expected):
    assert metrics.open_domain(linked) == expected


@pytest.mark.parametrize(("domain", "linked", "expected"), [
    ("ioc", (), ()),                       # the default opened by itself: the link stays short
    ("ioc", ("ioc",), ("ioc",)),           # a link that named it keeps naming it
    ("ioc", ("dti",), ("ioc",)),           # picked by hand from another domain
    ("dti", ("feedback", "dti"), ("dti",)),
    ("junk", ("dti",), ()),
])
def test_the_link_names_at_most_one_domain(domain, linked, expected):
    assert metrics.domain_param(domain, linked) == expected


def test_headline_takes_the_latest_value_of_each_pick_in_order():
    rows = [metric("a-2022", indicator="a", period="2022"), metric("a-2024", indicator="a", period="2024"),
            metric("b-new", indicator="b", entity="new_city"), metric("b-old", indicator="b"),
            metric("c", indicator="c")]
    picks = (("b", "new_city"), ("a", "old_danang"), ("missing", "old_danang"))
    assert [m.id for m in metrics.headline(rows, picks)] == ["b-new", "a-2024"]


def test_headline_picks_exist_in_the_data(cat):
    found = {(m.indicator, m.entity) for m in cat["metrics"].records}
    missing = [pick for pick in metrics.HEADLINE if pick not in found]
    assert not missing and 4 <= len(metrics.HEADLINE) <= 6

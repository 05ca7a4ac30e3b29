"""Merger chart builders: counts behind the bars, and a map that draws every unit without a base map."""

import pytest

from components import charts_merger
from core import lookup

LABELS = {
    "type": {"phuong": "Phường", "xa": "Xã", "dac-khu": "Đặc khu"},
    "province": {"da-nang": "Đà Nẵng (cũ)", "quang-nam": "Quảng Nam (cũ)"},
    "code": "mã", "inset": "Đặc khu (khung phụ)", "x": "X", "y": "Y",
}



@pytest.fixture(scope="module")
def frame(cat):
    return lookup.units_frame(lookup.build_index(cat["units"].records, cat["mapping"].records))


def test_origin_counts_cover_every_new_unit(frame):
    counts = charts_merger.origin_counts(frame)
    assert counts.to_numpy().sum() == len(frame)
    assert list(counts.index) == list(range(1, frame["origins"].max() + 1))
    single = frame[frame["origins"] == 1]
    assert counts.loc[1].sum() == len(single)


def test_origins_chart_stacks_one_bar_trace_per_province(frame):
    fig = charts_merger.origins_chart(frame, LABELS)
    assert [trace.name for trace in fig.data] == ["Đà Nẵng (cũ)", "Quảng Nam (cũ)"]
    assert fig.layout.barmode == "stack"
    totals = [sum(values) for values in zip(*(trace.y for trace in fig.data), strict=True)]
    assert sum(totals) == len(frame)
    da_nang = fig.data[0]
    assert sum(da_nang.y) == (frame["province_slug"] == "da-nang").sum()


def test_district_counts_count_a_unit_in_each_of_its_districts(frame):
    counts = charts_merger.district_counts(frame)
    assert counts.to_numpy().sum() == frame["former_districts"].str.split("; ").map(len).sum()
    assert counts.loc["Huyện Hoàng Sa", "dac-khu"] == 1
    assert counts.loc["Quận Hải Châu", "xa"] == 0


def test_district_chart_has_one_horizontal_trace_per_type(frame):
    fig = charts_merger.district_chart(frame, LABELS)
    assert [trace.name for trace in fig.data] == ["Phường", "Xã", "Đặc khu"]
    assert all(trace.orientation == "h" for trace in fig.data)
    assert sum(sum(trace.x) for trace in fig.data) == charts_merger.district_counts(frame).to_numpy().sum()


@pytest.mark.parametrize("color, groups", [("type", 3), ("province", 2)])
def test_map_draws_every_unit_once_coloured_by_group(cat, frame, color, groups):
    fig = charts_merger.unit_map(cat["boundaries"].records[0], frame, color, LABELS)
    shapes = [trace for trace in fig.data if trace.type == "choropleth"]
    codes = [code for trace in shapes for code in trace.locations]
    assert sorted(codes) == sorted(frame["code"])
    assert sum(len(trace.geojson["features"]) for trace in shapes) == len(frame), "GeoJSON sent more than once"
    legend = {trace.name for trace in shapes if trace.showlegend}
    assert legend == set(LABELS[color].values()) and len(legend) == groups
    first = shapes[0]
    assert first.customdata[0][0] == first.locations[0] and "mã" in first.hovertemplate


def test_map_needs_no_base_map_from_the_internet(cat, frame):
    """plotly.js downloads a world map when a geo subplot's first trace has a locationmode."""
    fig = charts_merger.unit_map(cat["boundaries"].records[0], frame, "type", LABELS)
    first_on = {}
    for trace in fig.data:
        first_on.setdefault(trace.geo or "geo", trace)
    assert set(first_on) == {"geo", "geo2"}
    assert all(trace.type == "scattergeo" and trace.locations is None for trace in first_on.values())
    for geo in (fig.layout.geo, fig.layout.geo2):
        assert geo.visible is False and geo.fitbounds == "locations" and geo.projection.type == "mercator"
    assert "mapbox" not in fig.layout and not [t for t in fig.data if t.type in ("scattermap", "choroplethmap")]


def test_special_zone_is_drawn_in_the_inset(cat, frame):
    fig = charts_merger.unit_map(cat["boundaries"].records[0], frame, "type", LABELS)
    inset = [code for trace in fig.data if trace.type == "choropleth" and trace.geo == "geo2"
             for code in trace.locations]
    assert inset == list(frame.loc[frame["type_slug"] == "dac-khu", "code"])


@pytest.mark.parametrize("points, expected", [
    ([{"location": "20194", "customdata": ["20194", "Phường Hải Vân", "Phường"]}], "20194"),
    ([{"customdata": ["20197", "Phường Liên Chiểu", "Phường"]}], "20197"),
    ([{"lon": 108.0, "lat": 16.0}, {"location": "20333"}], "20333"),
    ([], ""),
    (None, ""),
])
def test_selected_code_reads_the_location_never_coordinates(points, expected):
    assert charts_merger.selected_code(points) == expected


@pytest.mark.parametrize("name, expected", [
    ("Phường Hải Vân", "Hải Vân"), ("Xã Trà Leng", "Trà Leng"), ("Đặc khu Hoàng Sa", "Hoàng Sa"),
    ("Hòa Vang", "Hòa Vang"),
])
def test_short_name_drops_the_type(name, expected):
    assert charts_merger.short_name(name) == expected


def square(x0, y0, side, code="1"):
    ring = [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "MultiPolygon",
                                                                         "coordinates": [[ring]]}}


def test_label_point_is_the_centre_of_the_largest_polygon():
    feature = square(0, 0, 2)
    feature["geometry"]["coordinates"].append([[[10, 10], [10.5, 10], [10.5, 10.5], [10, 10.5], [10, 10]]])
    lon, lat, area = charts_merger.label_point(feature)
    assert (round(lon, 9), round(lat, 9), round(area, 9)) == (1.0, 1.0, 4.0)


def test_label_codes_are_the_largest_units():
    features = {"s": square(0, 0, 1, "s"), "l": square(5, 5, 3, "l"), "m": square(9, 9, 2, "m")}
    assert charts_merger.label_codes(features, ["s", "l", "m"], 2) == ["l", "m"]


def test_map_names_the_larger_mainland_units_and_the_inset(cat, frame):
    fig = charts_merger.unit_map(cat["boundaries"].records[0], frame, "type", LABELS)
    texts = [trace for trace in fig.data if trace.type == "scattergeo" and trace.mode == "text"]
    assert len(texts) == 1 and len(texts[0].text) == charts_merger.LABEL_COUNT
    largest = frame[frame["type_slug"] != "dac-khu"].sort_values("area_km2", ascending=False)["name"].head(3)
    assert {name.split(" ", 1)[1] for name in largest} <= set(texts[0].text)  # by the data's own areas
    assert not any(t.startswith(("Xã ", "Phường ")) for t in texts[0].text)
    assert all(row[0] in set(frame["code"]) for row in texts[0].customdata)
    assert [a.text for a in fig.layout.annotations] == ["<b>Hoàng Sa</b><br>" + LABELS["inset"]]


def test_highlight_outlines_the_open_unit_and_names_it(cat):
    feature = next(f for f in cat["boundaries"].records[0]["features"] if f["properties"]["code"] == "20194")
    shape, label = charts_merger.highlight(feature, "Phường Hải Vân", inset=False)
    assert shape["type"] == "choropleth" and shape["locations"] == ["20194"]
    assert shape["marker"]["line"]["width"] >= 3 and shape["geo"] == "geo"
    assert label["text"] == ["Hải Vân"] and label["customdata"] == [["20194", "Phường Hải Vân"]]


def test_frozen_map_with_a_highlight_keeps_the_base_untouched(cat, frame):
    from components import charts

    base = charts.freeze(charts_merger.unit_map(cat["boundaries"].records[0], frame, "type", LABELS))
    before = len(base.to_dict()["data"])
    feature = cat["boundaries"].records[0]["features"][0]
    combined = base.with_traces(charts_merger.highlight(feature, "X", inset=False))
    assert isinstance(combined, charts.FrozenFigure)  # a dict would be validated and deep-copied per run
    assert len(combined.to_dict()["data"]) == before + 2 and len(base.to_dict()["data"]) == before
    assert combined.to_dict()["data"][-1]["text"] == ["X"]

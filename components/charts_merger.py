"""Merger page charts: pure builders from the new-unit table (+ labels) to plotly figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core import text

# Okabe–Ito colours: distinguishable with colour-blindness and on a washed-out projector.
COLORS = {
    "type": {"phuong": "#0072B2", "xa": "#E69F00", "dac-khu": "#CC79A7"},
    "province": {"da-nang": "#0072B2", "quang-nam": "#009E73"},
}
GROUP_COLUMN = {"type": "type_slug", "province": "province_slug"}
FONT = dict(family="sans-serif", size=14)
LABEL_COUNT = 14  # names written on the map: the largest units (the list beside the map has all)
LABEL_FONT = dict(family="sans-serif", size=12, color="#111111", shadow="1px 1px 2px white")
HIGHLIGHT = {"fill": "#F0E442", "line": "#000000"}  # Okabe–Ito yellow with a black outline
PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


def origin_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """New units by number of old units (rows 1..max) and former province (columns)."""
    counts = pd.crosstab(frame["origins"], frame["province_slug"])
    full = range(1, int(frame["origins"].max()) + 1) if len(frame) else []
    return counts.reindex(index=full, columns=list(COLORS["province"]), fill_value=0)


def origins_chart(frame: pd.DataFrame, labels: dict) -> go.Figure:
    """Stacked bars: how many new units were formed from 1, 2, 3… old units, by former province."""
    counts = origin_counts(frame)
    fig = go.Figure()
    for slug in counts.columns:
        fig.add_bar(x=list(counts.index), y=counts[slug].tolist(), name=labels["province"][slug],
                    marker_color=COLORS["province"][slug],
                    hovertemplate=f"{labels['province'][slug]}: %{{y}}<extra>%{{x}}</extra>")
    fig.update_layout(barmode="stack", font=FONT, margin=dict(l=10, r=10, t=10, b=10), height=360,
                      legend=dict(orientation="h", y=-0.25, traceorder="normal"), xaxis=dict(title=labels["x"], dtick=1),
                      yaxis=dict(title=labels["y"]))
    return fig


def district_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """New units by former district (rows, by province then Vietnamese order) and type (columns).

    A new unit formed from communes of several districts counts once in each of them.
    """
    exploded = frame.assign(district=frame["former_districts"].str.split("; ")).explode("district")
    counts = pd.crosstab([exploded["province_slug"], exploded["district"]], exploded["type_slug"])
    order = sorted(counts.index, key=lambda key: (key[0], text.sort_key(key[1])))
    counts = counts.reindex(index=order, columns=list(COLORS["type"]), fill_value=0)
    return counts.droplevel(0) if len(counts) else counts


def district_chart(frame: pd.DataFrame, labels: dict) -> go.Figure:
    """Horizontal stacked bars: new units of each type formed from each former district."""
    counts = district_counts(frame)
    fig = go.Figure()
    for slug in counts.columns:
        fig.add_bar(y=list(counts.index), x=counts[slug].tolist(), orientation="h",
                    name=labels["type"][slug], marker_color=COLORS["type"][slug],
                    hovertemplate=f"{labels['type'][slug]}: %{{x}}<extra>%{{y}}</extra>")
    fig.update_layout(barmode="stack", font=FONT, margin=dict(l=10, r=10, t=10, b=10),
                      height=120 + 24 * len(counts), legend=dict(orientation="h", y=1.02, yanchor="bottom", traceorder="normal"),
                      xaxis=dict(title=labels["x"], dtick=1), yaxis=dict(autorange="reversed", title=None))
    return fig


def _geo_anchor(features: list[dict], geo: str) -> go.Scattergeo:
    """An invisible point drawn first on a geo subplot.

    plotly.js fetches a world base map from its CDN whenever the *first* trace of a geo subplot
    has a locationmode (a choropleth always has one); a plain lon/lat point first avoids that
    request, so the map works with no internet.
    """
    lon, lat = features[0]["geometry"]["coordinates"][0][0][0]
    return go.Scattergeo(lon=[lon], lat=[lat], mode="markers", marker=dict(size=1, opacity=0),
                         hoverinfo="skip", showlegend=False, geo=geo)


def _choropleth(rows: pd.DataFrame, features: dict, group: str, color: str, labels: dict,
                geo: str, legend: bool) -> go.Choropleth:
    """One trace per colour group; it carries only its own shapes, so the GeoJSON is sent once."""
    codes = rows["code"].tolist()
    geojson = {"type": "FeatureCollection", "features": [features[c] for c in codes]}
    name = labels[color][group]
    return go.Choropleth(
        geojson=geojson, featureidkey="properties.code", locations=codes, z=[0] * len(codes),
        colorscale=[[0, COLORS[color][group]], [1, COLORS[color][group]]], showscale=False,
        marker_line=dict(color="white", width=0.6), name=name, legendgroup=group, showlegend=legend,
        customdata=[[c, n, name] for c, n in zip(codes, rows["name"], strict=True)], geo=geo,
        hovertemplate=f"<b>%{{customdata[1]}}</b><br>%{{customdata[2]}} · {labels['code']} %{{customdata[0]}}"
                      "<extra></extra>",
    )


def unit_map(geojson: dict, frame: pd.DataFrame, color: str, labels: dict) -> go.Figure:
    """The new units on a plain projection, no tiles; special zones (offshore) in an inset.

    Args:
        color: "type" or "province", the grouping that picks each unit's colour.
        labels: {"type": {slug: label}, "province": {slug: label}, "code": word, "inset": title}.
    """
    features = {f["properties"]["code"]: f for f in geojson["features"]}
    frame = frame[frame["code"].isin(features)]
    inset = frame["type_slug"] == "dac-khu"
    fig = go.Figure()
    for rows, geo in ((frame[~inset], "geo"), (frame[inset], "geo2")):
        if len(rows):
            fig.add_trace(_geo_anchor([features[rows["code"].iat[0]]], geo))
    for group in COLORS[color]:
        mainland = frame[~inset & (frame[GROUP_COLUMN[color]] == group)]
        offshore = frame[inset & (frame[GROUP_COLUMN[color]] == group)]
        if len(mainland):
            fig.add_trace(_choropleth(mainland, features, group, color, labels, "geo", True))
        if len(offshore):
            fig.add_trace(_choropleth(offshore, features, group, color, labels, "geo2", not len(mainland)))
    named = frame[~inset & frame["code"].isin(label_codes(features, frame.loc[~inset, "code"]))]
    if len(named):
        fig.add_trace(_labels(features, named, "geo"))
    # The inset's units are named in its caption: their islands are too scattered for a centred label.
    inset_names = ", ".join(short_name(n) for n in frame.loc[inset, "name"])
    _map_layout(fig, dict(labels, inset=f"<b>{inset_names}</b><br>{labels['inset']}"), inset.any())
    return fig


def short_name(name: str) -> str:
    """'Phường Hải Vân' -> 'Hải Vân': the type is the colour, the name is what fits on a map."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, lon, lat) of a polygon ring by the shoelace formula (planar, in degrees)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def label_point(feature: dict) -> tuple[float, float, float]:
    """(lon, lat, area) where a unit's name goes: the centre of its largest polygon."""
    polygons = feature["geometry"]["coordinates"]
    if feature["geometry"]["type"] == "Polygon":
        polygons = [polygons]
    area, lon, lat = max(_ring_centroid([tuple(p) for p in polygon[0]]) for polygon in polygons)
    return lon, lat, area


def label_codes(features: dict, codes, count: int = LABEL_COUNT) -> list[str]:
    """The `count` largest units among `codes` (by drawn area): the ones whose names fit."""
    return sorted(codes, key=lambda c: -label_point(features[c])[2])[:count]


def _labels(features: dict, rows: pd.DataFrame, geo: str, font: dict = LABEL_FONT) -> go.Scattergeo:
    """Unit names as text; tapping a name opens the unit like tapping its shape."""
    points = [label_point(features[c]) for c in rows["code"]]
    return go.Scattergeo(
        lon=[p[0] for p in points], lat=[p[1] for p in points], mode="text", geo=geo,
        text=[short_name(n) for n in rows["name"]], textfont=font, showlegend=False,
        customdata=[[c, n] for c, n in zip(rows["code"], rows["name"], strict=True)],
        hovertemplate="<b>%{customdata[1]}</b><extra></extra>", name="labels",
    )


def highlight(feature: dict, name: str, inset: bool) -> list[dict]:
    """The open unit drawn over the map (yellow, black outline, its name): plain trace dicts."""
    geo = "geo2" if inset else "geo"
    code = feature["properties"]["code"]
    shape = go.Choropleth(
        geojson={"type": "FeatureCollection", "features": [feature]}, featureidkey="properties.code",
        locations=[code], z=[0], colorscale=[[0, HIGHLIGHT["fill"]], [1, HIGHLIGHT["fill"]]], showscale=False,
        marker_line=dict(color=HIGHLIGHT["line"], width=3), showlegend=False, geo=geo, name="open",
        customdata=[[code, name]], hovertemplate="<b>%{customdata[1]}</b><extra></extra>",
    )
    label = _labels({code: feature}, pd.DataFrame({"code": [code], "name": [name]}), geo,
                    dict(LABEL_FONT, size=15, weight="bold"))
    return [shape.to_plotly_json(), label.to_plotly_json()]


def _map_layout(fig: go.Figure, labels: dict, has_inset: bool) -> None:
    geo = dict(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    fig.update_layout(
        geo=dict(geo, domain=dict(x=[0, 1], y=[0, 1])), font=FONT, height=540, dragmode=False,
        margin=dict(l=0, r=0, t=0, b=0), legend=dict(orientation="h", x=0, y=0, yanchor="top"),
    )
    if has_inset:
        # Top left: the sea is top right (the city's wards), the mountains' corner is empty.
        fig.update_layout(geo2=dict(geo, domain=dict(x=[0, 0.24], y=[0.8, 1]), showframe=True,
                                    framecolor="#6b7280", framewidth=1))
        fig.add_annotation(text=labels["inset"], x=0, y=0.79, xref="paper", yref="paper", align="left",
                           xanchor="left", yanchor="top", showarrow=False, font=dict(size=11))


def selected_code(points: list[dict]) -> str:
    """The unit code of the first map shape in a plotly selection ('' when none)."""
    for point in points or []:
        code = point.get("location") or (point.get("customdata") or [""])[0]
        if code:
            return str(code)
    return ""

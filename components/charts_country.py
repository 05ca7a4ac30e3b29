"""Country page charts: pure builders from the 34-province table (+ labels) to plotly figures.

Numbers follow the UI language: ``labels["separators"]`` is Plotly's decimal + thousands pair
(",." for Vietnamese: 3.359,8; ".," for English: 3,359.8) and hover texts come pre-formatted in
the frame's ``*_text`` columns (see ``with_texts``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

HIGHLIGHT = "48"  # Đà Nẵng
COLORS = {"highlight": "#D55E00", "other": "#56B4E9", "before": "#999999", "after": "#0072B2"}
FONT = dict(family="sans-serif", size=13)


def _bar_colors(codes, base: str) -> list[str]:
    return [COLORS["highlight"] if c == HIGHLIGHT else base for c in codes]


def with_texts(frame: pd.DataFrame, number) -> pd.DataFrame:
    """The frame with hover texts in the UI language (``number(value, decimals)`` formats)."""
    return frame.assign(area_text=[number(v, 1) for v in frame["area_km2"]],
                        reduction_text=[number(v, 1) for v in frame["reduction_pct"]])


def _separators(labels: dict) -> str:
    return labels.get("separators", ".,")


def units_chart(frame: pd.DataFrame, labels: dict) -> go.Figure:
    """Commune-level units before and after per province, deepest cut at the top."""
    rows = frame.sort_values("reduction_pct", ascending=True)
    fig = go.Figure()
    fig.add_bar(y=rows["name"], x=rows["communes_before"], orientation="h", name=labels["before"],
                marker_color=COLORS["before"], hovertemplate="%{y}: %{x}<extra>" + labels["before"] + "</extra>")
    fig.add_bar(y=rows["name"], x=rows["communes_after"], orientation="h", name=labels["after"],
                marker_color=_bar_colors(rows["code"], COLORS["after"]),
                customdata=rows["reduction_text"] if "reduction_text" in rows else rows["reduction_pct"],
                hovertemplate="%{y}: %{x} (−%{customdata} %)<extra>" + labels["after"] + "</extra>")
    fig.update_layout(barmode="overlay", font=FONT, height=120 + 22 * len(rows), separators=_separators(labels),
                      margin=dict(l=10, r=10, t=10, b=10), bargap=0.25,
                      legend=dict(orientation="h", y=1.0, yanchor="bottom"),
                      xaxis=dict(title=labels["x"]), yaxis=dict(title=None))
    return fig


def area_chart(frame: pd.DataFrame, labels: dict) -> go.Figure:
    """Natural area per province, largest at the top."""
    rows = frame.sort_values("area_km2", ascending=True)
    fig = go.Figure(go.Bar(y=rows["name"], x=rows["area_km2"], orientation="h",
                           marker_color=_bar_colors(rows["code"], COLORS["other"]),
                           customdata=rows["area_text"] if "area_text" in rows else rows["area_km2"],
                           hovertemplate="%{y}: %{customdata} km²<extra></extra>"))
    fig.update_layout(font=FONT, height=120 + 22 * len(rows), margin=dict(l=10, r=10, t=10, b=10),
                      separators=_separators(labels), xaxis=dict(title=labels["x"], tickformat=",d"),
                      yaxis=dict(title=None), showlegend=False)
    return fig


def province_map(geojson: dict, frame: pd.DataFrame, labels: dict, highlight: str = HIGHLIGHT,
                 height: int = 620) -> go.Figure:
    """The 34 provinces on a plain projection (no tiles, no base map request); one province
    (Đà Nẵng unless told) highlighted. Each shape's customdata ends with its code (map clicks)."""
    features = {f["properties"]["code"]: f for f in geojson["features"]}
    rows = frame[frame["code"].isin(features)]
    first = next(iter(features.values()))["geometry"]["coordinates"][0][0][0]
    # plotly.js fetches a world base map from its CDN when the first geo trace has a locationmode;
    # an invisible lon/lat point first keeps the map offline.
    fig = go.Figure(go.Scattergeo(lon=[first[0]], lat=[first[1]], mode="markers", hoverinfo="skip",
                                  marker=dict(size=1, opacity=0), showlegend=False))
    for lit, group in ((False, rows[rows["code"] != highlight]), (True, rows[rows["code"] == highlight])):
        if group.empty:
            continue
        color = COLORS["highlight"] if lit else COLORS["other"]
        codes = group["code"].tolist()
        fig.add_trace(go.Choropleth(
            geojson={"type": "FeatureCollection", "features": [features[c] for c in codes]},
            featureidkey="properties.code", locations=codes, z=[0] * len(codes),
            colorscale=[[0, color], [1, color]], showscale=False, marker_line=dict(color="white", width=0.5),
            name=labels["highlight"] if lit else labels["other"], showlegend=True,
            customdata=group[["name", "communes_before", "communes_after", "code"]].to_numpy().tolist(),
            hovertemplate="<b>%{customdata[0]}</b><br>" + labels["units"]
                          + ": %{customdata[1]} → %{customdata[2]}<extra></extra>"))
    fig.update_layout(geo=dict(fitbounds="locations", visible=False, projection_type="mercator",
                               bgcolor="rgba(0,0,0,0)"),
                      font=FONT, height=height, dragmode=False, margin=dict(l=0, r=0, t=0, b=0),
                      legend=dict(orientation="h", x=0, y=0, yanchor="top"))
    return fig

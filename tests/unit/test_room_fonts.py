"""Presentation-mode chart type: every font at least the room size, cached figures untouched."""

import plotly.graph_objects as go

from components import charts
from core import share, url_state


def figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    fig.update_layout(title="T", font={"size": 14}, xaxis={"tickfont": {"size": 30}},
                      annotations=[{"text": "1/7/2025", "x": 1, "y": 3}])
    fig.update_layout(yaxis2={"title": {"text": "rank"}})
    return fig


def test_room_layout_sizes():
    layout = charts.room_layout(figure().to_dict()["layout"])
    assert layout["font"]["size"] == 18
    assert layout["title"]["font"]["size"] == 26
    assert layout["xaxis"]["tickfont"]["size"] == 30  # larger sizes are kept
    assert layout["yaxis2"]["tickfont"]["size"] == 18
    assert layout["yaxis2"]["title"]["font"]["size"] == 20
    assert layout["hoverlabel"]["font"]["size"] == 20
    assert layout["legend"]["font"]["size"] == 18
    assert layout["annotations"][0]["font"]["size"] == 18


def test_frozen_figure_is_not_changed():
    frozen = charts.freeze(figure())
    room = charts.for_room(frozen)
    assert room.to_dict()["layout"]["font"]["size"] == 18
    assert frozen.to_dict()["layout"]["font"]["size"] == 14
    assert room.to_dict()["data"] == frozen.to_dict()["data"]


def test_shared_link_never_carries_present():
    state, _ = url_state.from_params({"present": "1", "topic": "merger", "lesson": "k75-a20", "step": "2"})
    url = share.full_url("http://class.example:8501/timeline?present=1", state, "timeline")
    assert url == "http://class.example:8501/timeline?topic=merger&lesson=k75-a20&step=2"

"""A frozen figure serialises exactly like the original, without deep-copying each time."""

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools as tools

from components import charts


def figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], customdata=["a", "b"], name="t"))
    fig.update_layout(title="x")
    return fig


def as_sent(fig) -> str:
    """What st.plotly_chart sends: the figure coerced to a dict, then JSON."""
    return pio.to_json(tools.return_figure_from_figure_or_data(fig, True), validate=False)


def test_frozen_figure_sends_the_same_json():
    assert as_sent(charts.freeze(figure())) == as_sent(figure())


def test_sending_twice_does_not_change_the_frozen_dict():
    frozen = charts.freeze(figure())
    first = as_sent(frozen)
    assert as_sent(frozen) == first
    assert frozen.to_dict() is not frozen.to_dict()
    assert frozen.to_dict()["layout"] is frozen.to_dict()["layout"]  # kept, not deep-copied

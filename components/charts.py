"""Shared chart helpers: figures built once and sent many times."""

from __future__ import annotations

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A finished figure whose dict form is computed once.

    st.plotly_chart calls to_dict() on every script run, which deep-copies the whole figure
    (for the unit map, ~64 ms of a run). A figure cached across sessions never changes, so
    its dict can be kept; only the per-trace dicts are copied because plotly.io removes their
    uids in place before encoding.
    """

    def __init__(self, figure: go.Figure):
        super().__init__(figure)
        self._frozen = figure.to_dict()

    def to_dict(self) -> dict:
        return {"data": [dict(trace) for trace in self._frozen["data"]], "layout": self._frozen["layout"]}

    def with_traces(self, traces: list[dict]) -> dict:
        """The figure as a dict with a few more traces on top (st.plotly_chart takes dicts as they are)."""
        frozen = self.to_dict()
        return {"data": frozen["data"] + [dict(trace) for trace in traces], "layout": frozen["layout"]}


def freeze(figure: go.Figure) -> FrozenFigure:
    """The figure, ready to be shared read-only by every session (see FrozenFigure)."""
    return FrozenFigure(figure)

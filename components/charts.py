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

    def with_traces(self, traces: list[dict]) -> FrozenFigure:
        """This figure with a few more traces on top, without copying or validating it again.

        st.plotly_chart validates and deep-copies a figure given as a dict (the whole GeoJSON,
        ~0.9 s a run for the map), so the result stays a figure whose dict form is known.
        """
        combined = object.__new__(FrozenFigure)
        combined.__dict__.update(self.__dict__)
        combined._frozen = {"data": self._frozen["data"] + [dict(trace) for trace in traces],
                            "layout": self._frozen["layout"]}
        return combined


def freeze(figure: go.Figure) -> FrozenFigure:
    """The figure, ready to be shared read-only by every session (see FrozenFigure)."""
    return FrozenFigure(figure)

"""Shared chart helpers: figures built once and sent many times."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio


class EncodedFigureDict(dict):
    """A figure's dict that carries its own JSON encoding (see FrozenFigure.to_dict)."""

    __slots__ = ("json",)


_encode = pio.to_json


def _to_json(fig, *args, **kwargs):
    """plotly.io.to_json, answered from the figure itself when it already knows its JSON.

    st.plotly_chart encodes the figure on every run (`plotly.io.to_json(figure, validate=False)`);
    for the unit map that is a quarter-megabyte string, the same for every session. Any other
    figure, or other arguments, go to plotly as before."""
    if isinstance(fig, EncodedFigureDict) and not args and set(kwargs) <= {"validate"}:
        return fig.json
    return _encode(fig, *args, **kwargs)


pio.to_json = _to_json


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
        out = EncodedFigureDict(data=[dict(trace) for trace in self._frozen["data"]], layout=self._frozen["layout"])
        out.json = self.__dict__.get("_json")
        if out.json is None:  # encoded once per figure object (a copy: plotly drops uids in place)
            plain = {"data": [dict(trace) for trace in self._frozen["data"]], "layout": self._frozen["layout"]}
            out.json = self.__dict__["_json"] = _encode(plain, validate=False)
        return out

    def with_traces(self, traces: list[dict]) -> FrozenFigure:
        """This figure with a few more traces on top, without copying or validating it again.

        st.plotly_chart validates and deep-copies a figure given as a dict (the whole GeoJSON,
        ~0.9 s a run for the map), so the result stays a figure whose dict form is known.
        """
        combined = object.__new__(FrozenFigure)
        combined.__dict__.update(self.__dict__)
        combined.__dict__.pop("_json", None)
        combined._frozen = {"data": self._frozen["data"] + [dict(trace) for trace in traces],
                            "layout": self._frozen["layout"]}
        return combined


def freeze(figure: go.Figure) -> FrozenFigure:
    """The figure, ready to be shared read-only by every session (see FrozenFigure)."""
    return FrozenFigure(figure)


# Presentation mode: chart type a room can read from the back (px, as Plotly sizes fonts).
ROOM_FONT = {"base": 18, "tick": 18, "title": 26, "axis_title": 20, "legend": 18, "hover": 20}


def _bigger(font: dict | None, size: int) -> dict:
    font = dict(font or {})
    font["size"] = max(font.get("size") or 0, size)
    return font


def room_layout(layout: dict) -> dict:
    """A figure layout with every font at least the room size; the input is left unchanged."""
    out = dict(layout)
    out["font"] = _bigger(layout.get("font"), ROOM_FONT["base"])
    out["hoverlabel"] = dict(layout.get("hoverlabel") or {},
                             font=_bigger((layout.get("hoverlabel") or {}).get("font"), ROOM_FONT["hover"]))
    out["legend"] = dict(layout.get("legend") or {},
                         font=_bigger((layout.get("legend") or {}).get("font"), ROOM_FONT["legend"]))
    if layout.get("title"):
        out["title"] = dict(layout["title"], font=_bigger(layout["title"].get("font"), ROOM_FONT["title"]))
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        axis = dict(layout.get(name) or {})
        axis["tickfont"] = _bigger(axis.get("tickfont"), ROOM_FONT["tick"])
        if isinstance(axis.get("title"), dict):
            axis["title"] = dict(axis["title"], font=_bigger(axis["title"].get("font"), ROOM_FONT["axis_title"]))
        out[name] = axis
    if layout.get("annotations"):
        out["annotations"] = [dict(a, font=_bigger(a.get("font"), ROOM_FONT["base"])) for a in layout["annotations"]]
    return out


class RoomFigure(FrozenFigure):
    """A figure's dict with room-sized fonts, made without copying the figure's data.

    st.plotly_chart only calls to_dict() on it, so the (slow) go.Figure constructor is skipped.
    """

    def __init__(self, frozen: dict):  # no super().__init__: see the docstring
        self.__dict__["_frozen"] = frozen


def for_room(figure: go.Figure) -> RoomFigure:
    """The figure with room-sized fonts (presentation mode); cached frozen figures stay untouched."""
    base = figure._frozen if isinstance(figure, FrozenFigure) else figure.to_dict()
    return RoomFigure({"data": base["data"], "layout": room_layout(base.get("layout") or {})})

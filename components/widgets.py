"""Small Streamlit UI helpers shared by pages and components: charts, notices, option labels,
sources, links. The frame around each page is components/frame.py.

The widget rule, for every stateful widget in the app (Streamlit 1.67's selectbox, multiselect,
pills and segmented control send the *shown label* back as the value; a label that changed between
runs comes back as a junk string, and the page breaks):

1. Options are stable values (slugs, ids, years), never display text.
2. An option's label depends only on the option and the UI language: never counts or other live
   data. Show counts beside the widget (a caption), not in its labels.
3. Widgets with translated labels use ``key=url_session.lang_key("<page>.<field>")``: a language
   switch then makes a fresh widget seeded from the URL (the base is declared in
   url_session.LANG_SCOPED); callbacks and seeds may use the plain '<page>.<field>' (url_session
   maps it to the language shown).
   The language switch itself has labels that do not depend on the language (endonyms).
4. format_func is total: use ``labels(names)`` (an unknown value shows as str(value)), and keep only
   known options from what a widget returns (``known(values, options)``).
5. Widget values are set only through url_session.seed (from the URL, before the widget) and
   url_session.set_widget (from callbacks); never pass a default together with a key.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable

import pyarrow as pa
import streamlit as st

from components import charts
from core import catalog
from core.i18n import t

# Presentation mode (set by the frame for this script run): charts drawn larger.
_present = contextvars.ContextVar("present", default=False)


def arrow(frame) -> pa.Table:
    """A pandas frame as the Arrow table st.dataframe and st.table send: a cached builder returns
    this, so the conversion runs once per data version and view, not on every page run."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def use_presentation(on: bool) -> None:
    """Draw this script run's charts for a room (presentation mode) or not."""
    _present.set(on)


def plotly_chart(figure, **kwargs):
    """st.plotly_chart with larger chart type in presentation mode (titles, ticks, legends, hover)."""
    return st.plotly_chart(charts.for_room(figure) if _present.get() else figure, **kwargs)


def show_notices(notices: list[str]) -> None:
    """A polite note naming link parts that were ignored."""
    if notices:
        st.info(t("frame.ignored", items=", ".join(notices)), icon=":material/link_off:")


def problems_banner(message: str, problems: list) -> None:
    """A warning naming data problems, with every problem (file:line: field: message) folded below."""
    st.warning(message, icon=":material/warning:")
    with st.expander(t("frame.data_problem_details")):
        st.code("\n".join(str(p) for p in problems[:200]), language=None, wrap_lines=True)


def dataset_error(cat: catalog.Catalog, *names: str) -> bool:
    """True (and an inline message) when a dataset this part needs could not be loaded at all."""
    broken = [n for n in names if not cat[n].records]
    if broken:
        st.error(t("frame.dataset_missing", names=", ".join(cat[n].file for n in broken)))
    return bool(broken)


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$"})


def escape_md(text: str) -> str:
    """Text from data shown as literal text in Markdown (no links, HTML or formatting)."""
    return str(text).translate(_MD_ESCAPES)


def labels(names: dict, fallback: str | None = None) -> Callable[[object], str]:
    """A total format_func: the option's label, else the fallback, else str(value)."""
    return lambda value: names.get(value, str(value) if fallback is None else fallback)


def known(values: Iterable | None, options: Iterable) -> tuple:
    """The values a widget returned that are real options, in the widget's order (drops stale labels).

    The order is kept so that the link reopens the widget exactly as it was shown."""
    options = set(options)
    return tuple(dict.fromkeys(value for value in values or () if value in options))


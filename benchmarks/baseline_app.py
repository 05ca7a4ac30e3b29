"""Benchmark baseline: the least a page with one plotly timeline, one table and one filter can cost.

A naive single-page app, written the way the Streamlit docs' first examples are: read the events
with plain PyYAML + pandas on every run (no caching), one filter widget, one plotly chart, one
st.dataframe. No navigation, no translations, no URL state, no sources, no share control.
Run it with `streamlit run benchmarks/baseline_app.py` from the repository root.

With TGBM_BASELINE_LEAN=1 (the default of `python -m benchmarks.run`) the data load is cached
with st.cache_data, as a slightly less naive page would do; PyYAML's pure-Python parser is most of
the naive page's run time, so this baseline is about twice as fast and the targets get harder.
"""

import os
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st
import yaml

DATA = Path(os.environ.get("TGBM_DATA_DIR") or Path(__file__).resolve().parents[1] / "data")


def load_frame() -> pd.DataFrame:
    events = yaml.safe_load((DATA / "events.yaml").read_text(encoding="utf-8"))
    return pd.DataFrame({
        "date": pd.to_datetime([e["date"] for e in events]),
        "topic": [e["topics"][0] for e in events],
        "title": [e["title"]["vi"] for e in events],
    })


if os.environ.get("TGBM_BASELINE_LEAN") == "1":
    load_frame = st.cache_data(load_frame)

frame = load_frame()
st.title("Dòng thời gian")
topics = st.multiselect("Chủ đề", sorted(frame["topic"].unique()))
shown = frame[frame["topic"].isin(topics)] if topics else frame
fig = px.scatter(shown, x="date", y="topic", color="topic", hover_name="title")
st.plotly_chart(fig)
st.dataframe(shown, hide_index=True)

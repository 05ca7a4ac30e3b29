"""A page's first run, replayed with no app code: `benchmarks.paint_floor`'s replay floor.

`benchmarks.paint_floor` records every message a fresh session's first run of a link sends (page
config, elements and blocks, each as Streamlit made it) into a folder named by the
`TGBM_REPLAY_DIR` environment variable; `?replay=N` sends record N's messages again, unchanged.
The browser then draws exactly the page's elements, with their real content (the map, the
hundred-row table), while no line of the app runs: what is left of that page's first paint is
Streamlit's and plotly.js's work for those elements.
"""

import os
import struct
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

name = st.query_params.get("replay", "")
record = Path(os.environ.get("TGBM_REPLAY_DIR", "")) / f"{name}.bin"
if not name.isdigit() or not record.is_file():
    st.error("No such record.")
    st.stop()
data, at, ctx = record.read_bytes(), 0, get_script_run_ctx()
while at < len(data):  # each message: its length (4 bytes, big-endian), then its bytes
    (size,) = struct.unpack_from(">I", data, at)
    msg = ForwardMsg()
    msg.ParseFromString(data[at + 4:at + 4 + size])
    ctx.enqueue(msg)
    at += 4 + size

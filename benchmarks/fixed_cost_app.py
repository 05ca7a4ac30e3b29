"""Streamlit's fixed cost: the least any page run can cost (a title, a line, a caption).

`python -m benchmarks.page_cost` measures the server's CPU per warm rerun of this page and of
every link of the app in the same run, and reports each link's cost as a multiple of this one.
With `?markdown=N` (or `?columns=N`, `?metric=N`, `?button=N`) the page also draws N more such
elements: the slope is Streamlit's own cost per element, which no app code can go below.
"""

import streamlit as st

st.title("Tinh gọn bộ máy")
st.write("Một dòng chữ.")
st.caption("Chú thích")

params = st.query_params
for _ in range(int(params.get("markdown", 0))):
    st.markdown("Một dòng **chữ** với [liên kết](https://example.org).")
for _ in range(int(params.get("columns", 0))):
    st.columns(2)
for number in range(int(params.get("metric", 0))):
    st.metric("Số", number)
for number in range(int(params.get("button", 0))):
    st.button("Nút", key=f"b{number}")

"""Streamlit's fixed cost: the least any page run can cost (a title, a line, a caption).

`python -m benchmarks.page_cost` measures the server's CPU per warm rerun of this page and of
every link of the app in the same run, and reports each link's cost as a multiple of this one.
With `?markdown=N` (or `?button=N`, `?segmented=N`, `?selectbox=N`, `?metric=N`, `?columns=N`,
`?expander=N`) the page also draws N more such elements: the slope is Streamlit's own cost per
element, which no app code can go below. `?plotly=N` and `?dataframe=N` (a small bar chart, a
ten-row table) serve `benchmarks.paint_floor`: what the browser needs to draw those kinds.
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
for number in range(int(params.get("segmented", 0))):
    st.segmented_control("Ngôn ngữ", ["vi", "en"], key=f"s{number}", default="vi")
for number in range(int(params.get("selectbox", 0))):
    st.selectbox("Tỉnh", ["", "48", "01"], key=f"x{number}")
for _ in range(int(params.get("expander", 0))):
    with st.expander("Mở"):
        st.markdown("Một dòng.")
for number in range(int(params.get("plotly", 0))):
    st.plotly_chart({"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [3, 1, 2]}], "layout": {"height": 300}},
                    key=f"p{number}")
for number in range(int(params.get("dataframe", 0))):
    st.dataframe({"tỉnh": [f"Tỉnh {i}" for i in range(10)], "số": list(range(10))}, key=f"d{number}")

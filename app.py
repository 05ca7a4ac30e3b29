"""Entrypoint: page config and navigation built from core/nav.py; pages draw their own frame."""

import streamlit as st

from core import i18n, nav, url_state

i18n.use(url_state.peek("lang"))
st.set_page_config(
    page_title=i18n.t("app.title"),
    page_icon=":material/account_balance:",
    layout="wide",
    initial_sidebar_state="collapsed" if url_state.peek("present") == "1" else "auto",
)
pages = [
    st.Page(spec.file, title=i18n.t(f"nav.{spec.key}"), icon=spec.icon,
            url_path=spec.url_path or None, default=spec.key == "overview")
    for spec in nav.PAGES
]
st.navigation(pages).run()

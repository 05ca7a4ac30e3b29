"""Entrypoint: page config and navigation built from core/nav.py; pages draw their own frame and menu."""

import streamlit as st

from core import i18n, nav, paths, url_state

i18n.use(url_state.peek("lang"))
st.set_page_config(
    page_title=i18n.t("app.title"),
    page_icon=str(paths.ROOT / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if url_state.peek("present") == "1" else "auto",
)
pages = [
    st.Page(spec.file, title=i18n.t(f"nav.{spec.key}"), icon=spec.icon,
            url_path=spec.url_path or None, default=spec.key == "overview")
    for spec in nav.PAGES
]
# The sidebar menu is drawn by each page (components/widgets.py) so that its links carry the
# view's global filters and language; the built-in menu would drop them.
st.navigation(pages, position="hidden").run()

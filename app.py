"""Entrypoint: page config and navigation built from core/nav.py; pages draw their own frame and menu."""

import streamlit as st

from components import widgets
from core import i18n, nav

widgets.configure_page()
widgets.install_boundary()
pages = [
    st.Page(spec.file, title=i18n.t(f"nav.{spec.key}"), icon=spec.icon,
            url_path=spec.url_path or None, default=spec.key == "overview")
    for spec in nav.PAGES
]
widgets.register_pages({spec.file: page for spec, page in zip(nav.PAGES, pages, strict=True)})
# The sidebar menu is drawn by each page (components/widgets.py) so that its links carry the
# view's global filters and language; the built-in menu would drop them.
st.navigation(pages, position="hidden").run()

"""Entrypoint: page config and navigation built from core/nav.py; pages draw their own frame and menu."""

import streamlit as st

from components import widgets

widgets.configure_page()
widgets.install_boundary()
pages = widgets.app_pages()  # st.Page per registered page (core/nav.py), kept per session
# The sidebar menu is drawn by each page (components/widgets.py) so that its links carry the
# view's global filters and language; the built-in menu would drop them.
st.navigation(pages, position="hidden").run()

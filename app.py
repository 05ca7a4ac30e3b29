"""Entrypoint: page config and navigation built from core/nav.py; pages draw their own frame and menu."""

import streamlit as st

from components import frame

frame.configure_page(entrypoint=True)
frame.install_boundary()
pages = frame.app_pages()  # st.Page per registered page (core/nav.py), kept per session
# The sidebar menu is drawn by each page (components/frame.py) so that its links carry the
# view's global filters and language; the built-in menu would drop them.
st.navigation(pages, position="hidden").run()

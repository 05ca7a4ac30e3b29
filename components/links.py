"""In-app links: the one place that turns a page and its parameters into a link.

Under app.py's navigation a link is an ``st.page_link`` (the page changes without reloading the
app). A page script run on its own (AppTest of one file, an old pages/ folder mode) has no
navigation: Streamlit raises, and the link falls back to a plain Markdown link, or to a link
button where the caller needs a button's look.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from components import boundary
from core import nav, url_state


def href(page: str, params: dict[str, str] | None = None) -> str:
    """A relative link: the page's path and its query string ('/merger?unit=20194')."""
    return nav.href(page) + ("?" + urlencode(params) if params else "")


def view_href(page: str, state: url_state.ViewState, **params) -> str:
    """A link to a page keeping the view's global filters, plus page parameters."""
    return href(page, url_state.link_params(state, **params))


def page_link(page: str, label: str, params: dict[str, str] | None = None, icon: str | None = None,
              fallback: str = "markdown", key: str | None = None) -> bool:
    """A link to a page with exactly these parameters; False when only the fallback could be drawn.

    ``fallback`` is what a run without navigation draws instead: "markdown", "button" or "none"."""
    try:
        st.page_link(nav.target(nav.BY_KEY[page].file), label=label, icon=icon, query_params=params or {})
        return True
    except st.errors.StreamlitAPIException:  # page run on its own, without st.navigation
        if fallback == "button":
            st.link_button(label, href(page, params), icon=icon, key=key)
        elif fallback == "markdown":
            st.markdown(f"[{label}]({href(page, params)})")
        return False


def view_link(page: str, label: str, state: url_state.ViewState, icon: str | None = None, **params) -> None:
    """A link to another page carrying the view's global filters and page parameters."""
    page_link(page, label, url_state.link_params(state, **params), icon=icon)


def switch(page: str, params: dict[str, str], label: str | None) -> None:
    """Go to a page now; without navigation, a link to it labelled ``label`` (none without one)."""
    boundary.leave_turn()  # this run ends here: the next one need not wait for the switch's pause
    try:
        st.switch_page(nav.BY_KEY[page].file, query_params=params)
    except st.errors.StreamlitAPIException:  # page run on its own, without st.navigation
        if label is not None:
            st.markdown(f"[{label}]({href(page, params)})")

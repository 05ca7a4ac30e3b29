"""Read-only objects shared by every session, built once per data version and language.

`shared` is Streamlit's `cache_resource` with the two rules every builder here follows: it takes
what it reads, so a builder that reads data takes the `Catalog` (hashed by its data stamp, not by
its contents) and a builder that writes texts takes `lang` and makes them in that language.
"""

from __future__ import annotations

import functools
import inspect

import streamlit as st

from core import catalog, i18n


def _stamp(cat: catalog.Catalog) -> str:
    return cat.stamp


def shared(max_entries: int = 64):
    """Decorator: cache the builder's result for all sessions, keyed by its arguments."""

    def decorate(builder):
        signature = inspect.signature(builder)
        takes_lang = "lang" in signature.parameters

        @functools.wraps(builder)
        def build(*args, **kwargs):
            if not takes_lang:
                return builder(*args, **kwargs)
            with i18n.using(signature.bind(*args, **kwargs).arguments["lang"]):
                return builder(*args, **kwargs)

        return st.cache_resource(show_spinner=False, max_entries=max_entries,
                                 hash_funcs={catalog.Catalog: _stamp})(build)

    return decorate

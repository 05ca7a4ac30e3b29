"""Read-only objects shared by every session, built once per data version and language.

`shared` is Streamlit's `cache_resource` with the two rules every builder here follows: it takes
what it reads, so a builder that reads data takes the `Catalog` (hashed by its data stamp, not by
its contents) and a builder that writes texts takes `lang` and makes them in that language.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict

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

        cached = st.cache_resource(show_spinner=False, max_entries=max_entries,
                                   hash_funcs={catalog.Catalog: _stamp})(build)
        return _memo(cached, max_entries)

    return decorate


def _key(value):
    return ("catalog", value.stamp) if isinstance(value, catalog.Catalog) else value


def _memo(cached, max_entries: int):
    """A lookup in front of Streamlit's cache for arguments Python can hash as they are (catalogs by
    their stamp): Streamlit hashes every argument of every call, which cost about a quarter of a
    millisecond a call, several times a page run. Other arguments go to Streamlit's cache directly."""
    found: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(cached)
    def lookup(*args, **kwargs):
        try:
            key = (tuple(_key(a) for a in args), tuple(sorted((k, _key(v)) for k, v in kwargs.items())))
            hash(key)
        except TypeError:  # a list, a frame: Streamlit's own hashing
            return cached(*args, **kwargs)
        with lock:
            if key in found:
                found.move_to_end(key)
                return found[key]
        value = cached(*args, **kwargs)
        with lock:
            found[key] = value
            while len(found) > max_entries:
                found.popitem(last=False)
        return value

    lookup.clear = lambda: (found.clear(), cached.clear())
    return lookup

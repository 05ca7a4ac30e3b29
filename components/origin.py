"""The public origin of this run (core/origin.py's rule) and the notice that goes with it."""

from __future__ import annotations

import os
import threading
import time

import streamlit as st

from core import origin
from core.i18n import t

_LAN_SECONDS = 30.0  # a hotspot switched on mid-class shows up within this
_lan_lock = threading.Lock()
_lan_cache: list = [None, -1e9]  # [address, when read]


def _lan_address() -> str | None:
    with _lan_lock:
        if time.monotonic() - _lan_cache[1] > _LAN_SECONDS:
            _lan_cache[:] = [origin.lan_address(), time.monotonic()]
        return _lan_cache[0]


def current() -> origin.Origin:
    """Where this run's shared links point: setting, browser, network address, or nothing reachable."""
    port = st.get_option("server.port")
    return origin.public_origin(os.environ.get(origin.SETTING), st.context.url,
                                st.get_option("server.address"), int(port) if port else None, _lan_address())


def notice(where: origin.Origin) -> None:
    """Say which address phones use, or plainly that they cannot open the link and what fixes it."""
    if where.source == "network":
        st.caption(t("origin.network", url=where.url))
    elif not where.reachable:
        st.warning(t(f"origin.{where.source}", command=origin.FIX_COMMAND), icon=":material/wifi_off:")

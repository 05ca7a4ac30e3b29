"""Shareable links: the full URL of a view, its short title, and its QR code (no Streamlit)."""

from __future__ import annotations

import base64
import dataclasses
import io
from functools import lru_cache
from urllib.parse import urlsplit

import segno

from core import nav, url_state
from core.i18n import t


def full_url(base: str | None, state: url_state.ViewState, page: str) -> str:
    """Absolute link to the view: origin of the browser's URL + page path + parameters.

    Presentation mode belongs to the projector, not to the phones that open the link, and a
    lecturer's host key is never part of a shared link (a student link keeps the room only).
    """
    state = dataclasses.replace(state, host="")
    parts = urlsplit(base or "http://localhost:8501/")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://localhost:8501"
    return origin + nav.href(page) + url_state.query_string(dataclasses.replace(state, present=False), page)


def _month(date) -> str:
    return date.strftime("%m/%Y")


def view_title(state: url_state.ViewState, page: str, extra: str = "") -> str:
    """'Dòng thời gian · Sáp nhập · 06/2025–07/2025': page, topics, period, page detail."""
    parts = [t(f"nav.{page}")]
    if state.topic:
        parts.append(", ".join(t(f"topic.{slug}") for slug in state.topic))
    if state.date_from or state.date_to:
        start = _month(state.date_from) if state.date_from else "…"
        end = _month(state.date_to) if state.date_to else "…"
        parts.append(f"{start}–{end}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


@lru_cache(maxsize=512)
def qr_png(url: str, scale: int = 10) -> bytes:
    """QR code as PNG bytes; medium error correction so a projected code still scans."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=3)
    return buffer.getvalue()



@lru_cache(maxsize=512)
def qr_base64(url: str) -> str:
    """The QR code PNG as base64, for an <img> that CSS can size to the screen."""
    return base64.b64encode(qr_png(url)).decode("ascii")

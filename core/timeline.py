"""Timeline logic without Streamlit: filters, date presets, topic counts, table frame, CSV export."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core import i18n, schemas, text
from core.url_state import ViewState

TWO_TIER_START = dt.date(2025, 7, 1)
PRESETS = {
    "all": (None, None),
    "before": (None, TWO_TIER_START - dt.timedelta(days=1)),
    "after": (TWO_TIER_START, None),
    "2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
}
COLUMNS = ("id", "date", "end_date", "title", "summary", "topics", "actors", "place", "document",
           "confidence", "sources", "source_url")


def preset_of(date_from: dt.date | None, date_to: dt.date | None) -> str | None:
    """The preset whose dates are exactly these, or None for a custom range."""
    return next((key for key, dates in PRESETS.items() if dates == (date_from, date_to)), None)


def preset_dates(preset: str | None) -> tuple[dt.date | None, dt.date | None] | None:
    """The (from, to) of a preset; None when the preset is unknown (custom)."""
    return PRESETS.get(preset) if preset else None


def search_text(event: schemas.Event) -> str:
    """Everything the search box looks at: titles and summaries in both languages, actors, place, document."""
    parts = [event.title.vi, event.title.en, event.summary.vi, event.summary.en,
             *(n for name in (*event.actors, event.place, event.document) if name for n in (name.vi, name.en))]
    return " \n ".join(p for p in parts if p)


def in_dates(event: schemas.Event, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """True when the event (a day or a range) overlaps [date_from, date_to]."""
    end = event.end_date or event.date
    return (date_from is None or end >= date_from) and (date_to is None or event.date <= date_to)


def _matches(event: schemas.Event, state: ViewState, topics: tuple[str, ...]) -> bool:
    return ((not topics or any(topic in topics for topic in event.topics))
            and in_dates(event, state.date_from, state.date_to)
            and text.matches(state.q, search_text(event)))


def filter_events(events: list[schemas.Event], state: ViewState) -> list[schemas.Event]:
    """Events with any chosen topic, overlapping the dates and matching the search, in date order."""
    chosen = [e for e in events if _matches(e, state, state.topic)]
    return sorted(chosen, key=lambda e: (e.date, e.end_date or e.date, e.id))


def topic_counts(events: list[schemas.Event], state: ViewState) -> dict[str, int]:
    """For each topic, how many events it would show under the other filters (dates, search)."""
    others = [e for e in events if _matches(e, state, ())]
    return {topic: sum(topic in e.topics for e in others) for topic in schemas.TOPICS}


def is_filtered(state: ViewState) -> bool:
    return bool(state.topic or state.date_from or state.date_to or state.q.strip())


def _row(event: schemas.Event, lang: str, labels: dict[str, str], urls: dict[str, str]) -> dict:
    return {
        "id": event.id,
        "date": pd.Timestamp(event.date),
        "end_date": pd.Timestamp(event.end_date) if event.end_date else pd.NaT,
        "title": i18n.pick(event.title, lang)[0],
        "summary": i18n.pick(event.summary, lang)[0],
        "topics": ", ".join(labels.get(f"topic.{topic}", topic) for topic in event.topics),
        "actors": "; ".join(i18n.pick(actor, lang)[0] for actor in event.actors),
        "place": i18n.pick(event.place, lang)[0],
        "document": i18n.pick(event.document, lang)[0],
        "confidence": labels.get(f"confidence.{event.confidence}", event.confidence),
        "sources": ", ".join(event.sources),
        "source_url": next((urls[s] for s in event.sources if s in urls), None),
    }


def events_frame(events: list[schemas.Event], lang: str, source_urls: dict[str, str] | None = None
                 ) -> pd.DataFrame:
    """One row per event with translated text, real date columns and the first source's link."""
    labels = i18n.strings(lang)
    rows = [_row(e, lang, labels, source_urls or {}) for e in events]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame


def csv_bytes(frame: pd.DataFrame, headers: dict[str, str] | None = None) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly; ISO dates."""
    out = frame.copy()
    for column in ("date", "end_date"):
        if column in out:
            out[column] = out[column].dt.strftime("%Y-%m-%d").fillna("")
    return out.rename(columns=headers or {}).to_csv(index=False).encode("utf-8-sig")


def file_name(state: ViewState) -> str:
    """'timeline_merger_2025-06-01_2025-07-31_q-da-nang.csv': the name states the filter."""
    parts = ["timeline"]
    parts.append("-".join(state.topic) if state.topic else "all-topics")
    if state.date_from or state.date_to:
        start = state.date_from.isoformat() if state.date_from else "start"
        end = state.date_to.isoformat() if state.date_to else "now"
        parts.append(f"{start}_{end}")
    if text.slug(state.q):
        parts.append("q-" + text.slug(state.q)[:40].strip("-"))
    return "_".join(parts) + ".csv"


"""Sources and citations (no Streamlit): who cites each source, the filtered source list, how to cite."""

from __future__ import annotations

import dataclasses

import pandas as pd

from core import fmt, schemas, text
from core.i18n import t, tx
from core.url_state import ViewState

CITING = ("events", "figures", "trips", "metrics")
# Stable, language-neutral prefixes for a citing record ("event:nq-1659-…"), as in the URL contract.
PREFIX = {"events": "event", "figures": "figure", "trips": "trip", "metrics": "metric"}
# The order sources are listed in: schemas.SOURCE_KINDS with press last (primary sources first).
KIND_ORDER = (*(k for k in schemas.SOURCE_KINDS if k != "press"), "press")
TABLE_COLUMNS = ("id", "publisher", "title", "published", "kind", "confidence", "cited_by", "url",
                 "citing", "notes", "published_note", "language", "accessed")


def record_sources(record) -> list[str]:
    """Source ids of one record, including those of its alternative values, first mention first."""
    ids = list(record.sources) + [s for alt in getattr(record, "alternatives", []) for s in alt.sources]
    return list(dict.fromkeys(ids))


def citing_index(datasets: dict[str, list]) -> dict[str, list[str]]:
    """{source id: ["event:<id>", "figure:<id>", …]} over the records that cite each source."""
    index: dict[str, list[str]] = {}
    for name in CITING:
        for record in datasets.get(name, []):
            for source_id in record_sources(record):
                index.setdefault(source_id, []).append(f"{PREFIX[name]}:{record.id}")
    return index


def search_text(source: schemas.Source) -> str:
    notes = source.notes
    return " \n ".join(p for p in (source.title, source.publisher, notes and notes.vi, notes and notes.en) if p)


def search_keys(sources: list[schemas.Source]) -> dict[str, tuple[str, str]]:
    """Each source's search text as compared with and without diacritics: {id: (exact, folded)}.

    Made once per data version by the caller, so a search does not fold every source again."""
    return {s.id: (text.exact(found), text.fold(found)) for s in sources for found in (search_text(s),)}


def filter_sources(sources: list[schemas.Source], q: str = "", kind=(), confidence=(),
                   keys: dict[str, tuple[str, str]] | None = None) -> list[schemas.Source]:
    """Sources matching the search (title, publisher, notes) and the chosen kinds and confidences.

    The search is text.matches: with diacritics when the query has any, else without. `keys` are
    search_keys(sources) when the caller keeps them; a source missing from them is folded here."""
    query = q.strip()
    marked = bool(query) and text.has_diacritics(query)
    needle = (text.exact(query) if marked else text.fold(query)) if query else ""
    key_of = text.exact if marked else text.fold
    known = keys or {}

    def found(source: schemas.Source) -> bool:
        if not query:
            return True
        key = known.get(source.id)
        return needle in (key[0 if marked else 1] if key else key_of(search_text(source)))

    return [s for s in sources
            if (not kind or s.kind in kind) and (not confidence or s.confidence in confidence) and found(s)]


def counts(sources: list[schemas.Source], field: str) -> dict[str, int]:
    """How many sources have each value of a field (kind or confidence)."""
    out: dict[str, int] = {}
    for source in sources:
        out[getattr(source, field)] = out.get(getattr(source, field), 0) + 1
    return out


def by_publisher(sources: list[schemas.Source]) -> list[schemas.Source]:
    """Sources in Vietnamese alphabetical order of publisher, then title."""
    return sorted(sources, key=lambda s: (text.sort_key(publisher_text(s)), text.sort_key(s.title)))


def _sentence(value: str) -> str:
    value = value.strip()
    return value if value.endswith((".", "!", "?", "…")) else value + "."


def source_entry(source: schemas.Source) -> str:
    """'Publisher (date). Title. URL (accessed date).' — or the notes when there is no link."""
    when = published_text(source)
    where = (t("sources.cite.link", url=source.url, accessed=fmt.date(source.accessed)) if source.url
             else t("sources.cite.no_link", notes=tx(source.notes)))
    return f"{publisher_text(source)} ({when}). {_sentence(source.title)} {where}"


def ordered_sources(ids: list[str], by_id: dict[str, schemas.Source]) -> list[schemas.Source]:
    """Cited sources with legal texts first (the original document), then datasets, portals, press."""
    found = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    return sorted(found, key=lambda s: KIND_ORDER.index(s.kind))


def documents(record) -> list[str]:
    """Names of the original documents a record rests on (an event's resolution, a trip's documents)."""
    if getattr(record, "document", None):
        return [tx(record.document)]
    return [tx(document) for document in getattr(record, "documents", [])]


def dashboard_entry(release: schemas.Release | None, link: str) -> str:
    """'Tinh gọn bộ máy · Đà Nẵng 2025, dữ liệu phiên bản X (cập nhật đến d/m/yyyy), <link>'."""
    if release is None:
        return t("sources.cite.dashboard_unknown", title=t("app.title"), link=link)
    return t("sources.cite.dashboard", title=t("app.title"), version=release.version,
             as_of=fmt.date(release.as_of), link=link)


def citation(record, sources: list[schemas.Source], release: schemas.Release | None, link: str) -> str:
    """The how-to-cite block: original documents, then the record's sources, then the dashboard."""
    by_id = {s.id: s for s in sources}
    lines = [_sentence(doc) for doc in documents(record)]
    lines += [source_entry(s) for s in ordered_sources(list(record.sources), by_id)]
    lines.append(dashboard_entry(release, link))
    return "\n".join(f"[{number}] {line}" for number, line in enumerate(lines, start=1))


def view_of(name: str, record, lang: str) -> tuple[str, ViewState]:
    """The page and view state of the dashboard view that shows a record (a clean, stable link)."""
    base = ViewState(lang=lang)
    if name == "events":
        return "timeline", dataclasses.replace(base, event=record.id)
    if name == "trips":
        return "training", dataclasses.replace(base, trip=record.id)
    if name == "metrics":
        return "smart-city", dataclasses.replace(base, domain=(record.domain,))
    return "overview", base


def record_label(name: str, record) -> str:
    """A short label for the record picker: date or scope, and title."""
    if name == "events":
        return f"{fmt.date(record.date)} · {tx(record.title)}"
    if name == "figures":
        return f"{tx(record.label)} · {t('scope.' + record.scope)}"
    if name == "trips":
        return f"{fmt.date(record.start_date)} · {tx(record.class_name)} · {tx(record.place)}"
    return f"{tx(record.label)} · {record.period}"


def conflicts(*record_lists) -> list:
    """Figures and metrics for which another source gives a different value, in the given order."""
    return [r for records in record_lists for r in records if getattr(r, "alternatives", None)]


def scope_of(record) -> str:
    """The place a figure (scope) or metric (entity) is about."""
    return getattr(record, "scope", None) or record.entity


def publisher_text(source: schemas.Source) -> str:
    """The publisher, and what the page is when it is not the outlet's own ('…, reposted copy')."""
    if source.form == "original":
        return source.publisher
    return f"{source.publisher} ({t('sources.form.' + source.form)})"


def published_text(source: schemas.Source) -> str:
    """The publication date, else the public note on it, else 'date unknown'."""
    if source.published:
        return fmt.date(source.published)
    return tx(source.published_note) or t("common.date_unknown")


def table_frame(sources: list[schemas.Source], citing: dict[str, list[str]]) -> pd.DataFrame:
    """One row per source in the given order, with translated kind/confidence and who cites it."""
    rows = [{
        "id": s.id, "publisher": publisher_text(s), "title": s.title,
        "published": pd.Timestamp(s.published) if s.published else pd.NaT,
        "kind": t("sources.kind." + s.kind), "confidence": t("confidence." + s.confidence),
        "cited_by": len(citing.get(s.id, [])), "url": s.url, "citing": citing.get(s.id, []),
        "notes": tx(s.notes), "published_note": tx(s.published_note), "language": s.language,
        "accessed": pd.Timestamp(s.accessed),
    } for s in sources]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))

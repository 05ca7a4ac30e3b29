"""Pure functions over validated records (no Streamlit): lookups, filters, summaries."""

from __future__ import annotations

from core import schemas

BEFORE_AFTER_SCOPES = ("old_danang", "old_quangnam", "new_city")
BEFORE_AFTER_ROWS = ("provincial_units", "district_units", "commune_units", "area", "population",
                     "departments")
UNIT_TYPE_ROWS = ("wards", "communes", "towns", "special_zones")


def figure_index(figures: list[schemas.Figure]) -> dict[tuple[str, str], schemas.Figure]:
    """Figures by (indicator, scope); the first record wins if a pair repeats."""
    index: dict[tuple[str, str], schemas.Figure] = {}
    for figure in figures:
        index.setdefault((figure.indicator, figure.scope), figure)
    return index


def before_after(figures: list[schemas.Figure]) -> dict[str, dict[str, schemas.Figure]]:
    """{scope: {indicator: figure}} for the before/after panel (only rows that exist)."""
    index = figure_index(figures)
    return {
        scope: {ind: index[(ind, scope)] for ind in BEFORE_AFTER_ROWS + UNIT_TYPE_ROWS
                if (ind, scope) in index}
        for scope in BEFORE_AFTER_SCOPES
    }


def milestones(events: list[schemas.Event]) -> list[schemas.Event]:
    """Highlighted events in date order: the overview's key-milestone strip."""
    return sorted((e for e in events if e.highlight), key=lambda e: (e.date, e.id))


def cited_sources(records) -> list[str]:
    """Source ids cited by records (and their alternative values), first mention first."""
    ids: list[str] = []
    for record in records:
        ids += list(record.sources)
        ids += [s for alt in getattr(record, "alternatives", []) for s in alt.sources]
    return list(dict.fromkeys(ids))


def before_after_totals(figures: list[schemas.Figure]) -> list[dict]:
    """'2 → 1'-style rows: the two former localities summed, against the new city.

    A row appears only when all three figures exist; the sum is derived, so the row keeps the
    figures it was computed from for citing.
    """
    index = figure_index(figures)
    rows = []
    for indicator in ("provincial_units", "district_units", "commune_units"):
        parts = [index.get((indicator, scope)) for scope in BEFORE_AFTER_SCOPES]
        if all(parts):
            rows.append({"indicator": indicator, "before": parts[0].value + parts[1].value,
                         "after": parts[2].value, "figures": parts})
    return rows

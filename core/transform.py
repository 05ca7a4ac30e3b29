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

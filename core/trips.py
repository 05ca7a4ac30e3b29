"""Field-trip logic without Streamlit: institutions, filters, programme order, themes by kind."""

from __future__ import annotations

import datetime as dt

from core import schemas, text
from core.i18n import tx
from core.metrics import overlaps

THEME_KINDS = schemas.THEME_KINDS
PROGRAMME_ICONS = {
    "report": ":material/description:",
    "discussion": ":material/forum:",
    "reflection": ":material/psychology:",
    "visit": ":material/location_on:",
    "other": ":material/event:",
}


def institution_slug(name) -> str:
    """The URL value of an institution: its Vietnamese name (a Text or a plain string) as an ASCII slug."""
    return text.slug(getattr(name, "vi", name))


def institutions(trips) -> dict[str, str]:
    """{slug: name} of every institution with a trip, in Vietnamese alphabetical order."""
    names = {institution_slug(t.institution): tx(t.institution) for t in trips}
    return dict(sorted(names.items(), key=lambda item: text.sort_key(item[1])))


def dates_of(trip: schemas.Trip) -> tuple[dt.date, dt.date]:
    """First and last day of a trip (one day when there is no end date)."""
    return trip.start_date, trip.end_date or trip.start_date


def theme_kinds(trip: schemas.Trip) -> list[str]:
    """The theme kinds a trip's source names, in the fixed order."""
    present = {theme.kind for theme in trip.themes}
    return [kind for kind in THEME_KINDS if kind in present]


def matches(trip: schemas.Trip, institution: str = "", themes=(), date_from=None, date_to=None) -> bool:
    """Institution slug equal, any chosen theme present, and dates overlapping [from, to]."""
    if institution and institution_slug(trip.institution) != institution:
        return False
    if themes and not set(themes) & set(theme_kinds(trip)):
        return False
    return overlaps(*dates_of(trip), date_from, date_to)


def filter_trips(trips, institution: str = "", themes=(), date_from=None, date_to=None) -> list[schemas.Trip]:
    """Matching trips, newest first."""
    chosen = [t for t in trips if matches(t, institution, themes, date_from, date_to)]
    return sorted(chosen, key=lambda t: (t.start_date, t.id), reverse=True)


def programme(trip: schemas.Trip) -> list[schemas.ProgrammeItem]:
    """Programme items in their stated order (the source gives an order, not clock times)."""
    return sorted(trip.programme, key=lambda item: item.order)


def themes_by_kind(trip: schemas.Trip) -> dict[str, list[schemas.Theme]]:
    """{kind: themes} in the fixed kind order, only kinds the trip has."""
    return {kind: [th for th in trip.themes if th.kind == kind] for kind in theme_kinds(trip)}


def people_by_side(trip: schemas.Trip) -> list[schemas.Person]:
    """Hosts first, then guests, each in record order."""
    return [p for p in trip.people if p.side == "host"] + [p for p in trip.people if p.side == "guest"]

"""Valid views for tests: random links the parser must accept, drawn from the real data's ids.

One recipe serves two sources of randomness: a seeded random.Random (the walks) and hypothesis
(property tests, which also shrink). Hostile strings live in the tests that need them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from functools import cache

from hypothesis import strategies as hs

from core import catalog, i18n, lookup, paths, trips, url_state

TEXTS = ("hoa", "Hòa Vang", "hoà vang", "Đà Nẵng", "da nang", "Tam Kỳ", "IOC", "xyz", "1659")
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2027, 12, 31)


@cache
def known_ids() -> dict[str, tuple[str, ...]]:
    """Ids a link may name, read from the shipped data (not from the pages' code)."""
    cat = catalog.build(paths.ROOT / "data")
    index = lookup.build_index(cat["units"].records, cat["mapping"].records)
    return {
        "event": tuple(e.id for e in cat["events"].records),
        "unit": tuple(u.code for u in cat["units"].records),
        "trip": tuple(t.id for t in cat["trips"].records),
        "lesson": tuple(lesson.id for lesson in cat["lessons"].records),
        "district": tuple(slug for slug, _ in lookup.district_options(index)),
        "institution": tuple(dict.fromkeys(trips.institution_slug(t.institution) for t in cat["trips"].records)),
        # /country's `province`: the 34 new provinces' codes
        "new_province": tuple(row["code"] for row in csv.DictReader(
            (paths.ROOT / "data" / "national" / "provinces.csv").open(encoding="utf-8"))),
    }


@cache
def lesson_steps() -> dict[str, int]:
    cat = catalog.build(paths.ROOT / "data")
    return {lesson.id: len(lesson.steps) for lesson in cat["lessons"].records}


class _Random:
    """The chooser interface over random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def flip(self, p: float = 0.5) -> bool:
        return self.rng.random() < p

    def one(self, options):
        return self.rng.choice(list(options))

    def some(self, options) -> tuple:
        options = list(options)
        chosen = set(self.rng.sample(options, self.rng.randint(1, len(options))))
        return tuple(o for o in options if o in chosen)

    def day(self) -> dt.date:
        return FIRST + dt.timedelta(days=self.rng.randrange((LAST - FIRST).days + 1))


class _Draw(_Random):
    """The same interface over hypothesis' draw (so failures shrink)."""

    def __init__(self, draw):
        self.draw = draw

    def flip(self, p: float = 0.5) -> bool:
        return self.draw(hs.booleans())

    def one(self, options):
        return self.draw(hs.sampled_from(list(options)))

    def some(self, options) -> tuple:
        options = list(options)
        chosen = set(self.draw(hs.lists(hs.sampled_from(options), min_size=1, max_size=len(options))))
        return tuple(o for o in options if o in chosen)

    def day(self) -> dt.date:
        return self.draw(hs.dates(FIRST, LAST))


def _state(choose: _Random, page: str | None) -> url_state.ViewState:
    params = url_state.params_for(page) if page else tuple(url_state.ALL_PARAMS)
    values: dict = {}
    for param in params:
        if param in ("from", "to", "step") or not choose.flip(0.4):
            continue
        field = url_state.PAGE_FIELDS.get((page, param)) or url_state.FIELD_OF.get(param, param)
        if field in known_ids() and field not in url_state.IDS:  # a page-specific id (/country's province)
            values[field] = choose.one(known_ids()[field])
        elif param in url_state.MULTI:
            values[field] = choose.some(url_state.MULTI[param])
        elif param in url_state.CHOICES:
            values[field] = choose.one(url_state.CHOICES[param])
        elif param in url_state.IDS:
            values[field] = choose.one(known_ids()[param])
        elif param in ("q", "filter"):
            values[field] = choose.one(TEXTS)
        elif param == "present":
            values[field] = True
    if "from" in params and choose.flip(0.4):
        first, second = sorted((choose.day(), choose.day()))
        values.update(date_from=first if choose.flip(0.8) else None, date_to=second if choose.flip(0.8) else None)
    if values.get("lesson"):
        values["step"] = choose.one(range(1, lesson_steps()[values["lesson"]] + 1))
    values.setdefault("lang", choose.one(i18n.LANGS))
    return url_state.ViewState(**values)


def random_state(rng: random.Random, page: str | None = None) -> url_state.ViewState:
    """A valid view of the page (any page's parameters when page is None), from a seeded generator."""
    return _state(_Random(rng), page)


def random_link(rng: random.Random, page: str) -> dict[str, str]:
    """The query parameters of a valid link to the page."""
    return url_state.to_params(random_state(rng, page), page)


@hs.composite
def view_states(draw, page: str | None = None) -> url_state.ViewState:
    """Hypothesis strategy: valid views (dates in order, real ids, both languages)."""
    return _state(_Draw(draw), page)


__all__ = ["view_states", "random_state", "random_link"]

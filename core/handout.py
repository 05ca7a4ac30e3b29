"""A lesson's handout (no Streamlit): each step's key content as plain text, with its sources, and
each step's public link.

Every fact comes from a catalog record and names its sources (publisher, date); nothing here writes
text of its own beyond the labels in core/locales/*/handout.yaml. The texts are plain (not Markdown,
not HTML): the component that draws them escapes them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from core import cite, fmt, lessons, lookup, metrics, nav, schemas, share, transform, url_state
from core import national as countrywide
from core.i18n import t, tn, tx

# Pages a step can show (a lesson step never opens /lesson or /live).
STEP_PAGES = tuple(spec.key for spec in nav.PAGES if spec.key not in ("lesson", "live"))
# Parameters a handout's step link never carries: how a room or a projector shows it, not what.
NOT_IN_LINK = ("host", "room", "present", "edit", "print")
# The sources the pages cite for the same facts (components/merger.py, components/country.py).
RESOLUTION_1659 = "nq-1659-ubtvqh15-text"
PROVINCE_SOURCE = "nq-202-2025-qh15"
FIGURE_SOURCES = ("bando-sapnhap-2025-unit-figures", "nq-202-2025-qh15")
LOOKUP_SOURCES = ("vietnamadminunits-national-2025", "nq-1654-1687-ubtvqh15-texts")
UNITS_SOURCES = ("vietnamadminunits-national-2025", RESOLUTION_1659)
# Unit types as the country page names them (its `country.type.<slug>` strings).
TYPE_KEYS = {"phường": "phuong", "xã": "xa", "thị trấn": "thi-tran", "đặc khu": "dac-khu", "huyện": "huyen"}
MAX_RESULTS = 5  # lookup answers listed on paper; the link shows the rest
MAX_METRICS = 6  # a domain's figures listed on paper (one page per step); the link shows the rest


@dataclass(frozen=True)
class Fact:
    """One line of a step's content and the sources it rests on ('Publisher (date)' each)."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepContent:
    """What a step's view shows, as text; `available` is False when its view no longer exists."""

    available: bool
    facts: tuple[Fact, ...]

    def lines(self) -> list[str]:
        """The content as plain lines: each fact, then its sources."""
        out = []
        for fact in self.facts:
            out.append(fact.text)
            if fact.sources:
                out.append(t("common.sources_label") + " " + "; ".join(fact.sources))
        return out


def unavailable() -> StepContent:
    return StepContent(False, (Fact(t("handout.unavailable")),))


def source_texts(source_ids, cat) -> tuple[str, ...]:
    """'Publisher (16/6/2025)' for each known source, in the given order."""
    by_id = cat.by_id("sources") if "sources" in cat.datasets else {}
    return tuple(f"{cite.publisher_text(by_id[s])} ({cite.published_text(by_id[s])})"
                 for s in dict.fromkeys(source_ids) if s in by_id)


def _state(page: str, params: dict[str, str]) -> url_state.ViewState | None:
    """The view a step's parameters describe; None when the page or a parameter is not valid."""
    if page not in STEP_PAGES:
        return None
    state, ignored = url_state.for_page({k: str(v) for k, v in (params or {}).items()}, page)
    return None if ignored else state


def step_content(page: str, params: dict[str, str], cat, national=None) -> StepContent:
    """The key content of one step's view as text.

    Args:
        page: the step's page key.
        params: the step's view parameters.
        cat: the catalog.
        national: the national data and its index (anything with `.data` and `.index`, such as
            components/country.Bundle), so a caller that keeps them built does not build them again;
            read from the catalog when not given.
    """
    state = _state(page, params)
    if state is None:
        return unavailable()
    try:
        facts = BUILDERS.get(page, _filters)(state, page, cat, national)
    except KeyError:  # a dataset or record the view needs is missing
        return unavailable()
    return unavailable() if facts is None else StepContent(True, tuple(facts))


def _filters(state: url_state.ViewState, page: str, cat, _national=None) -> list[Fact]:
    """'Page · topics · period' (and the search, when there is one)."""
    extra = f"“{state.q}”" if state.q else ""
    return [Fact(t("handout.view", view=share.view_title(state, page, extra)))]


def _when(start, end, note) -> str:
    """A date or date range, with the public note on it when the sources are not exact."""
    return fmt.date_range(start, end) + (f" ({tx(note)})" if note else "")


def _timeline(state, page, cat, _national=None) -> list[Fact] | None:
    if not state.event:
        return _filters(state, page, cat)
    event = cat.by_id("events").get(state.event)
    if event is None:
        return None
    when = _when(event.date, event.end_date, event.date_note)
    return [Fact(f"{when} · {tx(event.title)}"), Fact(tx(event.summary), source_texts(event.sources, cat))]


def _unit_index(cat) -> lookup.Index:
    return lookup.build_index(cat["units"].records, cat["mapping"].records)


def _origin_text(link: lookup.Link) -> str:
    share_word = f" ({t('merger.share.part')})" if link.share == "part" else ""
    return f"{link.name}{share_word}"


def _clause_text(clauses) -> str:
    return ", ".join(t("handout.clause_1659", clause=c) for c in clauses)


def _merger(state, page, cat, _national=None) -> list[Fact] | None:
    idx = _unit_index(cat)
    if not state.unit and not state.q:
        return _filters(state, page, cat) + _merger_totals(cat, idx)
    facts = []
    if state.unit:
        unit = idx.new.get(state.unit)
        if unit is None:
            return None
        facts += _unit_facts(unit, idx, cat)
    if state.q:
        facts += _merger_answer(state.q, idx, cat)
    return facts


def _merger_totals(cat, idx: lookup.Index) -> list[Fact]:
    communes = {row.old_code for row in cat["mapping"].records if row.old_unit_type != "huyện"}
    return [Fact(t("handout.merger.totals", old=fmt.number(len(idx.old)), communes=fmt.number(len(communes)),
                   new=fmt.number(len(idx.new))),
                 source_texts([RESOLUTION_1659], cat))]


def _unit_facts(unit: schemas.NewUnit, idx: lookup.Index, cat) -> list[Fact]:
    origins = idx.origins.get(unit.code, ())
    # The clause as the mapping records give it (the rows that formed the unit), else the unit table's.
    clauses = [c for c, _ in Counter(link.clause for link in origins).most_common()] or [unit.clause]
    kind = t(f"merger.type.{lookup.TYPE_SLUG[unit.unit_type]}")
    return [
        Fact(t("handout.unit", name=unit.name, type=kind, code=unit.code,
               province=t("scope." + unit.former_province))),
        Fact(t("handout.unit.origins", count=len(origins), names="; ".join(_origin_text(o) for o in origins)),
             source_texts(UNITS_SOURCES, cat)),
        Fact(t("handout.unit.clause", clause=_clause_text(clauses), text=unit.former_units_text),
             source_texts([RESOLUTION_1659], cat)),
    ]


def _merger_answer(query: str, idx: lookup.Index, cat) -> list[Fact]:
    results = lookup.search(idx, query)
    facts = [Fact(tn("handout.lookup.query", len(results), q=query, count=len(results)))]
    if not results:
        return facts
    lines = []
    for result in results[:MAX_RESULTS]:
        targets = "; ".join(
            f"{link.name} ({t('merger.clause', clause=link.clause)}"
            + (f", {t('merger.share.part')})" if link.share == "part" else ")")
            for link in result.links)
        if result.kind == "old":
            lines.append(t("handout.lookup.old", name=result.name, district=result.district,
                           province=t("scope." + result.province), targets=targets))
        elif result.kind == "new":
            lines.append(t("handout.lookup.new", name=result.name,
                           origins="; ".join(_origin_text(o) for o in result.links)))
        else:
            lines.append(t("handout.lookup.district", name=result.name, targets=targets))
    if len(results) > MAX_RESULTS:
        lines.append(t("handout.lookup.more", count=len(results) - MAX_RESULTS))
    return facts + [Fact(line) for line in lines[:-1]] + [Fact(lines[-1], source_texts(UNITS_SOURCES, cat))]


def _national(cat, given):
    if given is not None:
        return given.data, given.index
    data = cat.national()
    return data, countrywide.build_index(data)


def _country(state, page, cat, given=None) -> list[Fact] | None:
    if not state.new_province and not state.q:
        return _filters(state, page, cat)
    data, index = _national(cat, given)
    facts = []
    if state.new_province:
        story = countrywide.province_story(data, index, state.new_province)
        if story is None:
            return None
        facts += _province_facts(story, cat)
    if state.q:
        facts += _country_answer(countrywide.lookup(index, state.q), state.q, cat)
    return facts


def _province_resolution_date() -> str:
    return fmt.date(dt.date.fromisoformat(countrywide.PROVINCE_RESOLUTION_DATE))


def _province_facts(s: countrywide.ProvinceStory, cat) -> list[Fact]:
    when = _province_resolution_date()
    if s.merged:
        formed = t("handout.province.merged", name=s.name, names=", ".join(s.old_provinces),
                   resolution=countrywide.PROVINCE_RESOLUTION, date=when)
    else:
        formed = t("handout.province.unchanged", name=s.name, resolution=countrywide.PROVINCE_RESOLUTION, date=when)
    by_type = "; ".join(f"{t('country.type.' + slug)} {fmt.number(s.before.get(kind, 0))} → "
                        f"{fmt.number(s.after.get(kind, 0))}"
                        for kind, slug in TYPE_KEYS.items() if s.before.get(kind) or s.after.get(kind))
    units = t("handout.province.units", before=fmt.number(sum(s.before.values())),
              after=fmt.number(sum(s.after.values())), types=by_type)
    if s.resolution:
        units += " " + t("handout.province.resolution", resolution=s.resolution)
    figures = t("handout.province.figures", area=fmt.quantity(s.area_km2, "km2"),
                population=fmt.quantity(s.population, "people"))
    if s.population_basis:
        figures += " " + t("country.basis." + s.population_basis)
    return [Fact(formed, source_texts([PROVINCE_SOURCE], cat)),
            Fact(units, source_texts(LOOKUP_SOURCES, cat)),
            Fact(figures, source_texts(FIGURE_SOURCES, cat))]


def _country_answer(answer: countrywide.Answer, query: str, cat) -> list[Fact]:
    found = len(answer.communes) + len(answer.provinces)
    facts = [Fact(tn("handout.lookup.query", found, q=query, count=found))]
    for hit in answer.provinces:
        facts.append(Fact(t("handout.lookup.province", old=hit.old_name, new=hit.new_name,
                            partners=", ".join(hit.partners) or t("country.lookup.alone"),
                            resolution=hit.resolution, date=_province_resolution_date()),
                          source_texts([PROVINCE_SOURCE], cat)))
    communes = answer.communes[:MAX_RESULTS]
    for unit in communes:
        targets = "; ".join(", ".join(x for x in (f"{new.name}, {new.province}",
                                                  t("country.share." + c.share) if c.share else "",
                                                  c.text()) if x)
                            for new, c in unit.links())
        facts.append(Fact(t("handout.lookup.commune", name=unit.full_name, district=unit.district,
                            province=unit.province, status=t("country.status." + unit.status), targets=targets),
                          source_texts(LOOKUP_SOURCES, cat)))
    if len(answer.communes) > MAX_RESULTS:
        facts.append(Fact(t("handout.lookup.more", count=len(answer.communes) - MAX_RESULTS)))
    return facts


def _smart_city(state, page, cat, _national=None) -> list[Fact]:
    domain = metrics.open_domain(state.domain)
    rows = metrics.filter_metrics(cat["metrics"].records, (domain,), state.date_from, state.date_to)
    facts = [Fact(t("handout.view", view=share.view_title(state, page, t(f"smart-city.domain.{domain}"))))]
    # The domain's cards (latest value of each indicator), the digest's headline figures first.
    cards = metrics.latest(rows)
    first = [m for m in metrics.headline(cards) if m in cards]
    shown = (first + [m for m in cards if m not in first])[:MAX_METRICS]
    facts += [_metric_fact(m, cat) for m in shown]
    if len(cards) > len(shown):
        facts.append(Fact(t("handout.metrics.more", count=len(cards) - len(shown))))
    return facts


def _as_of(date) -> str:
    return fmt.date(date) if date else t("smart-city.card.as_of_unknown")


def _metric_fact(m: schemas.Metric, cat) -> Fact:
    return Fact(t("handout.metric", label=tx(m.label), entity=t(f"scope.{m.entity}"),
                  period=metrics.period_label(m.period), value=metrics.value_text(m), as_of=_as_of(m.as_of)),
                source_texts(m.sources, cat))


def _training(state, page, cat, _national=None) -> list[Fact] | None:
    if not state.trip:
        return _filters(state, page, cat)
    trip = cat.by_id("trips").get(state.trip)
    if trip is None:
        return None
    when = _when(trip.start_date, trip.end_date, trip.date_note)
    return [Fact(t("handout.trip", date=when, name=tx(trip.class_name), institution=tx(trip.institution),
                   place=tx(trip.place))),
            Fact(tx(trip.purpose), source_texts(trip.sources, cat))]


def _overview(state, page, cat, _national=None) -> list[Fact]:
    facts = _filters(state, page, cat)
    for row in transform.before_after_totals(cat["figures"].records):
        figures = row["figures"]
        as_of = max(f.as_of for f in figures)
        facts.append(Fact(t("handout.figure", label=t("overview.row." + row["indicator"]),
                            before=fmt.number(row["before"]), after=fmt.number(row["after"]),
                            as_of=fmt.date(as_of)),
                          source_texts([s for f in figures for s in f.sources], cat)))
    return facts


BUILDERS = {"timeline": _timeline, "merger": _merger, "country": _country, "smart-city": _smart_city,
            "training": _training, "overview": _overview}


def step_url(base: str | None, lesson: schemas.Lesson, number: int, lang: str = "") -> str:
    """The full public link of a lesson step: the view's own page with `lesson` and `step`, and
    the language; never a room, a host or edit key, or presentation mode."""
    page, params = lessons.step_link(lesson, number, {"lang": lang} if lang else None)
    if params.get("lang") == url_state.DEFAULT.lang:
        del params["lang"]
    params = {k: v for k, v in params.items() if k not in NOT_IN_LINK}
    parts = urlsplit(base or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "http://localhost:8501"
    return origin + nav.href(page) + ("?" + urlencode(params) if params else "")

"""Smart-city page pieces: domain and period filters, the IOC's dated profile, KPI cards and charts."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import cache, charts, charts_smart_city, citations, links, url_session, widgets
from core import catalog, fmt, i18n, metrics, schemas, url_state
from core.i18n import t, tx

IOC_LAUNCH = "ioc-launch-2023-08-14"
HEADLINE_PER_ROW = 3
CARDS_PER_ROW = 4  # the open domain's cards
CHARTS_PER_ROW = 2
DIGEST_SOURCES = 3
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}
esc = widgets.escape_md


def domain_picker(state: url_state.ViewState) -> url_state.ViewState:
    """One open domain, the others one click away; the link's first known domain opens."""
    key = url_session.lang_key("smart-city.domain")
    url_session.seed(key, metrics.open_domain(state.domain))
    domain = st.segmented_control(t("smart-city.filter.domain"), list(metrics.DOMAINS), key=key, required=True,
                                  format_func=_tab_label, help=t("smart-city.filter.domain_help"), width="stretch")
    return dataclasses.replace(state, domain=metrics.domain_param(domain or metrics.open_domain(state.domain), state.domain))


def _tab_label(domain) -> str:
    return t(f"smart-city.tab.{domain}") if domain in metrics.DOMAINS else str(domain)


def period_filter(state: url_state.ViewState, span: tuple[int, int]) -> url_state.ViewState:
    """A from-year / to-year pair, folded unless the link sets a period; years become from/to dates."""
    first, last = metrics.years_of(state.date_from, state.date_to, span)
    url_session.seed("smart-city.year_from", first)
    url_session.seed("smart-city.year_to", last)
    years = list(range(span[0], span[1] + 1))
    with st.expander(t("smart-city.filter.period"), expanded=bool(state.date_from or state.date_to),
                     icon=":material/date_range:"):
        left, right = st.columns(2)
        year_from = left.selectbox(t("smart-city.filter.year_from"), years, key="smart-city.year_from",
                                   placeholder=t("common.choose_year"))
        year_to = right.selectbox(t("smart-city.filter.year_to"), years, key="smart-city.year_to",
                                  placeholder=t("common.choose_year"))
        st.caption(t("smart-city.filter.period_help"))
    date_from, date_to = metrics.dates_of(year_from, year_to, span, state.date_from, state.date_to)
    return dataclasses.replace(state, date_from=date_from, date_to=date_to)


def ioc_digest(events: list[schemas.Event], cat: catalog.Catalog) -> None:
    """The IOC in a few lines: its opening date and what it is, with the sources of that record."""
    launch = next((e for e in events if e.id == IOC_LAUNCH), None)
    if launch is None:
        return
    with st.container(key="smart-city-ioc"):
        st.subheader(t("smart-city.digest.header"), anchor="ioc")
        st.markdown(t("smart-city.digest.opened", date=fmt.date(launch.date), title=esc(tx(launch.title))))
        st.markdown(esc(tx(launch.summary)))
        st.caption(citations.source_line(launch.sources[:DIGEST_SOURCES], cat) + " · "
                   + t(f"confidence.{launch.confidence}"))


def headline(cat: catalog.Catalog) -> None:
    """4–6 headline figures with their as-of date and source, whatever domain is open."""
    cards = _headline_cards(cat, i18n.lang())
    if cards:
        with st.container(key="smart-city-headline"):
            st.subheader(t("smart-city.digest.kpis"), anchor="kpis")
            _cards(cards, HEADLINE_PER_ROW)


@cache.shared(max_entries=16)
def _headline_cards(cat: catalog.Catalog, lang: str) -> tuple[Card, ...]:
    return tuple(_card(m, cat, with_source=True) for m in metrics.headline(cat["metrics"].records))


@cache.shared(max_entries=8)
def year_span(cat: catalog.Catalog) -> tuple[int, int]:
    """First and last year any figure or smart-city event touches (once per data version)."""
    return metrics.year_span(cat["metrics"].records, metrics.smart_city_events(cat["events"].records))


def milestones(events: list[schemas.Event], cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Smart-city milestones, folded: date, title, summary and sources, each linked to the timeline."""
    label = t("smart-city.ioc.header", count=fmt.number(len(events)))
    with st.container(key="smart-city-milestones"), st.expander(label, icon=":material/event:"):
        st.caption(t("smart-city.ioc.lead"))
        if any(event.date_note for event in events):
            st.caption(t("smart-city.ioc.date_marker"))
        if not events:
            st.info(t("smart-city.ioc.none"), icon=":material/filter_alt_off:")
        text = _milestones_text(cat, i18n.lang(), tuple(event.id for event in events), state)
        if text:
            st.markdown(text)


@cache.shared(max_entries=64)
def _milestones_text(cat: catalog.Catalog, lang: str, ids: tuple[str, ...], state: url_state.ViewState) -> str:
    """The milestones as one Markdown element (the server sends each element as a message on every
    run), built once per data version, language, selection and link state; each milestone's
    sources line in small type, as a caption would be."""
    by_id = cat.by_id("events")
    blocks = []
    for event in (by_id[i] for i in ids if i in by_id):
        marker = " " + esc("(*)") if event.date_note else ""
        note = (f"{t('smart-city.ioc.date_note')} {esc(tx(event.date_note))} · " if event.date_note else "")
        link = f"[{t('smart-city.ioc.open_event')}]({links.view_href('timeline', state, event=event.id)})"
        blocks.append(f"**{fmt.date_range(event.date, event.end_date)}{marker}** · {esc(tx(event.title))}  \n"
                      f"{esc(tx(event.summary))}  \n"
                      f":small[{note}{citations.source_line(event.sources, cat)} · "
                      f"{t(f'confidence.{event.confidence}')} · {link}]")
    return "\n\n".join(blocks)


def metric_help(metric: schemas.Metric, cat: catalog.Catalog) -> str:
    """Everything needed to read a figure: definition, base, period, as-of, note, sources, confidence."""
    lines = [
        f"**{t('smart-city.card.definition')}:** {esc(tx(metric.definition))}",
        f"**{t('smart-city.card.denominator')}:** "
        + (esc(tx(metric.denominator)) if metric.denominator else t("smart-city.card.no_denominator")),
        f"**{t('smart-city.card.period')}:** {metrics.period_label(metric.period)}",
        f"**{t('smart-city.card.as_of')}:** {_as_of(metric)}",
    ]
    if metric.note:
        lines.append(f"**{t('smart-city.card.note')}:** {esc(tx(metric.note))}")
    lines += [citations.source_line(metric.sources, cat),
              t("confidence.label") + ": " + t(f"confidence.{metric.confidence}")]
    return "\n\n".join(lines)


def _as_of(metric: schemas.Metric) -> str:
    return fmt.date(metric.as_of) if metric.as_of else t("smart-city.card.as_of_unknown")


class Card(NamedTuple):
    """A KPI card's texts: full title (wraps), short metric label, value, help and caption."""

    title: str
    label: str
    value: str
    help: str
    caption: str


class ChartView(NamedTuple):
    """One chart's texts and data: the figure itself is cached separately by metric ids."""

    key: str
    title: str
    ids: tuple[str, ...]
    alt: str
    sources: str
    notes: tuple[str, ...]
    table: pa.Table  # Arrow, as st.dataframe sends it: converted once, not on every run


class DomainView(NamedTuple):
    cards: tuple[Card, ...]
    charts: tuple[ChartView, ...]
    table: pa.Table


def _card(metric: schemas.Metric, cat: catalog.Catalog, with_source: bool = False) -> Card:
    """Title, value and as-of on the card; definition, base, notes and sources behind its (?)."""
    label = f"{t(f'scope.{metric.entity}')} · {metrics.period_label(metric.period)}"
    # The first source on the card; every source is listed behind its (?).
    source = " · " + citations.source_line(metric.sources[:1], cat) if with_source else ""
    return Card(f"**{esc(tx(metric.label))}**", label, metrics.value_text(metric), metric_help(metric, cat),
                f"{t('smart-city.card.as_of')}: {_as_of(metric)}{source}")


def _chart_notes(records, left_out) -> tuple[str, ...]:
    """Why a value has its own definition, or why a value of this indicator is not on the chart."""
    notes = [t("smart-city.chart.other_definition", label=esc(tx(m.label)), definition=esc(tx(m.definition)))
             for m in records[1:] if m.definition.vi != records[0].definition.vi]
    notes += [t("smart-city.chart.left_out", label=esc(tx(m.label)), value=metrics.value_text(m))
              for m in left_out if m.indicator == records[0].indicator]
    return tuple(notes)


def _chart_view(group: metrics.ChartGroup, left_out, cat: catalog.Catalog, key: str) -> ChartView:
    records = list(group.records)
    title = metrics.indicator_title(tx(records[-1].label))
    entities = ", ".join(t(f"scope.{e}") for e in metrics.series(records))
    periods = f"{metrics.period_label(records[0].period)} – {metrics.period_label(records[-1].period)}"
    return ChartView(
        key, title, tuple(m.id for m in records),
        t("smart-city.chart.alt", title=title, entities=entities, periods=periods),
        citations.source_line(list(dict.fromkeys(s for m in records for s in m.sources)), cat),
        _chart_notes(records, left_out), widgets.arrow(_frame(records, cat, full=False)),
    )


def domain_view(domain: str, rows: list[schemas.Metric], cat: catalog.Catalog) -> DomainView:
    """Every text and table of a domain section, ready to draw (no Streamlit calls)."""
    groups, left_out = metrics.chart_groups(rows)
    charts = tuple(_chart_view(group, left_out, cat, f"smart-city.chart.{group.indicator}.{index}")
                   for index, group in enumerate(groups))
    cards = tuple(_card(m, cat) for m in metrics.latest(rows))
    return DomainView(cards, charts, widgets.arrow(_frame(rows, cat, full=True)))


@cache.shared(max_entries=64)
def _domain_view(cat: catalog.Catalog, lang: str, domain: str, ids: tuple[str, ...]) -> DomainView:
    """Shared by every session: the texts of a domain section per data version, language and filter."""
    by_id = cat.by_id("metrics")
    return domain_view(domain, [by_id[i] for i in ids], cat)


def chart_labels() -> dict[str, str]:
    """Translated strings the pure chart builder needs."""
    labels = {f"entity.{e}": t(f"scope.{e}") for e in metrics.ENTITIES}
    labels.update({f"y.{u}": t(f"smart-city.axis.{u}") for u in ("index", "count", "percent", "rank")})
    labels.update({"y.rank_of": t("smart-city.axis.rank_of"), "separators": t("smart-city.chart.separators")})
    return labels


@cache.shared(max_entries=64)
def _figure(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]):
    """Shared by every session: one figure per data version, language and set of metrics."""
    by_id = cat.by_id("metrics")
    return charts.freeze(charts_smart_city.metric_chart([by_id[i] for i in ids], chart_labels()))


def _frame(records, cat: catalog.Catalog, full: bool) -> pd.DataFrame:
    """Rows for a table alternative (full: with definition, base, note and confidence)."""
    publishers = {s.id: s.publisher for s in cat["sources"].records}
    rows = []
    for m in records:
        row = {t("smart-city.col.label"): tx(m.label), t("smart-city.col.entity"): t(f"scope.{m.entity}"),
               t("smart-city.col.period"): metrics.period_label(m.period),
               t("smart-city.col.value"): metrics.value_text(m), t("smart-city.col.as_of"): _as_of(m)}
        if full:
            row.update({t("smart-city.card.definition"): tx(m.definition),
                        t("smart-city.card.denominator"): tx(m.denominator) if m.denominator else "",
                        t("smart-city.card.note"): tx(m.note) if m.note else "",
                        t("confidence.label"): t(f"confidence.{m.confidence}")})
        row[t("common.sources")] = "; ".join(publishers.get(s, s) for s in m.sources)
        rows.append(row)
    return pd.DataFrame(rows)


def _cards(cards: tuple[Card, ...], per_row: int) -> None:
    """One card per figure in fixed columns, its definition behind the (?)."""
    for start in range(0, len(cards), per_row):
        row = cards[start:start + per_row]
        full = len(row) == per_row  # a full row's columns are the cards; a short row keeps empty places
        columns = st.columns(per_row, border=full)
        for column, card in zip(columns, row, strict=False):
            with column if full else column.container(border=True):
                _card_body(card)


def _card_body(card: Card) -> None:
    # The full title wraps in Markdown; st.metric would cut it, so its own label stays short.
    st.markdown(card.title)
    st.metric(card.label, card.value, help=card.help)
    st.caption(card.caption)


def _chart(chart: ChartView, cat: catalog.Catalog) -> None:
    """Title, chart, its source line right under it, notes on bases, and the same data as a table."""
    st.markdown(f"**{esc(chart.title)}**")
    fig = _figure(cat, i18n.lang(), chart.ids)
    widgets.plotly_chart(fig, key=chart.key, config=CHART_CONFIG, alt=chart.alt)
    st.caption(chart.sources)
    for note in chart.notes:
        st.caption(note)
    # The table is built only while its fold is open (opening it reruns the page).
    fold = st.expander(t("smart-city.chart.table"), icon=":material/table:", key=f"{chart.key}.table",
                       on_change="rerun")
    if fold.open:
        fold.dataframe(chart.table, hide_index=True)


def domain_section(domain: str, rows: list[schemas.Metric], cat: catalog.Catalog) -> None:
    """The open domain: its KPI cards, its charts side by side (one indicator on one base each), a table."""
    st.header(t(f"smart-city.domain.{domain}"), anchor=domain)
    if not rows:
        st.info(t("smart-city.no_metrics"), icon=":material/filter_alt_off:")
        return
    view = _domain_view(cat, i18n.lang(), domain, tuple(m.id for m in rows))
    with st.container(key="smart-city-cards"):
        _cards(view.cards, CARDS_PER_ROW)
    if view.charts:
        st.subheader(t("smart-city.charts"), anchor=False, help=t("smart-city.charts_rule"))
    for start in range(0, len(view.charts), CHARTS_PER_ROW):
        columns = st.columns(CHARTS_PER_ROW)
        for column, chart in zip(columns, view.charts[start:start + CHARTS_PER_ROW], strict=False):
            with column:
                _chart(chart, cat)
    with st.expander(t("smart-city.all_figures", count=fmt.number(len(rows))), icon=":material/table:"):
        st.dataframe(view.table, hide_index=True)

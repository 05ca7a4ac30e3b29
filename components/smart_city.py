"""Smart-city page pieces: domain and period filters, the IOC's dated profile, KPI cards and charts."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import pandas as pd
import streamlit as st

from components import charts, charts_smart_city, widgets
from core import catalog, fmt, i18n, metrics, schemas, url_state
from core.i18n import t, tx

IOC_LAUNCH = "ioc-launch-2023-08-14"
CARDS_PER_ROW = 3
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}
esc = widgets.escape_md


def filters(state: url_state.ViewState, span: tuple[int, int]) -> url_state.ViewState:
    """Domain pills and a from-year / to-year pair; years become the global from/to dates."""
    first, last = metrics.years_of(state.date_from, state.date_to, span)
    key = url_state.lang_key("smart-city.domain")
    url_state.seed(key, state.domain)
    url_state.seed("smart-city.year_from", first)
    url_state.seed("smart-city.year_to", last)
    names = {d: t(f"smart-city.domain.{d}") for d in metrics.DOMAINS}
    domains = st.pills(t("smart-city.filter.domain"), options=list(names), selection_mode="multi",
                       key=key, format_func=widgets.labels(names),
                       help=t("smart-city.filter.domain_help"), wrap=True)
    years = list(range(span[0], span[1] + 1))
    left, right = st.columns(2)
    year_from = left.selectbox(t("smart-city.filter.year_from"), years, key="smart-city.year_from")
    year_to = right.selectbox(t("smart-city.filter.year_to"), years, key="smart-city.year_to")
    date_from, date_to = metrics.dates_of(year_from, year_to, span, state.date_from, state.date_to)
    st.caption(t("smart-city.filter.period_help"))
    return dataclasses.replace(state, domain=widgets.known(domains, names), date_from=date_from, date_to=date_to)


def ioc_profile(events: list[schemas.Event], cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Smart-city milestones as a dated list; the IOC launch is open by default."""
    st.caption(t("smart-city.ioc.lead"))
    if any(event.date_note for event in events):
        st.caption(t("smart-city.ioc.date_marker"))
    if not events:
        st.info(t("smart-city.ioc.none"), icon=":material/filter_alt_off:")
    for event in events:
        marker = " " + esc("(*)") if event.date_note else ""
        label = f"{fmt.date_range(event.date, event.end_date)}{marker} · {esc(tx(event.title))}"
        star = ":material/star:" if event.id == IOC_LAUNCH else ":material/event:"
        with st.expander(label, expanded=event.id == IOC_LAUNCH, icon=star):
            st.markdown(esc(tx(event.summary)))
            note = (f"{t('smart-city.ioc.date_note')} {esc(tx(event.date_note))}  \n"
                    if event.date_note else "")
            sources = widgets.source_line(event.sources, cat)
            st.caption(f"{note}{sources} · {t(f'confidence.{event.confidence}')}")
            widgets.page_link("timeline", t("smart-city.ioc.open_event"), state, icon=":material/timeline:",
                              event=event.id)


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
    lines += [widgets.source_line(metric.sources, cat),
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
    table: pd.DataFrame


class DomainView(NamedTuple):
    cards: tuple[Card, ...]
    charts: tuple[ChartView, ...]
    table: pd.DataFrame


def _card(metric: schemas.Metric, cat: catalog.Catalog) -> Card:
    note = f"  \n{esc(tx(metric.note))}" if metric.note else ""
    label = f"{t(f'scope.{metric.entity}')} · {metrics.period_label(metric.period)}"
    return Card(f"**{esc(tx(metric.label))}**", label, metrics.value_text(metric), metric_help(metric, cat),
                f"{t('smart-city.card.as_of')}: {_as_of(metric)}{note}")


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
        widgets.source_line(list(dict.fromkeys(s for m in records for s in m.sources)), cat),
        _chart_notes(records, left_out), _frame(records, cat, full=False),
    )


def domain_view(domain: str, rows: list[schemas.Metric], cat: catalog.Catalog) -> DomainView:
    """Every text and table of a domain section, ready to draw (no Streamlit calls)."""
    groups, left_out = metrics.chart_groups(rows)
    charts = tuple(_chart_view(group, left_out, cat, f"smart-city.chart.{group.indicator}.{index}")
                   for index, group in enumerate(groups))
    cards = tuple(_card(m, cat) for m in metrics.latest(rows))
    return DomainView(cards, charts, _frame(rows, cat, full=True))


@st.cache_resource(show_spinner=False, max_entries=64)
def _domain_view(stamp: str, lang: str, domain: str, ids: tuple[str, ...]) -> DomainView:
    """Shared by every session: the texts of a domain section per data version, language and filter."""
    by_id = {m.id: m for m in catalog.get()["metrics"].records}
    return domain_view(domain, [by_id[i] for i in ids], catalog.get())


def chart_labels() -> dict[str, str]:
    """Translated strings the pure chart builder needs."""
    labels = {f"entity.{e}": t(f"scope.{e}") for e in metrics.ENTITIES}
    labels.update({f"y.{u}": t(f"smart-city.axis.{u}") for u in ("index", "count", "percent", "rank")})
    labels.update({"y.rank_of": t("smart-city.axis.rank_of"), "separators": t("smart-city.chart.separators")})
    return labels


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(stamp: str, lang: str, ids: tuple[str, ...]):
    """Shared by every session: one figure per data version, language and set of metrics."""
    by_id = {m.id: m for m in catalog.get()["metrics"].records}
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


def _cards(cards: tuple[Card, ...]) -> None:
    """One card per indicator and entity: its latest value, with the definition behind the (?)."""
    for start in range(0, len(cards), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, card in zip(columns, cards[start:start + CARDS_PER_ROW], strict=False):
            with column.container(border=True):
                # The full title wraps in Markdown; st.metric would cut it, so its own label stays short.
                st.markdown(card.title)
                st.metric(card.label, card.value, help=card.help)
                st.caption(card.caption)


def _chart(chart: ChartView, cat: catalog.Catalog) -> None:
    """Title, chart, its source line right under it, notes on bases, and the same data as a table."""
    st.markdown(f"**{esc(chart.title)}**")
    fig = _figure(cat.stamp, i18n.lang(), chart.ids)
    st.plotly_chart(fig, key=chart.key, config=CHART_CONFIG, alt=chart.alt)
    st.caption(chart.sources)
    for note in chart.notes:
        st.caption(note)
    with st.expander(t("smart-city.chart.table"), icon=":material/table:"):
        st.dataframe(chart.table, hide_index=True)


def domain_section(domain: str, rows: list[schemas.Metric], cat: catalog.Catalog) -> None:
    """A domain's KPI cards, its charts (one indicator on one base each) and all its figures."""
    view = _domain_view(cat.stamp, i18n.lang(), domain, tuple(m.id for m in rows))
    st.header(t(f"smart-city.domain.{domain}"), anchor=domain)
    _cards(view.cards)
    if view.charts:
        st.subheader(t("smart-city.charts"), anchor=False)
        st.caption(t("smart-city.charts_rule"))
    for chart in view.charts:
        _chart(chart, cat)
    with st.expander(t("smart-city.all_figures", count=fmt.number(len(rows))), icon=":material/table:"):
        st.dataframe(view.table, hide_index=True)

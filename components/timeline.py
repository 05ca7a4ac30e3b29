"""Timeline page pieces: URL-bound filters, chart and table views, CSV export, event picker and detail."""

from __future__ import annotations

import dataclasses
import functools

import pyarrow as pa
import streamlit as st

from components import cache, charts, charts_timeline, citations, focus, period, url_session, widgets
from core import catalog, cite, fmt, i18n, schemas, timeline, transform, url_state
from core.i18n import t, tx

DATE_KEYS = ("timeline.from", "timeline.to")  # the period selects (components/period.py)
TABLE_COLUMNS = ("date", "end_date", "title", "topics", "document", "actors", "place", "confidence",
                 "source_url")
# Axes are fixed (the period comes from the date filter, which is in the link), so the mode bar
# would only offer buttons that do nothing.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


@cache.shared(max_entries=64)
def _figure(cat: catalog.Catalog, lang: str, ids: tuple[str, ...], topics: tuple[str, ...], selected: str):
    return charts.freeze(
        charts_timeline.timeline_figure(_records(cat, ids), _topic_labels(), _line_label(), topics, selected))


@cache.shared(max_entries=64)
def _frame(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]):
    urls = {s.id: s.url for s in cat["sources"].records}
    return timeline.events_frame(_records(cat, ids), lang, urls)


@cache.shared(max_entries=64)
def _csv(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]) -> bytes:
    """The download's bytes, made once per filter result and language (a page run only hands
    them to the button; rebuilding them on every run cost as much as the rest of the toolbar)."""
    headers = {c: t(f"timeline.col.{c}") for c in timeline.COLUMNS}
    return timeline.csv_bytes(_frame(cat, lang, ids), headers)


@cache.shared(max_entries=64)
def _table(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]) -> tuple[pa.Table, list[str]]:
    """The table's columns as Arrow (what st.dataframe sends), and the event id of each row."""
    frame = _frame(cat, lang, ids)
    columns = [c for c in TABLE_COLUMNS if c != "end_date" or frame["end_date"].notna().any()]
    return widgets.arrow(frame[columns]), list(frame["id"])


@cache.shared(max_entries=4)
def _table_config(lang: str) -> dict:
    config = {c: t(f"timeline.col.{c}") for c in TABLE_COLUMNS}
    config.update(title=st.column_config.TextColumn(t("timeline.col.title"), width="large"),
                  date=st.column_config.DateColumn(t("timeline.col.date"), format="DD/MM/YYYY"),
                  end_date=st.column_config.DateColumn(t("timeline.col.end_date"), format="DD/MM/YYYY"),
                  source_url=st.column_config.LinkColumn(t("timeline.col.source_url"),
                                                         display_text=t("timeline.col.open_link")))
    return config


@cache.shared(max_entries=256)
def _filtered(cat: catalog.Catalog, topic: tuple[str, ...], q: str, date_from, date_to
              ) -> tuple[tuple[schemas.Event, ...], dict[str, int]]:
    """The events a filter shows (date order) and each topic's count under the other filters."""
    state = url_state.ViewState(topic=topic, q=q, date_from=date_from, date_to=date_to)
    events = cat["events"].records
    return tuple(timeline.filter_events(events, state)), timeline.topic_counts(events, state)


def shown_events(cat: catalog.Catalog, state: url_state.ViewState) -> list[schemas.Event]:
    """The events the view's filters show, in date order."""
    return list(_filtered(cat, state.topic, state.q, state.date_from, state.date_to)[0])


def _records(cat: catalog.Catalog, ids: tuple[str, ...]) -> list[schemas.Event]:
    by_id = cat.by_id("events")
    return [by_id[i] for i in ids if i in by_id]


def _topic_labels() -> dict[str, str]:
    return {topic: t(f"topic.{topic}") for topic in schemas.TOPICS}


def _line_label() -> str:
    return t("timeline.chart.two_tier", date=fmt.date(timeline.TWO_TIER_START))


def _widget(key: str):
    """A widget's current value, read inside its own callback (writes go through url_state)."""
    return url_session.widget_value(key)


def _on_preset() -> None:
    dates = timeline.preset_dates(_widget("timeline.preset"))
    if dates is None:  # the active pill was clicked off: keep the dates, show what they are
        url_session.set_widget("timeline.preset", timeline.preset_of(*period.dates(DATE_KEYS)))
        return
    period.set_dates(DATE_KEYS, *dates)


def _on_dates() -> None:
    """After a month was chosen (and a wrong order swapped): light the pill the dates match."""
    url_session.set_widget("timeline.preset", timeline.preset_of(*period.dates(DATE_KEYS)))


def reset_filters() -> None:
    """Clear topic, dates and search (the selected event stays open)."""
    for key, value in (("timeline.topic", []), ("timeline.q", ""), ("timeline.preset", "all")):
        url_session.set_widget(key, value)
    period.set_dates(DATE_KEYS, None, None)


def _open(event_id: str) -> None:
    url_session.set_widget("timeline.event", event_id)


def _on_chart_select() -> None:
    chosen = charts_timeline.selected_event(_widget("timeline.chart"))
    if chosen:
        _open(chosen)


def _on_table_select(ids: list[str]) -> None:
    rows = ((_widget("timeline.table") or {}).get("selection") or {}).get("rows") or []
    if rows and rows[0] < len(ids):
        _open(ids[rows[0]])


def _date_filters(state: url_state.ViewState) -> url_state.ViewState:
    """Preset pills and two month selects; a pill sets the months, chosen months light the matching pill."""
    key = url_session.lang_key("timeline.preset")
    url_session.seed(key, timeline.preset_of(state.date_from, state.date_to))
    cut = fmt.date(timeline.TWO_TIER_START)
    names = {p: t(f"timeline.preset.{p}", date=cut) for p in timeline.PRESETS}
    pills, start, end = st.columns([2, 1, 1], vertical_alignment="top")
    pills.pills(t("timeline.filter.period"), options=list(names), key=key,
                format_func=widgets.labels(names), on_change=_on_preset)
    date_from, date_to = period.month_selects(state, DATE_KEYS, (t("timeline.filter.from"), t("timeline.filter.to")),
                                              (start, end), on_change=_on_dates)
    return dataclasses.replace(state, date_from=date_from, date_to=date_to)


def filters(state: url_state.ViewState, cat: catalog.Catalog) -> url_state.ViewState:
    """Topic, search and dates; topic options count events under the other filters."""
    key = url_session.lang_key("timeline.topic")
    url_session.seed("timeline.q", state.q)
    url_session.seed(key, state.topic)
    topic_col, search_col = st.columns([3, 2], vertical_alignment="bottom")
    q = search_col.text_input(t("timeline.filter.search"), key="timeline.q", max_chars=url_state.MAX_Q,
                              placeholder=t("timeline.filter.search_hint"), type="search")
    state = _date_filters(dataclasses.replace(state, q=(q or "").strip()))
    counts = _filtered(cat, (), state.q, state.date_from, state.date_to)[1]
    names = _topic_labels()
    topics = topic_col.multiselect(t("timeline.filter.topic"), options=list(names), key=key,
                                   format_func=widgets.labels(names), placeholder=t("timeline.filter.topic_all"),
                                   select_all=False)  # Streamlit's "Select all" is English only
    # Counts change with the other filters, so they sit beside the options, not in their labels.
    topic_col.caption(" · ".join(t("timeline.topic_option", label=names[s], count=fmt.number(counts[s]))
                                 for s in schemas.TOPICS))
    return dataclasses.replace(state, topic=widgets.known(topics, schemas.TOPICS))


def toolbar(state: url_state.ViewState, shown: list[schemas.Event], cat: catalog.Catalog) -> url_state.ViewState:
    """View switch (chart/table), how many events match, a reset when filtered, and the CSV."""
    key = url_session.lang_key("timeline.tab")
    url_session.seed(key, state.tab)
    switch, count, reset, save = st.columns([2, 2, 2, 3], vertical_alignment="center")
    names = {v: t(f"timeline.view.{v}") for v in ("chart", "table")}
    tab = switch.segmented_control(t("timeline.view"), options=list(names), key=key,
                                   format_func=widgets.labels(names), required=True,
                                   label_visibility="collapsed")
    count.markdown(t("timeline.count", shown=fmt.number(len(shown)), total=fmt.number(len(cat["events"].records))))
    if shown and timeline.is_filtered(state):  # the empty state has its own, bigger reset
        reset.button(t("timeline.reset"), on_click=reset_filters, icon=":material/filter_alt_off:",
                     key="timeline.reset_top")
    if shown:
        with save:
            download(state, shown, cat)
    return dataclasses.replace(state, tab=tab if tab in names else "chart")


def empty_state() -> None:
    st.info(t("timeline.empty"), icon=":material/search_off:")
    st.button(t("timeline.reset"), on_click=reset_filters, type="primary", icon=":material/filter_alt_off:",
              key="timeline.reset_empty")


def _ids(shown: list[schemas.Event]) -> tuple[str, ...]:
    return tuple(e.id for e in shown)


def chart(state: url_state.ViewState, shown: list[schemas.Event], cat: catalog.Catalog) -> None:
    fig = _figure(cat, i18n.lang(), _ids(shown), state.topic, state.event)
    widgets.plotly_chart(fig, key="timeline.chart", on_select=_on_chart_select, selection_mode="points",
                    config=CHART_CONFIG, alt=t("timeline.chart.alt", count=fmt.number(len(shown))))
    st.caption(t("timeline.chart.help"))


def table(shown: list[schemas.Event], cat: catalog.Catalog) -> None:
    lang = i18n.lang()
    data, ids = _table(cat, lang, _ids(shown))
    st.dataframe(data, hide_index=True, column_config=_table_config(lang), key="timeline.table", placeholder="—",
                 on_select=functools.partial(_on_table_select, ids), selection_mode="single-row")


def download(state: url_state.ViewState, shown: list[schemas.Event], cat: catalog.Catalog) -> None:
    """Exactly the filtered events as CSV (UTF-8 with BOM), named after the filter."""
    st.download_button(t("timeline.download"), data=_csv(cat, i18n.lang(), _ids(shown)),
                       file_name=timeline.file_name(state), mime="text/csv", on_click="ignore",
                       icon=":material/download:", key="timeline.download")


@cache.shared(max_entries=64)
def _sources(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]) -> tuple[int, str]:
    """How many sources the shown events cite, and all of them as one Markdown list (the same
    lines as citations.sources_expander draws)."""
    ids = transform.cited_sources(_records(cat, ids))
    by_id = cat.by_id("sources")
    lines = [f"- {citations.source_name(src, src.title)} — {widgets.escape_md(cite.publisher_text(src))}, "
             f"{cite.published_text(src)} · {t('confidence.' + src.confidence)}"
             for src in (by_id[i] for i in dict.fromkeys(ids) if i in by_id)]
    return len(ids), "\n".join(lines)


def sources_note(shown: list[schemas.Event], cat: catalog.Catalog) -> None:
    count, text = _sources(cat, i18n.lang(), _ids(shown))
    st.caption(t("timeline.sources_line", count=fmt.number(count)))
    with st.expander(t("common.sources")):
        if text:
            st.markdown(text)


# Option labels are worked out in the run's language (once per data version and language), not in
# the format function: it can also be called outside the run (AppTest), where another language
# may be active.
@cache.shared(max_entries=8)
def _picker_names(cat: catalog.Catalog, lang: str) -> dict[str, str]:
    names = {"": t("timeline.picker.none")}
    names.update((e.id, f"{fmt.date_range(e.date, e.end_date)} · {tx(e.title)}") for e in cat["events"].records)
    return names


def picker(state: url_state.ViewState, shown: list[schemas.Event], cat: catalog.Catalog
           ) -> url_state.ViewState:
    """'Open an event' list of the shown events (plus the open one, even when filtered out)."""
    options = ["", *_ids(shown)]
    if state.event and state.event not in options:
        options.append(state.event)
    key = url_session.lang_key("timeline.event")
    url_session.seed(key, state.event)
    if _widget(key) not in options:  # e.g. the open event vanished from the data
        url_session.set_widget(key, "")
    names = _picker_names(cat, i18n.lang())
    chosen = st.selectbox(t("timeline.picker"), options, key=key,
                          format_func=widgets.labels(names, t("timeline.picker.none")),
                          placeholder=t("timeline.picker.none"))
    return dataclasses.replace(state, event=chosen if chosen in options else "")


def _source_item(src: schemas.Source) -> str:
    when = cite.published_text(src)
    return (f"- [{widgets.escape_md(src.title)}]({src.url}) — {widgets.escape_md(cite.publisher_text(src))}, "
            f"{widgets.escape_md(when)} · {t('timeline.kind.' + src.kind)} · {t('confidence.' + src.confidence)}")


def _facts(event: schemas.Event) -> list[str]:
    rows = [(t("timeline.detail.topics"), ", ".join(t(f"topic.{s}") for s in event.topics)),
            (t("timeline.detail.actors"), "; ".join(tx(actor) for actor in event.actors)),
            (t("timeline.detail.place"), tx(event.place)),
            (t("timeline.detail.document"), tx(event.document))]
    confidence = t(f"confidence.{event.confidence}")
    return ([f"- **{label}:** {widgets.escape_md(value)}" for label, value in rows if value]
            + [f"- {confidence[:1].upper()}{confidence[1:]}"])


def _step_buttons(event: schemas.Event, shown: list[schemas.Event]) -> None:
    """Previous / next among the shown events (the instructor walks the class through them), close."""
    ids = _ids(shown)
    index = ids.index(event.id) if event.id in ids else None
    # One row on every screen (columns would stack on a phone and push the title down).
    row = st.container(horizontal=True, gap="small")
    prev, nxt, close = row, row, row
    prev.button(t("timeline.detail.prev"), icon=":material/arrow_back:", key="timeline.prev",
                disabled=not index, on_click=_open, args=(ids[index - 1] if index else "",))
    last = index is None or index == len(ids) - 1
    nxt.button(t("timeline.detail.next"), icon=":material/arrow_forward:", key="timeline.next",
               disabled=last, on_click=_open, args=("" if last else ids[index + 1],))
    close.button(t("timeline.detail.close"), icon=":material/close:", key="timeline.close",
                 on_click=_open, args=("",))


def detail(event: schemas.Event, shown: list[schemas.Event], cat: catalog.Catalog) -> None:
    """Everything about one event: date, summary, topics, actors, document and every source."""
    by_id = cat.by_id("sources")
    with focus.subject("timeline-detail", border=True):
        # Previous/next first: after a step the new title appears right below the buttons.
        _step_buttons(event, shown)
        st.subheader(widgets.escape_md(tx(event.title)), anchor="event-detail")
        when = fmt.date_range(event.date, event.end_date)
        st.caption(widgets.escape_md(when + (f" — {tx(event.date_note)}" if event.date_note else "")))
        if event.id not in _ids(shown):
            st.warning(t("timeline.detail.outside"), icon=":material/filter_alt:")
        st.markdown(widgets.escape_md(tx(event.summary)))
        st.markdown("\n".join(_facts(event)))
        st.markdown(f"**{t('common.sources')}**")
        st.markdown("\n".join(_source_item(by_id[s]) for s in event.sources if s in by_id))


def start_hint(shown: list[schemas.Event]) -> None:
    """With no event open: how to open one, and a button to walk through them from the first."""
    st.caption(t("timeline.picker.hint"))
    if shown:
        st.button(t("timeline.picker.first"), icon=":material/play_arrow:", key="timeline.first",
                  on_click=_open, args=(shown[0].id,))


def _list_item(event: schemas.Event, sources: dict[str, schemas.Source], is_open: bool) -> str:
    """'**16/6/2025** · Title — Topic · Publisher (date)' for the readable event list."""
    when = fmt.date_range(event.date, event.end_date)
    topics = ", ".join(t(f"topic.{s}") for s in event.topics)
    first = sources.get(event.sources[0]) if event.sources else None
    source = f" · {widgets.escape_md(first.publisher)}" if first else ""
    title = widgets.escape_md(tx(event.title))
    marker = ":material/arrow_right: " if is_open else ""
    return f"- {marker}**{widgets.escape_md(when)}** · {'**' + title + '**' if is_open else title} — {topics}{source}"


@cache.shared(max_entries=64)
def _list_text(cat: catalog.Catalog, lang: str, ids: tuple[str, ...], selected: str) -> str:
    sources = cat.by_id("sources")
    return "\n".join(_list_item(e, sources, e.id == selected) for e in _records(cat, ids))


def event_list(shown: list[schemas.Event], state: url_state.ViewState, cat: catalog.Catalog) -> None:
    """The shown events as text, in chart order (date), so a shared link reads without a click."""
    st.markdown(f"**{t('timeline.list.title', count=fmt.number(len(shown)))}**")
    with st.container(key="timeline-list"):
        st.markdown(_list_text(cat, i18n.lang(), _ids(shown), state.event))


def keep_in_view(event: schemas.Event) -> None:
    """The open event's title in view, wherever the page was scrolled (a phone, after Previous/Next)."""
    focus.keep_in_view("timeline-detail", event.id, always=True)

"""Field-trip page pieces: filters, trip cards, and one trip's programme, themes, gaps and prompts."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import cache, citations, links, period, url_session, widgets
from core import catalog, cite, fmt, i18n, schemas, trips, url_state
from core.i18n import t, tn, tx

DATE_KEYS = ("training.date_from", "training.date_to")  # the period selects (components/period.py)
esc = widgets.escape_md


def filters(state: url_state.ViewState, records: list[schemas.Trip]) -> url_state.ViewState:
    """Institution, theme and date filters bound to the URL (values are slugs and ISO dates)."""
    names = trips.institutions(records)
    keys = {field: url_session.lang_key(f"training.{field}") for field in ("institution", "theme")}
    for key, value in ((keys["institution"], state.institution), (keys["theme"], state.theme)):
        url_session.seed(key, value)
    left, right = st.columns([2, 3])
    institution = left.selectbox(t("training.filter.institution"), options=["", *names],
                                 key=keys["institution"], placeholder=t("training.filter.institution_all"),
                                 format_func=widgets.labels({"": t("training.filter.institution_all"), **names}))
    theme_names = {k: t(f"training.theme.{k}") for k in trips.THEME_KINDS}
    themes = right.pills(t("training.filter.theme"), options=list(theme_names), key=keys["theme"],
                         selection_mode="multi", format_func=widgets.labels(theme_names), wrap=True,
                         help=t("training.filter.theme_help"))
    start, end = st.columns(2)
    date_from, date_to = period.month_selects(state, DATE_KEYS, (t("training.filter.from"), t("training.filter.to")),
                                              (start, end))
    return dataclasses.replace(state, institution=institution if institution in names else "",
                               theme=widgets.known(themes, theme_names), date_from=date_from, date_to=date_to)


def _date_text(trip: schemas.Trip) -> str:
    return fmt.date_range(*trips.dates_of(trip))


def _list_params(state: url_state.ViewState) -> dict[str, str]:
    """The list filters, carried into a trip's link so 'back to the list' restores them."""
    return {"institution": state.institution, "theme": ",".join(state.theme)}


def trip_cards(shown: list[schemas.Trip], total: int, state: url_state.ViewState) -> None:
    """One card per trip: class, institution, date, place, themes and a one-click link to it."""
    st.caption(tn("training.count", total, shown=fmt.number(len(shown)), total=fmt.number(total)))
    if not shown:
        st.info(t("training.no_match"), icon=":material/filter_alt_off:")
    for trip in shown:
        with st.container(border=True):
            st.subheader(esc(tx(trip.class_name)))
            st.markdown(f"{esc(tx(trip.institution))} · **{_date_text(trip)}**"
                        + (f" · {t('training.date_noted')}" if trip.date_note else ""))
            st.caption(esc(tx(trip.place)))
            # The theme badges in one element (what st.badge writes, one element per theme).
            badges = " ".join(":gray-badge[{}]".format(t(f"training.theme.{kind}").replace("[", "\\[")
                                                       .replace("]", "\\]")) for kind in trips.theme_kinds(trip))
            if badges:
                st.markdown(badges)
            links.view_link("training", t("training.open_trip"), state, icon=":material/open_in_new:",
                              trip=trip.id, **_list_params(state))


def trip_view(trip: schemas.Trip, cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Everything the record says about one trip, and what its source does not say."""
    links.view_link("training", t("training.back"), state, icon=":material/arrow_back:",
                      **_list_params(state))
    _header(trip)
    _people(trip, cat)
    programme_col, themes_col = st.columns([3, 2], gap="large")
    with programme_col:
        _programme(trip, state)
    with themes_col:
        _themes(trip)
    _prompts(trip)
    _gaps(trip)
    _related(trip, cat, state)
    _media(trip)
    source_list(trip.sources, cat)


def _header(trip: schemas.Trip) -> None:
    st.header(esc(tx(trip.class_name)))
    st.markdown(f"**{t('training.institution')}:** {esc(tx(trip.institution))}  \n"
                f"**{t('training.date')}:** {_date_text(trip)}")
    if trip.date_note:
        st.warning(f"**{t('training.date_note')}** {esc(tx(trip.date_note))}", icon=":material/event_busy:")
    st.markdown(f"**{t('training.place')}:** {esc(tx(trip.place))}  \n"
                f"**{t('training.purpose')}:** {esc(tx(trip.purpose))}")


def _people(trip: schemas.Trip, cat: catalog.Catalog) -> None:
    st.subheader(t("training.people"))
    if not trip.people:
        st.caption(t("training.people_none"))
        return
    st.table(_people_table(cat, i18n.lang(), trip.id), hide_index=True)


@cache.shared(max_entries=32)
def _people_table(cat: catalog.Catalog, lang: str, trip_id: str) -> pa.Table:
    """The trip's people as Arrow (what st.table sends), made once per data version and language."""
    trip = next(trip for trip in cat["trips"].records if trip.id == trip_id)
    rows = [{t("training.people.role"): tx(p.role),
             t("training.people.name"): p.name or t("training.name_unknown"),
             t("training.people.side"): t(f"training.side.{p.side}")} for p in trips.people_by_side(trip)]
    return widgets.arrow(pd.DataFrame(rows))


def _programme(trip: schemas.Trip, state: url_state.ViewState) -> None:
    """A numbered vertical list: the source gives the order of items, not their times."""
    st.subheader(t("training.programme"))
    st.caption(t("training.programme_order_only"))
    for item in trips.programme(trip):
        with st.container(border=True):
            # Title, kind (in small type, as a caption) and summary: one element, three paragraphs.
            kind = t(f"training.kind.{item.kind}") + (f" · {t('training.speaker')}: {esc(item.speaker)}"
                                                       if item.speaker else "")
            st.markdown(f"{trips.PROGRAMME_ICONS[item.kind]} **{item.order}. {esc(tx(item.title))}**\n\n"
                        f":small[{kind}]\n\n{esc(tx(item.summary))}")
            if item.related_page:
                extra = {"domain": "ioc"} if item.related_page == "smart-city" else {}
                links.view_link(item.related_page, t(f"training.related_page.{item.related_page}"), state,
                                  icon=":material/arrow_forward:", **extra)


def _themes(trip: schemas.Trip) -> None:
    st.subheader(t("training.themes"))
    st.caption(t("training.themes_paraphrased"))
    for kind, themes in trips.themes_by_kind(trip).items():
        heading = f"**{t(f'training.theme.{kind}')}**\n\n"  # with the first summary: one element
        for theme in themes:
            st.markdown(heading + esc(tx(theme.summary)))
            heading = ""
            if not theme.detail_known:
                st.caption(":material/visibility_off: " + t("training.detail_unknown"))


def _prompts(trip: schemas.Trip) -> None:
    """Discussion prompts in a box of their own: questions for class, not facts."""
    if not trip.prompts:
        return
    with st.container(border=True, key="training-prompts"):
        st.badge(t("training.prompts_badge"), icon=":material/lightbulb:", color="violet")
        st.subheader(t("training.prompts"), anchor=False)
        st.caption(t("training.prompts_note"))
        st.markdown("\n".join(f"{i}. {esc(tx(p))}" for i, p in enumerate(trip.prompts, start=1)))


def _gaps(trip: schemas.Trip) -> None:
    st.subheader(t("training.gaps"))
    if trip.gaps:
        st.markdown("\n".join(f"- {esc(tx(g))}" for g in trip.gaps))
    else:
        st.caption(t("training.gaps_none"))


def _related(trip: schemas.Trip, cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Legal documents named by the trip, and its events as links to the timeline."""
    if trip.documents:
        st.subheader(t("training.documents"))
        st.markdown("\n".join(f"- {esc(tx(d))}" for d in trip.documents))
    events = cat.by_id("events")
    related = [events[i] for i in trip.related_events if i in events]
    if related:
        st.subheader(t("training.related_events"))
        for event in sorted(related, key=lambda e: e.date):
            # The title as text (it wraps on a phone); a link label would be cut to one line.
            st.markdown(f"**{fmt.date(event.date)}** · {esc(tx(event.title))}")
            links.view_link("timeline", t("training.open_event"), state, icon=":material/timeline:",
                              event=event.id)


def _media(trip: schemas.Trip) -> None:
    for item in trip.media:
        credit = t("training.media_credit", credit=item.credit, license=item.license)
        st.image(item.url, caption=f"{tx(item.caption)} — {credit}")


def _source_item(src: schemas.Source) -> str:
    """One source as Markdown; a source whose address is unknown is named without a link."""
    title = citations.source_name(src, src.title)
    when = cite.published_text(src)
    line = f"- {title} — {esc(cite.publisher_text(src))}, {esc(when)} · {t('confidence.' + src.confidence)}"
    return line + (f"  \n  {t('training.source_notes')}: {esc(tx(src.notes))}" if src.notes else "")


def source_list(source_ids, cat: catalog.Catalog, expanded: bool = True) -> None:
    """Every cited source with publisher, date, confidence, link (when known) and notes."""
    by_id = cat.by_id("sources")
    with st.expander(t("common.sources"), expanded=expanded, icon=":material/menu_book:"):
        st.markdown("\n".join(_source_item(by_id[i]) for i in dict.fromkeys(source_ids) if i in by_id))


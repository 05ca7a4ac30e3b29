"""Country page pieces: national lookup, the 34-province table, charts and the offline map."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import charts, charts_country, widgets
from core import catalog, fmt, i18n, national, national_data, url_state
from core.i18n import t

LOOKUP_SOURCES = ("vietnamadminunits-national-2025", "nq-1654-1687-ubtvqh15-texts")
TABLE_SOURCES = ("vietnamadminunits-national-2025", "nq-202-2025-qh15")
CHECKED_SOURCES = ("nq-1654-ubtvqh15-text", "nq-1656-ubtvqh15-text", "nq-1659-ubtvqh15-text",
                   "nq-1687-ubtvqh15-text")
MAP_SOURCES = national.MAP_SOURCES
CONFIG = {"displaylogo": False, "scrollZoom": False}
TABLE_COLUMNS = ("name", "old_provinces", "area_km2", "population", "communes_before",
                 "communes_after", "reduction_pct")


@dataclass(frozen=True)
class Bundle:
    data: national_data.NationalData
    index: national.Index
    frame: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=4)
def bundle(stamp: str) -> Bundle:
    """The national set, loaded and indexed once per data version (only this page needs it)."""
    units = catalog.get()["mapping"].records
    data = national_data.build(catalog.get().root, units_mapping=units)
    made = Bundle(data, national.build_index(data), national.province_frame(data))
    catalog.settle()
    return made


@st.cache_resource(show_spinner=False, max_entries=8)
def map_figure(stamp: str, lang: str):
    b = bundle(stamp)
    labels = {"highlight": t("country.map.highlight"), "other": t("country.map.other"),
              "units": t("country.col.units")}
    return charts.freeze(charts_country.province_map(b.data.boundaries, b.frame, labels))


def lead(b: Bundle) -> str:
    """The page's opening line, with every count taken from the data."""
    return t("country.lead", old_provinces=len(b.data["old_provinces"]), provinces=len(b.frame),
             old=fmt.number(len(b.index.old)), new=fmt.number(len(b.data["new_communes"])))


def problems(b: Bundle) -> None:
    """Name every problem of the national files (the page keeps what is intact)."""
    if b.data.problems:
        st.warning(t("country.data_problem", count=len(b.data.problems)), icon=":material/warning:")
        with st.expander(t("frame.data_problem_details")):
            st.code("\n".join(str(p) for p in b.data.problems[:200]), language=None, wrap_lines=True)


def lookup_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    """One search box for an old commune, an address or an old province."""
    st.header(t("country.lookup.header"))
    url_state.seed("country.q", state.q)
    query = st.text_input(t("country.lookup.label"), key="country.q", type="search",
                          max_chars=url_state.MAX_Q, placeholder=t("country.lookup.placeholder"),
                          help=t("country.lookup.help"))
    state = dataclasses.replace(state, q=(query or "").strip())
    if state.q:
        show_answer(national.lookup(b.index, state.q), state)
        st.caption(widgets.source_line(LOOKUP_SOURCES, cat))
    return state


def show_answer(answer: national.Answer, state: url_state.ViewState) -> None:
    for hit in answer.provinces:
        partners = ", ".join(hit.partners) or t("country.lookup.alone")
        st.success(t("country.lookup.province", old=hit.old_name, new=hit.new_name, partners=partners),
                   icon=":material/map:")
    if not answer.communes and not answer.provinces:
        st.info(t("country.lookup.none"), icon=":material/search_off:")
        return
    if answer.ambiguous:
        groups = national.by_province(answer.communes)
        key = "country.lookup.ambiguous" if answer.exact else "country.lookup.partial"
        st.markdown(t(key, count=len(answer.communes), provinces=len(groups)))
        st.dataframe(candidates_frame(answer.communes), hide_index=True, width="stretch")
        return
    for unit in answer.communes:
        commune_card(unit, state, answer.parsed)


def commune_card(unit: national.OldCommune, state: url_state.ViewState, parsed: bool) -> None:
    with st.container(border=True):
        st.markdown(t("country.lookup.old", name=widgets.escape_md(unit.full_name),
                      district=widgets.escape_md(unit.district), province=widgets.escape_md(unit.province)))
        st.markdown(f"**{t('country.status.' + unit.status)}**")
        for new in unit.successors:
            st.markdown(f"- {widgets.escape_md(new.name)}, {widgets.escape_md(new.province)}")
        if unit.status == "split":
            st.warning(t("country.lookup.split", count=len(unit.successors)), icon=":material/call_split:")
        if parsed:
            st.caption(t("country.lookup.parsed"))
        if unit.in_danang:
            widgets.page_link("merger", t("country.lookup.merger_link"), state, icon=":material/merge:",
                              q=unit.name)


def candidates_frame(communes) -> pd.DataFrame:
    return pd.DataFrame([{
        t("country.col.old_province"): u.province, t("country.col.district"): u.district,
        t("country.col.old_commune"): u.full_name,
        t("country.col.new_commune"): "; ".join(s.name for s in u.successors),
        t("country.col.new_province"): "; ".join(dict.fromkeys(s.province for s in u.successors)),
        t("country.col.status"): t("country.status." + u.status),
    } for u in communes])


def _column_config() -> dict:
    number = st.column_config.NumberColumn
    return {
        "name": st.column_config.TextColumn(t("country.col.province")),
        "old_provinces": st.column_config.TextColumn(t("country.col.old_provinces")),
        "area_km2": number(t("country.col.area"), format="localized"),
        "population": number(t("country.col.population"), format="localized"),
        "communes_before": number(t("country.col.before")),
        "communes_after": number(t("country.col.after")),
        "reduction_pct": number(t("country.col.reduction"), format="%.1f %%"),
    }


def table_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    """The 34 provinces: filter box, sortable table with Đà Nẵng highlighted, CSV download."""
    st.header(t("country.table.header"))
    danang = b.frame[b.frame.code == charts_country.HIGHLIGHT]
    if not danang.empty:
        row = danang.iloc[0]
        rank = int((b.frame.area_km2 > row.area_km2).sum()) + 1
        cities = b.frame[b.frame.name.str.startswith("Thành phố")]
        city_rank = int((cities.area_km2 > row.area_km2).sum()) + 1
        st.markdown(t("country.table.danang", area=fmt.number(row.area_km2, 2), rank=rank,
                      city_rank=city_rank, cities=len(cities),
                      before=row.communes_before, after=row.communes_after,
                      reduction=fmt.number(row.reduction_pct, 1)))
    url_state.seed("country.filter", state.filter)
    query = st.text_input(t("country.table.filter"), key="country.filter", max_chars=url_state.MAX_FILTER)
    state = dataclasses.replace(state, filter=(query or "").strip())  # kept in the link as `filter`
    shown = national.filter_provinces(b.frame, state.filter)
    st.caption(t("country.table.count", shown=len(shown), total=len(b.frame)))
    styled = shown[list(TABLE_COLUMNS)].style.apply(
        lambda r: ["background-color: #fde3cf; font-weight: 600" if shown.loc[r.name, "code"] == "48" else ""
                   for _ in r], axis=1)
    st.dataframe(styled, hide_index=True, width="stretch", column_config=_column_config())
    csv = shown[["code", *TABLE_COLUMNS]].to_csv(index=False).encode("utf-8-sig")
    st.download_button(t("country.table.csv"), csv, file_name="34-tinh-thanh.csv", mime="text/csv",
                       icon=":material/download:")
    st.caption(widgets.source_line(TABLE_SOURCES, cat) + " " + t("country.table.note"))
    widgets.sources_expander(CHECKED_SOURCES, cat, "country.table.checked")
    return state


@st.cache_resource(show_spinner=False, max_entries=8)
def comparison_charts(stamp: str, lang: str):
    """The units-before/after and area charts, built once per data version and language."""
    frame = bundle(stamp).frame
    units = charts_country.units_chart(frame, {"before": t("country.col.before"), "after": t("country.col.after"),
                                               "x": t("country.col.units")})
    return charts.freeze(units), charts.freeze(charts_country.area_chart(frame, {"x": t("country.col.area")}))


def charts_section(cat: catalog.Catalog) -> None:
    st.header(t("country.charts.header"))
    units, area = comparison_charts(cat.stamp, i18n.lang())
    units_tab, area_tab = st.tabs([t("country.charts.units"), t("country.charts.area")])
    with units_tab:
        widgets.plotly_chart(units, config=CONFIG, key="country.chart.units", alt=t("country.charts.units_alt"))
    with area_tab:
        widgets.plotly_chart(area, config=CONFIG, key="country.chart.area", alt=t("country.charts.area_alt"))
    st.caption(t("country.charts.table_note"))


def map_section(b: Bundle, cat) -> None:
    st.header(t("country.map.header"))
    if b.data.boundaries is None:
        st.error(t("country.map.missing"))
        return
    widgets.plotly_chart(map_figure(cat.stamp, i18n.lang()), config=CONFIG, key="country.map",
                    alt=t("country.map.alt"))
    st.caption(t("country.map.caveat") + " " + widgets.source_line(MAP_SOURCES, cat))

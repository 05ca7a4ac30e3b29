"""Country page pieces: national lookup (every answer cites its clause), one province's story,
the 34-province table, charts and the offline map."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import cache, charts, charts_country, citations, focus, links, url_session, widgets
from core import catalog, fmt, i18n, national, national_data, url_state
from core.i18n import t

LOOKUP_SOURCES = ("vietnamadminunits-national-2025", "nq-1654-1687-ubtvqh15-texts")
TABLE_SOURCES = ("vietnamadminunits-national-2025", "nq-202-2025-qh15")
CHECKED_SOURCES = ("nq-1654-ubtvqh15-text", "nq-1656-ubtvqh15-text", "nq-1659-ubtvqh15-text",
                   "nq-1687-ubtvqh15-text")
MAP_SOURCES = national.MAP_SOURCES
PROVINCE_SOURCE = "nq-202-2025-qh15"
CLAUSE_SOURCE = "nq-1654-1687-ubtvqh15-texts"
FIGURE_SOURCES = ("bando-sapnhap-2025-unit-figures", "nq-202-2025-qh15")
SEPARATORS = {"vi": ",.", "en": ".,"}  # Plotly's decimal and thousands separators per UI language
TYPE_KEYS = {"phường": "phuong", "xã": "xa", "thị trấn": "thi-tran", "đặc khu": "dac-khu", "huyện": "huyen"}
CONFIG = {"displaylogo": False, "scrollZoom": False}
TABLE_COLUMNS = ("name", "old_provinces", "area_km2", "population", "communes_before",
                 "communes_after", "reduction_pct")


@dataclass(frozen=True)
class Bundle:
    data: national_data.NationalData
    index: national.Index
    frame: pd.DataFrame


@cache.shared(max_entries=4)
def bundle(cat: catalog.Catalog) -> Bundle:
    """The national set (read by the catalog on first use), indexed once per data version."""
    data = cat.national()
    made = Bundle(data, national.build_index(data), national.province_frame(data))
    catalog.settle()
    return made


@cache.shared(max_entries=40)
def map_figure(cat: catalog.Catalog, lang: str, code: str = charts_country.HIGHLIGHT):
    """The 34-province map with one province (Đà Nẵng unless told) highlighted."""
    b = bundle(cat)
    name = b.frame.set_index("code").name.get(code, "")
    labels = {"highlight": t("country.map.highlight") if code == charts_country.HIGHLIGHT else name,
              "other": t("country.map.other"), "units": t("country.col.units")}
    height = 620 if code == charts_country.HIGHLIGHT else 480
    return charts.freeze(charts_country.province_map(b.data.boundaries, b.frame, labels, code, height))


@cache.shared(max_entries=80)
def story(cat: catalog.Catalog, code: str) -> national.ProvinceStory | None:
    b = bundle(cat)
    return national.province_story(b.data, b.index, code)


COMMUNES_CSS = """<style>
.tgbm-communes details { border: 1px solid rgba(128, 128, 128, 0.3); border-radius: 0.5rem; margin: 0 0 0.5rem; }
.tgbm-communes summary { cursor: pointer; padding: 0.6rem 0.9rem; list-style-position: inside; }
.tgbm-communes summary:hover { color: #ff4b4b; }
.tgbm-communes details[open] summary { border-bottom: 1px solid rgba(128, 128, 128, 0.2); }
.tgbm-communes .body { padding: 0.4rem 0.9rem 0.6rem; }
.tgbm-communes .body p, .tgbm-communes .body ul { margin: 0.3rem 0; }
.tgbm-communes .note { font-size: 0.875rem; opacity: 0.7; }
</style>"""


@cache.shared(max_entries=200)
def communes_html(cat: catalog.Catalog, lang: str, code: str, query: str) -> tuple[int, str]:
    """One province's new communes matching the search, as one block of folds (HTML `details`:
    they open in the browser, with no run of the page): (how many shown, the HTML)."""
    s, b = story(cat, code), bundle(cat)
    shown = national.filter_communes(s.communes, query) if s else []
    return len(shown), '<div class="tgbm-communes">' + "".join(_commune_fold(unit, b) for unit in shown) + "</div>"


def _commune_fold(unit, b: Bundle) -> str:
    e = html.escape
    label = " · ".join(x for x in (f"<strong>{e(unit.unit.name)}</strong>", e(short_cite(unit.cite))) if x)
    origins = "".join(
        "<li>" + e(t("country.province.origin", name=o.old.full_name, district=o.old.district,
                     province=o.old.province, share=t("country.share." + o.cite.share) if o.cite.share else "")
                   .removesuffix(" · ") + (f" · {o.cite.text()}" if o.cite.known and o.cite != dataclasses.replace(
                       unit.cite, share=o.cite.share) else "")) + "</li>"
        for o in unit.origins)
    parts = [f"<p>{e(t('country.province.origins'))}</p><ul>{origins}</ul>"]
    if unit.cite.clause:
        body = b.index.clause_text(unit.cite)
        parts.append(f"<p><strong>{e(t('country.cite.wording', clause=unit.cite.clause))}:</strong> "
                     f"{e(body) if body else e(t('country.cite.no_text'))}</p>")
    if unit.area_km2 is None or unit.population is None:
        parts.append(f'<p class="note">{e(t("country.province.no_figures"))}</p>')
    else:
        figures = t("country.province.figures", area=fmt.number(unit.area_km2), population=fmt.number(unit.population))
        parts.append(f'<p class="note">{e(figures)}</p>')
    return f'<details><summary>{label}</summary><div class="body">{"".join(parts)}</div></details>'


def known_province(state: url_state.ViewState, b: Bundle, notices: list[str]) -> url_state.ViewState:
    """A `province` code the data does not know is named and left out (the page shows the country)."""
    if state.new_province and state.new_province not in set(b.frame.code):
        notices.append(f"province={state.new_province}")
        return dataclasses.replace(state, new_province="")
    return state


def lead(b: Bundle) -> str:
    """The page's opening line, with every count taken from the data."""
    return t("country.lead", old_provinces=len(b.data["old_provinces"]), provinces=len(b.frame),
             old=fmt.number(len(b.index.old)), new=fmt.number(len(b.data["new_communes"])))


def problems(b: Bundle) -> None:
    """Name every problem of the national files (the page keeps what is intact)."""
    if b.data.problems:
        widgets.problems_banner(t("country.data_problem", count=len(b.data.problems)), b.data.problems)


def lookup_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    """One search box for an old commune, an address or an old province."""
    st.header(t("country.lookup.header"))
    url_session.seed("country.q", state.q)
    query = st.text_input(t("country.lookup.label"), key="country.q", type="search",
                          max_chars=url_state.MAX_Q, placeholder=t("country.lookup.placeholder"),
                          help=t("country.lookup.help"))
    state = dataclasses.replace(state, q=(query or "").strip())
    if state.q:
        with focus.subject("country-answer"):
            show_answer(national.lookup(b.index, state.q), state, b, cat)
            st.caption(citations.source_line(LOOKUP_SOURCES, cat))
        focus.keep_in_view("country-answer", state.q)
    return state


def show_answer(answer: national.Answer, state: url_state.ViewState, b: Bundle, cat) -> None:
    missing = national.missing_name(answer)
    if missing:
        st.info(t("country.lookup.no_province", name=widgets.escape_md(missing),
                  count=len(b.data["old_provinces"])), icon=":material/help:")
        if answer.communes:
            st.markdown(t("country.lookup.no_province_communes"))
    for hit in answer.provinces:
        partners = ", ".join(hit.partners) or t("country.lookup.alone")
        st.success(t("country.lookup.province", old=hit.old_name, new=hit.new_name, partners=partners),
                   icon=":material/map:")
        st.caption(t("country.lookup.province_basis", resolution=hit.resolution,
                     date=fmt.date(dt.date.fromisoformat(national.PROVINCE_RESOLUTION_DATE)))
                   + " " + citations.source_line([PROVINCE_SOURCE], cat))
        province_link(hit.new_code, hit.new_name, state)
    if not answer.communes and not answer.provinces:
        st.info(t("country.lookup.none"), icon=":material/search_off:")
        return
    if answer.ambiguous:
        groups = national.by_province(answer.communes)
        key = "country.lookup.ambiguous" if answer.exact else "country.lookup.partial"
        st.markdown(t(key, count=len(answer.communes), provinces=len(groups)))
        candidates(groups)
        return
    for unit in answer.communes:
        commune_card(unit, state, b, cat, answer.parsed)


def candidates(groups: dict) -> None:
    """Several old units of one name: a short list per old province that reads at phone width;
    each entry looks that unit up by its full old address."""
    for province, units in groups.items():
        st.markdown(f"**{widgets.escape_md(province)}**")
        for unit in units:
            new = "; ".join(dict.fromkeys(s.name for s in unit.successors))
            label = t("country.lookup.candidate", old=widgets.escape_md(unit.full_name),
                      district=widgets.escape_md(unit.district), new=widgets.escape_md(new))
            st.button(label, key=f"country.pick.{unit.code}", type="tertiary", icon=":material/search:",
                      on_click=url_session.set_widget,
                      args=("country.q", f"{unit.full_name}, {unit.district}, {unit.province}"))


def short_cite(cite: national.Cite) -> str:
    """'khoản 9' where the resolution is already named nearby (else the full citation)."""
    return t("country.cite.short", clause=cite.clause) if cite.clause else cite.text()


def _successor_line(new: national.NewUnit, cite: national.Cite) -> str:
    parts = [f"{widgets.escape_md(new.name)}, {widgets.escape_md(new.province)}"]
    if cite.share:
        parts.append(f"**{t('country.share.' + cite.share)}**")
    if cite.known:
        parts.append(cite.text())
    return " · ".join(parts)


def wording(index: national.Index, cite: national.Cite, cat) -> None:
    """The clause's wording, one click away."""
    if not cite.clause:
        return
    with st.expander(t("country.cite.wording", clause=cite.clause), icon=":material/gavel:"):
        body = index.clause_text(cite)
        st.markdown(widgets.escape_md(body) if body else t("country.cite.no_text"))
        st.caption(cite.text() + " · " + citations.source_line([CLAUSE_SOURCE], cat))


def commune_card(unit: national.OldCommune, state: url_state.ViewState, b: Bundle, cat, parsed: bool) -> None:
    with st.container(border=True):
        st.markdown(t("country.lookup.old", name=widgets.escape_md(unit.full_name),
                      district=widgets.escape_md(unit.district), province=widgets.escape_md(unit.province)))
        st.markdown(f"**{t('country.status.' + unit.status)}**")
        for new, cite in unit.links():
            st.markdown("- " + _successor_line(new, cite))
            wording(b.index, cite, cat)
        if unit.status == "split":
            parts = national.split_parts(unit)
            if parts and all(c.known for _, c in parts):
                listed = "; ".join(f"{widgets.escape_md(n.name)} ({short_cite(c)})" for n, c in parts)
                st.warning(t("country.lookup.split", count=len(unit.successors), parts=listed),
                           icon=":material/call_split:")
            else:
                st.warning(t("country.lookup.split_unknown", count=len(unit.successors)),
                           icon=":material/call_split:")
        if parsed:
            st.caption(t("country.lookup.parsed"))
        for code, name in dict.fromkeys((s.province_code, s.province) for s in unit.successors):
            province_link(code, name, state)
        if unit.in_danang:
            links.view_link("merger", t("country.lookup.merger_link"), state, icon=":material/merge:",
                              q=unit.name)


def province_link(code: str, name: str, state: url_state.ViewState) -> None:
    """An in-app link to one province's view (/country?province=NN)."""
    links.view_link("country", t("country.lookup.province_link", name=name), state,
                      icon=":material/location_city:", province=code)


@cache.shared(max_entries=64)
def province_table(cat: catalog.Catalog, lang: str, query: str, keep: tuple) -> tuple[int, pa.Table, bytes]:
    """The provinces matching the filter box: (how many, the table as shown, its CSV), built once
    per data version, language, filter and the view's kept link parameters (the table as Arrow)."""
    shown = national.filter_provinces(bundle(cat).frame, query)
    return (len(shown), widgets.arrow(display_frame(shown, dict(keep))),
            csv_frame(shown).to_csv(index=False).encode("utf-8-sig"))


def display_frame(shown: pd.DataFrame, keep: dict[str, str]) -> pd.DataFrame:
    """The table as shown: numbers in the UI language's format (sorting kept), basis, link (with the
    view's kept parameters `keep`)."""
    return pd.DataFrame({
        "name": shown["name"],
        "link": [links.href("country", {**keep, "province": c}) for c in shown["code"]],
        "old_provinces": shown["old_provinces"].str.replace(";", ",", regex=False),
        "area_km2": national.sortable_texts([fmt.number(v, 1) for v in shown["area_km2"]]),
        "population": national.sortable_texts([fmt.number(v) for v in shown["population"]]),
        "population_basis": [t("country.basis_short." + v) if v else "" for v in _basis(shown)],
        "communes_before": shown["communes_before"],
        "communes_after": shown["communes_after"],
        "reduction_pct": national.sortable_texts([fmt.number(v, 1) + " %" for v in shown["reduction_pct"]]),
    })


def _basis(frame: pd.DataFrame) -> list[str]:
    return list(frame["population_basis"]) if "population_basis" in frame else [""] * len(frame)


def csv_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The CSV: raw numbers (for spreadsheets), the basis in words, headers in the UI language."""
    out = pd.DataFrame({
        t("country.col.code"): shown["code"], t("country.col.province"): shown["name"],
        t("country.col.old_provinces"): shown["old_provinces"],
        t("country.col.area"): shown["area_km2"], t("country.col.population"): shown["population"],
        t("country.col.basis"): [t("country.basis_short." + v) if v else "" for v in _basis(shown)],
        t("country.col.before"): shown["communes_before"], t("country.col.after"): shown["communes_after"],
        t("country.col.reduction") + " (%)": shown["reduction_pct"],
    })
    return out


def _column_config() -> dict:
    text = st.column_config.TextColumn
    return {
        "name": text(t("country.col.province"), pinned=True),
        "link": st.column_config.LinkColumn(t("country.col.link"), display_text=t("country.col.link_text")),
        "old_provinces": text(t("country.col.old_provinces")),
        "area_km2": text(t("country.col.area"), alignment="right"),
        "population": text(t("country.col.population"), alignment="right"),
        "population_basis": text(t("country.col.basis")),
        "communes_before": st.column_config.NumberColumn(t("country.col.before"), format="%d"),
        "communes_after": st.column_config.NumberColumn(t("country.col.after"), format="%d"),
        "reduction_pct": text(t("country.col.reduction"), alignment="right"),
    }


@cache.shared(max_entries=8)
def danang_line(cat: catalog.Catalog, lang: str) -> str:
    """Đà Nẵng's place among the 34 by area, and its communes before → after (empty without it)."""
    frame = bundle(cat).frame
    danang = frame[frame.code == charts_country.HIGHLIGHT]
    if danang.empty:
        return ""
    row = danang.iloc[0]
    rank = int((frame.area_km2 > row.area_km2).sum()) + 1
    cities = frame[frame.name.str.startswith("Thành phố")]
    city_rank = int((cities.area_km2 > row.area_km2).sum()) + 1
    return t("country.table.danang", area=fmt.number(row.area_km2, 2), rank=rank, city_rank=city_rank,
             cities=len(cities), before=row.communes_before, after=row.communes_after,
             reduction=fmt.number(row.reduction_pct, 1))


def table_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    """The 34 provinces: filter box, sortable table, population basis, CSV download, province picker."""
    st.header(t("country.table.header"))
    line = danang_line(cat, i18n.lang())
    if line:
        st.markdown(line)
    url_session.seed("country.filter", state.filter)
    query = st.text_input(t("country.table.filter"), key="country.filter", max_chars=url_state.MAX_FILTER)
    state = dataclasses.replace(state, filter=(query or "").strip())  # kept in the link as `filter`
    shown, display, csv = province_table(cat, i18n.lang(), state.filter,
                                         tuple(url_state.link_params(state).items()))
    st.caption(t("country.table.count", shown=shown, total=len(b.frame)))
    st.dataframe(display, hide_index=True, width="stretch", column_config=_column_config(), row_height=35)
    basis = _basis(b.frame)
    if any(basis):
        st.caption(t("country.table.basis", merged=basis.count("resolution"), kept=basis.count("government-site")))
    name = national.csv_name(t("country.csv.all"), t("country.csv.filtered"), state.filter)
    st.download_button(t("country.table.csv"), csv, file_name=name, mime="text/csv",
                       icon=":material/download:", key="country.csv")
    st.caption(citations.source_line(TABLE_SOURCES, cat) + " " + t("country.table.note"))
    citations.sources_expander(CHECKED_SOURCES, cat, "country.table.checked")
    return state


@cache.shared(max_entries=8)
def comparison_charts(cat: catalog.Catalog, lang: str):
    """The units-before/after and area charts, built once per data version and language."""
    frame = charts_country.with_texts(bundle(cat).frame, fmt.number)
    separators = SEPARATORS.get(lang, ".,")
    units = charts_country.units_chart(frame, {"before": t("country.col.before"), "after": t("country.col.after"),
                                               "x": t("country.col.units"), "separators": separators})
    area = charts_country.area_chart(frame, {"x": t("country.col.area"), "separators": separators})
    return charts.freeze(units), charts.freeze(area)


def charts_section(cat: catalog.Catalog) -> None:
    st.header(t("country.charts.header"))
    units, area = comparison_charts(cat, i18n.lang())
    units_tab, area_tab = st.tabs([t("country.charts.units"), t("country.charts.area")])
    with units_tab:
        widgets.plotly_chart(units, config=CONFIG, key="country.chart.units", alt=t("country.charts.units_alt"))
    with area_tab:
        widgets.plotly_chart(area, config=CONFIG, key="country.chart.area", alt=t("country.charts.area_alt"))
    st.caption(t("country.charts.table_note"))


def map_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    st.header(t("country.map.header"))
    if b.data.boundaries is None:
        st.error(t("country.map.missing"))
        return state
    st.caption(t("country.map.click"))
    widgets.plotly_chart(map_figure(cat, i18n.lang()), config=CONFIG, key="country.map",
                         alt=t("country.map.alt"), on_select=_open_from_map, selection_mode="points")
    st.caption(t("country.map.caveat") + " " + citations.source_line(MAP_SOURCES, cat))
    return picker(state, b)


def _open_from_map() -> None:
    """A click on a province opens its view (the picker below the map carries it into the URL)."""
    event = url_session.widget_value("country.map") or {}
    points = (event.get("selection") or {}).get("points") or []
    codes = [p.get("customdata", [None] * 4)[-1] for p in points if isinstance(p, dict)]
    codes = [c for c in codes if isinstance(c, str) and national.CODE.match(c)]
    if codes:
        url_session.set_widget(PICK_KEY, codes[0])


PICK_KEY = "country.province"


def chosen_province(state: url_state.ViewState, b: Bundle) -> url_state.ViewState:
    """The province to show this run: the link's, or the picker's (or a map click's) new choice.

    Read before the page is drawn, so a choice shows its province in the same run."""
    url_session.seed(PICK_KEY, state.new_province)
    chosen = url_session.widget_value(PICK_KEY)
    return dataclasses.replace(state, new_province=chosen if chosen in set(b.frame.code) else "")


def picker(state: url_state.ViewState, b: Bundle) -> url_state.ViewState:
    """Choose one of the 34 (stable option values: the codes; labels: the names)."""
    names = dict(zip(b.frame.code, b.frame.name, strict=True))
    key = url_session.lang_key(PICK_KEY)
    url_session.seed(PICK_KEY, state.new_province)
    chosen = st.selectbox(t("country.province.pick"), ["", *names], key=key,
                          format_func=widgets.labels({"": t("country.province.pick_none"), **names}))
    return dataclasses.replace(state, new_province=chosen if chosen in names else "")


def province_section(state: url_state.ViewState, b: Bundle, cat) -> url_state.ViewState:
    """One province: how it was formed, centre, resolution, units by type, figures, map, communes."""
    s = story(cat, state.new_province)
    if s is None:
        return dataclasses.replace(state, new_province="")
    links.view_link("country", t("country.province.back"), state, icon=":material/arrow_back:")
    with focus.subject("country-province"):
        st.header(widgets.escape_md(s.name))
        when = fmt.date(dt.date.fromisoformat(national.PROVINCE_RESOLUTION_DATE))
        if s.merged:
            st.markdown(t("country.province.merged", names=widgets.escape_md(", ".join(s.old_provinces)),
                          resolution=national.PROVINCE_RESOLUTION, date=when))
        else:
            st.markdown(t("country.province.unchanged", resolution=national.PROVINCE_RESOLUTION, date=when))
        centre = s.centre.strip()
        place = centre.removesuffix("(cũ)").strip()
        where = (t("country.province.centre_same") if not centre or centre == "giữ nguyên"
                 else t("country.province.centre_at", place=widgets.escape_md(place)))
        st.markdown(t("country.province.centre", centre=where))
        if s.resolution:
            st.markdown(t("country.province.resolution", resolution=s.resolution))
        if s.code == charts_country.HIGHLIGHT:
            links.view_link("merger", t("country.province.merger_link"), state, icon=":material/merge:")
        facts, where = st.columns([3, 2], gap="large")  # side by side on a projector, stacked on a phone
        with facts:
            _units_table(s)
            _figures(s, cat)
        if b.data.boundaries is not None:
            with where:
                widgets.plotly_chart(map_figure(cat, i18n.lang(), s.code), config=CONFIG,
                                     key=f"country.map.{s.code}", alt=t("country.province.map_alt", name=s.name))
                st.caption(t("country.map.caveat") + " " + citations.source_line(MAP_SOURCES, cat))
    focus.keep_in_view("country-province", s.code)
    state = picker(state, b)
    _communes(s, b, cat)
    return state


def _units_table(s: national.ProvinceStory) -> None:
    st.subheader(t("country.province.units"))
    types = [k for k in TYPE_KEYS if s.before.get(k) or s.after.get(k)]
    rows = [f"| {t('country.province.col_type')} | {t('country.province.col_before')} "
            f"| {t('country.province.col_after')} |", "| --- | ---: | ---: |"]
    rows += [f"| {t('country.type.' + TYPE_KEYS[k])} | {fmt.number(s.before.get(k, 0))} "
             f"| {fmt.number(s.after.get(k, 0))} |" for k in types]
    rows.append(f"| **{t('country.type.total')}** | **{fmt.number(sum(s.before.values()))}** "
                f"| **{fmt.number(sum(s.after.values()))}** |")
    st.markdown("\n".join(rows))


def _figures(s: national.ProvinceStory, cat) -> None:
    row = st.container(horizontal=True, gap="large")
    row.metric(t("country.province.area"), fmt.quantity(s.area_km2, "km2"), width="content")
    row.metric(t("country.province.population"), fmt.quantity(s.population, "people"), width="content")
    basis = t("country.basis." + s.population_basis) if s.population_basis else ""
    st.caption(" ".join(x for x in (basis, t("country.province.figures_note"),
                                    citations.source_line(FIGURE_SOURCES, cat)) if x))


def _communes(s: national.ProvinceStory, b: Bundle, cat) -> None:
    st.subheader(t("country.province.communes", count=len(s.communes)))
    query = st.text_input(t("country.province.search"), key="country.communes", max_chars=url_state.MAX_FILTER,
                          type="search")
    shown, body = communes_html(cat, i18n.lang(), s.code, (query or "").strip())
    st.caption(t("country.province.count", shown=shown, total=len(s.communes)))
    with st.container(height=560 if shown > 8 else "content"):
        st.html(COMMUNES_CSS + body)
    st.caption(citations.source_line((CLAUSE_SOURCE, *LOOKUP_SOURCES[:1]), cat))

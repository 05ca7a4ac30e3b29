"""Merger page pieces: old ↔ new lookup, one new unit's view, map, 94-unit table, before/after, charts."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from components import cache, charts, charts_merger, citations, focus, url_session, widgets
from core import catalog, fmt, lookup, url_state
from core.i18n import t

RESOLUTION = "nq-1659-ubtvqh15-text"  # sources.yaml id of Resolution 1659's text (clauses)
EXAMPLES = ("hoa lien", "Minh An", "huyện Hoàng Sa", "Tam Hải")
RESULT_LIMIT = 20
STATUS_COLOR = {"split": "orange", "merged": "blue", "unchanged": "green", "type_changed": "violet",
                "new": "gray", "district": "gray"}
SCOPE_OF = {v: k for k, v in lookup.PROVINCE_SLUG.items()}
COMPARE_ROWS = ("area", "population", "district_units", "commune_units", "wards", "communes", "towns",
                "special_zones")
CONFIG = {"displaylogo": False, "scrollZoom": False}
MAP_CONFIG = {"displayModeBar": False, "scrollZoom": False}  # no toolbar over the Hoàng Sa inset
UNIT_ANCHOR = "merger-unit"  # the opened unit's heading, linked from the "opened" toast


@cache.shared(max_entries=8)
def index(cat: catalog.Catalog) -> lookup.Index:
    return lookup.build_index(cat["units"].records, cat["mapping"].records)


@cache.shared(max_entries=8)
def units(cat: catalog.Catalog) -> pd.DataFrame:
    return lookup.units_frame(index(cat))


@cache.shared(max_entries=8)
def districts(cat: catalog.Catalog) -> dict[str, str]:
    """Former districts (slug -> name) in Vietnamese order, sorted once per data version."""
    return dict(lookup.district_options(index(cat)))


@cache.shared(max_entries=64)
def map_figure(cat: catalog.Catalog, color: str, lang: str):
    return charts.freeze(charts_merger.unit_map(cat["boundaries"].records[0], units(cat), color, labels()))


@cache.shared(max_entries=128)
def highlighted_map(cat: catalog.Catalog, color: str, lang: str, code: str):
    """The map with one unit drawn on top: one object per unit, so its encoding is made once."""
    return map_figure(cat, color, lang).with_traces(map_highlight(cat, code))


@cache.shared(max_entries=128)
def map_highlight(cat: catalog.Catalog, code: str) -> list[dict]:
    """The open unit's shape and name, drawn on top of the shared map figure."""
    feature = next(f for f in cat["boundaries"].records[0]["features"] if f["properties"]["code"] == code)
    row = units(cat).set_index("code").loc[code]
    return charts_merger.highlight(feature, row["name"], row["type_slug"] == "dac-khu")


def has_shape(code: str, cat: catalog.Catalog) -> bool:
    return code in {f["properties"]["code"] for f in cat["boundaries"].records[0]["features"]}


def labels() -> dict:
    return {"type": {s: t(f"merger.type.{s}") for s in lookup.TYPE_SLUG.values()},
            "province": {s: t("scope." + SCOPE_OF[s]) for s in lookup.PROVINCE_SLUG.values()},
            "code": t("merger.code_word"), "inset": t("merger.map.inset")}


def _md(value) -> str:
    return widgets.escape_md(value)


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def provenance(meta) -> str:
    """'Dữ liệu: [owner/repo](url) (giấy phép [MIT](url))' for a dataset's .meta.yaml."""
    if meta is None:
        return ""
    repo = meta.source_url.split("github.com/")[-1] if meta.source_url else meta.source
    return t("merger.provenance", source=citations.link(repo, meta.source_url or meta.license_url),
             license=citations.link(meta.license, meta.license_url))


def open_unit(code: str, name: str, here: bool = False) -> None:
    """Callback: open this new unit and say where it is shown (page top, or beside/under the map)."""
    url_session.set_widget("merger.unit", code)
    here = here or url_session.widget_value("merger.view") == "map"  # the map view shows it beside the map
    message = "merger.unit.opened_here" if here else "merger.unit.opened"
    st.toast(t(message, name=_md(name), anchor=UNIT_ANCHOR),
             icon=":material/place:" if here else ":material/arrow_upward:")


def _open_button(code: str, label: str, key: str, name: str) -> None:
    st.button(label, key=key, on_click=open_unit, args=(code, name), icon=":material/arrow_forward:",
              type="tertiary")


@cache.shared(max_entries=8)
def unit_names(cat: catalog.Catalog) -> dict[str, str]:
    """Code -> name of every new unit (shared, read-only)."""
    return dict(zip(units(cat)["code"], units(cat)["name"], strict=True))


def lead(cat: catalog.Catalog) -> str:
    idx = index(cat)
    communes = {row.old_code for row in cat["mapping"].records if row.old_unit_type != "huyện"}
    return t("merger.lead", old=fmt.number(len(idx.old)), communes=fmt.number(len(communes)),
             new=fmt.number(len(idx.new)))


def check_link(state: url_state.ViewState, cat: catalog.Catalog, notices: list[str]) -> url_state.ViewState:
    """Forget a unit code or district slug from the link that the data does not know."""
    idx = index(cat)
    state = url_state.drop_unknown(state, "unit", idx.new, notices)
    return url_state.drop_unknown(state, "district", districts(cat), notices)


def view_title(state: url_state.ViewState, cat: catalog.Catalog) -> str:
    if state.unit:
        return index(cat).new[state.unit].name
    return f"“{state.q}”" if state.q else ""


def lookup_section(state: url_state.ViewState, cat: catalog.Catalog) -> url_state.ViewState:
    """One search box over old and new names, and a list to open any new unit directly."""
    st.header(t("merger.lookup.header"))
    names = unit_names(cat)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    url_session.seed("merger.q", state.q)
    query = left.text_input(t("merger.lookup.label"), key="merger.q", type="search", max_chars=url_state.MAX_Q,
                            placeholder=t("merger.lookup.placeholder"), help=t("merger.lookup.help"))
    key = url_session.lang_key("merger.unit")
    url_session.seed(key, state.unit)
    unit = right.selectbox(t("merger.unit.choose"), ["", *names], key=key,
                           format_func=widgets.labels({"": t("merger.unit.none"), **names}),
                           placeholder=t("merger.unit.none"))
    state = dataclasses.replace(state, q=(query or "").strip(), unit=unit if unit in names else "")
    _results(state.q, index(cat))
    return state


def _results(query: str, idx: lookup.Index) -> None:
    if not query:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.caption(t("merger.lookup.try"), width="content")
        for i, example in enumerate(EXAMPLES):
            row.button(example, key=f"merger.example.{i}", on_click=url_session.set_widget,
                       args=("merger.q", example), type="tertiary", icon=":material/search:")
        return
    results = lookup.search(idx, query)
    if not results:
        _empty(query, idx)
        return
    st.caption(t("merger.lookup.count", count=fmt.number(len(results))))
    shown = results[:RESULT_LIMIT]
    for start in range(0, len(shown), 2):  # row by row, so a phone stacks them in rank order
        for offset, column in enumerate(st.columns(2)):
            if start + offset < len(shown):
                with column:
                    _card(shown[start + offset], idx, start + offset)
    if len(results) > RESULT_LIMIT:
        st.caption(t("merger.lookup.more", count=fmt.number(len(results) - RESULT_LIMIT)))


def _empty(query: str, idx: lookup.Index) -> None:
    st.info(t("merger.lookup.none", q=_md(query)) + "\n\n" + t("merger.lookup.tips"), icon=":material/search_off:")
    suggestions = lookup.suggest(idx, query)
    if suggestions:
        st.caption(t("merger.lookup.suggest"))
        for i, name in enumerate(suggestions):
            st.button(name, key=f"merger.suggest.{i}", on_click=url_session.set_widget, args=("merger.q", name),
                      type="tertiary", icon=":material/search:")


def _card(result: lookup.Result, idx: lookup.Index, i: int) -> None:
    with st.container(border=True):
        st.markdown(f"**{_md(_cap(result.name))}**")
        st.badge(t(f"merger.status.{result.status}"), color=STATUS_COLOR[result.status])
        if result.kind == "old":
            st.caption(t("merger.result.where", district=_md(result.district),
                         province=t("scope." + result.province), code=result.code))
            _old_card(result, idx, i)
        elif result.kind == "new":
            unit = idx.new[result.code]
            st.caption(t("merger.result.new_where", code=unit.code, clause=unit.clause))
            st.markdown(t("merger.result.new", count=len(result.links)) + " " + _origin_list(result.links))
            _open_button(unit.code, t("merger.open", name=_md(unit.name)), f"merger.r{i}", unit.name)
        else:
            _district_card(result, i)


def _origin_list(links) -> str:
    return ", ".join(_md(link.name) + (f" ({t('merger.share.part')})" if link.share == "part" else "")
                     for link in links)


def _old_card(result: lookup.Result, idx: lookup.Index, i: int) -> None:
    old = idx.old[result.code]
    if result.status == "split":
        st.warning(t("merger.result.split", count=len(result.links)), icon=":material/call_split:")
    elif result.status == "type_changed":
        st.markdown(t("merger.result.type_changed", old=old.unit_type, new=result.links[0].unit_type))
    else:
        st.markdown(t(f"merger.result.{result.status}"))
    for j, link in enumerate(result.links):
        share = f" · {t('merger.share.part')}" if link.share == "part" else ""
        label = f"{_md(link.name)} · {t('merger.clause', clause=link.clause)}{share}"
        _open_button(link.code, label, f"merger.r{i}.{j}", link.name)


def _district_card(result: lookup.Result, i: int) -> None:
    st.caption(t("scope." + result.province))
    st.markdown(t("merger.result.district", count=len(result.links)) + " "
                + ", ".join(_md(link.name) for link in result.links))
    st.button(t("merger.result.filter_district"), key=f"merger.r{i}", on_click=_filter_district,
              args=(result.code,), icon=":material/filter_list:", type="tertiary")


def _filter_district(slug: str) -> None:
    """Show the unit list filtered to one former district."""
    url_session.set_widget("merger.district", slug)
    url_session.set_widget("merger.view", "list")


def unit_view(code: str, cat: catalog.Catalog) -> None:
    """One new unit: type, code, clause, the old units it was formed from, area and population."""
    idx = index(cat)
    unit, origins = idx.new[code], idx.origins.get(code, ())
    with focus.subject("merger-unit-view", border=True):
        st.subheader(_md(unit.name), anchor=UNIT_ANCHOR)
        st.button(t("merger.unit.back"), on_click=url_session.set_widget, args=("merger.unit", ""),
                  icon=":material/close:", key="merger.back")
        st.badge(t(f"merger.type.{lookup.TYPE_SLUG[unit.unit_type]}"), color="blue")
        st.caption(t("merger.unit.meta", code=unit.code, name_en=_md(unit.name_en),
                     province=t("scope." + unit.former_province), clause=unit.clause))
        status = lookup.new_status(idx, origins)
        if status != "merged":
            st.markdown(t(f"merger.unit.{status}"))
        st.markdown(t("merger.unit.origins", count=len(origins)))
        for link in origins:
            _origin_line(link, code, idx)
        st.caption(t("merger.unit.text", text=_md(unit.former_units_text)) + " "
                   + citations.source_line([RESOLUTION], cat))
        _unit_figures(unit, cat)
    focus.keep_in_view("merger-unit-view", code)


def _origin_line(link: lookup.Link, code: str, idx: lookup.Index) -> None:
    line = t("merger.unit.origin", name=_md(_cap(link.name)), district=_md(link.district),
             province=t("scope." + link.province), code=link.code)
    if link.share != "part":
        st.markdown("- " + line)
        return
    others = [s for s in idx.old[link.code].successors if s.code != code]
    st.markdown("- " + line + " · **" + t("merger.share.part") + "**; "
                + t("merger.unit.rest", others=", ".join(_md(s.name) for s in others)))
    for other in others:
        _open_button(other.code, t("merger.open", name=_md(other.name)), f"merger.rest.{other.code}", other.name)


def _unit_figures(unit, cat: catalog.Catalog) -> None:
    # A row that wraps: beside each other when there is room, stacked in a narrow column.
    row = st.container(horizontal=True, gap="large")
    for column, value, label, unit_key in ((row, unit.area_km2, "area", "km2"),
                                           (row, unit.population, "population", "people")):
        if value is None:
            column.caption(t("merger.unit.no_figure", label=t(f"merger.row.{label}")))
        else:
            column.metric(t(f"merger.row.{label}"), fmt.quantity(value, unit_key), width="content")
    st.caption(t("merger.unit.caveat") + " " + provenance(cat["units"].meta))

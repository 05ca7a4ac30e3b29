"""Merger page tabs: the unit map, the 94-unit table with CSV, the before/after table and the charts."""

from __future__ import annotations

import dataclasses
import functools

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import cache, charts, charts_merger, citations, merger, url_session, widgets
from core import catalog, fmt, i18n, lookup, national, transform, url_state
from core.i18n import t

TABLE_COLUMNS = ("name", "unit_type", "code", "former_province", "former_districts", "origins", "clause",
                 "area_km2", "population")
CSV_COLUMNS = ("code", "name", "unit_type", "name_en", "clause", "former_province", "former_districts",
               "former_units_text", "origins", "area_km2", "population")
SCOPES = ("old_danang", "old_quangnam", "new_city")
NUMBER_COLUMNS = ("area_km2", "population")


def _column_labels(cat: catalog.Catalog, fields) -> dict[str, str]:
    meta = cat["units"].meta
    labels = {name: i18n.tx(text) for name, text in (meta.columns if meta else {}).items()}
    labels["origins"] = t("merger.col.origins_full")
    return {field: labels.get(field, field) for field in fields}


def _open_from_selection(key: str, names: dict[str, str], codes: tuple[str, ...] = (), here: bool = False) -> None:
    """Open the unit picked on the map (its code) or in a table (its row)."""
    event = url_session.widget_value(key) or {}
    selection = event.get("selection", {})
    code = charts_merger.selected_code(selection.get("points", []))
    rows = selection.get("rows", [])
    code = code or (codes[rows[0]] if rows and rows[0] < len(codes) else "")
    if code in names:
        merger.open_unit(code, names[code], here)


VIEW_LABELS = {"map": "merger.tab.map", "list": "merger.tab.table", "compare": "merger.tab.compare",
               "charts": "merger.tab.charts"}


def view_picker(state: url_state.ViewState) -> url_state.ViewState:
    """Which section to show (map, list, before/after, charts); kept in the link as `view`."""
    key = url_session.lang_key("merger.view")
    url_session.seed(key, state.view)
    view = st.segmented_control(t("merger.view.label"), tuple(VIEW_LABELS), key=key, required=True,
                                format_func=widgets.labels({v: t(k) for v, k in VIEW_LABELS.items()}))
    return dataclasses.replace(state, view=view if view in VIEW_LABELS else state.view)


def map_section(state: url_state.ViewState, cat: catalog.Catalog) -> url_state.ViewState:
    """The 94 units with the larger ones named; a tap on a shape, a name or a list row opens a unit
    beside the map (under it on a phone, where columns stack)."""
    key = url_session.lang_key("merger.color")
    url_session.seed(key, state.color)
    colors = {c: t(f"merger.color.{c}") for c in ("type", "province")}
    color = st.segmented_control(t("merger.map.color"), tuple(colors), key=key,
                                 format_func=widgets.labels(colors), required=True)
    state = dataclasses.replace(state, color=color if color in colors else state.color)
    if widgets.dataset_error(cat, "boundaries"):
        return state
    names = merger.unit_names(cat)
    if state.unit and merger.has_shape(state.unit, cat):
        figure = merger.highlighted_map(cat, state.color, i18n.lang(), state.unit)
    else:
        figure = merger.map_figure(cat, state.color, i18n.lang())
    left, right = st.columns([3, 2], gap="medium")
    key = f"merger.map.{state.unit or 'none'}"  # a new key after each opening clears the old selection
    with left.container(key="merger-map"):
        widgets.plotly_chart(figure, key=key, config=merger.MAP_CONFIG, selection_mode="points",
                              on_select=functools.partial(_open_from_selection, key, names, (), True),
                              alt=t("merger.map.alt", by=t(f"merger.color.{state.color}")))
    with right.container(key="merger-map-side"):
        if state.unit:
            merger.unit_view(state.unit, cat)
        else:
            _unit_list(state, cat, names)
    st.caption(t("merger.map.hint"))
    st.caption(t("merger.map.caveat") + " " + merger.provenance(cat["boundaries"].meta))
    return state


@cache.shared(max_entries=8)
def _unit_list_frame(cat: catalog.Catalog, lang: str) -> pa.Table:
    """Name and type of every unit in the UI language (read-only, shared by all sessions)."""
    frame = merger.units(cat)
    return widgets.arrow(pd.DataFrame({t("merger.col.name"): frame["name"],
                                       t("merger.col.unit_type"): frame["type_slug"].map(lambda s: t(f"merger.type.{s}"))}))


def _unit_list(state: url_state.ViewState, cat: catalog.Catalog, names: dict[str, str]) -> None:
    """All units by name beside the map (under it on a phone): a row opens its unit."""
    frame = merger.units(cat)
    shown = _unit_list_frame(cat, i18n.lang())
    st.markdown(t("merger.map.list", count=fmt.number(len(frame))))
    key = "merger.map.list"
    st.dataframe(shown, hide_index=True, key=key, selection_mode="single-row", height=480,
                 on_select=functools.partial(_open_from_selection, key, names, tuple(frame["code"]), True))


def _filters(state: url_state.ViewState, idx: lookup.Index) -> url_state.ViewState:
    districts = dict(lookup.district_options(idx))
    first, second, third = st.columns(3)
    keys = {field: url_session.lang_key(f"merger.{field}") for field in ("type", "province", "district")}
    type_names = {s: t(f"merger.type.{s}") for s in lookup.TYPE_SLUG.values()}
    province_names = {s: t("scope." + merger.SCOPE_OF[s]) for s in lookup.PROVINCE_SLUG.values()}
    url_session.seed(keys["type"], state.type)
    types = first.multiselect(t("merger.filter.type"), list(type_names), key=keys["type"],
                              format_func=widgets.labels(type_names), placeholder=t("merger.filter.all"),
                              select_all=False)  # Streamlit's "Select all" is English only
    url_session.seed(keys["province"], state.province)
    provinces = second.multiselect(t("merger.filter.province"), list(province_names), key=keys["province"],
                                   format_func=widgets.labels(province_names), placeholder=t("merger.filter.all"),
                                   select_all=False)
    url_session.seed(keys["district"], state.district)
    district = third.selectbox(t("merger.filter.district"), ["", *districts], key=keys["district"],
                               format_func=widgets.labels({"": t("merger.filter.all"), **districts}),
                               placeholder=t("merger.filter.all"))
    return dataclasses.replace(state, type=widgets.known(types, type_names),
                               province=widgets.known(provinces, province_names),
                               district=district if district in districts else "")


@cache.shared(max_entries=64)
def _table(cat: catalog.Catalog, lang: str, types: tuple, provinces: tuple, district: str):
    """The units matching the filters, built once per data version, language and filters:
    (their codes, the table as shown, its CSV bytes, how many)."""
    frame = merger.units(cat)
    view = lookup.filter_units(frame, types, provinces, district)
    csv = lookup.csv_bytes(view.assign(former_province=view["former_province"].map(lambda s: t("scope." + s))),
                           _column_labels(cat, CSV_COLUMNS))
    return tuple(view["code"]), widgets.arrow(_display(view)), csv, len(frame)


def _display(view: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: type and province in words, numbers in the UI language's format (as
    texts that still sort as numbers; "—" where a figure is missing)."""
    shown = view.assign(unit_type=view["type_slug"].map(lambda s: t(f"merger.type.{s}")),
                        former_province=view["former_province"].map(lambda s: t("scope." + s)))
    for field in NUMBER_COLUMNS:
        shown[field] = national.sortable_texts(["—" if pd.isna(v) else fmt.number(v) for v in shown[field]])
    return shown[list(TABLE_COLUMNS)].reset_index(drop=True)


def _column_config(cat: catalog.Catalog) -> dict:
    """Short headers on screen; the dataset's full column descriptions as their help."""
    full = _column_labels(cat, TABLE_COLUMNS)
    config = {field: st.column_config.Column(t(f"merger.col.{field}"), help=full[field]) for field in TABLE_COLUMNS}
    for field in NUMBER_COLUMNS:
        config[field] = st.column_config.TextColumn(t(f"merger.col.{field}"), help=full[field], alignment="right")
    return config


def table_section(state: url_state.ViewState, cat: catalog.Catalog) -> url_state.ViewState:
    """The new units with filters, in Vietnamese order; a row opens its unit; CSV of the rows shown."""
    state = _filters(state, merger.index(cat))
    codes, shown, csv, total = _table(cat, i18n.lang(), state.type, state.province, state.district)
    st.caption(t("merger.table.count", shown=fmt.number(len(codes)), total=fmt.number(total)))
    if not codes:
        st.info(t("merger.table.empty"), icon=":material/filter_alt_off:")
        return state
    key = f"merger.table.{state.unit or 'none'}"
    st.dataframe(shown, hide_index=True, key=key, selection_mode="single-row",
                 column_config=_column_config(cat), alt=t("merger.table.alt"),
                 on_select=functools.partial(_open_from_selection, key, merger.unit_names(cat), codes))
    st.caption(t("merger.table.hint") + " " + t("merger.unit.caveat") + " " + merger.provenance(cat["units"].meta))
    version = cat.release.version if cat.release else ""
    st.download_button(t("merger.table.download"), csv,
                       file_name=lookup.csv_name(t("merger.csv.prefix"), version, state.type, state.province,
                                                 state.district),
                       mime="text/csv", icon=":material/download:", help=t("merger.table.download_help"),
                       on_click="ignore", key="merger.csv")
    return state


def _cell(figure) -> str:
    if figure is None:
        return "—"
    return fmt.quantity(figure.value, figure.unit) + (" (*)" if figure.alternatives else "")


def before_after(cat: catalog.Catalog) -> None:
    """Old Đà Nẵng, old Quảng Nam and the new city side by side; every figure with its sources."""
    if widgets.dataset_error(cat, "figures", "sources"):
        return
    index = transform.figure_index(cat["figures"].records)
    rows = {_row_label(row): {t("scope." + s): _cell(index.get((row, s))) for s in SCOPES}
            for row in merger.COMPARE_ROWS}
    st.table(pd.DataFrame.from_dict(rows, orient="index"))
    found = [index[(row, s)] for row in merger.COMPARE_ROWS for s in SCOPES if (row, s) in index]
    missing = [f"{t(f'merger.row.{row}')} · {t('scope.' + s)}"
               for row in merger.COMPARE_ROWS for s in SCOPES if (row, s) not in index]
    if missing:
        st.caption(t("merger.compare.missing", items="; ".join(missing)))
    if any(f.alternatives for f in found):
        st.caption(t("merger.compare.alt_mark"))
    st.caption(citations.source_line(transform.cited_sources(found), cat))
    with st.expander(t("merger.compare.details")):
        for figure in found:
            st.markdown(_figure_line(figure, cat))


def _row_label(row: str) -> str:
    """Rows that break commune-level units down by type are indented with a middle dot."""
    return ("· " if row in transform.UNIT_TYPE_ROWS else "") + t(f"merger.row.{row}")


def _figure_line(figure, cat: catalog.Catalog) -> str:
    parts = [f"**{t(f'merger.row.{figure.indicator}')} · {t('scope.' + figure.scope)}: "
             f"{fmt.quantity(figure.value, figure.unit)}** ({t('merger.compare.as_of', date=fmt.date(figure.as_of))})",
             citations.source_line(figure.sources, cat)]
    for alt in figure.alternatives:
        parts.append(t("merger.compare.other", value=fmt.quantity(alt.value, figure.unit),
                       note=_plain(i18n.tx(alt.note))) + " " + citations.source_line(alt.sources, cat))
    return "- " + " — ".join(parts)


def _plain(text: str) -> str:
    return widgets.escape_md(text)


@cache.shared(max_entries=8)
def _charts(cat: catalog.Catalog, lang: str) -> dict:
    """Both charts and their tables, built once per data version and language."""
    frame, labels = merger.units(cat), merger.labels()
    origins = charts_merger.origins_chart(frame, dict(labels, x=t("merger.chart.origins.x"),
                                                      y=t("merger.chart.new_units")))
    district = charts_merger.district_chart(frame, dict(labels, x=t("merger.chart.new_units")))
    return {"origins": charts.freeze(origins), "district": charts.freeze(district),
            "origins_table": _count_table(charts_merger.origin_counts(frame), labels["province"],
                                          t("merger.chart.origins.x")),
            "district_table": _count_table(charts_merger.district_counts(frame), labels["type"],
                                           t("merger.filter.district")),
            "total": len(frame)}


def _count_table(counts: pd.DataFrame, names: dict, index_label: str) -> pa.Table:
    return widgets.arrow(counts.rename(columns=names).rename_axis(index=index_label, columns=None).reset_index())


def charts_section(cat: catalog.Catalog) -> None:
    """How many old units formed each new unit; new units by type and former district."""
    built = _charts(cat, i18n.lang())
    source = merger.provenance(cat["mapping"].meta) + " · " + citations.source_line([merger.RESOLUTION], cat)
    st.subheader(t("merger.chart.origins.title"), anchor=False)
    widgets.plotly_chart(built["origins"], key="merger.chart.origins", config=merger.CONFIG,
                         alt=t("merger.chart.origins.alt"))
    st.caption(t("merger.chart.origins.note") + " " + source)
    _chart_table(built["origins_table"])
    st.subheader(t("merger.chart.district.title"), anchor=False)
    widgets.plotly_chart(built["district"], key="merger.chart.district", config=merger.CONFIG,
                         alt=t("merger.chart.district.alt"))
    st.caption(t("merger.chart.district.note", total=fmt.number(built["total"])) + " " + source)
    _chart_table(built["district_table"])


def _chart_table(table: pa.Table) -> None:
    with st.expander(t("merger.chart.table")):
        st.dataframe(table, hide_index=True)


def data_sources(cat: catalog.Catalog) -> None:
    """Provenance of the unit tables and the boundaries: upstream dataset and licence."""
    with st.expander(t("merger.sources.header"), icon=":material/menu_book:"):
        for name in ("units", "mapping", "boundaries"):
            meta = cat[name].meta
            if meta:
                # The curators' description (file names, upstream commits) is on the Sources page, folded.
                st.markdown(f"**{t('sources.dataset.' + name)}** — {merger.provenance(meta)}")
        st.caption(t("merger.sources.figures_note"))
        st.markdown(citations.source_line([merger.RESOLUTION], cat))

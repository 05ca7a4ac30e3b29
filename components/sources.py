"""Sources page pieces: filters, the source table, how to cite, conflicting figures, downloads, provenance."""

from __future__ import annotations

import dataclasses
import functools

import pyarrow as pa
import streamlit as st

from components import cache, citations, links, url_session, widgets
from components import origin as public_origin
from core import catalog, cite, exports, fmt, i18n, load, metrics, schemas, share, text, url_state
from core.i18n import t, tn, tx

KINDS = schemas.SOURCE_KINDS
CONFIDENCES = schemas.CONFIDENCE
PROVENANCE = (*exports.DATASETS, "boundaries", "lessons")
SHOWN_COLUMNS = ("publisher", "title", "published", "kind", "confidence", "cited_by", "url", "citing",
                 "notes", "published_note", "language", "accessed")


@cache.shared(max_entries=8)
def _citing(cat: catalog.Catalog) -> dict[str, list[str]]:
    return cite.citing_index({name: cat[name].records for name in cite.CITING})


@cache.shared(max_entries=8)
def _frame(cat: catalog.Catalog, lang: str):
    return cite.table_frame(cite.by_publisher(cat["sources"].records), _citing(cat))


@cache.shared(max_entries=64)
def _view(cat: catalog.Catalog, lang: str, ids: tuple[str, ...]) -> pa.Table:
    """The table's rows for these sources, as Arrow (what st.dataframe sends): converted once per view."""
    frame = _frame(cat, lang)
    return widgets.arrow(frame[frame["id"].isin(set(ids))])


@cache.shared(max_entries=8)
def _full_zip(cat: catalog.Catalog, lang: str) -> bytes:
    return exports.bundle_zip(exports.tables(cat.datasets), cat.release,
                              licences=load.read_licences(cat.root), lang=lang)


@cache.shared(max_entries=8)
def _search_keys(cat: catalog.Catalog) -> dict[str, tuple[str, str]]:
    return cite.search_keys(cat["sources"].records)


def matching(cat: catalog.Catalog, q: str = "", kind=(), confidence=()) -> list:
    """The sources matching a search and the chosen kinds and confidences (cite.filter_sources), each
    source's search text folded once per data version."""
    return cite.filter_sources(cat["sources"].records, q, kind, confidence, _search_keys(cat))


def _filtered_zip(datasets: dict, release, link: str, filters: dict, root, lang: str) -> bytes:
    return exports.bundle_zip(datasets, release, link, filters, load.read_licences(root), lang)


def active_filters(state: url_state.ViewState) -> dict[str, str]:
    """The page's own filters that are set, as they appear in the link ({"kind": "legal", …})."""
    params = url_state.to_params(state, "sources")
    return {key: params[key] for key in url_state.PAGE_PARAMS["sources"] if key in params}


def _pills(key: str, label: str, options, value, counts: dict[str, int], prefix: str) -> tuple[str, ...]:
    key = url_session.lang_key(key)
    url_session.seed(key, value)
    names = {option: t(prefix + option) for option in options}
    chosen = st.pills(label, options, selection_mode="multi", key=key, format_func=widgets.labels(names))
    # Counts follow the search, so they sit beside the pills, not in their labels (widgets.py rule 2).
    st.caption(" · ".join(f"{names[option]}: {fmt.number(counts.get(option, 0))}" for option in options))
    return widgets.known(chosen, options)


def filters(state: url_state.ViewState, cat: catalog.Catalog) -> url_state.ViewState:
    """Search box and kind/confidence pills (counts among sources matching the search), bound to the URL."""
    url_session.seed("sources.q", state.q)
    q = st.text_input(t("sources.filter.q"), key="sources.q", help=t("sources.filter.q_help"),
                      max_chars=url_state.MAX_Q).strip()
    found = matching(cat, q)
    kind = _pills("sources.kind", t("sources.filter.kind"), KINDS, state.kind,
                  cite.counts(found, "kind"), "sources.kind.")
    confidence = _pills("sources.confidence", t("confidence.label"), CONFIDENCES, state.confidence,
                        cite.counts(found, "confidence"), "confidence.")
    return dataclasses.replace(state, q=q, kind=kind, confidence=confidence)


def _column_config() -> dict:
    date_format = t("sources.col.date_format")
    config = {name: t("sources.col." + name) for name in SHOWN_COLUMNS}
    config |= {
        "publisher": st.column_config.TextColumn(t("sources.col.publisher"), width="medium"),
        "title": st.column_config.TextColumn(t("sources.col.title"), width="large"),
        "url": st.column_config.LinkColumn(t("sources.col.url"), display_text=t("sources.col.url_open")),
        "published": st.column_config.DateColumn(t("sources.col.published"), format=date_format),
        "accessed": st.column_config.DateColumn(t("sources.col.accessed"), format=date_format),
        "cited_by": st.column_config.NumberColumn(t("sources.col.cited_by"), help=t("sources.col.cited_by_help")),
        "citing": st.column_config.ListColumn(t("sources.col.citing")),
    }
    return config


def source_table(cat: catalog.Catalog, shown: list) -> None:
    """The filtered sources, sorted by publisher in Vietnamese order, each with its link and citing records."""
    lang = i18n.lang()
    view = _view(cat, lang, tuple(s.id for s in shown))
    st.caption(t("sources.count", shown=fmt.number(view.num_rows), total=fmt.number(len(_frame(cat, lang)))))
    if not view.num_rows:
        st.info(t("sources.none"), icon=":material/filter_alt_off:")
        return
    st.dataframe(view, hide_index=True, column_order=SHOWN_COLUMNS, column_config=_column_config(),
                 alt=t("sources.table.alt"), key="sources.table", placeholder="—")
    unlinked = [s for s in shown if not s.url]
    if unlinked:
        with st.expander(f"{t('sources.no_link')} ({len(unlinked)})"):
            st.markdown("\n".join(_unlinked_line(source) for source in unlinked))


def _unlinked_line(source) -> str:
    return (f"- **{widgets.escape_md(cite.publisher_text(source))}** — {widgets.escape_md(source.title)}: "
            f"{widgets.escape_md(tx(source.notes))}")


def _buttons(name: str, table: exports.Table, release, key: str, link=None, filters_=None, label: str = "") -> None:
    """An optional label, then CSV and JSON download buttons on one row; files are built only when clicked."""
    with st.container(horizontal=True, vertical_alignment="center"):
        if label:
            st.markdown(label, width="content")
        st.download_button(t("sources.dl.csv"), data=functools.partial(exports.to_csv, table.records, table.model),
                           file_name=exports.file_name(name, release, "csv", table.filtered), mime="text/csv",
                           key=f"{key}.csv", on_click="ignore", icon=":material/download:")
        st.download_button(t("sources.dl.json"), mime="application/json", key=f"{key}.json", on_click="ignore",
                           data=functools.partial(exports.to_json, table.records, release, name, table.meta,
                                                  link, filters_),
                           file_name=exports.file_name(name, release, "json", table.filtered),
                           icon=":material/data_object:")


def source_downloads(cat: catalog.Catalog, state: url_state.ViewState, shown: list) -> None:
    """The sources as filtered (when filters are set) or in full, as CSV and JSON."""
    active = active_filters(state)
    table = exports.tables(cat.datasets, ("sources",))["sources"]
    if active:
        table = exports.narrow({"sources": table}, "sources", shown)["sources"]
    label = tn("sources.dl.filtered" if active else "sources.dl.all_sources", len(table.records),
               count=len(table.records))
    link = share.full_url(public_origin.current().url, state, "sources") if active else None
    _buttons("sources", table, cat.release, "sources.dl.table", link, active or None, label)


def _view_params(view: url_state.ViewState, page: str) -> dict[str, str]:
    return {k: v for k, v in url_state.to_params(view, page).items() if k not in url_state.GLOBAL}


def _ordered_records(name: str, records: list) -> list:
    """Events and trips by date; figures and metrics by label in Vietnamese order."""
    if name == "events":
        return sorted(records, key=lambda r: (r.date, r.id))
    if name == "trips":
        return sorted(records, key=lambda r: (r.start_date, r.id))
    return sorted(records, key=lambda r: text.sort_key(cite.record_label(name, r)))


@cache.shared(max_entries=32)
def _pickable(cat: catalog.Catalog, lang: str, name: str) -> tuple[dict, dict[str, str]]:
    """A record set in the picker's order ({id: record}) and each record's label, once per language."""
    records = {r.id: r for r in _ordered_records(name, cat[name].records)}
    return records, {rid: cite.record_label(name, record) for rid, record in records.items()}


def cite_block(cat: catalog.Catalog, state: url_state.ViewState) -> None:
    """Pick a record; show its citation (original document, sources, dashboard with version and link).

    The picked record is a working tool, not part of the view's link (the citation itself carries
    the record's own link); its container key says so to the click-walk's reload check."""
    with st.container(key="session-only-cite"):
        _cite_block(cat, state)


def _cite_block(cat: catalog.Catalog, state: url_state.ViewState) -> None:
    st.caption(t("sources.cite.intro"))
    available = [name for name in cite.CITING if cat[name].records]
    if not available:
        widgets.dataset_error(cat, *cite.CITING)
        return
    kind_names = {n: t("sources.cite.kind." + n) for n in available}
    kind_key = url_session.lang_key("sources.cite_kind")
    if url_session.widget_value(kind_key) not in available:
        url_session.set_widget(kind_key, available[0])
    name = st.segmented_control(t("sources.cite.kind"), available, required=True, key=kind_key,
                                format_func=widgets.labels(kind_names))
    name = name if name in available else available[0]
    records, labels = _pickable(cat, i18n.lang(), name)
    record_key = url_session.lang_key(f"sources.cite.{name}")
    if url_session.widget_value(record_key) not in records:
        url_session.set_widget(record_key, next(iter(records)))
    chosen = st.selectbox(t("sources.cite.record"), list(records), key=record_key,
                          format_func=widgets.labels(labels), placeholder=t("common.choose_one"))
    page, view = cite.view_of(name, records[chosen], state.lang)
    link = share.full_url(public_origin.current().url, view, page)
    st.code(cite.citation(records[chosen], cat["sources"].records, cat.release, link),
            language=None, wrap_lines=True)
    st.caption(t("sources.cite.help"))
    links.view_link(page, t("sources.cite.open"), state, icon=":material/open_in_new:",
                      **_view_params(view, page))


def _value_text(record, value: float, bound: str | None) -> str:
    """A figure's value with its unit word, or a metric's value as the smart-city page writes it."""
    if isinstance(record, schemas.Metric):
        return metrics.value_text(record.model_copy(update={"value": value, "bound": bound}))
    return fmt.quantity(value, record.unit, bound)


def _value_line(label: str, value_text: str, as_of, ids: list[str], cat: catalog.Catalog, note=None) -> str:
    when = t("sources.conflicts.as_of", date=fmt.date(as_of)) if as_of else t("sources.conflicts.no_date")
    line = f"- **{label}: {value_text}** ({when}). {citations.source_line(ids, cat, ordered=True)}"
    return line + (f"  \n  {widgets.escape_md(tx(note))}" if note else "")


def _conflict_text(record, cat: catalog.Catalog) -> str:
    """A conflict as one Markdown block: its label and place, the value used and the others with
    their sources, and why the one used was chosen."""
    lines = [_value_line(t("sources.conflicts.used"), _value_text(record, record.value, record.bound),
                         record.as_of, record.sources, cat)]
    lines += [_value_line(t("sources.conflicts.other"), _value_text(record, alt.value, alt.bound),
                          alt.as_of, alt.sources, cat, alt.note) for alt in record.alternatives]
    return "\n\n".join((f"**{widgets.escape_md(tx(record.label))} · {t('scope.' + cite.scope_of(record))}**",
                         "\n".join(lines),
                         f"**{t('sources.conflicts.reason')}:** {widgets.escape_md(tx(record.choice_reason))}"))


@cache.shared(max_entries=16)
def _conflict_texts(cat: catalog.Catalog, lang: str) -> tuple[tuple[str, str], ...]:
    """(record id, Markdown) of every conflict, written once per data version and language."""
    records = cite.conflicts(cat["figures"].records, cat["metrics"].records)
    return tuple((record.id, _conflict_text(record, cat)) for record in records)


def conflicts(cat: catalog.Catalog) -> None:
    """Each figure or metric another source gives differently: both values, their sources, the one used and why."""
    st.caption(t("sources.conflicts.intro"))
    blocks = _conflict_texts(cat, i18n.lang())
    if not blocks:
        st.info(t("sources.conflicts.none"))
        return
    st.caption(tn("sources.conflicts.count", len(blocks), count=len(blocks)))
    for record_id, block in blocks:
        with st.container(border=True, key=f"sources.conflict.{record_id}"):
            st.markdown(block)


def _zip_buttons(cat: catalog.Catalog, state: url_state.ViewState, datasets: dict, shown: list) -> None:
    lang, active = i18n.lang(), active_filters(state)
    with st.container(horizontal=True):
        st.download_button(t("sources.downloads.zip"), data=functools.partial(_full_zip, cat, lang),
                           file_name=exports.bundle_name(cat.release), mime="application/zip",
                           key="sources.dl.zip", on_click="ignore", type="primary", icon=":material/folder_zip:")
        if active:
            narrowed = exports.narrow(datasets, "sources", shown)
            link = share.full_url(public_origin.current().url, state, "sources")
            st.download_button(t("sources.downloads.zip_filtered"), mime="application/zip",
                               data=functools.partial(_filtered_zip, narrowed, cat.release, link, active,
                                                      cat.root, lang),
                               file_name=exports.bundle_name(cat.release, filtered=True),
                               key="sources.dl.zip_filtered", on_click="ignore", icon=":material/filter_alt:",
                               help=t("sources.downloads.zip_filtered_help"))


def downloads(cat: catalog.Catalog, state: url_state.ViewState, shown: list) -> None:
    """The zip of everything (and the filtered zip when filters are set), then each dataset as CSV and JSON."""
    st.caption(t("sources.downloads.intro"))
    datasets = exports.tables(cat.datasets)
    _zip_buttons(cat, state, datasets, shown)
    for name, table in datasets.items():
        label = (f"**{t('sources.dataset.' + name)}** · "
                 f"{tn('sources.downloads.records', len(table.records), count=fmt.number(len(table.records)))}")
        _buttons(name, table, cat.release, f"sources.dl.{name}", label=label)


def _meta_lines(meta) -> list[str]:
    lines = []
    if meta.source_url:
        upstream = meta.source_url.rstrip("/").split("github.com/")[-1]
        lines.append(f"**{t('sources.provenance.source')}:** {citations.link(upstream, meta.source_url)}")
    lines += [f"**{t('sources.provenance.licence')}:** {citations.link(meta.license, meta.license_url)}",
              f"**{t('sources.provenance.accessed')}:** {fmt.date(meta.date_accessed)}"]
    if meta.curated_by:
        lines.append(f"**{t('sources.provenance.curated_by')}:** {widgets.escape_md(meta.curated_by)}")
    return lines


@cache.shared(max_entries=16)
def _provenance_texts(cat: catalog.Catalog, lang: str) -> tuple[tuple[str, str | None], ...]:
    """(dataset name, Markdown of its licence, upstream and date, or None without provenance)."""
    return tuple((name, None if cat.datasets[name].meta is None else "\n\n".join(_meta_lines(cat.datasets[name].meta)))
                 for name in PROVENANCE if name in cat.datasets)


def provenance(cat: catalog.Catalog) -> None:
    """Licence, upstream and date of each dataset; the curators' description of it is in the editorial notes."""
    for name, block in _provenance_texts(cat, i18n.lang()):
        fold = st.expander(t("sources.dataset." + name), key=f"sources.provenance.{name}", on_change="rerun")
        if not fold.open:  # a closed fold sends nothing; opening it reruns the page with its content
            continue
        with fold:
            if block is None:
                st.warning(t("sources.provenance.missing"))
            else:
                st.markdown(block)


def _curator_lines(cat: catalog.Catalog) -> list[str]:
    """'- `kind:id`: note' for every record that carries a curator's note, sources first."""
    lines = []
    for name, prefix in (("sources", "source"), *cite.PREFIX.items()):
        for record in cat[name].records:
            if getattr(record, "curator_note", None):
                lines.append(f"- `{prefix}:{record.id}`: {widgets.escape_md(record.curator_note)}")
    return lines


def _meta_notes(name: str, meta) -> str:
    parts = [f"**{widgets.escape_md(meta.title)}** (`{name}`)"]
    parts += [widgets.escape_md(getattr(meta, key)) for key in ("description", "source", "changes", "notes")
              if getattr(meta, key)]
    return "\n\n".join(parts)


@cache.shared(max_entries=8)
def _editorial_text(cat: catalog.Catalog) -> str:
    """Every curator's note, then each dataset's own description, as one Markdown block."""
    notes = [_meta_notes(name, cat.datasets[name].meta) for name in PROVENANCE
             if name in cat.datasets and cat.datasets[name].meta is not None]
    return "\n\n".join(["\n".join(_curator_lines(cat)), *notes])


def editorial_notes(cat: catalog.Catalog) -> None:
    """The curators' working notes (how titles were rebuilt, copies used, dates checked), folded away."""
    fold = st.expander(t("sources.editorial.header"), icon=":material/edit_note:", key="sources.editorial",
                       on_change="rerun")
    if fold.open:  # a closed fold sends nothing; opening it reruns the page with its content
        with fold:
            st.caption(t("sources.editorial.intro"))
            st.markdown(_editorial_text(cat))

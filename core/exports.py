"""Downloads (no Streamlit): records -> CSV (UTF-8 with BOM) / JSON bytes, and a zip with a README."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import types
import typing
import zipfile
from dataclasses import dataclass, replace

from pydantic import BaseModel

from core import i18n, load, schemas

DATASETS = ("events", "figures", "trips", "metrics", "sources", "units", "mapping")
MODELS = {**load.RECORD_SETS, **{load.TABLE_NAMES[rel]: model for rel, model in load.TABLES.items()}}
BUNDLE = "tinh-gon-bo-may-da-nang"


@dataclass(frozen=True)
class Table:
    """One dataset to export: its records (maybe filtered), provenance and record model."""

    records: list
    meta: schemas.Provenance | None
    model: type[BaseModel]
    total: int | None = None  # records before filtering; None when not filtered

    @property
    def filtered(self) -> bool:
        return self.total is not None


def tables(datasets, names=DATASETS) -> dict[str, Table]:
    """The catalog's datasets (name -> load.Dataset) as export tables, in download order."""
    return {n: Table(list(datasets[n].records), datasets[n].meta, MODELS[n]) for n in names}


def narrow(datasets: dict[str, Table], name: str, records: list) -> dict[str, Table]:
    """The same tables with one dataset narrowed to the records a page's filters kept."""
    table = datasets[name]
    return {**datasets, name: replace(table, records=list(records), total=len(table.records))}


def _kind(annotation) -> str:
    """How a field is written in a CSV cell: text (vi/en), texts, strs, json or plain."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _kind(inner[0]) if len(inner) == 1 else "plain"
    if annotation is schemas.Text:
        return "text"
    if origin is list:
        inner = args[0] if args else str
        if inner is schemas.Text:
            return "texts"
        return "json" if isinstance(inner, type) and issubclass(inner, BaseModel) else "strs"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "json"
    return "plain"


def columns(model: type[BaseModel]) -> list[str]:
    """CSV header: model fields in order, Text fields split into <field>_vi and <field>_en."""
    out = []
    for name, info in model.model_fields.items():
        out += [f"{name}_vi", f"{name}_en"] if _kind(info.annotation) in ("text", "texts") else [name]
    return out


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cells(name: str, kind: str, value) -> dict[str, str]:
    if kind == "text":
        return {f"{name}_vi": value.vi if value else "", f"{name}_en": (value.en or "") if value else ""}
    if kind == "texts":
        return {f"{name}_vi": "; ".join(v.vi for v in value), f"{name}_en": "; ".join(v.en or "" for v in value)}
    if kind == "strs":
        return {name: "; ".join(str(v) for v in value)}
    if kind == "json":
        dumped = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value
        return {name: json.dumps(dumped, ensure_ascii=False) if value else ""}
    return {name: _plain(value)}


def flatten(record: BaseModel) -> dict[str, str]:
    """One CSV row: Text as _vi/_en, lists joined with '; ', nested records as JSON, dates ISO."""
    row: dict[str, str] = {}
    for name, info in type(record).model_fields.items():
        row.update(_cells(name, _kind(info.annotation), getattr(record, name)))
    return row


def to_csv(records: list[BaseModel], model: type[BaseModel] | None = None) -> bytes:
    """A clean CSV table in UTF-8 with a BOM (so Excel shows Vietnamese correctly)."""
    model = model or (type(records[0]) if records else None)
    buffer = io.StringIO()
    if model is not None:
        writer = csv.DictWriter(buffer, fieldnames=columns(model))
        writer.writeheader()
        writer.writerows(flatten(r) for r in records)
    return buffer.getvalue().encode("utf-8-sig")


def header(dataset: str, release: schemas.Release | None, meta: schemas.Provenance | None = None,
           link: str | None = None, filters: dict | None = None) -> dict:
    """The JSON header: dataset, data version, as-of date, licence and (when filtered) link and filters."""
    out = {"dataset": dataset, "version": release.version if release else None,
           "as_of": release.as_of.isoformat() if release else None}
    if meta:
        out |= {"title": meta.title, "source": meta.source, "license": meta.license,
                "license_url": meta.license_url}
    if filters:
        out |= {"filters": filters, "link": link}
    return out


def to_json(records: list[BaseModel], release: schemas.Release | None, dataset: str = "",
            meta: schemas.Provenance | None = None, link: str | None = None, filters: dict | None = None) -> bytes:
    """UTF-8 JSON: the header fields plus "records" (Text kept as {vi, en}, dates ISO)."""
    body = header(dataset, release, meta, link, filters)
    body["records"] = [r.model_dump(mode="json") for r in records]
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def stamp(release: schemas.Release | None) -> str:
    return f"v{release.version}_{release.as_of.isoformat()}" if release else "unversioned"


def file_name(dataset: str, release: schemas.Release | None, ext: str, filtered: bool = False) -> str:
    """'events_v1.0.0_2026-11-27.csv': the version travels in the name so the CSV stays a clean table."""
    return f"{dataset}{'_filtered' if filtered else ''}_{stamp(release)}.{ext}"


def _t(lang: str, key: str, **values) -> str:
    """A README string in the given language (downloads are built outside the page's script run)."""
    return i18n.strings(lang).get(key, key).format(**values)


def _provenance(lang: str, name: str, files: list[str], table: Table) -> list[str]:
    meta = table.meta
    count = (_t(lang, "sources.readme.filtered_count", shown=len(table.records), total=table.total)
             if table.filtered else str(len(table.records)))
    lines = [f"### {name}" + (f" — {meta.title}" if meta else ""), "",
             f"- {_t(lang, 'sources.readme.files')}: " + ", ".join(f"`{f}`" for f in files),
             f"- {_t(lang, 'sources.readme.records')}: {count}"]
    if meta:
        lines += [f"- {_t(lang, 'sources.readme.licence')}: {meta.license} ({meta.license_url})",
                  f"- {_t(lang, 'sources.readme.source')}: {meta.source}"
                  + (f" ({meta.source_url})" if meta.source_url else "")]
        lines += [f"- {_t(lang, 'sources.readme.' + key)}: {getattr(meta, key)}"
                  for key in ("changes", "notes") if getattr(meta, key)]
    return lines + [""]


def _head(lang: str, release: schemas.Release | None, link: str | None, filters: dict | None) -> list[str]:
    lines = [f"# {_t(lang, 'app.title')}", "", _t(lang, "sources.readme.intro"), "",
             f"- {_t(lang, 'sources.readme.version')}: {release.version if release else '?'}",
             f"- {_t(lang, 'sources.readme.as_of')}: {release.as_of.isoformat() if release else '?'}"]
    if release and release.notes:
        lines.append(f"- {_t(lang, 'sources.readme.release_notes')}: {i18n.pick(release.notes, lang)[0]}")
    if filters:
        lines += ["", f"## {_t(lang, 'sources.readme.filtered')}", "",
                  f"- {_t(lang, 'sources.readme.link')}: {link or '—'}",
                  f"- {_t(lang, 'sources.readme.filters')}: " + "; ".join(f"{k}={v}" for k, v in filters.items())]
    return lines


def readme(datasets: dict[str, Table], release: schemas.Release | None, files: dict[str, list[str]],
           licences: list[str], lang: str = "vi", link: str | None = None, filters: dict | None = None) -> str:
    """README.md: version, as-of date, the filtered view's link and filters, each file's licence and source."""
    lines = _head(lang, release, link, filters) + ["", f"## {_t(lang, 'sources.readme.datasets')}", ""]
    for name, table in datasets.items():
        lines += _provenance(lang, name, files[name], table)
    lines += [f"## {_t(lang, 'sources.readme.formats')}", "", _t(lang, "sources.readme.format_text"), ""]
    if licences:
        lines += [f"## {_t(lang, 'sources.readme.licence_files')}", ""] + [f"- `licenses/{n}`" for n in licences]
    return "\n".join(lines).rstrip() + "\n"


def _write(archive: zipfile.ZipFile, name: str, data: bytes, when: tuple) -> None:
    # A fixed timestamp (the as-of date) makes the same release always give the same zip bytes.
    archive.writestr(zipfile.ZipInfo(name, date_time=when), data, compress_type=zipfile.ZIP_DEFLATED)


def bundle_name(release: schemas.Release | None, filtered: bool = False) -> str:
    return f"{BUNDLE}{'_filtered' if filtered else ''}_{stamp(release)}.zip"


def bundle_zip(datasets: dict[str, Table], release: schemas.Release | None, link: str | None = None,
               filters: dict | None = None, licences: dict[str, bytes] | None = None, lang: str = "vi") -> bytes:
    """Every dataset as CSV and JSON, the licence files and a README (with link and filters if filtered)."""
    day = release.as_of if release else dt.date(1980, 1, 1)
    when = (day.year, day.month, day.day, 0, 0, 0)
    licences = licences or {}
    buffer, files = io.BytesIO(), {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, table in datasets.items():
            narrowed = table.filtered and bool(filters)
            files[name] = [file_name(name, release, ext, narrowed) for ext in ("csv", "json")]
            _write(archive, files[name][0], to_csv(table.records, table.model), when)
            body = to_json(table.records, release, name, table.meta, *((link, filters) if narrowed else ()))
            _write(archive, files[name][1], body, when)
        for licence, data in licences.items():
            _write(archive, f"licenses/{licence}", data, when)
        text = readme(datasets, release, files, list(licences), lang, link, filters)
        _write(archive, "README.md", text.encode("utf-8"), when)
    return buffer.getvalue()

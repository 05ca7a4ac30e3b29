"""Exports: CSV with BOM that round-trips, JSON with a version header, and the zip with its README."""

import io
import json
import re
import zipfile

import pandas as pd
import pytest

from core import exports, i18n, load, schemas

BOM = b"\xef\xbb\xbf"



def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csv_starts_with_bom_and_keeps_vietnamese(cat):
    data = exports.to_csv(cat["units"].records)
    assert data.startswith(BOM)
    units = read_csv(data)
    assert list(units["name"]) == [u.name for u in cat["units"].records]
    assert any("Đ" in name or "ư" in name for name in units["name"])


@pytest.mark.parametrize("name, model, rows", [("units", schemas.NewUnit, 94), ("mapping", schemas.MappingRow, 282)])
def test_unit_tables_are_complete(cat, name, model, rows):
    table = read_csv(exports.to_csv(cat[name].records))
    assert len(table) == rows == len(cat[name].records)
    assert list(table.columns) == list(model.model_fields)
    first = cat[name].records[0]
    assert table.iloc[0].to_dict() == exports.flatten(first)


def test_text_fields_split_lists_joined_dates_iso(cat):
    event = next(e for e in cat["events"].records if len(e.sources) > 1 or len(e.topics) > 1)
    row = read_csv(exports.to_csv([event])).iloc[0]
    assert row["title_vi"] == event.title.vi and row["title_en"] == (event.title.en or "")
    assert row["topics"] == "; ".join(event.topics)
    assert row["sources"] == "; ".join(event.sources)
    assert row["date"] == event.date.isoformat()
    assert "title" not in row.index


def test_nested_alternatives_are_json_in_one_cell(cat):
    figure = next(f for f in cat["figures"].records if f.alternatives)
    row = read_csv(exports.to_csv([figure])).iloc[0]
    values = [alt["value"] for alt in json.loads(row["alternatives"])]
    assert values == [alt.value for alt in figure.alternatives]
    assert row["choice_reason_vi"] == figure.choice_reason.vi


def test_whole_numbers_have_no_trailing_zero():
    figure = schemas.Figure(id="x", indicator="population", label={"vi": "Dân số"}, value=3065628.0,
                            unit="people", as_of="2025-06-12", scope="new_city", sources=["s"],
                            confidence="high")
    assert read_csv(exports.to_csv([figure])).iloc[0]["value"] == "3065628"


def test_empty_selection_still_has_a_header():
    data = exports.to_csv([], schemas.Source)
    assert data.startswith(BOM)
    assert list(read_csv(data).columns) == exports.columns(schemas.Source)


def test_json_header_carries_version_and_as_of(cat):
    data = exports.to_json(cat["events"].records, cat.release, "events", cat["events"].meta)
    body = json.loads(data.decode("utf-8"))
    assert body["dataset"] == "events"
    assert body["version"] == cat.release.version
    assert body["as_of"] == cat.release.as_of.isoformat()
    assert body["license_url"] == cat["events"].meta.license_url
    assert len(body["records"]) == len(cat["events"].records)
    assert "Đà Nẵng".encode() in data  # not \\u-escaped


def test_csv_file_name_carries_version_and_as_of(cat):
    name = exports.file_name("events", cat.release, "csv")
    assert name == f"events_v{cat.release.version}_{cat.release.as_of.isoformat()}.csv"
    assert "filtered" in exports.file_name("sources", cat.release, "csv", filtered=True)


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_full_zip_has_every_dataset_licences_and_readme(cat):
    data = exports.bundle_zip(exports.tables(cat.datasets), cat.release, licences=load.read_licences(cat.root))
    archive = open_zip(data)
    names = set(archive.namelist())
    for dataset in exports.DATASETS:
        assert {exports.file_name(dataset, cat.release, "csv"), exports.file_name(dataset, cat.release, "json")} <= names
        assert archive.read(exports.file_name(dataset, cat.release, "csv")).startswith(BOM)
    assert {"licenses/LICENSE-vietnamadminunits", "licenses/LICENSE-vietnamese-provinces-database"} <= names
    readme = archive.read("README.md").decode("utf-8")
    assert cat.release.version in readme and cat.release.as_of.isoformat() in readme
    assert cat["units"].meta.license in readme and cat["events"].meta.license in readme
    assert cat["events"].meta.license_url in readme
    assert i18n.strings("vi")["sources.readme.filtered"] not in readme  # no filter section when full


def test_filtered_zip_names_link_filters_and_holds_only_kept_rows(cat):
    kept = [s for s in cat["sources"].records if s.kind == "legal"]
    datasets = exports.narrow(exports.tables(cat.datasets), "sources", kept)
    link = "http://localhost:8501/sources?kind=legal"
    archive = open_zip(exports.bundle_zip(datasets, cat.release, link, {"kind": "legal"}))
    readme = archive.read("README.md").decode("utf-8")
    assert link in readme and "kind=legal" in readme
    assert f"{len(kept)} trên {len(cat['sources'].records)}" in readme
    rows = read_csv(archive.read(exports.file_name("sources", cat.release, "csv", filtered=True)))
    assert sorted(rows["id"]) == sorted(s.id for s in kept)
    body = json.loads(archive.read(exports.file_name("sources", cat.release, "json", filtered=True)))
    assert body["filters"] == {"kind": "legal"} and body["link"] == link
    assert len(read_csv(archive.read(exports.file_name("events", cat.release, "csv")))) == len(cat["events"].records)


def test_zip_is_reproducible_and_readme_follows_language(cat):
    datasets = exports.tables(cat.datasets, ("units",))
    assert exports.bundle_zip(datasets, cat.release) == exports.bundle_zip(datasets, cat.release)
    english = open_zip(exports.bundle_zip(datasets, cat.release, lang="en")).read("README.md").decode()
    vietnamese = open_zip(exports.bundle_zip(datasets, cat.release, lang="vi")).read("README.md").decode()
    assert "Data version" in english and "Phiên bản dữ liệu" in vietnamese


def test_every_readme_key_exists_in_both_languages():
    with open(exports.__file__, encoding="utf-8") as fh:
        keys = set(re.findall(r"_t\(lang, ['\"]([a-z_.]+)['\"][,)]", fh.read()))
    keys |= {"sources.readme." + k for k in ("changes", "notes")}
    assert keys
    for lang in i18n.LANGS:
        assert keys <= set(i18n.strings(lang)), lang

"""The shipped data validates, every file has provenance, and the content rules hold."""

import unicodedata
from pathlib import Path

import pytest

from core import catalog, load, national, paths

ROOT = paths.ROOT / "data"
CAT = catalog.build(ROOT)


def test_no_problems_in_shipped_data():
    assert [str(p) for p in CAT.all_problems()] == []


@pytest.mark.parametrize("path", sorted(p for p in catalog.data_files(ROOT)
                                        if p.suffix in (".yaml", ".csv", ".geojson")
                                        and not p.name.endswith(".meta.yaml")
                                        and p.name != "release.yaml"), ids=lambda p: p.name)
def test_every_data_file_has_provenance(path: Path):
    meta = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.yaml")
    assert meta.exists(), meta


@pytest.mark.parametrize("path", catalog.data_files(ROOT), ids=lambda p: p.name)
def test_text_files_are_nfc(path: Path):
    if path.suffix in (".yaml", ".csv", ".geojson", ".md"):
        text = path.read_text(encoding="utf-8")
        assert text == unicodedata.normalize("NFC", text)


def test_every_record_cites_a_known_source():
    known = CAT.ids("sources")
    for name in ("events", "figures", "trips", "metrics"):
        for record in CAT[name].records:
            assert record.sources and set(record.sources) <= known, record.id


def test_every_source_is_cited():
    cited = {s for name in ("events", "figures", "trips", "metrics") for r in CAT[name].records
             for s in list(r.sources) + [x for a in getattr(r, "alternatives", []) for x in a.sources]}
    cited |= set(national.SOURCES + national.MAP_SOURCES)  # cited by the country page
    assert sorted(CAT.ids("sources") - cited) == []


def test_required_content_is_present():
    events = CAT["events"].records
    policy = [e for e in events if "policy" in e.topics]
    merger = [e for e in events if {"merger", "apparatus"} & set(e.topics)]
    assert len(policy) >= 12 and len(merger) >= 12
    assert any(e.date.isoformat() == "2017-10-25" for e in policy)
    assert any("training" in e.topics and e.date.isoformat() == "2025-07-07" for e in events)
    units = CAT["units"].records
    assert len(units) == 94
    assert {t: sum(u.unit_type == t for u in units) for t in ("phường", "xã", "đặc khu")} == {
        "phường": 23, "xã": 70, "đặc khu": 1}


def test_licence_files_are_copied():
    for name in ("LICENSE-vietnamadminunits", "LICENSE-vietnamese-provinces-database"):
        assert "MIT" in (ROOT / "units" / name).read_text(encoding="utf-8")


def test_release_stamp():
    assert CAT.release is not None and CAT.release.version


def test_geojson_codes_match_units():
    codes = {f["properties"]["code"] for f in CAT["boundaries"].records[0]["features"]}
    assert codes == CAT.ids("units", "code")


def test_load_keeps_dates_as_strings_until_validated():
    data, problems = load.read_yaml(ROOT / "release.yaml", "release.yaml")
    assert problems == [] and isinstance(data["as_of"], str)

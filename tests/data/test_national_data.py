"""data/national/: schema and cross-checks, Đà Nẵng against data/units, and the province table
checked against the shared source CSVs read here independently of the app's code."""

from __future__ import annotations

import csv
import os
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from core import catalog, national, national_data
from tests.conftest import DATA, ROOT

# The team's shared source files sit beside the repository (../shared); a checkout elsewhere
# points at them with SHARED_DATA_SOURCES=/path/to/data-sources.
SHARED = Path(os.environ.get("SHARED_DATA_SOURCES") or ROOT.parent / "shared" / "data-sources") / "national-2025"


@pytest.fixture(scope="module")
def data():
    return national_data.build(DATA, units_mapping=catalog.build(DATA)["mapping"].records)


def test_national_files_are_valid(data):
    assert [str(p) for p in data.problems] == []
    # 10,602 source rows; the reconciliation with the resolutions (reconciliation.csv) removed 31 false splits
    assert (len(data["provinces"]), len(data["new_communes"]), len(data["mapping"])) == (34, 3321, 10571)
    assert len(data["old_provinces"]) == 63
    assert len({r.old_code for r in data["mapping"]}) == 10040
    assert all(r.clause is not None for r in data["mapping"])


def test_every_file_has_provenance_and_licences(data):
    assert set(data.meta) == {*national_data.TABLES, "boundaries"}
    assert all(meta is not None for meta in data.meta.values())
    # datasets are MIT; the government site's figures and geometry are not called MIT; legal text is not copyrighted
    assert all(data.meta[n].license == "MIT" for n in ("mapping", "districts", "old_provinces"))
    for name in ("provinces", "new_communes", "boundaries"):
        assert data.meta[name].license.startswith("MIT (the dataset)") and "none stated" in data.meta[name].license
    assert "Art. 15" in data.meta["clauses"].license
    for name in ("LICENSE-vietnamadminunits", "LICENSE-vietnamese-provinces-database"):
        assert "MIT" in (DATA / "national" / name).read_text(encoding="utf-8")


def test_boundaries_are_small_enough():
    assert (DATA / "national" / "boundaries.geojson").stat().st_size <= 500_000


def test_danang_rows_agree_with_the_units_mapping(data):
    units = catalog.build(DATA)["mapping"].records
    assert len(units) == 282
    assert national_data.danang_disagreements(data, units) == []


def test_a_disagreement_with_danang_is_listed(data):
    units = catalog.build(DATA)["mapping"].records
    changed = [u.model_copy(update={"new_code": "20242"}) if u.old_code == "20296" and u.new_code == "20197"
               else u for u in units]
    found = national_data.danang_disagreements(data, changed)
    assert "20296->20242 only in units/mapping.csv" in found
    assert "20296->20197 only in national/mapping.csv" in found


def test_broken_rows_are_named_by_file_line_and_field(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    path = target / "national" / "provinces.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",124,", ",125,", 1)  # Tuyên Quang's count no longer matches its communes
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = target / "national" / "mapping.csv"
    rows = mapping.read_text(encoding="utf-8").splitlines()
    fields = rows[5].split(",")
    fields[4] = "99999"  # new_code
    rows[5] = ",".join(fields)
    rows[7] = rows[7].replace(",whole,", ",half,", 1)
    mapping.write_text("\n".join(rows) + "\n", encoding="utf-8")
    clauses = target / "national" / "clauses.csv"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace("\n1656/NQ-UBTVQH15,14,", "\n1656/NQ-UBTVQH15,914,"),
                       encoding="utf-8")
    found = [str(p) for p in national_data.build(target).problems]
    assert "national/provinces.csv:4: communes_after: 125 but new_communes.csv has 124" in found
    assert "national/mapping.csv:6: new_code: unknown new commune '99999'" in found
    assert any(p.startswith("national/mapping.csv:8: share:") for p in found), found
    assert "national/mapping.csv:2: clause: 1656/NQ-UBTVQH15 khoản 14 not in clauses.csv" in found


def _shared_rows(name: str) -> list[dict]:
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data sources missing at {SHARED} (set SHARED_DATA_SOURCES)")
        pytest.skip(f"shared data sources not found at {SHARED}")
    with open(SHARED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_province_table_matches_the_shared_sources(data):
    """Counts recomputed from the shared mapping, figures parsed from the shared bando table."""
    raw = _shared_rows("legacy_to_2025_mapping.csv")
    after, before, names = defaultdict(set), defaultdict(set), {}
    for row in raw:
        after[row["newProvinceCode"]].add(row["newWardCode"])
        before[row["newProvinceCode"]].add((row["districtCode"], row["wardCode"]))
        names[row["newProvinceCode"]] = row["newProvince"]
    frame = national.province_frame(data).set_index("code")
    assert sorted(frame.index) == sorted(after)
    for code in after:
        assert frame.loc[code, "name"] == names[code]
        assert frame.loc[code, "communes_after"] == len(after[code]), code
        assert frame.loc[code, "communes_before"] == len(before[code]), code
        expected = round(100 * (1 - len(after[code]) / len(before[code])), 1)
        assert frame.loc[code, "reduction_pct"] == pytest.approx(expected), code
    bando = {r["tentinh"].split(" ", 1)[-1].replace("phố ", "").lower(): r
             for r in _shared_rows("provinces_2025_bando.csv")}
    danang = bando["đà nẵng"]
    assert frame.loc["48", "area_km2"] == float(danang["dientichkm2"].replace(".", "").replace(",", "."))
    assert frame.loc["48", "population"] == int(danang["dansonguoi"].replace(".", ""))
    assert Counter(frame.communes_after)[94] >= 1


def test_every_old_commune_of_the_shared_mapping_has_a_new_home(data):
    """Same pairs as the shared mapping except for the old communes decided in reconciliation.csv."""
    raw = _shared_rows("legacy_to_2025_mapping.csv")
    decided = {r.old_code.lstrip("0") for r in data["reconciliation"]}
    shipped = {(r.old_code.lstrip("0"), r.new_code) for r in data["mapping"]}
    wanted = {((str(int(float(r["wardCode"]))) if r["wardCode"] else r["districtCode"]), r["newWardCode"])
              for r in raw}
    assert {o for o, _ in shipped} == {o for o, _ in wanted}
    assert {p for p in shipped if p[0] not in decided} == {p for p in wanted if p[0] not in decided}
    assert len(decided) == 56

"""data/national/ against the resolutions' clauses: the decision rules of scripts/reconcile_national.py
re-run on the shipped files, so that an edit reintroducing a false split, a cut name or a duplicated
figure fails and names file:line. The rebuild from the shared sources (skipped without them) must
give the shipped files exactly."""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from scripts import prepare_national
from scripts import reconcile_national as rn
from tests.conftest import DATA, ROOT

NATIONAL = DATA / "national"
SHARED = Path(os.environ.get("SHARED_DATA_SOURCES") or ROOT.parent / "shared" / "data-sources")


def _rows(name: str, folder: Path = NATIONAL) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def check_rows_against_clauses(folder: Path = NATIONAL) -> list[str]:
    """Every mapping row: the clause it cites forms its new commune and names its old commune
    (same-named units told apart as the script does), with the same share."""
    mapping, communes = _rows("mapping", folder), _rows("new_communes", folder)
    districts = {d["code"]: d for d in _rows("districts", folder)}
    old_provinces = {p["code"]: p for p in _rows("old_provinces", folder)}
    clauses = {(c["resolution"], int(c["clause"])): rn.parse_clause(int(c["clause"]), c["text"])
               for c in _rows("clauses", folder)}
    new_units = {c["code"]: rn.NewUnit(c["code"], c["unit_type"], c["name"], c["province_code"]) for c in communes}
    olds, seen = defaultdict(list), set()
    for row in mapping:
        if row["old_code"] in seen:
            continue
        seen.add(row["old_code"])
        province = old_provinces[districts[row["district_code"]]["province_code"]]
        olds[province["new_province_code"]].append(rn.OldUnit(
            row["old_code"], row["old_type"], row["old_name"], districts[row["district_code"]]["name"],
            province["new_province_code"], province["name"], row["district_code"]))
    resolved = {}
    problems = []
    for line, row in enumerate(mapping, start=2):
        where = f"national/mapping.csv:{line}: clause"
        key = (row["resolution"], int(row["clause"]))
        clause, new = clauses.get(key), new_units[row["new_code"]]
        if clause is None:
            problems.append(f"{where}: {key} not in clauses.csv")
            continue
        formed = [(clause.new_type, clause.new_name)] if clause.new_name else \
            [(i.unit_type, i.name) for i in clause.unchanged]
        if not any(rn.find_units([new], t, n) for t, n in formed):
            problems.append(f"{where}: {row['resolution']} khoản {row['clause']} does not form {new.name}")
            continue
        if key not in resolved:
            resolved[key] = rn.resolve_items(clause.items or clause.unchanged, olds[new.province])
        named = {u.code: item.share for item, units in resolved[key].items() for u in units
                 if clause.new_name or rn.find_units([new], item.unit_type, item.name)}
        if row["old_code"] not in named:
            problems.append(f"{where}: {row['resolution']} khoản {row['clause']} forming {new.name} "
                            f"does not name {row['old_type']} {row['old_name']} ({row['old_code']})")
        elif named[row["old_code"]] != row["share"]:
            problems.append(f"national/mapping.csv:{line}: share: {row['share']} but khoản {row['clause']} "
                            f"says {named[row['old_code']]}")
    return problems


def test_every_row_is_backed_by_its_clause():
    assert check_rows_against_clauses() == []


def test_a_false_split_is_caught_with_file_and_line(tmp_path):
    """Phường 4 of Tân An put partly into Tây Ninh's Tân Ninh (the government site's error)."""
    for name in ("mapping", "new_communes", "districts", "old_provinces", "clauses"):
        (tmp_path / f"{name}.csv").write_bytes((NATIONAL / f"{name}.csv").read_bytes())
    frame = pd.read_csv(tmp_path / "mapping.csv", dtype=str, keep_default_na=False)
    row = frame[(frame.old_code == "27691")].iloc[0].to_dict()
    tan_ninh = frame[frame.new_code == "25459"].iloc[0]
    frame = pd.concat([frame, pd.DataFrame([{**row, "new_code": "25459", "resolution": tan_ninh.resolution,
                                             "clause": tan_ninh.clause}])], ignore_index=True)
    frame.to_csv(tmp_path / "mapping.csv", index=False, lineterminator="\n")
    found = check_rows_against_clauses(tmp_path)
    line = len(frame) + 1
    assert any(p.startswith(f"national/mapping.csv:{line}: clause:") and "(27691)" in p for p in found), found


def test_no_cut_names():
    bad = [f"national/mapping.csv:{i}: old_name: '{r['old_name']}'" for i, r in enumerate(_rows("mapping"), 2)
           if rn.is_cut_name(r["old_name"])]
    bad += [f"national/new_communes.csv:{i}: name: '{r['name']}'" for i, r in enumerate(_rows("new_communes"), 2)
            if rn.is_cut_name(r["name"])]
    assert bad == []
    assert rn.is_cut_name("ị trấn Ngọc Lặc") and rn.is_cut_name("ường 5") and rn.is_cut_name("é Tòng")


def test_no_repeated_figures_are_shown():
    communes = pd.read_csv(NATIONAL / "new_communes.csv", dtype=str, keep_default_na=False)
    repeated = prepare_national.same_figures(communes)
    assert [f"national/new_communes.csv:{i + 2}: area_km2,population: {communes.name[i]} repeats another "
            f"commune's figures" for i in communes.index[repeated]] == []
    hoang_sa = communes.set_index("code").loc["20333"]
    assert (hoang_sa.population, hoang_sa.figures_doubtful) == ("", "1")
    shown = communes[communes.figures_doubtful == "0"]
    assert (shown.population != "").sum() > 2900 and shown.population.str.fullmatch(r"\d*").all()
    assert communes.set_index("code").loc["07969", "population"] == "30509"  # "30,509" in the source


def test_population_basis_for_every_province():
    provinces = pd.read_csv(NATIONAL / "provinces.csv", dtype=str, keep_default_na=False)
    assert len(provinces) == 34
    merged = provinces.old_provinces.str.contains(";")
    assert (provinces.population_basis == merged.map({True: "resolution", False: "government-site"})).all()
    assert Counter(provinces.population_basis) == {"resolution": 23, "government-site": 11}
    assert provinces.resolution.is_unique and provinces.resolution.str.fullmatch(r"16[5-8]\d/NQ-UBTVQH15").all()


def test_reconciliation_rows_are_complete():
    rec = pd.read_csv(NATIONAL / "reconciliation.csv", dtype=str, keep_default_na=False)
    assert list(rec.columns) == rn.RECONCILIATION_COLUMNS
    for column in ("decision", "resolution", "clause", "reason"):
        assert (rec[column] != "").all(), column
    assert set(rec.decision) <= {"government", "resolutions", "neither"}


def _shared(path: str) -> Path:
    folder = SHARED / path
    if not folder.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data sources missing at {folder} (set SHARED_DATA_SOURCES)")
        pytest.skip(f"shared data sources not found at {folder}")
    return folder


@pytest.fixture(scope="module")
def rebuilt():
    return prepare_national.build_tables(_shared("national-2025"), _shared("dvhcvn-20250701"))


def test_reconciliation_lists_every_disagreement(rebuilt):
    """Disagreements counted here from the two shared mappings, independently of the script."""
    gov, res = defaultdict(set), defaultdict(set)
    for row in csv.DictReader(open(_shared("national-2025") / "legacy_to_2025_mapping.csv", encoding="utf-8")):
        old = f"{int(float(row['wardCode'])):05d}" if row["wardCode"] else f"{int(row['districtCode']):03d}"
        gov[old].add(row["newWardCode"])
    for row in csv.DictReader(open(_shared("dvhcvn-20250701") / "national_clauses.csv", encoding="utf-8")):
        res[row["old_commune_code"]].add(row["new_commune_code"])
    disagree = {code for code in gov.keys() & res.keys() if gov[code] != res[code]}
    rec = pd.read_csv(NATIONAL / "reconciliation.csv", dtype=str, keep_default_na=False)
    assert len(disagree) == 54
    assert disagree <= set(rec.old_code)
    assert len(rec) == len(rebuilt["reconciliation"])
    shared = set(rec.old_code) - disagree  # pairs both mappings give but no clause supports
    assert all(gov[c] == res[c] for c in shared)


def test_shipped_files_equal_a_rebuild(rebuilt):
    for name in ("mapping", "provinces", "new_communes", "clauses", "reconciliation", "old_provinces", "districts"):
        shipped = pd.read_csv(NATIONAL / f"{name}.csv", dtype=str, keep_default_na=False)
        built = rebuilt[name].astype(str).reset_index(drop=True)
        pd.testing.assert_frame_equal(shipped, built.replace("nan", ""), check_dtype=False, obj=name)

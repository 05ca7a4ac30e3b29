"""Build data/national/ (34 provinces, 3,321 new communes, the old→new mapping reconciled with the
resolutions, the cited clauses, boundaries)."""

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core import text  # noqa: E402
from scripts import reconcile_national  # noqa: E402
from scripts.prepare_units import DataError, clean, require  # noqa: E402  (shared cross-check helpers)

OUT_DIR = ROOT / "data" / "national"
DEFAULT_SOURCES = ROOT.parent / "shared" / "data-sources" / "national-2025"
DEFAULT_DVHCVN = ROOT.parent / "shared" / "data-sources" / "dvhcvn-20250701"
POPULATION_TOLERANCE = (2, 0.0005)  # people, share: two populations this close are the same figure
NO_POPULATION = {"20333": "Đặc khu Hoàng Sa: the source repeats Khâm Đức's population (as data/units/)"}
SIMPLIFY_TOLERANCE = 0.01  # degrees, about 1.1 km: a country map at classroom size
COORD_DECIMALS = 3  # about 110 m
MAX_GEOJSON_BYTES = 500_000
NEW_TYPES = {"phường": "phuong", "xã": "xa", "đặc khu": "dac_khu"}
PROVINCE_WORDS = re.compile(r"^(thủ đô|thành phố|tỉnh)\s+", flags=re.IGNORECASE)


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as text only, every cell cleaned."""
    require(path.is_file(), f"missing input file {path}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.apply(lambda column: column.map(clean))


def vn_number(value: str) -> float:
    """'3.359,80' -> 3359.8; '8.718.000' -> 8718000."""
    return float(value.replace(".", "").replace(",", "."))


def population(value: str) -> str:
    """'30509' or '30,509' (thousands separator) -> '30509'; 'đang cập nhật' -> ''."""
    value = value.strip()
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+|\d+", value):
        return str(int(re.sub(r"[,.]", "", value)))
    return ""


def province_key(name: str) -> str:
    """'Thủ đô Hà Nội' and 'Thành phố Hà Nội' -> 'ha noi' (join key)."""
    return text.fold(PROVINCE_WORDS.sub("", name))


def name_key(name: str) -> str:
    """Join key of a commune name: tone placement, case and apostrophe style ignored."""
    return text.exact(name.replace("\u2019", "'"))


def code5(value: str) -> str:
    """'20227.0' -> '20227'."""
    return f"{int(float(value)):05d}" if value else ""


def build_mapping(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(mapping rows, old districts, old provinces) from the 10,602-row source."""
    island = raw.wardCode == ""  # five island districts without communes: the district is the unit
    district_code = raw.districtCode.map(lambda v: f"{int(v):03d}")
    typed = raw.ward.map(reconcile_national.split_type)  # type word read from the name itself
    old_type = typed.map(lambda t: t[0])
    old_name = typed.map(lambda t: t[1])
    cut = raw.apply(lambda r: reconcile_national.is_cut_name(r.ward[len(r.wardType):].strip()), axis=1)
    wrong_type = (old_type != raw.wardType.str.lower()) & ~island
    require(not (old_type[~island] == "").any(), "a commune name without its type word")
    print(f"  names fixed: {int((cut & ~island).sum())} rows cut by a wrong type word "
          f"({sorted(set(raw.ward[cut & ~island]))}); type corrected on {int(wrong_type.sum())} rows")
    mapping_rows = pd.DataFrame({
        "old_code": raw.wardCode.map(code5).mask(island, district_code),
        "old_type": old_type.mask(island, "huyện"),
        "old_name": old_name.mask(island, raw.district.str.replace(r"^Huyện\s+", "", regex=True)),
        "district_code": district_code,
        "new_code": raw.newWardCode,
        "divided_flag": raw.isDividedWard.map({"True": "1", "False": "0"}),
    })
    require(mapping_rows.notna().all().all(), "unexpected empty value or flag in the mapping")
    require(not mapping_rows.duplicated(["old_code", "new_code"]).any(), "duplicate old/new pairs")
    districts = pd.DataFrame({
        "code": district_code, "name": raw.district,
        "province_code": raw.provinceCode.map(lambda v: f"{int(v):02d}"),
    }).drop_duplicates().sort_values("code")
    require(districts.code.is_unique, "a district code has two names")
    old_provinces = pd.DataFrame({
        "code": raw.provinceCode.map(lambda v: f"{int(v):02d}"), "name": raw.province,
        "new_province_code": raw.newProvinceCode,
    }).drop_duplicates().sort_values("code")
    return mapping_rows, districts, old_provinces


def main_province(old_provinces: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Each old province's new province: the one that took most of its communes."""
    counts = raw.assign(code=raw.provinceCode.map(lambda v: f"{int(v):02d}")).groupby(
        ["code", "newProvinceCode"]).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False).drop_duplicates("code")
    many = counts.code.value_counts()
    print(f"  old provinces whose communes went to >1 new province: {sorted(many[many > 1].index)}")
    names = old_provinces.drop_duplicates("code")[["code", "name"]]
    return names.merge(best[["code", "newProvinceCode"]], on="code").rename(
        columns={"newProvinceCode": "new_province_code"}).sort_values("code")


def parse_con(value: str) -> dict[str, int]:
    """'126 ĐVHC (51 phường và 75 xã)' -> {'total': 126, 'phuong': 51, 'xa': 75, 'dac_khu': 0}."""
    found = {"total": int(re.match(r"(\d+)", value).group(1)), "phuong": 0, "xa": 0, "dac_khu": 0}
    for number, kind in re.findall(r"(\d+)\s+(phường|xã|đặc khu)", value):
        found[NEW_TYPES[kind]] = int(number)
    return found


def build_new_communes(raw, wards, bando_code: dict, provinces_population: set[str]) -> pd.DataFrame:
    """The 3,321 new communes: codes and names from the mapping, figures and wording from bando."""
    new = raw.drop_duplicates("newWardCode")[
        ["newWardCode", "newProvinceCode", "newWardType", "newWardShort"]
    ].set_axis(["code", "province_code", "unit_type", "name"], axis=1)
    new["unit_type"] = new.unit_type.str.lower()
    require(new.code.is_unique and len(new) == 3321, f"{len(new)} new communes, expected 3,321")
    wards = wards.assign(province_code=wards.tentinh.map(province_key).map(bando_code))
    require(wards.province_code.notna().all(), "a bando ward has an unknown province")
    key = lambda f, name: f.province_code + "|" + f.unit_type + "|" + f[name].map(name_key)  # noqa: E731
    wards = wards.assign(unit_type=wards.loai, _key=lambda f: key(f, "tenhc"))
    new = new.assign(_key=key(new, "name"))
    require(wards._key.is_unique, "two bando wards share province, type and name")
    joined = new.merge(wards, on="_key", how="left", suffixes=("", "_b"))
    missing = joined.loc[joined.tenhc.isna(), "name"].tolist()
    require(not missing, f"new communes not found on bando: {missing[:20]}")
    communes = pd.DataFrame({
        "code": joined.code, "province_code": joined.province_code, "unit_type": joined.unit_type,
        "name": joined.name, "area_km2": joined.dientichkm2,
        "population": joined.dansonguoi.map(population),
        "figures_doubtful": "0", "former_text": joined.truocsapnhap,
    })
    return drop_doubtful(communes, provinces_population).sort_values("code").reset_index(drop=True)


def same_figures(communes: pd.DataFrame) -> pd.Series:
    """True for a commune whose area and population repeat another commune's: the same area within
    rounding (equal when both are rounded to the coarser of their two precisions: 136.717 = 136.72)
    and the same population within POPULATION_TOLERANCE, whatever the names' spelling."""
    area = pd.to_numeric(communes.area_km2, errors="coerce")
    people = pd.to_numeric(communes.population, errors="coerce")
    decimals = communes.area_km2.map(lambda v: len(v.split(".")[1]) if "." in v else 0)
    ok = area.notna() & people.notna() & (area > 0)
    index = communes.index[ok]
    a, p, d = area[ok].to_numpy(), people[ok].to_numpy(), decimals[ok].to_numpy()
    repeated = np.zeros(len(index), dtype=bool)
    order = np.argsort(p)
    absolute, share = POPULATION_TOLERANCE
    for k, i in enumerate(order):  # neighbours in population order only: O(n log n)
        for j in order[k + 1:]:
            if p[j] - p[i] > max(absolute, share * p[i]):
                break
            coarse = min(d[i], d[j])
            if abs(round(a[i], coarse) - round(a[j], coarse)) < 1e-9:
                repeated[i] = repeated[j] = True
    return pd.Series(repeated, index=index).reindex(communes.index, fill_value=False)


def drop_doubtful(communes: pd.DataFrame, provinces_population: set[str]) -> pd.DataFrame:
    """Empty the figures the scrape copied between communes.

    The source gives e.g. Xã Lao Chải of Tuyên Quang and of Lào Cai the same area and population
    to the last digit; one of each such pair is wrong and nothing says which, so neither is shown.
    Repeats are found by closeness, not exact text (Xã Thanh An: 136.72 and 136.717 km², 25,324).
    """
    exact = communes.duplicated(["name", "area_km2", "population"], keep=False) & (communes.area_km2 != "")
    repeated = same_figures(communes)
    print(f"  repeated figures: {int(repeated.sum())} communes "
          f"({int((repeated & ~exact).sum())} more than the exact-text rule finds: "
          f"{communes.name[repeated & ~exact].tolist()})")
    zero_area = pd.to_numeric(communes.area_km2, errors="coerce").fillna(0) <= 0
    print(f"  communes with area 0 or missing: {communes.name[zero_area].tolist()}")
    province_figure = communes.population.isin(provinces_population) & (communes.population != "")
    doubtful = repeated | province_figure | zero_area
    no_population = communes.code.isin(NO_POPULATION)
    print(f"  commune figures left out as doubtful: {int(doubtful.sum())} "
          f"(a province's population: {communes.name[province_figure].tolist()}); "
          f"population only: {[NO_POPULATION[c] for c in communes.code[no_population]]}")
    return communes.assign(
        area_km2=communes.area_km2.mask(doubtful, ""),
        population=communes.population.mask(doubtful | no_population, ""),
        figures_doubtful=(doubtful | no_population).map({True: "1", False: "0"}))


def build_provinces(raw, bando, old_main, mapping_rows, new_communes,
                    resolution_of: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """The 34 provinces with figures from bando and unit counts checked three ways.

    population_basis: the site gives a merged province the population its merger resolution
    (202/2025/QH15) states, and an unmerged one its own figure ('government-site'); the two are
    not on one basis, so no national total is summed across them."""
    new = raw.drop_duplicates("newProvinceCode")[["newProvinceCode", "newProvince"]]
    by_key = {province_key(n): c for c, n in zip(new.newProvinceCode, new.newProvince, strict=True)}
    bando = bando.assign(code=bando.tentinh.map(province_key).map(by_key))
    require(bando.code.notna().all() and len(bando) == 34, "bando provinces do not join the mapping")
    rows = []
    for b in bando.sort_values("code").itertuples():
        con = parse_con(b.con)
        olds = old_main[old_main.new_province_code == b.code]
        mine = new_communes[new_communes.province_code == b.code]
        types = mine.unit_type.map(NEW_TYPES).value_counts().to_dict()
        counted = {"total": len(mine), **{k: types.get(k, 0) for k in NEW_TYPES.values()}}
        require(counted == con, f"{b.tentinh}: bando says {con}, the commune list has {counted}")
        province_of = new_communes.set_index("code").province_code
        before = mapping_rows.old_code[mapping_rows.new_code.map(province_of) == b.code].nunique()
        require(before == raw.assign(k=raw.districtCode + "|" + raw.wardCode)[
            raw.newProvinceCode == b.code].k.nunique(), f"{b.tentinh}: communes before changed")
        key = province_key(b.tentinh)
        require(key in resolution_of, f"{b.tentinh}: no commune-level resolution")
        rows.append({
            "code": b.code, "name": new.set_index("newProvinceCode").newProvince[b.code],
            "slug": text.slug(province_key(b.tentinh)),
            "old_provinces": "; ".join(olds.name), "area_km2": vn_number(b.dientichkm2),
            "population": int(vn_number(b.dansonguoi)),
            "communes_before": before,
            "communes_after": con["total"], "phuong": con["phuong"], "xa": con["xa"],
            "dac_khu": con["dac_khu"], "centre": b.trungtamhc,
            "resolution": resolution_of[key],
            "population_basis": "resolution" if len(olds) > 1 else "government-site",
        })
    return pd.DataFrame(rows), dict(zip(bando.mahc, bando.code, strict=True))


def simplify(geometry):
    """Simplify, round coordinates, keep a valid MultiPolygon."""
    simple = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    simple = shapely.transform(simple, lambda xy: np.round(xy, COORD_DECIMALS))
    if not simple.is_valid:
        parts = shapely.get_parts(shapely.make_valid(simple))
        simple = shapely.MultiPolygon([p for part in parts if part.geom_type.endswith("Polygon")
                                       for p in shapely.get_parts(part)])
    require(simple.is_valid and not simple.is_empty, "a simplified geometry is invalid or empty")
    return shapely.MultiPolygon([simple]) if simple.geom_type == "Polygon" else simple


def build_boundaries(folder: Path, provinces: pd.DataFrame) -> dict:
    """One simplified feature per province with properties code and name."""
    names = dict(zip(provinces.code, provinces.name, strict=True))
    features, before, after = [], 0, 0
    for path in sorted(folder.glob("*.geojson")):
        feature = json.loads(path.read_text(encoding="utf-8"))["features"][0]
        code = feature["properties"]["code"]
        require(code in names, f"{path.name}: unknown province code {code}")
        geometry = shape(feature["geometry"])
        simple = simplify(geometry)
        before += shapely.get_num_coordinates(geometry)
        after += shapely.get_num_coordinates(simple)
        features.append({"type": "Feature", "properties": {"code": code, "name": names[code]},
                         "geometry": mapping(simple)})
    require(sorted(f["properties"]["code"] for f in features) == sorted(names), "codes differ")
    print(f"  boundaries: {before:,} vertices -> {after:,} (tolerance {SIMPLIFY_TOLERANCE}°)")
    return {"type": "FeatureCollection", "features": features}


def compare_danang(mapping_rows, districts, units_mapping: Path) -> list[str]:
    """Every disagreement between the national rows for Đà Nẵng and data/units/mapping.csv."""
    ours = pd.read_csv(units_mapping, dtype=str, keep_default_na=False)
    national = mapping_rows[mapping_rows.new_code.isin(set(ours.new_code))
                            | mapping_rows.old_code.isin(set(ours.old_code))]
    theirs, mine = set(zip(ours.old_code, ours.new_code, strict=True)), set(zip(national.old_code, national.new_code, strict=True))
    found = [f"pair {o}->{n} only in data/units" for o, n in sorted(theirs - mine)]
    found += [f"pair {o}->{n} only in the national mapping" for o, n in sorted(mine - theirs)]
    district_name = dict(zip(districts.code, districts.name, strict=True))
    parts = national.groupby("old_code").new_code.transform("size") > 1
    counted = parts.map({True: "part", False: "whole"})
    found += [f"{r.old_code}->{r.new_code}: share {r.share} but {n} row(s)"
              for (_, r), n in zip(national.iterrows(), counted, strict=True) if r.share != n]
    national = national.assign(district=national.district_code.map(district_name))
    both = ours.merge(national, on=["old_code", "new_code"], suffixes=("", "_n"))
    for field, theirs_field in [("old_name", "old_name_n"), ("old_unit_type", "old_type"),
                                ("old_district", "district"), ("share", "share_n")]:
        differ = both[both[field].map(text.exact) != both[theirs_field].map(text.exact)]
        found += [f"{r.old_code}: {field} {r[field]!r} in data/units, {r[theirs_field]!r} national"
                  for _, r in differ.iterrows()]
    print(f"  Đà Nẵng: {len(ours)} rows in data/units, {len(national)} national rows; "
          f"disagreements: {found or 'none'}")
    return found


def write_outputs(out: Path, tables: dict[str, pd.DataFrame], geo: dict) -> None:
    """CSV files (UTF-8, LF) and the GeoJSON, enforcing the size limit."""
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    body = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
    require(len(body.encode()) <= MAX_GEOJSON_BYTES, f"boundaries are {len(body.encode()):,} bytes")
    (out / "boundaries.geojson").write_text(body, encoding="utf-8")
    print(f"  boundaries: {len(body.encode()):,} bytes")


def apply_decisions(mapping_rows: pd.DataFrame, result) -> pd.DataFrame:
    """The mapping with the reconciled rows: kept pairs in source order, new pairs after their old
    commune's rows; share, resolution and clause added; divided_flag recomputed from the row count."""
    first = mapping_rows.drop_duplicates("old_code").set_index("old_code")
    rows = []
    for code in mapping_rows.old_code.drop_duplicates():
        for new_code, share, resolution, clause in result.rows[code]:
            rows.append({**first.loc[code].to_dict(), "old_code": code, "new_code": new_code,
                         "share": share, "resolution": resolution,
                         "clause": "" if clause is None else str(clause)})
    out = pd.DataFrame(rows)
    out["divided_flag"] = (out.groupby("old_code").new_code.transform("size") > 1).map({True: "1", False: "0"})
    return out[["old_code", "old_type", "old_name", "district_code", "new_code", "divided_flag",
                "share", "resolution", "clause"]]


def build_tables(sources: Path, dvhcvn: Path) -> dict:
    """Load, build, reconcile and cross-check every table; raises DataError / ReconcileError."""
    raw = read_csv(sources / "legacy_to_2025_mapping.csv")
    require(len(raw) == 10602, f"mapping has {len(raw)} rows, expected 10,602")
    mapping_rows, districts, old_provinces = build_mapping(raw)
    old_main = main_province(old_provinces, raw)
    bando = read_csv(sources / "provinces_2025_bando.csv")
    wards = read_csv(sources / "wards_2025_bando.csv")
    new = raw.drop_duplicates("newProvinceCode")[["newProvinceCode", "newProvince"]]
    by_key = {province_key(n): c for c, n in zip(new.newProvinceCode, new.newProvince, strict=True)}
    province_population = {str(int(vn_number(v))) for v in bando.dansonguoi}
    new_communes = build_new_communes(raw, wards, by_key, province_population)
    provinces_stub = pd.DataFrame({"code": list(by_key.values()), "name": list(by_key.keys())})
    result, resolutions = reconcile_national.reconcile(
        mapping_rows, new_communes, districts, old_main, provinces_stub, dvhcvn, province_key)
    divided = mapping_rows.groupby("old_code").new_code.transform("size") > 1
    flagged = mapping_rows.divided_flag == "1"
    print(f"  source split rows: {divided.sum()} by count, {flagged.sum()} flagged isDividedWard; "
          f"differ: {sorted(set(mapping_rows.old_code[divided ^ flagged]))}")
    mapping_rows = apply_decisions(mapping_rows, result)
    new_names = {r.code: f"{r.unit_type} {r.name}" for r in new_communes.itertuples()}
    reconciliation = reconcile_national.reconciliation_frame(result, new_names)
    print(f"  reconciliation: {len(reconciliation)} old communes decided "
          f"{reconciliation.decision.value_counts().to_dict()}; rows {len(raw)} -> {len(mapping_rows)}; "
          f"notes: {result.notes or 'none'}; unresolved names in the texts: {result.reading.problems}")
    require(set(new_communes.code) <= set(mapping_rows.new_code), "a new commune lost every old commune")
    require((mapping_rows.clause != "").all(), "a mapping row without a clause")
    single_part = mapping_rows[(mapping_rows.divided_flag == "0") & (mapping_rows.share == "part")]
    print(f"  single rows marked part (the rest of the commune is not in the mapping): "
          f"{single_part.old_code.tolist()}")
    resolution_of = {key: number for number, (key, _) in resolutions.items()}
    provinces, _ = build_provinces(raw, bando, old_main, mapping_rows, new_communes, resolution_of)
    cited = set(zip(mapping_rows.resolution, mapping_rows.clause.astype(int), strict=True))
    clauses = reconcile_national.clauses_frame(resolutions, cited)
    return {"provinces": provinces, "old_provinces": old_main, "districts": districts,
            "new_communes": new_communes, "mapping": mapping_rows, "clauses": clauses,
            "reconciliation": reconciliation}


def run(args: argparse.Namespace) -> None:
    """Load, build, cross-check, then write; nothing is written if a check fails."""
    tables = build_tables(args.sources, args.dvhcvn)
    compare_danang(tables["mapping"], tables["districts"], ROOT / "data" / "units" / "mapping.csv")
    geo = build_boundaries(args.sources / "provinces", tables["provinces"])
    write_outputs(args.out, tables, geo)
    print(f"  wrote {', '.join(f'{k} {len(v)}' for k, v in tables.items())} to {args.out}")


def main() -> int:
    """Entry point: exit status 1 with a clear message when a cross-check fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="national-2025 folder")
    parser.add_argument("--dvhcvn", type=Path, default=DEFAULT_DVHCVN, help="dvhcvn-20250701 folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    try:
        run(parser.parse_args())
    except (DataError, reconcile_national.ReconcileError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build data/national/ (34 provinces, 3,321 new communes, 10,602-row old→new mapping, boundaries)."""

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
from scripts.prepare_units import DataError, clean, require  # noqa: E402  (shared cross-check helpers)

OUT_DIR = ROOT / "data" / "national"
DEFAULT_SOURCES = ROOT.parent / "shared" / "data-sources" / "national-2025"
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
    mapping_rows = pd.DataFrame({
        "old_code": raw.wardCode.map(code5).mask(island, district_code),
        "old_type": raw.wardType.str.lower().mask(island, "huyện"),
        "old_name": raw.apply(lambda r: r.ward[len(r.wardType):].strip(), axis=1).mask(
            island, raw.district.str.replace(r"^Huyện\s+", "", regex=True)),
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
        "population": joined.dansonguoi.where(joined.dansonguoi.str.fullmatch(r"\d+"), ""),
        "figures_doubtful": "0", "former_text": joined.truocsapnhap,
    })
    return drop_doubtful(communes, provinces_population).sort_values("code").reset_index(drop=True)


def drop_doubtful(communes: pd.DataFrame, provinces_population: set[str]) -> pd.DataFrame:
    """Empty the figures the scrape copied between same-named communes of different provinces.

    The source gives e.g. Xã Lao Chải of Tuyên Quang and of Lào Cai the same area and population
    to the last digit; one of each such pair is wrong and nothing says which, so neither is shown.
    """
    repeated = communes.duplicated(["name", "area_km2", "population"], keep=False)
    zero_area = pd.to_numeric(communes.area_km2, errors="coerce").fillna(0) <= 0
    print(f"  communes with area 0 or missing: {communes.name[zero_area].tolist()}")
    doubtful = repeated | communes.population.isin(provinces_population) | zero_area
    print(f"  commune figures left out as doubtful: {int(doubtful.sum())} "
          f"(a province's population: {communes.name[communes.population.isin(provinces_population)].tolist()})")
    return communes.assign(
        area_km2=communes.area_km2.mask(doubtful, ""), population=communes.population.mask(doubtful, ""),
        figures_doubtful=doubtful.map({True: "1", False: "0"}))


def build_provinces(raw, bando, old_main, mapping_rows, new_communes) -> tuple[pd.DataFrame, dict]:
    """The 34 provinces with figures from bando and unit counts checked three ways."""
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
        codes = raw.newProvinceCode == b.code
        rows.append({
            "code": b.code, "name": new.set_index("newProvinceCode").newProvince[b.code],
            "slug": text.slug(province_key(b.tentinh)),
            "old_provinces": "; ".join(olds.name), "area_km2": vn_number(b.dientichkm2),
            "population": int(vn_number(b.dansonguoi)),
            "communes_before": mapping_rows.old_code[codes.to_numpy()].nunique(),
            "communes_after": con["total"], "phuong": con["phuong"], "xa": con["xa"],
            "dac_khu": con["dac_khu"], "centre": b.trungtamhc,
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
    national = national.assign(district=national.district_code.map(district_name),
                               share=parts.map({True: "part", False: "whole"}))
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


def run(args: argparse.Namespace) -> None:
    """Load, build, cross-check, then write; nothing is written if a check fails."""
    raw = read_csv(args.sources / "legacy_to_2025_mapping.csv")
    require(len(raw) == 10602, f"mapping has {len(raw)} rows, expected 10,602")
    mapping_rows, districts, old_provinces = build_mapping(raw)
    old_main = main_province(old_provinces, raw)
    bando = read_csv(args.sources / "provinces_2025_bando.csv")
    wards = read_csv(args.sources / "wards_2025_bando.csv")
    new = raw.drop_duplicates("newProvinceCode")[["newProvinceCode", "newProvince"]]
    by_key = {province_key(n): c for c, n in zip(new.newProvinceCode, new.newProvince, strict=True)}
    bando_code = by_key
    population = {str(int(vn_number(v))) for v in bando.dansonguoi}
    new_communes = build_new_communes(raw, wards, bando_code, population)
    provinces, _ = build_provinces(raw, bando, old_main, mapping_rows, new_communes)
    divided = mapping_rows.groupby("old_code").new_code.transform("size") > 1
    flagged = mapping_rows.divided_flag == "1"
    print(f"  split rows: {divided.sum()} by count, {flagged.sum()} flagged isDividedWard; "
          f"differ: {sorted(set(mapping_rows.old_code[divided ^ flagged]))}")
    compare_danang(mapping_rows, districts, ROOT / "data" / "units" / "mapping.csv")
    geo = build_boundaries(args.sources / "provinces", provinces)
    tables = {"provinces": provinces, "old_provinces": old_main, "districts": districts,
              "new_communes": new_communes, "mapping": mapping_rows}
    write_outputs(args.out, tables, geo)
    print(f"  wrote {', '.join(f'{k} {len(v)}' for k, v in tables.items())} to {args.out}")


def main() -> int:
    """Entry point: exit status 1 with a clear message when a cross-check fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="national-2025 folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    try:
        run(parser.parse_args())
    except DataError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

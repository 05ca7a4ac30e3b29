"""Build data/units/ (new units, old→new mapping, simplified boundaries) from the source datasets."""

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "units"
DEFAULT_SOURCES = ROOT.parent / "shared" / "data-sources"
RESEARCH_CSV = Path("research") / "danang-94-commune-units.csv"

SIMPLIFY_TOLERANCE = 0.0005  # degrees, about 55 m at 16°N
COORD_DECIMALS = 4  # about 11 m
MAX_GEOJSON_BYTES = 300_000

# NewUnit field (in schema order) <- column of the joined research + bando + provinces-database table
NEW_UNIT_SOURCE = {
    "code": "ward_code",
    "name": "ward_full_name",
    "unit_type": "bando_unit_type",
    "name_en": "ward_full_name_en",
    "clause": "clause_no",
    "former_province": "province_key",
    "former_districts": "former_district_level_units",
    "former_units_text": "former_units_as_written_in_NQ1659",
    "area_km2": "area_km2",
    "population": "population",
}
MAPPING_COLUMNS = "old_code old_name old_unit_type old_district old_province new_code share clause"
EXPECTED_TYPES = {"phường": 23, "xã": 70, "đặc khu": 1}
PROVINCE_BY_CODE = {"48": "old_danang", "49": "old_quangnam"}
PROVINCE_BY_NAME = {"Thành phố Đà Nẵng (cũ)": "old_danang", "Tỉnh Quảng Nam (cũ)": "old_quangnam"}
# sapnhap.bando gives Hoàng Sa exactly the population of Xã Khâm Đức (9,741), which looks like
# a copying error, and no other source gives a figure, so it is dropped.
POPULATION_DROPPED = {"20333"}
TYPE_PREFIX = re.compile(r"^(phường|xã|thị trấn|huyện|đặc khu)\s+", flags=re.IGNORECASE)


class DataError(Exception):
    """A cross-check between the source datasets failed."""


def require(condition: bool, message: str) -> None:
    """Raise DataError with message unless condition holds."""
    if not condition:
        raise DataError(message)


def clean(text: str) -> str:
    """NFC-normalise and collapse whitespace (one source has 'Xã  Tư')."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as text only, with every cell cleaned."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.apply(lambda column: column.map(clean))


def split_type(full_name: str) -> tuple[str, str]:
    """'Thị Trấn Prao' -> ('thị trấn', 'Prao')."""
    match = TYPE_PREFIX.match(full_name)
    require(match is not None, f"no unit type in name {full_name!r}")
    return match.group(1).lower(), full_name[match.end() :]


def research_codes(text: str) -> tuple[set[str], set[str]]:
    """All codes, and those marked part, in a cell like '20197; 20296 (một phần / part)'."""
    found = re.findall(r"(\d+)\s*(\([^)]*\))?", text)
    return {code for code, _ in found}, {code for code, note in found if "part" in note}


def load_sources(sources: Path, research: Path) -> dict[str, pd.DataFrame]:
    """Read every input table, keyed by a short name."""
    files = {
        "research": research,
        "bando": sources / "vietnamadminunits" / "danang_2025_units_bando_attributes.csv",
        "vau_map": sources / "vietnamadminunits" / "danang_old_to_new_mapping.csv",
        "vpd_new": sources / "vietnamese-provinces-database" / "danang_2025_new_units.csv",
        "vpd_old": sources / "vietnamese-provinces-database" / "danang_quangnam_pre2025_units.csv",
        "dvhcvn": sources / "dvhcvn-20250701" / "danang_old_to_new_mapping.csv",
    }
    for path in files.values():
        require(path.is_file(), f"missing input file {path}")
    return {key: read_csv(path) for key, path in files.items()}


def check_new_unit_names(joined: pd.DataFrame) -> None:
    """Names and types of the new units must agree across the three sources."""
    bando_full = joined.bando_unit_type.str.capitalize() + " " + joined.bando_name
    for label, names in [
        ("research", joined.new_unit),
        ("bando", bando_full),
        ("provinces-database v3.0.2", joined.ward_full_name_v3_0_2),
    ]:
        bad = joined.loc[names != joined.ward_full_name, "ward_full_name"].tolist()
        require(not bad, f"new-unit names differ between vietnamadminunits and {label}: {bad}")
    types = joined.unit_type_vpd.str.lower()
    bad = joined.loc[(types != joined.bando_unit_type) | (types != joined.new_unit_type)]
    require(bad.empty, f"new-unit types disagree: {bad.ward_full_name.tolist()}")
    restyled = joined.loc[joined.ward_full_name_vpd != joined.ward_full_name, "ward_full_name_vpd"]
    print(f"  tone style: vietnamese-provinces-database v4.2.0 writes {restyled.tolist()}")


def check_figures(new_units: pd.DataFrame) -> None:
    """Areas must be positive numbers and populations whole numbers or empty."""
    areas = pd.to_numeric(new_units.area_km2, errors="coerce")
    require(bool((areas > 0).all()), "an area_km2 is missing or not a positive number")
    population = new_units.population[new_units.population != ""]
    require(bool(population.str.fullmatch(r"\d+").all()), "a population is not a whole number")
    repeated = new_units.name[
        new_units.population.duplicated(keep=False) & (new_units.population != "")
    ]
    require(repeated.empty, f"the same population is given to several units: {repeated.tolist()}")
    print(
        f"  area total {areas.sum():,.2f} km²; population {population.astype(int).sum():,} "
        f"for {len(population)} units"
    )


def build_new_units(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The 94 new units in clause order, one row per unit, columns of NewUnit."""
    vpd = tables["vpd_new"].rename(
        columns={"unit_type": "unit_type_vpd", "ward_full_name": "ward_full_name_vpd"}
    )
    joined = (
        tables["research"]
        .merge(tables["bando"], left_on="gso_code_2025", right_on="ward_code", how="left")
        .merge(vpd, on="ward_code", how="left", suffixes=("", "_vpd"))
    )
    require(joined.ward_code.notna().all(), "a research code is missing from another source")
    check_new_unit_names(joined)
    joined["population"] = joined.population.mask(joined.ward_code.isin(POPULATION_DROPPED), "")
    joined["province_key"] = joined.former_province.map(PROVINCE_BY_NAME)
    require(joined.province_key.notna().all(), "unknown former_province in research CSV")
    new_units = joined[list(NEW_UNIT_SOURCE.values())].set_axis(list(NEW_UNIT_SOURCE), axis=1)
    check_figures(new_units)
    return new_units


def build_mapping(vau_map: pd.DataFrame, new_units: pd.DataFrame) -> pd.DataFrame:
    """One row per (old unit, new unit) pair, columns of MappingRow, in clause order."""
    is_district = vau_map.old_ward_code == ""
    old_full = vau_map.old_ward_full_name.mask(is_district, vau_map.old_district_full_name)
    types_names = old_full.map(split_type)
    rows = pd.DataFrame(
        {
            "old_code": vau_map.old_ward_code.mask(is_district, vau_map.old_district_code),
            "old_name": types_names.str[1],
            "old_unit_type": types_names.str[0],
            "old_district": vau_map.old_district_full_name,
            "old_province": vau_map.old_province_code.map(PROVINCE_BY_CODE),
            "new_code": vau_map.new_ward_code,
            "share": vau_map.is_divided.map({"True": "part", "False": "whole"}),
        }
    )
    require(rows.notna().all().all(), "unexpected province code or is_divided value in mapping")
    order = {code: i for i, code in enumerate(new_units.code)}
    rows["clause"] = rows.new_code.map(dict(zip(new_units.code, new_units.clause, strict=False)))
    rows = rows.assign(_order=rows.new_code.map(order)).sort_values(["_order", "old_code"])
    return rows.drop(columns="_order")[MAPPING_COLUMNS.split()].reset_index(drop=True)


def check_counts(new_units: pd.DataFrame, mapping_rows: pd.DataFrame) -> None:
    """94 unique new units with the official type counts; every mapping row points to one."""
    require(len(new_units) == 94, f"new_units has {len(new_units)} rows, expected 94")
    require(new_units.code.is_unique, "duplicate codes in new_units")
    types = new_units.unit_type.value_counts().to_dict()
    require(types == EXPECTED_TYPES, f"type counts {types} != {EXPECTED_TYPES}")
    unknown = sorted(set(mapping_rows.new_code) - set(new_units.code))
    require(not unknown, f"mapping points to codes not in new_units: {unknown}")
    orphans = sorted(set(new_units.code) - set(mapping_rows.new_code))
    require(not orphans, f"new units without any old unit: {orphans}")
    require(len(mapping_rows) == 282, f"mapping has {len(mapping_rows)} rows, expected 282")
    require(not mapping_rows.duplicated(["old_code", "new_code"]).any(), "duplicate pairs")


def check_against_research(research: pd.DataFrame, mapping_rows: pd.DataFrame) -> None:
    """Old units, 'part' marks, districts and province per new unit must match the research CSV."""
    groups = mapping_rows.groupby("new_code")
    for row in research.itertuples():
        olds = groups.get_group(row.gso_code_2025)
        name = row.new_unit
        expected, expected_parts = research_codes(row.former_unit_gso_codes)
        found, parts = set(olds.old_code), set(olds.old_code[olds.share == "part"])
        require(
            found == expected, f"{name}: mapping has {sorted(found)}, research {sorted(expected)}"
        )
        require(parts == expected_parts, f"{name}: 'part' rows differ from the research CSV")
        districts = set(row.former_district_level_units.split("; "))
        require(set(olds.old_district) == districts, f"{name}: former districts differ")
        province = PROVINCE_BY_NAME[row.former_province]
        require(set(olds.old_province) == {province}, f"{name}: former province differs")


def check_against_pre2025(vpd_old: pd.DataFrame, mapping_rows: pd.DataFrame) -> None:
    """The 280 old communes must match the pre-2025 list by code, district and type."""
    wards = mapping_rows[mapping_rows.old_unit_type != "huyện"].drop_duplicates("old_code")
    vpd_old = vpd_old.rename(columns={"old_unit_type": "vpd_type", "old_ward_code": "old_code"})
    merged = wards.merge(vpd_old, on="old_code", how="outer")
    require(len(merged) == len(wards) == 280, f"old units: {len(wards)} mapped, list has 280")
    require((merged.old_district == merged.old_district_full_name).all(), "old districts differ")
    require((merged.old_unit_type == merged.vpd_type.str.lower()).all(), "old unit types differ")
    spelled = merged[merged.old_name != merged.old_ward_name]
    pairs = [f"{a}/{b}" for a, b in zip(spelled.old_name, spelled.old_ward_name, strict=False)]
    print(f"  old names spelled differently in the pre-2025 list ({len(pairs)}): {pairs}")


def check_against_dvhcvn(dvhcvn: pd.DataFrame, mapping_rows: pd.DataFrame) -> None:
    """Pairs and 'partial' marks may differ only where dvhcvn's README flags the row."""
    old_codes = dvhcvn.old_ward_code.mask(dvhcvn.old_ward_code == "", dvhcvn.old_district_code)
    pairs = pd.Series(list(zip(old_codes, dvhcvn.new_ward_code, strict=False)))
    theirs, flagged = set(pairs), set(pairs[(dvhcvn.check_flag != "").to_numpy()])
    ours = set(zip(mapping_rows.old_code, mapping_rows.new_code, strict=False))
    unexplained = (theirs ^ ours) - flagged
    require(not unexplained, f"unexplained disagreement with dvhcvn: {sorted(unexplained)}")
    their_parts = set(pairs[(dvhcvn.merge_type == "partial").to_numpy()]) - flagged
    parts = mapping_rows[mapping_rows.share == "part"]
    require(
        their_parts == set(zip(parts.old_code, parts.new_code, strict=False)), "'part' rows differ from dvhcvn"
    )
    print(f"  dvhcvn pairs left out (flagged in its README): {sorted(theirs - ours)}")


def polygonal(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Repair an invalid geometry and keep only its polygons (make_valid may add lines)."""
    parts = shapely.get_parts(shapely.make_valid(geometry))
    polygons = [
        p for part in parts if part.geom_type.endswith("Polygon") for p in shapely.get_parts(part)
    ]
    return shapely.MultiPolygon(polygons)


def simplify(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Simplify once, round coordinates, and repair the result if it became invalid."""
    simple = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    simple = shapely.transform(simple, lambda xy: np.round(xy, COORD_DECIMALS))
    if not simple.is_valid:
        simple = polygonal(simple)
    require(simple.is_valid and not simple.is_empty, "a simplified geometry is invalid or empty")
    # GEOS returns a Polygon for a one-part MultiPolygon; keep the source's type for every feature.
    return shapely.MultiPolygon([simple]) if simple.geom_type == "Polygon" else simple


def report_simplification(path: Path, before: list, after: list) -> None:
    """Print the input size and the vertex counts before and after simplification."""
    count = sum(shapely.get_num_coordinates(geometry) for geometry in before)
    print(f"  boundaries: {path.stat().st_size:,} bytes, {count:,} vertices (before)")
    count = sum(shapely.get_num_coordinates(geometry) for geometry in after)
    print(f"  boundaries: tolerance {SIMPLIFY_TOLERANCE}°, {count:,} vertices (after)")


def build_boundaries(path: Path, new_units: pd.DataFrame) -> dict:
    """The 94 simplified polygons with properties code and name (as in new_units.csv)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    names = dict(zip(new_units.code, new_units.name, strict=False))
    codes = [feature["properties"]["code"] for feature in features]
    require(sorted(codes) == sorted(names), "GeoJSON codes do not match new_units codes")
    geometries = [shape(feature["geometry"]) for feature in features]
    simplified = [simplify(geometry) for geometry in geometries]
    report_simplification(path, geometries, simplified)
    features = [
        {"type": "Feature", "properties": {"code": code, "name": names[code]}, "geometry": geom}
        for code, geom in sorted(zip(codes, map(mapping, simplified), strict=False))
    ]
    return {"type": "FeatureCollection", "features": features}


def write_outputs(out: Path, new_units: pd.DataFrame, mapping_rows: pd.DataFrame, geo: dict):
    """Write the two CSVs (UTF-8, no BOM, LF) and the GeoJSON; enforce the size limit."""
    out.mkdir(parents=True, exist_ok=True)
    new_units.to_csv(out / "new_units.csv", index=False, encoding="utf-8", lineterminator="\n")
    mapping_rows.to_csv(out / "mapping.csv", index=False, encoding="utf-8", lineterminator="\n")
    text = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
    size = len(text.encode("utf-8"))
    require(size <= MAX_GEOJSON_BYTES, f"boundaries.geojson is {size:,} bytes > limit")
    (out / "boundaries.geojson").write_text(text, encoding="utf-8")
    print(f"  boundaries: {size:,} bytes (after)")


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="data-sources folder")
    parser.add_argument("--research", type=Path, help="research CSV (default: next to sources)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    return parser.parse_args()


def run(args: argparse.Namespace) -> None:
    """Load, build, cross-check, then write; nothing is written if a check fails."""
    research = args.research or args.sources.parent / RESEARCH_CSV
    tables = load_sources(args.sources, research)
    new_units = build_new_units(tables)
    mapping_rows = build_mapping(tables["vau_map"], new_units)
    check_counts(new_units, mapping_rows)
    check_against_research(tables["research"], mapping_rows)
    check_against_pre2025(tables["vpd_old"], mapping_rows)
    check_against_dvhcvn(tables["dvhcvn"], mapping_rows)
    wards = args.sources / "vietnamese-provinces-database" / "danang_2025_wards.geojson"
    geo = build_boundaries(wards, new_units)
    write_outputs(args.out, new_units, mapping_rows, geo)
    print(f"  wrote {len(new_units)} new units and {len(mapping_rows)} mapping rows to {args.out}")


def main() -> int:
    """Entry point: exit status 1 with a clear message when a cross-check fails."""
    try:
        run(parse_args())
    except DataError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

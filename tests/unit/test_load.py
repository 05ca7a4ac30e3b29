"""The validator names file, line and field for each kind of broken data file."""

import json

import pytest

from core import catalog

EVENT = """- id: test-event
  date: 2025-07-01
  title: {vi: "Thử"}
  summary: {vi: "Thử nghiệm"}
  topics: [merger]
  sources: [%s]
  confidence: high
"""


def first_source(root):
    cat = catalog.build(root)
    return sorted(cat.ids("sources"))[0]


def problems_for(root, file):
    return [p for p in catalog.build(root).all_problems() if p.file == file]


def write_events(root, text):
    (root / "events.yaml").write_text(text, encoding="utf-8")
    catalog.write_manifest(root)


def test_clean_copy_has_no_problems(data_copy):
    assert catalog.build(data_copy).all_problems() == []


@pytest.mark.parametrize(
    "text, line, field, message",
    [
        ("- id: a\n\tdate: 2025-07-01\n", 2, "yaml", "malformed"),
        (EVENT.replace("  confidence: high", "  confidence: high\n  colour: red"), 8, "colour", "Extra inputs"),
        (EVENT.replace("  summary: {vi: \"Thử nghiệm\"}\n", ""), 1, "summary", "required"),
        (EVENT.replace("2025-07-01", "2025-13-45"), 2, "date", "date"),
        (EVENT.replace("  confidence: high", "  confidence: high\n  end_date: 2025-06-01"), 1, "record", "before"),
        (EVENT.replace("topics: [merger]", "topics: [sports]"), 5, "topics.0", "Input should be"),
    ],
)
def test_broken_event_file(data_copy, text, line, field, message):
    src = first_source(data_copy)
    write_events(data_copy, text % src if "%s" in text else text)
    found = problems_for(data_copy, "events.yaml")
    assert any(p.line == line and p.field == field and message in p.message for p in found), found


def test_dangling_source_id(data_copy):
    write_events(data_copy, EVENT % "no-such-source")
    found = problems_for(data_copy, "events.yaml")
    assert [(p.line, p.field) for p in found] == [(1, "sources")]
    assert "no-such-source" in found[0].message


def test_duplicate_id(data_copy):
    src = first_source(data_copy)
    write_events(data_copy, EVENT % src + EVENT % src)
    found = problems_for(data_copy, "events.yaml")
    assert [(p.line, p.field) for p in found] == [(8, "id")]
    assert len(catalog.build(data_copy)["events"].records) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://x.org/a"])
def test_bad_url_scheme(data_copy, url):
    text = (data_copy / "sources.yaml").read_text(encoding="utf-8")
    first_url = text.split("url: ", 1)[1].split("\n", 1)[0]
    (data_copy / "sources.yaml").write_text(text.replace(first_url, url, 1), encoding="utf-8")
    catalog.write_manifest(data_copy)
    found = problems_for(data_copy, "sources.yaml")
    assert any(p.field == "url" and "http" in p.message for p in found), found
    assert all(p.line and p.line > 0 for p in found)


def test_csv_missing_column(data_copy):
    path = data_copy / "units" / "new_units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(",".join(r.split(",")[1:]) for r in lines), encoding="utf-8")
    catalog.write_manifest(data_copy)
    found = problems_for(data_copy, "units/new_units.csv")
    assert found[0].line == 1 and "code" in found[0].field and "missing column" in found[0].message


def test_mapping_to_unknown_unit(data_copy):
    path = data_copy / "units" / "mapping.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("new_code")] = "99999"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog.write_manifest(data_copy)
    found = problems_for(data_copy, "units/mapping.csv")
    assert [(p.line, p.field) for p in found] == [(2, "new_code")]


def test_truncated_geojson(data_copy):
    path = data_copy / "units" / "boundaries.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    catalog.write_manifest(data_copy)
    found = problems_for(data_copy, "units/boundaries.geojson")
    assert found and "invalid GeoJSON" in found[0].message


def test_geojson_feature_without_code(data_copy):
    path = data_copy / "units" / "boundaries.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["features"][3]["properties"]["code"]
    path.write_text(json.dumps(data), encoding="utf-8")
    catalog.write_manifest(data_copy)
    found = problems_for(data_copy, "units/boundaries.geojson")
    assert found[0].field == "features.3"


def test_missing_meta_file(data_copy):
    (data_copy / "events.meta.yaml").unlink()
    catalog.write_manifest(data_copy)
    assert problems_for(data_copy, "events.meta.yaml")[0].message == "file is missing"


def test_partial_copy_is_reported_by_the_manifest(data_copy):
    (data_copy / "trips.yaml").unlink()
    found = problems_for(data_copy, catalog.MANIFEST)
    assert any(p.field == "trips.yaml" and "missing" in p.message for p in found)


def test_edited_file_without_new_stamp(data_copy):
    with open(data_copy / "figures.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n")
    found = problems_for(data_copy, catalog.MANIFEST)
    assert [p.field for p in found] == ["figures.yaml"]


def test_validate_command_prints_file_line_field(data_copy, capsys):
    from core import validate

    write_events(data_copy, EVENT % "no-such-source")
    assert validate.main(["--data", str(data_copy)]) == 1
    assert "events.yaml:1: sources: unknown id 'no-such-source'" in capsys.readouterr().out

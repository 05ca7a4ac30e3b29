"""A broken data file shows a banner naming it, and pages whose data is intact keep working."""

import pytest
from streamlit.testing.v1 import AppTest

from core import catalog, nav, paths


def break_yaml(root, name, old, new):
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def malformed_yaml(root):
    (root / "metrics.yaml").write_text("- id: a\n\tvalue: 1\n", encoding="utf-8")
    return "metrics.yaml"


def wrong_type(root):
    break_yaml(root, "figures.yaml", "value: 94", "value: ninety-four")
    return "figures.yaml"


def unknown_key(root):
    break_yaml(root, "trips.yaml", "  class_name:", "  colour: red\n  class_name:")
    return "trips.yaml"


def missing_field(root):
    text = (root / "lessons.yaml").read_text(encoding="utf-8")
    (root / "lessons.yaml").write_text(text.replace("  summary:\n", "  résumé:\n", 1), encoding="utf-8")
    return "lessons.yaml"


def duplicate_id(root):
    text = (root / "events.yaml").read_text(encoding="utf-8")
    first = text[text.index("- id:"):text.index("- id:", text.index("- id:") + 1)]
    (root / "events.yaml").write_text(text + "\n" + first, encoding="utf-8")
    return "events.yaml"


def dangling_reference(root):
    break_yaml(root, "metrics.yaml", "  sources:\n  - ", "  sources:\n  - no-such-source\n  - ")
    return "metrics.yaml"


def end_before_start(root):
    break_yaml(root, "events.yaml", "date: '2017-10-25'", "date: '2017-10-25'\n  end_date: '2016-01-01'")
    return "events.yaml"


def bad_url(root):
    text = (root / "sources.yaml").read_text(encoding="utf-8")
    url = text.split("url: ", 1)[1].split("\n", 1)[0]
    (root / "sources.yaml").write_text(text.replace(url, "javascript:alert(1)", 1), encoding="utf-8")
    return "sources.yaml"


def csv_missing_column(root):
    path = root / "units" / "mapping.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(r.rsplit(",", 1)[0] for r in rows) + "\n", encoding="utf-8")
    return "units/mapping.csv"


def truncated_geojson(root):
    path = root / "units" / "boundaries.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:20000], encoding="utf-8")
    return "units/boundaries.geojson"


BREAKERS = [malformed_yaml, wrong_type, unknown_key, missing_field, duplicate_id, dangling_reference,
            end_before_start, bad_url, csv_missing_column, truncated_geojson]
# Pages that need none of a dataset's records still work fully when it breaks.
INTACT = {"metrics.yaml": "timeline", "figures.yaml": "lesson", "trips.yaml": "merger",
          "lessons.yaml": "overview", "events.yaml": "merger", "sources.yaml": "lesson",
          "units/mapping.csv": "timeline", "units/boundaries.geojson": "timeline"}


@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda f: f.__name__)
def test_broken_file_is_named_and_other_pages_work(data_copy, breaker):
    broken = breaker(data_copy)
    catalog.write_manifest(data_copy)
    problems = catalog.build(data_copy).all_problems()
    # Records dropped from the broken file may leave knock-on dangling references elsewhere.
    assert broken in {p.file for p in problems}, [str(p) for p in problems]
    assert all(p.file == broken or "unknown id" in p.message or "invalid link" in p.message
               for p in problems), [str(p) for p in problems]
    for spec in nav.PAGES:
        at = AppTest.from_file(str(paths.ROOT / spec.file), default_timeout=60).run()
        assert not at.exception, (spec.key, [e.value for e in at.exception])
        assert any(broken in w.value for w in at.warning), spec.key
    intact = AppTest.from_file(str(paths.ROOT / nav.BY_KEY[INTACT[broken]].file), default_timeout=60).run()
    assert not intact.error, [e.value for e in intact.error]


def test_problem_lines_point_into_the_file(data_copy):
    unknown_key(data_copy)
    catalog.write_manifest(data_copy)
    problem = next(p for p in catalog.build(data_copy).all_problems() if p.file == "trips.yaml")
    line = (data_copy / "trips.yaml").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert "colour" in line and problem.field == "colour"


def test_geojson_problem_does_not_hide_the_unit_table(data_copy):
    truncated_geojson(data_copy)
    catalog.write_manifest(data_copy)
    cat = catalog.build(data_copy)
    assert len(cat["units"].records) == 94 and not cat["boundaries"].records
    at = AppTest.from_file(str(paths.ROOT / "pages" / "merger.py"), default_timeout=60)
    at.query_params["view"] = "list"
    at.run()
    assert not at.exception and len(at.dataframe[0].value) == 94

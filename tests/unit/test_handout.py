"""A lesson's handout content: each step's key facts as text, from the real catalog, with sources;
views that no longer exist; and the step links (no host, edit key, room or presentation mode)."""

from __future__ import annotations

import csv
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from core import catalog, handout, i18n, paths, schemas

DATA = paths.ROOT / "data"
LESSON = yaml.safe_load((DATA / "lessons.yaml").read_text(encoding="utf-8"))[0]


@pytest.fixture(scope="module")
def cat():
    return catalog.get()


@pytest.fixture(autouse=True)
def vietnamese():
    with i18n.using("vi"):
        yield


def _yaml(name: str) -> list[dict]:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def _record(name: str, record_id: str) -> dict:
    return next(r for r in _yaml(name) if r["id"] == record_id)


def _publisher(source_id: str) -> str:
    return _record("sources", source_id)["publisher"]


def _text(content: handout.StepContent) -> str:
    return "\n".join(content.lines())


def test_a_timeline_event_gives_its_date_title_summary_and_sources(cat):
    event = _record("events", "nq-1659-ubtvqh15-2025-06-16")
    content = handout.step_content("timeline", {"topic": "merger", "event": event["id"]}, cat)
    text = _text(content)
    assert content.available
    assert event["title"]["vi"] in text and event["summary"]["vi"] in text
    assert "16/6/2025" in text
    for source in event["sources"]:
        assert _publisher(source) in text


def test_english_uses_the_records_english(cat):
    event = _record("events", "nq-18-nqtw-2017")
    with i18n.using("en"):
        text = _text(handout.step_content("timeline", {"event": event["id"]}, cat))
    assert event["summary"]["en"] in text and "25 Oct 2017" in text and "Sources:" in text


def test_a_merger_unit_gives_its_origins_and_the_clause_from_the_mapping_records(cat):
    with open(DATA / "units" / "mapping.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["new_code"] == "20194"]
    clause = Counter(r["clause"] for r in rows).most_common(1)[0][0]
    text = _text(handout.step_content("merger", {"unit": "20194"}, cat))
    assert f"khoản {clause}, Điều 1, Nghị quyết 1659/NQ-UBTVQH15" in text
    assert "Phường Hải Vân" in text
    for row in rows:
        assert row["old_name"] in text
    part = [r["old_name"] for r in rows if r["share"] == "part"]
    assert part and f"{part[0]} (một phần)" in text
    assert _publisher("nq-1659-ubtvqh15-text") in text


def test_a_merger_lookup_gives_every_new_unit_and_clause(cat):
    with open(DATA / "units" / "mapping.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["old_name"] == "Hòa Liên"]
    text = _text(handout.step_content("merger", {"q": "hoa lien"}, cat))
    assert "Hòa Liên" in text
    for row in rows:
        assert f"khoản {row['clause']}" in text


def test_a_province_gives_its_figures_basis_and_resolution(cat):
    data = cat.national()
    province = next(p for p in data["provinces"] if p.code == "48")
    text = _text(handout.step_content("country", {"province": "48"}, cat))
    assert province.name in text
    assert f"→ {province.phuong + province.xa + province.dac_khu}" in text
    assert "11.859,59 km²" in text
    assert i18n.t("country.basis." + province.population_basis) in text
    assert province.resolution in text
    assert _publisher("nq-202-2025-qh15") in text


def test_a_country_lookup_cites_the_clause(cat):
    text = _text(handout.step_content("country", {"q": "Hòa Liên, Hòa Vang"}, cat))
    assert "khoản 9, Điều 1, Nghị quyết 1659/NQ-UBTVQH15" in text
    assert "khoản 10, Điều 1, Nghị quyết 1659/NQ-UBTVQH15" in text


def test_a_smart_city_domain_gives_each_metric_with_as_of_and_sources(cat):
    ioc = [m for m in _yaml("metrics") if m["domain"] == "ioc"]
    text = _text(handout.step_content("smart-city", {"domain": "ioc"}, cat))
    launch = next(m for m in ioc if m["indicator"] == "ioc_services_at_launch")
    assert launch["label"]["vi"] in text
    assert "14/8/2023" in text
    for source in launch["sources"]:
        assert _publisher(source) in text


def test_a_trip_gives_its_date_institution_and_purpose(cat):
    trip = _record("trips", "k75-a20-danang-2025-07-07")
    text = _text(handout.step_content("training", {"trip": trip["id"]}, cat))
    assert "7/7/2025" in text and trip["purpose"]["vi"] in text
    assert trip["institution"]["vi"] in text


def test_the_overview_gives_the_headline_figures(cat):
    text = _text(handout.step_content("overview", {}, cat))
    assert "Đơn vị cấp xã: 280 → 94" in text and "Nguồn:" in text


def test_filter_only_views_describe_their_filters(cat):
    text = _text(handout.step_content("sources", {"kind": "legal", "topic": "merger", "q": "1659"}, cat))
    assert text == "Góc nhìn: Nguồn và dữ liệu · Sáp nhập · “1659”"


@pytest.mark.parametrize(("page", "params"), [
    ("timeline", {"event": "no-such-event"}), ("merger", {"unit": "99999"}), ("training", {"trip": "gone"}),
    ("country", {"province": "99"}), ("timeline", {"tab": "bogus"}), ("overview", {"nonsense": "1"}),
    ("lesson", {}), ("live", {}), ("nowhere", {}),
])
def test_a_view_that_no_longer_exists_says_so(cat, page, params):
    content = handout.step_content(page, params, cat)
    assert not content.available
    assert content.lines() == [i18n.t("handout.unavailable")]


def _lesson() -> schemas.Lesson:
    return schemas.Lesson.model_validate(LESSON)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_step_links_open_the_step_and_keep_only_the_language(lang):
    lesson = _lesson()
    for number, step in enumerate(LESSON["steps"], start=1):
        url = handout.step_url("https://lop.example.edu.vn:8443/lesson?edit=x&host=y", lesson, number, lang)
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == "https://lop.example.edu.vn:8443"
        assert parts.path == ("/" if step["page"] == "overview" else "/" + step["page"])
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        expected = {**{k: str(v) for k, v in step["params"].items()}, "lesson": LESSON["id"], "step": str(number)}
        if lang != "vi":
            expected["lang"] = lang
        assert query == expected


def test_step_links_never_carry_a_room_host_edit_or_presentation():
    data = {**LESSON, "steps": [{**LESSON["steps"][0], "params": {**LESSON["steps"][0]["params"],
                                                                  "present": "1", "room": "ABCDEF"}}]}
    url = handout.step_url(None, schemas.Lesson.model_validate(data), 1, "vi")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("http://localhost:8501/timeline?")
    assert not {"host", "edit", "room", "present", "print", "lang"} & set(query)

"""Field-trip page: trip deep link, unknown trip, URL filters, and a second trip added as data only."""

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import catalog, i18n, paths, schemas, text, trips

TIMEOUT = 60
PAGE = str(paths.ROOT / "pages" / "training.py")
K75 = "k75-a20-danang-2025-07-07"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "trips" / "second_trip.yaml"


def plain(value: str) -> str:
    """Markdown-escaped text back to what the reader sees."""
    return value.replace("\\", "")


def run(params: dict) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return at.run()


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption, heading, alert text on the page, unescaped, in page order."""
    kinds = ("markdown", "caption", "header", "subheader", "warning", "info")
    return [plain(str(node.value)) for node in _walk(at.main) if getattr(node, "type", None) in kinds]


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.fixture(scope="module")
def seed() -> schemas.Trip:
    return next(t for t in catalog.build()["trips"].records if t.id == K75)


def test_trip_deep_link_shows_the_whole_record(seed):
    at = run({"trip": K75})
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert seed.class_name.vi in [plain(h.value) for h in at.header]
    assert any(seed.date_note.vi in plain(w.value) for w in at.warning)
    positions = [next(i for i, s in enumerate(shown) if f"{item.order}. {item.title.vi}" in s)
                 for item in trips.programme(seed)]
    assert len(positions) == 4 and positions == sorted(positions)
    for gap in seed.gaps:
        assert any(gap.vi in s for s in shown), gap.vi


def test_prompts_are_in_their_own_box_marked_as_not_facts(seed):
    at = run({"trip": K75})
    box_text = " ".join(plain(str(getattr(n, "value", ""))) for n in _walk(at.get_by_key("training-prompts")))
    assert "Câu hỏi thảo luận" in box_text and "không phải dữ kiện" in box_text
    for prompt in seed.prompts:
        assert prompt.vi in box_text
    outside = [s for s in texts(at) if s not in box_text]
    assert not any(seed.prompts[0].vi in s for s in outside)


def test_themes_without_known_detail_say_so(seed):
    at = run({"trip": K75})
    i18n.use("vi")
    unknown = sum(not th.detail_known for th in seed.themes)
    assert unknown and sum(i18n.t("training.detail_unknown") in plain(c.value) for c in at.caption) == unknown


def test_trip_links_to_related_events_and_pages(seed):
    shown = " ".join(texts(run({"trip": K75})))
    for event_id in seed.related_events:
        assert f"/timeline?event={event_id}" in shown
    assert "/smart-city?domain=ioc" in shown and "(/merger)" in shown


def test_source_without_address_is_named_without_a_link():
    cat = catalog.build()
    article = next(s for s in cat["sources"].records if s.url is None)
    at = run({"trip": K75})
    listing = plain(at.expander[-1].children[0].value)
    line = next(li for li in listing.split("\n- ") if article.title in li)
    assert "](" not in line.split("Ghi chú")[0] and "(None)" not in listing
    assert article.notes.vi in listing


def test_unknown_trip_shows_a_notice_and_the_list():
    at = run({"trip": "no-such-trip"})
    assert not at.exception
    assert any("trip=no-such-trip" in i.value for i in at.info)
    assert any("Mở chuyến đi" in s for s in texts(at))


def test_english_trip_view(seed):
    at = run({"trip": K75, "lang": "en"})
    assert any(seed.date_note.en in plain(w.value) for w in at.warning)
    assert "Discussion prompts for class" in [s.value for s in at.subheader]


def test_filters_are_seeded_from_the_url(seed):
    slug = text.slug(seed.institution.vi)
    at = run({"institution": slug, "theme": "teaching", "from": "2025-01-01"})
    assert not at.exception
    assert at.selectbox(key="training.institution.vi").value == slug
    assert at.selectbox(key="training.date_from.vi").value == "2025-01"
    assert at.selectbox(key="training.date_to.vi").value == ""
    assert at.query_params["from"] == "2025-01-01"
    assert any(seed.class_name.vi in plain(s.value) for s in at.subheader)


def test_a_date_range_without_trips_says_so(seed):
    at = run({"to": "2024-12-31"})
    assert not any(seed.class_name in plain(s.value) for s in at.subheader)
    assert any("Không có chuyến đi nào" in i.value for i in at.info)


def test_changing_a_filter_writes_the_url():
    at = run({})
    at.pills(key="training.theme.vi").set_value(["lessons"]).run()
    assert at.query_params["theme"] in ("lessons", ["lessons"])


def test_a_second_trip_needs_no_code_change(data_copy):
    fixture = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))[0]
    with open(data_copy / "trips.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n" + FIXTURE.read_text(encoding="utf-8"))
    catalog.write_manifest(data_copy)
    assert not catalog.build(data_copy).all_problems()
    at = run({})
    assert not at.exception
    cards = [plain(s.value) for s in at.subheader]
    assert fixture["class_name"] in cards and any("K75.A20" in c for c in cards)
    assert fixture["institution"] in at.selectbox(key="training.institution.vi").options
    only_new = run({"institution": text.slug(fixture["institution"])})
    assert [plain(s.value) for s in only_new.subheader] == [fixture["class_name"]]
    view = run({"trip": fixture["id"]})
    shown = texts(view)
    first, second = (next(i for i, s in enumerate(shown) if f"{n}. " in s and "(giả lập)" in s)
                     for n in (1, 2))
    assert first < second

"""Field-trip logic: institutions, filters by institution/theme/dates, programme order, themes and people."""

import datetime as dt

import pytest

from core import catalog, schemas, trips

D = dt.date
K75 = "k75-a20-danang-2025-07-07"
DAY = D(2025, 7, 7)


def text(value: str) -> schemas.Text:
    return schemas.Text(vi=value)


def trip(id_, institution="Học viện A", start=DAY, end=None, themes=(), programme=None) -> schemas.Trip:
    items = programme or [schemas.ProgrammeItem(order=1, kind="visit", title=text("t"), summary=text("s"))]
    return schemas.Trip(
        id=id_, class_name=f"Lớp {id_}", institution=institution, start_date=start, end_date=end,
        place=text("p"), purpose=text("p"), programme=items, sources=["s"],
        themes=[schemas.Theme(kind=k, summary=text(k), detail_known=False) for k in themes],
    )


@pytest.fixture(scope="module")
def real():
    return {t.id: t for t in catalog.build()["trips"].records}


def test_institutions_are_slugged_and_in_vietnamese_order():
    rows = [trip("a", "Trường Đại học Kinh tế"), trip("b", "Ban Tổ chức"), trip("c", "Học viện A"),
            trip("d", "Ban Tổ chức")]
    assert trips.institutions(rows) == {"ban-to-chuc": "Ban Tổ chức", "hoc-vien-a": "Học viện A",
                                        "truong-dai-hoc-kinh-te": "Trường Đại học Kinh tế"}


def test_filter_by_institution_slug():
    rows = [trip("a", "Học viện Chính trị"), trip("b", "Trường Đại học")]
    assert [t.id for t in trips.filter_trips(rows, institution="truong-dai-hoc")] == ["b"]
    assert trips.filter_trips(rows, institution="unknown") == []


def test_filter_by_any_chosen_theme():
    rows = [trip("a", themes=("lessons",)), trip("b", themes=("teaching", "difficulties")), trip("c")]
    assert {t.id for t in trips.filter_trips(rows, themes=("lessons", "teaching"))} == {"a", "b"}
    assert [t.id for t in trips.filter_trips(rows, themes=("difficulties",))] == ["b"]


@pytest.mark.parametrize(("date_from", "date_to", "shown"), [
    (None, None, True),
    (D(2024, 3, 16), None, True),
    (D(2024, 3, 17), None, False),
    (None, D(2024, 3, 14), False),
    (D(2024, 3, 15), D(2024, 3, 15), True),
])
def test_a_multi_day_trip_matches_when_dates_overlap(date_from, date_to, shown):
    rows = [trip("a", start=D(2024, 3, 15), end=D(2024, 3, 16))]
    assert bool(trips.filter_trips(rows, date_from=date_from, date_to=date_to)) is shown


def test_newest_trip_first():
    rows = [trip("old", start=D(2023, 1, 1)), trip("new", start=D(2025, 1, 1)),
            trip("mid", start=D(2024, 1, 1))]
    assert [t.id for t in trips.filter_trips(rows)] == ["new", "mid", "old"]


def test_programme_follows_the_stated_order_not_the_record_order():
    items = [schemas.ProgrammeItem(order=n, kind="other", title=text(str(n)), summary=text("s"))
             for n in (3, 1, 2)]
    assert [i.order for i in trips.programme(trip("a", programme=items))] == [1, 2, 3]


def test_themes_by_kind_in_fixed_order():
    grouped = trips.themes_by_kind(trip("a", themes=("teaching", "advantages", "lessons")))
    assert list(grouped) == ["advantages", "lessons", "teaching"]


def test_seed_trip_has_the_four_programme_items_in_order(real):
    assert [i.kind for i in trips.programme(real[K75])] == ["report", "discussion", "reflection", "visit"]
    assert [i.related_page for i in trips.programme(real[K75])][::3] == ["merger", "smart-city"]


def test_seed_trip_themes_and_hosts(real):
    seed = real[K75]
    assert trips.theme_kinds(seed) == list(trips.THEME_KINDS)
    assert [p.side for p in trips.people_by_side(seed)] == ["host", "guest"]
    assert trips.institutions([seed]) == {"hoc-vien-chinh-tri-quoc-gia-ho-chi-minh": seed.institution.vi}


def test_every_programme_kind_has_an_icon():
    kinds = schemas.ProgrammeItem.model_fields["kind"].annotation.__args__
    assert set(kinds) == set(trips.PROGRAMME_ICONS)

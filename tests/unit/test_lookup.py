"""Old ↔ new lookup over the real unit tables: statuses, diacritics, tone placement, type words."""

import pytest

from core import catalog, lookup, places, text


@pytest.fixture(scope="module")
def index():
    cat = catalog.build()
    return lookup.build_index(cat["units"].records, cat["mapping"].records)


def successor_names(result):
    return {link.name for link in result.links}


@pytest.mark.parametrize("query", ["hoa lien", "Hòa Liên", "Hoà Liên", "xã Hòa Liên", "HOA LIEN"])
def test_split_commune_lists_every_successor(index, query):
    results = lookup.search(index, query)
    assert [r.name for r in results] == ["xã Hòa Liên"]
    split = results[0]
    assert split.kind == "old" and split.status == "split"
    assert successor_names(split) == {"Phường Hải Vân", "Phường Liên Chiểu"}
    assert {link.share for link in split.links} == {"part"}
    assert {link.clause for link in split.links} == {9, 10}


@pytest.mark.parametrize("query", ["Hoà Khánh Nam", "Hòa Khánh Nam", "hoa khanh nam"])
def test_old_and_new_tone_placement_find_the_same_ward(index, query):
    first = lookup.search(index, query)[0]
    assert (first.name, first.status, first.exact) == ("phường Hòa Khánh Nam", "merged", True)
    assert successor_names(first) == {"Phường Hòa Khánh"}
    assert first.district == "Quận Liên Chiểu" and first.province == "old_danang"


@pytest.mark.parametrize("query", ["Minh An", "minh an", "phường Minh An", "p. minh an"])
def test_old_quang_nam_ward_with_and_without_diacritics(index, query):
    first = lookup.search(index, query)[0]
    assert first.name == "phường Minh An" and first.status == "merged"
    assert first.province == "old_quangnam" and first.district == "Thành phố Hội An"
    assert successor_names(first) == {"Phường Hội An"}


def test_a_query_with_diacritics_does_not_fold_them_away(index):
    assert [r.name for r in lookup.search(index, "Tam Thạnh")] == ["xã Tam Thạnh"]
    assert {r.name for r in lookup.search(index, "tam thanh")} >= {"xã Tam Thanh", "xã Tam Thành", "xã Tam Thạnh"}


def test_old_names_that_repeat_are_told_apart_by_district(index):
    results = [r for r in lookup.search(index, "tam thanh") if r.exact]
    assert len({(r.district, r.code) for r in results}) == len(results) > 1


@pytest.mark.parametrize("query", ["Tam Hải", "tam hai", "xã Tam Hải"])
def test_unchanged_commune_is_said_to_be_unchanged(index, query):
    results = lookup.search(index, query)
    assert results[0].status == "unchanged" and successor_names(results[0]) == {"Xã Tam Hải"}
    assert not [r for r in results if r.kind == "new" and r.name == "Xã Tam Hải"], "listed twice"


@pytest.mark.parametrize("query", ["Hoàng Sa", "hoang sa", "huyen hoang sa", "huyện Hoàng Sa"])
def test_district_level_unit_became_a_special_zone(index, query):
    first = lookup.search(index, query)[0]
    assert (first.kind, first.name, first.status) == ("old", "huyện Hoàng Sa", "type_changed")
    assert [(link.name, link.unit_type) for link in first.links] == [("Đặc khu Hoàng Sa", "đặc khu")]


def test_township_that_became_a_commune_keeps_its_name(index):
    first = lookup.search(index, "thi tran Thanh My")[0]
    assert (first.name, first.status) == ("thị trấn Thạnh Mỹ", "type_changed")
    assert successor_names(first) == {"Xã Thạnh Mỹ"}


@pytest.mark.parametrize("query", ["phường Hải Vân", "phuong hai van", "Hải Vân"])
def test_new_unit_lists_its_origins(index, query):
    first = lookup.search(index, query)[0]
    assert (first.kind, first.name, first.status) == ("new", "Phường Hải Vân", "new")
    origins = {link.name: link.share for link in first.links}
    assert origins == {"phường Hòa Hiệp Bắc": "whole", "phường Hòa Hiệp Nam": "whole", "xã Hòa Bắc": "whole",
                       "xã Hòa Liên": "part"}


def test_exact_names_rank_before_partial_matches(index):
    results = lookup.search(index, "hoi an")
    exact = [r.exact for r in results]
    assert exact == sorted(exact, reverse=True) and exact[0] and not exact[-1]
    assert {"Phường Hội An", "Thành phố Hội An"} <= {r.name for r in results if r.exact}


def test_typed_type_word_ranks_that_type_first(index):
    assert lookup.search(index, "quận Hải Châu")[0].kind == "district"
    assert lookup.search(index, "Hải Châu")[0].kind == "old"


def test_former_district_lists_the_new_units_it_went_into(index):
    district = lookup.search(index, "huyen hoa vang")[0]
    assert district.kind == "district" and district.code == text.slug("Huyện Hòa Vang")
    assert "Phường Hải Vân" in successor_names(district) and "Phường Liên Chiểu" in successor_names(district)


@pytest.mark.parametrize("query", ["zzz", "   ", "", "phường", "Hà Nội"])
def test_no_match_is_an_empty_list(index, query):
    assert lookup.search(index, query) == []


def test_suggestions_for_a_misspelt_name(index):
    assert "Hòa Liên" in lookup.suggest(index, "hoa lein")
    assert lookup.suggest(index, "zzz") == []


def test_every_old_unit_has_a_status_and_every_new_unit_its_origins(index):
    assert {u.status for u in index.old.values()} == {"split", "merged", "unchanged", "type_changed"}
    assert set(index.origins) == set(index.new)
    wholly = [u for u in index.old.values() if u.status != "split"]
    assert all(len(u.successors) == 1 and u.successors[0].share == "whole" for u in wholly)


def test_units_frame_is_in_vietnamese_order_with_filter_slugs(index):
    frame = lookup.units_frame(index)
    assert len(frame) == len(index.new)
    assert list(frame["name"]) == sorted(frame["name"], key=text.sort_key)
    assert set(frame["type_slug"]) <= {"phuong", "xa", "dac-khu"}
    assert frame["origins"].sum() == sum(len(v) for v in index.origins.values())


def test_filters_combine(index):
    frame = lookup.units_frame(index)
    wards = lookup.filter_units(frame, types=("phuong",))
    da_nang_wards = lookup.filter_units(frame, types=("phuong",), provinces=("da-nang",))
    hoa_vang = lookup.filter_units(frame, district=text.slug("Huyện Hòa Vang"))
    assert len(frame) > len(wards) > len(da_nang_wards) > 0
    assert set(da_nang_wards["former_province"]) == {"old_danang"}
    assert all("Huyện Hòa Vang" in d for d in hoa_vang["former_districts"])
    assert lookup.filter_units(frame).equals(frame)


def test_district_options_are_slugs_of_the_former_districts(index):
    options = dict(lookup.district_options(index))
    assert options[text.slug("Quận Hải Châu")] == "Quận Hải Châu"
    assert len(options) == len({d for u in index.new.values() for d in u.former_districts.split("; ")})


def test_csv_has_a_bom_the_given_headers_and_rows(index):
    frame = lookup.filter_units(lookup.units_frame(index), types=("dac-khu",))
    raw = lookup.csv_bytes(frame, {"code": "Mã", "name": "Tên"})
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mã,Tên" and len(lines) == len(frame) + 1
    assert "Đặc khu Hoàng Sa" in lines[1]


@pytest.mark.parametrize("args, expected", [
    ((), "don-vi-moi_v1.2.3.csv"),
    ((("phuong",), ("da-nang",)), "don-vi-moi_phuong_da-nang_v1.2.3.csv"),
    (((), (), "quan-hai-chau"), "don-vi-moi_quan-hai-chau_v1.2.3.csv"),
])
def test_csv_name_states_filters_and_version(args, expected):
    assert lookup.csv_name("don-vi-moi", "1.2.3", *args) == expected


@pytest.mark.parametrize("query, expected", [
    ("Phường Hải Vân", ("phuong", "hải vân")), ("p. Hải Vân", ("phuong", "hải vân")),
    ("tp. Hội An", ("thanh pho", "hội an")), ("thi xa dien ban", ("thi xa", "dien ban")),
    ("Hội An", ("", "hội an")), ("xa dung", ("xa", "dung")),
])
def test_type_words_are_the_shared_parser(query, expected):
    """Both lookups read type words with core/places.py."""
    type_word, key, _ = lookup.split_query(query)
    assert (type_word, key) == expected
    assert places.type_of(text.fold(query)) == expected[0]


@pytest.mark.parametrize("fate, da_nang, country", [
    ((True, 1, True, True), "split", "split"), ((False, 2, True, True), "merged", "merged"),
    ((False, 1, True, True), "unchanged", "unchanged"), ((False, 1, True, False), "type_changed", "renamed"),
    ((False, 1, False, True), "merged", "renamed"),
])
def test_one_status_rule_named_by_each_lookup(fate, da_nang, country):
    from core import national

    found = places.fate(*fate)
    assert lookup.STATUS.get(found, found) == da_nang and national.STATUS.get(found, found) == country

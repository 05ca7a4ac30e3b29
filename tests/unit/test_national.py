"""National old → new lookup: cases from the north, centre and south, splits, ambiguity, provinces.

Expected values come from the resolutions' text (1654 An Giang, 1656 Hà Nội, 1659 Đà Nẵng,
1687 Vĩnh Long), not from the code under test.
"""

import pytest

from core import national, national_data
from tests.conftest import DATA


@pytest.fixture(scope="module")
def data():
    return national_data.build(DATA)


@pytest.fixture(scope="module")
def index(data):
    return national.build_index(data)


def _one(index, query):
    answer = national.lookup(index, query)
    assert len(answer.communes) == 1, [c.full_name for c in answer.communes]
    return answer.communes[0]


@pytest.mark.parametrize("query, old, province, new, new_province, status", [
    # Hà Nội, Resolution 1656 khoản 14: phường Phúc Xá wholly into phường Hồng Hà.
    ("Phúc Xá", "Phường Phúc Xá", "Thành phố Hà Nội", ["Phường Hồng Hà"], "Thành phố Hà Nội", "merged"),
    ("phuong phuc xa, q. ba dinh, ha noi", "Phường Phúc Xá", "Thành phố Hà Nội", ["Phường Hồng Hà"],
     "Thành phố Hà Nội", "merged"),
    # Vĩnh Long, Resolution 1687 khoản 1: xã An Phước (Mang Thít) into xã Cái Nhum.
    ("An Phước, Mang Thít, Vĩnh Long", "Xã An Phước", "Tỉnh Vĩnh Long", ["Xã Cái Nhum"], "Tỉnh Vĩnh Long",
     "merged"),
    ("vinh long, huyen mang thit, xa an phuoc", "Xã An Phước", "Tỉnh Vĩnh Long", ["Xã Cái Nhum"],
     "Tỉnh Vĩnh Long", "merged"),
    # An Giang, Resolution 1654 khoản 97: xã Mỹ Hòa Hưng not rearranged.
    ("Xã Mỹ Hòa Hưng", "Xã Mỹ Hòa Hưng", "Tỉnh An Giang", ["Xã Mỹ Hòa Hưng"], "Tỉnh An Giang", "unchanged"),
    ("my hoa hung", "Xã Mỹ Hòa Hưng", "Tỉnh An Giang", ["Xã Mỹ Hòa Hưng"], "Tỉnh An Giang", "unchanged"),
    # Đà Nẵng, Resolution 1659 khoản 9 and 10: xã Hòa Liên divided between two new wards.
    ("Hòa Liên", "Xã Hòa Liên", "Thành phố Đà Nẵng", ["Phường Hải Vân", "Phường Liên Chiểu"],
     "Thành phố Đà Nẵng", "split"),
    ("hoà liên, hòa vang", "Xã Hòa Liên", "Thành phố Đà Nẵng", ["Phường Hải Vân", "Phường Liên Chiểu"],
     "Thành phố Đà Nẵng", "split"),
    ("Xã Tam Hải, Núi Thành, Quảng Nam", "Xã Tam Hải", "Tỉnh Quảng Nam", ["Xã Tam Hải"],
     "Thành phố Đà Nẵng", "unchanged"),
])
def test_commune_lookup(index, query, old, province, new, new_province, status):
    unit = _one(index, query)
    assert (unit.full_name, unit.province, unit.status) == (old, province, status)
    assert sorted(s.name for s in unit.successors) == new
    assert {s.province for s in unit.successors} == {new_province}


def test_tone_placement_and_diacritics_do_not_matter(index):
    codes = {_one(index, q).code for q in ("Hòa Khánh Bắc", "Hoà Khánh Bắc", "hoa khanh bac",
                                            "HÒA KHÁNH BẮC", "p. Hòa Khánh Bắc")}
    assert len(codes) == 1


def test_same_name_in_many_provinces_lists_candidates_by_province(index):
    answer = national.lookup(index, "An Phước")
    assert answer.ambiguous
    groups = national.by_province(answer.communes)
    assert {"Tỉnh Vĩnh Long", "Tỉnh Đồng Nai"} <= set(groups)
    assert len(groups) >= 3


def test_address_with_street_and_district_narrows_to_one(index):
    unit = _one(index, "123 Nguyễn Lương Bằng, p. Hòa Khánh Bắc, q. Liên Chiểu, TP Đà Nẵng")
    assert unit.district == "Quận Liên Chiểu"


@pytest.mark.parametrize("query, old, new, partners", [
    ("Quảng Nam", "Tỉnh Quảng Nam", "Thành phố Đà Nẵng", ("Thành phố Đà Nẵng",)),
    ("tinh kien giang", "Tỉnh Kiên Giang", "Tỉnh An Giang", ("Tỉnh An Giang",)),
    ("Hà Giang", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang", ("Tỉnh Tuyên Quang",)),
    ("Bình Dương", "Tỉnh Bình Dương", "Thành phố Hồ Chí Minh",
     ("Thành phố Hồ Chí Minh", "Tỉnh Bà Rịa - Vũng Tàu")),
])
def test_province_lookup(index, query, old, new, partners):
    hits = national.lookup(index, query).provinces
    assert [(h.old_name, h.new_name) for h in hits] == [(old, new)]
    assert sorted(hits[0].partners) == sorted(partners)


@pytest.mark.parametrize("query", ["", "   ", ",,,", "zzzz qqqq", "<script>alert(1)</script>"])
def test_nonsense_gives_an_empty_answer(index, query):
    answer = national.lookup(index, query)
    assert (answer.communes, answer.provinces) == ((), ())


def test_split_type_strips_type_words_without_eating_names():
    assert national.split_type("Quảng Nam")[2] == "quang nam"
    assert national.split_type("Tỉnh Quảng Nam")[2] == "quang nam"
    assert national.split_type("TP. Hồ Chí Minh")[2] == "ho chi minh"
    assert national.split_type("xa Xuan Loc")[2] == "xuan loc"


def test_province_frame_reduction(data):
    frame = national.province_frame(data).set_index("code")
    # Hà Nội: 126 new units (Resolution 1656); Đà Nẵng: 94 (Resolution 1659) from 280 communes + Hoàng Sa.
    assert frame.loc["01", "communes_after"] == 126
    assert (frame.loc["48", "communes_before"], frame.loc["48", "communes_after"]) == (281, 94)
    assert frame.loc["48", "reduction_pct"] == 66.5
    assert len(frame) == 34


@pytest.mark.slow
def test_every_old_commune_is_found_from_its_full_old_address(index):
    """All 10,040 old units, written three ways; each must be among the answers (several only
    for names that differ by diacritics alone, such as Sa Pa / Sa Pả typed without marks)."""
    from core import text

    missed = []
    for unit in index.old.values():
        for query in (f"{unit.full_name}, {unit.district}, {unit.province}",
                      f"{text.fold(unit.province)}, {text.fold(unit.full_name)}, {text.fold(unit.district)}"):
            answer = national.lookup(index, query)
            if unit.code not in {c.code for c in answer.communes} or answer.parsed:
                missed.append(query)
    assert missed == []


# --- citations, province stories, formats (the clause data of data/national/) -------------------


def test_whole_row_cites_its_clause(index):
    """Resolution 1656 khoản 14: phường Phúc Xá wholly into phường Hồng Hà."""
    unit = _one(index, "phuc xa, ba dinh, ha noi")
    [(new, cite)] = unit.links()
    assert new.name == "Phường Hồng Hà"
    assert cite == national.Cite("whole", "1656/NQ-UBTVQH15", 14)
    assert "Phúc Xá" in index.clause_text(cite)


def test_split_names_the_clause_of_each_part(index):
    """Resolution 1659 khoản 9 and 10: a part of xã Hòa Liên to each of two new wards."""
    unit = _one(index, "Hòa Liên")
    parts = national.split_parts(unit)
    assert [(n.name, c.share, c.clause) for n, c in parts] == [
        ("Phường Hải Vân", "part", 9), ("Phường Liên Chiểu", "part", 10)]
    assert all("Hòa Liên" in index.clause_text(c) for _, c in parts)


def test_rows_without_clause_columns_still_answer():
    """A data folder from before the clause columns: the answer stands, without a citation."""
    from types import SimpleNamespace

    row = SimpleNamespace(old_code="1", new_code="2", divided_flag="1")
    assert national.cite_of(row) == national.Cite("part", "", None)
    assert not national.cite_of(row).known
    unit = national.OldCommune("1", "xã", "A", "B", "C", (national.NewUnit("2", "Xã D", "xã", "E", "01"),), "merged")
    assert unit.links()[0][1] == national.Cite()


def test_old_province_answer_cites_resolution_202(index):
    [hit] = national.lookup(index, "tỉnh Kon Tum").provinces
    assert (hit.new_name, hit.new_code, hit.resolution) == ("Tỉnh Quảng Ngãi", "51", "202/2025/QH15")


@pytest.mark.parametrize("query", ["tỉnh Hà Tây", "tinh ha tay", "T. Hà Tây"])
def test_a_province_that_did_not_exist_is_named_before_communes_of_that_name(index, query):
    answer = national.lookup(index, query)
    assert national.missing_name(answer).lower() in ("hà tây", "ha tay")
    assert answer.provinces == ()
    assert [c.full_name for c in answer.communes] == ["Xã Hà Tây"]


@pytest.mark.parametrize("query", ["tỉnh Quảng Nam", "Hòa Liên", "Hà Tây"])
def test_real_provinces_and_plain_names_are_not_called_missing(index, query):
    assert national.lookup(index, query).missing_province == ""


def test_province_story_of_danang(data, index):
    story = national.province_story(data, index, "48")
    assert story.old_provinces == ("Thành phố Đà Nẵng", "Tỉnh Quảng Nam") and story.merged
    assert story.resolution == "1659/NQ-UBTVQH15" and story.population_basis == "resolution"
    assert story.after == {"phường": 23, "xã": 70, "đặc khu": 1}
    assert sum(story.before.values()) == 281 and story.before["huyện"] == 1  # Hoàng Sa, no communes
    assert len(story.communes) == 94
    clauses = [c.cite.clause for c in story.communes]
    assert clauses == sorted(clauses) and clauses[0] == 1  # in the resolution's order
    hai_van = next(c for c in story.communes if c.unit.name == "Phường Hải Vân")
    assert hai_van.cite.clause == 9
    assert {(o.old.full_name, o.cite.share) for o in hai_van.origins} >= {("Xã Hòa Liên", "part")}


def test_unchanged_province_story(data, index):
    story = national.province_story(data, index, "01")
    assert not story.merged and story.population_basis == "government-site"
    assert national.province_story(data, index, "99") is None


def test_commune_search_finds_new_and_old_names_without_diacritics(data, index):
    story = national.province_story(data, index, "48")
    assert [c.unit.name for c in national.filter_communes(story.communes, "hai van")] == ["Phường Hải Vân"]
    found = {c.unit.name for c in national.filter_communes(story.communes, "Hòa Liên")}
    assert found == {"Phường Hải Vân", "Phường Liên Chiểu"}
    assert len(national.filter_communes(story.communes, "")) == 94


@pytest.mark.parametrize("query, name", [
    ("", "34-tinh-thanh.csv"), ("quang", "tinh-thanh-loc-quang.csv"), ("Quảng Nam ", "tinh-thanh-loc-quang-nam.csv"),
    ("<b>x</b>/..", "tinh-thanh-loc-b-x-b.csv"), ("!!!", "34-tinh-thanh.csv")])
def test_csv_name_follows_the_view(query, name):
    assert national.csv_name("34-tinh-thanh", "tinh-thanh-loc-{filter}", query) == name


def test_sortable_texts_pad_to_one_width_behind_a_mark():
    texts = national.sortable_texts(["3.359,8", "927,5", "16.493,7"])
    assert len({len(x) for x in texts}) == 1
    assert all(x.startswith(national.SORT_MARK) for x in texts)
    assert [x.lstrip(national.SORT_MARK + national.FIGURE_SPACE) for x in texts] == ["3.359,8", "927,5", "16.493,7"]


def test_province_parameter_means_a_code_on_country_and_slugs_on_merger():
    from core import url_state

    state, ignored = url_state.from_params({"province": "48"})
    assert (state.new_province, state.province, ignored) == ("48", (), [])
    assert url_state.to_params(state, "country") == {"province": "48"}
    assert url_state.to_params(state, "merger") == {}
    merger, _ = url_state.from_params({"province": "da-nang,quang-nam"})
    assert merger.new_province == "" and url_state.to_params(merger, "merger") == {"province": "da-nang,quang-nam"}
    assert url_state.to_params(merger, "country") == {}
    assert url_state.from_params({"province": "4"})[1] == ["province=4"]


def test_the_catalog_reads_the_national_set_once_and_only_when_asked(data):
    from core import catalog

    cat = catalog.build(DATA)
    assert cat._national is None  # other pages never load it
    first = cat.national()
    assert first is cat.national() and len(first["provinces"]) == len(data["provinces"]) == 34
    assert [str(p) for p in first.problems] == [str(p) for p in national_data.build(
        DATA, units_mapping=cat["mapping"].records).problems]

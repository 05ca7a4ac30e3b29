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

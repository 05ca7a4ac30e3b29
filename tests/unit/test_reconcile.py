"""scripts/reconcile_national.py on small hand-written clause texts: parsing a clause (whole, part,
remainder, unchanged units), telling same-named communes apart and the decision rules."""

import pandas as pd
import pytest

from scripts import prepare_national
from scripts import reconcile_national as rn


def _unit(code, name, district, unit_type="xã", province="86", old_province="Tỉnh Vĩnh Long", district_code=""):
    return rn.OldUnit(code, unit_type, name, district, province, old_province, district_code or district)


def test_a_clause_with_whole_part_and_remainder():
    clause = rn.parse_clause(4, rn.normalise(
        "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của phường Vĩnh\nPhúc, phường Liễu Giai, một phần "
        "diện tích tự nhiên, quy mô dân số của các phường Cống Vị, Kim Mã, phần còn lại của phường Đội Cấn và "
        "phường Ngọc Hà sau khi sắp xếp theo quy định tại khoản 3 Điều này thành phường mới có tên gọi là "
        "**phường Ngọc Hà**."))
    assert (clause.new_type, clause.new_name) == ("phường", "Ngọc Hà")
    assert [(i.unit_type, i.name, i.share) for i in clause.items] == [
        ("phường", "Vĩnh Phúc", "whole"), ("phường", "Liễu Giai", "whole"), ("phường", "Cống Vị", "part"),
        ("phường", "Kim Mã", "part"), ("phường", "Đội Cấn", "part"), ("phường", "Ngọc Hà", "part")]


def test_glued_words_qualifiers_and_types_carried_over():
    clause = rn.parse_clause(1, rn.normalise(
        "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của thị trấn Tân Uyênvàcác xã Mỹ An (huyện Mang "
        "Thít),Tân Bình (huyện Châu Thành, tỉnh Trà Vinh) và Phường IVthành xã mới có tên gọilàxã Tân Uyên."))
    assert clause.new_name == "Tân Uyên"
    assert [(i.unit_type, i.name, i.qualifier) for i in clause.items] == [
        ("thị trấn", "Tân Uyên", ""), ("xã", "Mỹ An", "huyện Mang Thít"),
        ("xã", "Tân Bình", "huyện Châu Thành, tỉnh Trà Vinh"), ("phường", "IV", "")]


def test_names_after_a_remainder_go_back_to_whole():
    clause = rn.parse_clause(111, rn.normalise(
        "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của các phường Ngọc Hà, phần còn lại của phường "
        "Quang Trung sau khi sắp xếp theo quy định tại khoản 110 Điều này và xã Phong Quang thành phường mới "
        "có tên gọi là phường Hà Giang 2."))
    assert [(i.name, i.share) for i in clause.items] == [
        ("Ngọc Hà", "whole"), ("Quang Trung", "part"), ("Phong Quang", "whole")]


def test_area_only_and_population_only_parts_are_parts():
    clause = rn.parse_clause(62, "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của phường Kỳ Long và toàn "
                                 "bộ diện tích tự nhiên của xã Kỳ Lợi thành phường mới có tên gọi là phường Vũng Áng.")
    assert [(i.name, i.share) for i in clause.items] == [("Kỳ Long", "whole"), ("Kỳ Lợi", "part")]


def test_unchanged_units_and_renames():
    closing = rn.parse_clause(121, "Sau khi sắp xếp, tỉnh Vĩnh Long có 124 đơn vị hành chính cấp xã; trong đó "
                                   "04 xã không thực hiện sắp xếp là các xã Long Hòa (huyện Châu Thành), Đông Hải, "
                                   "Long Vĩnh, Hòa Minh.")
    assert not closing.new_name
    assert [i.name for i in closing.unchanged] == ["Long Hòa", "Đông Hải", "Long Vĩnh", "Hòa Minh"]
    renamed = rn.parse_clause(96, "Đổi tên xã Krông Na thành xã Buôn Đôn.")
    assert (renamed.new_name, renamed.items[0].name, renamed.items[0].share) == ("Buôn Đôn", "Krông Na", "whole")


def test_split_clauses_numbers_and_checks_order():
    text = "**Điều 1. X**\n\n1\\. Sắp xếp a thành xã mới có tên gọi là xã A.\n\n2.Sắp xếp b thành xã B.\n\n**Điều 2.**"
    assert rn.split_clauses(text) == {1: "Sắp xếp a thành xã mới có tên gọi là xã A.", 2: "Sắp xếp b thành xã B."}
    with pytest.raises(rn.ReconcileError):
        rn.split_clauses("**Điều 1.**\n\n1\\. a\n\n3\\. b\n\n**Điều 2.**")


def test_names_match_with_diacritics_first_then_spelling():
    units = [_unit("1", "Lộc Thạnh", "H"), _unit("2", "Lộc Thành", "H"), _unit("3", "Kan Hồ", "H"),
             _unit("4", "Phường Đúc", "Q", unit_type="phường"), _unit("5", "IV", "T", unit_type="phường")]
    assert [u.code for u in rn.find_units(units, "xã", "Lộc Thành")] == ["2"]
    assert [u.code for u in rn.find_units(units, "xã", "Can Hồ")] == ["3"]
    assert [u.code for u in rn.find_units(units, "phường", "Đúc")] == ["4"]
    assert [u.code for u in rn.find_units(units, "phường", "4")] == ["5"]
    assert rn.find_units(units, "xã", "Hoàn Toàn Khác") == []


def test_same_named_communes_told_apart_by_qualifier_or_neighbours():
    units = [_unit("28924", "Hòa Lộc", "Huyện Mỏ Cày Bắc", old_province="Tỉnh Bến Tre"),
             _unit("29734", "Hòa Lộc", "Huyện Tam Bình"), _unit("29731", "Hòa Thạnh", "Huyện Tam Bình"),
             _unit("10", "Châu Thành", "Huyện Châu Thành", "thị trấn", old_province="Tỉnh Trà Vinh", district_code="842"),
             _unit("11", "Châu Thành", "Huyện Châu Thành", "thị trấn", old_province="Tỉnh Bến Tre", district_code="831")]
    by_neighbour = rn.resolve_items([rn.Item("xã", "Hòa Thạnh"), rn.Item("xã", "Hòa Lộc")], units)
    assert [u.code for u in by_neighbour[rn.Item("xã", "Hòa Lộc")]] == ["29734"]
    by_qualifier = rn.resolve_items([rn.Item("thị trấn", "Châu Thành", "huyện Châu Thành, tỉnh Trà Vinh")], units)
    assert [u.code for u in next(iter(by_qualifier.values()))] == ["10"]
    alone = rn.resolve_items([rn.Item("xã", "Hòa Lộc")], units)
    assert len(next(iter(alone.values()))) == 2  # nothing tells them apart


def _reading(answers, clause_of_new):
    reading = rn.Reading()
    reading.answers.update(answers)
    reading.clause_of_new.update(clause_of_new)
    return reading


def test_a_disagreement_is_decided_by_the_clause():
    """Phường 4 of Tân An: the government site adds Tây Ninh's Tân Ninh, whose clause names another Phường 4."""
    units = {"27691": _unit("27691", "4", "Thành phố Tân An", "phường"),
             "25462": _unit("25462", "4", "Thành phố Tây Ninh", "phường")}
    reading = _reading({"27691": {"27694": ("whole", "1682/NQ-UBTVQH15", 84)},
                        "25462": {"25459": ("whole", "1682/NQ-UBTVQH15", 87)}},
                       {"27694": ("1682/NQ-UBTVQH15", 84), "25459": ("1682/NQ-UBTVQH15", 87)})
    result = rn.decide({"27691": ["25459", "27694"], "25462": ["25459", "27694"]},
                       {"27691": ["27694"], "25462": ["25459"]}, reading, units,
                       {"27694": "phường Long An", "25459": "phường Tân Ninh"})
    assert result.rows["27691"] == [("27694", "whole", "1682/NQ-UBTVQH15", 84)]
    assert result.rows["25462"] == [("25459", "whole", "1682/NQ-UBTVQH15", 87)]
    decision = {d.old_code: d for d in result.decisions}["27691"]
    assert (decision.decision, decision.clauses) == ("resolutions", [84])
    assert "names the phường 4 of Thành phố Tây Ninh" in decision.reason


def test_the_government_answer_wins_when_its_clause_names_the_commune():
    units = {"20669": _unit("20669", "Phước Ninh", "Huyện Quế Sơn", province="48")}
    reading = _reading({"20669": {"20669": ("whole", "1659/NQ-UBTVQH15", 59)}},
                       {"20669": ("1659/NQ-UBTVQH15", 59), "20242": ("1659/NQ-UBTVQH15", 1)})
    result = rn.decide({"20669": ["20669"]}, {"20669": ["20242", "20669"]}, reading, units,
                       {"20669": "xã Quế Phước", "20242": "phường Hải Châu"})
    assert result.rows["20669"] == [("20669", "whole", "1659/NQ-UBTVQH15", 59)]
    assert result.decisions[0].decision == "government"
    assert "1659 khoản 1 forming phường Hải Châu does not name it" in result.decisions[0].reason


def test_parts_named_in_several_clauses_are_all_kept_and_agreement_is_left_alone():
    units = {"09013": _unit("09013", "Văn Khê", "Huyện Mê Linh", province="01"),
             "00001": _unit("00001", "Phúc Xá", "Quận Ba Đình", "phường", province="01")}
    reading = _reading({"09013": {x: ("part", "1656/NQ-UBTVQH15", k) for x, k in
                                  [("08980", 119), ("08995", 120), ("09022", 118), ("09817", 107)]},
                        "00001": {"00097": ("whole", "1656/NQ-UBTVQH15", 14)}},
                       {"08980": ("1656/NQ-UBTVQH15", 119), "08995": ("1656/NQ-UBTVQH15", 120),
                        "09022": ("1656/NQ-UBTVQH15", 118), "09817": ("1656/NQ-UBTVQH15", 107),
                        "00097": ("1656/NQ-UBTVQH15", 14)})
    result = rn.decide({"09013": ["08980", "08995", "09022"], "00001": ["00097"]},
                       {"09013": ["08980", "08995", "09022", "09817"], "00001": ["00097"]}, reading, units, {})
    assert [r[:2] for r in result.rows["09013"]] == [(x, "part") for x in ("08980", "08995", "09022", "09817")]
    assert [d.old_code for d in result.decisions] == ["09013"]
    assert result.decisions[0].decision == "resolutions"


def test_cut_names_and_type_words():
    assert rn.split_type("Thị trấn Ngọc Lặc") == ("thị trấn", "Ngọc Lặc")
    assert rn.split_type("Phường 5") == ("phường", "5")
    assert rn.split_type("Xã é Tòng") == ("xã", "É Tòng")
    assert rn.split_type("Phường Phường Đúc") == ("phường", "Phường Đúc")
    for cut in ("ị trấn Ngọc Lặc", "ường 5", "hường 15", "é Tòng"):
        assert rn.is_cut_name(cut), cut
    for fine in ("Ngọc Lặc", "5", "Phường Đúc", "Đông Hải", "Ia HDreh"):
        assert not rn.is_cut_name(fine), fine


def test_populations_with_thousands_separators():
    assert [prepare_national.population(v) for v in ("30,509", "30509", "1.234.567", "đang cập nhật", "")] == [
        "30509", "30509", "1234567", "", ""]


def test_repeated_figures_found_by_closeness():
    communes = pd.DataFrame({
        "name": ["Thanh An", "Thanh An", "Vĩnh Kim", "Vinh Kim", "Giảng Võ", "Hòa Hưng", "Lẻ"],
        "area_km2": ["136.72", "136.717", "25.6", "25.6", "2.6", "2.59", "10.0"],
        "population": ["25324", "25324", "31466", "31466", "97034", "96414", "31466"]})
    assert prepare_national.same_figures(communes).tolist() == [True, True, True, True, False, False, False]

"""Merger page in AppTest: deep links, stale links, opening units, filters and the table."""

import pytest
from streamlit.testing.v1 import AppTest

from core import catalog, lookup, paths

PAGE = str(paths.ROOT / "pages" / "merger.py")
TIMEOUT = 60


@pytest.fixture(scope="module")
def index():
    cat = catalog.build()
    return lookup.build_index(cat["units"].records, cat["mapping"].records)


def code_of(index, name: str) -> str:
    return next(code for code, unit in index.new.items() if unit.name == name)


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return at.run()


def buttons(at) -> list[str]:
    return [b.label for b in at.button]


def table_rows(at) -> int:
    return len(at.dataframe[0].value)


def test_lookup_link_shows_the_split_and_both_successors():
    at = run(q="hoa lien")
    assert not at.exception
    assert at.text_input(key="merger.q").value == "hoa lien"
    assert any("2" in w.value for w in at.warning)
    labels = buttons(at)
    assert any(label.startswith("Phường Hải Vân") for label in labels)
    assert any(label.startswith("Phường Liên Chiểu") for label in labels)


def test_unit_link_opens_the_unit_view(index):
    code = code_of(index, "Phường Hải Vân")
    at = run(unit=code)
    assert not at.exception
    assert at.selectbox(key="merger.unit.vi").value == code
    assert "Phường Hải Vân" in [h.value for h in at.subheader]
    origins = [m.value for m in at.markdown if m.value.startswith("- ") and " · mã " in m.value]
    assert len(origins) == len(index.origins[code])
    assert any("một phần" in line and "Hòa Liên" in line for line in origins)
    unit = index.new[code]
    assert {m.label for m in at.metric} >= {"Diện tích", "Dân số"} and unit.area_km2


def test_unknown_unit_shows_a_notice_and_the_default_view():
    at = run(unit="99999")
    assert not at.exception
    assert any("unit=99999" in i.value for i in at.info)
    assert at.selectbox(key="merger.unit.vi").value == ""
    assert "unit" not in at.query_params


def test_unit_without_a_population_says_so_in_english(index):
    at = run(unit=code_of(index, "Đặc khu Hoàng Sa"), lang="en")
    assert not at.exception
    assert any("Population: no sourced figure" in c.value for c in at.caption)
    assert any("not census counts" in c.value for c in at.caption)


def test_nothing_found_is_a_helpful_empty_state():
    at = run(q="zzz")
    assert not at.exception
    assert any("zzz" in i.value for i in at.info)
    at = run(q="hoa lein")
    assert "Hòa Liên" in buttons(at), "a close spelling is offered"


def test_clicking_a_successor_opens_it_and_back_clears_it(index):
    at = run(q="hoa lien")
    target = next(b for b in at.button if b.label.startswith("Phường Liên Chiểu"))
    target.click().run()
    code = code_of(index, "Phường Liên Chiểu")
    assert at.selectbox(key="merger.unit.vi").value == code
    assert at.query_params["unit"] == code and at.query_params["q"] == "hoa lien"
    at.button(key="merger.back").click().run()
    assert at.selectbox(key="merger.unit.vi").value == "" and "unit" not in at.query_params
    assert not at.exception


def test_example_button_fills_the_search():
    at = run()
    at.button(key="merger.example.0").click().run()
    assert at.text_input(key="merger.q").value and at.query_params["q"]
    assert not at.exception


def test_filters_change_the_table_and_the_link(index):
    frame = lookup.units_frame(index)
    at = run(view="list")
    assert table_rows(at) == len(frame)
    at.multiselect(key="merger.type.vi").set_value(["phuong"]).run()
    assert table_rows(at) == len(lookup.filter_units(frame, types=("phuong",)))
    at.multiselect(key="merger.province.vi").set_value(["da-nang"]).run()
    assert table_rows(at) == len(lookup.filter_units(frame, ("phuong",), ("da-nang",)))
    assert at.query_params["type"] == "phuong" and at.query_params["province"] == "da-nang"
    assert not at.exception


def test_district_link_filters_the_table(index):
    frame = lookup.units_frame(index)
    at = run(district="huyen-hoa-vang", view="list")
    assert at.selectbox(key="merger.district.vi").value == "huyen-hoa-vang"
    assert table_rows(at) == len(lookup.filter_units(frame, district="huyen-hoa-vang")) < len(frame)
    at = run(district="huyen-khong-co", view="list")
    assert any("district=huyen-khong-co" in i.value for i in at.info) and table_rows(at) == len(frame)


def test_page_through_the_navigation(index):
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("pages/merger.py").run()
    assert not at.exception
    assert at.text_input(key="merger.q").value == ""


def test_only_the_chosen_view_is_built():
    at = run()
    assert at.segmented_control(key="merger.view.vi").value == "map"
    assert len(at.dataframe) == 0
    at.segmented_control(key="merger.view.vi").set_value("list").run()
    assert at.query_params["view"] == "list" and len(at.dataframe) == 1
    assert not at.exception

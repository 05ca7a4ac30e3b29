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
    # merger.result.split: "Đơn vị này được chia cho {count} đơn vị mới, …"
    assert any("được chia cho 2 đơn vị mới" in w.value for w in at.warning), [w.value for w in at.warning]
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
    assert any("Population: the reorganisation proposals give no figure for this unit." == c.value
               for c in at.caption)
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


def test_filters_change_the_table_and_the_link():
    # Resolution 1659/NQ-UBTVQH15: 94 units, 23 of them wards; 12 of those wards lie in former
    # Đà Nẵng (counted in data/units/new_units.csv, not with the page's filter code).
    at = run(view="list")
    assert table_rows(at) == 94
    at.multiselect(key="merger.type.vi").set_value(["phuong"]).run()
    assert table_rows(at) == 23
    at.multiselect(key="merger.province.vi").set_value(["da-nang"]).run()
    assert table_rows(at) == 12
    assert at.query_params["type"] == "phuong" and at.query_params["province"] == "da-nang"
    assert not at.exception


def test_district_link_filters_the_table():
    # 7 new units take in communes of former Hòa Vang district (new_units.csv, former_districts).
    at = run(district="huyen-hoa-vang", view="list")
    assert at.selectbox(key="merger.district.vi").value == "huyen-hoa-vang"
    assert table_rows(at) == 7
    at = run(district="huyen-khong-co", view="list")
    assert any("district=huyen-khong-co" in i.value for i in at.info) and table_rows(at) == 94


def test_district_picker_writes_the_link():
    at = run(view="list")
    district = at.selectbox(key="merger.district.vi")
    assert district.options[0] == "Tất cả" and "Huyện Hòa Vang" in district.options
    district.set_value("huyen-hoa-vang").run()
    assert at.query_params["district"] == "huyen-hoa-vang" and table_rows(at) == 7


def test_unit_picker_opens_a_unit_and_writes_the_link():
    at = run()
    at.selectbox(key="merger.unit.vi").set_value("20242").run()
    assert not at.exception
    assert at.query_params["unit"] == "20242"
    assert any("Phường Hải Châu" in h.value for h in [*at.header, *at.subheader])


@pytest.mark.parametrize("view", ["compare", "charts"])
def test_compare_and_charts_views(view):
    at = run(view=view)
    assert not at.exception
    assert at.segmented_control(key="merger.view.vi").value == view
    if view == "charts":
        assert len(at.get("plotly_chart")) >= 1
    else:  # the before/after comparison is a table, no chart
        assert len(at.table) == 1 and not at.get("plotly_chart")
    assert at.query_params["view"] == view
    at.segmented_control(key="merger.view.vi").set_value("map").run()
    assert "view" not in at.query_params


def test_map_coloured_by_former_province():
    at = run(color="province")
    assert at.segmented_control(key="merger.color.vi").value == "province"
    at.segmented_control(key="merger.color.vi").set_value("type").run()
    assert "color" not in at.query_params
    at.segmented_control(key="merger.color.vi").set_value("province").run()
    assert at.query_params["color"] == "province" and not at.exception


def test_page_through_the_navigation(index):
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("pages/merger.py").run()
    assert not at.exception
    assert at.text_input(key="merger.q").value == ""


def flat(node) -> list:
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [leaf for child in children.values() for leaf in flat(child)]


def types(at) -> list[str]:
    return [getattr(el, "type", "") for el in flat(at.main)]


def test_only_the_chosen_view_is_built():
    at = run()
    assert at.segmented_control(key="merger.view.vi").value == "map"
    assert types(at).count("plotly_chart") == 1
    assert [len(df.value.columns) for df in at.dataframe] == [2]  # the list of units beside the map
    at.segmented_control(key="merger.view.vi").set_value("list").run()
    assert at.query_params["view"] == "list" and len(at.dataframe) == 1
    assert "plotly_chart" not in types(at) and len(at.dataframe[0].value.columns) > 2
    assert not at.exception


def test_map_lists_every_unit_beside_it(index):
    at = run()
    names = list(at.dataframe[0].value.iloc[:, 0])
    assert sorted(names) == sorted(unit.name for unit in index.new.values()) and len(names) == 94


def test_map_view_opens_the_unit_beside_the_map_not_at_the_top(index):
    at = run(unit="20194")
    assert not at.exception
    elements = flat(at.main)
    kinds = [getattr(el, "type", "") for el in elements]
    chart = kinds.index("plotly_chart")
    heading = next(i for i, el in enumerate(elements) if kinds[i] == "subheader" and el.value == "Phường Hải Vân")
    assert heading > chart
    assert not at.dataframe  # the unit's details take the list's place
    at = run(unit="20194", view="list")
    elements = flat(at.main)
    kinds = [getattr(el, "type", "") for el in elements]
    heading = next(i for i, el in enumerate(elements) if kinds[i] == "subheader" and el.value == "Phường Hải Vân")
    assert heading < kinds.index("header")  # other views keep it at the top, above the lookup


def test_the_picker_above_the_map_reaches_every_unit(index):
    """A phone cannot tap the small wards: the searchable picker above the map lists all of them."""
    at = run()
    options = at.selectbox(key="merger.unit.vi").options
    assert len([o for o in options if o != "— Chọn đơn vị —"]) == len(index.new) == 94

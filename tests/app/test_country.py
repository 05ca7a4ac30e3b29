"""Country page in AppTest: deep links with q, splits, ambiguous names, provinces, table, English."""

import pytest
from streamlit.testing.v1 import AppTest

from core import paths

PAGE = str(paths.ROOT / "pages" / "country.py")
TIMEOUT = 90
pytestmark = pytest.mark.slow


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return at.run()


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_split_commune_link_lists_every_successor_and_links_to_the_merger_page():
    at = run(q="hoa lien, hoa vang")
    assert not at.exception
    assert at.text_input(key="country.q").value == "hoa lien, hoa vang"
    text = markdown(at)
    assert "Phường Hải Vân, Thành phố Đà Nẵng" in text and "Phường Liên Chiểu, Thành phố Đà Nẵng" in text
    assert "Bị chia cho nhiều đơn vị mới" in text
    assert "/merger?q=H%C3%B2a+Li%C3%AAn" in text
    assert any("2 đơn vị mới" in w.value for w in at.warning)


def test_commune_in_the_north_has_no_merger_link():
    at = run(q="phuc xa, ba dinh, ha noi")
    text = markdown(at)
    assert "Phường Hồng Hà, Thành phố Hà Nội" in text
    assert "/merger?" not in text


def test_ambiguous_name_lists_candidates_instead_of_guessing():
    at = run(q="An Phước")
    assert not at.exception
    candidates = at.dataframe[0].value
    assert len(candidates) >= 3
    assert {"Tỉnh Vĩnh Long", "Tỉnh Đồng Nai"} <= set(candidates["Tỉnh cũ"])


def test_old_province_link_names_its_new_province():
    at = run(q="Quảng Nam")
    assert any("Tỉnh Quảng Nam (cũ) nay thuộc **Thành phố Đà Nẵng**" in s.value for s in at.success)


def test_province_table_has_34_rows_and_a_csv():
    at = run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 34
    assert at.text_input(key="country.filter").value == ""
    at.text_input(key="country.filter").input("quang nam").run()
    assert list(at.dataframe[0].value["name"]) == ["Thành phố Đà Nẵng"]


def test_filter_link_opens_the_filtered_table():
    at = run(filter="quang nam")
    assert not at.exception
    assert at.text_input(key="country.filter").value == "quang nam"
    assert list(at.dataframe[0].value["name"]) == ["Thành phố Đà Nẵng"]


def test_overlong_filter_in_a_link_is_ignored_with_a_notice():
    at = run(filter="x" * 81)
    assert not at.exception and len(at.dataframe[0].value) == 34
    assert any("filter=" in info.value for info in at.info)


def test_english_link():
    at = run(q="Tam Hai", lang="en")
    assert not at.exception
    assert "Unchanged" in markdown(at)
    assert at.title[0].value.startswith("The whole country")


@pytest.mark.parametrize("q", ["x" * 201, "<img src=x onerror=alert(1)>", "%%%", "zzzz"])
def test_hostile_or_unknown_queries_never_break_the_page(q):
    at = run(q=q)
    assert not at.exception
    assert not at.error

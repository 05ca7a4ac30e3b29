"""Country page in AppTest: cited answers (whole, split, old province, a province that never was),
ambiguous names as a list, the province view by link, the table's formats, CSV name and headers."""

import html
import io
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import national, paths

PAGE = str(paths.ROOT / "pages" / "country.py")
TIMEOUT = 90
pytestmark = pytest.mark.slow


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return at.run()


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def expanders(at) -> list[str]:
    return [e.label for e in at.expander]


def folds(at) -> list[tuple[str, str]]:
    """The province view's commune folds (HTML `details`): (summary as text, body as text)."""
    blocks = "".join(h.value for h in at.html if "tgbm-communes" in h.value)
    found = re.findall(r"<details><summary>(.*?)</summary>(.*?)</details>", blocks, flags=re.S)
    return [(html.unescape(re.sub("<[^>]+>", "", a)), html.unescape(re.sub("<[^>]+>", " ", b))) for a, b in found]


def plain(values) -> list[str]:
    return [str(v).lstrip(national.SORT_MARK + national.FIGURE_SPACE) for v in values]


def test_whole_answer_cites_its_clause_with_the_wording_one_click_away():
    at = run(q="phuc xa, ba dinh, ha noi")
    assert not at.exception
    text = markdown(at)
    assert ("- Phường Hồng Hà, Thành phố Hà Nội · **toàn bộ** · khoản 14, Điều 1, Nghị quyết 1656/NQ-UBTVQH15"
            in text)
    [wording] = [e for e in at.expander if e.label == "Nguyên văn khoản 14"]
    assert "Phúc Xá" in wording.markdown[0].value and "phường Hồng Hà" in wording.markdown[0].value
    assert "/country?province=01" in text  # the answer links to its province's view
    assert "/merger?" not in text


def test_split_answer_says_which_clause_took_each_part():
    at = run(q="hoa lien, hoa vang")
    assert not at.exception
    assert at.text_input(key="country.q").value == "hoa lien, hoa vang"
    text = markdown(at)
    assert "Phường Hải Vân, Thành phố Đà Nẵng · **một phần** · khoản 9, Điều 1, Nghị quyết 1659/NQ-UBTVQH15" in text
    assert "Phường Liên Chiểu, Thành phố Đà Nẵng · **một phần** · khoản 10, Điều 1" in text
    assert "Bị chia cho nhiều đơn vị mới" in text
    assert "/merger?q=H%C3%B2a+Li%C3%AAn" in text
    [warning] = [w.value for w in at.warning if "2 đơn vị mới" in w.value]
    assert "Phường Hải Vân (khoản 9); Phường Liên Chiểu (khoản 10)" in warning
    assert "không cho biết phần nào về đâu" not in warning
    assert {"Nguyên văn khoản 9", "Nguyên văn khoản 10"} <= set(expanders(at))
    wording = "\n".join(m.value for e in at.expander for m in e.markdown)
    assert "một phần diện tích tự nhiên, quy mô dân số của xã Hòa Liên" in wording


def test_english_answer_cites_in_english():
    at = run(q="hoa lien, hoa vang", lang="en")
    assert not at.exception
    text = markdown(at)
    assert "Phường Hải Vân, Thành phố Đà Nẵng · **part** · clause 9, Article 1, Resolution 1659/NQ-UBTVQH15" in text
    assert "Wording of clause 9" in expanders(at)
    assert any("Phường Liên Chiểu (clause 10)" in w.value for w in at.warning)


def test_old_province_answer_cites_resolution_202_and_links_to_the_province():
    at = run(q="tỉnh Kon Tum")
    assert not at.exception
    assert any("Tỉnh Kon Tum (cũ) nay thuộc **Tỉnh Quảng Ngãi**" in s.value for s in at.success)
    captions = "\n".join(c.value for c in at.caption)
    assert "Nghị quyết 202/2025/QH15 ngày 12/6/2025" in captions
    assert "1659/NQ-UBTVQH15" not in captions.split("Nghị quyết 202")[0]
    assert "/country?province=51" in markdown(at)


def test_old_province_link_names_its_new_province():
    at = run(q="Quảng Nam")
    assert any("Tỉnh Quảng Nam (cũ) nay thuộc **Thành phố Đà Nẵng**" in s.value for s in at.success)


def test_province_that_did_not_exist_is_said_before_the_communes_of_that_name():
    at = run(q="tỉnh Hà Tây")
    assert not at.exception
    [note] = [i.value for i in at.info if "Không có tỉnh cũ nào tên" in i.value]
    assert "“Hà Tây”" in note and "63" in note
    assert "**Xã Hà Tây**, Huyện Chư Păh, Tỉnh Gia Lai" in markdown(at)
    at = run(q="tinh ha tay", lang="en")
    assert any("There was no old province named “ha tay”" in i.value for i in at.info)


def test_ambiguous_name_lists_candidates_readably_and_one_tap_narrows():
    at = run(q="An Phước")
    assert not at.exception
    assert not at.dataframe or all("Tỉnh cũ" not in d.value.columns for d in at.dataframe)
    text = markdown(at)
    assert "**Tỉnh Vĩnh Long**" in text and "**Tỉnh Đồng Nai**" in text
    picks = [b for b in at.button if b.key and b.key.startswith("country.pick.")]
    assert len(picks) >= 3
    mang_thit = next(b for b in picks if "Mang Thít" in b.label)
    mang_thit.click().run()
    assert at.text_input(key="country.q").value == "Xã An Phước, Huyện Mang Thít, Tỉnh Vĩnh Long"
    assert "Xã Cái Nhum, Tỉnh Vĩnh Long" in markdown(at)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_province_view_by_link(lang):
    at = run(province="48", **({"lang": lang} if lang == "en" else {}))
    assert not at.exception
    text = markdown(at)
    assert at.header[0].value == "Thành phố Đà Nẵng"
    if lang == "vi":
        assert "Hợp nhất từ Thành phố Đà Nẵng, Tỉnh Quảng Nam theo Nghị quyết 202/2025/QH15 ngày 12/6/2025" in text
        assert "đặt tại Đà Nẵng (cũ)" in text and "Nghị quyết 1659/NQ-UBTVQH15" in text
        assert "| Phường | 65 | 23 |" in text and "| **Tổng** | **281** | **94** |" in text
        assert any("Dân số: con số của Nghị quyết 202/2025/QH15" in c.value for c in at.caption)
        assert any(m.value == "11.859,59 km²" for m in at.metric)
        assert "[Xem chi tiết 94 đơn vị trên trang Sáp nhập Đà Nẵng](/merger)" in text
        assert any(label == "Phường Hải Vân · khoản 9" for label, _ in folds(at))
        [(_, body)] = [f for f in folds(at) if f[0].startswith("Phường Hải Vân")]
        assert "Xã Hòa Liên (Huyện Hòa Vang, Thành phố Đà Nẵng) · một phần" in body
        assert "Nguyên văn khoản 9:" in body
    else:
        assert "Formed from Thành phố Đà Nẵng, Tỉnh Quảng Nam under National Assembly Resolution 202/2025/QH15" in text
        assert "in former Đà Nẵng" in text and "| Wards (phường) | 65 | 23 |" in text
        assert any(m.value == "11,859.59 km²" for m in at.metric)
        assert any(label == "Phường Hải Vân · clause 9" for label, _ in folds(at))
    assert len(folds(at)) == 94
    assert not [e for e in expanders(at) if e.startswith("**")]  # no widget per commune
    assert at.selectbox(key=f"country.province.{lang}").value == "48"
    assert not at.dataframe  # the province view replaces the table


def test_province_view_communes_are_searchable_without_diacritics():
    at = run(province="48")
    at.text_input(key="country.communes").input("hoa lien").run()
    assert [label.split(" · ")[0] for label, _ in folds(at)] == ["Phường Hải Vân", "Phường Liên Chiểu"]


def test_unchanged_province_and_a_bad_code():
    at = run(province="01")
    assert "Không hợp nhất với tỉnh nào" in markdown(at) and "giữ nguyên như trước" in markdown(at)
    assert any("con số riêng của cổng thông tin" in c.value for c in at.caption)
    at = run(province="99")
    assert not at.exception and len(at.dataframe[0].value) == 34
    assert any("province=99" in i.value for i in at.info)


def test_picking_a_province_opens_its_view_and_keeps_it_in_the_link():
    at = run()
    at.selectbox(key="country.province.vi").set_value("51").run()
    assert not at.exception
    assert at.header[0].value == "Tỉnh Quảng Ngãi"
    assert at.query_params["province"] in ("51", ["51"])


def test_province_table_has_34_rows_in_vietnamese_formats_with_the_population_basis():
    at = run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 34
    hanoi = table[table["name"] == "Thành phố Hà Nội"].iloc[0]
    assert plain([hanoi.area_km2, hanoi.population, hanoi.reduction_pct]) == ["3.359,8", "8.718.000", "76,0 %"]
    assert hanoi.population_basis == "Cổng sắp xếp" and hanoi.link == "/country?province=01"
    assert set(table.population_basis) == {"Cổng sắp xếp", "NQ 202"}
    assert any("không cộng thành tổng dân số cả nước" in c.value for c in at.caption)
    assert at.text_input(key="country.filter").value == ""
    at.text_input(key="country.filter").input("quang nam").run()
    assert list(at.dataframe[0].value["name"]) == ["Thành phố Đà Nẵng"]


def test_english_table_keeps_english_formats():
    at = run(lang="en")
    table = at.dataframe[0].value
    hanoi = table[table["name"] == "Thành phố Hà Nội"].iloc[0]
    assert plain([hanoi.area_km2, hanoi.population, hanoi.reduction_pct]) == ["3,359.8", "8,718,000", "76.0 %"]
    assert hanoi.link == "/country?lang=en&province=01"


@pytest.fixture
def downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every file a run hands to the browser (the download button's)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            seen.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


@pytest.mark.parametrize("params, name, headers, rows", [
    ({}, "34-tinh-thanh.csv", ["Mã", "Tỉnh, thành phố", "Hợp nhất từ", "Diện tích (km²)", "Dân số (người)",
                              "Nguồn dân số", "ĐVHC cấp xã trước", "ĐVHC cấp xã sau", "Giảm (%)"], 34),
    ({"filter": "quang"}, "tinh-thanh-loc-quang.csv", None, None),
    ({"filter": "Quảng", "lang": "en"}, "provinces-filter-quang.csv",
     ["Code", "Province / city", "Formed from", "Area (km²)", "Population", "Population basis",
      "Commune-level units before", "Commune-level units after", "Reduction (%)"], None),
])
def test_csv_is_named_after_the_view_with_translated_headers(downloads, params, name, headers, rows):
    at = run(**params)
    assert not at.exception
    [(file_name, data)] = [d for d in downloads if d[0] and d[0].endswith(".csv")][-1:]
    assert file_name == name
    frame = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig")
    if headers:
        assert list(frame.columns) == headers
    if rows:
        assert len(frame) == rows
    hanoi = frame[frame.iloc[:, 0] == "01"]
    if not hanoi.empty:  # raw numbers for spreadsheets, the basis in words
        assert list(hanoi.iloc[0, 3:6]) == ["3359.8", "8718000", "Cổng sắp xếp"]
    assert len(frame) == len(at.dataframe[0].value)


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


def test_share_link_keeps_the_province():
    at = run(province="48", q="hoa lien")
    at.button(key="share-open").click().run()
    assert not at.exception
    links = [c.value for c in at.code]
    assert any("/country?" in link and "province=48" in link and "q=hoa+lien" in link for link in links), links

"""Smart-city page: domain and period from the URL, sourced KPI cards, and a source line under every chart."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from core import catalog, i18n, paths

TIMEOUT = 60
PAGE = str(paths.ROOT / "pages" / "smart-city.py")


def run(params: dict) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return at.run()


def plain(value: str) -> str:
    return value.replace("\\", "")


def flat(node) -> list:
    """Every element in page order (blocks are walked, not listed)."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [leaf for child in children.values() for leaf in flat(child)]


def year_range(period: str) -> tuple[int, int]:
    """Independent of core.metrics: the first and last year a period string names."""
    first, _, last = period.partition("/")
    return int(first[:4]), int((last or first)[:4])


@pytest.fixture(scope="module")
def records():
    return catalog.build()["metrics"].records


def test_dti_deep_link_shows_only_dti_cards_for_the_period(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    assert not at.exception, [e.value for e in at.exception]
    expected = {(m.indicator, m.entity) for m in records
                if m.domain == "dti" and year_range(m.period)[1] >= 2022 and year_range(m.period)[0] <= 2024}
    assert len(at.metric) == len(expected) > 0
    dti_definitions = {plain(m.definition.vi) for m in records if m.domain == "dti"}
    for card in at.metric:
        assert any(d in plain(card.help) for d in dti_definitions), card.label
        assert "Nguồn:" in card.help and "Định nghĩa" in card.help and "Mẫu số" in card.help
    assert [h.value for h in at.header] == ["Chỉ số chuyển đổi số cấp tỉnh (DTI)"]


def test_widgets_show_the_link(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    assert at.pills(key="smart-city.domain.vi").value == ["dti"]
    assert at.selectbox(key="smart-city.year_from").value == 2022
    assert at.selectbox(key="smart-city.year_to").value == 2024


def test_period_filter_reaches_the_chart_tables(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    periods = {str(p) for table in at.dataframe for p in table.value["Kỳ"]}
    assert periods and periods <= {"2022", "2023", "2024"}


def test_every_chart_has_its_source_line_right_under_it():
    at = run({})
    assert not at.exception
    elements = flat(at.main)
    charts = [i for i, el in enumerate(elements) if getattr(el, "type", None) == "plotly_chart"]
    assert len(charts) >= 4
    for index in charts:
        following = elements[index + 1]
        assert following.type == "caption" and following.value.startswith("Nguồn:"), following


def test_dti_charts_are_score_and_rank_separately():
    at = run({"domain": "dti"})
    keys = [el.key for el in flat(at.main) if getattr(el, "type", None) == "plotly_chart"]
    assert any("dti_score" in k for k in keys) and any("dti_rank" in k for k in keys)
    assert not any("dti_score" in k and "dti_rank" in k for k in keys)


def test_the_merged_citys_rank_is_explained_not_drawn_on_the_63_axis(records):
    at = run({"domain": "dti"})
    new_rank = next(m for m in records if m.indicator == "dti_rank" and m.entity == "new_city")
    notes = [plain(c.value) for c in at.caption if new_rank.label.vi in plain(c.value)]
    assert notes and "mẫu số" in notes[0]
    assert "17/34" in [m.value for m in at.metric]


def test_ioc_domain_opens_the_profile_with_the_launch():
    at = run({"domain": "ioc"})
    assert not at.exception
    labels = [plain(e.label) for e in at.expander]
    assert any(label.startswith("14/8/2023") for label in labels)
    launch = next(e for e in at.expander if plain(e.label).startswith("14/8/2023"))
    assert any("/timeline" in plain(str(getattr(el, "value", ""))) or getattr(el, "type", "") == "page_link"
               for el in flat(launch))


def test_source_without_address_is_never_a_broken_link():
    at = run({"from": "2025-07-01", "to": "2025-07-31"})
    captions = " ".join(c.value for c in at.caption)
    i18n.use("vi")
    assert "(None)" not in captions and i18n.t("common.no_link") in captions


def test_period_outside_the_data_says_so():
    at = run({"domain": "open-data", "to": "2016-12-31"})
    assert not at.exception
    assert any("Không có số liệu" in i.value for i in at.info)
    assert not at.metric


def test_changing_the_years_writes_from_and_to():
    at = run({})
    at.selectbox(key="smart-city.year_from").set_value(2020).run()
    assert at.query_params["from"] in ("2020-01-01", ["2020-01-01"])
    assert "to" not in at.query_params


def test_english_cards_and_charts():
    at = run({"domain": "dti", "lang": "en"})
    i18n.use("en")
    assert any(m.value == "0.8335" for m in at.metric)
    assert all("Sources:" in m.help for m in at.metric)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Sources:") for c in captions)


def test_through_navigation_global_period_is_kept():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"from": "2023-01-01", "to": "2023-12-31"})
    at.run()
    at.switch_page("pages/smart-city.py").run()
    assert not at.exception
    assert at.selectbox(key="smart-city.year_from").value == 2023
    dated = [re.match(r"^\d{1,2}/\d{1,2}/(\d{4})", plain(e.label)) for e in at.expander]
    years = [int(m.group(1)) for m in dated if m]
    assert years and set(years) == {2023}

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


def domain_metrics(at: AppTest) -> list:
    """The open domain's cards: metrics after the domain's header (the headline comes before it)."""
    elements = flat(at.main)
    start = next(i for i, el in enumerate(elements) if getattr(el, "type", None) == "header")
    return [el for el in elements[start:] if getattr(el, "type", None) == "metric"]


def headline_metrics(at: AppTest) -> list:
    elements = flat(at.main)
    start = next(i for i, el in enumerate(elements) if getattr(el, "type", None) == "header")
    return [el for el in elements[:start] if getattr(el, "type", None) == "metric"]


@pytest.fixture(scope="module")
def records():
    return catalog.build()["metrics"].records


def test_dti_deep_link_shows_only_dti_cards_for_the_period(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    assert not at.exception, [e.value for e in at.exception]
    expected = {(m.indicator, m.entity) for m in records
                if m.domain == "dti" and year_range(m.period)[1] >= 2022 and year_range(m.period)[0] <= 2024}
    cards = domain_metrics(at)
    assert len(cards) == len(expected) > 0
    dti_definitions = {plain(m.definition.vi) for m in records if m.domain == "dti"}
    for card in cards:
        assert any(d in plain(card.help) for d in dti_definitions), card.label
        assert "Nguồn:" in card.help and "Định nghĩa" in card.help and "Mẫu số" in card.help
    assert [h.value for h in at.header] == ["Chỉ số chuyển đổi số cấp tỉnh (DTI)"]


def test_widgets_show_the_link(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    assert at.segmented_control(key="smart-city.domain.vi").value == "dti"
    assert at.selectbox(key="smart-city.year_from").value == 2022
    assert at.selectbox(key="smart-city.year_to").value == 2024


def test_period_filter_reaches_the_chart_tables(records):
    at = run({"domain": "dti", "from": "2022-01-01", "to": "2024-12-31"})
    periods = {str(p) for table in at.dataframe for p in table.value["Kỳ"]}
    assert periods and periods <= {"2022", "2023", "2024"}


@pytest.mark.parametrize("domain", ["dti", "ict-index", "online-services"])
def test_every_chart_has_its_source_line_right_under_it(domain):
    at = run({"domain": domain})
    assert not at.exception
    elements = flat(at.main)
    charts = [i for i, el in enumerate(elements) if getattr(el, "type", None) == "plotly_chart"]
    assert len(charts) >= 2
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
    assert "17/34" in [m.value for m in domain_metrics(at)]


def test_ioc_domain_shows_figures_before_the_folded_milestones():
    at = run({"domain": "ioc"})
    assert not at.exception
    elements = flat(at.main)
    header = next(i for i, el in enumerate(elements) if getattr(el, "type", None) == "header")
    first_card = next(i for i, el in enumerate(elements) if i > header and getattr(el, "type", None) == "metric")
    launch = next(i for i, el in enumerate(elements) if i > header and getattr(el, "type", None) == "markdown"
                  and "**14/8/2023**" in plain(el.value))
    assert first_card < launch
    milestones = next(e for e in at.expander if plain(e.label).startswith("Các mốc về IOC"))
    assert milestones.proto.expanded is False
    assert any("/timeline?" in plain(el.value) and "event=ioc-launch-2023-08-14" in plain(el.value)
               for el in flat(milestones) if getattr(el, "type", None) == "markdown")


def test_source_without_address_is_never_a_broken_link():
    at = run({"from": "2025-07-01", "to": "2025-07-31"})
    captions = " ".join([c.value for c in at.caption] + [m.value for m in at.markdown])
    i18n.use("vi")
    assert "(None)" not in captions and i18n.t("common.no_link") in captions


def test_period_outside_the_data_says_so():
    at = run({"domain": "open-data", "to": "2016-12-31"})
    assert not at.exception
    assert any("Không có số liệu" in i.value for i in at.info)
    assert not domain_metrics(at)


def test_changing_the_years_writes_from_and_to():
    at = run({})
    at.selectbox(key="smart-city.year_from").set_value(2020).run()
    assert at.query_params["from"] in ("2020-01-01", ["2020-01-01"])
    assert "to" not in at.query_params


def test_english_cards_and_charts():
    at = run({"domain": "dti", "lang": "en"})
    i18n.use("en")
    assert any(m.value == "0.8335" for m in domain_metrics(at))
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
    dated = [re.match(r"^\*\*(\d{1,2})/(\d{1,2})/(\d{4})", plain(m.value)) for m in at.markdown]
    years = [int(m.group(3)) for m in dated if m]
    assert years and set(years) == {2023}


DOMAIN_NAMES = {"ioc": "IOC và giám sát", "dti": "Chỉ số chuyển đổi số cấp tỉnh (DTI)",
                "ict-index": "Vietnam ICT Index", "feedback": "Phản ánh, góp ý của người dân",
                "online-services": "Dịch vụ công trực tuyến", "open-data": "Dữ liệu mở"}


def test_first_screen_is_the_ioc_in_brief_then_headline_figures():
    at = run({})
    assert not at.exception
    elements = flat(at.main)
    header = next(i for i, el in enumerate(elements) if getattr(el, "type", None) == "header")
    before = elements[:header]
    texts = [plain(el.value) for el in before if isinstance(getattr(el, "value", None), str)]
    assert any(text.startswith("**Khai trương ngày 14/8/2023**") for text in texts)
    launch_sources = [text for text in texts if text.startswith("Nguồn:") and "Vietnam News Agency" in text]
    assert launch_sources
    cards = headline_metrics(at)
    assert 4 <= len(cards) <= 6
    captions = [el for el in before if getattr(el, "type", None) == "caption" and plain(el.value).startswith("Tính đến:")]
    assert len(captions) == len(cards)
    assert all("Nguồn:" in plain(c.value) for c in captions)
    assert "42.000" in [m.value for m in cards] and "17/34" in [m.value for m in cards]


@pytest.mark.parametrize("domain", list(DOMAIN_NAMES))
def test_each_domain_link_opens_that_domain_alone(domain, records):
    at = run({"domain": domain})
    assert not at.exception
    assert [h.value for h in at.header] == [DOMAIN_NAMES[domain]]
    definitions = {plain(m.definition.vi) for m in records if m.domain == domain}
    cards = domain_metrics(at)
    assert cards and all(any(d in plain(card.help) for d in definitions) for card in cards)
    assert at.segmented_control(key="smart-city.domain.vi").value == domain
    milestones = [e for e in at.expander if plain(e.label).startswith("Các mốc về IOC")]
    assert len(milestones) == (1 if domain == "ioc" else 0)


def test_default_opens_the_ioc_and_keeps_the_link_short():
    at = run({})
    assert [h.value for h in at.header] == [DOMAIN_NAMES["ioc"]]
    assert "domain" not in at.query_params


def test_old_multi_value_link_opens_its_first_domain():
    at = run({"domain": "feedback,dti"})
    assert not at.exception
    assert [h.value for h in at.header] == [DOMAIN_NAMES["feedback"]]
    assert at.query_params["domain"] in ("feedback", ["feedback"])


def test_picking_a_domain_opens_it_and_writes_the_link():
    at = run({"domain": "dti"})
    at.segmented_control(key="smart-city.domain.vi").set_value("open-data").run()
    assert not at.exception
    assert [h.value for h in at.header] == [DOMAIN_NAMES["open-data"]]
    assert at.query_params["domain"] in ("open-data", ["open-data"])


def test_english_domain_picker_has_its_own_key():
    at = run({"domain": "feedback", "lang": "en"})
    assert not at.exception
    assert at.segmented_control(key="smart-city.domain.en").value == "feedback"
    assert [h.value for h in at.header] == ["Citizen feedback"]

"""Timeline page in AppTest: topic, date and search filters, deep links, notices, empty state, table."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import catalog, paths, timeline
from core.url_state import ViewState

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timeline"
PAGE = str(paths.ROOT / "pages" / "timeline.py")
TIMEOUT = 60


@pytest.fixture
def fixture_data(tmp_path, monkeypatch):
    """The small timeline fixture as the app's data folder, with its checksums stamped."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    catalog.write_manifest(target)
    monkeypatch.setenv("TGBM_DATA_DIR", str(target))
    return target


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ids_for(at: AppTest) -> list[str]:
    """The event ids the page lists: the 'open an event' options (labels 'date · title'), in order."""
    labels = at.selectbox(key="timeline.event.vi").options[1:]
    by_title = {e.title.vi: e.id for e in catalog.build(Path(paths.data_dir()))["events"].records}
    return [by_title[label.split(" · ", 1)[1]] for label in labels]


def test_no_filter_lists_every_event(fixture_data):
    at = run()
    assert len(ids_for(at)) == 10
    assert at.segmented_control(key="timeline.tab.vi").value == "chart"
    assert at.get("plotly_chart")


def test_topic_from_the_link(fixture_data):
    at = run({"topic": "training,smart-city"})
    assert ids_for(at) == ["fx-ioc-2019", "fx-k75-2025"]
    assert at.multiselect(key="timeline.topic.vi").value == ["training", "smart-city"]


def test_topic_from_the_widget_updates_the_url_and_counts(fixture_data):
    at = run()
    assert "Sáp nhập" in at.multiselect(key="timeline.topic.vi").options
    counts = next(c.value for c in at.caption if "Sáp nhập (" in c.value)
    assert "Sáp nhập (4)" in counts and "Đào tạo (1)" in counts
    at.multiselect(key="timeline.topic.vi").set_value(["merger"]).run()
    assert set(ids_for(at)) == {"fx-nq-60-2025", "fx-nq-1659-2025", "fx-dac-khu-2025", "fx-hai-cap-2025"}
    assert at.query_params["topic"] == "merger"


def test_dates_from_the_link_select_the_matching_preset(fixture_data):
    at = run({"to": "2025-06-30"})
    assert at.pills(key="timeline.preset.vi").value == "before"
    assert "fx-hai-cap-2025" not in ids_for(at) and "fx-luat-72-2025" in ids_for(at)


def test_preset_sets_the_dates(fixture_data):
    at = run()
    at.pills(key="timeline.preset.vi").set_value("after").run()
    assert at.selectbox(key="timeline.from.vi").value == "2025-07"
    assert at.selectbox(key="timeline.to.vi").value == ""
    assert set(ids_for(at)) == {"fx-hai-cap-2025", "fx-hoa-vang-2025", "fx-k75-2025", "fx-bi-thu-2025"}
    assert at.query_params["from"] == "2025-07-01" and "to" not in at.query_params


def test_chosen_months_make_a_custom_range(fixture_data):
    at = run({"from": "2025-01-01", "to": "2025-12-31"})
    assert at.pills(key="timeline.preset.vi").value == "2025"
    at.selectbox(key="timeline.to.vi").set_value("2025-06").run()
    assert at.pills(key="timeline.preset.vi").value is None
    assert at.query_params["to"] == "2025-06-30"
    assert set(ids_for(at)) == {e.id for e in catalog.build(Path(paths.data_dir()))["events"].records
                                if timeline.in_dates(e, dt.date(2025, 1, 1), dt.date(2025, 6, 30))}
    at.selectbox(key="timeline.from.vi").set_value("").run()  # no lower bound: the 'before' preset
    assert at.pills(key="timeline.preset.vi").value == "before"
    assert "from" not in at.query_params


def test_month_selects_offer_the_data_years_in_the_page_language(fixture_data):
    at = run()
    select = at.selectbox(key="timeline.from.vi")
    assert select.options[0] == "Không giới hạn" and "Tháng 7/2025" in select.options
    assert select.placeholder == "Chọn tháng" and at.selectbox(key="timeline.to.vi").label == "Đến tháng"
    english = run({"lang": "en"}).selectbox(key="timeline.from.en")
    assert english.options[0] == "No limit" and "Jul 2025" in english.options


def test_a_day_inside_a_month_round_trips(fixture_data):
    at = run({"from": "2025-04-15"})
    assert at.selectbox(key="timeline.from.vi").value == "2025-04"
    assert at.query_params["from"] == "2025-04-15"
    assert at.pills(key="timeline.preset.vi").value is None
    at.multiselect(key="timeline.topic.vi").set_value(["merger"]).run()  # another control: the day stays
    assert at.query_params["from"] == "2025-04-15"
    at.selectbox(key="timeline.to.vi").set_value("2025-06").run()  # the other select: the day stays
    assert at.query_params["from"] == "2025-04-15" and at.query_params["to"] == "2025-06-30"
    at.selectbox(key="timeline.from.vi").set_value("2025-05").run()  # this select: the month's first day
    assert at.query_params["from"] == "2025-05-01"
    at.selectbox(key="timeline.from.vi").set_value("2025-04").run()  # and back: the first day, not the 15th
    assert at.query_params["from"] == "2025-04-01"


def test_a_linked_day_outside_the_data_years_is_kept(fixture_data):
    at = run({"to": "2031-03-09"})
    assert at.selectbox(key="timeline.to.vi").value == "2031-03"
    assert at.query_params["to"] == "2031-03-09"
    assert any("9/3/2031" in c.value for c in at.caption)


def test_months_in_the_wrong_order_are_swapped(fixture_data):
    at = run({"to": "2025-06-30"})
    at.selectbox(key="timeline.from.vi").set_value("2025-09").run()
    assert at.selectbox(key="timeline.from.vi").value == "2025-06"
    assert at.selectbox(key="timeline.to.vi").value == "2025-09"
    assert (at.query_params["from"], at.query_params["to"]) == ("2025-06-01", "2025-09-30")


def test_a_preset_replaces_a_linked_day_in_the_same_month(fixture_data):
    at = run({"from": "2025-07-15"})
    at.pills(key="timeline.preset.vi").set_value("after").run()
    assert at.query_params["from"] == "2025-07-01"
    assert at.pills(key="timeline.preset.vi").value == "after"


def test_reset_clears_the_months(fixture_data):
    at = run({"from": "2025-04-15", "to": "2025-06-30", "q": "hoa"})
    at.button(key="timeline.reset_top").click().run()
    assert at.selectbox(key="timeline.from.vi").value == "" and at.selectbox(key="timeline.to.vi").value == ""
    assert "from" not in at.query_params and "to" not in at.query_params
    assert at.pills(key="timeline.preset.vi").value == "all"


@pytest.mark.parametrize(
    "query, expected",
    [("nghi quyet 1659", {"fx-nq-1659-2025"}), ("da nang", {"fx-nq-1659-2025", "fx-k75-2025", "fx-ioc-2019"}),
     ("dac khu", {"fx-dac-khu-2025"}), ("Đặc khu", {"fx-dac-khu-2025"}), ("hoà vang", {"fx-hoa-vang-2025"})],
)
def test_search_box(fixture_data, query, expected):
    at = run()
    at.text_input(key="timeline.q").input(query).run()
    assert set(ids_for(at)) == expected
    assert at.query_params["q"] == query


def test_search_from_the_link_without_diacritics(fixture_data):
    at = run({"q": "hoa"})
    assert "fx-hoa-vang-2025" in ids_for(at)
    assert at.text_input(key="timeline.q").value == "hoa"


def test_event_link_opens_its_detail_and_sources(fixture_data):
    at = run({"event": "fx-nq-1659-2025"})
    assert [s.value for s in at.subheader] == ["Nghị quyết 1659: Đà Nẵng có 94 đơn vị hành chính cấp xã"]
    text = "\n".join(m.value for m in at.markdown)
    for needle in ("https://example.org/legal", "https://example.org/press", "Báo thử nghiệm B",
                   "16/6/2025", "không ghi ngày", "độ tin cậy trung bình", "Nghị quyết 1659/NQ\\-UBTVQH15"):
        assert needle in text
    assert at.selectbox(key="timeline.event.vi").value == "fx-nq-1659-2025"
    assert not any("ngoài bộ lọc" in w.value for w in at.warning)


def test_event_outside_the_filter_is_shown_with_a_note(fixture_data):
    at = run({"event": "fx-ioc-2019", "topic": "merger"})
    assert [s.value for s in at.subheader] == ["Thí điểm Trung tâm IOC"]
    assert any("ngoài bộ lọc" in w.value for w in at.warning)
    # Listed after the filtered events so the picker can show it; the count is of filtered events.
    assert ids_for(at)[-1] == "fx-ioc-2019"
    assert any(m.value.startswith("**4** / 10") for m in at.markdown)


def test_unknown_event_gives_a_notice(fixture_data):
    at = run({"event": "no-such-event"})
    assert any("event=no-such-event" in i.value for i in at.info)
    assert not at.subheader
    assert "event" not in at.query_params


def test_next_and_close_buttons(fixture_data):
    at = run({"event": "fx-nq-1659-2025", "topic": "merger"})
    listed = ids_for(at)
    at.button(key="timeline.next").click().run()
    assert at.query_params["event"] == listed[listed.index("fx-nq-1659-2025") + 1]
    at.button(key="timeline.prev").click().run()
    assert at.query_params["event"] == "fx-nq-1659-2025"
    at.button(key="timeline.close").click().run()
    assert "event" not in at.query_params and not at.subheader


def test_walk_through_from_the_first_event(fixture_data):
    at = run({"topic": "merger"})
    first = ids_for(at)[0]
    at.button(key="timeline.first").click().run()
    assert at.query_params["event"] == first
    assert at.button(key="timeline.prev").disabled and not at.button(key="timeline.next").disabled


def test_empty_state_and_reset(fixture_data):
    at = run({"topic": "training", "q": "nghi quyet"})
    assert not ids_for(at)
    assert any("Không có sự kiện nào" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    at.button(key="timeline.reset_empty").click().run()
    assert len(ids_for(at)) == 10
    assert "topic" not in at.query_params and "q" not in at.query_params


def test_table_view_from_the_link(fixture_data):
    at = run({"tab": "table", "topic": "training"})
    assert not at.get("plotly_chart")
    frame = at.dataframe[0].value
    assert list(frame["title"]) == ["Lớp K75.A20 nghiên cứu thực tế tại Đà Nẵng"]


def test_english(fixture_data):
    at = run({"lang": "en", "event": "fx-ioc-2019"})
    assert "Merger" in at.multiselect(key="timeline.topic.en").options  # labels never carry counts
    assert any("Merger (4)" in c.value for c in at.caption)
    assert at.subheader[0].value.startswith("Thí điểm Trung tâm IOC")  # no English title: marked Vietnamese


def test_through_navigation_with_real_data():
    """The issue's link on the real data lists exactly what the filter logic selects."""
    params = {"topic": "merger", "from": "2025-06-01", "to": "2025-07-31"}
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    events = catalog.get()["events"].records
    state = ViewState(topic=("merger",), date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 7, 31))
    expected = timeline.filter_events(events, state)
    labels = at.selectbox(key="timeline.event.vi").options[1:]
    assert len(labels) == len(expected) > 0
    assert all(label.endswith(e.title.vi) for label, e in zip(labels, expected, strict=True))

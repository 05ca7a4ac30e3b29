"""Classroom pieces in AppTest on the real data: the timeline's text list and the lesson bar."""

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import paths

EVENTS = {e["id"]: e for e in yaml.safe_load((paths.ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))}
LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]


def run(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "pages" / f"{page}.py"), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes


@pytest.mark.parametrize("params, event_id", [
    ({"topic": "training"}, "k75-a20-field-trip-2025-07-07"),
    ({"q": "1659"}, "nq-1659-ubtvqh15-2025-06-16"),
])
def test_timeline_lists_matching_events_as_text(params, event_id):
    at = run("timeline", params)
    assert not at.exception
    assert EVENTS[event_id]["title"]["vi"] in markdown(at)


def test_lesson_bar_on_a_step_page_and_notes_hidden_when_presenting():
    step = LESSON["steps"][3]
    at = run(step["page"], {**step["params"], "lesson": LESSON["id"], "step": "4"})
    assert not at.exception
    assert f"Bước 4/{len(LESSON['steps'])}" in markdown(at)
    assert [e.label for e in at.expander].count("Ghi chú cho giảng viên") == 1
    at = run(step["page"], {**step["params"], "lesson": LESSON["id"], "step": "4", "present": "1"})
    assert "Ghi chú cho giảng viên" not in [e.label for e in at.expander]


@pytest.mark.parametrize("params", [{"lesson": "k75-a20", "step": "42"}, {"lesson": "nope", "step": "1"}])
def test_bad_lesson_link_shows_no_bar_and_a_notice(params):
    at = run("merger", params)
    assert not at.exception
    assert "Bước " not in markdown(at)
    assert any("bỏ qua" in i.value for i in at.info)

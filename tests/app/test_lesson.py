"""Lesson page in AppTest: step title, counter, progress, previous/next links, stale steps."""

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import paths

# Expected values come from the lesson file itself, not from the page's code.
LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]
STEPS = LESSON["steps"]


def run(**params) -> AppTest:
    """The lesson page opened through the app (so its links are in-app page links)."""
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60).run()
    at.query_params.update(params)
    return at.switch_page("pages/lesson.py").run()


def links(at) -> dict[str, str]:
    return {link.label: link.proto.query_string for link in at.main.get("page_link")}


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_each_step_shows_its_title_counter_and_neighbours(number):
    at = run(lesson=LESSON["id"], step=str(number))
    assert not at.exception
    assert at.header[0].value == STEPS[number - 1]["title"]["vi"]
    counter = f"{LESSON['title']['vi']} · Bước {number}/{len(STEPS)}"
    assert counter in [c.value for c in at.caption]
    found = links(at)
    previous = next((q for label, q in found.items() if "trước" in label.lower()), None)
    following = next((q for label, q in found.items() if "tiếp" in label.lower()), None)
    assert previous == (f"lesson={LESSON['id']}&step={number - 1}" if number > 1 else None)
    assert following == (f"lesson={LESSON['id']}&step={number + 1}" if number < len(STEPS) else None)


def test_a_step_beyond_the_lesson_falls_back_to_step_one():
    at = run(lesson=LESSON["id"], step="99")
    assert at.header[0].value == STEPS[0]["title"]["vi"]
    assert any("step=99" in i.value for i in at.info)

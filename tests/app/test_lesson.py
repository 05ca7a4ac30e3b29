"""Lesson steps in AppTest: each step is its view's own page with a lesson bar (step n/N, title,
previous/next to the neighbouring steps' pages); old /lesson links and stale steps."""

from urllib.parse import parse_qsl

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import paths

# Expected values come from the lesson file itself, not from the page's code.
LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]
STEPS = LESSON["steps"]


def run(page: str, **params) -> AppTest:
    """A page opened through the app (so its links are in-app page links)."""
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60).run()
    at.query_params.update(params)
    return at.switch_page(f"pages/{page}.py").run()


def step_params(number: int) -> dict[str, str]:
    step = STEPS[number - 1]
    return {**{k: str(v) for k, v in step["params"].items()}, "lesson": LESSON["id"], "step": str(number)}


def bar_links(at) -> dict[str, tuple[str, dict[str, str]]]:
    """{label: (page file, query parameters)} of the links in the lesson bar."""
    return {link.label: (link.proto.page, dict(parse_qsl(link.proto.query_string)))
            for link in at.main.get("page_link")}


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_each_step_shows_its_title_counter_and_neighbours(number):
    at = run(STEPS[number - 1]["page"], **step_params(number))
    assert not at.exception
    bar = [m.value for m in at.markdown if f"Bước {number}/{len(STEPS)}" in m.value]
    assert bar and STEPS[number - 1]["title"]["vi"] in bar[0].replace("\\", "")
    found = bar_links(at)
    for label, target in (("Trước", number - 1), ("Tiếp", number + 1)):
        if 1 <= target <= len(STEPS):
            page, params = found[label]
            assert page.removesuffix(".py").rsplit("/", 1)[-1] == STEPS[target - 1]["page"]
            assert params == step_params(target)
        else:
            assert label not in found
    assert "Rời bài giảng" in found


def test_an_old_lesson_link_opens_the_steps_own_page():
    at = run("lesson", lesson=LESSON["id"], step="4")
    assert not at.exception
    shown = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert shown == step_params(4)
    assert any(f"Bước 4/{len(STEPS)}" in m.value for m in at.markdown)


def test_a_step_beyond_the_lesson_is_named_and_dropped():
    at = run("merger", lesson=LESSON["id"], step="99")
    assert not at.exception
    assert any("step=99" in i.value for i in at.info)
    assert not any(f"/{len(STEPS)}" in m.value and "Bước" in m.value for m in at.markdown)

"""English counts read as English: '1 record', '2 records' (Vietnamese has one form)."""

import pytest

from core import i18n


@pytest.mark.parametrize(("lang", "count", "expected"), [
    ("en", 1, "1 record"),
    ("en", 2, "2 records"),
    ("en", 0, "0 records"),
    ("vi", 1, "1 bản ghi"),
    ("vi", 5, "5 bản ghi"),
])
def test_count_strings_agree_with_the_number(lang, count, expected):
    i18n.use(lang)
    assert i18n.tn("sources.downloads.records", count, count=count) == expected


def test_steps_of_a_one_step_lesson():
    i18n.use("en")
    assert i18n.tn("lesson.step_count", 1, count=1) == "1 step"
    assert i18n.tn("lesson.step_count", 4, count=4) == "4 steps"


def test_no_english_string_hedges_with_a_bracketed_plural():
    hedged = {key: text for key, text in i18n.strings("en").items() if "(s)" in text or "(es)" in text}
    assert not hedged

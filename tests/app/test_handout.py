"""The handout (print view) of the curated lesson in AppTest: every step's number, title, note,
key content and public link with its QR code, in both languages, texts escaped."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core import i18n, paths

LESSON = yaml.safe_load((paths.ROOT / "data" / "lessons.yaml").read_text(encoding="utf-8"))[0]
STEPS = LESSON["steps"]
EVENT = next(e for e in yaml.safe_load((paths.ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))
             if e["id"] == STEPS[0]["params"]["event"])


def _script(lesson_id: str, lang: str, note: str | None) -> None:
    """Stand-in for /lesson?lesson=<id>&print=1: the handout of one lesson, drawn by render()."""
    from components import handout
    from core import catalog, i18n, lessons, schemas, url_state

    i18n.use(lang)
    cat = catalog.get()
    lesson = lessons.find(cat["lessons"].records, lesson_id)
    if note is not None:  # a lecturer's note with markup in it
        first = lesson.steps[0].model_copy(update={"note": schemas.Text(vi=note, en=note)})
        lesson = lesson.model_copy(update={"steps": [first, *lesson.steps[1:]]})
    handout.render(lesson, url_state.ViewState(lang=lang, lesson=lesson.id), cat)


def run_script(lang: str = "vi", note: str | None = None) -> AppTest:
    at = AppTest.from_function(_script, kwargs={"lesson_id": LESSON["id"], "lang": lang, "note": note},
                               default_timeout=60)
    return at.run()


def run_page(**params) -> AppTest:
    """/lesson?lesson=<id>&print=1 as the app routes it."""
    at = AppTest.from_file(str(paths.ROOT / "pages" / "lesson.py"), default_timeout=60)
    at.query_params.update({"lesson": LESSON["id"], "print": "1", **params})
    return at.run()


def step_blocks(at: AppTest) -> list[str]:
    """Each step's section (the handout draws them all in one element)."""
    return [part for h in at.html if 'class="tgbm-handout step' in h.value
            for part in re.findall(r'<section class="tgbm-handout step.*?</section>', h.value, flags=re.S)]


def links_in(block: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]*>", "", u)) for u in re.findall(r'<p class="url">(.*?)</p>', block)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_lesson_page_routes_print_to_the_handout(lang):
    at = run_page(**({"lang": "en"} if lang == "en" else {}))
    assert not at.exception
    blocks = step_blocks(at)
    assert len(blocks) == len(STEPS)
    for number, (block, step) in enumerate(zip(blocks, STEPS, strict=True), start=1):
        assert html.escape(step["title"][lang], quote=True) in block
        (url,) = links_in(block)
        assert parse_qs(urlsplit(url).query)["step"] == [str(number)]
        assert not {"host", "edit", "room", "present", "print"} & set(parse_qs(urlsplit(url).query))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_step_has_number_title_note_content_link_and_qr(lang):
    at = run_script(lang)
    assert not at.exception
    blocks = step_blocks(at)
    assert len(blocks) == len(STEPS)
    word = "Bước" if lang == "vi" else "Step"
    for number, (block, step) in enumerate(zip(blocks, STEPS, strict=True), start=1):
        assert f"{word} {number}/{len(STEPS)}" in block
        assert html.escape(step["title"][lang], quote=True) in block
        assert html.escape(step["note"][lang], quote=True) in block
        assert 'src="data:image/png;base64,' in block
        (url,) = links_in(block)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query.get("lesson") == LESSON["id"] and query.get("step") == str(number)
        assert not {"host", "edit", "room", "present", "print"} & set(query)
        assert ("lang" in query) == (lang != "vi")
        assert (number > 1) == ("later" in block.split(">", 1)[0])
    assert html.escape(EVENT["summary"][lang], quote=True) in blocks[0]
    assert "khoản 9" in blocks[3] or "clause 9" in blocks[3]
    assert any(LESSON["title"][lang] in h.value for h in at.html)
    if lang == "en":  # no Vietnamese UI text (record text may be Vietnamese, e.g. publishers' names)
        shown = html.unescape("\n".join(h.value for h in at.html) + "\n".join(c.value for c in at.caption))
        for key, text in i18n.strings("vi").items():
            if key.startswith("handout.") and text != i18n.strings("en")[key]:
                assert not [p for p in re.split(r"\{[^}]*\}", text) if len(p.strip()) >= 8 and p.strip() in shown]


def test_print_css_hides_the_frame_and_breaks_pages():
    at = run_script()
    css = "\n".join(h.value for h in at.html if "@page" in h.value)
    assert "size: A4" in css and "margin: 15mm" in css and "break-before: page" in css
    assert 'data-testid="stSidebar"' in css and "40mm" in css
    assert any("Print → Save as PDF" in c.value for c in at.caption)
    # A page link under navigation; a Markdown link when the script runs on its own.
    back = [parse_qs(link.proto.query_string) for link in at.get("page_link")
            if link.proto.label == "Quay lại bài giảng"]
    back += [parse_qs(urlsplit(m.value.split("](", 1)[1].rstrip(")")).query) for m in at.markdown
             if m.value.startswith("[Quay lại bài giảng](/lesson?")]
    assert back == [{"lesson": [LESSON["id"]]}]


def test_a_note_is_shown_as_text_never_as_markup():
    note = '<img src=x onerror="alert(1)"> **bold** [link](javascript:alert(1))'
    at = run_script(note=note)
    assert not at.exception
    first = step_blocks(at)[0]
    assert html.escape(note, quote=True) in first
    assert "<img src=x" not in first


def _saved_script() -> None:
    """A lecturer's lesson: no summary, no notes, a /country step and a step whose unit is gone."""
    from components import handout
    from core import catalog, schemas, url_state

    lesson = schemas.Lesson.model_validate({"id": "bg-abcdefgh", "title": {"vi": "<b>Bài *của tôi*</b>"}, "steps": [
        {"page": "country", "params": {"province": "48"}, "title": {"vi": "Đà Nẵng"}},
        {"page": "merger", "params": {"unit": "00000"}, "title": {"vi": "Đơn vị đã bỏ"}}]})
    handout.render(lesson, url_state.ViewState(), catalog.get())


def test_a_saved_lesson_with_a_country_step_and_a_stale_step():
    at = AppTest.from_function(_saved_script, default_timeout=60).run()
    assert not at.exception
    blocks = step_blocks(at)
    assert len(blocks) == 2
    assert "11.859,59 km²" in blocks[0] and "Nghị quyết 202/2025/QH15" in blocks[0]
    assert 'class="unavailable"' in blocks[1] and i18n.t("handout.unavailable") in html.unescape(blocks[1])
    assert any("&lt;b&gt;Bài *của tôi*&lt;/b&gt;" in h.value for h in at.html)
    assert not any("<b>Bài" in h.value for h in at.html)

"""One number per fact: the former commune-level units are 280 everywhere; 281 is explained where counted."""

from streamlit.testing.v1 import AppTest

from core import i18n, paths


def run(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "pages" / f"{page}.py"), default_timeout=90)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [m.value for kind in ("title", "header", "subheader", "markdown", "caption") for m in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts).replace("\\", "")


def test_overview_counts_280_former_commune_level_units():
    text = shown(run("overview"))
    assert "280 → 94" in text
    assert "281" not in text


def test_merger_page_gives_the_reason_for_281_once():
    text = shown(run("merger"))
    assert text.count("281 đơn vị cũ") == 2  # the count, then "Trong 281 đơn vị cũ có 280 … và huyện Hoàng Sa"
    assert "có 280 đơn vị cấp xã và huyện Hoàng Sa" in text


def test_merger_page_in_english():
    text = shown(run("merger", lang="en"))
    assert "281 former units" in text and "280 commune-level units plus Hoàng Sa district" in text


def test_lesson_step_uses_the_same_count():
    text = shown(run("lesson", lesson="k75-a20", step="3"))
    assert "280 đơn vị cấp xã thành 94" in text


def test_a_missing_figure_says_why_in_one_line():
    at = run("overview")
    captions = [c.value for c in at.caption]
    reason = i18n.strings("vi")["overview.no_figure.population.old_danang"]
    assert reason in captions
    assert not any("chưa có số liệu có nguồn." == c.split(": ", 1)[-1] for c in captions)

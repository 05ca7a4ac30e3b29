"""The sources page: deep-linked filters, search, conflicts, how to cite, English."""

from streamlit.testing.v1 import AppTest

from core import exports, i18n, paths

PAGE = str(paths.ROOT / "pages" / "sources.py")
TIMEOUT = 60



def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at):
    return at.dataframe[0].value  # the only table on the page


def all_markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_kind_and_confidence_from_the_link_narrow_the_table(cat):
    at = run(kind="legal", confidence="high")
    expected = {s.id for s in cat["sources"].records if s.kind == "legal" and s.confidence == "high"}
    assert expected and len(expected) < len(cat["sources"].records)
    assert set(table(at)["id"]) == expected
    assert at.pills(key="sources.kind.vi").value == ["legal"]
    assert (at.query_params["kind"], at.query_params["confidence"]) == ("legal", "high")


def test_search_finds_vnexpress(cat):
    at = run(q="vnexpress")
    shown = table(at)
    assert any("VnExpress" in p for p in shown["publisher"])
    expected = {s.id for s in cat["sources"].records
                if "vnexpress" in f"{s.title} {s.publisher} {s.notes or ''}".lower()}
    assert set(shown["id"]) == expected
    assert at.text_input(key="sources.q").value == "vnexpress"


def test_table_is_sorted_by_publisher_in_vietnamese_order():
    from core.text import sort_key

    publishers = list(table(run())["publisher"])
    assert publishers == sorted(publishers, key=sort_key)
    assert publishers != sorted(publishers)  # code-point order differs (Đ, Ủ …), so the test can fail


def test_choosing_a_kind_writes_it_to_the_url():
    at = run()
    at.pills(key="sources.kind.vi").set_value(["press"]).run()
    assert at.query_params["kind"] == "press"
    assert set(table(at)["kind"]) == {i18n.strings("vi")["sources.kind.press"]}


def test_conflicts_show_the_population_values_in_vietnamese_format():
    text = all_markdown(run())
    assert "2.819.900" in text and "3.065.628" in text
    reason = i18n.strings("vi")["sources.conflicts.reason"]
    assert text.count(reason) >= 1


def test_how_to_cite_the_resolution(cat):
    at = run()
    at.selectbox(key="sources.cite.events.vi").set_value("nq-1659-ubtvqh15-2025-06-16").run()
    block = at.code[-1].value.splitlines()
    assert "1659/NQ-UBTVQH15" in block[0]
    assert cat.release.version in block[-1] and "/timeline?event=nq-1659-ubtvqh15-2025-06-16" in block[-1]


def test_downloads_carry_version_in_file_names(cat):
    at = run(kind="legal")
    buttons = at.get("download_button")
    assert len(buttons) == 2 + 2 * len(exports.DATASETS) + 2  # filtered sources, each dataset, two zips
    keys = [b.proto.id for b in buttons]
    assert any(k.endswith("sources.dl.zip_filtered") for k in keys)
    assert not any(k.endswith("sources.dl.zip_filtered") for k in [b.proto.id for b in run().get("download_button")])


def test_english_page_runs_and_formats_numbers():
    at = run(lang="en", kind="press")
    text = all_markdown(at)
    assert "2,819,900" in text and "3,065,628" in text
    assert set(table(at)["kind"]) == {i18n.strings("en")["sources.kind.press"]}


def test_unknown_filter_values_are_reported():
    at = run(kind="legal,rumour")
    assert any("kind=rumour" in i.value for i in at.info)
    assert at.pills(key="sources.kind.vi").value == ["legal"]


# Every genuine discrepancy the data holds, written out by hand from the cited articles:
# (value used, other value, a publisher named for each). Rounding (11.859,6 km²) is not one of them.
DISCREPANCIES = [
    ("11.859,59 km²", "11.865,65 km²", "Ngôi Sao", "Cổng thông tin sắp xếp đơn vị hành chính"),
    ("3.065.628 người", "2.819.900 người", "Ngôi Sao", "Người Quan Sát"),
    ("3.065.628 người", "hơn 2.770.000 người", "Ngôi Sao", "24h"),
    ("93 cơ sở", "94 cơ sở", "Người Lao Động", "Vietnam.vn"),
    ("53.402 biên chế", "57.472 biên chế", "Người Lao Động", "Pháp luật & Phát triển"),
    ("2/63", "1/63", "VTC News", "Pháp Luật TP.HCM"),
    ("2.610 cơ sở", "tối đa 2.630 cơ sở", "Tuổi trẻ Thủ đô", "Lao Động"),
]


def _unescape(text: str) -> str:
    return text.replace("\\", "")


def test_conflicts_panel_lists_every_discrepancy_with_both_sources():
    blocks = [_unescape(m.value) for m in run().markdown if "Đang dùng:" in m.value]
    assert len(blocks) == 6  # area, population, centres, staff, offices, DTI rank 2024
    for used, other, used_by, other_by in DISCREPANCIES:
        block = next((b for b in blocks if f"Đang dùng: {used}**" in b and f"Giá trị khác: {other}**" in b), None)
        assert block is not None, (used, other)
        used_line, other_line = (line for line in block.splitlines()
                                 if f": {used}**" in line or f": {other}**" in line)
        assert used_by in used_line and other_by in other_line


def test_rounding_is_not_listed_as_a_conflict():
    text = _unescape(all_markdown(run()))
    assert "Giá trị khác: 11.859,6 km²" not in text
    assert "11.859,6 km²" in text  # named in the reason for the choice instead


def test_closed_folds_send_nothing_and_opened_folds_show_provenance_and_editorial_notes(cat):
    from components import sources as sources_ui

    at = run()
    named = [n for n in sources_ui.PROVENANCE if n in cat.datasets]
    assert all(not e.children for e in at.expander if not e.label.startswith("Nguồn không"))
    for name in named:
        at.session_state[f"sources.provenance.{name}"] = True
    at.session_state["sources.editorial"] = True
    at.run()
    assert not at.exception
    text = all_markdown(at)
    with_meta = [n for n in named if cat.datasets[n].meta is not None]
    assert text.count(f"**{i18n.strings('vi')['sources.provenance.licence']}:**") == len(with_meta)
    [editorial] = [e for e in at.expander if e.label == i18n.strings("vi")["sources.editorial.header"]]
    notes = "\n".join(m.value for m in editorial.markdown)
    assert all(f"(`{n}`)" in notes for n in with_meta)
    assert any(getattr(r, "curator_note", None) for r in cat["sources"].records) == ("`source:" in notes)

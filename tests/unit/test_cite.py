"""Citations: who cites each source, filtering and ordering sources, and the how-to-cite block."""

import datetime as dt

import pytest

from core import cite, fmt, i18n, schemas, share, text

NQ_1659_EVENT = "nq-1659-ubtvqh15-2025-06-16"




def source(sid: str, publisher: str, kind: str = "press", url: str | None = "https://example.org/a", **extra):
    fields = dict(id=sid, title=f"Tiêu đề {sid}", publisher=publisher, url=url, published=dt.date(2025, 6, 16),
                  accessed=dt.date(2026, 11, 27), language="vi", kind=kind, confidence="high")
    return schemas.Source(**(fields | extra))


def link_for(record, name: str = "events", lang: str = "vi") -> str:
    page, view = cite.view_of(name, record, lang)
    return share.full_url("http://class.example:8501/sources?kind=legal", view, page)


def test_nq_1659_citation_lists_resolution_first_and_dashboard_last(cat):
    event = next(e for e in cat["events"].records if e.id == NQ_1659_EVENT)
    link = link_for(event)
    lines = cite.citation(event, cat["sources"].records, cat.release, link).splitlines()
    assert lines[0].startswith("[1] ") and event.document.vi in lines[0]
    legal = next(s for s in cat["sources"].records if s.id in event.sources and s.kind == "legal")
    assert legal.publisher in lines[1] and legal.url in lines[1]
    last = lines[-1]
    assert cat.release.version in last and fmt.date(cat.release.as_of) in last
    assert last.endswith(link) and link == f"http://class.example:8501/timeline?event={NQ_1659_EVENT}"
    assert len(lines) == 2 + len(event.sources)


def test_legal_sources_come_before_press_whatever_the_record_order():
    sources = [source("press-1", "Báo A"), source("law-1", "Quốc hội", kind="legal")]
    event = schemas.Event(id="e", date=dt.date(2025, 6, 16), title={"vi": "T"}, summary={"vi": "S"},
                          topics=["merger"], sources=["press-1", "law-1"], confidence="high")
    lines = cite.citation(event, sources, None, "http://x/timeline?event=e").splitlines()
    assert "Quốc hội" in lines[0] and "Báo A" in lines[1]
    assert "http://x/timeline?event=e" in lines[2]


def test_source_without_link_shows_its_notes_not_none():
    entry = cite.source_entry(source("s", "Chưa xác định", url=None, notes=schemas.Text(vi="Văn bản được cung cấp cho nhóm")))
    assert "Văn bản được cung cấp cho nhóm" in entry and "None" not in entry


def test_source_entry_standard_form_in_english():
    i18n.use("en")
    entry = cite.source_entry(source("s", "VnExpress", title="Title without stop"))
    assert entry.startswith("VnExpress (16 Jun 2025). Title without stop. https://example.org/a")
    assert "27 Nov 2026" in entry


def test_citing_index_includes_alternative_values(cat):
    index = cite.citing_index({name: cat[name].records for name in cite.CITING})
    figure = next(f for f in cat["figures"].records if f.alternatives)
    alt_source = figure.alternatives[0].sources[0]
    assert f"figure:{figure.id}" in index[alt_source]
    event = cat["events"].records[0]
    assert all(f"event:{event.id}" in index[s] for s in event.sources)


def test_filters_fold_diacritics_and_combine():
    sources = [source("a", "Quốc hội", kind="legal", title="Nghị quyết 1659"),
               source("b", "VnExpress", title="Đà Nẵng mở rộng"),
               source("c", "Tuổi Trẻ", title="Hội An", confidence="medium")]
    assert [s.id for s in cite.filter_sources(sources, "nghi quyet")] == ["a"]
    assert [s.id for s in cite.filter_sources(sources, "da nang")] == ["b"]
    assert [s.id for s in cite.filter_sources(sources, kind=("press",), confidence=("medium",))] == ["c"]
    assert cite.counts(sources, "kind") == {"legal": 1, "press": 2}


@pytest.mark.parametrize("query", ["", "  ", "nghi quyet", "Nghị quyết", "NGHỊ QUYẾT", "ha\u0300 no\u0323i",
                                   "hoà", "da nang", "1659", "Đà", "zzz"])
def test_search_keys_give_the_same_matches_as_folding_each_time(cat, query):
    sources = cat["sources"].records
    keys = cite.search_keys(sources)
    expected = [s.id for s in sources if text.matches(query, cite.search_text(s))]
    assert [s.id for s in cite.filter_sources(sources, query, keys=keys)] == expected
    assert [s.id for s in cite.filter_sources(sources, query)] == expected


def test_publishers_sort_in_vietnamese_order():
    names = ["Zing", "Đà Nẵng", "Dân trí", "Ân", "An", "Báo", "Ủy ban"]
    ordered = [s.publisher for s in cite.by_publisher([source(str(i), n) for i, n in enumerate(names)])]
    assert ordered == ["An", "Ân", "Báo", "Dân trí", "Đà Nẵng", "Ủy ban", "Zing"]


def test_table_frame_counts_citing_records(cat):
    citing = cite.citing_index({name: cat[name].records for name in cite.CITING})
    frame = cite.table_frame(cite.by_publisher(cat["sources"].records), citing)
    assert len(frame) == len(cat["sources"].records)
    row = frame[frame["id"] == "nq-1659-ubtvqh15-text"].iloc[0]
    assert row["cited_by"] == len(citing["nq-1659-ubtvqh15-text"]) > 0
    assert f"event:{NQ_1659_EVENT}" in row["citing"]


@pytest.mark.parametrize("name, page, param", [("events", "timeline", "event="), ("trips", "training", "trip="),
                                               ("metrics", "smart-city", "domain="), ("figures", "overview", "")])
def test_every_record_kind_links_to_its_view(cat, name, page, param):
    record = cat[name].records[0]
    assert cite.view_of(name, record, "vi")[0] == page
    assert param in link_for(record, name) and "kind=" not in link_for(record, name)
    assert "lang=en" in link_for(record, name, "en")


def test_conflicts_are_the_figures_and_metrics_with_alternatives(cat):
    found = cite.conflicts(cat["figures"].records, cat["metrics"].records)
    assert found and all(f.alternatives and f.choice_reason for f in found)
    records = cat["figures"].records + cat["metrics"].records
    assert [r.id for r in found] == [r.id for r in records if r.alternatives]


@pytest.mark.parametrize("name", ["figures", "metrics"])
def test_alternatives_without_a_reason_are_refused(cat, name):
    record = next(r for r in cat[name].records if r.alternatives)
    data = record.model_dump(mode="json", exclude_none=True)
    type(record).model_validate(data)  # as curated: valid
    del data["choice_reason"]
    with pytest.raises(ValueError, match="choice_reason is required"):
        type(record).model_validate(data)

"""Public fields of the shipped data hold reader text only; curators' notes live in curator_note."""

import re

import pytest

from core import schemas

LEAK = re.compile(r"\b[\w-]+\.(?:txt|csv|ya?ml|py|json|md)\b|github|hasontech|demo1022|máy chủ demo|demo host"
                  r"|\(meta\)", re.IGNORECASE)
# English working phrases that once reached the Vietnamese page (fine in English text for English readers).
ENGLISH_IN_VI = re.compile(r"title taken from|url slug|does not report|not shown|mirror", re.IGNORECASE)
# The public text fields of each record type (curator_note is the one field that is not public).
PUBLIC = {
    "sources": ("title", "publisher", "notes", "published_note"),
    "figures": ("label", "note", "alternatives", "choice_reason"),
    "metrics": ("label", "definition", "denominator", "note", "alternatives", "choice_reason"),
    "events": ("title", "summary", "date_note", "actors", "place", "document"),
    "trips": ("class_name", "institution", "place", "purpose", "people", "programme", "themes", "prompts",
              "gaps", "documents", "date_note"),
}


def _texts(value, vi_only: bool = False) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, schemas.Text):
        return [value.vi] if vi_only else [value.vi, value.en or ""]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item, vi_only)]
    if isinstance(value, schemas.Strict):
        return [t for name in type(value).model_fields if name != "curator_note"
                for t in _texts(getattr(value, name), vi_only)]
    return []


@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_fields_hold_no_working_notes(cat, name):
    leaks = [(r.id, field, m.group(0)) for r in cat[name].records for field in PUBLIC[name]
             for text in _texts(getattr(r, field)) for m in LEAK.finditer(text)]
    leaks += [(r.id, field, m.group(0)) for r in cat[name].records for field in PUBLIC[name]
              for text in _texts(getattr(r, field), vi_only=True) for m in ENGLISH_IN_VI.finditer(text)]
    assert not leaks


def test_vietnamese_public_text_is_not_english_working_notes(cat):
    english = re.compile(r"\b(?:the|was|from|only|copy|taken|rebuilt)\b", re.IGNORECASE)
    found = [(s.id, s.notes.vi) for s in cat["sources"].records if s.notes and english.search(s.notes.vi)]
    assert not found


def test_every_source_note_and_date_note_has_english(cat):
    missing = [s.id for s in cat["sources"].records
               for text in (s.notes, s.published_note) if text is not None and not text.en]
    assert not missing


def test_names_readers_see_carry_an_english_form(cat):
    missing = [(e.id, n.vi) for e in cat["events"].records for n in (*e.actors, e.place, e.document)
               if n is not None and not n.en]
    missing += [(t.id, n.vi) for t in cat["trips"].records for n in (t.class_name, t.institution, *t.documents)
                if not n.en]
    assert not missing


def test_values_from_a_copy_alone_say_so_in_their_public_note(cat):
    forms = {s.id: s.form for s in cat["sources"].records}
    copies_only = [m for m in cat["metrics"].records if all(forms.get(s) == "mirror" for s in m.sources)]
    assert {m.id for m in copies_only} == {"dti-score-2024-old-danang", "dti-score-2024-new-city",
                                           "dti-score-2024-old-quangnam", "dti-rank-2024-old-quangnam"}
    assert all(m.note and "bản sao" in m.note.vi and "copy" in m.note.en for m in copies_only)


def _ngoisao_id(url: str) -> int | None:
    match = re.search(r"ngoisao\.vn/.*-(\d{6})\.htm$", url or "")
    return int(match.group(1)) if match else None


def test_ngoisao_dates_follow_their_article_numbers(cat):
    """Ngôi Sao numbers its articles in order; a date that breaks the order was read from the page header."""
    dated = sorted((_ngoisao_id(s.url), s.published, s.id) for s in cat["sources"].records
                   if _ngoisao_id(s.url) and s.published)
    assert [d[1] for d in dated] == sorted(d[1] for d in dated)
    assert ("ngoisao-2025-07-02-sieu-thanh-pho" in {d[2] for d in dated})
    undated = {s.id for s in cat["sources"].records if _ngoisao_id(s.url) and not s.published}
    assert undated == {"ngoisao-2025-12-04-thanh-pho-lon-nhat-viet-nam", "ngoisao-2025-10-03-tp-lon-nhat-sau-sap-nhap"}

"""Pydantic models for every curated record type and for the provenance beside each file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from core import nav

# The vocabularies, each written once: the records' allowed values, the URL's options (core/url_state.py)
# and the pages' lists take them from here, in this order (the order of the URL's options and pills).
TOPICS = ("policy", "merger", "apparatus", "training", "smart-city")
SCOPES = ("old_danang", "old_quangnam", "new_city", "national")
CONFIDENCE = ("high", "medium", "low")
RECORD_CONFIDENCE = CONFIDENCE[:2]  # an event, figure or metric is never shown from a low-rated source
SOURCE_KINDS = ("legal", "press", "dataset", "portal")
THEME_KINDS = ("advantages", "difficulties", "lessons", "limitations", "teaching")
# Smart-city domains; the page lists them IOC first (core/metrics.py DOMAINS).
DOMAINS = ("dti", "ict-index", "feedback", "online-services", "open-data", "ioc")
ENTITIES = ("old_danang", "new_city", "old_quangnam")  # what a smart-city metric is about
# The new commune-level units' types, and the slug of each in links (`type=phuong`).
UNIT_TYPES = {"phường": "phuong", "xã": "xa", "đặc khu": "dac-khu"}
OLD_UNIT_TYPES = ("phường", "xã", "thị trấn", "huyện")  # the pre-2025 units' types (a huyện without communes)
# The two former provinces, and the slug of each in links (`province=da-nang`).
FORMER_PROVINCES = {"old_danang": "da-nang", "old_quangnam": "quang-nam"}
# Live-class room codes: no look-alikes, no 0/O, 1/I/L (codes are read aloud and typed on phones).
ROOM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ROOM_CODE_LENGTH = 6
# Pages a lesson step can open: every registered page except the lesson list and the live room.
LESSON_PAGES = tuple(page.key for page in nav.PAGES if page.key not in ("lesson", "live"))
SLUG = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
INDICATOR = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
# Literal types built from the tuples above (Literal[T] with a tuple T lists T's values).
Confidence = Literal[CONFIDENCE]
RecordConfidence = Literal[RECORD_CONFIDENCE]
Topic = Literal[TOPICS]
SourceKind = Literal[SOURCE_KINDS]
ThemeKind = Literal[THEME_KINDS]
Domain = Literal[DOMAINS]
Entity = Literal[ENTITIES]
Scope = Literal[SCOPES]
UnitType = Literal[tuple(UNIT_TYPES)]
OldUnitType = Literal[OLD_UNIT_TYPES]
FormerProvince = Literal[tuple(FORMER_PROVINCES)]
LessonPage = Literal[LESSON_PAGES]


class Strict(BaseModel):
    """Base: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def check_http_url(url: str) -> str:
    """Only http(s) links may reach the page (no javascript:, data:, file:)."""
    if not re.match(r"^https?://[^\s/<>\"]+[^\s<>\"]*$", url, flags=re.IGNORECASE):
        raise ValueError("URL must start with http:// or https://")
    return url


class Text(Strict):
    """A text in Vietnamese (required) with an optional English version."""

    vi: str = Field(min_length=1)
    en: str | None = None


# Where a page stands to its text: the outlet itself, another outlet reposting it, an unofficial
# copy on another host, a page listing articles by tag, or a site collecting other outlets' items.
# The research notes' rule: mirrors, tag pages and aggregators are rated low, whatever they say.
LOW_FORMS = ("mirror", "tag-page", "aggregator")


def _text_of(value):
    """A plain string in a name field means Vietnamese only (shown with the 'Vietnamese only' marker)."""
    return {"vi": value} if isinstance(value, str) else value


# A name readers see (actor, place, document, institution): Vietnamese with its English form.
Name = Annotated[Text, BeforeValidator(_text_of)]


class Source(Strict):
    """A cited page or document. `notes`/`published_note` are public; `curator_note` is for curators."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    published: dt.date | None = None
    published_note: Text | None = None
    accessed: dt.date
    language: Literal["vi", "en"]
    kind: SourceKind
    form: Literal["original", "repost", "mirror", "tag-page", "aggregator"] = "original"
    confidence: Confidence
    notes: Text | None = None
    curator_note: str | None = None

    _url = field_validator("url")(classmethod(lambda cls, v: v if v is None else check_http_url(v)))

    @model_validator(mode="after")
    def _explain_missing_url(self) -> Source:
        if self.url is None and not self.notes:
            raise ValueError("a source without url needs notes saying where the text comes from")
        return self

    @model_validator(mode="after")
    def _low_for_copies(self) -> Source:
        if self.form in LOW_FORMS and self.confidence != "low":
            raise ValueError(f"a {self.form} source must be rated low (research notes' rule)")
        return self


class Event(Strict):
    id: str = Field(pattern=SLUG)
    date: dt.date
    end_date: dt.date | None = None
    date_note: Text | None = None
    title: Text
    summary: Text
    topics: list[Topic] = Field(min_length=1)
    actors: list[Name] = []
    place: Name | None = None
    document: Name | None = None
    sources: list[str] = Field(min_length=1)
    confidence: RecordConfidence
    highlight: bool = False
    curator_note: str | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError("end_date is before date")
        return self


Bound = Literal["lower", "upper"]


def differs_only_by_rounding(value: float, other: float) -> bool:
    """True when one number is the other rounded to fewer decimals (11859.6 vs 11859.59)."""
    if value == other:
        return True
    for digits in range(0, 7):
        if round(value, digits) == other or round(other, digits) == value:
            return True
    return False


class AltValue(Strict):
    """A value for the same figure given by another source; `bound` marks "more than"/"less than"."""

    value: float
    bound: Bound | None = None
    as_of: dt.date | None = None
    sources: list[str] = Field(min_length=1)
    note: Text


def check_alternatives(value: float, bound: str | None, alternatives: list[AltValue]) -> None:
    """An alternative must be a real discrepancy: not the same number rounded, not a bound it meets."""
    for alt in alternatives:
        if alt.bound is None and bound is None and differs_only_by_rounding(value, alt.value):
            raise ValueError(f"alternative {alt.value!r} differs from {value!r} only by rounding; "
                             "say so in the note instead")


class WithAlternatives(Strict):
    """A sourced value that other sources give differently: the alternatives need a reason for the
    choice, and each must differ from the value used (fields are declared by each record type)."""

    @model_validator(mode="after")
    def _reason_with_alternatives(self):
        if self.alternatives and self.choice_reason is None:
            raise ValueError("choice_reason is required when alternatives are given")
        check_alternatives(self.value, self.bound, self.alternatives)
        return self


class Figure(WithAlternatives):
    id: str = Field(pattern=SLUG)
    indicator: str = Field(pattern=INDICATOR)
    label: Text
    value: float
    unit: Literal["km2", "people", "units", "percent", "vnd_bn", "facilities", "positions"]
    as_of: dt.date
    scope: Scope
    sources: list[str] = Field(min_length=1)
    confidence: RecordConfidence
    approximate: bool = False
    bound: Bound | None = None
    note: Text | None = None
    curator_note: str | None = None
    alternatives: list[AltValue] = []
    choice_reason: Text | None = None


class Person(Strict):
    name: str | None = None
    role: Text
    side: Literal["host", "guest"]


class ProgrammeItem(Strict):
    order: int = Field(ge=1)
    kind: Literal["report", "discussion", "reflection", "visit", "other"]
    title: Text
    summary: Text
    speaker: str | None = None
    related_page: Literal["timeline", "merger", "smart-city"] | None = None


class Theme(Strict):
    kind: ThemeKind
    summary: Text
    detail_known: bool


class Media(Strict):
    url: str
    caption: Text
    credit: str
    license: str

    _url = field_validator("url")(classmethod(lambda cls, v: check_http_url(v)))


class Trip(Strict):
    id: str = Field(pattern=SLUG)
    class_name: Name
    institution: Name
    start_date: dt.date
    end_date: dt.date | None = None
    date_note: Text | None = None
    place: Text
    purpose: Text
    people: list[Person] = []
    programme: list[ProgrammeItem] = Field(min_length=1)
    themes: list[Theme] = []
    prompts: list[Text] = []
    gaps: list[Text] = []
    documents: list[Name] = []
    related_events: list[str] = []
    sources: list[str] = Field(min_length=1)
    media: list[Media] = []
    curator_note: str | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Trip:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Metric(WithAlternatives):
    id: str = Field(pattern=SLUG)
    domain: Domain
    indicator: str = Field(pattern=INDICATOR)
    label: Text
    entity: Entity
    period: str = Field(pattern=r"^\d{4}(-\d{2})?(/\d{4}(-\d{2})?)?$")
    value: float
    unit: Literal["index", "rank", "count", "percent"]
    rank_of: int | None = None
    definition: Text
    denominator: Text | None = None
    as_of: dt.date | None = None
    sources: list[str] = Field(min_length=1)
    confidence: RecordConfidence
    bound: Bound | None = None
    note: Text | None = None
    curator_note: str | None = None
    alternatives: list[AltValue] = []
    choice_reason: Text | None = None


class LessonStep(Strict):
    page: LessonPage
    params: dict[str, str] = {}
    title: Text
    note: Text | None = None  # the teaching note (a lecturer's step may have none)


class Lesson(Strict):
    id: str = Field(pattern=SLUG)
    title: Text
    summary: Text | None = None
    steps: list[LessonStep] = Field(min_length=1)


class Release(Strict):
    """The one place that states the data's version and as-of date."""

    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    as_of: dt.date
    notes: Text | None = None


class Provenance(Strict):
    """Metadata beside each data file (<name>.meta.yaml)."""

    title: str
    description: str | None = None
    source: str
    source_url: str | None = None
    license: str
    license_url: str
    date_accessed: dt.date
    curated_by: str | None = None
    changes: str | None = None
    notes: str | None = None
    columns: dict[str, Text] = {}

    _urls = field_validator("source_url", "license_url")(
        classmethod(lambda cls, v: v if v is None else check_http_url(v))
    )


class NewUnit(Strict):
    """One of the 94 commune-level units formed under Resolution 1659 (a CSV row)."""

    code: str = Field(pattern=r"^\d{5}$")
    name: str
    unit_type: UnitType
    name_en: str
    clause: int = Field(ge=1, le=93)
    former_province: FormerProvince
    former_districts: str
    former_units_text: str
    area_km2: float | None = None
    population: int | None = None


class MappingRow(Strict):
    """One old unit (or part of one) and the new unit it went into (a CSV row)."""

    old_code: str = Field(pattern=r"^\d{3,5}$")
    old_name: str
    old_unit_type: OldUnitType
    old_district: str
    old_province: FormerProvince
    new_code: str = Field(pattern=r"^\d{5}$")
    share: Literal["whole", "part"]
    clause: int = Field(ge=1, le=93)

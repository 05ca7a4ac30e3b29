"""Validator rules for sources and values: copies rated low, rounding is not a conflict, bounds are kept."""

import datetime as dt

import pytest
from pydantic import ValidationError

from core import catalog, fmt, i18n, schemas
from core.validate import main as validate_main


def source(**extra) -> dict:
    fields = dict(id="s", title="Tiêu đề", publisher="Báo A", url="https://example.org/a",
                  accessed=dt.date(2026, 11, 27), language="vi", kind="press", confidence="medium")
    return fields | extra


def figure(value: float, *alternatives: dict, **extra) -> dict:
    fields = dict(id="f", indicator="area", label={"vi": "Diện tích"}, value=value, unit="km2",
                  as_of=dt.date(2025, 6, 12), scope="new_city", sources=["s"], confidence="medium",
                  alternatives=list(alternatives),
                  choice_reason={"vi": "Lý do"} if alternatives else None)
    return fields | extra


def alt(value: float, **extra) -> dict:
    return dict(value=value, sources=["t"], note={"vi": "Nguồn khác"}) | extra


@pytest.mark.parametrize("form", ["mirror", "tag-page", "aggregator"])
@pytest.mark.parametrize("confidence", ["high", "medium"])
def test_copies_tag_pages_and_aggregators_must_be_rated_low(form, confidence):
    with pytest.raises(ValidationError, match="must be rated low"):
        schemas.Source(**source(form=form, confidence=confidence))


@pytest.mark.parametrize(("form", "confidence"), [
    ("mirror", "low"), ("tag-page", "low"), ("aggregator", "low"),
    ("original", "high"), ("repost", "medium"),
])
def test_allowed_form_and_confidence(form, confidence):
    assert schemas.Source(**source(form=form, confidence=confidence)).form == form


@pytest.mark.parametrize(("value", "other", "rounding"), [
    (11859.59, 11859.6, True),      # the old "conflict" on the Sources page
    (11859.59, 11860, True),
    (0.8335, 0.834, True),
    (11859.59, 11865.65, False),    # sum of the units' areas: a real discrepancy
    (93, 94, False),
    (53402, 57472, False),
    (3065628, 2819900, False),
])
def test_differs_only_by_rounding(value, other, rounding):
    assert schemas.differs_only_by_rounding(value, other) is rounding


def test_an_alternative_that_is_the_value_rounded_is_rejected():
    with pytest.raises(ValidationError, match="only by rounding"):
        schemas.Figure(**figure(11859.59, alt(11859.6)))


def test_a_genuine_alternative_is_accepted():
    fig = schemas.Figure(**figure(11859.59, alt(11865.65)))
    assert [a.value for a in fig.alternatives] == [11865.65]


def test_metrics_follow_the_same_rule():
    metric = dict(id="m", domain="dti", indicator="dti_rank", label={"vi": "Hạng"}, entity="old_danang",
                  period="2024", value=2, unit="rank", definition={"vi": "Hạng"}, sources=["s"],
                  confidence="high", alternatives=[alt(1)], choice_reason={"vi": "Bảng chính thức"})
    assert schemas.Metric(**metric).alternatives[0].value == 1
    with pytest.raises(ValidationError, match="choice_reason"):
        schemas.Metric(**(metric | {"choice_reason": None}))
    with pytest.raises(ValidationError, match="only by rounding"):
        schemas.Metric(**(metric | {"value": 0.8335, "unit": "index", "alternatives": [alt(0.83)]}))


def test_a_lower_bound_is_kept_as_a_bound():
    fig = schemas.Figure(**figure(3065628, alt(2770000, bound="lower")))
    assert fig.alternatives[0].bound == "lower"
    with pytest.raises(ValidationError):
        schemas.Figure(**figure(3065628, alt(2770000, bound="about")))


@pytest.mark.parametrize(("lang", "bound", "expected"), [
    ("vi", "lower", "hơn 2.770.000 người"),
    ("en", "lower", "more than 2,770,000 people"),
    ("vi", "upper", "tối đa 300 người"),
    ("en", None, "300 people"),
])
def test_bounds_are_written_out(lang, bound, expected):
    i18n.use(lang)
    assert fmt.quantity(2770000 if bound == "lower" else 300, "people", bound) == expected


def test_a_plain_name_is_vietnamese_only_and_a_pair_carries_english():
    event = dict(id="e", date=dt.date(2025, 6, 16), title={"vi": "T"}, summary={"vi": "S"}, topics=["merger"],
                 sources=["s"], confidence="high")
    plain = schemas.Event(**event, actors=["Bộ Chính trị"])
    pair = schemas.Event(**event, actors=[{"vi": "Bộ Chính trị", "en": "Politburo"}])
    assert (plain.actors[0].vi, plain.actors[0].en) == ("Bộ Chính trị", None)
    assert pair.actors[0].en == "Politburo"


def test_the_validator_names_a_mirror_rated_medium(data_copy, capsys):
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  form: mirror\n  confidence: low\n"
    assert marker in text
    path.write_text(text.replace(marker, "  form: mirror\n  confidence: medium\n"), encoding="utf-8")
    catalog.write_manifest(data_copy)
    assert validate_main(["--data", str(data_copy)]) == 1
    assert "must be rated low" in capsys.readouterr().out

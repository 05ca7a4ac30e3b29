"""The period filter's months: options, labels, month ⇄ date, and links with a day inside a month."""

import datetime as dt

import pytest

from core import months, timeline

D = dt.date


def test_month_of_and_its_first_and_last_day():
    assert months.month_of(D(2025, 4, 15)) == "2025-04"
    assert months.month_of(None) == ""
    assert months.first_day("2025-04") == D(2025, 4, 1)
    assert months.last_day("2025-04") == D(2025, 4, 30)
    assert months.last_day("2024-02") == D(2024, 2, 29) and months.last_day("2025-02") == D(2025, 2, 28)
    assert months.last_day("2025-12") == D(2025, 12, 31)


@pytest.mark.parametrize("junk", ["", None, "2025-13", "2025-4", "2025-04-01", "abcd-ef", "Tháng 4/2025", 202504])
def test_anything_else_is_no_month(junk):
    assert not months.is_month(junk)
    assert months.first_day(junk) is None and months.last_day(junk) is None
    assert months.resolve(junk, D(2025, 4, 15), end=False) is None


def test_span_is_whole_years_around_the_data():
    assert months.span([D(2016, 2, 1), None, D(2025, 12, 31)]) == ("2016-01", "2025-12")
    assert months.span([D(2025, 7, 7)], always=[D(2019, 3, 1)]) == ("2019-01", "2025-12")


def test_options_are_stable_months_newest_first_after_no_bound():
    opts = months.options("2024-01", "2025-12")
    assert opts[0] == "" and opts[1] == "2025-12" and opts[-1] == "2024-01" and len(opts) == 25
    assert months.options("2024-01", "2025-12") == opts  # the same values on every run
    # A link's month outside the data's years stays choosable, in date order.
    kept = months.options("2024-01", "2025-12", "2019-05", "", None, "junk")
    assert kept == ["", *opts[1:], "2019-05"]
    assert months.options("2024-01", "2025-12", "2024-06") == opts  # already there: no duplicate


def test_every_preset_is_a_pair_of_choosable_months():
    first, last = months.span([D(2016, 2, 1)], always=[timeline.TWO_TIER_START])
    opts = months.options(first, last)
    for date_from, date_to in timeline.PRESETS.values():
        assert months.month_of(date_from) in opts and months.month_of(date_to) in opts
        assert months.resolve(months.month_of(date_from), None, end=False) == date_from
        assert months.resolve(months.month_of(date_to), None, end=True) == date_to


def test_labels_depend_only_on_month_and_language():
    assert months.label("2025-04", "vi") == "Tháng 4/2025"
    assert months.label("2025-12", "vi") == "Tháng 12/2025"
    assert months.label("2025-04", "en") == "Apr 2025"
    assert months.label("junk", "vi") == "junk"
    assert len({months.label(m, "vi") for m in months.options("2016-01", "2025-12")[1:]}) == 120


def test_a_month_means_its_first_day_from_and_last_day_to():
    assert months.resolve("2025-04", None, end=False) == D(2025, 4, 1)
    assert months.resolve("2025-04", None, end=True) == D(2025, 4, 30)
    assert months.resolve("", D(2025, 4, 15), end=True) is None


def test_a_day_inside_the_month_is_kept_while_the_month_is_unchanged():
    linked = D(2025, 4, 15)
    assert months.resolve(months.month_of(linked), linked, end=False) == linked
    assert months.resolve(months.month_of(linked), linked, end=True) == linked
    # Another month chosen: its first/last day, not the linked day.
    assert months.resolve("2025-05", linked, end=False) == D(2025, 5, 1)
    assert months.resolve("2025-03", linked, end=True) == D(2025, 3, 31)


@pytest.mark.parametrize("day", [D(2025, 4, 15), D(2025, 1, 1), D(2024, 2, 29), D(2025, 12, 31), D(1999, 7, 4)])
def test_round_trip_of_link_dates(day):
    for end in (False, True):
        assert months.resolve(months.month_of(day), day, end) == day
    assert months.month_of(months.first_day(months.month_of(day))) == months.month_of(day)
    assert months.month_of(months.last_day(months.month_of(day))) == months.month_of(day)


def test_dates_in_the_wrong_order_are_swapped():
    assert months.ordered(D(2025, 9, 1), D(2025, 6, 30)) == (D(2025, 6, 30), D(2025, 9, 1))
    assert months.ordered(D(2025, 1, 1), None) == (D(2025, 1, 1), None)
    assert months.ordered(None, D(2025, 1, 1)) == (None, D(2025, 1, 1))


def test_a_selects_labels_name_every_choice_and_the_open_bound():
    choices = tuple(months.options("2024-01", "2025-12", "2019-05"))
    names = months.labels(choices, "vi", "Bất kỳ")
    assert list(names) == list(choices)
    assert names[""] == "Bất kỳ" and names["2019-05"] == "Tháng 5/2019" and names["2025-12"] == "Tháng 12/2025"
    assert months.labels(choices, "en", "Any")["2025-04"] == "Apr 2025"
    # A kept month that is not a month at all never becomes a choice.
    assert months.options("2024-01", "2024-02", "junk", None) == ["", "2024-02", "2024-01"]

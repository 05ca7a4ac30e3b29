"""Numbers and dates per language."""

import datetime as dt

import pytest

from core import fmt, i18n


@pytest.mark.parametrize(
    "lang, number, date",
    [("vi", "11.859,59", "16/6/2025"), ("en", "11,859.59", "16 Jun 2025")],
)
def test_number_and_date(lang, number, date):
    i18n.use(lang)
    try:
        assert fmt.number(11859.59) == number
        assert fmt.date(dt.date(2025, 6, 16)) == date
    finally:
        i18n.use("vi")


def test_whole_numbers_have_no_decimals():
    i18n.use("vi")
    assert fmt.number(3065628) == "3.065.628"
    assert fmt.quantity(94, "units") == "94 đơn vị"

"""Vietnamese search keys, diacritic folding and alphabetical order."""

import unicodedata

import pytest

from core import places, text


@pytest.mark.parametrize(
    "query, target, expected",
    [
        ("da nang", "Thành phố Đà Nẵng", True),
        ("Đà Nẵng", "thành phố đà nẵng", True),
        ("hoa", "Hòa Vang", True),
        ("hoa", "Hoà Xuân", True),
        ("hòa", "Hoà Xuân", True),
        ("hoà", "Hòa Liên", True),
        ("Đ", "đặc khu", True),
        ("d", "Đặc khu Hoàng Sa", True),
        ("nghi quyet 1659", "Nghị quyết 1659/NQ-UBTVQH15", True),
        ("má", "ma", False),
        ("năm", "Quảng Nam", False),
        ("(1659", "Nghị quyết (1659)", True),
        ("", "anything", True),
        ("quang nam", "Hòa Vang", False),
    ],
)
def test_matches(query, target, expected):
    assert text.matches(query, target) is expected


def test_nfd_input_matches_nfc_text():
    assert text.matches(unicodedata.normalize("NFD", "Nẵng"), "Đà Nẵng")


@pytest.mark.parametrize(
    "value, expected", [("Phường Hải Vân", "hai van"), ("xã Hòa Liên", "hoa lien"), ("Hội An", "hoi an")]
)
def test_strip_type_word(value, expected):
    assert places.strip_type_word(text.fold(value)) == expected


def test_vietnamese_alphabetical_order():
    names = ["Zeta", "Đà Nẵng", "Ân Thi", "An Khê", "Duy Xuyên", "Ơn", "Ô Lâu", "Ba"]
    assert sorted(names, key=text.sort_key) == [
        "An Khê", "Ân Thi", "Ba", "Duy Xuyên", "Đà Nẵng", "Ô Lâu", "Ơn", "Zeta",
    ]


def test_slug():
    assert text.slug("Quận Hải Châu") == "quan-hai-chau"

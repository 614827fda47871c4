"""Amounts in Vietnamese words (fee receipt "Bằng chữ") and in figures."""

from __future__ import annotations

import unicodedata

import pytest

from printing.vn_words import amount_in_words, format_vnd, number_in_words

# Each one read out and checked by hand against the usual reading rules.
CASES = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (41, "Bốn mươi mốt đồng"),
    (45, "Bốn mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1_000, "Một nghìn đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_100, "Một nghìn một trăm đồng"),
    (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (30_000, "Ba mươi nghìn đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (115_000, "Một trăm mười lăm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_001, "Một triệu không trăm linh một đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (10_000_000, "Mười triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (2_000_000_005, "Hai tỷ không trăm linh năm đồng"),
    (2_005_000_000, "Hai tỷ không trăm linh năm triệu đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (10**12, "Một nghìn tỷ đồng"),
    (1_005_000_000_000, "Một nghìn không trăm linh năm tỷ đồng"),
    (
        999_999_999_999_999,
        "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ "
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
        "chín trăm chín mươi chín đồng",
    ),
]


@pytest.mark.parametrize(("n", "words"), CASES)
def test_amount_in_words(n: int, words: str) -> None:
    assert amount_in_words(n) == words


def test_table_is_large_and_nfc() -> None:
    assert len(CASES) >= 25
    for n, _ in CASES:
        text = amount_in_words(n)
        assert text == unicodedata.normalize("NFC", text)
        assert text.endswith(" đồng") and text[0].isupper()
        assert "  " not in text


def test_number_in_words_is_lower_case_without_unit() -> None:
    assert number_in_words(0) == "không"
    assert number_in_words(1_005) == "một nghìn không trăm linh năm"


@pytest.mark.parametrize("bad", [-1, 10**15])
def test_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        amount_in_words(bad)


@pytest.mark.parametrize("bad", [1.5, "100", True])
def test_not_an_integer(bad: object) -> None:
    with pytest.raises(TypeError):
        amount_in_words(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (5, "5"), (999, "999"), (1_000, "1.000"), (50_000, "50.000"),
     (1_250_000, "1.250.000"), (2_500_000_000, "2.500.000.000")],
)
def test_format_vnd(n: int, text: str) -> None:
    assert format_vnd(n) == text

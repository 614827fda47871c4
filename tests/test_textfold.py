"""Tests for app.textfold: what we store (NFC, trimmed) and what we search on (folded).

Expected values are written out by hand: fold() drops every tone/shape mark,
turns đ/Đ into d, lower-cases and collapses whitespace.
"""

import unicodedata

import pytest

from app.textfold import clean_text, fold, nfc, search_terms


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_fold_full_vietnamese_name() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đ", "d"),
        ("Đ", "d"),
        ("Đặng Đình Đạt", "dang dinh dat"),
        ("đường Điện Biên", "duong dien bien"),
        # horn and breve are marks too: ư→u, ơ→o, ă→a, â→a, ê→e, ô→o
        ("Trương Thị Hương", "truong thi huong"),
        ("Phạm Ngọc Ánh", "pham ngoc anh"),
        ("Ủy ban nhân dân xã Tân Lập", "uy ban nhan dan xa tan lap"),
        ("Thủ tục đăng ký kết hôn", "thu tuc dang ky ket hon"),
        ("Chứng thực", "chung thuc"),
        ("Hộ tịch", "ho tich"),
    ],
)
def test_fold_drops_marks_and_maps_d(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_nfd_input_folds_like_nfc() -> None:
    composed = "Nguyễn Văn Đức, Bùi Thị Ưởng, Lê Hữu Thắng"
    decomposed = nfd(composed)
    assert decomposed != composed  # really a different code-point sequence
    assert fold(decomposed) == fold(composed) == "nguyen van duc, bui thi uong, le huu thang"


def test_fold_is_caseless() -> None:
    assert fold("NGUYỄN VĂN ĐỨC") == "nguyen van duc"
    assert fold("nGuYễN vĂn đỨc") == "nguyen van duc"
    # casefold, not lower: the German sharp s folds to "ss"
    assert fold("Straße") == "strasse"


def test_fold_collapses_whitespace() -> None:
    assert fold("  Nguyễn   Văn\tĐức \n") == "nguyen van duc"
    # a non-breaking space (copied from a web page) is whitespace too
    assert fold("Nguyễn\u00a0Văn Đức") == "nguyen van duc"
    assert fold("") == ""
    assert fold("   ") == ""


def test_fold_keeps_digits_and_punctuation() -> None:
    assert fold("1.001193") == "1.001193"
    assert fold("H15.50.05.13-261122-0001") == "h15.50.05.13-261122-0001"


def test_search_terms_splits_folded_query() -> None:
    assert search_terms("  Đăng   KÝ  khai tử ") == ["dang", "ky", "khai", "tu"]
    assert search_terms("") == []


def test_clean_text_composes_to_nfc() -> None:
    typed = nfd("Nguyễn Văn Đức")
    cleaned = clean_text(typed)
    assert cleaned == "Nguyễn Văn Đức"
    assert unicodedata.is_normalized("NFC", cleaned)
    # the precomposed ễ (U+1EC5) is what is stored, not e + circumflex + tilde
    assert "\u1ec5" in cleaned
    assert "\u0302" not in cleaned and "\u0303" not in cleaned


def test_clean_text_trims_and_collapses_but_keeps_case_and_marks() -> None:
    assert clean_text("   Trần  Thị   Bích  ") == "Trần Thị Bích"
    assert clean_text("\tThôn\nBản Luốc ") == "Thôn Bản Luốc"
    assert clean_text("") == ""
    assert clean_text("   ") == ""


def test_nfc_helper() -> None:
    assert nfc(nfd("Đức")) == "Đức"
    assert nfc("abc") == "abc"

"""Tests for app.validation: identity numbers, phones, e-mail, free text.

CCCD layout used for the hand-made numbers below (Circular 07/2016/TT-BCA):
digits 1-3 = province of birth registration, digit 4 = century + sex
(0/1 = 1900s, 2/3 = 2000s), digits 5-6 = last two digits of the birth year,
digits 7-12 = serial.
"""

from datetime import date

import pytest

from app.errors import FieldProblem
from app.validation import (
    MAX_ADDRESS,
    MAX_NAME,
    check_birth_date,
    check_email,
    check_identity_number,
    check_person_name,
    check_phone,
    check_text,
    normalise_phone,
)

# --- identity numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "dob"),
    [
        ("001085012345", date(1985, 3, 15)),  # Hà Nội, man born 1985
        ("015203001234", date(2003, 1, 2)),  # Yên Bái, man born 2003
        ("079190001234", date(1990, 12, 31)),  # TP Hồ Chí Minh, woman born 1990
        ("002301009999", date(2001, 6, 1)),  # Hà Giang, woman born 2001
    ],
)
def test_cccd_with_matching_birth_year_is_accepted(raw: str, dob: date) -> None:
    number, problem = check_identity_number("owner_id", raw, dob)
    assert problem is None
    assert number == raw


def test_cccd_without_dob_is_accepted() -> None:
    assert check_identity_number("owner_id", "001085012345", None) == ("001085012345", None)


def test_cccd_spaces_and_dots_are_removed() -> None:
    assert check_identity_number("owner_id", " 001 085 012.345 ", None) == ("001085012345", None)


@pytest.mark.parametrize("prefix", ["003", "100", "000", "099", "999"])
def test_cccd_unknown_province_prefix_is_refused(prefix: str) -> None:
    raw = prefix + "085012345"
    number, problem = check_identity_number("owner_id", raw, None)
    assert number == raw
    assert problem is not None
    assert problem.field == "owner_id"
    assert "CCCD" in problem.message
    assert "mã tỉnh" in problem.message
    assert prefix in problem.message


@pytest.mark.parametrize("fourth", ["4", "5", "9"])
def test_cccd_fourth_digit_must_be_0_to_3(fourth: str) -> None:
    raw = "001" + fourth + "85012345"
    _, problem = check_identity_number("owner_id", raw, None)
    assert problem is not None
    assert "chữ số thứ 4" in problem.message
    assert f"({fourth})" in problem.message


@pytest.mark.parametrize(
    ("raw", "dob", "implied_year"),
    [
        ("001085012345", date(1986, 3, 15), 1985),  # wrong year
        ("001085012345", date(2085, 3, 15), 1985),  # right two digits, wrong century
        ("001285012345", date(1985, 3, 15), 2085),  # 4th digit 2 = 2000s
    ],
)
def test_cccd_birth_year_must_match_dob(raw: str, dob: date, implied_year: int) -> None:
    _, problem = check_identity_number("owner_id", raw, dob)
    assert problem is not None
    assert "không khớp năm sinh" in problem.message
    assert str(implied_year) in problem.message
    assert str(dob.year) in problem.message


def test_cmnd_nine_digits_is_accepted() -> None:
    assert check_identity_number("owner_id", "012345678", date(1970, 1, 1)) == ("012345678", None)


def test_passport_is_accepted_and_upper_cased() -> None:
    assert check_identity_number("owner_id", "C1234567", None) == ("C1234567", None)
    assert check_identity_number("owner_id", "c1234567", None) == ("C1234567", None)
    assert check_identity_number("owner_id", "B12345678", None) == ("B12345678", None)


@pytest.mark.parametrize(
    "raw",
    ["abc", "12345", "0010850123456", "00108501234", "C123", "CC1234567", "12345678A", "0101234567"],
)
def test_garbage_identity_number_is_refused(raw: str) -> None:
    _, problem = check_identity_number("owner_id", raw, None)
    assert problem is not None
    assert problem.field == "owner_id"
    assert "Số giấy tờ không hợp lệ" in problem.message
    assert "12 chữ số" in problem.message and "9 chữ số" in problem.message


def test_empty_identity_number_is_refused() -> None:
    number, problem = check_identity_number("owner_id", "   ", None)
    assert number == ""
    assert problem is not None
    assert "Vui lòng nhập số giấy tờ" in problem.message


def test_business_may_use_tax_code() -> None:
    assert check_identity_number("owner_id", "0101234567", None, business=True) == ("0101234567", None)
    assert check_identity_number("owner_id", "0101234567-001", None, business=True) == ("0101234567-001", None)
    _, problem = check_identity_number("owner_id", "01012", None, business=True)
    assert problem is not None and "mã số thuế" in problem.message


# --- phones -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0386.123.456", "0386123456"),
        ("(0386) 123-456", "0386123456"),
        ("0523456789", "0523456789"),
        ("0701234567", "0701234567"),
        ("0812345678", "0812345678"),
        ("02143812345", "02143812345"),  # landline, Lào Cai area code 214
        ("024 3825 1234", "02438251234"),  # landline, Hà Nội
    ],
)
def test_valid_phones_are_normalised(raw: str, normalised: str) -> None:
    assert check_phone("owner_phone", raw) == (normalised, None)


@pytest.mark.parametrize(
    "raw",
    ["0123456789", "091234567", "09123456789", "0312345678", "1912345678", "0912abc678", "+1 202 555 0100",
     "0214381234"],
)
def test_invalid_phones_are_refused(raw: str) -> None:
    _, problem = check_phone("owner_phone", raw)
    assert problem is not None
    assert problem.field == "owner_phone"
    assert "Số điện thoại không hợp lệ" in problem.message
    assert "10 chữ số" in problem.message


def test_empty_phone_is_allowed() -> None:
    assert check_phone("owner_phone", "") == ("", None)
    assert check_phone("owner_phone", "   ") == ("", None)


def test_normalise_phone() -> None:
    assert normalise_phone("+84 (91) 234-5678") == "0912345678"
    # 84 prefix only stripped when the result is a 10-digit national number
    assert normalise_phone("8412345") == "8412345"


# --- e-mail -------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["ten@gmail.com", "nguyen.van.duc@langson.gov.vn", "  a.b@x.io  "])
def test_valid_email(raw: str) -> None:
    assert check_email("owner_email", raw) == (raw.strip(), None)


@pytest.mark.parametrize("raw", ["ten", "ten@gmail", "ten@@gmail.com", "ten gmail@x.com", "@gmail.com", "a@b.c"])
def test_invalid_email(raw: str) -> None:
    _, problem = check_email("owner_email", raw)
    assert problem is not None
    assert problem.field == "owner_email"
    assert "email không hợp lệ" in problem.message


def test_empty_email_is_allowed() -> None:
    assert check_email("owner_email", "") == ("", None)


# --- free text and names ------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\r", "\x0c"])
def test_control_characters_are_refused(bad: str) -> None:
    _, problem = check_person_name("owner_name", f"Nguyễn{bad}Văn An")
    assert problem is not None
    assert problem.field == "owner_name"
    assert "ký tự điều khiển" in problem.message
    _, problem = check_text("note", f"ghi chú{bad}", "Ghi chú", 2000)
    assert problem is not None and "ký tự điều khiển" in problem.message


def test_tab_and_newline_are_collapsed_not_refused() -> None:
    assert check_text("owner_address", "Thôn 3,\nxã Tân Lập\t", "Địa chỉ", MAX_ADDRESS) == (
        "Thôn 3, xã Tân Lập", None)


def test_name_is_cleaned_to_nfc() -> None:
    import unicodedata

    typed = unicodedata.normalize("NFD", "  Nguyễn   Văn Đức ")
    assert check_person_name("owner_name", typed) == ("Nguyễn Văn Đức", None)


def test_name_of_exactly_max_length_is_accepted() -> None:
    name = "A" * MAX_NAME
    assert check_person_name("owner_name", name) == (name, None)


def test_too_long_name_is_refused() -> None:
    name = "Nguyễn " * 40  # 7 * 40 = 280 characters, 279 after trimming
    cleaned, problem = check_person_name("owner_name", name)
    assert len(cleaned) == 279
    assert problem is not None
    assert "quá dài" in problem.message
    assert f"tối đa {MAX_NAME} ký tự" in problem.message
    assert "đã nhập 279" in problem.message


def test_required_name_missing() -> None:
    _, problem = check_person_name("owner_name", "   ", "Họ và tên chủ hồ sơ")
    assert problem == FieldProblem("owner_name", "Vui lòng nhập họ và tên chủ hồ sơ.")


def test_name_must_have_letters() -> None:
    _, problem = check_person_name("owner_name", "12345 ...")
    assert problem is not None and "phải có chữ cái" in problem.message


def test_optional_text_may_be_empty() -> None:
    assert check_text("note", "", "Ghi chú", 2000) == ("", None)


def test_birth_date_checks() -> None:
    today = date(2026, 11, 22)
    assert check_birth_date("owner_dob", None, today) is None
    assert check_birth_date("owner_dob", date(1985, 3, 15), today) is None
    assert check_birth_date("owner_dob", today, today) is None
    future = check_birth_date("owner_dob", date(2026, 11, 23), today)
    assert future is not None and "sau ngày hôm nay" in future.message
    ancient = check_birth_date("owner_dob", date(1899, 12, 31), today)
    assert ancient is not None and "trước năm 1900" in ancient.message


@pytest.mark.parametrize("bad", ["\x80", "\x9b"])
def test_c1_control_characters_are_refused(bad: str) -> None:
    _, problem = check_person_name("owner_name", f"Nguyễn{bad}Văn An")
    assert problem is not None and "ký tự điều khiển" in problem.message

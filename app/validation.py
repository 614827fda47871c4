"""Checks of what an officer types about a person, with messages in Vietnamese."""

import re
import unicodedata
from datetime import date

from app.errors import FieldProblem
from app.textfold import clean_text

# First three digits of a CCCD: the province of birth registration (Circular 07/2016/TT-BCA, 63 provinces).
CCCD_PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
    "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
    "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
    "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
    "089", "091", "092", "093", "094", "095", "096",
})
# Fourth digit: century of birth and sex; 0/1 = 1900s, 2/3 = 2000s (living people).
_CENTURY_BY_DIGIT = {"0": 1900, "1": 1900, "2": 2000, "3": 2000}

_MOBILE = re.compile(r"^0(3[2-9]|5[2-9]|7[06-9]|8[1-9]|9\d)\d{7}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_PASSPORT = re.compile(r"^[A-Z]\d{7,8}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
# C0/C1 controls (C1 appear in text mis-converted from TCVN3, VNI or Windows-1258) and bidi
# overrides, which can make a printed name read differently from what is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# What the printed forms can show (the shipped Liberation Serif): Latin letters with every
# Vietnamese mark, combining marks, digits and common punctuation. Anything else (Arabic, CJK,
# emoji, zero-width characters) would silently vanish from the citizen's slip.
_PRINTABLE_EXTRA = frozenset("–—‘’‚“”„†‡•…‰′″‹›€№™")
_UNPRINTABLE_LATIN = frozenset({0x1E9C, 0x1E9D, 0x1E9F})


def printable_on_forms(ch: str) -> bool:
    code = ord(ch)
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    return (code < 0x250 or 0x300 <= code <= 0x36F
            or (0x1E00 <= code <= 0x1EF9 and code not in _UNPRINTABLE_LATIN) or ch in _PRINTABLE_EXTRA)


MAX_NAME = 200
MAX_ADDRESS = 500
MAX_NOTE = 2000


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_phone(field: str, raw: str) -> tuple[str, FieldProblem | None]:
    phone = normalise_phone(raw)
    if not phone:
        return "", None
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone, None
    return phone, FieldProblem(field, "Số điện thoại không hợp lệ: số di động gồm 10 chữ số, bắt đầu bằng "
                                      "03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678).")


def check_email(field: str, raw: str) -> tuple[str, FieldProblem | None]:
    email = raw.strip()
    if email and not _EMAIL.match(email):
        return email, FieldProblem(field, "Địa chỉ email không hợp lệ (ví dụ: ten@gmail.com).")
    return email, None


def check_identity_number(field: str, raw: str, dob: date | None, business: bool = False
                          ) -> tuple[str, FieldProblem | None]:
    """CCCD (12 digits), old CMND (9 digits), passport, or a business tax code."""
    number = re.sub(r"[\s.]", "", raw).upper()
    if not number:
        return "", FieldProblem(field, "Vui lòng nhập số giấy tờ tùy thân (CCCD, CMND hoặc hộ chiếu).")
    if business and _TAX_CODE.match(number):
        return number, None
    if number.isdigit() and len(number) == 12:
        if number[:3] not in CCCD_PROVINCE_CODES:
            return number, FieldProblem(
                field, f"Số CCCD không hợp lệ: 3 chữ số đầu ({number[:3]}) không phải mã tỉnh nơi đăng ký khai sinh.")
        century = _CENTURY_BY_DIGIT.get(number[3])
        if century is None:
            return number, FieldProblem(
                field, f"Số CCCD không hợp lệ: chữ số thứ 4 ({number[3]}) phải là 0–3 (thế kỷ sinh và giới tính).")
        if dob is not None and dob.year != century + int(number[4:6]):
            return number, FieldProblem(
                field, f"Số CCCD không khớp năm sinh: chữ số 4–6 ứng với năm {century + int(number[4:6])}, "
                       f"ngày sinh đã nhập là năm {dob.year}.")
        return number, None
    if number.isdigit() and len(number) == 9:
        return number, None
    if _PASSPORT.match(number):
        return number, None
    hint = " hoặc mã số thuế (10 chữ số)" if business else ""
    return number, FieldProblem(
        field, f"Số giấy tờ không hợp lệ: CCCD gồm 12 chữ số, CMND 9 chữ số, hộ chiếu 1 chữ cái và 7 chữ số{hint}.")


def check_text(field: str, raw: str, label: str, maximum: int, required: bool = False
               ) -> tuple[str, FieldProblem | None]:
    if _CONTROL.search(raw):
        return raw, FieldProblem(field, f"{label} chứa ký tự điều khiển không in được; vui lòng nhập lại.")
    text = clean_text(raw)
    odd = next((ch for ch in text if not printable_on_forms(ch)), None)
    if odd is not None:
        return text, FieldProblem(field, f"{label} có ký tự không in được trên giấy tờ (U+{ord(odd):04X}); "
                                         "chỉ dùng chữ cái tiếng Việt, chữ số và dấu câu thông thường.")
    if required and not text:
        return text, FieldProblem(field, f"Vui lòng nhập {label.lower()}.")
    if len(text) > maximum:
        return text, FieldProblem(field, f"{label} quá dài (tối đa {maximum} ký tự, đã nhập {len(text)}).")
    return text, None


def check_person_name(field: str, raw: str, label: str = "Họ và tên", required: bool = True
                      ) -> tuple[str, FieldProblem | None]:
    name, problem = check_text(field, raw, label, MAX_NAME, required)
    if problem is None and name and not any(ch.isalpha() for ch in name):
        problem = FieldProblem(field, f"{label} phải có chữ cái.")
    return name, problem


def check_birth_date(field: str, dob: date | None, today: date) -> FieldProblem | None:
    if dob is None:
        return None
    if dob > today:
        return FieldProblem(field, "Ngày sinh không thể ở sau ngày hôm nay.")
    if dob.year < 1900:
        return FieldProblem(field, "Ngày sinh không hợp lệ (trước năm 1900).")
    return None

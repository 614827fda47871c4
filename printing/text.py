"""Text as it is printed on every document: normalised, escaped, and written
the way Decree 30/2020/ND-CP writes counts and dates.

All text on a form goes through :func:`nfc` (decomposed Vietnamese renders
with misplaced marks) and :func:`para` escapes it for reportlab's paragraph
markup.  Everything here is pure: strings in, strings out.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from xml.sax.saxutils import escape

from app.worktime import AGENCY_TZ


def nfc(text: object) -> str:
    """*text* as an NFC string ('' for None)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


def upper_vn(text: object) -> str:
    """Upper-case Vietnamese safely (NFC before and after)."""
    return nfc(nfc(text).upper())


def para(text: object) -> str:
    """*text* normalised and escaped for use inside Paragraph markup."""
    return escape(nfc(text))


def two_digits(n: int) -> str:
    """Counts on forms are written with two digits: 01, 02, ... 12."""
    return f"{n:02d}"


def place_date_line(place_name: str, moment: datetime | date | None) -> str:
    """"Tân Lập, ngày 23 tháng 11 năm 2026" (Decree 30: a day below 10 and
    the months 1 and 2 take a leading zero), in agency time for an aware
    datetime.  None leaves dots to fill in by hand."""
    place = nfc(place_name).strip() or "." * 12
    if moment is None:
        return f"{place}, ngày ..... tháng ..... năm ........"
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Thời điểm phải có múi giờ (aware datetime)")
        moment = moment.astimezone(AGENCY_TZ).date()
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{place}, ngày {moment.day:02d} tháng {month} năm {moment.year}"


__all__ = ["nfc", "para", "place_date_line", "two_digits", "upper_vn"]

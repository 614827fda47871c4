"""Amounts of money in Vietnamese words and figures, as on a fee receipt.

``amount_in_words(1005) == "Một nghìn không trăm linh năm đồng"``

The reading rules (the ones accounting software and the State Treasury use):

* numbers are read in groups of three digits: đơn vị, nghìn, triệu; from a
  thousand million on, the part above the milliards is read as a number of
  its own followed by "tỷ" (1 000 tỷ = "một nghìn tỷ");
* a group after the first is always read in full, hundreds included
  ("một nghìn không trăm linh năm"); a group of zeros is skipped;
* a zero tens digit before a units digit reads "linh" ("một trăm linh một");
* tens: 1 reads "mười", 2-9 read "<digit> mươi";
* units after the tens: 1 reads "mốt" after "mươi" ("hai mươi mốt") but
  "một" after "mười" and "linh"; 5 reads "lăm" after "mười"/"mươi"
  ("mười lăm", "hai mươi lăm") but "năm" after "linh"; 4 always reads
  "bốn" (the variant "tư" is not used, for consistency).
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MAX_AMOUNT = 10**15  # exclusive: up to 999 nghìn tỷ and change
_BILLION = 10**9
_GROUPS = ((10**6, "triệu"), (10**3, "nghìn"), (1, ""))


def _group(n: int, *, full: bool) -> list[str]:
    """Words for 0 < *n* < 1000.  *full*: read the hundreds even when zero
    (every group that follows another one)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, leading: bool) -> list[str]:
    """Words for 0 < *n* < 10**9; *leading*: nothing is read before it."""
    words: list[str] = []
    for size, name in _GROUPS:
        part = (n // size) % 1000
        if not part:
            continue
        words += _group(part, full=not leading)
        if name:
            words.append(name)
        leading = False
    return words


def _words(n: int, *, leading: bool = True) -> list[str]:
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = _words(high, leading=leading) + ["tỷ"]
        if low:
            words += _below_billion(low, leading=False)
        return words
    return _below_billion(n, leading=leading)


def number_in_words(n: int) -> str:
    """*n* (0 <= n < 10**15) in lower-case Vietnamese words, without unit."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Số tiền phải là số nguyên, nhận được {n!r}")
    if not 0 <= n < MAX_AMOUNT:
        raise ValueError(f"Số tiền ngoài phạm vi đọc được (0 đến dưới 10^15): {n}")
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n))


def amount_in_words(n: int) -> str:
    """*n* đồng in words, first letter capitalised: ``"Năm mươi nghìn đồng"``."""
    text = f"{number_in_words(n)} đồng"
    return text[0].upper() + text[1:]


def format_vnd(n: int) -> str:
    """*n* with dots as thousands separators: ``format_vnd(1250000) == "1.250.000"``."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Số tiền phải là số nguyên, nhận được {n!r}")
    return f"{n:,}".replace(",", ".")


__all__ = ["MAX_AMOUNT", "amount_in_words", "format_vnd", "number_in_words"]

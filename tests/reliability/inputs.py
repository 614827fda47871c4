"""Hypothesis strategies and profiles for the bad-input suite.

Profiles: `default` keeps `make test` within about a minute; `long`
(`HYPOTHESIS_PROFILE=long`, used by `make reliability`) tries twenty times as
many inputs. No example database is kept: each run starts fresh from its seed.
"""

import os
import re
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile("default", database=None, deadline=None, derandomize=False,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", parent=settings.get_profile("default"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def examples(short: int) -> int:
    """How many inputs a test tries: `short` in make test, twenty times as many in the long run."""
    return short * 20 if LONG else short


VIETNAMESE_WORDS = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
                    "Thị", "Văn", "Hữu", "Ánh", "Tuyết", "Khuê", "Thuỷ", "Thủy", "Quỳnh", "Nghĩa", "Đức", "Ỷ",
                    "Lò", "Páo", "H'Hen", "Niê", "Ksor", "thôn", "bản", "xã", "Ngữ", "Ưng", "Ơn"]
INJECTIONS = ["'; DROP TABLE dossier; --", "\" OR 1=1 --", "Robert'); DELETE FROM outbox;--", "%", "_", "\\",
              "<b>", "</para>", "<font size=40>", "&amp;", "&#0;", "&nbsp;", "<script>alert(1)</script>",
              "<img src=x onerror=alert(1)>", "{code}", "%s%s%s", "${HOME}", "\\x00", "NULL", "None"]
# C0/C1 controls, bidi overrides, zero-width characters, BOM.
CONTROLS = "".join(chr(c) for c in [*range(32), *range(127, 160)]) + "\u202a\u202b\u202c\u202d\u202e" \
    "\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff\u00ad"


def decomposed(word: str) -> str:
    return unicodedata.normalize("NFD", word)


vietnamese = st.lists(st.sampled_from(VIETNAMESE_WORDS).flatmap(
    lambda w: st.sampled_from([w, decomposed(w), w.upper(), w.lower()])), min_size=1, max_size=6).map(" ".join)
any_text = st.text(max_size=60)
combining_soup = st.text(alphabet=st.characters(categories=["Mn", "Me", "Mc"]), min_size=1, max_size=8) \
    .flatmap(lambda marks: st.sampled_from([marks, "a" + marks, "Nguy" + marks + "n"]))
controls = st.text(alphabet=st.sampled_from(CONTROLS), min_size=1, max_size=4)
huge = st.text(min_size=1, max_size=3).map(lambda s: (s * 10_000)[:10_000])
whitespace = st.text(alphabet=st.sampled_from(" \t\u00a0\u2003\u3000\n"), max_size=5)

# One field's worth of hostile text: plain names, decomposed marks, markup, controls, 10,000 characters.
hostile_text = st.one_of(
    vietnamese, any_text, combining_soup, st.sampled_from(INJECTIONS), huge,
    st.tuples(vietnamese, st.one_of(controls, st.sampled_from(INJECTIONS), whitespace), vietnamese)
    .map(lambda t: "".join(t)),
    st.just(""),
)

_VIETNAMESE_LETTER = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                                re.IGNORECASE)
# What leaks when an exception reaches the officer raw: a traceback, an exception class, argparse's English.
_ENGLISH_ERRORS = re.compile(r"Traceback|\b[A-Z][a-z]+(Error|Exception)\b|invalid (choice|int value)|"
                             r"the following arguments are required|unrecognized arguments|expected one argument|"
                             r"usage:|sqlite3\.|sqlalchemy|No such file|Permission denied|Is a directory|"
                             r"No space left|Read-only file system")


def is_vietnamese_message(message: str) -> bool:
    """A message for the officer: Vietnamese words with their marks, no Python exception text."""
    return bool(message.strip()) and bool(_VIETNAMESE_LETTER.search(message)) \
        and not _ENGLISH_ERRORS.search(message)

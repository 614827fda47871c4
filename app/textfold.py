"""Folding Vietnamese text for search: case, tone marks and đ all ignored.

SQLite's unicode61 tokenizer folds tone marks but keeps đ, and officers type
"duc" for "Đức"; so we fold in Python, store the folded text in a search
column, and fold every query the same way.
"""

import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """What we store for a typed name or address: NFC, trimmed, inner runs of spaces collapsed."""
    return " ".join(nfc(text).split())


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_terms(query: str) -> list[str]:
    return fold(query).split()

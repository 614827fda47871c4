"""The one font family every printed document uses.

Liberation Serif is metric-compatible with Times New Roman (the face official
Vietnamese documents are set in, Decree 30/2020) and covers every Vietnamese
glyph.  The TTF files ship in ``resources/fonts`` (SIL OFL 1.1, licence text
beside them).  reportlab's built-in faces cannot draw Vietnamese.

Call :func:`register_fonts` before building a document; it is idempotent and
thread-safe, so every renderer may simply call it first.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import resources

FAMILY = "QMC-Serif"
SERIF = "QMC-Serif"
SERIF_BOLD = "QMC-Serif-Bold"
SERIF_ITALIC = "QMC-Serif-Italic"
SERIF_BOLD_ITALIC = "QMC-Serif-BoldItalic"

_FILES: dict[str, str] = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


class FontError(RuntimeError):
    """The bundled font files are missing or unreadable (a broken install)."""


def register_fonts() -> None:
    """Register the serif family with reportlab, once per process."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = resources.path("fonts", filename)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # reportlab raises bare TTFError/IOError
                raise FontError(f"Không đọc được phông chữ {path}: {exc}") from exc
        pdfmetrics.registerFontFamily(
            FAMILY,
            normal=SERIF,
            bold=SERIF_BOLD,
            italic=SERIF_ITALIC,
            boldItalic=SERIF_BOLD_ITALIC,
        )
        _registered = True


__all__ = [
    "FAMILY",
    "SERIF",
    "SERIF_BOLD",
    "SERIF_BOLD_ITALIC",
    "SERIF_ITALIC",
    "FontError",
    "register_fonts",
]

"""Vector barcodes as reportlab flowables: Code128 (dossier code) and QR.

Both draw filled rectangles straight into the PDF, never a bitmap, so they
stay sharp on any printer and at any zoom.  The Code128 module pattern comes
from python-barcode (it picks the shortest mix of code sets A/B/C and adds the
check symbol); reportlab only draws it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

import barcode
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from printing.fonts import SERIF, register_fonts

#: ISO/IEC 15417 asks for at least 10 modules of quiet zone on each side.
MIN_QUIET_MODULES = 10
#: Below ~0.19 mm an office laser printer and a cheap scanner start to fail.
MIN_MODULE: float = 0.19 * mm
#: Above this the symbol only gets wider, not easier to read.
MAX_MODULE: float = 0.40 * mm


def _form_name(kind: str, *key: object) -> str:
    """A PDF-safe XObject name: a symbol drawn on several pages (one per
    copy) is stored once in the file and referenced from each page."""
    digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:16]
    return f"QMC{kind}{digest}"


@lru_cache(maxsize=256)
def code128_modules(code: str) -> str:
    """The '1'/'0' module string (bars and spaces, no quiet zone) for *code*."""
    if not code:
        raise ValueError("Mã vạch rỗng")
    if any(ord(ch) > 127 for ch in code):
        raise ValueError(f"Code128 chỉ mã hóa ký tự ASCII: {code!r}")
    symbol = barcode.get_barcode_class("code128")(code, writer=None)
    built = symbol.build()
    modules = built[0] if isinstance(built, (list, tuple)) else built
    if not modules or set(modules) - {"0", "1"}:
        raise ValueError(f"python-barcode trả về mẫu không hợp lệ cho {code!r}")
    return str(modules)


def _bar_runs(modules: str) -> tuple[tuple[int, int], ...]:
    """(start, length) of each run of dark modules."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i, m in enumerate(modules):
        if m == "1":
            if start < 0:
                start = i
        elif start >= 0:
            runs.append((start, i - start))
            start = -1
    if start >= 0:
        runs.append((start, len(modules) - start))
    return tuple(runs)


# The symbols are drawn in module units (the canvas scaled so one module is
# 1 x 1, bars 1 high), so every rectangle has small integer coordinates and
# the whole path is one literal string, built once per symbol: black fill
# ("0 g"), one "re" per run of dark modules, one "f" (fill, no stroke).


@lru_cache(maxsize=256)
def _code128_ops(modules: str, quiet: int) -> str:
    rects = " ".join(f"{quiet + start} 0 {length} 1 re" for start, length in _bar_runs(modules))
    return f"0 g {rects} f"


@lru_cache(maxsize=64)
def _qr_ops(matrix: tuple[tuple[bool, ...], ...], quiet: int) -> str:
    n = len(matrix)
    rects: list[str] = []
    for r, row in enumerate(matrix):
        y = quiet + n - 1 - r  # row 0 is the top row
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                rects.append(f"{quiet + start} {y} {c - start} 1 re")
            else:
                c += 1
    return f"0 g {' '.join(rects)} f"


class Code128(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A Code128 symbol with its human-readable text underneath.

    The module width is chosen so that symbol plus quiet zones fill *width*
    (capped at :data:`MAX_MODULE`, so a short code does not become huge); the
    flowable is exactly as wide as what it draws and is centred by default.
    """

    def __init__(
        self,
        code: str,
        *,
        width: float = 90 * mm,
        bar_height: float = 12 * mm,
        quiet_modules: int = MIN_QUIET_MODULES,
        show_text: bool = True,
        font_name: str = SERIF,
        font_size: float = 10,
        h_align: str = "CENTER",
    ) -> None:
        super().__init__()
        register_fonts()
        self.code = unicodedata.normalize("NFC", code).strip()
        self.modules = code128_modules(self.code)
        self.quiet_modules = max(MIN_QUIET_MODULES, quiet_modules)
        total = len(self.modules) + 2 * self.quiet_modules
        self.module: float = min(MAX_MODULE, width / total)
        self.bar_height = bar_height
        self.show_text = show_text
        self.font_name = font_name
        self.font_size = font_size
        self.text_gap = 0.35 * font_size
        self.width = total * self.module
        self.height = bar_height + (self.text_gap + font_size if show_text else 0)
        self.hAlign = h_align
        self._runs = _bar_runs(self.modules)

    @property
    def module_too_thin(self) -> bool:
        """True when the requested width forces modules thinner than is safe."""
        return self.module < MIN_MODULE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        y0 = self.height - self.bar_height
        name = _form_name("c128", self.code, self.module, self.bar_height)
        if not canv.hasForm(name):
            canv.beginForm(name, 0, 0, self.width, self.bar_height)
            canv.scale(self.module, self.bar_height)
            canv.addLiteral(_code128_ops(self.modules, self.quiet_modules))
            canv.endForm()
        canv.translate(0, y0)
        canv.doForm(name)
        canv.translate(0, -y0)
        if self.show_text:
            text = self.code
            size = self.font_size
            # Shrink the caption rather than let it overhang the quiet zone.
            while size > 6 and stringWidth(text, self.font_name, size) > self.width:
                size -= 0.5
            canv.setFont(self.font_name, size)
            canv.drawCentredString(self.width / 2, 0.15 * size, text)
        canv.restoreState()


@lru_cache(maxsize=64)
def qr_matrix(payload: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR module matrix (True = dark, no quiet zone) for *payload*.

    Encoded by zxing-cpp (Zint underneath), already a dependency for reading
    slips back: it picks the smallest mix of modes itself, so a look-up URL
    does not force a signed statement (docs/signed-receipt.md) into byte mode,
    and it takes ~1 ms where reportlab's pure-Python encoder took ~30-50 ms,
    half of the time to receive a dossier and print its slip.
    """
    import zxingcpp

    symbol = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    pixels = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # one pixel per module, 0 = dark
    rows, columns = pixels.shape  # type: ignore[misc]
    return tuple(tuple(pixels[r, c] < 128 for c in range(columns)) for r in range(rows))


class QRCode(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A square QR code of side *size*, including its 4-module quiet zone.

    Drawn as one vector path of filled rectangles (horizontal runs merged)
    rather than thousands of shape objects.
    """

    QUIET_MODULES = 4

    def __init__(
        self,
        payload: str,
        *,
        size: float = 22 * mm,
        level: str = "M",
        h_align: str = "CENTER",
    ) -> None:
        super().__init__()
        self.payload = unicodedata.normalize("NFC", payload)
        if not self.payload:
            raise ValueError("Nội dung mã QR rỗng")
        self.size = size
        self.width = self.height = size
        self.hAlign = h_align
        self.matrix = qr_matrix(self.payload, level)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        n = len(self.matrix)
        box = self.size / (n + 2 * self.QUIET_MODULES)
        canv = self.canv
        name = _form_name("qr", self.payload, self.size, n)
        if not canv.hasForm(name):
            canv.beginForm(name, 0, 0, self.size, self.size)
            canv.scale(box, box)
            canv.addLiteral(_qr_ops(self.matrix, self.QUIET_MODULES))
            canv.endForm()
        canv.doForm(name)


__all__ = [
    "MIN_MODULE",
    "MIN_QUIET_MODULES",
    "Code128",
    "QRCode",
    "code128_modules",
    "qr_matrix",
]

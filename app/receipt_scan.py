"""Reading the codes off a slip the way a reader would: render the page, decode the picture.

pypdfium2 renders, zxing-cpp decodes; both are plain wheels on Windows too,
so checking a slip needs no system tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import CounterError

RENDER_DPI = 300  # the QR's 0.41 mm modules get about 5 pixels each, like a 300 dpi scan


@dataclass(frozen=True)
class PageCodes:
    page: int
    qr: list[str]
    code128: list[str]


def read_pdf_codes(path: Path, dpi: int = RENDER_DPI) -> list[PageCodes]:
    """QR and Code128 symbols found on each rendered page."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except (pypdfium2.PdfiumError, OSError) as error:
        raise CounterError(f"Không mở được tệp PDF {path}: {error}.") from None
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            pages.append(_codes_in_image(index + 1, image))
            page.close()
        return pages
    finally:
        document.close()


def read_image_codes(path: Path) -> list[PageCodes]:
    """A photo or scan of the slip."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return [_codes_in_image(1, image.convert("L"))]
    except (UnidentifiedImageError, OSError) as error:
        raise CounterError(f"Không đọc được ảnh {path}: {error}.") from None


def _codes_in_image(page: int, image: Any) -> PageCodes:
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=[zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128])
    qr = [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    bars = [b.text for b in found if b.format == zxingcpp.BarcodeFormat.Code128]
    return PageCodes(page, qr, bars)


__all__ = ["RENDER_DPI", "PageCodes", "read_image_codes", "read_pdf_codes"]

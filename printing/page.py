"""The paper a document is laid out on: size, margins, and the factor that
scales the A4 font sizes and gaps down to a smaller page.

Margins follow Decree 30/2020/ND-CP (Appendix I).  Every other printing
module takes a :class:`PageSetup` and asks it (:meth:`PageSetup.pt`,
:meth:`PageSetup.sp`) for sizes, so a form is written once, for A4.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from printing.text import nfc


@dataclass(frozen=True)
class PageSetup:
    """Paper size, margins (points) and the factor fonts are scaled by."""

    name: str
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    scale: float

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]

    @property
    def frame_width(self) -> float:
        return self.size[0] - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.size[1] - self.top - self.bottom

    def pt(self, size: float) -> float:
        """A font size given for A4, scaled to this page (to half points)."""
        return size if self.scale == 1 else max(6.0, round(size * self.scale * 2) / 2)

    def sp(self, value: float) -> float:
        """A length (gap, padding, height) given for A4, scaled to this page."""
        return value * self.scale


_PAGES: dict[str, PageSetup] = {
    # Decree 30 asks 20-25 mm top/bottom, 30-35 left, 15-20 right; a one-page
    # counter form uses the lower end so eight documents still fit.
    "A4": PageSetup("A4", A4, left=25 * mm, right=15 * mm, top=15 * mm, bottom=15 * mm, scale=1.0),
    "A5": PageSetup("A5", A5, left=15 * mm, right=10 * mm, top=12 * mm, bottom=12 * mm, scale=0.75),
}


def page_setup(name: str = "A4") -> PageSetup:
    """The :class:`PageSetup` for "A4" or "A5" (case-insensitive)."""
    key = nfc(name).strip().upper()
    try:
        return _PAGES[key]
    except KeyError:
        raise ValueError(f"Khổ giấy không hỗ trợ: {name!r} (chỉ A4 hoặc A5)") from None


def landscape_setup(name: str = "A4") -> PageSetup:
    """*name* turned sideways, for wide tables (registers, reports): the
    binding margin stays on the left, a little narrower than portrait."""
    base = page_setup(name)
    return dataclasses.replace(
        base,
        name=f"{base.name}-landscape",
        size=landscape(base.size),
        left=base.left * 0.8,
        right=base.right * 0.67,
        top=base.top,
        bottom=base.bottom,
    )


def scaled(setup: PageSetup, factor: float) -> PageSetup:
    """*setup* with fonts and gaps *factor* times smaller (same paper and
    margins): to fit a long form on one page before letting it flow on."""
    if factor == 1:
        return setup
    return dataclasses.replace(setup, name=f"{setup.name}x{factor:g}", scale=setup.scale * factor)


__all__ = ["PageSetup", "landscape_setup", "page_setup", "scaled"]

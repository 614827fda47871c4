"""Paragraph styles of the house look, for one :class:`~printing.page.PageSetup`.

Decree 30/2020/ND-CP (Appendix I) where a form has no rule of its own: a
Times-like serif, 13 pt body, 14 pt bold title, 12-13 pt bold headings;
sizes are given for A4 and scaled by the page setup for A5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from printing.page import PageSetup


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one page setup, by the part they print."""

    body: ParagraphStyle  # 13 pt justified body text
    body_left: ParagraphStyle  # body, ragged right (fields "Label: value")
    body_center: ParagraphStyle
    body_bold_center: ParagraphStyle
    title: ParagraphStyle  # 14 pt bold centred document name
    subtitle: ParagraphStyle  # 13 pt bold centred line under the title
    heading: ParagraphStyle  # bold section line ("1. Thành phần hồ sơ")
    italic_right: ParagraphStyle  # "Liên 1: Lưu", place and date
    italic_center: ParagraphStyle
    small_italic: ParagraphStyle  # notes, footer
    small_italic_center: ParagraphStyle
    header_parent: ParagraphStyle  # left header, line 1 (regular, upper)
    header_agency: ParagraphStyle  # left header, line 2 (bold, upper)
    header_national: ParagraphStyle  # right header, line 1 (bold, upper)
    header_motto: ParagraphStyle  # right header, line 2 (bold)
    header_extra: ParagraphStyle  # "Số: ..." / "Mã hồ sơ: ..." under the header
    table_head: ParagraphStyle
    table_cell: ParagraphStyle
    table_cell_center: ParagraphStyle
    table_cell_right: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    sign_name: ParagraphStyle
    letter: ParagraphStyle  # running text of a letter: first-line indent, 6 pt apart


@lru_cache(maxsize=8)
def make_styles(setup: PageSetup) -> Styles:
    """Paragraph styles for *setup* (font sizes scaled for A5)."""
    register_fonts()
    s = setup.pt
    g = setup.sp

    def style(name: str, font: str, size: float, align: int = TA_LEFT, **kw: Any) -> ParagraphStyle:
        leading = kw.pop("leading", None) or round(size * 1.22, 1)
        return ParagraphStyle(
            name=f"qmc-{setup.name}-{name}",
            fontName=font,
            fontSize=size,
            leading=leading,
            alignment=align,
            textColor=colors.black,
            **kw,
        )

    body = s(13)
    small = s(11)
    table = s(12)
    return Styles(
        body=style("body", SERIF, body, TA_JUSTIFY, spaceAfter=g(1)),
        body_left=style("body-left", SERIF, body, TA_LEFT, spaceAfter=g(1)),
        body_center=style("body-center", SERIF, body, TA_CENTER),
        body_bold_center=style("body-bold-center", SERIF_BOLD, body, TA_CENTER),
        title=style("title", SERIF_BOLD, s(14), TA_CENTER, leading=s(14) * 1.25),
        subtitle=style("subtitle", SERIF_BOLD, body, TA_CENTER),
        heading=style("heading", SERIF_BOLD, body, TA_LEFT, spaceBefore=g(2), spaceAfter=g(2)),
        italic_right=style("italic-right", SERIF_ITALIC, body, TA_RIGHT),
        italic_center=style("italic-center", SERIF_ITALIC, body, TA_CENTER),
        small_italic=style("small-italic", SERIF_ITALIC, small, TA_LEFT),
        small_italic_center=style("small-italic-center", SERIF_ITALIC, small, TA_CENTER),
        header_parent=style("header-parent", SERIF, s(12), TA_CENTER, leading=s(12) * 1.2),
        header_agency=style("header-agency", SERIF_BOLD, s(12), TA_CENTER, leading=s(12) * 1.2),
        header_national=style("header-national", SERIF_BOLD, s(12), TA_CENTER, leading=s(12) * 1.2),
        header_motto=style("header-motto", SERIF_BOLD, s(13), TA_CENTER, leading=s(13) * 1.2),
        header_extra=style("header-extra", SERIF, s(13), TA_LEFT),
        table_head=style("table-head", SERIF_BOLD, table, TA_CENTER, leading=table * 1.15),
        table_cell=style("table-cell", SERIF, table, TA_LEFT, leading=table * 1.18),
        table_cell_center=style("table-cell-center", SERIF, table, TA_CENTER, leading=table * 1.18),
        table_cell_right=style("table-cell-right", SERIF, table, TA_RIGHT, leading=table * 1.18),
        sign_title=style("sign-title", SERIF_BOLD, body, TA_CENTER),
        sign_hint=style("sign-hint", SERIF_ITALIC, body, TA_CENTER),
        sign_name=style("sign-name", SERIF_BOLD, body, TA_CENTER),
        letter=style(
            "letter", SERIF, body, TA_JUSTIFY, firstLineIndent=g(10 * mm), spaceAfter=g(4)
        ),
    )


def fitted_style(
    text: str, style: ParagraphStyle, width: float, *, min_ratio: float = 0.85
) -> ParagraphStyle:
    """*style*, shrunk (by at most *min_ratio*) so *text* fits on one line of
    *width*; unchanged when it already fits or would need to shrink more
    (then it wraps: a long agency name on two lines is normal)."""
    size = style.fontSize
    need = stringWidth(text, style.fontName, size)
    if need <= width:
        return style
    fit = size * width / need
    if fit < size * min_ratio:
        return style
    fit = int(fit * 4) / 4  # quarter points, rounded down
    return ParagraphStyle(
        name=f"{style.name}-fit{fit}",
        parent=style,
        fontSize=fit,
        leading=style.leading * fit / size,
    )


__all__ = ["Styles", "fitted_style", "make_styles"]

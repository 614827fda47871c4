"""The head of every document: agency block, national title, and the form's title.

Decree 30/2020/ND-CP (Appendix I): the agency block on the left and the
national title (quốc hiệu) with the motto (tiêu ngữ) on the right, each with
a short thin rule under it; "Số: ..." under the agency and the place and
date under the motto; then the document's name, centred in bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printing.page import PageSetup
from printing.styles import fitted_style, make_styles
from printing.text import nfc, para, place_date_line, upper_vn

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

RULE_WIDTH = 0.6  # points; a thin solid rule as in Decree 30


class CenteredRule(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A thin horizontal rule of fixed *length*, centred in the space given."""

    def __init__(
        self,
        length: float,
        *,
        thickness: float = RULE_WIDTH,
        space_before: float = 1.5,
        space_after: float = 0,
    ) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self.space_after = space_after
        self._avail = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail = availWidth
        return availWidth, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        length = min(self.length, self._avail)
        x = (self._avail - length) / 2
        y = self.space_after + self.thickness / 2
        self.canv.saveState()
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + length, y)
        self.canv.restoreState()


def _widest_line(text: str, font: str, size: float, width: float) -> float:
    """Width of the longest line *text* wraps to in *width* (word wrapping)."""
    words = text.split()
    space = stringWidth(" ", font, size)
    widest = line = 0.0
    for word in words:
        w = stringWidth(word, font, size)
        if line and line + space + w > width:
            widest = max(widest, line)
            line = w
        else:
            line = line + space + w if line else w
    return min(max(widest, line), width)


def agency_heading(
    parent_agency_name: str, agency_name: str, setup: PageSetup, width: float
) -> list[Flowable]:
    """The agency side of a heading, for a column *width* wide: parent agency
    (upper case), agency (upper case, bold), a short rule (about 1/3 of the
    agency line, centred).  A name slightly too long for one line is set a
    little smaller rather than broken."""
    st = make_styles(setup)
    left: list[Flowable] = []
    parent = upper_vn(parent_agency_name).strip()
    if parent:
        left.append(Paragraph(escape(parent), fitted_style(parent, st.header_parent, width)))
    agency = upper_vn(agency_name).strip()
    agency_style = fitted_style(agency, st.header_agency, width)
    left.append(Paragraph(escape(agency), agency_style))
    agency_line = _widest_line(agency, agency_style.fontName, agency_style.fontSize, width)
    left.append(CenteredRule(max(agency_line / 3, setup.sp(18 * mm)), space_before=setup.sp(4)))
    return left


def header_block(
    parent_agency_name: str,
    agency_name: str,
    setup: PageSetup,
    *,
    left_below: Sequence[Flowable] = (),
    right_below: Sequence[Flowable] = (),
) -> Table:
    """The two-column heading of an administrative document.

    Left: parent agency (upper case), agency (upper case, bold), a short rule
    (about 1/3 of the agency line, centred).  Right: national title and motto
    (bold), a rule as long as the motto.  *left_below* / *right_below* go
    under the rules (e.g. "Số: ..." on the left, place and date on the right).
    The right column is just wide enough for the national title; the agency
    side gets the rest, and a name slightly too long for one line is set a
    little smaller rather than broken.
    """
    st = make_styles(setup)
    w = setup.frame_width
    gap = setup.sp(3 * mm)
    rw = min(
        w * 0.6,
        stringWidth(NATIONAL_TITLE, st.header_national.fontName, st.header_national.fontSize) + gap,
    )
    lw = w - rw
    inner = lw - gap  # keep the two columns visibly apart
    left = agency_heading(parent_agency_name, agency_name, setup, inner)
    left.extend(left_below)

    right: list[Flowable] = [
        Paragraph(escape(NATIONAL_TITLE), st.header_national),
        Paragraph(escape(nfc(MOTTO)), st.header_motto),
        CenteredRule(
            stringWidth(nfc(MOTTO), st.header_motto.fontName, st.header_motto.fontSize),
            space_before=setup.sp(4),
        ),
    ]
    right.extend(right_below)
    table = Table([[left, right]], colWidths=[lw, rw], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def document_head(
    parent_agency_name: str,
    agency_name: str,
    setup: PageSetup,
    *,
    place_date: str = "",
    number: str | None = None,
) -> Table:
    """:func:`header_block` of a letter or notice: "Số: ..." under the agency
    when *number* is not None ('' prints dots to fill in), the place and
    date in italics under the motto."""
    st = make_styles(setup)
    left: list[Flowable] = []
    right: list[Flowable] = []
    gap = setup.sp(4)
    if number is not None:
        shown = nfc(number).strip() or "........./........."
        left += [Spacer(1, gap), Paragraph(f"Số: {para(shown)}", st.body_center)]
    if place_date:
        right += [Spacer(1, gap), Paragraph(para(place_date), st.italic_center)]
    return header_block(parent_agency_name, agency_name, setup, left_below=left, right_below=right)


# -------------------------------------------------------------- form opening


class Issuer(Protocol):
    """Who issues a form, where and when: the fields every form's data has."""

    @property
    def parent_agency_name(self) -> str: ...

    @property
    def agency_name(self) -> str: ...

    @property
    def place_name(self) -> str: ...

    @property
    def issued_at(self) -> datetime: ...


def form_opening(
    issuer: Issuer,
    title: str,
    setup: PageSetup,
    *,
    number: str | None = None,
    gap_before: float = 16,
    gap_after: float = 12,
) -> list[Flowable]:
    """The top of a form: :func:`document_head` with the place and date of
    issue ("Số: ..." too when *number* is not None), then the title, with
    gaps (given for A4) above and below it."""
    st = make_styles(setup)
    return [
        document_head(
            issuer.parent_agency_name,
            issuer.agency_name,
            setup,
            place_date=place_date_line(issuer.place_name, issuer.issued_at),
            number=number,
        ),
        Spacer(1, setup.sp(gap_before)),
        Paragraph(para(title), st.title),
        Spacer(1, setup.sp(gap_after)),
    ]


__all__ = [
    "MOTTO",
    "NATIONAL_TITLE",
    "CenteredRule",
    "Issuer",
    "agency_heading",
    "document_head",
    "form_opening",
    "header_block",
]

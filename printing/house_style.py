"""Shared look of every printed document (forms 01-07, fee receipt, reports).

Follows the presentation rules of Decree 30/2020/ND-CP (Appendix I) where a
form has no rule of its own: Times-like serif, 13 pt body, the agency block on
the left and the national title (quốc hiệu) with the motto (tiêu ngữ) on the
right, each with a short rule under it, and the signature block at the end.

Everything here is pure: data in, flowables / PDF bytes out.  All text goes
through :func:`nfc` (decomposed Vietnamese renders with misplaced marks) and
:func:`para` escapes it for reportlab's paragraph markup.
"""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol, TypeAlias
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.worktime import AGENCY_TZ
from printing.fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts

# Plain deflate streams: the default extra ASCII85 layer only makes every
# PDF a quarter bigger and slower to write; nothing here needs 7-bit output.
rl_config.useA85 = 0

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
OFFICIAL_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"  # signing for the agency, under its seal

RULE_WIDTH = 0.6  # points; a thin solid rule as in Decree 30


# --------------------------------------------------------------------- text


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


# --------------------------------------------------------------- page setup


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


# -------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
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


# --------------------------------------------------------------- flowables


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


@dataclass(frozen=True)
class Signatory:
    """One column of a signature block."""

    title: str  # e.g. "NGƯỜI NỘP HỒ SƠ" (printed upper case, bold)
    name: str = ""  # printed under the blank space; '' leaves it blank
    hint: str = SIGN_HINT
    above: str = ""  # optional italic line above the title (place and date)


def signature_column(
    sig: Signatory | None, setup: PageSetup, *, space: float = 24 * mm
) -> list[Flowable]:
    """The flowables of one signature column (place/date, title, hint, blank
    space, name).  A title with line breaks ("TM. ỦY BAN NHÂN DÂN\nCHỦ
    TỊCH", Decree 30's signing on behalf of a collective) keeps them."""
    if sig is None:
        return []
    st = make_styles(setup)
    out: list[Flowable] = []
    if sig.above:
        out.append(Paragraph(para(sig.above), st.italic_center))
    lines = [upper_vn(line).strip() for line in nfc(sig.title).split("\n")]
    out.append(Paragraph("<br/>".join(escape(line) for line in lines if line), st.sign_title))
    if sig.hint:
        out.append(Paragraph(para(sig.hint), st.sign_hint))
    out.append(Spacer(1, setup.sp(space)))
    if nfc(sig.name).strip():
        out.append(Paragraph(para(sig.name.strip()), st.sign_name))
    return out


def signature_block(
    left: Signatory | None,
    right: Signatory | None,
    setup: PageSetup,
    *,
    space: float = 24 * mm,
) -> Flowable:
    """Two signature columns; either side may be None (left empty)."""
    w = setup.frame_width
    table = Table(
        [[signature_column(left, setup, space=space), signature_column(right, setup, space=space)]],
        colWidths=[w / 2, w / 2],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table  # one row: never split across pages


Cell: TypeAlias = "str | Flowable"
ALIGNS = {"left": "table_cell", "center": "table_cell_center", "right": "table_cell_right"}


def document_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    setup: PageSetup,
    *,
    widths: Sequence[float],
    aligns: Sequence[str] | None = None,
    empty_text: str = "",
) -> Table:
    """A ruled table with a bold header row repeated on every page.

    *widths* are fractions of the frame width (normalised to sum to 1) or,
    if they sum to more than 1.5, absolute points.  Strings are wrapped in
    paragraphs with the column's alignment ('left', 'center', 'right').
    With no rows, one row spanning all columns shows *empty_text*.
    """
    st = make_styles(setup)
    n = len(headers)
    if len(widths) != n:
        raise ValueError("widths must match headers")
    aligns = list(aligns or ["left"] * n)
    total = float(sum(widths))
    if total <= 1.5:
        col_widths = [setup.frame_width * x / total for x in widths]
    else:
        col_widths = [float(x) for x in widths]

    pad = setup.sp(4)
    cell_style = st.table_cell
    data: list[list[Cell]] = [[Paragraph(para(h), st.table_head) for h in headers]]
    for row in rows:
        cells: list[Cell] = []
        for i, cell in enumerate(row):
            if isinstance(cell, Flowable):
                cells.append(cell)
                continue
            text = nfc(cell)
            # Text that fits on one line is drawn as a plain table string
            # (several times cheaper than a Paragraph); longer text wraps.
            if "\n" not in text and (
                stringWidth(text, cell_style.fontName, cell_style.fontSize)
                <= col_widths[i] - 2 * pad - 1
            ):
                cells.append(text)
            else:
                cells.append(Paragraph(para(text), getattr(st, ALIGNS[aligns[i]])))
        data.append(cells)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, -1), cell_style.fontName, cell_style.fontSize, cell_style.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), setup.sp(2)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), setup.sp(3)),
    ]
    for i, align in enumerate(aligns):
        commands.append(("ALIGN", (i, 1), (i, -1), align.upper()))
    if not rows:
        data.append([Paragraph(para(empty_text), st.table_cell_center)] + [""] * (n - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def field(
    label: str,
    value: object,
    setup: PageSetup,
    *,
    bold_value: bool = False,
    style: ParagraphStyle | None = None,
) -> Paragraph:
    """A "Label: value" line; an empty value leaves a dotted line to fill in."""
    st = make_styles(setup)
    text = nfc(value).strip()
    shown = para(text) if text else "." * 40
    if bold_value and text:
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{para(label)} {shown}", style or st.body_left)


def numbered_items(
    items: Sequence[str], setup: PageSetup, *, style: ParagraphStyle | None = None, empty: str = ""
) -> list[Paragraph]:
    """"1. ...", "2. ..." paragraphs with a hanging indent (wrapped lines
    align with the text, not the number).  No items: one line *empty* (or
    dots to fill in by hand)."""
    base = style or make_styles(setup).body
    texts = [nfc(t).strip() for t in items if nfc(t).strip()]
    if not texts:
        return [Paragraph(para(empty) if empty else "." * 60, base)]
    label_w = stringWidth(f"{len(texts)}. ", base.fontName, base.fontSize)
    indent = setup.sp(5 * mm)
    hanging = ParagraphStyle(
        name=f"{base.name}-numbered",
        parent=base,
        leftIndent=indent + label_w,
        firstLineIndent=-label_w,
    )
    return [Paragraph(f"{i}. {para(t)}", hanging) for i, t in enumerate(texts, start=1)]


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """*text* broken into lines no wider than *width*: at spaces, and inside
    a word only when the word alone is too wide.  Lets a long table be drawn
    with plain multi-line strings, several times faster than paragraphs."""
    lines: list[str] = []
    for chunk in nfc(text).split("\n"):
        for line in simpleSplit(chunk, font, size, width) or [""]:
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


def official_closing(
    recipients: Sequence[str],
    signatory: Signatory,
    setup: PageSetup,
    *,
    space: float = 24 * mm,
) -> Table:
    """Decree 30's foot of a letter: "Nơi nhận:" and its list on the left
    (11 pt, "- Như trên;", the last one ending with a full stop), the
    signature on the right.  No recipients: the left side stays empty."""
    st = make_styles(setup)
    w = setup.frame_width
    names = [nfc(r).strip().rstrip(";.") for r in recipients if nfc(r).strip()]
    left: list[Flowable] = []
    if names:
        small = st.small_italic.fontSize
        heading = ParagraphStyle(
            name=f"qmc-{setup.name}-recipients-head",
            parent=st.body_left,
            fontName=SERIF_BOLD_ITALIC,
            fontSize=setup.pt(12),
            leading=setup.pt(12) * 1.2,
            spaceAfter=0,
        )
        item = ParagraphStyle(
            name=f"qmc-{setup.name}-recipients-item",
            parent=st.body_left,
            fontSize=small,
            leading=small * 1.2,
            spaceAfter=0,
        )
        left.append(Paragraph("Nơi nhận:", heading))
        for i, name in enumerate(names):
            end = "." if i == len(names) - 1 else ";"
            left.append(Paragraph(f"- {para(name)}{end}", item))
    table = Table(
        [[left, signature_column(signatory, setup, space=space)]],
        colWidths=[w * 0.45, w * 0.55],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# -------------------------------------------------------------- form parts


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


def signer_title_lines(authority: str, title: str) -> str:
    """The title of a :class:`Signatory` who signs on behalf of someone:
    the authority ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") over the signer's
    own title (Decree 30); an empty part is left out."""
    return "\n".join(t for t in (nfc(authority).strip(), nfc(title).strip()) if t)


def agency_signatory(authority: str, title: str, name: str) -> Signatory:
    """The head of the agency (or a deputy) signing and sealing a letter."""
    return Signatory(signer_title_lines(authority, title), nfc(name).strip(), hint=OFFICIAL_HINT)


def closing_signature(
    signatory: Signatory,
    setup: PageSetup,
    *,
    recipients: Sequence[str] | None = None,
    gap: float = 14,
) -> Flowable:
    """The signature at the foot of a form, *gap* (given for A4) below the
    text: alone on the right half, or, when *recipients* is given (even
    empty), as :func:`official_closing` with "Nơi nhận:" on the left."""
    if recipients is None:
        block = signature_block(None, signatory, setup)
    else:
        block = official_closing(recipients, signatory, setup)
    # One unit: a signature that does not fit moves to the next page with
    # its gap, rather than leaving the gap behind at the foot of this one.
    return KeepTogether([Spacer(1, setup.sp(gap)), block])


# ------------------------------------------------------------------ building

PageHook = Callable[[Canvas, BaseDocTemplate], None]


def _nothing(canv: Canvas, doc: BaseDocTemplate) -> None:
    return None


PageCountHook = Callable[[Canvas, int, int], None]


def numbered_canvas(draw: PageCountHook) -> type[Canvas]:
    """A canvas class that holds every page back until the document is
    complete, then calls ``draw(canvas, page, total)`` on each before writing
    it: for "Trang x/y" without laying the document out twice."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                draw(self, number, total)
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(
    flowables: Sequence[Flowable],
    setup: PageSetup,
    *,
    title: str = "",
    author: str = "",
    subject: str = "",
    on_page: PageHook | None = None,
    on_page_end: PageHook | None = None,
    page_count_hook: PageCountHook | None = None,
) -> bytes:
    """Lay out *flowables* on *setup*'s paper and return the PDF bytes.

    The frame has no inner padding, so a flowable of ``setup.frame_width``
    spans exactly from margin to margin.  *on_page* runs when a page starts,
    *on_page_end* after its flowables are drawn (both get canvas and doc).
    *page_count_hook* gets (canvas, page, total) once the page count is
    known (see :func:`numbered_canvas`).
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=setup.size,
        leftMargin=setup.left,
        rightMargin=setup.right,
        topMargin=setup.top,
        bottomMargin=setup.bottom,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="Quầy Một cửa",
        lang="vi-VN",
    )
    frame = Frame(
        setup.left,
        setup.bottom,
        setup.frame_width,
        setup.frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=on_page or _nothing,
                onPageEnd=on_page_end or _nothing,
                pagesize=setup.size,
            )
        ]
    )
    if page_count_hook is None:
        doc.build(list(flowables))
    else:
        doc.build(list(flowables), canvasmaker=numbered_canvas(page_count_hook))
    return buffer.getvalue()


def render_form(
    story: Sequence[Flowable],
    setup: PageSetup,
    issuer: Issuer,
    *,
    title: str,
    subject: str,
    on_page_end: PageHook | None = None,
    page_count_hook: PageCountHook | None = None,
) -> bytes:
    """:func:`build_pdf` for a form, with the issuing agency as the PDF's author."""
    return build_pdf(
        story,
        setup,
        title=title,
        author=issuer.agency_name,
        subject=subject,
        on_page_end=on_page_end,
        page_count_hook=page_count_hook,
    )


__all__ = [
    "MOTTO",
    "NATIONAL_TITLE",
    "OFFICIAL_HINT",
    "SIGN_HINT",
    "CenteredRule",
    "Issuer",
    "PageCountHook",
    "PageHook",
    "PageSetup",
    "Signatory",
    "Styles",
    "agency_heading",
    "agency_signatory",
    "build_pdf",
    "closing_signature",
    "document_head",
    "document_table",
    "field",
    "fitted_style",
    "form_opening",
    "header_block",
    "landscape_setup",
    "make_styles",
    "nfc",
    "numbered_canvas",
    "numbered_items",
    "official_closing",
    "page_setup",
    "para",
    "place_date_line",
    "render_form",
    "scaled",
    "signature_block",
    "signature_column",
    "signer_title_lines",
    "two_digits",
    "upper_vn",
    "wrap_lines",
]

"""Pieces shared by the daily and period reports: number formats, section headings, compact
tables, the page footer, the opening and the signature of the person who made the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.reports.daily import ReportHeader
from app.worktime import AGENCY_TZ, format_vn_date
from printing.body import wrap_lines
from printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from printing.heading import document_head
from printing.page import PageSetup
from printing.pdf import PageCountHook
from printing.signatures import Signatory, signature_block
from printing.styles import make_styles
from printing.text import nfc, para, place_date_line
from printing.vn_words import format_vnd

FONT_SIZE = 10.5  # tables of figures; the running text keeps the house 13 pt
PAD = 3.0
NO_VALUE = "—"


def number(n: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return format_vnd(int(n))


def pct(value: float | None) -> str:
    """97.5 → "97,5%"; None (nothing to divide by) → "—"."""
    return NO_VALUE if value is None else f"{value:.1f}".replace(".", ",") + "%"


def moment(value: datetime | None) -> str:
    if value is None:
        return NO_VALUE
    local = value.astimezone(AGENCY_TZ)
    return f"{local:%H:%M} {format_vn_date(local.date())}"


def day(value: date) -> str:
    return format_vn_date(value)


def scope_text(counter: int | None) -> str:
    return "Toàn cơ quan (mọi quầy)" if counter is None else f"Quầy số {counter}"


def section(title: str, setup: PageSetup) -> Paragraph:
    return Paragraph(para(title), make_styles(setup).heading)


def note(text: str, setup: PageSetup) -> Paragraph:
    return Paragraph(para(text), make_styles(setup).small_italic)


def figures_table(headers: Sequence[str], rows: Sequence[Sequence[str]], setup: PageSetup,
                  widths: Sequence[float], aligns: Sequence[str] | None = None, *,
                  empty: str = "Không có.", bold_last: bool = False, font_size: float = FONT_SIZE) -> Table:
    """A ruled table of plain pre-wrapped strings (fast for long lists), header repeated on each page.

    *widths* are fractions of the frame width, except that a width above 1 is absolute points
    (a column sized to its content); aligns 'left' / 'center' / 'right' per column."""
    st = make_styles(setup)
    size, pad = setup.pt(font_size), setup.sp(PAD)
    fixed = sum(w for w in widths if w > 1)
    total = float(sum(w for w in widths if w <= 1))
    col_widths = [w if w > 1 else (setup.frame_width - fixed) * w / total for w in widths]
    aligns = list(aligns or ["left"] + ["right"] * (len(headers) - 1))
    head_style = st.table_head.clone(f"qmc-{setup.name}-report-head", fontSize=size, leading=size * 1.15)
    data: list[list[Any]] = [[Paragraph(para(h), head_style) for h in headers]]
    for row in rows:
        data.append(["\n".join(wrap_lines(nfc(text), SERIF, size, w - 2 * pad)) if text else ""
                     for text, w in zip(row, col_widths, strict=True)])
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, -1), SERIF, size, size * 1.18),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), setup.sp(1.5)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), setup.sp(3)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
    ]
    for i, align in enumerate(aligns):
        commands.append(("ALIGN", (i, 1), (i, -1), align.upper()))
    if not rows:
        data.append([empty] + [""] * (len(headers) - 1))
        commands += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                     ("FONT", (0, 1), (-1, 1), SERIF_ITALIC, size, size * 1.18)]
    elif bold_last:
        commands.append(("FONT", (0, -1), (-1, -1), SERIF_BOLD, size, size * 1.18))
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def opening(header: ReportHeader, place_name: str, title: str, subtitle: str, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    return [
        document_head(header.parent_name, header.agency_name, setup,
                      place_date=place_date_line(place_name, header.made_at)),
        Spacer(1, setup.sp(12)),
        Paragraph(para(title), st.title),
        Paragraph(para(subtitle), st.subtitle),
        Paragraph(para(f"{scope_text(header.counter)} — lập lúc {moment(header.made_at)}, "
                       f"người lập: {header.made_by}"), st.italic_center),
        Spacer(1, setup.sp(6)),
    ]


def closing(header: ReportHeader, place_name: str, setup: PageSetup) -> Flowable:
    return KeepTogether([
        Spacer(1, setup.sp(12)),
        signature_block(None, Signatory("NGƯỜI LẬP BÁO CÁO", header.made_by,
                                        above=place_date_line(place_name, header.made_at)), setup, space=20 * mm),
    ])


def footer(setup: PageSetup, text: str) -> PageCountHook:
    size = setup.pt(9)
    y = setup.bottom - setup.sp(7 * mm)

    def draw(canv: Canvas, page: int, total: int) -> None:
        canv.setFont(SERIF_ITALIC, size)
        canv.drawString(setup.left, y, nfc(text))
        canv.setFont(SERIF, size)
        canv.drawRightString(setup.width - setup.right, y, f"Trang {page}/{total}")

    return draw


LIST_FONT_SIZE = 9.5


def code_column(codes: Sequence[str], setup: PageSetup, size: float = LIST_FONT_SIZE) -> float:
    """Points wide enough for the longest dossier code on one line (codes are never broken)."""
    widest = max((stringWidth(nfc(c), SERIF, setup.pt(size)) for c in codes), default=0.0)
    return max(widest, stringWidth("Mã hồ sơ", SERIF_BOLD, setup.pt(size))) + 2 * setup.sp(PAD) + 1

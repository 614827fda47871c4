"""Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ (process-control sheet).

Travels with the dossier from the counter to the processing body and back.
Every hand-over is one row: who hands over to whom ("1. Giao: ...",
"2. Nhận: ..."), when (printed, or dots to fill in by hand), the two
signatures (Người giao / Người nhận), the result against the deadline
(Trước hạn / Đúng hạn / Quá hạn) and a note.  Rows recorded in the app are
printed; *blank_rows* adds empty ones for the hand-overs still to come.

The dossier code is printed as text and as a Code128 barcode, like form 01,
so the sheet can be scanned at each desk.

Pure function of its data: :func:`render_control_sheet` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Spacer, Table, TableStyle

from app.worktime import format_vn_moment
from printing.barcodes import Code128
from printing.body import field
from printing.fonts import SERIF_ITALIC
from printing.heading import form_opening
from printing.page import PageSetup, page_setup
from printing.pdf import PageHook, render_form
from printing.styles import Styles, make_styles
from printing.text import nfc, para

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
HEAD_UNITS = "Tên cơ quan/bộ phận"
HEAD_TIME = "Thời gian giao, nhận hồ sơ"
HEAD_GIVER = "Người giao"
HEAD_RECEIVER = "Người nhận"
HEAD_RESULT = "Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn)"
HEAD_NOTE = "Ghi chú"
BLANK_TIME = "..... giờ ..... phút, ngày ...../...../......."
RESULTS = ("Trước hạn", "Đúng hạn", "Quá hạn")


@dataclass(frozen=True)
class HandOverRow:
    """One hand-over of the dossier between two units."""

    from_unit: str  # "Giao": who hands the dossier over
    to_unit: str  # "Nhận": who receives it
    handed_at: datetime | None = None  # aware; None leaves dots to fill in
    result: str = ""  # "Trước hạn" / "Đúng hạn" / "Quá hạn" (or '' while in progress)
    note: str = ""
    giver_name: str = ""  # printed under the signature space when known
    receiver_name: str = ""


@dataclass(frozen=True)
class ControlSheetData:
    """Form 06: the dossier's hand-over record, with its barcode."""

    parent_agency_name: str
    agency_name: str
    place_name: str
    issued_at: datetime  # aware
    code: str
    owner_name: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    received_at: datetime  # aware
    due_at: datetime | None  # aware; None = resolved on the spot
    rows: tuple[HandOverRow, ...]
    processing_unit: str = ""  # "Cơ quan (bộ phận) giải quyết hồ sơ"
    coordinating_unit: str = ""  # "Cơ quan phối hợp giải quyết hồ sơ"; '' omits it
    blank_rows: int = 0  # empty rows added after *rows* for later hand-overs


def _hand_over_table(data: ControlSheetData, setup: PageSetup, st: Styles) -> Table:
    g = setup.sp
    w = setup.frame_width
    widths = [0.30, 0.17, 0.17, 0.19, 0.17]
    cols = [w * f for f in widths]
    cell, center, head = st.table_cell, st.table_cell_center, st.table_head
    sign_h = g(15 * mm)
    label = stringWidth("2. ", cell.fontName, cell.fontSize)
    hanging = cell.clone(f"{cell.name}-hanging", leftIndent=label, firstLineIndent=-label)

    data_rows: list[list[Any]] = [
        [Paragraph(para(HEAD_UNITS), head), Paragraph(para(HEAD_TIME), head), "",
         Paragraph(_break_after_slashes(HEAD_RESULT), head), Paragraph(para(HEAD_NOTE), head)],
        ["", Paragraph(para(HEAD_GIVER), head), Paragraph(para(HEAD_RECEIVER), head), "", ""],
    ]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (2, 0)),
        ("SPAN", (3, 0), (3, 1)),
        ("SPAN", (4, 0), (4, 1)),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), g(4)),
        ("RIGHTPADDING", (0, 0), (-1, -1), g(4)),
        ("TOPPADDING", (0, 0), (-1, -1), g(2)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), g(3)),
    ]
    rows = list(data.rows) + [HandOverRow("", "")] * max(0, data.blank_rows)
    for r in rows:
        top = len(data_rows)
        giver = nfc(r.from_unit).strip() or "." * 20
        receiver = nfc(r.to_unit).strip() or "." * 20
        units = [Paragraph(f"1. Giao: {para(giver)}", hanging),
                 Paragraph(f"2. Nhận: {para(receiver)}", hanging)]
        when = format_vn_moment(r.handed_at) if r.handed_at is not None else BLANK_TIME
        # "10 giờ 40 phút," over "ngày 20/11/2026": never broken mid-date.
        clock, _, day = when.partition(", ")
        data_rows.append(
            [units, Paragraph(f"{para(clock)},<br/>{para(day)}", center), "",
             Paragraph(para(nfc(r.result).strip()), center),
             Paragraph(para(nfc(r.note).strip()), cell)]
        )
        data_rows.append(
            [
                "",
                _signature_cell(r.giver_name, sign_h, st),
                _signature_cell(r.receiver_name, sign_h, st),
                "",
                "",
            ]
        )
        commands += [
            ("SPAN", (0, top), (0, top + 1)),
            ("SPAN", (1, top), (2, top)),
            ("SPAN", (3, top), (3, top + 1)),
            ("SPAN", (4, top), (4, top + 1)),
            ("VALIGN", (3, top), (3, top), "MIDDLE"),
            ("VALIGN", (1, top + 1), (2, top + 1), "BOTTOM"),
        ]
    table = Table(data_rows, colWidths=cols, repeatRows=2, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _break_after_slashes(text: str) -> str:
    """"(Trước hạn/Đúng hạn/Quá hạn)" stacked one choice per line in a
    narrow header cell, instead of broken inside a choice."""
    head, _, choices = nfc(text).partition(" (")
    if not choices:
        return para(text)
    return f"{para(head)}<br/>(" + "/<br/>".join(para(c) for c in choices.split("/"))


def _signature_cell(name: str, height: float, st: Styles) -> Flowable | list[Flowable]:
    """Blank space to sign, with the name under it when known."""
    text = nfc(name).strip()
    if not text:
        return Spacer(1, height)
    return [Spacer(1, height), Paragraph(para(text), st.table_cell_center)]


def _story(data: ControlSheetData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    code = nfc(data.code).strip()
    story = form_opening(data, TITLE, setup, gap_before=14, gap_after=6)
    story += [
        Code128(
            code,
            width=min(setup.frame_width - g(8 * mm), g(92 * mm)),
            bar_height=g(12 * mm),
            font_size=setup.pt(10.5),
        ),
        Spacer(1, g(8)),
        field("Mã hồ sơ:", code, setup, bold_value=True),
        Paragraph(
            f"Chủ hồ sơ: Ông/Bà <b>{para(nfc(data.owner_name).strip())}</b>", st.body_left
        ),
        field("Địa chỉ:", data.owner_address, setup),
        Paragraph(
            f"Thủ tục hành chính: <b>{para(nfc(data.procedure_name).strip())}</b>"
            f" (Mã TTHC: {para(nfc(data.procedure_code).strip())})",
            st.body,
        ),
        field("Thời gian nhận hồ sơ:", format_vn_moment(data.received_at), setup),
        field(
            "Thời gian hẹn trả kết quả:",
            format_vn_moment(data.due_at) if data.due_at is not None
            else "Giải quyết và trả kết quả ngay khi tiếp nhận",
            setup,
            bold_value=True,
        ),
    ]
    if nfc(data.processing_unit).strip():
        story.append(field("Cơ quan (bộ phận) giải quyết hồ sơ:", data.processing_unit, setup))
    if nfc(data.coordinating_unit).strip():
        story.append(field("Cơ quan phối hợp giải quyết hồ sơ:", data.coordinating_unit, setup))
    story.append(Spacer(1, g(8)))
    story.append(_hand_over_table(data, setup, st))
    return story


def _continuation_mark(setup: PageSetup, code: str) -> PageHook:
    """Pages after the first carry the dossier code, so a loose sheet can be
    matched with its dossier."""

    def hook(canv: Canvas, doc: BaseDocTemplate) -> None:
        if canv.getPageNumber() == 1:
            return
        canv.saveState()
        canv.setFont(SERIF_ITALIC, setup.pt(10.5))
        canv.drawString(
            setup.left,
            setup.height - setup.top + setup.sp(7),
            nfc(f"Phiếu kiểm soát quá trình giải quyết hồ sơ {code} (tiếp theo)"),
        )
        canv.restoreState()

    return hook


def render_control_sheet(data: ControlSheetData, *, page_size: str = "A4") -> bytes:
    """Form 06 as PDF bytes; a long hand-over table flows on with its header."""
    setup = page_setup(page_size)
    code = nfc(data.code).strip()
    return render_form(
        _story(data, setup),
        setup,
        data,
        title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ - {code}",
        subject=data.procedure_name,
        on_page_end=_continuation_mark(setup, code),
    )


__all__ = [
    "HEAD_GIVER",
    "HEAD_NOTE",
    "HEAD_RECEIVER",
    "HEAD_RESULT",
    "HEAD_TIME",
    "HEAD_UNITS",
    "RESULTS",
    "TITLE",
    "ControlSheetData",
    "HandOverRow",
    "render_control_sheet",
]

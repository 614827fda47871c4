"""Form 07: Sổ theo dõi hồ sơ (the dossier register) for a date range.

Landscape A4, one ruled row per dossier, the column header and the column
numbers (1)...(15) repeated on every page, "Trang x/y" in the foot.  Made for
thousands of rows: every cell is a plain pre-wrapped string (no paragraphs)
and one platypus Table splits itself across the pages, so 2,000 dossiers
take about two seconds.

Pure function of its data: :func:`render_register` returns PDF bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.worktime import AGENCY_TZ, format_vn_date
from printing.body import wrap_lines
from printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from printing.heading import header_block
from printing.page import PageSetup, landscape_setup
from printing.pdf import PageCountHook, render_form
from printing.signatures import Signatory, signature_block
from printing.styles import make_styles
from printing.text import nfc, para, place_date_line, two_digits

TITLE = "SỔ THEO DÕI HỒ SƠ"
HEADERS = (
    "STT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân/tổ chức",
    "Địa chỉ",
    "Số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ",
    "Ngày nhận kết quả",
    "Ngày trả kết quả",
    "Ký nhận",
    "Ghi chú",
)
ON_THE_SPOT = "Trả ngay"
EMPTY = "Không có hồ sơ nào trong khoảng thời gian này."
FONT_SIZE = 8.5  # on A4; scaled with the page like every other size
PAD = 2.5


@dataclass(frozen=True)
class RegisterRow:
    """One dossier in the register."""

    code: str
    procedure_name: str
    sets: int  # number of sets (bộ)
    owner_name: str
    owner_address: str
    owner_phone: str
    processing_agency: str  # "Cơ quan chủ trì giải quyết"
    received_at: datetime  # aware
    due_at: datetime | None  # aware; None = resolved on the spot
    forwarded_at: datetime | None = None  # sent to the processing body
    result_received_at: datetime | None = None  # result back at the counter
    returned_at: datetime | None = None  # result handed to the applicant
    note: str = ""


@dataclass(frozen=True)
class RegisterData:
    """Form 07: the register of dossiers received from *date_from* to *date_to*."""

    parent_agency_name: str
    agency_name: str
    place_name: str
    issued_at: datetime  # aware; the date the register is printed (signed)
    date_from: date
    date_to: date
    rows: Sequence[RegisterRow]  # in register order (STT is the position)
    register_book: str = ""  # "Quyển số"; '' omits the line
    signer_title: str = "NGƯỜI LẬP SỔ"
    signer_name: str = ""


def _moment(value: datetime | None) -> str:
    """Date over time ("23/11/2026" / "09:15"), agency time; '' for None."""
    if value is None:
        return ""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Thời điểm phải có múi giờ (aware datetime)")
    local = value.astimezone(AGENCY_TZ)
    return f"{format_vn_date(local.date())}\n{local:%H:%M}"


def column_widths(rows: Sequence[RegisterRow], setup: PageSetup) -> list[float]:
    """Fixed columns as wide as their longest content (codes stay on one
    line), the rest of the frame shared by the free-text columns."""
    size, pad, k = setup.pt(FONT_SIZE), setup.sp(PAD), setup.scale

    def fit(texts: Sequence[str], lo: float, hi: float, column: int) -> float:
        widest = max((stringWidth(t, SERIF, size) for t in texts), default=0.0)
        # No header word may be broken either.
        head = max(stringWidth(w, SERIF_BOLD, size) for w in HEADERS[column].split())
        return max(min(hi * k, max(lo * k, widest)), head) + 2 * pad + 0.5

    stt = fit([str(len(rows))], 14, 26, 0)
    code = fit([nfc(r.code).strip() for r in rows] or ["H15.50.05.13-261122-0001"], 50, 40 * mm, 1)
    sets = fit(["00"], 24, 30, 3)
    phone = fit([nfc(r.owner_phone).strip() for r in rows], 34, 54, 6)
    day = max(fit(["00/00/0000"], 34, 54, i) for i in range(8, 13))
    sign = fit([], 30, 30, 13)
    fixed = stt + code + sets + phone + 5 * day + sign
    rest = setup.frame_width - fixed
    share = {"procedure": 0.26, "owner": 0.18, "address": 0.22, "agency": 0.20, "note": 0.14}
    free = {k: rest * v for k, v in share.items()}
    return [
        stt, code, free["procedure"], sets, free["owner"], free["address"], phone,
        free["agency"], day, day, day, day, day, sign, free["note"],
    ]


def _row_cells(
    index: int, r: RegisterRow, widths: Sequence[float], size: float, pad: float
) -> list[str]:
    texts = [
        str(index),
        nfc(r.code).strip(),
        nfc(r.procedure_name).strip(),
        two_digits(r.sets) if r.sets > 0 else "",
        nfc(r.owner_name).strip(),
        nfc(r.owner_address).strip(),
        nfc(r.owner_phone).strip(),
        nfc(r.processing_agency).strip(),
        _moment(r.received_at),
        _moment(r.due_at) if r.due_at is not None else ON_THE_SPOT,
        _moment(r.forwarded_at),
        _moment(r.result_received_at),
        _moment(r.returned_at),
        "",
        nfc(r.note).strip(),
    ]
    out: list[str] = []
    for text, w in zip(texts, widths, strict=True):
        if not text or ("\n" not in text and stringWidth(text, SERIF, size) <= w - 2 * pad):
            out.append(text)
        else:
            out.append("\n".join(wrap_lines(text, SERIF, size, w - 2 * pad)))
    return out


def _register_table(data: RegisterData, setup: PageSetup) -> Table:
    st = make_styles(setup)
    widths = column_widths(data.rows, setup)
    size, pad, leading = setup.pt(FONT_SIZE), setup.sp(PAD), setup.pt(FONT_SIZE) * 1.165
    head_style = st.table_head.clone(
        f"qmc-{setup.name}-register-head", fontSize=size, leading=size * 1.15
    )
    table_rows: list[list[Any]] = [
        [Paragraph(para(h), head_style) for h in HEADERS],
        [f"({i})" for i in range(1, len(HEADERS) + 1)],
    ]
    table_rows += [
        _row_cells(i, r, widths, size, pad) for i, r in enumerate(data.rows, start=1)
    ]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, 1), SERIF_ITALIC, size - 0.5, leading),
        ("FONT", (0, 2), (-1, -1), SERIF, size, leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (0, 1), (-1, 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), setup.sp(1.5)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), setup.sp(2.5)),
    ]
    for col in (0, 3, 6, 8, 9, 10, 11, 12):
        commands.append(("ALIGN", (col, 2), (col, -1), "CENTER"))
    if not data.rows:
        table_rows.append([EMPTY] + [""] * (len(HEADERS) - 1))
        commands += [("SPAN", (0, 2), (-1, 2)), ("ALIGN", (0, 2), (-1, 2), "CENTER")]
    table = Table(table_rows, colWidths=widths, repeatRows=2, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def period_text(date_from: date, date_to: date) -> str:
    """"Từ ngày 01/11/2026 đến ngày 30/11/2026" (one date when equal)."""
    if date_from > date_to:
        raise ValueError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc")
    if date_from == date_to:
        return f"Ngày {format_vn_date(date_from)}"
    return f"Từ ngày {format_vn_date(date_from)} đến ngày {format_vn_date(date_to)}"


def _footer(setup: PageSetup, period: str) -> PageCountHook:
    size = setup.pt(9)
    y = setup.bottom - setup.sp(7 * mm)

    def draw(canv: Canvas, page: int, total: int) -> None:
        canv.setFont(SERIF_ITALIC, size)
        canv.drawString(setup.left, y, nfc(f"Sổ theo dõi hồ sơ - {period}"))
        canv.setFont(SERIF, size)
        canv.drawRightString(setup.width - setup.right, y, f"Trang {page}/{total}")

    return draw


def _story(data: RegisterData, setup: PageSetup, period: str) -> list[Flowable]:
    st = make_styles(setup)
    story: list[Flowable] = [
        header_block(data.parent_agency_name, data.agency_name, setup),
        Spacer(1, 8),
        Paragraph(para(TITLE), st.title),
        Paragraph(para(period), st.subtitle),
    ]
    book = nfc(data.register_book).strip()
    if book:
        story.append(Paragraph(f"Quyển số: {para(book)}", st.body_center))
    story += [Spacer(1, 8), _register_table(data, setup)]
    story.append(
        KeepTogether(
            [
                Spacer(1, 10),
                signature_block(
                    None,
                    Signatory(
                        data.signer_title,
                        nfc(data.signer_name).strip(),
                        above=place_date_line(data.place_name, data.issued_at),
                    ),
                    setup,
                    space=18 * mm,
                ),
            ]
        )
    )
    return story


def render_register(data: RegisterData, *, page_size: str = "A4") -> bytes:
    """Form 07 as PDF bytes: *page_size* turned to landscape."""
    setup = landscape_setup(page_size)
    period = period_text(data.date_from, data.date_to)
    return render_form(
        _story(data, setup, period),
        setup,
        data,
        title=f"Sổ theo dõi hồ sơ - {period}",
        subject="Sổ theo dõi hồ sơ",
        page_count_hook=_footer(setup, period),
    )


__all__ = [
    "HEADERS",
    "ON_THE_SPOT",
    "TITLE",
    "RegisterData",
    "RegisterRow",
    "column_widths",
    "period_text",
    "render_register",
]

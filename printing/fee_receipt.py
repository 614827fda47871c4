"""Biên lai thu tiền phí, lệ phí (fee receipt), paper version.

Layout of the paper receipt templates (Circular 303/2016/TT-BTC, Decree
11/2020): the collecting unit and its tax code, the template number
("Mẫu số"), series ("Ký hiệu") and number ("Số") at the top right, the
payer, the fee items with their amounts, the total in figures and in words,
the payment method, the date and the two signatures.  One copy (liên) per
page: "Liên 1: Lưu" stays with the collector, "Liên 2: Giao người nộp" goes
to the payer.

Pure function of its data: :func:`render_fee_receipt` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing.body import document_table, field
from printing.heading import agency_heading
from printing.page import PageSetup, page_setup
from printing.pdf import render_form
from printing.signatures import Signatory, signature_block
from printing.styles import make_styles
from printing.text import nfc, para, place_date_line
from printing.vn_words import amount_in_words, format_vnd

TITLE = "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ"
LABEL_KEEP = "Liên 1: Lưu"
LABEL_GIVE = "Liên 2: Giao người nộp"
LABEL_SINGLE = "Giao người nộp"


@dataclass(frozen=True)
class FeeLine:
    """One fee item: its name (e.g. "Lệ phí đăng ký kết hôn") and amount in đồng."""

    name: str
    amount: int


@dataclass(frozen=True)
class FeeReceiptData:
    """The paper fee receipt for one payment on a dossier."""

    parent_agency_name: str
    agency_name: str
    place_name: str
    issued_at: datetime  # aware; the date of payment
    code: str  # dossier code the payment belongs to
    collecting_unit: str  # "Đơn vị thu phí, lệ phí"; '' means the agency itself
    tax_code: str  # "Mã số thuế" of the collecting unit
    template_number: str  # "Mẫu số", e.g. "01BLP2-001"
    series: str  # "Ký hiệu", e.g. "AA-26P"
    receipt_number: str  # "Số", e.g. "0000123"
    payer_name: str
    payer_address: str
    lines: tuple[FeeLine, ...]
    payment_method: str  # "Tiền mặt" / "Chuyển khoản"
    collector_name: str  # who collects (signs "Người thu tiền")
    procedure_name: str = ""  # printed as "Nội dung thu" when given

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def copy_labels(copies: int) -> tuple[str, ...]:
    """The "liên" label printed on each copy."""
    if copies == 1:
        return (LABEL_SINGLE,)
    if copies == 2:
        return (LABEL_KEEP, LABEL_GIVE)
    raise ValueError(f"Số liên phải là 1 hoặc 2, nhận được {copies}")


def _top(data: FeeReceiptData, setup: PageSetup) -> Table:
    """Agency header on the left; template, series and number on the right."""
    st = make_styles(setup)
    number = nfc(data.receipt_number).strip() or "." * 12
    right_lines = [
        f"Mẫu số: {para(nfc(data.template_number).strip() or '.' * 12)}",
        f"Ký hiệu: {para(nfc(data.series).strip() or '.' * 12)}",
        f"Số: <b>{para(number)}</b>",
    ]
    right: list[Flowable] = [Paragraph(line, st.body_left) for line in right_lines]
    w = setup.frame_width
    rw = setup.sp(55 * mm)
    lw = w - rw
    gap = setup.sp(8 * mm)
    head = agency_heading(data.parent_agency_name, data.agency_name, setup, lw - gap)
    table = Table([[head, right]], colWidths=[lw, rw])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _over_right_half(text: str, setup: PageSetup) -> Table:
    """*text* in italics, centred over the right signature column."""
    w = setup.frame_width
    table = Table(
        [["", Paragraph(para(text), make_styles(setup).italic_center)]], colWidths=[w / 2, w / 2]
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), setup.sp(2)),
            ]
        )
    )
    return table


def _copy_story(data: FeeReceiptData, label: str, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    w = setup.frame_width
    unit = nfc(data.collecting_unit).strip() or nfc(data.agency_name).strip()
    total = data.total
    story: list[Flowable] = [
        _top(data, setup),
        Spacer(1, g(16)),
        Paragraph(para(TITLE), st.title),
        Paragraph(f"({para(label)})", st.italic_center),
        Spacer(1, g(12)),
        field("Đơn vị thu phí, lệ phí:", unit, setup),
        field("Mã số thuế:", data.tax_code, setup),
        Paragraph(
            f"Họ và tên người nộp tiền: <b>{para(nfc(data.payer_name).strip())}</b>",
            st.body_left,
        ),
        field("Địa chỉ:", data.payer_address, setup),
        field("Mã hồ sơ:", data.code, setup, bold_value=True),
    ]
    procedure = nfc(data.procedure_name).strip()
    if procedure:
        purpose = f"Phí, lệ phí giải quyết thủ tục {procedure}"
        story.append(field("Nội dung thu:", purpose, setup, style=st.body))
    story.append(Spacer(1, g(6)))
    rows: list[list[Any]] = [
        [str(i), nfc(line.name).strip(), format_vnd(line.amount)]
        for i, line in enumerate(data.lines, start=1)
    ]
    rows.append(
        [
            Paragraph("<b>Tổng cộng</b>", st.table_cell_right),
            "",
            Paragraph(f"<b>{format_vnd(total)}</b>", st.table_cell_right),
        ]
    )
    amount_w = g(40 * mm)
    table = document_table(
        ["STT", "Tên loại phí/lệ phí", "Số tiền (đồng)"],
        rows,
        setup,
        widths=[g(14 * mm), w - g(14 * mm) - amount_w, amount_w],
        aligns=["center", "left", "right"],
    )
    table.setStyle(TableStyle([("SPAN", (0, -1), (1, -1))]))
    story.append(table)
    story.append(Spacer(1, g(6)))
    story.append(Paragraph(f"Tổng số tiền: <b>{format_vnd(total)} đồng</b>", st.body_left))
    story.append(Paragraph(f"Bằng chữ: <i>{para(amount_in_words(total))}.</i>", st.body_left))
    story.append(field("Hình thức thanh toán:", data.payment_method, setup))
    story.append(
        KeepTogether(
            [
                Spacer(1, g(8)),
                _over_right_half(place_date_line(data.place_name, data.issued_at), setup),
                signature_block(
                    Signatory("NGƯỜI NỘP TIỀN", nfc(data.payer_name).strip()),
                    Signatory("NGƯỜI THU TIỀN", nfc(data.collector_name).strip()),
                    setup,
                    space=20 * mm,
                ),
            ]
        )
    )
    return story


def render_fee_receipt(data: FeeReceiptData, *, copies: int = 2, page_size: str = "A4") -> bytes:
    """The fee receipt as PDF bytes: one copy (liên) per page, *copies* 1 or 2."""
    labels = copy_labels(copies)
    if any(line.amount < 0 for line in data.lines):
        raise ValueError("Số tiền phí, lệ phí không được âm")
    setup = page_setup(page_size)
    story: list[Flowable] = []
    for i, label in enumerate(labels):
        if i:
            story.append(PageBreak())
        story.extend(_copy_story(data, label, setup))
    title = f"Biên lai thu tiền phí, lệ phí - Số {nfc(data.receipt_number).strip()}"
    return render_form(story, setup, data, title=title, subject=data.code)


__all__ = [
    "LABEL_GIVE",
    "LABEL_KEEP",
    "LABEL_SINGLE",
    "TITLE",
    "FeeLine",
    "FeeReceiptData",
    "copy_labels",
    "render_fee_receipt",
]

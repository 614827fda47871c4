"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment).

Circular 01/2018/TT-VPCP, Mẫu số 01, carried into Circular 03/2025/TT-VPCP.
One copy (liên) per page: "Liên 1: Lưu" stays with the counter, "Liên 2: Giao
người nộp hồ sơ" goes to the applicant.  Each copy carries the dossier code
as text, as a Code128 barcode (read by the counter's scanner when the
applicant comes back) and a QR code (*qr_payload*: the counter's signed
statement, docs/signed-receipt.md, inside the look-up link when one is set).

Pure function of its data: :func:`render_receipt` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.worktime import format_vn_moment
from printing.barcodes import Code128, QRCode
from printing.body import document_table, field
from printing.fonts import SERIF, SERIF_ITALIC
from printing.heading import header_block
from printing.page import PageSetup, page_setup, scaled
from printing.pdf import PageHook, build_pdf
from printing.signatures import Signatory, signature_block
from printing.styles import make_styles
from printing.text import nfc, para, two_digits

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
LABEL_KEEP = "Liên 1: Lưu"
LABEL_GIVE = "Liên 2: Giao người nộp hồ sơ"
LABEL_SINGLE = "Giao người nộp hồ sơ"
ON_THE_SPOT = "Giải quyết và trả kết quả ngay khi tiếp nhận"
NO_DOCUMENTS = "Không có giấy tờ kèm theo"
FOOTER = "Khi đến nhận kết quả, vui lòng mang theo Giấy tiếp nhận này và giấy tờ tùy thân."


@dataclass(frozen=True)
class ReceiptDocument:
    name: str
    originals: int
    certified_copies: int
    copies: int


@dataclass(frozen=True)
class ReceiptData:
    code: str  # dossier code, e.g. "H15.50.05.13-261122-0001"
    parent_agency_name: str  # e.g. "Ủy ban nhân dân tỉnh Lào Cai"
    agency_name: str  # e.g. "Ủy ban nhân dân xã Tân Lập"
    receiving_unit: str  # e.g. "Bộ phận Một cửa - Quầy số 1"
    register_book: str  # "Quyển số", e.g. "01/2026"
    register_number: int  # "Số thứ tự" in the register
    owner_name: str
    owner_id_number: str
    owner_address: str
    owner_phone: str
    owner_email: str
    submitter_name: str | None  # None when the owner submitted in person
    procedure_code: str
    procedure_name: str
    documents: tuple[ReceiptDocument, ...]
    sets: int
    processing_text: str  # "05 ngày làm việc", "Giải quyết ngay trong ngày", ...
    received_at: datetime  # timezone-aware
    due_at: datetime | None  # None = resolved on the spot (no appointment)
    collection_text: str  # where to collect the result
    officer_name: str
    late_entry: bool  # "nhập bù": recorded later than received
    note: str
    qr_payload: str  # text to encode in the QR code (printing.receipts.signed_qr_payload)


def copy_labels(copies: int) -> tuple[str, ...]:
    """The "liên" label printed on each copy."""
    if copies == 1:
        return (LABEL_SINGLE,)
    if copies == 2:
        return (LABEL_KEEP, LABEL_GIVE)
    raise ValueError(f"Số liên phải là 1 hoặc 2, nhận được {copies}")


def _count(n: int) -> str:
    return two_digits(n) if n > 0 else ""


def _same_person(a: str, b: str) -> bool:
    return " ".join(nfc(a).casefold().split()) == " ".join(nfc(b).casefold().split())


class _CopyStart(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Invisible marker: tells the page hook which copy the page belongs to."""

    def __init__(self, state: dict[str, Any], label: str) -> None:
        super().__init__()
        self._state = state
        self._label = label
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._state["label"] = self._label
        self._state["start_page"] = self.canv.getPageNumber()


def _page_marks(setup: PageSetup, code: str, state: dict[str, Any]) -> PageHook:
    """Page-end hook: the liên label at the top right of each copy's first
    page (on continuation pages also the dossier code, so loose sheets can be
    matched up) and the reminder line at the foot of every page."""
    size = setup.pt(12)
    small = setup.pt(10.5)
    footer = nfc(FOOTER)

    def hook(canv: Canvas, doc: BaseDocTemplate) -> None:
        label = state.get("label")
        if not label:
            return
        page_in_copy = canv.getPageNumber() - state["start_page"] + 1
        state["max_pages"] = max(state.get("max_pages", 1), page_in_copy)
        y = setup.height - setup.top + setup.sp(7)
        x_right = setup.width - setup.right
        canv.saveState()
        if canv.getPageNumber() == state.get("start_page"):
            canv.setFont(SERIF_ITALIC, size)
            canv.drawRightString(x_right, y, nfc(label))
        else:
            canv.setFont(SERIF_ITALIC, small)
            canv.drawRightString(x_right, y, nfc(f"{label} (tiếp theo)"))
            canv.setFont(SERIF, small)
            canv.drawString(setup.left, y, nfc(f"Mã hồ sơ: {code}"))
        # The reminder sits in the bottom margin of every page of the copy.
        canv.setFont(SERIF_ITALIC, small)
        canv.drawCentredString(
            setup.left + setup.frame_width / 2, setup.bottom - setup.sp(7 * mm), footer
        )
        canv.restoreState()

    return hook


def _title_markup(width: float, style: ParagraphStyle) -> str:
    """The title on one line, or (narrow paper) broken into two balanced
    lines rather than leaving one word alone on the second."""
    title = nfc(TITLE)
    if stringWidth(title, style.fontName, style.fontSize) <= width:
        return para(title)
    first, _, second = title.partition(" VÀ ")
    return f"{para(first)}<br/>VÀ {para(second)}"


def _copy_story(data: ReceiptData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    w = setup.frame_width
    code = nfc(data.code).strip()
    story: list[Flowable] = []

    story.append(header_block(data.parent_agency_name, data.agency_name, setup))
    story.append(Spacer(1, g(5)))
    story.append(Paragraph(f"Mã hồ sơ: <b>{para(code)}</b>", st.header_extra))

    # Title and barcode centred on the page, the QR code in the right margin
    # column; an equally wide empty column on the left keeps them centred.
    qr_size = g(22 * mm)
    side = qr_size + g(2 * mm)
    middle = w - 2 * side
    title_cell: list[Flowable] = [
        Spacer(1, g(3)),
        Paragraph(_title_markup(middle, st.title), st.title),
        Spacer(1, g(6)),
        Code128(
            code,
            width=min(middle - g(4 * mm), g(92 * mm)),
            bar_height=g(12 * mm),
            font_size=setup.pt(10.5),
        ),
    ]
    top = Table(
        [["", title_cell, QRCode(nfc(data.qr_payload), size=qr_size, h_align="RIGHT")]],
        colWidths=[side, middle, side],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(top)
    story.append(Spacer(1, g(6)))

    story.append(field("Bộ phận tiếp nhận và trả kết quả:", data.receiving_unit, setup))
    story.append(
        Paragraph(
            f"Tiếp nhận hồ sơ của: Ông/Bà <b>{para(nfc(data.owner_name).strip())}</b>",
            st.body_left,
        )
    )
    submitter = nfc(data.submitter_name or "").strip()
    shown_submitter = "" if _same_person(submitter, data.owner_name) else submitter
    if shown_submitter:
        story.append(field("Người nộp hồ sơ:", f"Ông/Bà {shown_submitter}", setup))
    story.append(field("Số giấy tờ tùy thân:", data.owner_id_number, setup))
    story.append(field("Địa chỉ:", data.owner_address, setup))
    phone = nfc(data.owner_phone).strip() or "." * 30
    email = nfc(data.owner_email).strip() or "." * 30
    story.append(
        Paragraph(
            f"Số điện thoại: {para(phone)}&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;Email: {para(email)}",
            st.body_left,
        )
    )
    story.append(
        Paragraph(
            f"Nội dung yêu cầu giải quyết: <b>{para(nfc(data.procedure_name).strip())}</b>"
            f" (Mã TTHC: {para(nfc(data.procedure_code).strip())})",
            st.body,
        )
    )

    story.append(Paragraph("1. Thành phần hồ sơ nộp gồm:", st.body_left))
    rows = [
        [
            str(i),
            nfc(doc.name).strip(),
            _count(doc.originals),
            _count(doc.certified_copies),
            _count(doc.copies),
        ]
        for i, doc in enumerate(data.documents, start=1)
    ]
    story.append(
        document_table(
            ["STT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản photo"],
            rows,
            setup,
            widths=[
                g(11 * mm),
                w - g(11 * mm) - g(19 * mm) - g(24 * mm) - g(19 * mm),
                g(19 * mm),
                g(24 * mm),
                g(19 * mm),
            ],
            aligns=["center", "left", "center", "center", "center"],
            empty_text=NO_DOCUMENTS,
        )
    )
    story.append(Spacer(1, g(4)))

    received = format_vn_moment(data.received_at)
    due = (
        f"<b>{para(format_vn_moment(data.due_at))}</b>"
        if data.due_at is not None
        else f"<b>{para(ON_THE_SPOT)}</b>"
    )
    story.append(Paragraph(f"2. Số lượng hồ sơ: {two_digits(data.sets)} (bộ)", st.body_left))
    story.append(field("3. Thời gian giải quyết hồ sơ theo quy định:", data.processing_text, setup))
    story.append(Paragraph(f"4. Thời gian nhận hồ sơ: {para(received)}", st.body_left))
    story.append(Paragraph(f"5. Thời gian trả kết quả giải quyết hồ sơ: {due}", st.body_left))
    story.append(field("6. Đăng ký nhận kết quả tại:", data.collection_text, setup))
    story.append(
        Paragraph(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {para(nfc(data.register_book).strip())},"
            f" Số thứ tự: {para(two_digits(data.register_number))}",
            st.body_left,
        )
    )
    note = nfc(data.note).strip()
    if note:
        story.append(Paragraph(f"<i>Ghi chú:</i> {para(note)}", st.body))
    if data.late_entry:
        story.append(
            Paragraph(
                para(
                    f"Hồ sơ nhập bù: tiếp nhận trên giấy lúc {received}, "
                    "thông tin được nhập vào máy sau."
                ),
                st.small_italic,
            )
        )

    submitter_signs = shown_submitter or nfc(data.owner_name).strip()
    closing: list[Flowable] = [
        Spacer(1, g(8)),
        signature_block(
            Signatory("NGƯỜI NỘP HỒ SƠ", submitter_signs),
            Signatory("NGƯỜI TIẾP NHẬN HỒ SƠ", nfc(data.officer_name).strip()),
            setup,
            space=20 * mm,
        ),
    ]
    story.append(KeepTogether(closing))
    return story


#: Font/spacing factors tried in turn until each copy fits on one page; if
#: none does (a very long document list) the last one flows onto more pages.
FIT_FACTORS = (1.0, 0.92, 0.85)


def _render(data: ReceiptData, labels: tuple[str, ...], setup: PageSetup) -> tuple[bytes, int]:
    """The PDF and the largest number of pages any copy took."""
    code = nfc(data.code).strip()
    state: dict[str, Any] = {}
    story: list[Flowable] = []
    for i, label in enumerate(labels):
        if i:
            story.append(PageBreak())
        story.append(_CopyStart(state, label))
        story.extend(_copy_story(data, setup))
    pdf = build_pdf(
        story,
        setup,
        title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {code}",
        author=nfc(data.agency_name),
        subject=nfc(data.procedure_name),
        on_page_end=_page_marks(setup, code, state),
    )
    return pdf, int(state.get("max_pages", 1))


def render_receipt(data: ReceiptData, *, copies: int = 2, page_size: str = "A4") -> bytes:
    """Form 01 as PDF bytes: one copy (liên) per page, *copies* 1 or 2.

    A copy that would spill onto a second page is set slightly smaller
    (down to 85 %) first; only a longer one flows on, with the dossier code
    and the liên repeated at the top of each continuation page.
    """
    labels = copy_labels(copies)
    base = page_setup(page_size)
    pdf = b""
    for factor in FIT_FACTORS:
        pdf, pages = _render(data, labels, scaled(base, factor))
        if pages == 1:
            break
    return pdf


__all__ = [
    "LABEL_GIVE",
    "LABEL_KEEP",
    "LABEL_SINGLE",
    "ON_THE_SPOT",
    "TITLE",
    "ReceiptData",
    "ReceiptDocument",
    "copy_labels",
    "render_receipt",
]

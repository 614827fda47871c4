"""Form 04: Văn bản xin lỗi và hẹn lại ngày trả kết quả (apology letter).

Sent by the processing body when a result will be late, at least one
working day before the due date; the return date may be reset only once.
An official letter: number, place and date, "Kính gửi", the facts of the
dossier (received, procedure, code, promised return), the reason for the
delay, the apology, the new return moment, "Nơi nhận" and the signature of
the head of the agency (possibly on behalf of the collective, "TM. ...").

Pure function of its data: :func:`render_extension` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.worktime import format_vn_date, format_vn_moment
from printing.heading import form_opening
from printing.page import PageSetup, page_setup
from printing.pdf import render_form
from printing.signatures import OFFICIAL_HINT, agency_signatory, closing_signature
from printing.styles import make_styles
from printing.text import nfc, para

TITLE = "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
DEFAULT_RECIPIENTS = ("Như trên", "Bộ phận Một cửa", "Lưu: VT")


@dataclass(frozen=True)
class ExtensionData:
    """Form 04: apology for a late result and the new return moment."""

    parent_agency_name: str
    agency_name: str  # the body that processes the dossier and apologises
    place_name: str
    issued_at: datetime  # aware; the letter's date
    code: str
    owner_name: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    received_at: datetime  # aware; when the dossier was received
    original_due_at: datetime  # aware; the return moment first promised
    delay_reason: str
    new_due_at: datetime  # aware; the new return moment
    signer_title: str  # e.g. "CHỦ TỊCH" or "PHÓ CHỦ TỊCH"
    signer_name: str
    signer_authority: str = ""  # e.g. "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH"; '' for none
    document_number: str = ""  # "Số: 15/UBND-VP"; '' leaves dots to fill in
    addressee: str = ""  # after "Kính gửi:"; '' means "Ông/Bà <owner_name>"
    processing_text: str = ""  # statutory time, e.g. "05 ngày làm việc"; '' omits it
    apology: str = ""  # replaces the standard apology sentence when given
    recipients: tuple[str, ...] = DEFAULT_RECIPIENTS  # "Nơi nhận"


def _story(data: ExtensionData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    agency = nfc(data.agency_name).strip()
    owner = nfc(data.owner_name).strip()
    addressee = nfc(data.addressee).strip() or f"Ông/Bà {owner}"
    new_due = format_vn_moment(data.new_due_at)
    story = form_opening(data, TITLE, setup, number=data.document_number)
    story += [
        Paragraph(f"Kính gửi: <b>{para(addressee)}</b>", st.body_center),
        Spacer(1, g(10)),
        Paragraph(
            f"Ngày {para(format_vn_date(data.received_at))}, {para(agency)} tiếp nhận hồ sơ của "
            f"Ông/Bà <b>{para(owner)}</b>, địa chỉ: {para(nfc(data.owner_address).strip())}, "
            "đề nghị giải quyết thủ tục hành chính: "
            f"<b>{para(nfc(data.procedure_name).strip())}</b>"
            f" (Mã TTHC: {para(nfc(data.procedure_code).strip())}).",
            st.letter,
        ),
        Paragraph(f"Mã hồ sơ: <b>{para(nfc(data.code).strip())}</b>", st.letter),
    ]
    processing = nfc(data.processing_text).strip()
    if processing:
        story.append(
            Paragraph(
                f"Thời hạn giải quyết hồ sơ theo quy định: {para(processing)}",
                st.letter,
            )
        )
    story.append(
        Paragraph(
            "Thời gian hẹn trả kết quả giải quyết hồ sơ: "
            f"{para(format_vn_moment(data.original_due_at))}",
            st.letter,
        )
    )
    story.append(
        Paragraph(
            f"Tuy nhiên đến nay, {para(agency)} chưa thể trả kết quả giải quyết hồ sơ "
            f"đúng hẹn cho Ông/Bà. Lý do: {para(nfc(data.delay_reason).strip())}",
            st.letter,
        )
    )
    apology = nfc(data.apology).strip() or (
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {agency} thành thật xin lỗi Ông/Bà "
        "và xin hẹn lại thời gian trả kết quả giải quyết hồ sơ."
    )
    story.append(Paragraph(para(apology), st.letter))
    story.append(
        Paragraph(f"Thời gian hẹn trả kết quả mới: <b>{para(new_due)}</b>.", st.letter)
    )
    story.append(Paragraph("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", st.letter))
    signer = agency_signatory(data.signer_authority, data.signer_title, data.signer_name)
    story.append(closing_signature(signer, setup, recipients=data.recipients))
    return story


def render_extension(data: ExtensionData, *, page_size: str = "A4") -> bytes:
    """Form 04 as PDF bytes."""
    setup = page_setup(page_size)
    title = f"Văn bản xin lỗi và hẹn lại ngày trả kết quả - {nfc(data.code).strip()}"
    return render_form(_story(data, setup), setup, data, title=title, subject=data.procedure_name)


__all__ = ["DEFAULT_RECIPIENTS", "OFFICIAL_HINT", "TITLE", "ExtensionData", "render_extension"]

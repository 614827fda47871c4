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

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.worktime import format_vn_date, format_vn_moment
from printing.house_style import (
    Signatory,
    build_pdf,
    document_head,
    make_styles,
    nfc,
    official_closing,
    page_setup,
    para,
    place_date_line,
)

TITLE = "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
OFFICIAL_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
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


def _story(data: ExtensionData, page_size: str) -> list[Flowable]:
    setup = page_setup(page_size)
    st = make_styles(setup)
    g = setup.sp
    agency = nfc(data.agency_name).strip()
    owner = nfc(data.owner_name).strip()
    addressee = nfc(data.addressee).strip() or f"Ông/Bà {owner}"
    new_due = format_vn_moment(data.new_due_at)
    story: list[Flowable] = [
        document_head(
            data.parent_agency_name,
            data.agency_name,
            setup,
            place_date=place_date_line(data.place_name, data.issued_at),
            number=data.document_number,
        ),
        Spacer(1, g(16)),
        Paragraph(para(TITLE), st.title),
        Spacer(1, g(12)),
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
    title = "\n".join(
        t for t in (nfc(data.signer_authority).strip(), nfc(data.signer_title).strip()) if t
    )
    story.append(
        KeepTogether(
            [
                Spacer(1, g(14)),
                official_closing(
                    data.recipients,
                    Signatory(title, nfc(data.signer_name).strip(), hint=OFFICIAL_HINT),
                    setup,
                ),
            ]
        )
    )
    return story


def render_extension(data: ExtensionData, *, page_size: str = "A4") -> bytes:
    """Form 04 as PDF bytes."""
    return build_pdf(
        _story(data, page_size),
        page_setup(page_size),
        title=f"Văn bản xin lỗi và hẹn lại ngày trả kết quả - {nfc(data.code).strip()}",
        author=nfc(data.agency_name),
        subject=nfc(data.procedure_name),
    )


__all__ = ["DEFAULT_RECIPIENTS", "OFFICIAL_HINT", "TITLE", "ExtensionData", "render_extension"]

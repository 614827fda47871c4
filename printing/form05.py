"""Form 05: Thông báo về việc dừng giải quyết hồ sơ (stop notice).

Tells the applicant that processing of a dossier has been stopped: which
dossier, the legal basis, the reason and what happens next (documents
returned, fees, how to apply again), signed for the agency like form 04.

Pure function of its data: :func:`render_stop_notice` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.worktime import format_vn_date
from printing.body import field
from printing.heading import form_opening
from printing.page import PageSetup, page_setup
from printing.pdf import render_form
from printing.signatures import agency_signatory, closing_signature
from printing.styles import make_styles
from printing.text import nfc, para

TITLE = "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ"
DEFAULT_RECIPIENTS = ("Như trên", "Bộ phận Một cửa", "Lưu: VT")


@dataclass(frozen=True)
class StopNoticeData:
    """Form 05: notice that processing of a dossier has been stopped."""

    parent_agency_name: str
    agency_name: str
    place_name: str
    issued_at: datetime  # aware
    code: str
    owner_name: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    received_at: datetime  # aware; when the dossier was received
    reason: str  # why processing stops
    legal_basis: str  # the provision that allows stopping, e.g. "khoản 2 Điều ..."
    signer_title: str  # e.g. "CHỦ TỊCH"
    signer_name: str
    signer_authority: str = ""  # e.g. "TM. ỦY BAN NHÂN DÂN"; '' for none
    document_number: str = ""  # "Số: 07/TB-UBND"; '' leaves dots to fill in
    addressee: str = ""  # after "Kính gửi:"; '' means "Ông/Bà <owner_name>"
    guidance: str = ""  # what happens next (documents returned, ...); '' omits it
    recipients: tuple[str, ...] = DEFAULT_RECIPIENTS  # "Nơi nhận"


def _story(data: StopNoticeData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    agency = nfc(data.agency_name).strip()
    owner = nfc(data.owner_name).strip()
    addressee = nfc(data.addressee).strip() or f"Ông/Bà {owner}"
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
        field("Căn cứ pháp lý:", data.legal_basis, setup, style=st.letter),
        Paragraph(
            f"{para(agency)} thông báo dừng giải quyết hồ sơ nêu trên.",
            st.letter,
        ),
        field("Lý do:", data.reason, setup, style=st.letter),
    ]
    if nfc(data.guidance).strip():
        story.append(Paragraph(para(nfc(data.guidance).strip()), st.letter))
    story.append(Paragraph(f"{para(agency)} thông báo để Ông/Bà được biết./.", st.letter))
    signer = agency_signatory(data.signer_authority, data.signer_title, data.signer_name)
    story.append(closing_signature(signer, setup, recipients=data.recipients))
    return story


def render_stop_notice(data: StopNoticeData, *, page_size: str = "A4") -> bytes:
    """Form 05 as PDF bytes."""
    setup = page_setup(page_size)
    title = f"Thông báo về việc dừng giải quyết hồ sơ - {nfc(data.code).strip()}"
    return render_form(_story(data, setup), setup, data, title=title, subject=data.procedure_name)


__all__ = ["DEFAULT_RECIPIENTS", "TITLE", "StopNoticeData", "render_stop_notice"]

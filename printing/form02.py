"""Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request).

Given to the applicant when a dossier is incomplete.  The counter must list
*everything* that is missing at once (Decree 61/2018, art. 19 as amended),
so the documents are a numbered list, followed by the reason, where the
applicant can read the rule ("Lý do/quy định tại"), who to ask, and the
signature of the officer who gave the guidance.

Pure function of its data: :func:`render_supplement_request` returns PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable, Paragraph, Spacer

from printing.body import field, numbered_items
from printing.heading import form_opening
from printing.page import PageSetup, page_setup
from printing.pdf import render_form
from printing.signatures import Signatory, closing_signature
from printing.styles import make_styles
from printing.text import nfc, para

TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
SIGNER_TITLE = "NGƯỜI HƯỚNG DẪN"


@dataclass(frozen=True)
class SupplementRequestData:
    """Form 02: what an incomplete dossier still needs, given in one go."""

    parent_agency_name: str  # e.g. "Ủy ban nhân dân tỉnh Lào Cai"
    agency_name: str  # e.g. "Ủy ban nhân dân xã Tân Lập"
    place_name: str  # e.g. "Tân Lập" (for "Tân Lập, ngày ... tháng ... năm ...")
    issued_at: datetime  # aware; the date printed on the slip
    code: str  # dossier code
    owner_name: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    documents: tuple[str, ...]  # what to supplement or complete, one per item
    reason: str  # why the dossier is not complete
    rules_reference: str  # "Lý do/quy định tại: ..." where the rule is written
    officer_name: str  # the officer who guides (signs)
    receiving_unit: str = ""  # e.g. "Bộ phận Một cửa - Quầy số 1"; '' omits the line
    owner_phone: str = ""
    contact_phone: str = ""  # the officer's phone for questions; '' omits it


def _story(data: SupplementRequestData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    owner = nfc(data.owner_name).strip()
    officer = nfc(data.officer_name).strip()
    story = form_opening(data, TITLE, setup)
    if nfc(data.receiving_unit).strip():
        story.append(field("Bộ phận tiếp nhận và trả kết quả:", data.receiving_unit, setup))
    story.append(Paragraph(f"Tiếp nhận hồ sơ của: Ông/Bà <b>{para(owner)}</b>", st.body_left))
    story.append(field("Địa chỉ:", data.owner_address, setup))
    if nfc(data.owner_phone).strip():
        story.append(field("Số điện thoại:", data.owner_phone, setup))
    story.append(
        Paragraph(
            f"Nội dung yêu cầu giải quyết: <b>{para(nfc(data.procedure_name).strip())}</b>"
            f" (Mã TTHC: {para(nfc(data.procedure_code).strip())})",
            st.body,
        )
    )
    story.append(field("Mã hồ sơ:", data.code, setup, bold_value=True))
    story.append(Spacer(1, g(6)))
    story.append(
        Paragraph("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", st.body_left)
    )
    story.extend(numbered_items(data.documents, setup))
    story.append(Spacer(1, g(4)))
    story.append(field("Lý do:", data.reason, setup, style=st.body))
    story.append(field("Lý do/quy định tại:", data.rules_reference, setup, style=st.body))
    story.append(Spacer(1, g(4)))
    contact = f"Ông/Bà {officer}" if officer else "." * 30
    phone = nfc(data.contact_phone).strip()
    if phone:
        contact += f", số điện thoại {phone}"
    story.append(
        Paragraph(
            "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà vui lòng "
            f"liên hệ {para(contact)} để được hướng dẫn.",
            st.body,
        )
    )
    story.append(closing_signature(Signatory(SIGNER_TITLE, officer), setup))
    return story


def render_supplement_request(data: SupplementRequestData, *, page_size: str = "A4") -> bytes:
    """Form 02 as PDF bytes (one copy; a very long list flows on)."""
    setup = page_setup(page_size)
    title = f"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ - {nfc(data.code).strip()}"
    return render_form(_story(data, setup), setup, data, title=title, subject=data.procedure_name)


__all__ = ["SIGNER_TITLE", "TITLE", "SupplementRequestData", "render_supplement_request"]

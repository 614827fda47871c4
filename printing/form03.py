"""Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal slip).

Given when a dossier cannot be accepted at all (not within the agency's
competence, a procedure that is not required, ...).  States who applied for
what, the legal ground, the numbered reasons for refusal and what the
applicant can do instead, signed by the officer who refused.

Pure function of its data: :func:`render_refusal` returns PDF bytes.
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

TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
SIGNER_TITLE = "NGƯỜI TIẾP NHẬN HỒ SƠ"
CLOSING = "Xin thông báo để Ông/Bà được biết và thực hiện./."


@dataclass(frozen=True)
class RefusalData:
    """Form 03: why the counter refuses to accept a dossier, and what next."""

    parent_agency_name: str
    agency_name: str
    place_name: str
    issued_at: datetime  # aware
    code: str  # dossier code ('' when none was allocated: the line is left out)
    owner_name: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    reasons: tuple[str, ...]  # reasons for refusal, numbered when more than one
    guidance: str  # what the applicant should do instead
    officer_name: str  # the officer who refuses (signs)
    legal_basis: str = ""  # "Căn cứ quy định tại ..."; '' omits the ground
    receiving_unit: str = ""  # e.g. "Bộ phận Một cửa - Quầy số 1"
    owner_phone: str = ""


def _story(data: RefusalData, setup: PageSetup) -> list[Flowable]:
    st = make_styles(setup)
    g = setup.sp
    owner = nfc(data.owner_name).strip()
    unit = nfc(data.receiving_unit).strip()
    story = form_opening(data, TITLE, setup)
    if unit:
        story.append(field("Bộ phận tiếp nhận và trả kết quả:", unit, setup))
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
    if nfc(data.code).strip():
        story.append(field("Mã hồ sơ:", data.code, setup, bold_value=True))
    story.append(Spacer(1, g(6)))

    who = unit or f"Bộ phận Một cửa - {nfc(data.agency_name).strip()}"
    basis = nfc(data.legal_basis).strip().rstrip(".,;")
    lead = f"Căn cứ quy định tại {basis}, {who}" if basis else who
    reasons = [nfc(r).strip() for r in data.reasons if nfc(r).strip()]
    if len(reasons) == 1:
        story.append(
            Paragraph(
                f"{para(lead)} từ chối tiếp nhận, giải quyết hồ sơ này vì lý do: "
                f"{para(reasons[0])}",
                st.body,
            )
        )
    else:
        story.append(
            Paragraph(
                f"{para(lead)} từ chối tiếp nhận, giải quyết hồ sơ này vì các lý do sau:", st.body
            )
        )
        story.extend(numbered_items(reasons, setup))
    story.append(Spacer(1, g(4)))
    story.append(field("Hướng dẫn:", data.guidance, setup, style=st.body))
    story.append(Paragraph(para(CLOSING), st.body))
    story.append(closing_signature(Signatory(SIGNER_TITLE, nfc(data.officer_name).strip()), setup))
    return story


def render_refusal(data: RefusalData, *, page_size: str = "A4") -> bytes:
    """Form 03 as PDF bytes."""
    setup = page_setup(page_size)
    # Named after the applicant: a refused dossier may have no code.
    title = f"Phiếu từ chối tiếp nhận giải quyết hồ sơ - {nfc(data.owner_name).strip()}"
    return render_form(_story(data, setup), setup, data, title=title, subject=data.procedure_name)


__all__ = ["CLOSING", "SIGNER_TITLE", "TITLE", "RefusalData", "render_refusal"]

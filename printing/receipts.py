"""Form 01 for a stored dossier: gathers what the slip shows, then renders it."""

import logging

from sqlmodel import Session

from app import settings
from app.device_key import signer_for
from app.dossiers import find_by_code
from app.profile import load_profile
from app.receipt_statement import build_statement, embed_in_url
from models.enums import CollectionMethod, ProcessingUnit
from models.tables import CounterProfile, Dossier
from printing.form01 import ReceiptData, ReceiptDocument, render_receipt

log = logging.getLogger("motcua.receipts")

_UNIT_TEXT = {
    ProcessingUnit.WORKING_DAYS: "ngày làm việc",
    ProcessingUnit.WORKING_HOURS: "giờ làm việc",
    ProcessingUnit.CALENDAR_DAYS: "ngày",
}


def processing_text(value: int, unit: str) -> str:
    if value == 0:
        return "Giải quyết ngay khi tiếp nhận"
    return f"{value:02d} {_UNIT_TEXT[ProcessingUnit(unit)]}"


def collection_text(dossier: Dossier, profile: CounterProfile) -> str:
    if dossier.collection_method == CollectionMethod.POST.value:
        return f"Qua dịch vụ bưu chính công ích, đến địa chỉ: {dossier.collection_address}"
    place = f"Bộ phận Một cửa - {profile.agency_name}"
    return f"{place}, {profile.agency_address}" if profile.agency_address else place


def qr_payload(code: str, url_template: str) -> str:
    """The unsigned QR text: what a slip carries when the device key cannot sign."""
    return url_template.replace("{code}", code) if url_template else code


def signed_qr_payload(session: Session, dossier: Dossier) -> str:
    """The signed statement (docs/signed-receipt.md), inside the look-up URL when one is set.

    Without a usable device key the slip is still printed (the citizen must
    not be sent away), with the bare code and a warning in the log; `motcua
    key show` tells the officer why.
    """
    template = settings.LOOKUP_URL_TEMPLATE.get(session)
    signer, status = signer_for(session)
    if signer is None:
        log.warning("Giấy hẹn %s in KHÔNG có chữ ký. %s", dossier.code, status.message)
        return qr_payload(dossier.code, template)
    statement = build_statement(dossier.code, dossier.received_at, dossier.due_at, dossier.owner_id_number,
                                signer.key_id, signer.sign)
    return embed_in_url(template, dossier.code, statement) if template else statement


def receipt_data(session: Session, code: str) -> ReceiptData:
    record = find_by_code(session, code)
    dossier, profile = record.dossier, load_profile(session)
    return ReceiptData(
        code=dossier.code,
        parent_agency_name=profile.parent_name,
        agency_name=profile.agency_name,
        receiving_unit=f"Bộ phận Một cửa - Quầy số {dossier.counter_number}",
        register_book=dossier.register_book,
        register_number=dossier.register_number,
        owner_name=dossier.owner_name,
        owner_id_number=dossier.owner_id_number,
        owner_address=dossier.owner_address,
        owner_phone=dossier.owner_phone,
        owner_email=dossier.owner_email,
        submitter_name=dossier.submitter_name or None,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        documents=tuple(ReceiptDocument(d.name, d.originals, d.certified_copies, d.copies)
                        for d in record.documents if d.submitted),
        sets=dossier.sets,
        processing_text=processing_text(dossier.processing_value, dossier.processing_unit),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        collection_text=collection_text(dossier, profile),
        officer_name=dossier.officer_name,
        late_entry=dossier.late_entry,
        note=dossier.note,
        qr_payload=signed_qr_payload(session, dossier),
    )


def render_receipt_for(session: Session, code: str) -> bytes:
    data = receipt_data(session, code)
    return render_receipt(data, copies=settings.RECEIPT_COPIES.get(session),
                          page_size=settings.PAPER_SIZE.get(session))

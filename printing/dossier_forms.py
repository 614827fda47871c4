"""Forms 02–07 and the fee receipt for stored dossiers: gather what each shows, then render it.

The texts a form needs come from the dossier's own events (the reason given
when the step was taken, the documents listed, the new due date), so a
re-print years later says exactly what was decided at the time.
"""

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, func, select

from app import clock, settings
from app.catalog import get_procedure
from app.dossiers import DossierRecord, find_by_code
from app.errors import CounterError, NotFound
from app.lifecycle import timeliness
from app.profile import load_profile
from app.worktime import AGENCY_TZ
from models.enums import EventType, PaymentKind, PaymentMethod
from models.tables import CounterProfile, Dossier, DossierEvent, Payment, User
from printing.forms import (
    ControlSheetData,
    ExtensionData,
    FeeLine,
    FeeReceiptData,
    HandOverRow,
    RefusalData,
    RegisterData,
    RegisterRow,
    StopNoticeData,
    SupplementRequestData,
    render_control_sheet,
    render_extension,
    render_fee_receipt,
    render_refusal,
    render_register,
    render_stop_notice,
    render_supplement_request,
)
from printing.receipts import processing_text, render_receipt_for

COUNTER_UNIT = "Bộ phận Một cửa"
DEFAULT_PROCESSING_BODY = "Công chức chuyên môn"
MAX_REGISTER_DAYS = 366


class Form(StrEnum):
    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    EXTENSION = "extension"
    STOP = "stop"
    CONTROL = "control"
    FEE = "fee"

    @property
    def label(self) -> str:
        return FORM_LABELS[self]


FORM_LABELS = {
    Form.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)",
    Form.SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    Form.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)",
    Form.EXTENSION: "Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    Form.STOP: "Thông báo dừng giải quyết hồ sơ (mẫu 05)",
    Form.CONTROL: "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)",
    Form.FEE: "Biên lai thu tiền phí, lệ phí",
}

# Which event a form reports on; the form cannot be printed before that step was taken.
_FORM_EVENT = {
    Form.SUPPLEMENT: EventType.SUPPLEMENT_REQUESTED,
    Form.REFUSAL: EventType.REFUSED,
    Form.EXTENSION: EventType.EXTENDED,
    Form.STOP: EventType.STOPPED,
}

_PLACE = re.compile(r"(?:xã|phường|thị trấn|thị xã|thành phố|quận|huyện|tỉnh)\s+(.+)$", re.IGNORECASE)


def place_name(session: Session, profile: CounterProfile) -> str:
    """"Tân Lập" for "Ủy ban nhân dân xã Tân Lập", unless an administrator set it."""
    configured = settings.PLACE_NAME.get(session)
    if configured:
        return configured
    match = _PLACE.search(profile.agency_name)
    return match.group(1) if match else profile.agency_name


def _officer_names(session: Session, events: list[DossierEvent]) -> dict[int, str]:
    ids = {e.officer_id for e in events}
    return {u.id: u.full_name for u in session.exec(select(User).where(col(User.id).in_(ids))).all()
            if u.id is not None}


def _last_event(record: DossierRecord, kind: EventType, form: Form) -> DossierEvent:
    for event in reversed(record.events):
        if event.type == kind.value:
            return event
    raise CounterError(f"Chưa thể in {form.label.lower()}: hồ sơ {record.dossier.code} chưa có bước tương ứng.")


def _common(session: Session, profile: CounterProfile, dossier: Dossier) -> dict[str, Any]:
    return {"parent_agency_name": profile.parent_name, "agency_name": profile.agency_name,
            "place_name": place_name(session, profile), "code": dossier.code, "owner_name": dossier.owner_name,
            "owner_address": dossier.owner_address, "procedure_name": dossier.procedure_name,
            "procedure_code": dossier.procedure_code}


def _signer(session: Session) -> dict[str, str]:
    return {"signer_title": settings.HEAD_TITLE.get(session), "signer_name": settings.HEAD_NAME.get(session),
            "signer_authority": settings.HEAD_AUTHORITY.get(session)}


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _hand_overs(session: Session, record: DossierRecord) -> tuple[HandOverRow, ...]:
    names = _officer_names(session, record.events)
    dossier, rows = record.dossier, []
    body = DEFAULT_PROCESSING_BODY
    for event in record.events:
        officer = names.get(event.officer_id, "")
        if event.type == EventType.FORWARDED.value:
            body = event.details.get("to") or DEFAULT_PROCESSING_BODY
            late = " (chuyển muộn)" if event.details.get("late") else ""
            rows.append(HandOverRow(COUNTER_UNIT, body, event.at, note=f"Chuyển xử lý{late}", giver_name=officer))
        elif event.type == EventType.SUPPLEMENT_REQUESTED.value:
            rows.append(HandOverRow(body if dossier.status != 2 else COUNTER_UNIT, "Công dân", event.at,
                                    note="Yêu cầu bổ sung hồ sơ"))
        elif event.type == EventType.SUPPLEMENTED.value:
            rows.append(HandOverRow("Công dân", COUNTER_UNIT, event.at, note="Đã bổ sung", receiver_name=officer))
        elif event.type == EventType.RESULT_READY.value:
            rows.append(HandOverRow(body, COUNTER_UNIT, event.at, result=timeliness(dossier) or "",
                                    note="Có kết quả", receiver_name=officer))
        elif event.type == EventType.RETURNED.value:
            rows.append(HandOverRow(COUNTER_UNIT, "Công dân", event.at, note="Trả kết quả", giver_name=officer,
                                    receiver_name=event.details.get("receiver_name", "")))
    return tuple(rows)


def _fee_lines(session: Session, dossier: Dossier, payment: Payment) -> tuple[FeeLine, ...]:
    if payment.items:
        return tuple(FeeLine(item["name"], int(item["amount"])) for item in payment.items)
    try:
        _, spec = get_procedure(session, dossier.procedure_code)
        items = [FeeLine(f.name, f.amount) for f in spec.fees if f.amount]
    except CounterError:
        items = []
    if items and sum(i.amount for i in items) == payment.amount:
        return tuple(items)
    return (FeeLine(f"Phí, lệ phí giải quyết thủ tục {dossier.procedure_name}", payment.amount),)


def render_for(session: Session, code: str, form: Form | str) -> bytes:
    """The PDF of one form for one dossier, as it stands in the database."""
    form = Form(form)
    if form is Form.RECEIPT:
        return render_receipt_for(session, code)
    record = find_by_code(session, code)
    dossier, profile = record.dossier, load_profile(session)
    page_size = settings.PAPER_SIZE.get(session)
    common = _common(session, profile, dossier)
    names = _officer_names(session, record.events)
    if form in _FORM_EVENT:
        event = _last_event(record, _FORM_EVENT[form], form)
        details, officer, issued = event.details, names.get(event.officer_id, ""), event.at
    if form is Form.SUPPLEMENT:
        return render_supplement_request(SupplementRequestData(
            **common, issued_at=issued, documents=tuple(details.get("documents", [])), reason=details["reason"],
            rules_reference=f"Thủ tục hành chính “{dossier.procedure_name}” (mã {dossier.procedure_code}) đã được "
                            "công bố, công khai tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
            officer_name=officer, receiving_unit=f"{COUNTER_UNIT} - Quầy số {dossier.counter_number}",
            owner_phone=dossier.owner_phone), page_size=page_size)
    if form is Form.REFUSAL:
        return render_refusal(RefusalData(
            **common, issued_at=issued, reasons=(details["reason"],), officer_name=officer,
            guidance="Đề nghị Ông/Bà liên hệ Bộ phận Một cửa để được hướng dẫn cụ thể.",
            receiving_unit=f"{COUNTER_UNIT} - Quầy số {dossier.counter_number}", owner_phone=dossier.owner_phone),
            page_size=page_size)
    if form is Form.EXTENSION:
        original = _moment(details.get("old_due_at"))
        new_due = _moment(details.get("new_due_at"))
        assert original is not None and new_due is not None
        return render_extension(ExtensionData(
            **common, issued_at=issued, received_at=dossier.received_at, original_due_at=original,
            delay_reason=details["reason"], new_due_at=new_due, **_signer(session),
            processing_text=processing_text(dossier.processing_value, dossier.processing_unit)),
            page_size=page_size)
    if form is Form.STOP:
        return render_stop_notice(StopNoticeData(
            **common, issued_at=issued, received_at=dossier.received_at, reason=details["reason"],
            legal_basis=details.get("legal_basis") or "Quy định của thủ tục hành chính đã công bố",
            **_signer(session)), page_size=page_size)
    if form is Form.CONTROL:
        forwarded = [e for e in record.events if e.type == EventType.FORWARDED.value]
        body = (forwarded[-1].details.get("to") if forwarded else "") or DEFAULT_PROCESSING_BODY
        return render_control_sheet(ControlSheetData(
            **common, issued_at=clock.now(), received_at=dossier.received_at, due_at=dossier.due_at,
            rows=_hand_overs(session, record), processing_unit=body, blank_rows=1), page_size=page_size)
    # Form.FEE: the latest payment of the dossier.
    payment = session.exec(select(Payment).where(Payment.dossier_id == dossier.id,
                                                 Payment.kind == PaymentKind.PAYMENT.value)
                           .order_by(col(Payment.at).desc())).first()
    if payment is None:
        raise NotFound(f"Hồ sơ {dossier.code} chưa có khoản thu phí, lệ phí nào để in biên lai.")
    collector = session.get(User, payment.officer_id)
    return render_fee_receipt(FeeReceiptData(
        parent_agency_name=profile.parent_name, agency_name=profile.agency_name,
        place_name=place_name(session, profile), issued_at=payment.at, code=dossier.code, collecting_unit="",
        tax_code=settings.FEE_TAX_CODE.get(session), template_number=settings.FEE_TEMPLATE.get(session),
        series=settings.FEE_SERIES.get(session), receipt_number=payment.receipt_number, payer_name=payment.payer,
        payer_address=dossier.owner_address, lines=_fee_lines(session, dossier, payment),
        payment_method=PaymentMethod(payment.method).label, collector_name=collector.full_name if collector else "",
        procedure_name=dossier.procedure_name), page_size=page_size)


def render_register_between(session: Session, first: date, last: date) -> bytes:
    """Form 07 for dossiers received from `first` to `last` (agency days, inclusive)."""
    if last < first:
        raise CounterError("Ngày kết thúc phải sau ngày bắt đầu.")
    if (last - first).days >= MAX_REGISTER_DAYS:
        raise CounterError(f"Sổ theo dõi in tối đa {MAX_REGISTER_DAYS} ngày một lần.")
    profile = load_profile(session)
    start = datetime.combine(first, time(0), tzinfo=AGENCY_TZ)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=AGENCY_TZ)
    dossiers = session.exec(select(Dossier).where(col(Dossier.received_at) >= start, col(Dossier.received_at) < end)
                            .order_by(col(Dossier.received_at), col(Dossier.code))).all()
    forwarded: dict[str, datetime] = dict(session.exec(  # type: ignore[arg-type]
        select(DossierEvent.dossier_id, func.min(DossierEvent.at))
        .join(Dossier, col(Dossier.id) == col(DossierEvent.dossier_id))
        .where(DossierEvent.type == EventType.FORWARDED.value, col(Dossier.received_at) >= start,
               col(Dossier.received_at) < end)
        .group_by(col(DossierEvent.dossier_id))).all())
    rows = [RegisterRow(code=d.code, procedure_name=d.procedure_name, sets=d.sets, owner_name=d.owner_name,
                        owner_address=d.owner_address, owner_phone=d.owner_phone,
                        processing_agency=profile.agency_name, received_at=d.received_at, due_at=d.due_at,
                        forwarded_at=forwarded.get(d.id), result_received_at=d.finished_at,
                        returned_at=d.returned_at, note="Nhập bù" if d.late_entry else "")
            for d in dossiers]
    return render_register(RegisterData(
        parent_agency_name=profile.parent_name, agency_name=profile.agency_name,
        place_name=place_name(session, profile), issued_at=clock.now(), date_from=first, date_to=last, rows=rows,
        register_book=f"{profile.counter_number:02d}/{first.year}"))

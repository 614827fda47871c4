"""What the dossier detail shows, gathered on a read worker: data, timeline lines, printed forms, fees, steps.

Qt-free apart from living in `ui/`: it is the dialog's view model, and it
needs `printing` for re-prints, which `app/` may not import.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from app import clock
from app.calendar_store import load_calendar
from app.db import Store
from app.dossiers import find_by_code
from app.fees import FeeSummary
from app.fees import summary as fee_summary
from app.lifecycle import (
    EVENT_OF,
    Action,
    allowed_actions,
    forward_rule_text,
    next_step,
    timeliness,
)
from app.worktime import WorkCalendar, format_vn_moment
from models.enums import (
    DossierStatus,
    EventType,
    PaymentKind,
    PaymentMethod,
    Satisfaction,
)
from models.tables import (
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    PrintedForm,
    User,
)
from ui.dossier_list_model import Urgency, local_text, near_limit, urgency_of

S = DossierStatus

FORMS: dict[str, str] = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)",
    "extension": "Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    "stop": "Thông báo dừng giải quyết hồ sơ (mẫu 05)",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)",
    "fee": "Biên lai thu tiền phí, lệ phí",
}
FILE_NAMES: dict[str, str] = {
    "receipt": "giay-hen", "supplement": "yeu-cau-bo-sung", "refusal": "tu-choi", "extension": "gia-han",
    "stop": "dung-xu-ly", "control": "phieu-kiem-soat", "fee": "bien-lai",
}
# The form to hand over after a step.
FORM_AFTER: dict[Action, str] = {
    Action.REQUEST_SUPPLEMENT: "supplement",
    Action.REFUSE: "refusal",
    Action.EXTEND: "extension",
    Action.STOP: "stop",
    Action.FORWARD: "control",
}
# A form that reports a step exists only once that step happened.
_FORM_NEEDS_EVENT: dict[str, EventType] = {
    "supplement": EventType.SUPPLEMENT_REQUESTED,
    "refusal": EventType.REFUSED,
    "extension": EventType.EXTENDED,
    "stop": EventType.STOPPED,
}

EVENT_LABELS: dict[str, str] = {EventType.RECEIVED.value: "Tiếp nhận hồ sơ"} | {
    event.value: action.label for action, event in EVENT_OF.items()}


def render_form(session: Any, code: str, form: str) -> bytes:
    from printing.dossier_forms import render_for

    return render_for(session, code, form)


def money_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def _moment(value: Any) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return local_text(moment, "%H:%M %d/%m/%Y")


def _working_span(delta: timedelta, hours_per_day: int) -> str:
    hours = delta.total_seconds() / 3600
    if hours < hours_per_day:
        return f"{max(1, round(hours))} giờ làm việc"
    days = hours / hours_per_day
    return f"{days:.1f}".replace(".0", "").replace(".", ",") + " ngày làm việc"


def describe_event(event: DossierEvent) -> str:
    """The details a step recorded, in a line an officer can read."""
    d: dict[str, Any] = event.details or {}
    parts: list[str] = []
    kind = event.type
    if kind == EventType.RECEIVED.value:
        if d.get("late_entry"):
            parts.append("Nhập bù (hồ sơ nhận trên giấy)")
        if d.get("missing_required"):
            parts.append("Thiếu: " + "; ".join(d["missing_required"]))
    elif kind == EventType.FORWARDED.value:
        if d.get("to"):
            parts.append(f"Chuyển đến: {d['to']}")
        if d.get("deadline"):
            parts.append(f"hạn chuyển {_moment(d['deadline'])}" + (" — chuyển muộn" if d.get("late") else ""))
    elif kind == EventType.SUPPLEMENT_REQUESTED.value:
        if d.get("documents"):
            parts.append("Cần bổ sung: " + "; ".join(d["documents"]))
        if d.get("reason"):
            parts.append(f"Lý do: {d['reason']}")
    elif kind == EventType.SUPPLEMENTED.value:
        minutes = int(d.get("paused_working_minutes") or 0)
        if minutes:
            parts.append(f"Tạm dừng {minutes // 60} giờ {minutes % 60:02d} phút làm việc")
        if d.get("new_due_at") and d.get("new_due_at") != d.get("old_due_at"):
            parts.append(f"hẹn trả mới {_moment(d['new_due_at'])}")
    elif kind == EventType.RETURNED.value:
        receiver = d.get("receiver_name", "")
        if d.get("receiver_id"):
            receiver += f" ({d['receiver_id']})"
        if receiver:
            parts.append(f"Người nhận: {receiver}")
        if d.get("satisfaction"):
            parts.append(f"Đánh giá: {Satisfaction(int(d['satisfaction'])).label}")
    elif kind == EventType.EXTENDED.value:
        if d.get("new_due_at"):
            parts.append(f"Hẹn trả mới: {_moment(d['new_due_at'])} (hạn cũ {_moment(d.get('old_due_at'))})")
        if d.get("reason"):
            parts.append(f"Lý do: {d['reason']}")
    else:
        if d.get("reason"):
            parts.append(f"Lý do: {d['reason']}")
        if d.get("legal_basis"):
            parts.append(f"Căn cứ: {d['legal_basis']}")
    if d.get("note"):
        parts.append(f"Ghi chú: {d['note']}")
    if d.get("recorded_late"):
        parts.append("(ghi nhận sau)")
    return "; ".join(parts)


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    step: str
    officer: str
    details: str
    status: str


@dataclass(frozen=True)
class PrintedLine:
    at: datetime
    form: str
    officer: str


@dataclass(frozen=True)
class DetailData:
    dossier: Dossier
    documents: list[DossierDocument]
    events: list[DossierEvent]
    timeline: list[TimelineLine]
    printed: list[PrintedLine]
    fees: FeeSummary
    actions: list[Action]
    next_action: Action | None
    forward_rule: str
    calendar: WorkCalendar
    urgency: Urgency
    due_text: str
    timeliness: str | None
    forms: dict[str, bool]  # which forms make sense for this dossier now

    @property
    def code(self) -> str:
        return self.dossier.code


def _due_text(dossier: Dossier, calendar: WorkCalendar, now: datetime, urgency: Urgency,
              on_time: str | None) -> str:
    if dossier.due_at is None:
        return "Trả ngay khi tiếp nhận"
    due = format_vn_moment(dossier.due_at)
    status = S(dossier.status)
    if on_time:
        return f"{due} — {on_time.lower()}"
    if status is S.SUPPLEMENT_REQUESTED:
        return f"{due} — đang tạm dừng, chờ công dân bổ sung"
    if urgency is Urgency.OVERDUE:
        return f"{due} — quá hạn {_working_span(calendar.working_time_between(dossier.due_at, now), calendar.hours_per_day)}"
    if status in (S.ACCEPTED, S.PROCESSING, S.PAYMENT_REQUESTED):
        left = calendar.working_time_between(now, dossier.due_at)
        return f"{due} — còn {_working_span(left, calendar.hours_per_day)}"
    return due


def load_detail(store: Store, code: str) -> DetailData:
    """Everything the dialog shows; runs on a read worker. Raises NotFound for an unknown code."""
    with store.read() as session:
        record = find_by_code(session, code)
        dossier = record.dossier
        fees = fee_summary(session, dossier)
        printed = list(session.exec(select(PrintedForm).where(PrintedForm.dossier_id == dossier.id)
                                    .order_by(col(PrintedForm.at))).all())
        officer_ids = {e.officer_id for e in record.events} | {p.officer_id for p in printed} | \
            {p.officer_id for p in fees.payments}
        names: dict[int, str] = {}
        if officer_ids:
            names = {uid: name for uid, name in session.exec(
                select(User.id, User.full_name).where(col(User.id).in_(officer_ids))).all()}
        calendar = load_calendar(session)
    now = clock.now()
    lines: list[TimelineLine] = [
        TimelineLine(e.at, EVENT_LABELS.get(e.type, e.type), names.get(e.officer_id, ""), describe_event(e),
                     S(e.status_after).label) for e in record.events]
    for payment in fees.payments:
        lines.append(TimelineLine(payment.at, _payment_label(payment), names.get(payment.officer_id, ""),
                                  _payment_details(payment), ""))
    lines.sort(key=lambda line: line.at)
    printed_lines = [PrintedLine(p.at, FORMS.get(p.form, p.form), names.get(p.officer_id, "")) for p in printed]
    urgency = urgency_of(dossier.status, dossier.due_at, now, near_limit(calendar, now))
    on_time = timeliness(dossier)
    happened = {e.type for e in record.events}
    forms = {key: True for key in FORMS}
    for key, event in _FORM_NEEDS_EVENT.items():
        forms[key] = event.value in happened
    forms["fee"] = any(p.kind == PaymentKind.PAYMENT.value for p in fees.payments)
    return DetailData(
        dossier=dossier, documents=record.documents, events=record.events, timeline=lines, printed=printed_lines,
        fees=fees, actions=allowed_actions(dossier, calendar, now), next_action=next_step(dossier),
        forward_rule=forward_rule_text(calendar, dossier.received_at), calendar=calendar, urgency=urgency,
        due_text=_due_text(dossier, calendar, now, urgency, on_time), timeliness=on_time, forms=forms)


def _payment_label(payment: Payment) -> str:
    return {PaymentKind.PAYMENT.value: "Thu phí, lệ phí", PaymentKind.EXEMPTION.value: "Miễn, giảm phí",
            PaymentKind.REFUND.value: "Hoàn trả phí"}.get(payment.kind, payment.kind)


def _payment_details(payment: Payment) -> str:
    parts = [money_text(payment.amount)]
    if payment.method:
        parts.append(PaymentMethod(payment.method).label.lower())
    if payment.receipt_number:
        parts.append(f"biên lai số {payment.receipt_number}")
    if payment.payer:
        parts.append(f"người nộp: {payment.payer}")
    if payment.note:
        parts.append(payment.note)
    return "; ".join(parts)

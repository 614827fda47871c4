"""A dossier's life after intake: each step is an append-only event; the status follows from them.

Every step is checked against the dossier's current status and refused with a
message that says why; an accepted step writes its event, the cached facts on
the dossier (status, due date, pause, finish), an audit row and an outbox
entry in one transaction. Nothing already written is ever changed.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from app import audit, clock, outbox
from app.calendar_store import load_calendar
from app.db import Store
from app.dossiers import DossierRecord, find_by_code
from app.errors import CounterError, FieldProblem, ValidationFailed
from app.permissions import Actor, Permission
from app.profile import load_profile
from app.serialize import event_payload, iso
from app.validation import MAX_NOTE, check_identity_number, check_person_name, check_text
from app.worktime import AGENCY_TZ, WorkCalendar, format_vn_moment
from models.enums import DossierStatus, EventType, Satisfaction
from models.tables import Dossier, DossierEvent

S = DossierStatus

# Received before this local time on a working day: forwarded the same day; later: the next working day.
FORWARD_CUTOFF = time(15, 0)
FUTURE_TOLERANCE = timedelta(minutes=5)
BACKDATE_THRESHOLD = timedelta(minutes=15)


class Action(StrEnum):
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request-supplement"
    SUPPLEMENTED = "supplemented"
    REFUSE = "refuse"
    REQUEST_PAYMENT = "request-payment"
    READY = "ready"
    RETURN = "return"
    WITHDRAW = "withdraw"
    STOP = "stop"
    EXTEND = "extend"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.FORWARD: "Chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Action.SUPPLEMENTED: "Đã nhận bổ sung",
    Action.REFUSE: "Từ chối",
    Action.REQUEST_PAYMENT: "Yêu cầu nghĩa vụ tài chính",
    Action.READY: "Có kết quả",
    Action.RETURN: "Trả kết quả",
    Action.WITHDRAW: "Công dân rút hồ sơ",
    Action.STOP: "Dừng xử lý",
    Action.EXTEND: "Xin lỗi, gia hạn",
}

EVENT_OF: dict[Action, EventType] = {
    Action.FORWARD: EventType.FORWARDED,
    Action.REQUEST_SUPPLEMENT: EventType.SUPPLEMENT_REQUESTED,
    Action.SUPPLEMENTED: EventType.SUPPLEMENTED,
    Action.REFUSE: EventType.REFUSED,
    Action.REQUEST_PAYMENT: EventType.PAYMENT_REQUESTED,
    Action.READY: EventType.RESULT_READY,
    Action.RETURN: EventType.RETURNED,
    Action.WITHDRAW: EventType.WITHDRAWN,
    Action.STOP: EventType.STOPPED,
    Action.EXTEND: EventType.EXTENDED,
}

# The statuses each step may start from, in the order the officer most often needs them.
ALLOWED_FROM: dict[Action, frozenset[DossierStatus]] = {
    Action.READY: frozenset({S.ACCEPTED, S.PROCESSING, S.PAYMENT_REQUESTED}),
    Action.RETURN: frozenset({S.RESULT_READY}),
    Action.FORWARD: frozenset({S.ACCEPTED, S.PAYMENT_REQUESTED}),
    Action.SUPPLEMENTED: frozenset({S.SUPPLEMENT_REQUESTED}),
    Action.REQUEST_SUPPLEMENT: frozenset({S.ACCEPTED, S.PROCESSING}),
    Action.REQUEST_PAYMENT: frozenset({S.PROCESSING}),
    Action.EXTEND: frozenset({S.ACCEPTED, S.PROCESSING, S.PAYMENT_REQUESTED}),
    Action.REFUSE: frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED}),
    Action.WITHDRAW: frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}),
    Action.STOP: frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}),
}

# Which step to put the cursor on when a dossier is opened (for example by a barcode scan).
NEXT_STEP: dict[DossierStatus, Action] = {
    S.ACCEPTED: Action.FORWARD,
    S.PROCESSING: Action.READY,
    S.SUPPLEMENT_REQUESTED: Action.SUPPLEMENTED,
    S.PAYMENT_REQUESTED: Action.FORWARD,
    S.RESULT_READY: Action.RETURN,
}

TERMINAL = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED})


@dataclass
class StepRequest:
    action: Action
    at: datetime | None = None
    reason: str = ""
    documents: list[str] = field(default_factory=list)
    new_due: datetime | None = None
    receiver_name: str = ""
    receiver_id: str = ""
    satisfaction: int | None = None
    legal_basis: str = ""
    processing_body: str = ""
    note: str = ""


def allowed_actions(dossier: Dossier, calendar: WorkCalendar | None = None, now: datetime | None = None
                    ) -> list[Action]:
    """Steps that fit the dossier now; with a calendar, an extension too late to ask for is left out."""
    status = DossierStatus(dossier.status)
    actions = [a for a, sources in ALLOWED_FROM.items() if status in sources]
    too_late = (calendar is not None and dossier.due_at is not None and
                calendar.working_time_between(now or clock.now(), dossier.due_at)
                < timedelta(hours=calendar.hours_per_day))
    if dossier.extended or dossier.due_at is None or too_late:
        actions = [a for a in actions if a is not Action.EXTEND]
    return actions


def next_step(dossier: Dossier) -> Action | None:
    return NEXT_STEP.get(DossierStatus(dossier.status))


def forward_deadline(calendar: WorkCalendar, received_at: datetime) -> datetime:
    """End of the office day by which the dossier must go to the processing body (15:00 rule)."""
    local = received_at.astimezone(AGENCY_TZ)
    day = local.date()
    if not (calendar.is_working_day(day) and local.time() < FORWARD_CUTOFF):
        day = calendar.next_working_day(day)
    closing = calendar.office_hours[-1][1]
    return datetime.combine(day, closing, tzinfo=AGENCY_TZ)


def forward_rule_text(calendar: WorkCalendar, received_at: datetime) -> str:
    deadline = forward_deadline(calendar, received_at)
    when = "trong ngày" if deadline.date() == received_at.astimezone(AGENCY_TZ).date() else "ngày làm việc tiếp theo"
    return f"Nhận lúc {received_at.astimezone(AGENCY_TZ):%H:%M}: chuyển {when}, chậm nhất {format_vn_moment(deadline)}."


def timeliness(dossier: Dossier) -> str | None:
    """trước hạn / đúng hạn / quá hạn for a finished dossier (result ready), else None."""
    if dossier.finished_at is None:
        return None
    if dossier.due_at is None:
        return "Đúng hạn"
    if dossier.finished_at > dossier.due_at:
        return "Quá hạn"
    if dossier.finished_at.astimezone(AGENCY_TZ).date() < dossier.due_at.astimezone(AGENCY_TZ).date():
        return "Trước hạn"
    return "Đúng hạn"


def _refusal(action: Action, dossier: Dossier) -> CounterError:
    status = DossierStatus(dossier.status)
    why = f"hồ sơ {dossier.code} đang ở trạng thái “{status.label}”"
    if status in TERMINAL:
        return CounterError(f"Không thể “{action.label}”: {why}, hồ sơ đã kết thúc.")
    hints = {
        Action.RETURN: "chỉ trả kết quả khi hồ sơ ở trạng thái “Đã xử lý xong”",
        Action.SUPPLEMENTED: "hồ sơ không chờ bổ sung",
        Action.FORWARD: "hồ sơ đã được chuyển xử lý",
        Action.REQUEST_PAYMENT: "chỉ yêu cầu nghĩa vụ tài chính khi hồ sơ đang xử lý",
        Action.STOP: "chỉ dừng xử lý hồ sơ đang được giải quyết",
    }
    hint = hints.get(action)
    options = ", ".join(f"“{a.label}”" for a in allowed_actions(dossier))
    return CounterError(f"Không thể “{action.label}”: {why}" + (f"; {hint}" if hint else "")
                        + (f". Các bước có thể làm: {options}." if options else "."))


def _events(session: Session, dossier: Dossier) -> list[DossierEvent]:
    return list(session.exec(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                             .order_by(col(DossierEvent.seq))).all())


def _required_text(field_name: str, raw: str, label: str, problems: list[FieldProblem]) -> str:
    text, problem = check_text(field_name, raw, label, MAX_NOTE, required=True)
    if problem:
        problems.append(problem)
    return text


def _optional_text(field_name: str, raw: str, label: str, problems: list[FieldProblem]) -> str:
    text, problem = check_text(field_name, raw, label, MAX_NOTE)
    if problem:
        problems.append(problem)
    return text


def _step_details(request: StepRequest, dossier: Dossier, events: list[DossierEvent], at: datetime,
                  calendar: WorkCalendar) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Validate the step's own inputs; return what its event records."""
    problems: list[FieldProblem] = []
    action = request.action
    details: dict[str, Any] = {}
    if action is Action.FORWARD:
        deadline = forward_deadline(calendar, dossier.received_at)
        details = {"to": _optional_text("processing_body", request.processing_body, "Cơ quan xử lý", problems),
                   "deadline": iso(deadline), "late": at > deadline}
    elif action is Action.REQUEST_SUPPLEMENT:
        if any(e.type == EventType.SUPPLEMENT_REQUESTED.value for e in events):
            problems.append(FieldProblem(
                "documents", "Hồ sơ này đã được yêu cầu bổ sung một lần; theo quy định, mọi giấy tờ cần bổ sung "
                             "phải được thông báo đầy đủ trong một lần."))
        documents = [d for d in (_optional_text("documents", d, "Tên giấy tờ", problems) for d in request.documents)
                     if d]
        if not documents:
            problems.append(FieldProblem("documents", "Vui lòng liệt kê đầy đủ các giấy tờ cần bổ sung."))
        details = {"documents": documents,
                   "reason": _required_text("reason", request.reason, "Lý do yêu cầu bổ sung", problems),
                   "resume_status": dossier.status}
    elif action is Action.SUPPLEMENTED:
        paused = calendar.working_time_between(dossier.paused_at, at) if dossier.paused_at else timedelta(0)
        new_due = calendar.add_working_time(dossier.due_at, paused) if dossier.due_at and paused else dossier.due_at
        details = {"paused_working_minutes": int(paused.total_seconds() // 60), "old_due_at": iso(dossier.due_at),
                   "new_due_at": iso(new_due), "note": _optional_text("note", request.note, "Ghi chú", problems)}
    elif action in (Action.REFUSE, Action.STOP):
        details = {"reason": _required_text("reason", request.reason, "Lý do", problems)}
        if action is Action.STOP:
            details["legal_basis"] = _optional_text("legal_basis", request.legal_basis, "Căn cứ pháp lý", problems)
    elif action is Action.REQUEST_PAYMENT:
        details = {"reason": _required_text("reason", request.reason, "Nội dung nghĩa vụ tài chính", problems)}
    elif action is Action.WITHDRAW:
        details = {"reason": _optional_text("reason", request.reason, "Lý do rút hồ sơ", problems)}
    elif action is Action.READY:
        details = {"note": _optional_text("note", request.note, "Ghi chú", problems)}
    elif action is Action.RETURN:
        receiver, problem = check_person_name("receiver_name", request.receiver_name or dossier.owner_name,
                                              "Họ tên người nhận kết quả")
        if problem:
            problems.append(problem)
        receiver_id = ""
        if request.receiver_id.strip():
            receiver_id, problem = check_identity_number("receiver_id", request.receiver_id, None)
            if problem:
                problems.append(problem)
        if request.satisfaction is not None and request.satisfaction not in {int(s) for s in Satisfaction}:
            problems.append(FieldProblem("satisfaction", "Mức hài lòng phải là 1, 2 hoặc 3."))
        details = {"receiver_name": receiver, "receiver_id": receiver_id, "satisfaction": request.satisfaction}
    elif action is Action.EXTEND:
        details = _extension_details(request, dossier, at, calendar, problems)
    return details, problems


def _extension_details(request: StepRequest, dossier: Dossier, at: datetime, calendar: WorkCalendar,
                       problems: list[FieldProblem]) -> dict[str, Any]:
    reason = _required_text("reason", request.reason, "Lý do chậm trễ", problems)
    due = dossier.due_at
    if due is None:
        problems.append(FieldProblem("new_due", "Hồ sơ giải quyết ngay, không có ngày hẹn để gia hạn."))
        return {}
    if dossier.extended:
        problems.append(FieldProblem("new_due", "Hồ sơ đã được gia hạn một lần; chỉ được hẹn lại ngày trả một lần."))
    one_day = timedelta(hours=calendar.hours_per_day)
    if calendar.working_time_between(at, due) < one_day:
        problems.append(FieldProblem(
            "new_due", f"Phải xin gia hạn chậm nhất một ngày làm việc trước hạn trả ({format_vn_moment(due)})."))
    new_due = request.new_due
    if new_due is None or new_due.tzinfo is None:
        problems.append(FieldProblem("new_due", "Vui lòng nhập ngày, giờ hẹn trả mới."))
    elif new_due <= due:
        problems.append(FieldProblem("new_due", f"Ngày hẹn mới phải sau hạn hiện tại ({format_vn_moment(due)})."))
    elif not calendar.is_working_day(new_due.astimezone(AGENCY_TZ).date()):
        problems.append(FieldProblem("new_due", "Ngày hẹn mới rơi vào ngày nghỉ; hãy chọn một ngày làm việc."))
    return {"reason": reason, "old_due_at": iso(due), "new_due_at": iso(new_due)}


STATUS_AFTER: dict[Action, DossierStatus | None] = {
    Action.FORWARD: S.PROCESSING,
    Action.REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
    Action.SUPPLEMENTED: None,  # back to where it was when the supplement was requested
    Action.REFUSE: S.REFUSED,
    Action.REQUEST_PAYMENT: S.PAYMENT_REQUESTED,
    Action.READY: S.RESULT_READY,
    Action.RETURN: S.RETURNED,
    Action.WITHDRAW: S.WITHDRAWN,
    Action.STOP: S.STOPPED,
    Action.EXTEND: None,  # unchanged
}


def derive_status(events: list[DossierEvent]) -> DossierStatus:
    """The status is the last event's outcome; events are never rewritten, so this is the truth."""
    return DossierStatus(events[-1].status_after)


def _apply(dossier: Dossier, action: Action, at: datetime, details: dict[str, Any],
           events: list[DossierEvent]) -> DossierStatus:
    """Update the dossier's cached facts; returns the new status."""
    after = STATUS_AFTER[action]
    if action is Action.SUPPLEMENTED:
        request = next(e for e in reversed(events) if e.type == EventType.SUPPLEMENT_REQUESTED.value)
        after = DossierStatus(request.details["resume_status"])
        dossier.paused_at = None
        dossier.due_at = datetime.fromisoformat(details["new_due_at"]) if details["new_due_at"] else None
    elif action is Action.REQUEST_SUPPLEMENT:
        dossier.paused_at = at
    elif action is Action.EXTEND:
        dossier.extended = True
        dossier.due_at = datetime.fromisoformat(details["new_due_at"])
    elif action is Action.READY:
        dossier.finished_at = at
    elif action is Action.RETURN:
        dossier.returned_at = at
        dossier.satisfaction = details.get("satisfaction")
    status = DossierStatus(dossier.status) if after is None else after
    dossier.status = status.value
    return status


def perform(store: Store, actor: Actor, code: str, request: StepRequest) -> DossierRecord:
    """Carry out one step on the dossier with this code; raises CounterError saying why if it cannot."""
    actor.require(Permission.PROCESS)
    with store.write() as session:
        _perform(session, actor, code, request)
    with store.read() as session:
        return find_by_code(session, code)


def _perform(session: Session, actor: Actor, code: str, request: StepRequest) -> DossierEvent:
    now = clock.now()
    record = find_by_code(session, code)
    dossier, events = record.dossier, record.events
    if DossierStatus(dossier.status) not in ALLOWED_FROM[request.action]:
        raise _refusal(request.action, dossier)
    at = request.at or now
    if at.tzinfo is None:
        raise ValidationFailed([FieldProblem("at", "Thời điểm thực hiện phải kèm múi giờ.")])
    if at - now > FUTURE_TOLERANCE:
        raise ValidationFailed([FieldProblem("at", "Thời điểm thực hiện không thể ở tương lai.")])
    if at < events[-1].at:
        raise ValidationFailed([FieldProblem(
            "at", f"Thời điểm thực hiện phải sau bước trước ({format_vn_moment(events[-1].at)}).")])
    if now - at > BACKDATE_THRESHOLD:
        actor.require(Permission.LATE_ENTRY)
    calendar = load_calendar(session)
    details, problems = _step_details(request, dossier, events, at, calendar)
    if problems:
        raise ValidationFailed(problems)
    if now - at > BACKDATE_THRESHOLD:
        details["recorded_late"] = True
    status = _apply(dossier, request.action, at, details, events)
    event = DossierEvent(
        id=str(uuid.uuid4()), dossier_id=dossier.id, seq=events[-1].seq + 1, type=EVENT_OF[request.action].value,
        at=at, recorded_at=now, officer_id=actor.user_id, counter_number=load_profile(session).counter_number,
        status_after=status.value, details=details)
    session.add(dossier)
    session.add(event)
    session.flush()
    audit.record(session, actor.username, f"dossier.{event.type}", "dossier", dossier.code,
                 {"status": status.value})
    outbox.enqueue(session, f"dossier.{event.type}", dossier.id,
                   {"code": dossier.code, "status": status.value, "due_at": iso(dossier.due_at),
                    "event": event_payload(event)})
    return event

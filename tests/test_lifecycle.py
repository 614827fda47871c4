"""Every step of a dossier's life: legal and illegal transitions, pauses, extensions, the 15:00 rule.

Due times are worked out by hand in the comments, with office hours 07:00–11:30 and
13:30–17:00 (8 working hours a day) and 24/11/2026 (Ngày Văn hóa Việt Nam) a holiday.
"""

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import text

from app.catalog import get_procedure
from app.db import Store
from app.errors import CounterError, PermissionDenied, ValidationFailed
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import ALLOWED_FROM, EVENT_OF, Action, StepRequest, allowed_actions, derive_status, next_step, perform, \
    timeliness
from app.permissions import Actor
from app.users import actor_for, create_user
from app.worktime import AGENCY_TZ
from models.enums import DossierStatus, Role

S = DossierStatus
MARRIAGE_STATUS = "1.004873"  # xác nhận tình trạng hôn nhân: 3 working days


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AGENCY_TZ)  # type: ignore[misc]


def new_dossier(store: Store, admin: Actor, set_now: Callable[[datetime], None], received: datetime) -> str:
    set_now(received)
    with store.read() as session:
        _, spec = get_procedure(session, MARRIAGE_STATUS)
    return receive(store, admin, IntakeRequest(
        procedure_code=MARRIAGE_STATUS, owner=PersonInput(full_name="Nguyễn Văn Đức", id_number="001085012345"),
        documents=all_documents(spec))).code


def step(store: Store, actor: Actor, set_now: Callable[[datetime], None], code: str, at: datetime,
         action: Action, **fields: object):  # type: ignore[no-untyped-def]
    set_now(at)
    return perform(store, actor, code, StepRequest(action=action, **fields))  # type: ignore[arg-type]


def counts(store: Store) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                     for t in ("dossier_event", "audit_entry", "outbox"))


MON = local(2026, 11, 16, 9, 0)  # received Monday 09:00 -> due Thursday 19/11 09:00

# Valid inputs for every step, so that only the status decides.
FIELDS: dict[Action, dict[str, object]] = {
    Action.FORWARD: {},
    Action.REQUEST_SUPPLEMENT: {"documents": ["Giấy chứng tử của vợ"], "reason": "Thiếu giấy tờ chứng minh"},
    Action.SUPPLEMENTED: {},
    Action.REFUSE: {"reason": "Không thuộc thẩm quyền"},
    Action.REQUEST_PAYMENT: {"reason": "Nộp lệ phí"},
    Action.READY: {},
    Action.RETURN: {"receiver_name": "Nguyễn Văn Đức"},
    Action.WITHDRAW: {"reason": "Công dân xin rút"},
    Action.STOP: {"reason": "Công dân không bổ sung", "legal_basis": "Điều 18 Nghị định 118/2025/NĐ-CP"},
    Action.EXTEND: {"reason": "Chờ xác minh", "new_due": local(2026, 11, 23, 9, 0)},
}

# How to bring a fresh dossier (status 2) to each status, one step a minute from Monday 09:05.
PATHS: dict[DossierStatus, list[Action]] = {
    S.ACCEPTED: [],
    S.PROCESSING: [Action.FORWARD],
    S.SUPPLEMENT_REQUESTED: [Action.FORWARD, Action.REQUEST_SUPPLEMENT],
    S.PAYMENT_REQUESTED: [Action.FORWARD, Action.REQUEST_PAYMENT],
    S.RESULT_READY: [Action.FORWARD, Action.READY],
    S.RETURNED: [Action.FORWARD, Action.READY, Action.RETURN],
    S.REFUSED: [Action.REFUSE],
    S.WITHDRAWN: [Action.WITHDRAW],
    S.STOPPED: [Action.FORWARD, Action.STOP],
}


@pytest.mark.parametrize("status", list(PATHS), ids=lambda s: s.name)
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_transition(store: Store, admin: Actor, set_now, status: DossierStatus,  # type: ignore[no-untyped-def]
                          action: Action) -> None:
    code = new_dossier(store, admin, set_now, MON)
    minute = 5
    for earlier in PATHS[status]:
        step(store, admin, set_now, code, local(2026, 11, 16, 9, minute), earlier, **FIELDS[earlier])
        minute += 1
    before = counts(store)
    at = local(2026, 11, 16, 9, minute)
    if status in ALLOWED_FROM[action]:
        record = step(store, admin, set_now, code, at, action, **FIELDS[action])
        assert record.events[-1].type == EVENT_OF[action].value
        assert counts(store) == tuple(n + 1 for n in before)  # one event, one audit row, one outbox entry
        assert derive_status(record.events) == S(record.dossier.status)
    else:
        with pytest.raises(CounterError) as refused:
            step(store, admin, set_now, code, at, action, **FIELDS[action])
        assert status.label in str(refused.value)  # says why: the current status
        assert counts(store) == before


def test_status_is_derived_from_events_through_a_full_life(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, set_now, MON)
    expected = [(Action.FORWARD, S.PROCESSING), (Action.REQUEST_SUPPLEMENT, S.SUPPLEMENT_REQUESTED),
                (Action.SUPPLEMENTED, S.PROCESSING), (Action.REQUEST_PAYMENT, S.PAYMENT_REQUESTED),
                (Action.READY, S.RESULT_READY), (Action.RETURN, S.RETURNED)]
    for minute, (action, status) in enumerate(expected, start=10):
        record = step(store, admin, set_now, code, local(2026, 11, 16, 9, minute), action, **FIELDS[action])
        assert S(record.dossier.status) == status == derive_status(record.events)
    assert [e.seq for e in record.events] == list(range(1, 8))
    assert allowed_actions(record.dossier) == []


def test_supplement_pause_across_a_holiday_moves_the_due_date(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    # Received Fri 20/11 10:00, 3 working days (24 h): Fri 10:00–11:30 + 13:30–17:00 = 5 h; Mon 23/11 8 h -> 13;
    # Tue 24/11 holiday; Wed 25/11 8 h -> 21; Thu 26/11 07:00 + 3 h -> due Thu 26/11 10:00.
    code = new_dossier(store, admin, set_now, local(2026, 11, 20, 10, 0))
    step(store, admin, set_now, code, local(2026, 11, 20, 10, 30), Action.FORWARD)
    paused = step(store, admin, set_now, code, local(2026, 11, 23, 14, 0), Action.REQUEST_SUPPLEMENT,
                  **FIELDS[Action.REQUEST_SUPPLEMENT]).dossier
    assert paused.due_at == local(2026, 11, 26, 10, 0)
    assert paused.paused_at == local(2026, 11, 23, 14, 0)
    # Paused Mon 14:00–17:00 (3 h), Tue holiday (0), Wed 07:00–09:00 (2 h) = 5 working hours.
    # Thu 26/11 10:00 + 5 h: 10:00–11:30 (1.5) + 13:30–17:00 (3.5) -> Thu 26/11 17:00.
    resumed = step(store, admin, set_now, code, local(2026, 11, 25, 9, 0), Action.SUPPLEMENTED)
    assert resumed.dossier.due_at == local(2026, 11, 26, 17, 0)
    assert resumed.dossier.paused_at is None
    assert S(resumed.dossier.status) is S.PROCESSING
    assert resumed.events[-1].details["paused_working_minutes"] == 300


def test_supplement_requested_at_the_counter_returns_to_accepted(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, set_now, MON)
    step(store, admin, set_now, code, local(2026, 11, 16, 9, 10), Action.REQUEST_SUPPLEMENT,
         **FIELDS[Action.REQUEST_SUPPLEMENT])
    record = step(store, admin, set_now, code, local(2026, 11, 16, 10, 10), Action.SUPPLEMENTED)
    assert S(record.dossier.status) is S.ACCEPTED
    # Paused one working hour: due Thu 19/11 09:00 -> 10:00.
    assert record.dossier.due_at == local(2026, 11, 19, 10, 0)


def test_supplement_is_requested_only_once_and_needs_documents(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, set_now, MON)
    with pytest.raises(ValidationFailed) as missing:
        step(store, admin, set_now, code, local(2026, 11, 16, 9, 10), Action.REQUEST_SUPPLEMENT, reason="Thiếu")
    assert missing.value.for_field("documents")
    step(store, admin, set_now, code, local(2026, 11, 16, 9, 11), Action.REQUEST_SUPPLEMENT,
         **FIELDS[Action.REQUEST_SUPPLEMENT])
    step(store, admin, set_now, code, local(2026, 11, 16, 9, 12), Action.SUPPLEMENTED)
    with pytest.raises(ValidationFailed) as twice:
        step(store, admin, set_now, code, local(2026, 11, 16, 9, 13), Action.REQUEST_SUPPLEMENT,
             **FIELDS[Action.REQUEST_SUPPLEMENT])
    assert "một lần" in (twice.value.for_field("documents") or "")


@pytest.mark.parametrize(("asked_at", "allowed"), [
    # Due Thu 19/11 09:00. From Wed 18/11 09:00: 2.5 + 3.5 + Thu 2 = exactly 8 h = one working day.
    (local(2026, 11, 18, 9, 0), True),
    (local(2026, 11, 18, 8, 30), True),
    # From Wed 10:00: 1.5 + 3.5 + 2 = 7 h: less than a working day before the due time.
    (local(2026, 11, 18, 10, 0), False),
])
def test_extension_at_least_one_working_day_before_due(store: Store, admin: Actor, set_now,  # type: ignore[no-untyped-def]
                                                       asked_at: datetime, allowed: bool) -> None:
    code = new_dossier(store, admin, set_now, MON)
    step(store, admin, set_now, code, local(2026, 11, 16, 10, 0), Action.FORWARD)
    if allowed:
        record = step(store, admin, set_now, code, asked_at, Action.EXTEND, **FIELDS[Action.EXTEND])
        assert record.dossier.due_at == local(2026, 11, 23, 9, 0)
        assert record.dossier.extended
        assert record.events[-1].details["old_due_at"] == "2026-11-19T09:00:00+07:00"
    else:
        with pytest.raises(ValidationFailed) as late:
            step(store, admin, set_now, code, asked_at, Action.EXTEND, **FIELDS[Action.EXTEND])
        assert "một ngày làm việc trước hạn" in (late.value.for_field("new_due") or "")


def test_extension_only_once_after_the_due_date_and_on_a_working_day(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, set_now, MON)
    at = local(2026, 11, 16, 10, 0)
    with pytest.raises(ValidationFailed) as before_due:
        step(store, admin, set_now, code, at, Action.EXTEND, reason="Chờ", new_due=local(2026, 11, 18, 9, 0))
    assert "phải sau hạn hiện tại" in (before_due.value.for_field("new_due") or "")
    with pytest.raises(ValidationFailed) as holiday:
        step(store, admin, set_now, code, at, Action.EXTEND, reason="Chờ", new_due=local(2026, 11, 24, 9, 0))
    assert "ngày nghỉ" in (holiday.value.for_field("new_due") or "")
    with pytest.raises(ValidationFailed) as no_reason:
        step(store, admin, set_now, code, at, Action.EXTEND, new_due=local(2026, 11, 23, 9, 0))
    assert no_reason.value.for_field("reason")
    record = step(store, admin, set_now, code, at, Action.EXTEND, **FIELDS[Action.EXTEND])
    assert Action.EXTEND not in allowed_actions(record.dossier)
    with pytest.raises(ValidationFailed) as again:
        step(store, admin, set_now, code, local(2026, 11, 16, 10, 5), Action.EXTEND, reason="Lần hai",
             new_due=local(2026, 11, 25, 9, 0))
    assert "một lần" in (again.value.for_field("new_due") or "")


@pytest.mark.parametrize(("received", "deadline", "forwarded", "late"), [
    (local(2026, 11, 16, 14, 59), "2026-11-16T17:00:00+07:00", local(2026, 11, 16, 16, 0), False),
    (local(2026, 11, 16, 15, 1), "2026-11-17T17:00:00+07:00", local(2026, 11, 17, 9, 0), False),
    (local(2026, 11, 16, 9, 0), "2026-11-16T17:00:00+07:00", local(2026, 11, 17, 9, 0), True),
    # Friday after 15:00 -> Monday; Monday 23/11 then is a working day (the holiday is Tuesday).
    (local(2026, 11, 20, 16, 0), "2026-11-23T17:00:00+07:00", local(2026, 11, 23, 8, 0), False),
])
def test_forward_same_day_before_15h_else_next_working_day(store: Store, admin: Actor, set_now,  # type: ignore[no-untyped-def]
                                                           received: datetime, deadline: str, forwarded: datetime,
                                                           late: bool) -> None:
    code = new_dossier(store, admin, set_now, received)
    details = step(store, admin, set_now, code, forwarded, Action.FORWARD).events[-1].details
    assert (details["deadline"], details["late"]) == (deadline, late)


def test_required_reasons_and_return_details(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, set_now, MON)
    with pytest.raises(ValidationFailed) as no_reason:
        step(store, admin, set_now, code, local(2026, 11, 16, 9, 10), Action.REFUSE)
    assert no_reason.value.for_field("reason")
    step(store, admin, set_now, code, local(2026, 11, 16, 9, 11), Action.FORWARD)
    ready = step(store, admin, set_now, code, local(2026, 11, 18, 15, 0), Action.READY)
    assert next_step(ready.dossier) is Action.RETURN
    assert timeliness(ready.dossier) == "Trước hạn"  # ready Wed, due Thu
    with pytest.raises(ValidationFailed) as bad_id:
        step(store, admin, set_now, code, local(2026, 11, 19, 8, 0), Action.RETURN, receiver_name="Trần Thị Lan",
             receiver_id="123")
    assert bad_id.value.for_field("receiver_id")
    record = step(store, admin, set_now, code, local(2026, 11, 19, 8, 0), Action.RETURN,
                  receiver_name="Trần Thị Lan", receiver_id="001190001234", satisfaction=1)
    assert record.dossier.returned_at == local(2026, 11, 19, 8, 0)
    assert record.dossier.satisfaction == 1
    assert record.events[-1].details["receiver_name"] == "Trần Thị Lan"


def test_times_must_follow_the_previous_step_and_not_be_in_the_future(store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                                                      set_now) -> None:
    code = new_dossier(store, admin, set_now, MON)
    set_now(local(2026, 11, 16, 10, 0))
    with pytest.raises(ValidationFailed):
        perform(store, admin, code, StepRequest(Action.FORWARD, at=local(2026, 11, 16, 8, 0)))
    with pytest.raises(ValidationFailed):
        perform(store, admin, code, StepRequest(Action.FORWARD, at=local(2026, 11, 16, 11, 0)))


def test_officer_cannot_backdate_a_step(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    code = new_dossier(store, admin, set_now, MON)
    set_now(local(2026, 11, 17, 9, 0))
    with pytest.raises(PermissionDenied):
        perform(store, officer, code, StepRequest(Action.FORWARD, at=local(2026, 11, 16, 10, 0)))
    assert S(perform(store, officer, code, StepRequest(Action.FORWARD)).dossier.status) is S.PROCESSING


def test_extension_is_not_offered_when_it_is_too_late_to_ask(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    from app.calendar_store import load_calendar

    code = new_dossier(store, admin, set_now, MON)  # due Thu 19/11 09:00
    record = step(store, admin, set_now, code, local(2026, 11, 16, 10, 0), Action.FORWARD)
    with store.read() as session:
        calendar = load_calendar(session)
    assert Action.EXTEND in allowed_actions(record.dossier, calendar, local(2026, 11, 18, 9, 0))
    assert Action.EXTEND not in allowed_actions(record.dossier, calendar, local(2026, 11, 18, 10, 0))

"""Tests for app.intake.receive: one dossier, one transaction, nothing half-written.

Calendar facts used (November 2026): Fri 20/11, Sat 21, Sun 22, Mon 23,
Tue 24/11 = Ngày Văn hóa Việt Nam (holiday from 2026), Wed 25, Thu 26.
December: Sun 20/12, Mon 21/12. Office hours 07:00–11:30 and 13:30–17:00
(8 working hours a day).

`app.clock.now` is pinned (with a UTC value, like the real clock) so that
"now", late entry and the future check are deterministic.
"""

import json
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from app import clock, outbox
from app.catalog import get_procedure
from app.db import Store
from app.dossiers import find_by_code
from app.errors import PermissionDenied, ValidationFailed
from app.intake import DocumentReceived, IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from app.textfold import fold
from app.users import actor_for, create_user
from app.worktime import AGENCY_TZ
from models.enums import CollectionMethod, DossierStatus, Role, SubjectType

TABLES = ("dossier", "dossier_document", "dossier_event", "audit_entry", "outbox", "sequence")
MARRIAGE_STATUS = "1.004873"  # xác nhận tình trạng hôn nhân: 3 working days, 4 documents (1st required), postal ok
BIRTH = "1.001193"  # đăng ký khai sinh: 0 = on the spot
MARRIAGE = "1.000894"  # đăng ký kết hôn: postal_return false
EXTRACT_COPY = "2.000635"  # bản sao trích lục hộ tịch: 4 working hours
LAND_MEDIATION = "1.012812"  # hòa giải tranh chấp đất đai: 30 calendar days


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AGENCY_TZ)


NOW = local(2026, 11, 20, 10, 0)


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    def pin(moment: datetime) -> None:
        fixed = moment.astimezone(UTC)
        monkeypatch.setattr(clock, "now", lambda: fixed)
    pin(NOW)
    return pin


def snapshot(store: Store) -> dict[str, object]:
    with store.engine.connect() as conn:
        result: dict[str, object] = {
            t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}
        result["sequence_rows"] = conn.execute(text("SELECT name, scope, last FROM sequence ORDER BY 1, 2")).all()
    return result


def owner(**changes: object) -> PersonInput:
    person = PersonInput(full_name="Nguyễn Văn Đức", id_number="001085012345", dob=date(1985, 3, 15),
                         phone="0912 345 678", email="duc.nv@gmail.com", address="Thôn 3, xã Tân Lập")
    for key, value in changes.items():
        setattr(person, key, value)
    return person


def make_request(store: Store, procedure: str = MARRIAGE_STATUS, **changes: object) -> IntakeRequest:
    with store.read() as session:
        _, spec = get_procedure(session, procedure)
    req = IntakeRequest(procedure_code=procedure, owner=owner(), documents=all_documents(spec))
    for key, value in changes.items():
        setattr(req, key, value)
    return req


def new_officer(store: Store, admin: Actor) -> Actor:
    with store.write() as session:
        return actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))


# --- a valid dossier ----------------------------------------------------------


def test_valid_dossier_writes_exactly_one_of_each(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    req = make_request(store, documents=[DocumentReceived(0, 1, 0, 0), DocumentReceived(1, 0, 1, 0)])
    result = receive(store, admin, req)
    after = snapshot(store)

    assert {t: after[t] - before[t] for t in TABLES} == {  # type: ignore[operator]
        "dossier": 1, "dossier_document": 4, "dossier_event": 1, "audit_entry": 1, "outbox": 1,
        # the day's dossier numbers and the year's register numbers
        "sequence": 2,
    }
    assert after["sequence_rows"] == [("dossier_code", "H15.50.05.13|20261120|0", 1), ("register", "2026|1", 1)]

    assert result.code == "H15.50.05.13-261120-0001"
    assert result.status is DossierStatus.ACCEPTED
    assert result.procedure_code == MARRIAGE_STATUS
    assert result.received_at == NOW
    assert result.late_entry is False
    assert result.missing_required == ()

    with store.read() as session:
        record = find_by_code(session, result.code)
    d = record.dossier
    assert d.id == result.dossier_id
    assert d.status == 2
    assert d.procedure_name == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert d.field_code == "HT"
    assert d.channel == "counter" and d.collection_method == "counter"
    assert d.owner_name == "Nguyễn Văn Đức"
    assert d.owner_id_number == "001085012345"
    assert d.owner_dob == date(1985, 3, 15)
    assert d.owner_phone == "0912345678"
    assert d.owner_email == "duc.nv@gmail.com"
    assert d.received_at == NOW and d.recorded_at == NOW
    assert (d.processing_value, d.processing_unit) == (3, "working_days")
    assert d.fee_total == 10000
    assert (d.register_book, d.register_number) == ("01/2026", 1)
    assert d.officer_id == admin.user_id and d.officer_name == "Nguyễn Thị Mai"
    assert d.counter_number == 1

    assert [(doc.position, doc.submitted) for doc in record.documents] == [
        (0, True), (1, True), (2, False), (3, False)]
    assert (record.documents[1].originals, record.documents[1].certified_copies) == (0, 1)
    assert [doc.required for doc in record.documents] == [True, False, False, False]

    (event,) = record.events
    assert (event.seq, event.type, event.status_after) == (1, "received", 2)
    assert event.at == NOW
    assert event.details == {"late_entry": False, "missing_required": []}

    with store.engine.connect() as conn:
        audit = conn.execute(text(
            "SELECT actor, entity, entity_id, details FROM audit_entry WHERE action = 'dossier.receive'")).one()
        box = conn.execute(text("SELECT kind, entity_id, payload FROM outbox")).one()
    assert (audit.actor, audit.entity, audit.entity_id) == ("quantri", "dossier", result.code)
    assert json.loads(audit.details) == {"procedure": MARRIAGE_STATUS, "late_entry": False, "missing_required": 0}
    assert (box.kind, box.entity_id) == ("dossier.received", result.dossier_id)
    payload = json.loads(box.payload)
    assert payload["code"] == result.code
    assert payload["status"] == 2
    assert payload["received_at"] == "2026-11-20T10:00:00+07:00"
    assert payload["due_at"] == "2026-11-26T10:00:00+07:00"
    assert payload["owner"]["name"] == "Nguyễn Văn Đức"
    assert len(payload["documents"]) == 4
    assert [e["type"] for e in payload["events"]] == ["received"]


def test_due_at_working_days_skips_weekend_and_culture_day(store: Store, admin: Actor, set_now: object) -> None:
    # 3 working days = 24 working hours from Fri 20/11 10:00:
    #   Fri 10:00-11:30 + 13:30-17:00 = 5 h (19 h left); Sat 21, Sun 22 off;
    #   Mon 23: 8 h (11 h left); Tue 24/11 Ngày Văn hóa Việt Nam: off;
    #   Wed 25: 8 h (3 h left); Thu 26: 07:00 + 3 h = 10:00.
    result = receive(store, admin, make_request(store))
    assert result.due_at == local(2026, 11, 26, 10, 0)
    with store.read() as session:
        assert find_by_code(session, result.code).dossier.due_at == local(2026, 11, 26, 10, 0)


def test_due_at_working_hours(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    # 4 working hours from Fri 20/11 16:00: 1 h on Friday, 3 h from Mon 23/11 07:00 → 10:00.
    set_now(local(2026, 11, 20, 16, 0))
    result = receive(store, admin, make_request(store, EXTRACT_COPY))
    assert result.due_at == local(2026, 11, 23, 10, 0)


def test_due_at_calendar_days(store: Store, admin: Actor, set_now: object) -> None:
    # 30 calendar days from Fri 20/11 10:00 is Sun 20/12 10:00, a day off → Mon 21/12 10:00.
    result = receive(store, admin, make_request(store, LAND_MEDIATION))
    assert result.due_at == local(2026, 12, 21, 10, 0)


def test_on_the_spot_procedure_has_no_due_date(store: Store, admin: Actor, set_now: object) -> None:
    result = receive(store, admin, make_request(store, BIRTH))
    assert result.due_at is None
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT due_at FROM dossier")).scalar_one() is None


# --- refusals write nothing ----------------------------------------------------


def test_invalid_input_names_each_field_and_writes_nothing(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    req = make_request(store, owner=owner(id_number="003085012345", phone="0123456789"))
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    error = caught.value
    assert {p.field for p in error.problems} == {"owner_id", "owner_phone"}
    assert "mã tỉnh" in (error.for_field("owner_id") or "")
    assert "Số điện thoại không hợp lệ" in (error.for_field("owner_phone") or "")
    # str(error) is the message shown: one line per field
    assert str(error).count("\n") == 1
    assert snapshot(store) == before
    # and the next good dossier still gets number 0001
    assert receive(store, admin, make_request(store)).code.endswith("-0001")


def test_every_bad_field_is_reported_at_once(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    req = make_request(
        store, MARRIAGE_STATUS,
        owner=owner(full_name="", id_number="001085012345", dob=date(1990, 1, 1), email="khong-phai-email",
                    address="Thôn\x07 3"),
        submitter=PersonInput(full_name="Lê Thị Hoa", id_number="12", phone="091234567"),
        sets=0, note="x" * 2001, documents=[DocumentReceived(7, 1, 0, 0)])
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    error = caught.value
    assert {p.field for p in error.problems} == {
        "owner_name", "owner_id", "owner_email", "owner_address", "submitter_id", "submitter_phone", "sets",
        "note", "documents"}
    assert "không khớp năm sinh" in (error.for_field("owner_id") or "")
    assert "Vui lòng nhập họ và tên chủ hồ sơ" in (error.for_field("owner_name") or "")
    assert "Số bộ hồ sơ" in (error.for_field("sets") or "")
    assert "Ghi chú quá dài" in (error.for_field("note") or "")
    assert "không khớp với thủ tục" in (error.for_field("documents") or "")
    assert snapshot(store) == before


def test_unknown_procedure_is_refused(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    req = IntakeRequest(procedure_code="9.999999", owner=owner())
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    assert "Không tìm thấy thủ tục có mã '9.999999'" in (caught.value.for_field("procedure") or "")
    assert snapshot(store) == before


def test_missing_required_documents_refused_unless_accepted(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    # only the optional 2nd document handed in; the required form (1st) is missing
    req = make_request(store, documents=[DocumentReceived(1, 0, 1, 0)])
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    message = caught.value.for_field("documents") or ""
    assert "Chưa đánh dấu giấy tờ bắt buộc" in message
    assert "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu" in message
    assert "phiếu yêu cầu bổ sung" in message
    assert snapshot(store) == before

    req.accept_missing_required = True
    result = receive(store, admin, req)
    assert result.missing_required == ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu",)
    with store.read() as session:
        record = find_by_code(session, result.code)
    assert [doc.submitted for doc in record.documents] == [False, True, False, False]
    assert record.events[0].details == {
        "late_entry": False, "missing_required": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"]}


def test_document_with_all_zero_counts_is_not_handed_in(store: Store, admin: Actor, set_now: object) -> None:
    req = make_request(store, documents=[DocumentReceived(0, 0, 0, 0)])
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    assert caught.value.for_field("documents")


def test_failure_mid_transaction_leaves_nothing(store: Store, admin: Actor, set_now: object,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(store)

    def broken_enqueue(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk I/O error (simulated)")

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "enqueue", broken_enqueue)
        with pytest.raises(RuntimeError, match="simulated"):
            receive(store, admin, make_request(store))
    # dossier, documents, event, audit row, outbox and both sequences: all rolled back
    assert snapshot(store) == before
    assert receive(store, admin, make_request(store)).code == "H15.50.05.13-261120-0001"


# --- late entry and the clock --------------------------------------------------


def test_late_entry_keeps_the_real_receipt_time(store: Store, admin: Actor,
                                                set_now: Callable[[datetime], None]) -> None:
    now = local(2026, 11, 22, 9, 0)
    set_now(now)
    received = now - timedelta(days=2)  # Fri 20/11 09:00
    result = receive(store, admin, make_request(store, received_at=received))
    assert result.late_entry is True
    assert result.received_at == received
    assert result.code == "H15.50.05.13-261120-0001"
    # due date counts from when the citizen really handed it in:
    # Fri 09:00-11:30 + 13:30-17:00 = 6 h (18 h left), Mon 23: 8 h (10 h left), Tue 24 off,
    # Wed 25: 8 h (2 h left), Thu 26: 07:00 + 2 h = 09:00
    assert result.due_at == local(2026, 11, 26, 9, 0)
    with store.read() as session:
        record = find_by_code(session, result.code)
    assert record.dossier.late_entry is True
    assert record.dossier.received_at == received
    assert record.dossier.recorded_at == now
    assert record.events[0].at == received
    assert record.events[0].recorded_at == now
    assert record.events[0].details["late_entry"] is True


def test_late_entry_threshold_is_15_minutes(store: Store, admin: Actor, set_now: object) -> None:
    assert receive(store, admin, make_request(store, received_at=NOW - timedelta(minutes=14))).late_entry is False
    assert receive(store, admin, make_request(store, received_at=NOW - timedelta(minutes=16))).late_entry is True


def test_officer_cannot_make_a_late_entry_but_can_receive(store: Store, admin: Actor, set_now: object) -> None:
    officer = new_officer(store, admin)
    before = snapshot(store)
    with pytest.raises(PermissionDenied) as caught:
        receive(store, officer, make_request(store, received_at=NOW - timedelta(days=2)))
    assert "canbo1" in str(caught.value)
    assert "nhập bù" in str(caught.value)
    assert snapshot(store) == before

    result = receive(store, officer, make_request(store))
    assert result.late_entry is False
    with store.read() as session:
        d = find_by_code(session, result.code).dossier
    assert (d.officer_id, d.officer_name) == (officer.user_id, "Trần Văn Bình")


def test_future_receipt_time_is_refused(store: Store, admin: Actor, set_now: object) -> None:
    before = snapshot(store)
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, make_request(store, received_at=NOW + timedelta(minutes=10)))
    assert "tương lai" in (caught.value.for_field("received_at") or "")
    with pytest.raises(ValidationFailed):
        receive(store, admin, make_request(store, received_at=local(2026, 12, 1, 8, 0)))
    assert snapshot(store) == before
    # a clock a few minutes behind is tolerated
    assert receive(store, admin, make_request(store, received_at=NOW + timedelta(minutes=4))).late_entry is False


def test_naive_receipt_time_is_refused(store: Store, admin: Actor, set_now: object) -> None:
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, make_request(store, received_at=datetime(2026, 11, 20, 9, 0)))
    assert "múi giờ" in (caught.value.for_field("received_at") or "")


def test_receipt_time_in_another_zone_is_the_same_instant(store: Store, admin: Actor, set_now: object) -> None:
    # 02:30 UTC = 09:30 in Việt Nam
    result = receive(store, admin, make_request(store, received_at=datetime(2026, 11, 20, 2, 30, tzinfo=UTC)))
    assert result.received_at == local(2026, 11, 20, 9, 30)
    with store.engine.connect() as conn:
        # stored as UTC wall time
        assert conn.execute(text("SELECT received_at FROM dossier")).scalar_one().startswith("2026-11-20 02:30:00")


# --- collection by post --------------------------------------------------------


def test_postal_collection_refused_when_procedure_does_not_allow_it(store: Store, admin: Actor,
                                                                     set_now: object) -> None:
    before = snapshot(store)
    req = make_request(store, MARRIAGE, collection=CollectionMethod.POST, collection_address="Thôn 3, xã Tân Lập")
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    assert "không cho phép trả kết quả qua bưu chính" in (caught.value.for_field("collection") or "")
    assert snapshot(store) == before


def test_postal_collection_allowed_and_needs_an_address(store: Store, admin: Actor, set_now: object) -> None:
    req = make_request(store, collection=CollectionMethod.POST, owner=owner(address=""))
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    assert caught.value.for_field("collection_address")

    req.collection_address = "  Bưu điện   xã Tân Lập "
    result = receive(store, admin, req)
    with store.read() as session:
        d = find_by_code(session, result.code).dossier
    assert (d.collection_method, d.collection_address) == ("post", "Bưu điện xã Tân Lập")

    # without an explicit address the owner's address is used
    result = receive(store, admin, make_request(store, collection=CollectionMethod.POST))
    with store.read() as session:
        assert find_by_code(session, result.code).dossier.collection_address == "Thôn 3, xã Tân Lập"


# --- text as typed --------------------------------------------------------------


def test_nfd_names_are_stored_nfc(store: Store, admin: Actor, set_now: object) -> None:
    def nfd(s: str) -> str:
        return unicodedata.normalize("NFD", s)

    req = make_request(
        store, owner=owner(full_name=nfd("  Nguyễn   Văn Đức "), address=nfd("Bản Luốc, xã Tân Lập")),
        submitter=PersonInput(full_name=nfd("Lò Thị Hương"), id_number="015190001234", phone="+84 386 123 456"),
        note=nfd("Nộp thay cho bố"))
    result = receive(store, admin, req)
    with store.read() as session:
        d = find_by_code(session, result.code).dossier
    assert d.owner_name == "Nguyễn Văn Đức"
    assert d.owner_address == "Bản Luốc, xã Tân Lập"
    assert d.submitter_name == "Lò Thị Hương"
    assert d.submitter_id_number == "015190001234"
    assert d.submitter_phone == "0386123456"
    assert d.note == "Nộp thay cho bố"
    for value in (d.owner_name, d.owner_address, d.submitter_name, d.note):
        assert unicodedata.is_normalized("NFC", value)


def test_search_text_is_folded(store: Store, admin: Actor, set_now: object) -> None:
    result = receive(store, admin, make_request(store))
    with store.read() as session:
        d = find_by_code(session, result.code).dossier
    assert d.search_text == "h15.50.05.13-261120-0001 nguyen van duc 001085012345 0912345678"
    assert fold("NGUYỄN VĂN ĐỨC") in d.search_text


def test_business_owner_with_tax_code(store: Store, admin: Actor, set_now: object) -> None:
    req = make_request(store, "1.001612", subject_type=SubjectType.BUSINESS,
                       owner=owner(full_name="Hộ kinh doanh Tạp hóa Hồng", id_number="5300123456", dob=None))
    result = receive(store, admin, req)
    with store.read() as session:
        d = find_by_code(session, result.code).dossier
    assert (d.subject_type, d.owner_id_number) == (2, "5300123456")
    # the same tax code is not an identity number for a citizen
    with pytest.raises(ValidationFailed):
        receive(store, admin, make_request(store, owner=owner(id_number="5300123456", dob=None)))


def test_submitter_details_without_a_name_are_not_dropped_silently(store: Store, admin: Actor,
                                                                   set_now: object) -> None:
    before = snapshot(store)
    req = make_request(store, submitter=PersonInput(full_name="", id_number="015190001234", phone="0386123456"))
    with pytest.raises(ValidationFailed) as caught:
        receive(store, admin, req)
    assert "người nộp" in (caught.value.for_field("submitter_name") or "")
    assert snapshot(store) == before

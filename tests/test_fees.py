"""Payments, exemptions and refunds on a dossier; receipt numbers from a per-year sequence."""

from datetime import datetime

import pytest

from app import fees
from app.db import Store
from app.dossiers import find_by_code
from app.errors import PermissionDenied, ValidationFailed
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.catalog import get_procedure
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor
from app.users import actor_for, create_user
from app.worktime import AGENCY_TZ
from models.enums import PaymentKind, PaymentMethod, Role

CERTIFY_SIGNATURE = "2.000884"  # chứng thực chữ ký: a procedure with a fee


def fee_dossier(store: Store, admin: Actor) -> tuple[str, int]:
    with store.read() as session:
        _, spec = get_procedure(session, CERTIFY_SIGNATURE)
    assert spec.fee_total > 0
    code = receive(store, admin, IntakeRequest(
        procedure_code=spec.code, owner=PersonInput(full_name="Phạm Thị Duyên", id_number="001190001234"),
        documents=all_documents(spec))).code
    return code, spec.fee_total


def balance(store: Store, code: str) -> int:
    with store.read() as session:
        return fees.summary(session, find_by_code(session, code).dossier).balance


def test_payment_receipt_numbers_and_balance(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    set_now(datetime(2026, 11, 23, 9, 0, tzinfo=AGENCY_TZ))
    code, total = fee_dossier(store, admin)
    other, _ = fee_dossier(store, admin)
    assert balance(store, code) == total
    first = fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.PAYMENT, total, PaymentMethod.CASH))
    second = fees.record(store, admin, other, fees.PaymentRequest(PaymentKind.PAYMENT, 1000,
                                                                  PaymentMethod.BANK_TRANSFER, payer="Phạm Văn Tú"))
    assert (first.receipt_number, second.receipt_number) == ("0000001/2026", "0000002/2026")
    assert first.payer == "Phạm Thị Duyên"  # defaults to the person who submitted
    assert balance(store, code) == 0
    set_now(datetime(2027, 1, 4, 9, 0, tzinfo=AGENCY_TZ))
    third = fees.record(store, admin, other, fees.PaymentRequest(PaymentKind.PAYMENT, 1000))
    assert third.receipt_number == "0000001/2027"  # the sequence restarts each year


def test_refunds_and_exemptions(store: Store, admin: Actor) -> None:
    code, total = fee_dossier(store, admin)
    with pytest.raises(ValidationFailed) as too_much:
        fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.REFUND, 1000, note="Thu nhầm"))
    assert too_much.value.for_field("amount")
    with pytest.raises(ValidationFailed) as over:
        fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.PAYMENT, total + 1))
    assert "vượt số còn phải thu" in (over.value.for_field("amount") or "")
    fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.PAYMENT, total))
    fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.REFUND, 500, note="Thu thừa"))
    assert balance(store, code) == 500
    with pytest.raises(ValidationFailed) as no_reason:
        fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.EXEMPTION, 500))
    assert no_reason.value.for_field("note")
    fees.record(store, admin, code, fees.PaymentRequest(PaymentKind.EXEMPTION, 500, note="Hộ nghèo"))
    with store.read() as session:
        dossier = find_by_code(session, code).dossier
        summary = fees.summary(session, dossier)
    assert (summary.paid, summary.refunded, summary.exempted, summary.balance) == (total, 500, 500, 0)
    assert dossier.amount_paid == total - 500


def test_officer_cannot_exempt_and_nothing_is_collected_after_withdrawal(store: Store, admin: Actor) -> None:
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    code, total = fee_dossier(store, admin)
    with pytest.raises(PermissionDenied):
        fees.record(store, officer, code, fees.PaymentRequest(PaymentKind.EXEMPTION, total, note="Hộ nghèo"))
    perform(store, officer, code, StepRequest(Action.WITHDRAW))
    with pytest.raises(ValidationFailed):
        fees.record(store, officer, code, fees.PaymentRequest(PaymentKind.PAYMENT, total))
    with pytest.raises(ValidationFailed):
        fees.record(store, officer, code, fees.PaymentRequest(PaymentKind.PAYMENT, 0))

"""Fees and charges on a dossier: payments, exemptions, refunds, and what is still due.

Receipt numbers come from a per-year sequence inside the payment's own
transaction, so two payments never share a number even when typed at once.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app import audit, clock, outbox
from app.codes import next_value
from app.db import Store
from app.dossiers import find_by_code
from app.errors import FieldProblem, ValidationFailed
from app.permissions import Actor, Permission
from app.serialize import iso
from app.validation import MAX_NOTE, check_person_name, check_text
from app.worktime import AGENCY_TZ
from models.enums import DossierStatus, PaymentKind, PaymentMethod
from models.tables import Dossier, Payment

MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class FeeSummary:
    total: int
    exempted: int
    paid: int
    refunded: int
    payments: tuple[Payment, ...]

    @property
    def balance(self) -> int:
        """Still to collect (negative: collected too much)."""
        return self.total - self.exempted - (self.paid - self.refunded)


def summary(session: Session, dossier: Dossier) -> FeeSummary:
    rows = tuple(session.exec(select(Payment).where(Payment.dossier_id == dossier.id)
                              .order_by(col(Payment.at))).all())

    def total_of(kind: PaymentKind) -> int:
        return sum(p.amount for p in rows if p.kind == kind.value)

    return FeeSummary(dossier.fee_total, total_of(PaymentKind.EXEMPTION), total_of(PaymentKind.PAYMENT),
                      total_of(PaymentKind.REFUND), rows)


def format_receipt_number(year: int, number: int) -> str:
    return f"{number:07d}/{year}"


@dataclass
class PaymentRequest:
    kind: PaymentKind
    amount: int
    method: PaymentMethod = PaymentMethod.CASH
    payer: str = ""
    items: list[dict[str, Any]] | None = None
    note: str = ""


def record(store: Store, actor: Actor, code: str, request: PaymentRequest) -> Payment:
    actor.require(Permission.PROCESS if request.kind is PaymentKind.PAYMENT else Permission.FEE_OVERRIDE)
    with store.write() as session:
        return _record(session, actor, code, request)


def _record(session: Session, actor: Actor, code: str, request: PaymentRequest) -> Payment:
    dossier = find_by_code(session, code).dossier
    fees = summary(session, dossier)
    problems: list[FieldProblem] = []
    if isinstance(request.amount, bool) or not 0 < request.amount <= MAX_AMOUNT:
        problems.append(FieldProblem("amount", "Số tiền phải lớn hơn 0."))
    note, problem = check_text("note", request.note, "Ghi chú", MAX_NOTE, required=request.kind is not PaymentKind.PAYMENT)
    if problem:
        problems.append(FieldProblem("note", "Vui lòng ghi lý do miễn, giảm hoặc hoàn trả." if not note
                                     else problem.message))
    payer = ""
    if request.kind is PaymentKind.PAYMENT:
        payer, problem = check_person_name("payer", request.payer or dossier.submitter_name or dossier.owner_name,
                                           "Họ tên người nộp tiền")
        if problem:
            problems.append(problem)
        if DossierStatus(dossier.status) in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
            problems.append(FieldProblem("amount", "Hồ sơ đã bị từ chối hoặc rút; không thu thêm phí."))
    if request.kind is PaymentKind.PAYMENT and request.amount > max(fees.balance, 0):
        owed = f"{max(fees.balance, 0):,}".replace(",", ".")
        problems.append(FieldProblem("amount", f"Số tiền thu vượt số còn phải thu ({owed} đồng)."))
    if request.kind is PaymentKind.REFUND and request.amount > fees.paid - fees.refunded:
        problems.append(FieldProblem("amount", f"Chỉ hoàn trả tối đa số đã thu ({fees.paid - fees.refunded:,} đồng)."
                                     .replace(",", ".")))
    if request.kind is PaymentKind.EXEMPTION and request.amount > fees.total - fees.exempted:
        problems.append(FieldProblem("amount", "Số tiền miễn, giảm vượt quá số phí, lệ phí của hồ sơ."))
    if problems:
        raise ValidationFailed(problems)
    now = clock.now()
    receipt_number = ""
    if request.kind is PaymentKind.PAYMENT:
        year = now.astimezone(AGENCY_TZ).year
        receipt_number = format_receipt_number(year, next_value(session, "fee_receipt", str(year)))
    payment = Payment(
        id=str(uuid.uuid4()), dossier_id=dossier.id, kind=request.kind.value, amount=request.amount,
        method=request.method.value if request.kind is PaymentKind.PAYMENT else "", receipt_number=receipt_number,
        payer=payer, items=request.items or [], note=note, at=now, officer_id=actor.user_id)
    session.add(payment)
    if request.kind is PaymentKind.PAYMENT:
        dossier.amount_paid += request.amount
    elif request.kind is PaymentKind.REFUND:
        dossier.amount_paid -= request.amount
    session.add(dossier)
    session.flush()
    audit.record(session, actor.username, f"fee.{request.kind.value}", "dossier", dossier.code,
                 {"amount": request.amount, "receipt": receipt_number})
    outbox.enqueue(session, f"fee.{request.kind.value}", payment.id,
                   {"code": dossier.code, "kind": payment.kind, "amount": payment.amount, "method": payment.method,
                    "receipt_number": receipt_number, "at": iso(now)})
    return payment

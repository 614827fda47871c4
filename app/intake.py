"""Receiving a dossier at the counter (tiếp nhận hồ sơ).

One call, one transaction: the dossier, its documents, its first event
(status 2, Được tiếp nhận), its audit row and its outbox entry are written
together or not at all.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from app import audit, clock, outbox
from app.calendar_store import load_calendar
from app.catalog import CatalogError, ProcedureSpec, get_procedure
from app.codes import allocate_dossier_code, allocate_register_number
from app.db import Store
from app.errors import FieldProblem, ValidationFailed
from app.permissions import Actor, Permission
from app.profile import load_profile
from app.search import index_dossier
from app.serialize import dossier_payload
from app.textfold import fold
from app.validation import (
    MAX_ADDRESS,
    MAX_NOTE,
    check_birth_date,
    check_email,
    check_identity_number,
    check_person_name,
    check_phone,
    check_text,
)
from app.worktime import AGENCY_TZ
from models.enums import Channel, CollectionMethod, DossierStatus, EventType, SubjectType
from models.tables import Dossier, DossierDocument, DossierEvent

# A receipt time further in the past than this is a late entry ("nhập bù") and says so.
LATE_ENTRY_THRESHOLD = timedelta(minutes=15)
# Clocks drift; a receipt time slightly ahead of the device clock is tolerated.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Paper dossiers are typed in after an outage of hours or days; older dates are almost surely typos.
MAX_LATE_ENTRY_AGE = timedelta(days=31)
MAX_SETS = 99


@dataclass
class PersonInput:
    full_name: str = ""
    id_number: str = ""
    dob: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class DocumentReceived:
    """What was handed in for the procedure's document at `position` in its checklist."""

    position: int
    originals: int
    certified_copies: int
    copies: int


@dataclass
class IntakeRequest:
    procedure_code: str
    owner: PersonInput
    subject_type: SubjectType = SubjectType.CITIZEN
    submitter: PersonInput | None = None
    sets: int = 1
    collection: CollectionMethod = CollectionMethod.COUNTER
    collection_address: str = ""
    note: str = ""
    received_at: datetime | None = None
    documents: list[DocumentReceived] = field(default_factory=list)
    # The officer saw which required documents are missing and accepts the dossier anyway.
    accept_missing_required: bool = False
    channel: Channel = Channel.COUNTER


@dataclass(frozen=True)
class IntakeResult:
    dossier_id: str
    code: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime | None
    procedure_code: str
    late_entry: bool
    missing_required: tuple[str, ...]


def all_documents(spec: ProcedureSpec) -> list[DocumentReceived]:
    """Every checklist document, in the counts the catalog asks for (`--documents all`)."""
    return [DocumentReceived(i, d.originals, d.certified_copies, d.copies) for i, d in enumerate(spec.documents)]


def missing_required_documents(spec: ProcedureSpec, documents: list[DocumentReceived]) -> list[str]:
    handed_in = {d.position for d in documents if d.originals + d.certified_copies + d.copies > 0}
    return [d.name for i, d in enumerate(spec.documents) if d.required and i not in handed_in]


@dataclass
class _CleanPerson:
    full_name: str
    id_number: str
    dob: date | None
    phone: str
    email: str
    address: str


def _check_person(prefix: str, person: PersonInput, today: date, business: bool,
                  problems: list[FieldProblem]) -> _CleanPerson:
    def keep(result: tuple[str, FieldProblem | None]) -> str:
        value, problem = result
        if problem:
            problems.append(problem)
        return value

    full_name = keep(check_person_name(f"{prefix}_name", person.full_name,
                                       "Họ và tên chủ hồ sơ" if prefix == "owner" else "Họ và tên người nộp"))
    dob_problem = check_birth_date(f"{prefix}_dob", person.dob, today)
    if dob_problem:
        problems.append(dob_problem)
    id_required = prefix == "owner" or bool(person.id_number.strip())
    id_number = keep(check_identity_number(f"{prefix}_id", person.id_number, None if dob_problem else person.dob,
                                           business)) if id_required else ""
    return _CleanPerson(
        full_name=full_name, id_number=id_number, dob=person.dob,
        phone=keep(check_phone(f"{prefix}_phone", person.phone)),
        email=keep(check_email(f"{prefix}_email", person.email)),
        address=keep(check_text(f"{prefix}_address", person.address, "Địa chỉ", MAX_ADDRESS)),
    )


def _check_request(request: IntakeRequest, spec: ProcedureSpec, now: datetime
                   ) -> tuple[_CleanPerson, _CleanPerson | None, str, str, datetime, list[str]]:
    problems: list[FieldProblem] = []
    today = now.astimezone(AGENCY_TZ).date()
    business = request.subject_type is SubjectType.BUSINESS
    owner = _check_person("owner", request.owner, today, business, problems)
    submitter = None
    given = request.submitter
    if given is not None and any([given.full_name.strip(), given.id_number.strip(), given.dob, given.phone.strip(),
                                  given.email.strip(), given.address.strip()]):
        submitter = _check_person("submitter", given, today, False, problems)
    if not 1 <= request.sets <= MAX_SETS:
        problems.append(FieldProblem("sets", f"Số bộ hồ sơ phải từ 1 đến {MAX_SETS}."))
    collection_address = ""
    if request.collection is CollectionMethod.POST:
        if not spec.postal_return:
            problems.append(FieldProblem("collection", "Thủ tục này không cho phép trả kết quả qua bưu chính."))
        collection_address, problem = check_text("collection_address", request.collection_address or owner.address,
                                                 "Địa chỉ nhận kết quả qua bưu chính", MAX_ADDRESS, required=True)
        if problem:
            problems.append(problem)
    note, problem = check_text("note", request.note, "Ghi chú", MAX_NOTE)
    if problem:
        problems.append(problem)
    received_at = request.received_at or now
    if received_at.tzinfo is None:
        problems.append(FieldProblem("received_at", "Thời điểm tiếp nhận phải kèm múi giờ."))
        received_at = now
    elif received_at - now > FUTURE_TOLERANCE:
        problems.append(FieldProblem("received_at", "Thời điểm tiếp nhận không thể ở tương lai."))
    elif now - received_at > MAX_LATE_ENTRY_AGE:
        problems.append(FieldProblem(
            "received_at", f"Chỉ nhập bù hồ sơ nhận trong vòng {MAX_LATE_ENTRY_AGE.days} ngày; hãy kiểm tra lại năm, "
                           "tháng của thời điểm tiếp nhận."))
    positions = set()
    for doc in request.documents:
        if not 0 <= doc.position < len(spec.documents) or doc.position in positions:
            problems.append(FieldProblem("documents", "Danh sách giấy tờ không khớp với thủ tục đã chọn."))
            break
        if min(doc.originals, doc.certified_copies, doc.copies) < 0 or \
                max(doc.originals, doc.certified_copies, doc.copies) > 99:
            problems.append(FieldProblem("documents", "Số lượng mỗi loại giấy tờ phải từ 0 đến 99."))
            break
        positions.add(doc.position)
    missing = missing_required_documents(spec, request.documents)
    if missing and not request.accept_missing_required:
        problems.append(FieldProblem(
            "documents", "Chưa đánh dấu giấy tờ bắt buộc: " + "; ".join(missing)
            + ". Hãy xác nhận tiếp nhận thiếu giấy tờ, hoặc lập phiếu yêu cầu bổ sung."))
    if problems:
        raise ValidationFailed(problems)
    return owner, submitter, collection_address, note, received_at, missing


def receive(store: Store, actor: Actor, request: IntakeRequest) -> IntakeResult:
    actor.require(Permission.RECEIVE)
    with store.write() as session:
        return _receive(session, actor, request)


def _receive(session: Session, actor: Actor, request: IntakeRequest) -> IntakeResult:
    now = clock.now()
    profile = load_profile(session)
    try:
        procedure, spec = get_procedure(session, request.procedure_code)
    except CatalogError as error:
        raise ValidationFailed([FieldProblem("procedure", str(error))]) from None
    owner, submitter, collection_address, note, received_at, missing = _check_request(request, spec, now)
    late_entry = now - received_at > LATE_ENTRY_THRESHOLD
    if late_entry:
        actor.require(Permission.LATE_ENTRY)

    local_received = received_at.astimezone(AGENCY_TZ)
    code = allocate_dossier_code(session, profile.agency_code, profile.code_slot, local_received.date())
    register_number = allocate_register_number(session, profile.counter_number, local_received.year)
    due_at = load_calendar(session).due_at(received_at, spec.processing_value, spec.processing_unit)
    dossier = Dossier(
        id=str(uuid.uuid4()), code=code, procedure_id=procedure.id, procedure_code=spec.code,
        procedure_name=spec.name, field_code=spec.field_code, channel=request.channel.value,
        status=DossierStatus.ACCEPTED.value,
        owner_name=owner.full_name, owner_id_number=owner.id_number, owner_dob=owner.dob,
        owner_phone=owner.phone, owner_email=owner.email, owner_address=owner.address,
        subject_type=request.subject_type.value,
        submitter_name=submitter.full_name if submitter else "",
        submitter_id_number=submitter.id_number if submitter else "",
        submitter_phone=submitter.phone if submitter else "",
        sets=request.sets, collection_method=request.collection.value, collection_address=collection_address,
        note=note, received_at=received_at, recorded_at=now, late_entry=late_entry, due_at=due_at,
        processing_value=spec.processing_value, processing_unit=spec.processing_unit.value,
        fee_total=spec.fee_total,
        # One register book per counter and year, so two counters never write the same book and number.
        register_book=f"{profile.counter_number:02d}/{local_received.year}",
        register_number=register_number, officer_id=actor.user_id, officer_name=actor.full_name,
        counter_number=profile.counter_number,
        search_text=fold(f"{code} {owner.full_name} {owner.id_number} {owner.phone}"),
    )
    session.add(dossier)
    handed_in = {d.position: d for d in request.documents}
    documents = []
    for position, required_doc in enumerate(spec.documents):
        got = handed_in.get(position)
        documents.append(DossierDocument(
            dossier_id=dossier.id, position=position, name=required_doc.name,
            originals=got.originals if got else 0, certified_copies=got.certified_copies if got else 0,
            copies=got.copies if got else 0, required=required_doc.required,
            submitted=got is not None and got.originals + got.certified_copies + got.copies > 0))
    session.add_all(documents)
    event = DossierEvent(
        id=str(uuid.uuid4()), dossier_id=dossier.id, seq=1, type=EventType.RECEIVED.value, at=received_at,
        recorded_at=now, officer_id=actor.user_id, counter_number=profile.counter_number,
        status_after=DossierStatus.ACCEPTED.value,
        details={"late_entry": late_entry, "missing_required": missing},
    )
    session.add(event)
    session.flush()
    index_dossier(session, dossier)
    audit.record(session, actor.username, "dossier.receive", "dossier", code,
                 {"procedure": spec.code, "late_entry": late_entry, "missing_required": len(missing)})
    outbox.enqueue(session, "dossier.received", dossier.id, dossier_payload(dossier, documents, [event]))
    return IntakeResult(
        dossier_id=dossier.id, code=code, status=DossierStatus.ACCEPTED, received_at=received_at, due_at=due_at,
        procedure_code=spec.code, late_entry=late_entry, missing_required=tuple(missing))

"""The procedure catalog: import from JSON, list, and search-as-you-type.

An import is validated whole before anything is written, then applied in one
transaction: a bad file never leaves a half-updated catalog behind.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, select

from app import audit, clock
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.textfold import clean_text, fold, search_terms
from models.enums import AgencyLevel, FeeKind, OnlineLevel, ProcessingUnit
from models.tables import Procedure, ProcedureDocument, ProcedureFee, ProcedureField


class CatalogError(CounterError):
    pass


@dataclass(frozen=True)
class FeeItem:
    kind: FeeKind
    name: str
    amount: int


@dataclass(frozen=True)
class RequiredDocument:
    name: str
    originals: int
    certified_copies: int
    copies: int
    required: bool


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field_code: str
    field_name: str
    level: AgencyLevel
    processing_value: int
    processing_unit: ProcessingUnit
    fees: tuple[FeeItem, ...]
    documents: tuple[RequiredDocument, ...]
    online_level: OnlineLevel
    postal_return: bool

    @property
    def fee_total(self) -> int:
        return sum(f.amount for f in self.fees)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    codes: list[str] = field(default_factory=list)


# --- parsing ---------------------------------------------------------------


class _RecordError(Exception):
    pass


def _text(record: dict[str, Any], key: str, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _RecordError(f"trường '{key}' phải là chuỗi ký tự không rỗng")
    text = clean_text(value)
    if len(text) > MAX_TEXT:
        raise _RecordError(f"trường '{key}' dài {len(text):,} ký tự, quá giới hạn {MAX_TEXT:,}".replace(",", "."))
    return text


# Bounds that no real procedure reaches; beyond them a typo would overflow dates or money columns.
MAX_AMOUNT = 10**12
MAX_PROCESSING_VALUE = 1000
MAX_COPIES = 99
# The longest real name (document, fee, procedure) is under 300 characters; forms must stay printable.
MAX_TEXT = 2000
# Real catalogs are well under a megabyte; a file far bigger is not a catalog and would exhaust memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


def _int(record: dict[str, Any], key: str, default: int | None = None, minimum: int = 0,
         maximum: int = MAX_COPIES) -> int:
    value = record.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise _RecordError(f"trường '{key}' phải là số nguyên từ {minimum} đến {maximum:,}".replace(",", "."))
    return value


def _list(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _RecordError(f"trường '{key}' phải là danh sách")
    return value


def _bool(record: dict[str, Any], key: str, default: bool) -> bool:
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise _RecordError(f"trường '{key}' phải là true hoặc false")
    return value


def _choice(record: dict[str, Any], key: str, enum: Any, default: Any = None) -> Any:
    value = record.get(key, default)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise _RecordError(f"trường '{key}' có giá trị '{value}' không hợp lệ (chọn: {allowed})") from None


def _parse_procedure(record: Any) -> ProcedureSpec:
    if not isinstance(record, dict):
        raise _RecordError("mỗi thủ tục phải là một đối tượng JSON")
    processing = record.get("processing")
    if not isinstance(processing, dict):
        raise _RecordError("trường 'processing' phải có dạng {\"value\": số, \"unit\": đơn vị}")
    try:
        value = _int(processing, "value", maximum=MAX_PROCESSING_VALUE)
        unit = _choice(processing, "unit", ProcessingUnit)
    except _RecordError as error:
        raise _RecordError(f"processing: {error}") from None
    fees = []
    for index, fee in enumerate(_list(record, "fees"), start=1):
        if not isinstance(fee, dict):
            raise _RecordError(f"khoản phí thứ {index} phải là một đối tượng JSON")
        try:
            fees.append(FeeItem(_choice(fee, "kind", FeeKind), _text(fee, "name"),
                                _int(fee, "amount", maximum=MAX_AMOUNT)))
        except _RecordError as error:
            raise _RecordError(f"khoản phí thứ {index}: {error}") from None
    documents = []
    for index, doc in enumerate(_list(record, "documents"), start=1):
        if not isinstance(doc, dict):
            raise _RecordError(f"giấy tờ thứ {index} phải là một đối tượng JSON")
        try:
            documents.append(RequiredDocument(
                _text(doc, "name"), _int(doc, "originals", 0), _int(doc, "certified_copies", 0),
                _int(doc, "copies", 0), _bool(doc, "required", True)))
        except _RecordError as error:
            raise _RecordError(f"giấy tờ thứ {index}: {error}") from None
    code = _text(record, "code")
    if len(code) > 64 or any(ch.isspace() for ch in code):
        raise _RecordError(f"mã thủ tục '{code}' không hợp lệ (không dấu cách, tối đa 64 ký tự)")
    return ProcedureSpec(
        code=code, name=_text(record, "name"), field_code=_text(record, "field_code"),
        field_name=_text(record, "field_name"), level=_choice(record, "level", AgencyLevel, "commune"),
        processing_value=value, processing_unit=unit, fees=tuple(fees), documents=tuple(documents),
        online_level=_choice(record, "online_level", OnlineLevel, "truc_tiep"),
        postal_return=_bool(record, "postal_return", False),
    )


def parse_catalog(data: Any) -> list[ProcedureSpec]:
    """Validate a whole catalog document; the first bad record is named in the error."""
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise CatalogError("Tệp danh mục không đúng định dạng: cần một đối tượng có khóa \"procedures\" là danh sách.")
    specs: list[ProcedureSpec] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(data["procedures"], start=1):
        code = record.get("code") if isinstance(record, dict) else None
        where = f"Thủ tục thứ {number}" + (f" (mã {code})" if isinstance(code, str) else "")
        try:
            spec = _parse_procedure(record)
        except _RecordError as error:
            raise CatalogError(f"{where}: {error}. Không có thủ tục nào được nhập.") from None
        if spec.code in seen:
            raise CatalogError(
                f"{where}: mã trùng với thủ tục thứ {seen[spec.code]}. Không có thủ tục nào được nhập.")
        seen[spec.code] = number
        specs.append(spec)
    if not specs:
        raise CatalogError("Tệp danh mục không có thủ tục nào.")
    return specs


def read_catalog_file(path: Path) -> list[ProcedureSpec]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CatalogError(f"Tệp {path.name} quá lớn để là một danh mục thủ tục "
                               f"(tối đa {MAX_FILE_BYTES // 1024 // 1024} MB).")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"Không đọc được tệp danh mục {path}: tệp không tồn tại.") from None
    except IsADirectoryError:
        raise CatalogError(f"Không đọc được tệp danh mục {path}: đây là một thư mục, "
                           "hãy chọn tệp danh mục (.json).") from None
    except PermissionError:
        raise CatalogError(f"Không đọc được tệp danh mục {path}: không có quyền đọc.") from None
    except OSError as error:
        # The system's own wording (strerror) is English; the number still helps whoever fixes the machine.
        raise CatalogError(f"Không đọc được tệp danh mục {path} (lỗi hệ thống số {error.errno}).") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogError(f"Tệp {path.name} không phải văn bản UTF-8.") from None
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"Tệp {path.name} không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}).") from None
    except RecursionError:
        # Thousands of nested brackets exhaust the parser's stack; no catalog is shaped like that.
        raise CatalogError(f"Tệp {path.name} không phải danh mục hợp lệ: dữ liệu lồng nhau quá sâu.") from None
    return parse_catalog(data)


# --- writing ---------------------------------------------------------------


def apply_catalog(session: Session, actor: Actor, specs: list[ProcedureSpec], source: str) -> ImportReport:
    """Create or update (by code) every procedure; call inside one write transaction."""
    actor.require(Permission.MANAGE_CATALOG)
    report = ImportReport()
    now = clock.now()
    for spec in specs:
        field_row = session.get(ProcedureField, spec.field_code)
        if field_row is None:
            session.add(ProcedureField(code=spec.field_code, name=spec.field_name))
        elif field_row.name != spec.field_name:
            field_row.name = spec.field_name
            session.add(field_row)
        procedure = session.exec(select(Procedure).where(Procedure.code == spec.code)).first()
        if procedure is None:
            procedure = Procedure(code=spec.code)
            report.created += 1
        else:
            report.updated += 1
            session.exec(delete(ProcedureFee).where(col(ProcedureFee.procedure_id) == procedure.id))
            session.exec(delete(ProcedureDocument).where(col(ProcedureDocument.procedure_id) == procedure.id))
        procedure.name = spec.name
        procedure.field_code = spec.field_code
        procedure.level = spec.level.value
        procedure.processing_value = spec.processing_value
        procedure.processing_unit = spec.processing_unit.value
        procedure.online_level = spec.online_level.value
        procedure.postal_return = spec.postal_return
        procedure.active = True
        procedure.search_text = fold(f"{spec.code} {spec.name}")
        procedure.updated_at = now
        session.add(procedure)
        session.flush()
        assert procedure.id is not None
        for position, fee in enumerate(spec.fees):
            session.add(ProcedureFee(procedure_id=procedure.id, position=position, kind=fee.kind.value,
                                     name=fee.name, amount=fee.amount))
        for position, doc in enumerate(spec.documents):
            session.add(ProcedureDocument(
                procedure_id=procedure.id, position=position, name=doc.name, originals=doc.originals,
                certified_copies=doc.certified_copies, copies=doc.copies, required=doc.required))
        report.codes.append(spec.code)
    audit.record(session, actor.username, "catalog.import", "catalog", source,
                 {"created": report.created, "updated": report.updated})
    return report


# --- reading ---------------------------------------------------------------


def _spec_from_row(session: Session, procedure: Procedure) -> ProcedureSpec:
    field_row = session.get(ProcedureField, procedure.field_code)
    fees = session.exec(select(ProcedureFee).where(ProcedureFee.procedure_id == procedure.id)
                        .order_by(col(ProcedureFee.position))).all()
    docs = session.exec(select(ProcedureDocument).where(ProcedureDocument.procedure_id == procedure.id)
                        .order_by(col(ProcedureDocument.position))).all()
    return ProcedureSpec(
        code=procedure.code, name=procedure.name, field_code=procedure.field_code,
        field_name=field_row.name if field_row else procedure.field_code, level=AgencyLevel(procedure.level),
        processing_value=procedure.processing_value, processing_unit=ProcessingUnit(procedure.processing_unit),
        fees=tuple(FeeItem(FeeKind(f.kind), f.name, f.amount) for f in fees),
        documents=tuple(RequiredDocument(d.name, d.originals, d.certified_copies, d.copies, d.required)
                        for d in docs),
        online_level=OnlineLevel(procedure.online_level), postal_return=procedure.postal_return,
    )


def get_procedure(session: Session, code: str) -> tuple[Procedure, ProcedureSpec]:
    procedure = session.exec(select(Procedure).where(Procedure.code == code.strip())).first()
    if procedure is None:
        raise CatalogError(f"Không tìm thấy thủ tục có mã '{code}' trong danh mục.")
    return procedure, _spec_from_row(session, procedure)


def list_procedures(session: Session) -> list[ProcedureSpec]:
    rows = session.exec(select(Procedure).where(Procedure.active == True)  # noqa: E712
                        .order_by(col(Procedure.field_code), col(Procedure.code))).all()
    return [_spec_from_row(session, row) for row in rows]


@dataclass(frozen=True)
class ProcedureHit:
    code: str
    name: str
    field_name: str
    processing_value: int
    processing_unit: str


def _rank(search_text: str, terms: list[str]) -> tuple[int, int]:
    """Terms that start a word count first ("tu" should find "tử" before "thủ tục")."""
    words = search_text.split()
    at_word_start = sum(any(word.startswith(term) for word in words) for term in terms)
    whole_words = sum(term in words for term in terms)
    return (-at_word_start, -whole_words)


def search_procedures(session: Session, query: str, limit: int = 50) -> list[ProcedureHit]:
    """Every term must appear (prefix-friendly substring) in the folded code + name.

    The catalog holds hundreds of rows at most, so ranking happens in Python
    over all matches; the list shows the best matches first.
    """
    statement = (select(Procedure.code, Procedure.name, ProcedureField.name, Procedure.processing_value,
                        Procedure.processing_unit, Procedure.search_text)
                 .join(ProcedureField, col(ProcedureField.code) == col(Procedure.field_code))
                 .where(Procedure.active == True))  # noqa: E712
    for term in search_terms(query):
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(col(Procedure.search_text).like(f"%{escaped}%", escape="\\"))
    terms = search_terms(query)
    rows = session.exec(statement.order_by(col(Procedure.field_code), col(Procedure.code))).all()
    ranked = sorted(rows, key=lambda row: _rank(row[5], terms))  # stable: catalog order among equals
    return [ProcedureHit(*row[:5]) for row in ranked[:limit]]


def spec_to_json(spec: ProcedureSpec) -> dict[str, Any]:
    """The import format, so that `catalog list --json` output can be imported again."""
    return {
        "code": spec.code, "name": spec.name, "field_code": spec.field_code, "field_name": spec.field_name,
        "level": spec.level.value,
        "processing": {"value": spec.processing_value, "unit": spec.processing_unit.value},
        "fees": [{"kind": f.kind.value, "name": f.name, "amount": f.amount} for f in spec.fees],
        "documents": [{"name": d.name, "originals": d.originals, "certified_copies": d.certified_copies,
                       "copies": d.copies, "required": d.required} for d in spec.documents],
        "online_level": spec.online_level.value, "postal_return": spec.postal_return,
    }

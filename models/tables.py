"""The counter's local tables.

Dossiers copy what they need from the catalog (procedure name, processing
time) at intake: the catalog is master data that the portal may change later,
and a printed slip must always be reproducible exactly as it was issued.
"""

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


def _utc(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class CounterProfile(SQLModel, table=True):
    """The single row describing this counter and its agency."""

    __tablename__ = "counter_profile"

    id: int = Field(default=1, primary_key=True)
    agency_code: str = Field(max_length=13)
    agency_name: str
    parent_name: str
    level: str
    counter_number: int
    # 0-9: the thousands digit of every dossier sequence this counter issues.
    code_slot: int
    agency_address: str = ""
    device_id: str
    created_at: datetime = _utc()
    # Ed25519 public key (raw 32 bytes, base64) that verifies this counter's signed receipts;
    # the private half is a file in the data directory readable by the app's user only.
    public_key: str = ""


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    full_name: str
    password_hash: str
    role: str
    active: bool = True
    created_at: datetime = _utc()
    # Consecutive wrong passwords; reaching the limit sets locked_until.
    failed_attempts: int = 0
    locked_until: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    password_changed_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Set when an admin resets the password: the user chooses a new one at the next login.
    must_change_password: bool = False


class ProcedureField(SQLModel, table=True):
    """Lĩnh vực."""

    __tablename__ = "procedure_field"

    code: str = Field(primary_key=True)
    name: str


class Procedure(SQLModel, table=True):
    __tablename__ = "procedure"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    field_code: str = Field(foreign_key="procedure_field.code", index=True)
    level: str
    processing_value: int
    processing_unit: str
    online_level: str
    postal_return: bool = False
    active: bool = True
    # Folded (no diacritics, đ→d, lower case) code + name, for search-as-you-type.
    search_text: str = ""
    updated_at: datetime = _utc()


class ProcedureFee(SQLModel, table=True):
    __tablename__ = "procedure_fee"

    id: Optional[int] = Field(default=None, primary_key=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True, ondelete="CASCADE")
    position: int
    kind: str
    name: str
    amount: int


class ProcedureDocument(SQLModel, table=True):
    __tablename__ = "procedure_document"

    id: Optional[int] = Field(default=None, primary_key=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True, ondelete="CASCADE")
    position: int
    name: str
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    required: bool = True


class CalendarOverride(SQLModel, table=True):
    """An administrator's correction of the statutory calendar for one day."""

    __tablename__ = "calendar_override"

    day: date = Field(primary_key=True)
    kind: str
    name: str
    created_by: str = ""
    created_at: datetime = _utc()


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON, nullable=False))


class Sequence(SQLModel, table=True):
    """Named counters (dossier numbers per day, register numbers per year).

    Only ever advanced inside a write transaction that holds SQLite's write
    lock, so two allocations can never read the same value.
    """

    __tablename__ = "sequence"

    name: str = Field(primary_key=True)
    scope: str = Field(primary_key=True)
    last: int = 0


class Dossier(SQLModel, table=True):
    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_received_at", "received_at"),
        Index("ix_dossier_status_due", "status", "due_at"),
        Index("ix_dossier_owner_id_number", "owner_id_number"),
        Index("ix_dossier_owner_phone", "owner_phone"),
        # Lists sorted and filtered in SQL (app.dossier_query); migration 0003.
        Index("ix_dossier_status_received", "status", "received_at"),
        Index("ix_dossier_field_received", "field_code", "received_at"),
        Index("ix_dossier_procedure_received", "procedure_code", "received_at"),
        Index("ix_dossier_procedure_name", "procedure_name", "received_at"),
        Index("ix_dossier_due_at", "due_at"),
        Index("ix_dossier_owner_name", "owner_name"),
        # The early-warning lists: waiting for a supplement / results not collected, oldest first.
        Index("ix_dossier_status_paused", "status", "paused_at"),
        Index("ix_dossier_status_finished", "status", "finished_at"),
        # Covering indexes for the report figures (app/reports): grouped counts read the index alone.
        Index("ix_dossier_report_received", "received_at", "field_code", "procedure_code", "channel",
              "counter_number"),
        Index("ix_dossier_report_returned", "returned_at", "field_code", "procedure_code", "satisfaction",
              "counter_number"),
        Index("ix_dossier_report_finished", "finished_at", "due_at", "field_code", "procedure_code",
              "counter_number"),
    )

    id: str = Field(primary_key=True)  # client-generated UUID
    code: str = Field(unique=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    procedure_code: str
    procedure_name: str
    field_code: str
    channel: str
    # Cached from the events (see app.lifecycle); rewritten only together with a new event.
    status: int
    owner_name: str
    owner_id_number: str
    owner_dob: Optional[date] = None
    owner_phone: str = ""
    owner_email: str = ""
    owner_address: str = ""
    subject_type: int = 1
    submitter_name: str = ""
    submitter_id_number: str = ""
    submitter_phone: str = ""
    sets: int = 1
    collection_method: str
    collection_address: str = ""
    note: str = ""
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    late_entry: bool = False
    due_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    processing_value: int
    processing_unit: str
    fee_total: int = 0
    register_book: str
    register_number: int
    officer_id: int = Field(foreign_key="user_account.id")
    officer_name: str
    counter_number: int
    search_text: str = ""
    # Lifecycle facts cached from the events (see app.lifecycle), for fast lists and reports.
    paused_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    finished_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    returned_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    extended: bool = False
    satisfaction: Optional[int] = None
    amount_paid: int = 0


class DossierDocument(SQLModel, table=True):
    __tablename__ = "dossier_document"

    id: Optional[int] = Field(default=None, primary_key=True)
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    position: int
    name: str
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    required: bool = True
    submitted: bool = False


class DossierEvent(SQLModel, table=True):
    """Append-only history of a dossier; the status is derived from it."""

    __tablename__ = "dossier_event"
    # (type, at): the reports count steps of one kind over a day or a period.
    __table_args__ = (UniqueConstraint("dossier_id", "seq"), Index("ix_dossier_event_type_at", "type", "at"))

    id: str = Field(primary_key=True)  # client-generated UUID
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    seq: int
    type: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    officer_id: int = Field(foreign_key="user_account.id")
    counter_number: int
    status_after: int
    details: Any = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Payment(SQLModel, table=True):
    """Money recorded against a dossier: a payment, an exemption, or a refund (negative effect)."""

    __tablename__ = "payment"

    id: str = Field(primary_key=True)  # client-generated UUID
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    kind: str
    amount: int
    method: str = ""
    receipt_number: str = ""
    payer: str = ""
    items: Any = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = ""
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    officer_id: int = Field(foreign_key="user_account.id")


class PrintedForm(SQLModel, table=True):
    """Which form was printed or saved for a dossier, when, by whom (shown in the dossier's detail)."""

    __tablename__ = "printed_form"

    id: Optional[int] = Field(default=None, primary_key=True)
    dossier_id: Optional[str] = Field(default=None, foreign_key="dossier.id", index=True)
    form: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    officer_id: int = Field(foreign_key="user_account.id")


class AuditEntry(SQLModel, table=True):
    """Hash-chained audit trail: each hash covers the row and the previous hash."""

    __tablename__ = "audit_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    mono: int = Field(unique=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor: str
    action: str
    entity: str = ""
    entity_id: str = ""
    details: Any = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str
    hash: str


class OutboxItem(SQLModel, table=True):
    """A change waiting to reach the provincial portal; written with the change itself."""

    __tablename__ = "outbox"
    # The engine reads "the next waiting items in order" on every batch (sync.engine, migration 0005).
    __table_args__ = (Index("ix_outbox_state_id", "state", "id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str
    entity_id: str
    payload: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # waiting / quarantined / delivered (see sync.state); a delivered row is kept as the proof of delivery.
    state: str = Field(default="waiting", sa_column_kwargs={"server_default": "waiting"})
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_error: str = Field(default="", sa_column_kwargs={"server_default": ""})
    quarantined_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    quarantine_reason: str = Field(default="", sa_column_kwargs={"server_default": ""})
    acked_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # accepted / duplicate: the portal's word for it.
    ack: str = Field(default="", sa_column_kwargs={"server_default": ""})


class SyncState(SQLModel, table=True):
    """Small facts of the sync engine (portal URL, pull cursor, last success), one row per key."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON, nullable=False))


class BackupRecord(SQLModel, table=True):
    """One backup copy made by this counter: where, how big, its SHA-256 and whether it checked out."""

    __tablename__ = "backup_record"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    path: str
    kind: str  # daily / exit / manual / before-restore
    size: int
    sha256: str
    integrity_ok: bool
    actor: str

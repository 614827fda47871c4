"""The reference portal's own database: SQLAlchemy Core, SQLite by default, PostgreSQL by URL.

Idempotency: `item.client_id` is the primary key and `dossier.code` is
UNIQUE. A push takes the write lock for its whole transaction (SQLite BEGIN
IMMEDIATE, a PostgreSQL advisory lock; see sync.portal.ingest), looks up
which of its items, codes and events exist, answers each item "accepted",
"duplicate" or "rejected" from that, and inserts with ON CONFLICT DO
NOTHING; two racing pushes of one batch store it once.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Engine, ForeignKey, Index, Integer, MetaData,
                        String, Table, UniqueConstraint, create_engine, event)

metadata = MetaData()

enrollment_code = Table(
    "enrollment_code", metadata,
    # SHA-256 of the code: a leaked database does not hand out enrollments.
    Column("code_hash", String(64), primary_key=True),
    Column("agency_code", String(13), nullable=False),
    Column("counter_number", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("device_id", String(64), nullable=True),
)

device = Table(
    "device", metadata,
    Column("device_id", String(64), primary_key=True),
    Column("agency_code", String(13), nullable=False),
    Column("counter_number", Integer, nullable=False),
    Column("public_key", String(128), nullable=False, default=""),
    # SHA-256 of the bearer token; the token itself exists only on the counter.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    # The newest audit-chain row the counter reported: a later, lower or forked head is visible here.
    Column("audit_mono", BigInteger, nullable=True),
    Column("audit_hash", String(64), nullable=True),
)

item = Table(
    "item", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("dossier_id", String(64), nullable=True, index=True),
    Column("device_id", String(64), ForeignKey("device.device_id"), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

dossier = Table(
    "dossier", metadata,
    Column("id", String(64), primary_key=True),
    Column("code", String(40), nullable=False),
    Column("agency_code", String(13), nullable=False, index=True),
    Column("device_id", String(64), ForeignKey("device.device_id"), nullable=False),
    Column("procedure_code", String(40), nullable=False),
    Column("status", Integer, nullable=False),
    Column("status_at", DateTime(timezone=True), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("code", name="uq_dossier_code"),
)

dossier_event = Table(
    "dossier_event", metadata,
    Column("id", String(64), primary_key=True),
    Column("dossier_id", String(64), ForeignKey("dossier.id"), nullable=False, index=True),
    Column("type", String(40), nullable=False),
    Column("status_after", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    # counter: pushed by a counter; portal: posted by a processing body.
    Column("source", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
)

change = Table(
    "change", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    # NULL: for every agency (catalog, calendar); else only that agency's counters pull it.
    Column("agency_code", String(13), nullable=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_change_agency_id", "agency_code", "id"),
)

portal_user = Table(
    "portal_user", metadata,
    Column("agency_code", String(13), primary_key=True),
    Column("username", String(32), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # An acknowledgement promises the item is stored: it must survive a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE: take the write lock up front, so two concurrent pushes queue instead of failing half-way.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def normalise_url(url: str) -> str:
    """A bare path means a SQLite file; postgresql:// URLs go through psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine

"""Append-only, hash-chained audit trail.

Each row's hash covers its own content and the previous row's hash, so an
edited, deleted, inserted or reordered row breaks the chain from that point
on (`app.audit_verify` walks it). Rows are written inside the same
transaction as the action they record.

The device clock is not trusted blindly: a row stamped noticeably earlier
than the row before it gets a `clock.backwards` row in front of it, so a PC
clock set back (to make a late dossier look on time) leaves a visible mark.
"""

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from models.tables import AuditEntry

GENESIS_HASH = "0" * 64
CLOCK_BACKWARDS = "clock.backwards"
# NTP corrections and a second PC's skew stay under this; a hand-set clock does not.
CLOCK_TOLERANCE = timedelta(minutes=2)


def entry_hash(mono: int, at: datetime, actor: str, action: str, entity: str, entity_id: str,
               details: dict[str, Any], prev_hash: str) -> str:
    canonical = json.dumps(
        [mono, at.isoformat(), actor, action, entity, entity_id, details, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def recompute(entry: AuditEntry) -> str:
    """The hash this row's stored content should have."""
    return entry_hash(entry.mono, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id,
                      entry.details, entry.prev_hash)


def _append(session: Session, last: AuditEntry | None, at: datetime, actor: str, action: str, entity: str,
            entity_id: str, details: dict[str, Any]) -> AuditEntry:
    mono = 1 if last is None else last.mono + 1
    prev_hash = GENESIS_HASH if last is None else last.hash
    entry = AuditEntry(
        mono=mono, at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
        details=details, prev_hash=prev_hash,
        hash=entry_hash(mono, at, actor, action, entity, entity_id, details, prev_hash),
    )
    session.add(entry)
    return entry


def latest(session: Session) -> AuditEntry | None:
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc()).limit(1)).first()


def record(session: Session, actor: str, action: str, entity: str = "", entity_id: str = "",
           details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one row. Call inside a write transaction (it holds the lock that orders the chain)."""
    details = details or {}
    last = latest(session)
    # Microsecond precision survives the UTC round-trip through SQLite unchanged.
    at = clock.now()
    if last is not None and at < last.at - CLOCK_TOLERANCE:
        last = _append(session, last, at, actor, CLOCK_BACKWARDS, "clock", "", {
            "previous_at": last.at.isoformat(), "device_at": at.isoformat(),
            "behind_seconds": round((last.at - at).total_seconds()), "before_action": action,
        })
    return _append(session, last, at, actor, action, entity, entity_id, details)


def recent(session: Session, limit: int = 50) -> list[AuditEntry]:
    """The newest rows first."""
    return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc()).limit(limit)))

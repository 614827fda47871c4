"""Append-only, hash-chained audit trail.

Each row's hash covers its own content and the previous row's hash, so an
edited, deleted, inserted or reordered row breaks the chain from that point
on. Rows are written inside the same transaction as the action they record.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from models.tables import AuditEntry

GENESIS_HASH = "0" * 64


def entry_hash(mono: int, at: datetime, actor: str, action: str, entity: str, entity_id: str,
               details: dict[str, Any], prev_hash: str) -> str:
    canonical = json.dumps(
        [mono, at.isoformat(), actor, action, entity, entity_id, details, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, entity: str = "", entity_id: str = "",
           details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one row. Call inside a write transaction (it holds the lock that orders the chain)."""
    details = details or {}
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc()).limit(1)).first()
    mono = 1 if last is None else last.mono + 1
    prev_hash = GENESIS_HASH if last is None else last.hash
    # Microsecond precision survives the UTC round-trip through SQLite unchanged.
    at = clock.now()
    entry = AuditEntry(
        mono=mono, at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
        details=details, prev_hash=prev_hash,
        hash=entry_hash(mono, at, actor, action, entity, entity_id, details, prev_hash),
    )
    session.add(entry)
    return entry

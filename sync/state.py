"""The counter's side of sync at rest: outbox states, small facts, the device token, and the status summary.

The summary (`sync_status`) is what the status bar and the sync page show;
it reads only the local database and the token file, so it answers at once
even when the portal is unreachable.
"""

import os
import stat
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app import audit, clock
from app.db import Store
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.serialize import iso
from models.enums import OutboxState, SyncFact
from models.tables import AuditEntry, OutboxItem, SyncState

# Defined in models so that the reports (app/) read the same states and facts.
WAITING = OutboxState.WAITING.value
QUARANTINED = OutboxState.QUARANTINED.value
DELIVERED = OutboxState.DELIVERED.value

TOKEN_FILE = "portal-token"

PORTAL_URL = SyncFact.PORTAL_URL.value
CURSOR = SyncFact.CURSOR.value
LAST_SUCCESS = SyncFact.LAST_SUCCESS.value
LAST_ATTEMPT = SyncFact.LAST_ATTEMPT.value
LAST_ERROR = SyncFact.LAST_ERROR.value
ONLINE = SyncFact.ONLINE.value
CLOCK_OFFSET = SyncFact.CLOCK_OFFSET.value
ENROLLED_AT = SyncFact.ENROLLED_AT.value


def get(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else row.value


def put(session: Session, key: str, value: Any) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value
        session.add(row)


# --- the device token: a file readable by the app's account only, never in the database or a log ---------


def token_path(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILE


def save_token(data_dir: Path, token: str) -> None:
    path = token_path(data_dir)
    partial = path.with_name(path.name + ".partial")
    # Created owner-only from the first byte: no window where another account could read it.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    try:
        os.write(fd, token.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)


def load_token(data_dir: Path) -> str | None:
    try:
        return token_path(data_dir).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def audit_head(session: Session) -> tuple[int, str] | None:
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc()).limit(1)).first()
    return None if last is None else (last.mono, last.hash)


# --- the summary ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    portal_url: str | None
    waiting: int
    quarantined: int
    delivered: int
    last_success: datetime | None
    last_attempt: datetime | None
    last_error: str
    # None: never tried; else whether the portal answered at the last attempt.
    online: bool | None
    clock_offset_seconds: float | None
    cursor: int

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_success"] = iso(self.last_success)
        data["last_attempt"] = iso(self.last_attempt)
        return data


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(OutboxItem.state, func.count()).group_by(OutboxItem.state)).all()
    found = {state: int(n) for state, n in rows}
    return {s: found.get(s, 0) for s in (WAITING, QUARANTINED, DELIVERED)}


def sync_status(store: Store) -> SyncStatus:
    with store.read() as session:
        n = counts(session)
        return SyncStatus(
            enrolled=load_token(store.data_dir) is not None and get(session, PORTAL_URL) is not None,
            portal_url=get(session, PORTAL_URL), waiting=n[WAITING], quarantined=n[QUARANTINED],
            delivered=n[DELIVERED], last_success=_moment(get(session, LAST_SUCCESS)),
            last_attempt=_moment(get(session, LAST_ATTEMPT)), last_error=get(session, LAST_ERROR, ""),
            online=get(session, ONLINE), clock_offset_seconds=get(session, CLOCK_OFFSET),
            cursor=int(get(session, CURSOR, 0)))


@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: str
    entity_id: str
    code: str
    created_at: datetime
    attempts: int
    last_error: str
    quarantine_reason: str


def list_items(session: Session, state: str, limit: int = 500, offset: int = 0) -> list[QueueRow]:
    """The queue or the quarantine, oldest first (for the sync page and `sync status --json`)."""
    rows = session.exec(select(OutboxItem).where(OutboxItem.state == state).order_by(col(OutboxItem.id))
                        .offset(offset).limit(limit)).all()
    return [QueueRow(id=r.id or 0, kind=r.kind, entity_id=r.entity_id, code=str(r.payload.get("code", "")),
                     created_at=r.created_at, attempts=r.attempts, last_error=r.last_error,
                     quarantine_reason=r.quarantine_reason) for r in rows]


def retry_quarantined(store: Store, actor: Actor, item_id: int | None) -> int:
    """Put one quarantined item (or all, when item_id is None) back in the queue, in their original order."""
    actor.require(Permission.PROCESS)
    with store.write() as session:
        query = select(OutboxItem).where(OutboxItem.state == QUARANTINED)
        if item_id is not None:
            query = query.where(OutboxItem.id == item_id)
        rows = session.exec(query).all()
        if item_id is not None and not rows:
            raise CounterError(f"Không có mục {item_id} trong danh sách cách ly.")
        for row in rows:
            row.state = WAITING
            row.quarantined_at = None
            row.next_attempt_at = None
            row.last_error = row.quarantine_reason
            row.quarantine_reason = ""
            session.add(row)
        audit.record(session, actor.username, "sync.retry", "outbox", "" if item_id is None else str(item_id),
                     {"count": len(rows), "at": iso(clock.now())})
    return len(rows)

"""The sync queue as the daily report shows it, read from the outbox in the report's own snapshot."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from models.enums import OutboxState, SyncFact
from models.tables import OutboxItem
from models.tables import SyncState as SyncFactRow

NO_SYNC_TEXT = "chưa có đồng bộ"


@dataclass(frozen=True)
class SyncState:
    """Items waiting to go to the portal and items it quarantined, with the oldest of each, and the last success."""

    waiting: int
    quarantined: int
    oldest_waiting_at: datetime | None = None
    oldest_quarantined_at: datetime | None = None
    last_success: datetime | None = None


def read_sync_state(session: Session) -> SyncState | None:
    """None when this counter has never queued anything (a fresh counter): the report then says so."""
    rows = session.exec(
        select(OutboxItem.state, func.count(), func.min(OutboxItem.created_at), func.min(OutboxItem.quarantined_at))
        .where(col(OutboxItem.state) != OutboxState.DELIVERED.value).group_by(OutboxItem.state)).all()
    found = {state: (int(n), oldest, quarantined) for state, n, oldest, quarantined in rows}
    fact = session.get(SyncFactRow, SyncFact.LAST_SUCCESS.value)
    last_success = datetime.fromisoformat(fact.value) if fact is not None and isinstance(fact.value, str) else None
    if not found and last_success is None and session.exec(select(OutboxItem.id).limit(1)).first() is None:
        return None
    waiting = found.get(OutboxState.WAITING.value, (0, None, None))
    quarantined = found.get(OutboxState.QUARANTINED.value, (0, None, None))
    return SyncState(waiting=waiting[0], quarantined=quarantined[0], oldest_waiting_at=waiting[1],
                     oldest_quarantined_at=quarantined[2], last_success=last_success)

"""What every report figure shares: agency-day boundaries, bound parameters, buckets, cancellation.

Figures are computed with SQL aggregates on the stored UTC columns. A local
day or month of the agency becomes a half-open UTC range computed here in
Python (zoneinfo, Asia/Ho_Chi_Minh), so the machine's own time zone never
enters a report.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.dossier_query import RUNNING
from app.errors import CounterError
from app.worktime import AGENCY_TZ
from models.enums import DossierStatus

# Statuses in which the processing clock runs and no result exists yet (2 được tiếp nhận, 4 đang xử lý,
# 6 yêu cầu nghĩa vụ tài chính). 5 (chờ bổ sung) is paused: its due date moves when the papers come.
# The same set as the dossier list's "quá hạn" filter and the early-warning page: defined there once.
OPEN_STATUSES = tuple(sorted(RUNNING))
RESULT_READY = int(DossierStatus.RESULT_READY)


class ReportCancelled(CounterError):
    """The user pressed Cancel while a report was being built (the GUI handles it quietly)."""

    def __init__(self) -> None:
        super().__init__("Đã hủy.")


def check_cancel(cancel: threading.Event | None) -> None:
    """Called between figures and months so a long report stops soon after Cancel."""
    if cancel is not None and cancel.is_set():
        raise ReportCancelled()


def ts(moment: datetime) -> str:
    """A moment as SQLite holds UTCDateTime columns ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), for comparisons."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a report bound")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_ts(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def day_start(day: date) -> datetime:
    """Agency-local midnight starting *day*, aware."""
    return datetime.combine(day, time(0), tzinfo=AGENCY_TZ)


def day_range(first: date, last: date | None = None) -> tuple[str, str]:
    """[first 00:00, (last or first)+1 00:00) agency time, as SQL bounds."""
    end = (last or first) + timedelta(days=1)
    return ts(day_start(first)), ts(day_start(end))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def local_offset_minutes(first: date, last: date) -> int:
    """The agency's UTC offset over [first, last]; refuses a range where it changes.

    Used only where SQL must name the local calendar date of a stored moment
    (trước hạn = finished on an earlier local day than the due day). Asia/Ho_Chi_Minh has
    been UTC+07:00 since 1975, so this never fails for real data; the check keeps the
    shortcut honest if the zone ever changes.
    """
    offsets = {day_start(d).utcoffset() for d in (first, last + timedelta(days=1))}
    if len(offsets) != 1:
        raise CounterError("Múi giờ của cơ quan thay đổi trong kỳ báo cáo; hãy chia nhỏ kỳ báo cáo.")
    offset = offsets.pop()
    assert offset is not None
    return int(offset.total_seconds() // 60)


@dataclass(frozen=True)
class Buckets:
    """Consecutive half-open ranges of a column (days, months) as one SQL CASE, for GROUP BY in one pass."""

    bounds: tuple[str, ...]  # n+1 SQL bounds for n buckets

    def case(self, column: str, prefix: str = "b") -> tuple[str, dict[str, str]]:
        params = {f"{prefix}{i}": b for i, b in enumerate(self.bounds)}
        whens = " ".join(f"WHEN {column} < :{prefix}{i} THEN {i - 1}" for i in range(1, len(self.bounds)))
        return f"CASE {whens} END", params

    def where(self, column: str, prefix: str = "b") -> str:
        return f"{column} >= :{prefix}0 AND {column} < :{prefix}{len(self.bounds) - 1}"


def month_buckets(first: date, last: date) -> tuple[list[date], Buckets]:
    """Calendar months touching [first, last] (clipped to it), as buckets; returns each bucket's first day."""
    starts: list[date] = []
    cursor = first
    while cursor <= last:
        starts.append(cursor)
        cursor = next_month(cursor)
    edges = [*starts, last + timedelta(days=1)]
    return starts, Buckets(tuple(ts(day_start(d)) for d in edges))


def day_buckets(days: Sequence[date]) -> Buckets:
    """Each day of *days* (ascending, not necessarily adjacent) as its own bucket.

    Between non-adjacent days the gap falls into a bucket that callers drop
    (index -1 marks it): the bounds are each day's start and end in turn.
    """
    bounds: list[str] = []
    for d in days:
        bounds += [ts(day_start(d)), ts(day_start(d + timedelta(days=1)))]
    return Buckets(tuple(bounds))


def rows(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(text(sql), params).all()]


def scalar(session: Session, sql: str, params: dict[str, Any]) -> Any:
    return session.execute(text(sql), params).scalar()


def counter_clause(counter: int | None, alias: str = "d") -> str:
    """Counter filter on the dossier: the counter that received it (Dossier.counter_number)."""
    return "" if counter is None else f" AND {alias}.counter_number = :counter"


def percent(part: int, whole: int) -> float | None:
    """part/whole as a percentage rounded to 0.1; None (shown "—") when whole is 0."""
    return None if whole == 0 else round(100.0 * part / whole, 1)

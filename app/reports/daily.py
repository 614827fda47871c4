"""The daily report (báo cáo ngày): every figure of one agency-local day, gathered in one read."""

import threading
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app import clock
from app.calendar_store import load_calendar
from app.db import Store
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.profile import load_profile
from app.reports import figures as f
from app.reports.common import check_cancel, month_start
from app.reports.serialize import jsonable
from app.reports.sync_state import SyncState, read_sync_state
from app.worktime import AGENCY_TZ

SERIES_DAYS = 14


@dataclass(frozen=True)
class ReportHeader:
    agency_code: str
    agency_name: str
    parent_name: str
    counter: int | None  # None: the whole agency
    made_at: datetime
    made_by: str  # full name of the supervisor who made it
    made_by_username: str


@dataclass(frozen=True)
class DailyReport:
    header: ReportHeader
    day: date
    received: f.Received
    steps: f.Steps
    due_today: f.DueToday
    overdue_as_of: datetime
    overdue: list[f.LateDossier]
    next_working_day: date
    due_next_working_day: list[f.DueSoon]
    awaiting_collection: f.AwaitingCollection
    fees: f.Fees
    on_time_day: f.OnTime
    on_time_month: f.OnTime  # first of the month to the report day
    series: list[f.SeriesDay]
    sync: SyncState | None
    audit_head: tuple[int, str] | None

    def to_dict(self) -> dict[str, object]:
        out = jsonable(self)
        out["kind"] = "daily"
        return out  # type: ignore[no-any-return]


def header_for(session: Session, actor: Actor, counter: int | None) -> ReportHeader:
    profile = load_profile(session)
    return ReportHeader(profile.agency_code, profile.agency_name, profile.parent_name, counter, clock.now(),
                        actor.full_name, actor.username)


def check_day(day: date) -> None:
    if day > clock.now().astimezone(AGENCY_TZ).date():
        raise CounterError(f"Ngày báo cáo {day:%d/%m/%Y} chưa tới.")


def build_daily_in(session: Session, actor: Actor, day: date, counter: int | None = None,
                   cancel: threading.Event | None = None, sync: SyncState | None = None) -> DailyReport:
    """All figures of *day* inside one read transaction (one consistent snapshot)."""
    actor.require(Permission.VIEW_REPORTS)
    check_day(day)
    header = header_for(session, actor, counter)
    calendar = load_calendar(session)
    check_cancel(cancel)
    received = f.received(session, day, day, counter)
    check_cancel(cancel)
    steps = f.steps(session, day, day, counter)
    check_cancel(cancel)
    due_today = f.due_on_day(session, day, counter)
    # Statuses are only known as they are now, so the overdue list is the state when the report is made.
    as_of = header.made_at
    overdue = f.overdue(session, as_of, calendar, counter)
    check_cancel(cancel)
    nxt, soon = f.due_next_working_day(session, day, calendar, counter)
    waiting = f.awaiting_collection(session, counter)
    check_cancel(cancel)
    fees = f.fees(session, day, day, counter)
    check_cancel(cancel)
    on_day = f.on_time(session, day, day, counter)
    on_month = f.on_time(session, month_start(day), day, counter)
    check_cancel(cancel)
    series = f.received_returned_series(session, f.working_days_up_to(calendar, day, SERIES_DAYS), counter)
    if sync is None:
        sync = read_sync_state(session)
    return DailyReport(header, day, received, steps, due_today, as_of, overdue, nxt, soon, waiting, fees,
                       on_day, on_month, series, sync, f.audit_head(session))


def build_daily(store: Store, actor: Actor, day: date, counter: int | None = None,
                cancel: threading.Event | None = None, sync: SyncState | None = None) -> DailyReport:
    actor.require(Permission.VIEW_REPORTS)
    with store.read() as session:
        return build_daily_in(session, actor, day, counter, cancel, sync)

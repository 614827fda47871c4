"""Early warnings: the dossiers that are late or about to be, and those stuck waiting on someone.

Five lists, each a few hundred lines at most, found through indexes and cut at
`limit` rows, with the full size of each list counted beside it:

- `overdue` ("Quá hạn"): app.dossier_query's `overdue` filter — processing clock
  running (status 2, 4, 6) and `due_at < now`. Oldest due date first.
- `due_today` ("Đến hạn hôm nay"): running, due within today's agency-local day
  (dossier_query's `due_today` restricted to running dossiers) and not yet late
  (`due_at >= now`; the late ones are in `overdue`).
- `due_soon` ("Đến hạn trong 1 ngày làm việc tới"): dossier_query's `due_soon`
  (running, `now <= due_at <= now + one working day`) minus what is due today, so
  that no dossier is listed twice: from Friday 17:00 this is Monday's dossiers
  (after a weekend or holiday, the next working day's).
- `supplement` ("Chờ bổ sung quá N ngày"): status 5 and more than N working days of
  office time between `paused_at` (the supplement request) and now.
- `uncollected` ("Có kết quả, chưa trả quá N ngày"): status 9 and more than N
  working days of office time between `finished_at` (result ready) and now.

"More than N working days" is `calendar.working_time_between(since, now) >
N × hours_per_day`; in SQL it is `since < waiting_since(calendar, now, N days)`,
the moment from which exactly N working days have passed by now.
N comes from the settings `warnings.supplement_days` / `warnings.uncollected_days`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, literal_column
from sqlmodel import Session, col, select

from app import clock, settings
from app.calendar_store import load_calendar
from app.dossier_query import RUNNING, DossierFilter, conditions, local_day_start
from app.worktime import AGENCY_TZ, WorkCalendar
from models.enums import DossierStatus
from models.tables import Dossier

DEFAULT_LIMIT = 200
_MAX_SCAN_DAYS = 3660

OVERDUE, DUE_TODAY, DUE_SOON, SUPPLEMENT, UNCOLLECTED = "overdue", "due_today", "due_soon", "supplement", "uncollected"
KINDS = (OVERDUE, DUE_TODAY, DUE_SOON, SUPPLEMENT, UNCOLLECTED)


@dataclass(frozen=True)
class WarningLine:
    code: str
    owner_name: str
    procedure_code: str
    procedure_name: str
    counter_number: int
    status: int
    due_at: datetime | None
    # The moment the waiting or lateness is counted from: due_at, paused_at or finished_at.
    since: datetime | None
    # Office time late (overdue), left (due today / soon) or waited (supplement / uncollected).
    working_time: timedelta
    text: str  # "quá hạn 3 ngày làm việc", "còn 2 giờ làm việc", "chờ bổ sung 6 ngày làm việc"

    @property
    def step(self) -> str:
        """The dossier's current step, as the officer knows it."""
        return DossierStatus(self.status).label


@dataclass(frozen=True)
class WarningList:
    kind: str
    title: str
    lines: tuple[WarningLine, ...]
    total: int  # the whole list's size; `lines` holds at most `limit` of them


@dataclass(frozen=True)
class EarlyWarnings:
    now: datetime
    counter: int | None
    supplement_days: int
    uncollected_days: int
    overdue: WarningList
    due_today: WarningList
    due_soon: WarningList
    supplement: WarningList
    uncollected: WarningList

    def lists(self) -> tuple[WarningList, ...]:
        return (self.overdue, self.due_today, self.due_soon, self.supplement, self.uncollected)


def format_working_time(span: timedelta, hours_per_day: int) -> str:
    """"3 ngày làm việc", "2 ngày 4 giờ làm việc", "2 giờ làm việc", "25 phút làm việc" (rounded down)."""
    day = timedelta(hours=hours_per_day)
    days, rest = divmod(span, day)
    hours = int(rest.total_seconds() // 3600)
    if days:
        return f"{days} ngày {hours} giờ làm việc" if hours else f"{days} ngày làm việc"
    if hours:
        return f"{hours} giờ làm việc"
    return f"{max(1, int(rest.total_seconds() // 60))} phút làm việc"


def waiting_since(calendar: WorkCalendar, now: datetime, span: timedelta) -> datetime:
    """The earliest moment `b` with `calendar.working_time_between(b, now) == span`.

    So "more than `span` of office time has passed since `t`" is exactly `t < b`: a plain
    range on an indexed column.
    """
    periods = [(_offset(start), _offset(end)) for start, end in calendar.office_hours]
    local = now.astimezone(calendar.tz).replace(tzinfo=None)
    day = local.date()
    tod = local - datetime.combine(day, time())
    remaining = span
    for _ in range(_MAX_SCAN_DAYS):
        if calendar.is_working_day(day):
            for start, end in reversed(periods):
                end = min(end, tod)
                if end <= start:
                    continue
                if remaining < end - start:
                    return (datetime.combine(day, time()) + end - remaining).replace(tzinfo=calendar.tz)
                remaining -= end - start
        day -= timedelta(days=1)
        tod = timedelta(days=1)
    raise RuntimeError("Khoảng thời gian vượt quá phạm vi lịch.")


def _offset(moment: time) -> timedelta:
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


class _SpanMeter:
    """`calendar.working_time_between(a, b)` for many pairs near one `now`, in constant time each.

    The calendar walks every day between the two moments; a result waiting since 2022 costs
    a thousand steps, two hundred lines of them half a second. Here the whole days in between
    come from running counts of working days, and only the two end days are measured.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar
        self._day_total = sum((_offset(end) - _offset(start) for start, end in calendar.office_hours), timedelta())
        self._base: date | None = None
        self._counts: list[int] = [0]  # working days in [base, base + i)
        self._tails: dict[datetime, timedelta] = {}

    def _working_days_before(self, day: date) -> int:
        """Working days in [base, day), extending the running counts as needed."""
        if self._base is None or day < self._base:
            self._base = day - timedelta(days=1)
            self._counts = [0]
        wanted = (day - self._base).days
        while len(self._counts) <= wanted:
            current = self._base + timedelta(days=len(self._counts) - 1)
            self._counts.append(self._counts[-1] + (1 if self._calendar.is_working_day(current) else 0))
        return self._counts[wanted]

    def between(self, a: datetime, b: datetime) -> timedelta:
        calendar = self._calendar
        la, lb = a.astimezone(calendar.tz), b.astimezone(calendar.tz)
        if lb <= la:
            return timedelta()
        if (lb.date() - la.date()).days < 2:
            return calendar.working_time_between(a, b)
        after_a = datetime.combine(la.date() + timedelta(days=1), time(), tzinfo=calendar.tz)
        start_b = datetime.combine(lb.date(), time(), tzinfo=calendar.tz)
        first = self._working_days_before(la.date() + timedelta(days=1))  # the earlier one first: no rebuild
        whole = self._working_days_before(lb.date()) - first
        tail = self._tails.get(b)
        if tail is None:  # nearly always `now`: measured once
            tail = self._tails[b] = calendar.working_time_between(start_b, b)
        return calendar.working_time_between(a, after_a) + whole * self._day_total + tail


_LINE_COLUMNS = (col(Dossier.code), col(Dossier.owner_name), col(Dossier.procedure_code), col(Dossier.procedure_name),
                 col(Dossier.counter_number), col(Dossier.status), col(Dossier.due_at), col(Dossier.paused_at),
                 col(Dossier.finished_at))


def _fetch(session: Session, where: list[Any], order: Any, limit: int) -> tuple[list[Any], int]:
    rows = list(session.exec(select(*_LINE_COLUMNS).where(*where).order_by(order, literal_column("dossier.rowid"))
                             .limit(limit)).all())
    if len(rows) < limit:
        return rows, len(rows)
    total = int(session.exec(select(func.count()).select_from(Dossier).where(*where)).one())
    return rows, total


def early_warnings(session: Session, now: datetime | None = None, calendar: WorkCalendar | None = None,
                   counter: int | None = None, supplement_days: int | None = None,
                   uncollected_days: int | None = None, limit: int = DEFAULT_LIMIT) -> EarlyWarnings:
    """The five warning lists at `now` (default: the clock), for one counter or (None) the whole agency.

    `supplement_days` / `uncollected_days` default to the settings.
    """
    now = now or clock.now()
    calendar = calendar or load_calendar(session)
    supplement_days = settings.SUPPLEMENT_DAYS.get(session) if supplement_days is None else supplement_days
    uncollected_days = settings.UNCOLLECTED_DAYS.get(session) if uncollected_days is None else uncollected_days
    limit = max(1, int(limit))
    day = timedelta(hours=calendar.hours_per_day)
    meter = _SpanMeter(calendar)
    by_counter = [] if counter is None else [literal_column("+dossier.counter_number") == int(counter)]
    due = col(Dossier.due_at)
    # Sorted after the fact ("+"): walking the due-date index in order would visit every finished
    # dossier due before now (a million rows) should statistics ever make SQLite prefer it.
    by_due = literal_column("+dossier.due_at")
    tomorrow = local_day_start(now.astimezone(AGENCY_TZ).date() + timedelta(days=1))

    def make(kind: str, title: str, where: list[Any], order: Any, since_of: str, describe: Any) -> WarningList:
        rows, total = _fetch(session, where + by_counter, order, limit)
        lines = []
        for code, owner, proc_code, proc_name, counter_number, status, due_at, paused_at, finished_at in rows:
            since = {"due_at": due_at, "paused_at": paused_at, "finished_at": finished_at}[since_of]
            span = describe(since)
            lines.append(WarningLine(code, owner, proc_code, proc_name, counter_number, status, due_at, since,
                                     span[0], span[1]))
        return WarningList(kind, title, tuple(lines), total)

    def late(since: datetime) -> tuple[timedelta, str]:
        span = meter.between(since, now)
        return span, (f"quá hạn {format_working_time(span, calendar.hours_per_day)}" if span
                      else "vừa quá hạn (ngoài giờ làm việc)")

    def left(since: datetime) -> tuple[timedelta, str]:
        span = meter.between(now, since)
        return span, f"còn {format_working_time(span, calendar.hours_per_day)}" if span else "đến hạn ngay"

    def waited(prefix: str) -> Any:
        def describe(since: datetime) -> tuple[timedelta, str]:
            span = meter.between(since, now)
            return span, f"{prefix} {format_working_time(span, calendar.hours_per_day)}"
        return describe

    running = frozenset(RUNNING)
    overdue = make(OVERDUE, "Quá hạn xử lý",
                   conditions(session, DossierFilter(overdue=True), now, calendar), by_due, "due_at", late)
    due_today = make(DUE_TODAY, "Đến hạn hôm nay",
                     conditions(session, DossierFilter(due_today=True, statuses=running), now, calendar) + [due >= now],
                     by_due, "due_at", left)
    due_soon = make(DUE_SOON, "Đến hạn trong 1 ngày làm việc tới",
                    conditions(session, DossierFilter(due_soon=True), now, calendar) + [due >= tomorrow],
                    by_due, "due_at", left)
    paused = col(Dossier.paused_at)
    supplement = make(SUPPLEMENT, f"Chờ bổ sung quá {supplement_days} ngày làm việc",
                      [col(Dossier.status) == DossierStatus.SUPPLEMENT_REQUESTED.value,
                       paused < waiting_since(calendar, now, supplement_days * day)],
                      paused.asc(), "paused_at", waited("chờ bổ sung"))
    finished = col(Dossier.finished_at)
    uncollected = make(UNCOLLECTED, f"Có kết quả, chưa trả quá {uncollected_days} ngày làm việc",
                       [col(Dossier.status) == DossierStatus.RESULT_READY.value,
                        finished < waiting_since(calendar, now, uncollected_days * day)],
                       finished.asc(), "finished_at", waited("chờ trả kết quả"))
    return EarlyWarnings(now, counter, supplement_days, uncollected_days,
                         overdue, due_today, due_soon, supplement, uncollected)

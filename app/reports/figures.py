"""The daily figures, one function per figure; each docstring is the figure's definition.

Every range is a half-open interval of agency-local calendar days
(Asia/Ho_Chi_Minh, see app.reports.common.day_range), whatever the machine's
time zone. "Counter N" means the dossiers received at counter N
(Dossier.counter_number); without a counter, the whole agency. The same
definitions are written out for supervisors in docs/reports.md.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from sqlmodel import Session

from app.reports.common import (
    OPEN_STATUSES,
    RESULT_READY,
    counter_clause,
    day_buckets,
    day_range,
    from_ts,
    local_offset_minutes,
    rows,
    ts,
)
from app.worktime import AGENCY_TZ, WorkCalendar
from models.enums import STATUS_LABELS, Channel, DossierStatus, PaymentMethod

CHANNEL_LABELS = {Channel.COUNTER.value: "Trực tiếp tại quầy", Channel.ONLINE.value: "Trực tuyến",
                  Channel.POSTAL.value: "Qua bưu chính"}
_OPEN = ",".join(str(s) for s in OPEN_STATUSES)


@dataclass(frozen=True)
class Line:
    """One line of a breakdown: what (code), its name, how many."""

    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Received:
    total: int
    by_field: list[Line]
    by_procedure: list[Line]
    by_channel: list[Line]


def field_names(session: Session) -> dict[str, str]:
    return dict(rows(session, "SELECT code, name FROM procedure_field", {}))


def procedure_names(session: Session) -> dict[str, str]:
    return dict(rows(session, "SELECT code, name FROM procedure", {}))


def received(session: Session, first: date, last: date, counter: int | None) -> Received:
    """Tiếp nhận: dossiers whose received_at (the moment of receipt, late entries at their real
    moment) falls on a local day in [first, last]; by field (lĩnh vực, the field code copied at
    intake), procedure (code copied at intake; name from the catalog, the code if the catalog no
    longer has it) and channel (trực tiếp / trực tuyến / bưu chính)."""
    lo, hi = day_range(first, last)
    found = rows(session, "SELECT d.field_code, d.procedure_code, '', d.channel, count(*) "
                          "FROM dossier d WHERE d.received_at >= :lo AND d.received_at < :hi"
                          + counter_clause(counter) + " GROUP BY 1, 2, 4",
                 {"lo": lo, "hi": hi, "counter": counter})
    fields = field_names(session)
    titles = procedure_names(session)
    by_field: dict[str, int] = {}
    by_procedure: dict[str, tuple[str, int]] = {}
    by_channel: dict[str, int] = {c.value: 0 for c in Channel}
    for field_code, code, name, channel, n in found:
        by_field[field_code] = by_field.get(field_code, 0) + n
        by_procedure[code] = (titles.get(code, code), by_procedure.get(code, ("", 0))[1] + n)
        by_channel[channel] = by_channel.get(channel, 0) + n
    return Received(
        total=sum(r[4] for r in found),
        by_field=sorted((Line(k, fields.get(k, k), n) for k, n in by_field.items()), key=lambda x: (-x.count, x.key)),
        by_procedure=sorted((Line(k, v[0], v[1]) for k, v in by_procedure.items()), key=lambda x: (-x.count, x.key)),
        by_channel=[Line(k, CHANNEL_LABELS.get(k, k), n) for k, n in by_channel.items()])


@dataclass(frozen=True)
class Steps:
    forwarded: int
    returned: int
    refused: int
    withdrawn: int
    supplement_requested: int
    extended: int


STEP_EVENTS = ("forwarded", "refused", "withdrawn", "supplement_requested", "extended")


def step_event_counts(session: Session, first: date, last: date, counter: int | None) -> dict[str, int]:
    """Events of each step type (DossierEvent.type) whose event time `at` (when the step happened,
    not when it was typed in) falls on a local day in [first, last]."""
    lo, hi = day_range(first, last)
    types = ", ".join(f"'{t}'" for t in STEP_EVENTS)
    if counter is None:
        sql = (f"SELECT e.type, count(*) FROM dossier_event e WHERE e.type IN ({types}) "
               "AND e.at >= :lo AND e.at < :hi GROUP BY 1")
    else:
        sql = (f"SELECT e.type, count(*) FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id "
               f"WHERE e.type IN ({types}) AND e.at >= :lo AND e.at < :hi AND d.counter_number = :counter GROUP BY 1")
    found = dict(rows(session, sql, {"lo": lo, "hi": hi, "counter": counter}))
    return {t: int(found.get(t, 0)) for t in STEP_EVENTS}


def returned_count(session: Session, first: date, last: date, counter: int | None) -> int:
    """Trả kết quả: dossiers whose result was handed to the applicant (Dossier.returned_at, the
    time of the 'returned' event) on a local day in [first, last]."""
    lo, hi = day_range(first, last)
    return int(rows(session, "SELECT count(*) FROM dossier d WHERE d.returned_at >= :lo AND d.returned_at < :hi"
                    + counter_clause(counter), {"lo": lo, "hi": hi, "counter": counter})[0][0])


def steps(session: Session, first: date, last: date, counter: int | None) -> Steps:
    """Chuyển xử lý / từ chối / rút hồ sơ / yêu cầu bổ sung / gia hạn: step events on those days
    (step_event_counts); trả kết quả: returned_count. A dossier counts once per step taken."""
    events = step_event_counts(session, first, last, counter)
    return Steps(forwarded=events["forwarded"], returned=returned_count(session, first, last, counter),
                 refused=events["refused"], withdrawn=events["withdrawn"],
                 supplement_requested=events["supplement_requested"], extended=events["extended"])


@dataclass(frozen=True)
class DueToday:
    total: int
    with_result: int  # finished_at set (result ready or already returned)
    ended_without_result: int  # refused, withdrawn or stopped
    pending: int  # still being processed or waiting for a supplement


def due_on_day(session: Session, day: date, counter: int | None) -> DueToday:
    """Đến hạn trong ngày: dossiers whose due date-time (Dossier.due_at, after any supplement or
    extension) falls on local day *day*; split into those with a result (finished_at set), those
    ended without one (status 3, 7, 8) and the rest (pending). Current state, when the report is made."""
    lo, hi = day_range(day)
    found = rows(session, "SELECT count(*), coalesce(sum(d.finished_at IS NOT NULL), 0), "
                          "coalesce(sum(d.finished_at IS NULL AND d.status IN (3, 7, 8)), 0) FROM dossier d "
                          "WHERE d.due_at >= :lo AND d.due_at < :hi" + counter_clause(counter),
                 {"lo": lo, "hi": hi, "counter": counter})[0]
    total, done, ended = (int(x) for x in found)
    return DueToday(total, done, ended, total - done - ended)


@dataclass(frozen=True)
class LateDossier:
    code: str
    owner_name: str
    procedure_name: str
    due_at: datetime
    days_late: int  # working days, see overdue()
    step: str  # the current status, in words


def _working_day_index(calendar: WorkCalendar, first: date, last: date) -> dict[date, int]:
    """Number of working days in (first, d] for each day d of [first, last]: days late by subtraction."""
    index: dict[date, int] = {}
    n = 0
    d = first
    while d <= last:
        if d != first and calendar.is_working_day(d):
            n += 1
        index[d] = n
        d += timedelta(days=1)
    return index


def overdue(session: Session, as_of: datetime, calendar: WorkCalendar, counter: int | None,
            status_in: tuple[int, ...] = OPEN_STATUSES) -> list[LateDossier]:
    """Quá hạn: dossiers still open (status 2, 4 or 6: no result yet and the clock running; 5 =
    waiting for a supplement is paused and not counted) whose due_at is before *as_of* (the
    moment the report is made). Days late = WORKING days from the day after the due day up to
    and including as_of's day, in the agency calendar (0 = due earlier on the same day).
    Most late first."""
    found = rows(session, "SELECT d.code, d.owner_name, d.procedure_name, d.due_at, d.status FROM dossier d "
                          f"WHERE d.status IN ({','.join(str(s) for s in status_in)}) AND d.due_at < :at"
                          + counter_clause(counter) + " ORDER BY d.due_at, d.code",
                 {"at": ts(as_of), "counter": counter})
    if not found:
        return []
    today = as_of.astimezone(AGENCY_TZ).date()
    first = min(from_ts(r[3]).astimezone(AGENCY_TZ).date() for r in found)  # type: ignore[union-attr]
    index = _working_day_index(calendar, first, today)
    out = []
    for code, owner, procedure, due_text, status in found:
        due = from_ts(due_text)
        assert due is not None
        out.append(LateDossier(code, owner, procedure, due, index[today] - index[due.astimezone(AGENCY_TZ).date()],
                               STATUS_LABELS[DossierStatus(status)]))
    return out


@dataclass(frozen=True)
class DueSoon:
    code: str
    owner_name: str
    procedure_name: str
    due_at: datetime
    step: str


def due_next_working_day(session: Session, day: date, calendar: WorkCalendar, counter: int | None
                         ) -> tuple[date, list[DueSoon]]:
    """Đến hạn ngày làm việc tiếp theo: open dossiers (status 2, 4, 6) whose due_at falls on the
    first working day after *day* (agency calendar). Returns that day and the dossiers, earliest first."""
    nxt = calendar.next_working_day(day)
    lo, hi = day_range(nxt)
    found = rows(session, "SELECT d.code, d.owner_name, d.procedure_name, d.due_at, d.status FROM dossier d "
                          f"WHERE d.status IN ({_OPEN}) AND d.due_at >= :lo AND d.due_at < :hi"
                          + counter_clause(counter) + " ORDER BY d.due_at, d.code",
                 {"lo": lo, "hi": hi, "counter": counter})
    return nxt, [DueSoon(c, o, p, from_ts(t), STATUS_LABELS[DossierStatus(s)])  # type: ignore[arg-type]
                 for c, o, p, t, s in found]


@dataclass(frozen=True)
class AwaitingCollection:
    count: int
    oldest_ready_at: datetime | None


def awaiting_collection(session: Session, counter: int | None) -> AwaitingCollection:
    """Kết quả chờ trả: dossiers now in status 9 (đã có kết quả, not yet handed back), with the
    earliest result time (finished_at) among them. Current state, when the report is made."""
    count, oldest = rows(session, f"SELECT count(*), min(d.finished_at) FROM dossier d WHERE d.status = {RESULT_READY}"
                         + counter_clause(counter), {"counter": counter})[0]
    return AwaitingCollection(int(count), from_ts(oldest))


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    count: int
    amount: int
    receipts: list[str]


@dataclass(frozen=True)
class Fees:
    by_method: list[MethodTotal]
    collected: int  # payments, all methods
    refunded: int
    exempted: int
    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("net",)

    @property
    def net(self) -> int:
        return self.collected - self.refunded


def fees(session: Session, first: date, last: date, counter: int | None, with_receipts: bool = True) -> Fees:
    """Phí, lệ phí đã thu: Payment rows of kind 'payment' whose time `at` falls on a local day in
    [first, last], by method (tiền mặt, chuyển khoản, trực tuyến), with their receipt numbers in
    order; refunds and exemptions recorded on those days are totalled apart (net = thu − hoàn)."""
    lo, hi = day_range(first, last)
    join = "" if counter is None else " JOIN dossier d ON d.id = p.dossier_id"
    where = " WHERE p.at >= :lo AND p.at < :hi" + ("" if counter is None else " AND d.counter_number = :counter")
    params = {"lo": lo, "hi": hi, "counter": counter}
    totals = rows(session, f"SELECT p.kind, p.method, count(*), sum(p.amount) FROM payment p{join}{where} GROUP BY 1, 2",
                  params)
    receipts: dict[str, list[str]] = {m.value: [] for m in PaymentMethod}
    if with_receipts:
        for method, number in rows(session, f"SELECT p.method, p.receipt_number FROM payment p{join}{where} "
                                            "AND p.kind = 'payment' ORDER BY p.receipt_number", params):
            receipts.setdefault(method, []).append(number)
    paid = {m: (n, a) for k, m, n, a in totals if k == "payment"}
    by_method = [MethodTotal(m.value, m.label, int(paid.get(m.value, (0, 0))[0]), int(paid.get(m.value, (0, 0))[1]),
                             receipts.get(m.value, [])) for m in PaymentMethod]
    return Fees(by_method, sum(x.amount for x in by_method),
                int(sum(a for k, _m, _n, a in totals if k == "refund")),
                int(sum(a for k, _m, _n, a in totals if k == "exemption")))


@dataclass(frozen=True)
class OnTime:
    finished: int
    early: int  # trước hạn
    on_time: int  # đúng hạn
    late: int  # quá hạn
    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("rate",)

    @property
    def rate(self) -> float | None:
        """Share finished early or on time, in percent (None when nothing finished)."""
        return None if self.finished == 0 else round(100.0 * (self.early + self.on_time) / self.finished, 1)


def on_time_sql(first: date, last: date) -> tuple[str, str, str]:
    """SQL expressions (early, on-time, late) over dossier alias d, for on_time()."""
    offset = f"'{local_offset_minutes(first, last):+d} minutes'"
    early = (f"(d.due_at IS NOT NULL AND d.finished_at <= d.due_at AND "
             f"date(d.finished_at, {offset}) < date(d.due_at, {offset}))")
    late = "(d.due_at IS NOT NULL AND d.finished_at > d.due_at)"
    return early, f"(NOT {early} AND NOT {late})", late


def on_time(session: Session, first: date, last: date, counter: int | None) -> OnTime:
    """Tỷ lệ đúng hạn: dossiers whose result became ready (Dossier.finished_at, the 'result_ready'
    event) on a local day in [first, last], each compared with its due_at as it stood then
    (after supplements and the one extension):
    quá hạn = finished_at later than due_at; trước hạn = finished on an earlier local calendar day
    than the due day; đúng hạn = the rest (finished on the due day, not after the due time, or a
    dossier settled on the spot, which has no due_at). Rate = (trước hạn + đúng hạn) / finished.
    Refused, withdrawn and stopped dossiers have no result and are not counted."""
    lo, hi = day_range(first, last)
    early, on, late = on_time_sql(first, last)
    found = rows(session, f"SELECT count(*), coalesce(sum({early}), 0), coalesce(sum({on}), 0), coalesce(sum({late}), 0) "
                          "FROM dossier d WHERE d.finished_at >= :lo AND d.finished_at < :hi" + counter_clause(counter),
                 {"lo": lo, "hi": hi, "counter": counter})[0]
    return OnTime(*(int(x) for x in found))


@dataclass(frozen=True)
class SeriesDay:
    day: date
    received: int
    returned: int


def working_days_up_to(calendar: WorkCalendar, day: date, n: int = 14) -> list[date]:
    """The *n* working days ending with *day* (or before it, when *day* is not a working day), oldest first."""
    days: list[date] = []
    d = day
    while len(days) < n:
        if calendar.is_working_day(d):
            days.append(d)
        d -= timedelta(days=1)
    return days[::-1]


def received_returned_series(session: Session, days: list[date], counter: int | None) -> list[SeriesDay]:
    """Biểu đồ 14 ngày làm việc: for each of *days* (working days), dossiers received (received_at)
    and results handed back (returned_at) on that local day. Days off in between are left out."""
    buckets = day_buckets(days)
    out = {d: [0, 0] for d in days}
    for i, column in enumerate(("received_at", "returned_at")):
        case, params = buckets.case(f"d.{column}")
        found = rows(session, f"SELECT {case} AS b, count(*) FROM dossier d WHERE {buckets.where('d.' + column)}"
                              + counter_clause(counter) + " GROUP BY b", {**params, "counter": counter})
        for bucket, n in found:
            if bucket is not None and bucket % 2 == 0:
                out[days[bucket // 2]][i] = int(n)
    return [SeriesDay(d, *out[d]) for d in days]


def audit_head(session: Session) -> tuple[int, str] | None:
    """Đầu chuỗi nhật ký: the latest audit entry's number (mono) and the first 16 hex digits of its
    hash; anyone can later check the chain still ends there. None for an empty trail."""
    found = rows(session, "SELECT mono, hash FROM audit_entry ORDER BY mono DESC LIMIT 1", {})
    return (int(found[0][0]), found[0][1][:16]) if found else None



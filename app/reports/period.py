"""The period report (báo cáo kỳ): the daily figures month by month, by field and by procedure,
and the Decision 766 figures the counter can compute from its own data.

Each figure is one SQL aggregate over the whole period, bucketed into the
agency's calendar months with a CASE on UTC bounds computed in Python, so a
year costs a handful of index range scans, not one query per month. The
columns read are all in the covering indexes proposed in docs/reports.md, so
the scans never touch the (wide) dossier rows.
"""

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from sqlmodel import Session

from app.db import Store
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.reports import figures as f
from app.reports.common import check_cancel, month_buckets, percent, rows
from app.reports.daily import ReportHeader, check_day, header_for
from app.reports.serialize import jsonable
from models.enums import Channel, PaymentMethod, Satisfaction

MAX_MONTHS = 36
NO_DATA = "không có dữ liệu"


@dataclass
class Counts:
    """The figures of one month, one field in a month or one procedure in a month."""

    received: int = 0
    returned: int = 0
    finished: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("on_time_rate",)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.early + self.on_time, self.finished)


@dataclass
class MonthRow(Counts):
    month: date = date.min  # first day of the month (or of the period)
    by_channel: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in Channel})
    forwarded: int = 0
    refused: int = 0
    withdrawn: int = 0
    supplement_requested: int = 0
    extended: int = 0
    fees_collected: int = 0
    fees_refunded: int = 0


@dataclass
class GroupRow(Counts):
    month: date = date.min
    key: str = ""
    name: str = ""


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class Decision766:
    """Chỉ số theo Quyết định 766/QĐ-TTg that this counter's data can answer."""

    on_time: f.OnTime
    channels: list[Share]
    digitised: str  # "không có dữ liệu": the counter does not store scanned documents
    payments_total: int
    payments_online: int
    payment_amount_total: int
    payment_amount_online: int
    online_payment_share: float | None  # by number of payments, percent
    satisfaction: list[Share]
    satisfaction_unrated: int


@dataclass(frozen=True)
class PeriodReport:
    header: ReportHeader
    first: date
    last: date
    months: list[MonthRow]
    total: MonthRow
    by_field: list[GroupRow]
    by_procedure: list[GroupRow]
    d766: Decision766

    def to_dict(self) -> dict[str, object]:
        out = jsonable(self)
        out["kind"] = "period"
        return out  # type: ignore[no-any-return]


def _received(session: Session, counter: int | None, months: list[MonthRow],
              fields: dict[tuple[int, str], GroupRow], procedures: dict[tuple[int, str], GroupRow],
              case: str, where: str, params: dict[str, object]) -> None:
    """Received (see figures.received), by month, field, procedure and channel, in one pass."""
    for b, field_code, code, name, channel, n in rows(
            session, f"SELECT {case} AS b, d.field_code, d.procedure_code, '', d.channel, count(*) "
                     f"FROM dossier d WHERE {where}{_counter(counter)} GROUP BY b, 2, 3, 5", params):
        months[b].received += n
        months[b].by_channel[channel] = months[b].by_channel.get(channel, 0) + n
        _group(fields, b, field_code, "").received += n
        _group(procedures, b, code, name).received += n


def _group(groups: dict[tuple[int, str], GroupRow], b: int, key: str, name: str) -> GroupRow:
    row = groups.get((b, key))
    if row is None:
        row = groups[(b, key)] = GroupRow(key=key, name=name)
    elif name and not row.name:
        row.name = name
    return row


def _counter(counter: int | None) -> str:
    return "" if counter is None else " AND d.counter_number = :counter"


def build_period_in(session: Session, actor: Actor, first: date, last: date, counter: int | None = None,
                    cancel: threading.Event | None = None) -> PeriodReport:
    actor.require(Permission.VIEW_REPORTS)
    if first > last:
        raise CounterError("Ngày bắt đầu kỳ báo cáo phải trước hoặc bằng ngày kết thúc.")
    check_day(last)
    starts, buckets = month_buckets(first, last)
    if len(starts) > MAX_MONTHS:
        raise CounterError(f"Kỳ báo cáo dài quá {MAX_MONTHS} tháng; hãy chia thành nhiều kỳ.")
    header = header_for(session, actor, counter)
    months = [MonthRow(month=m) for m in starts]
    fields: dict[tuple[int, str], GroupRow] = {}
    procedures: dict[tuple[int, str], GroupRow] = {}
    base = {"counter": counter}

    check_cancel(cancel)
    case, params = buckets.case("d.received_at")
    _received(session, counter, months, fields, procedures, case, buckets.where("d.received_at"),
              {**params, **base})

    check_cancel(cancel)
    # Steps (see figures.step_event_counts) by month.
    case, params = buckets.case("e.at")
    types = ", ".join(f"'{t}'" for t in f.STEP_EVENTS)
    join = "" if counter is None else " JOIN dossier d ON d.id = e.dossier_id"
    for b, kind, n in rows(session, f"SELECT {case} AS b, e.type, count(*) FROM dossier_event e{join} "
                                    f"WHERE e.type IN ({types}) AND {buckets.where('e.at')}{_counter(counter)} "
                                    "GROUP BY b, 2", {**params, **base}):
        setattr(months[b], kind, getattr(months[b], kind) + n)

    check_cancel(cancel)
    # Returned (see figures.returned_count) and the satisfaction given on return.
    case, params = buckets.case("d.returned_at")
    satisfaction: dict[int | None, int] = {}
    for b, field_code, code, name, rating, n in rows(
            session, f"SELECT {case} AS b, d.field_code, d.procedure_code, '', d.satisfaction, "
                     f"count(*) FROM dossier d WHERE {buckets.where('d.returned_at')}{_counter(counter)} "
                     "GROUP BY b, 2, 3, 5", {**params, **base}):
        months[b].returned += n
        _group(fields, b, field_code, "").returned += n
        _group(procedures, b, code, name).returned += n
        satisfaction[rating] = satisfaction.get(rating, 0) + n

    check_cancel(cancel)
    # Timeliness of the results that became ready (see figures.on_time).
    case, params = buckets.case("d.finished_at")
    early, on, late = f.on_time_sql(first, last)
    for b, field_code, code, name, n, e, o, lt in rows(
            session, f"SELECT {case} AS b, d.field_code, d.procedure_code, '', count(*), "
                     f"sum({early}), sum({on}), sum({late}) FROM dossier d "
                     f"WHERE {buckets.where('d.finished_at')}{_counter(counter)} GROUP BY b, 2, 3", {**params, **base}):
        for target in (months[b], _group(fields, b, field_code, ""), _group(procedures, b, code, name)):
            target.finished += n
            target.early += e
            target.on_time += o
            target.late += lt

    check_cancel(cancel)
    # Fees (see figures.fees) by month and method.
    case, params = buckets.case("p.at")
    join = "" if counter is None else " JOIN dossier d ON d.id = p.dossier_id"
    payments = {m.value: [0, 0] for m in PaymentMethod}
    for b, kind, method, n, amount in rows(
            session, f"SELECT {case} AS b, p.kind, p.method, count(*), sum(p.amount) FROM payment p{join} "
                     f"WHERE {buckets.where('p.at')}{_counter(counter)} GROUP BY b, 2, 3", {**params, **base}):
        if kind == "payment":
            months[b].fees_collected += amount
            payments.setdefault(method, [0, 0])
            payments[method][0] += n
            payments[method][1] += amount
        elif kind == "refund":
            months[b].fees_refunded += amount

    names = f.field_names(session)
    for row in fields.values():
        row.name = names.get(row.key, row.key)
    titles = f.procedure_names(session)
    for row in procedures.values():
        row.name = titles.get(row.key, row.key)
    total = MonthRow(month=first)
    for m in months:
        for name in ("received", "returned", "finished", "early", "on_time", "late", "forwarded", "refused",
                     "withdrawn", "supplement_requested", "extended", "fees_collected", "fees_refunded"):
            setattr(total, name, getattr(total, name) + getattr(m, name))
        for channel, n in m.by_channel.items():
            total.by_channel[channel] = total.by_channel.get(channel, 0) + n

    def ordered(groups: dict[tuple[int, str], GroupRow]) -> list[GroupRow]:
        out = []
        for (b, _key), row in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[1].received, kv[0][1])):
            row.month = starts[b]
            out.append(row)
        return out

    rated = sum(n for r, n in satisfaction.items() if r is not None)
    paid_count = sum(v[0] for v in payments.values())
    paid_amount = sum(v[1] for v in payments.values())
    online = payments.get(PaymentMethod.ONLINE.value, [0, 0])
    d766 = Decision766(
        on_time=f.OnTime(total.finished, total.early, total.on_time, total.late),
        channels=[Share(f.CHANNEL_LABELS.get(c, c), n, percent(n, total.received))
                  for c, n in total.by_channel.items()],
        digitised=NO_DATA,
        payments_total=paid_count, payments_online=online[0], payment_amount_total=paid_amount,
        payment_amount_online=online[1], online_payment_share=percent(online[0], paid_count),
        satisfaction=[Share(s.label, satisfaction.get(int(s), 0), percent(satisfaction.get(int(s), 0), rated))
                      for s in Satisfaction],
        satisfaction_unrated=satisfaction.get(None, 0))
    return PeriodReport(header, first, last, months, total, ordered(fields), ordered(procedures), d766)


def build_period(store: Store, actor: Actor, first: date, last: date, counter: int | None = None,
                 cancel: threading.Event | None = None) -> PeriodReport:
    actor.require(Permission.VIEW_REPORTS)
    with store.read() as session:
        return build_period_in(session, actor, first, last, counter, cancel)

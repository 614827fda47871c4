"""The dossier list behind the GUI's lazy table: filter, sort and page in SQL, on indexes.

`page()` returns plain row tuples (`DossierRow`, attribute names as on `Dossier`)
and `count()` the size of the same selection. Every sort order ends with the
rowid, so the order is total: paging never shows a row twice or skips one,
and a page can continue from the last row shown (`after=keyset(row, key)`)
instead of an offset, which costs the same on page 1 and page 20,000.

Filters (all given ones apply together):

- `statuses`: national status codes;
- `field_code`, `procedure_code`: lĩnh vực and thủ tục;
- `received_from` / `received_to`: agency-local dates, both inclusive;
- `due_today`: due within today's agency-local day (whatever the status);
- `due_soon`: still running (status 2, 4 or 6: not finished, not paused) and due
  from now to one working day ahead (`WorkCalendar.add_working_time(now, one
  working day)`), i.e. not yet late; the GUI's "near due" colour;
- `overdue`: still running (2, 4, 6) and `due_at < now`;
- `text`: what app.search understands (exact code, identity or phone digits, name prefixes).

Costs at a million dossiers (bench/bench_dossiers.py): a first page is a few
milliseconds whatever the filter, a broad text filter ("nguyen": four dossiers
in ten) a few tens; `count()` visits every matching row, so it takes as long
as there are matches (15 ms for all, ~0.4 s for every "nguyen"): run it
beside the first page, not before it.

Sort keys and the indexes that serve them (migration 0003): `received_at`
(default), `due_at`, `code`, `status` (then due date), `field_code` and
`procedure_code` (then received time), `owner_name` (byte order of the NFC
text: Đ after Z). `procedure_name` sorts like `procedure_code`, which groups each
procedure's dossiers together: an index on the long names would cost about
250 MB per million dossiers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, false, func, literal_column, or_
from sqlalchemy import text as sa_text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app import clock, search
from app.calendar_store import load_calendar
from app.worktime import AGENCY_TZ, WorkCalendar
from models.enums import DossierStatus
from models.tables import Dossier

MAX_PAGE = 1000
# A text filter matching at most this many dossiers is resolved to their rowids first.
FEW_MATCHES = 2000
# Statuses whose processing clock runs: only these can be late or near their due time.
RUNNING = frozenset({DossierStatus.ACCEPTED.value, DossierStatus.PROCESSING.value,
                     DossierStatus.PAYMENT_REQUESTED.value})

ROWID = literal_column("dossier.rowid")


@dataclass(frozen=True)
class DossierFilter:
    statuses: frozenset[int] = field(default_factory=frozenset)
    field_code: str | None = None
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    due_today: bool = False
    due_soon: bool = False
    overdue: bool = False
    text: str = ""


class DossierRow(NamedTuple):
    rowid: int
    id: str
    code: str
    status: int
    owner_name: str
    owner_id_number: str
    owner_phone: str
    procedure_code: str
    procedure_name: str
    field_code: str
    channel: str
    counter_number: int
    received_at: datetime
    due_at: datetime | None
    paused_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None


_ROW_COLUMNS = (ROWID.label("rowid"), col(Dossier.id), col(Dossier.code), col(Dossier.status),
                col(Dossier.owner_name), col(Dossier.owner_id_number), col(Dossier.owner_phone),
                col(Dossier.procedure_code), col(Dossier.procedure_name), col(Dossier.field_code),
                col(Dossier.channel), col(Dossier.counter_number), col(Dossier.received_at), col(Dossier.due_at),
                col(Dossier.paused_at), col(Dossier.finished_at), col(Dossier.returned_at))

# sort key -> (row attribute, column, nullable) ...; the rowid always comes last.
SORT_KEYS: dict[str, tuple[tuple[str, Any, bool], ...]] = {
    "received_at": (("received_at", col(Dossier.received_at), False),),
    "due_at": (("due_at", col(Dossier.due_at), True),),
    "code": (("code", col(Dossier.code), False),),
    "status": (("status", col(Dossier.status), False), ("due_at", col(Dossier.due_at), True)),
    "field_code": (("field_code", col(Dossier.field_code), False), ("received_at", col(Dossier.received_at), False)),
    "procedure_code": (("procedure_code", col(Dossier.procedure_code), False),
                       ("received_at", col(Dossier.received_at), False)),
    "owner_name": (("owner_name", col(Dossier.owner_name), False),),
}
SORT_KEYS["procedure_name"] = SORT_KEYS["procedure_code"]


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AGENCY_TZ)


def _sort_columns(sort_key: str) -> tuple[tuple[str, Any, bool], ...]:
    try:
        return SORT_KEYS[sort_key] + (("rowid", ROWID, False),)
    except KeyError:
        raise ValueError(f"unknown sort key {sort_key!r}; one of {', '.join(SORT_KEYS)}") from None


def keyset(row: DossierRow, sort_key: str) -> tuple[Any, ...]:
    """Where the next page starts: pass as `after=` to continue after `row`."""
    return tuple(getattr(row, name) for name, _column, _nullable in _sort_columns(sort_key))


def conditions(session: Session, filt: DossierFilter, now: datetime | None = None,
               calendar: WorkCalendar | None = None, *, counting: bool = False) -> list[Any]:
    """The WHERE conditions of a filter (an always-false one when it can match nothing)."""
    now = now or clock.now()
    where: list[Any] = []
    statuses: set[int] | None = {int(s) for s in filt.statuses} if filt.statuses else None
    if filt.overdue or filt.due_soon:
        statuses = set(RUNNING) if statuses is None else statuses & RUNNING
    if statuses is not None:
        if not statuses:
            return [false()]
        where.append(col(Dossier.status) == next(iter(statuses)) if len(statuses) == 1
                     else col(Dossier.status).in_(sorted(statuses)))
    # Dossiers running late, due soon or due today are a few thousand at most, found through the
    # due-date indexes; then the other conditions only filter them ("+": not an index to start from,
    # which SQLite, knowing nothing of the data, might otherwise pick for a field or a date range).
    by_due = filt.overdue or filt.due_soon or filt.due_today

    def column(name: str) -> Any:
        real = col(getattr(Dossier, name))
        return literal_column(f"+dossier.{name}", type_=real.type) if by_due else real

    if filt.field_code:
        where.append(column("field_code") == filt.field_code)
    if filt.procedure_code:
        where.append(column("procedure_code") == filt.procedure_code.strip())
    if filt.received_from:
        where.append(column("received_at") >= local_day_start(filt.received_from))
    if filt.received_to:
        where.append(column("received_at") < local_day_start(filt.received_to + timedelta(days=1)))
    if filt.due_today:
        today = now.astimezone(AGENCY_TZ).date()
        where.append(col(Dossier.due_at) >= local_day_start(today))
        where.append(col(Dossier.due_at) < local_day_start(today + timedelta(days=1)))
    if filt.overdue:
        where.append(col(Dossier.due_at) < now)
    if filt.due_soon:
        calendar = calendar or load_calendar(session)
        limit = calendar.add_working_time(now, timedelta(hours=calendar.hours_per_day))
        where.append(col(Dossier.due_at) >= now)
        where.append(col(Dossier.due_at) <= limit)
    if filt.text.strip():
        where.append(text_condition(session, filt.text, counting=counting))
    return where


def text_condition(session: Session, text: str, *, counting: bool = False) -> Any:
    """What app.search.search_dossiers would find, as a condition: exact code, number prefix, or terms.

    `counting`: for a count, which visits every match anyway, the word index drives the query.
    """
    query = text[:search.MAX_QUERY_CHARS].strip()
    code = search.exact_code(query)
    if code is not None and session.exec(select(Dossier.id).where(Dossier.code == code)).first() is not None:
        return col(Dossier.code) == code
    number = search.number_prefix(query)
    if number is not None:
        condition = search.number_condition(number)
        if session.exec(select(Dossier.id).where(condition).limit(1)).first() is not None:
            return condition
    terms = search.search_terms(query)
    if not terms:
        return false()
    # How many rows match decides the plan. A few: fetch them from the index and let the sort
    # look them up. Many ("nguyen" is four dossiers in ten): walk the sort order's own index
    # and test each row against the set of matches ("+" keeps SQLite from driving the query by
    # rowid), which stops after one page instead of sorting hundreds of thousands of rows.
    try:
        found = session.connection().execute(
            sa_text(f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH :m "
                    "ORDER BY rowid DESC LIMIT :k"),
            {"m": search.match_expression(terms), "k": FEW_MATCHES + 1}).fetchall()
    except DBAPIError:  # what FTS5 refuses matches nothing, as in app.search
        return false()
    if len(found) <= FEW_MATCHES:
        return ROWID.in_([row[0] for row in found]) if found else false()
    if counting:
        return search.fts_condition(terms)
    return sa_text(f"+dossier.rowid IN (SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} "
                   "MATCH :fts_match)").bindparams(fts_match=search.match_expression(terms))


def _after_condition(columns: tuple[tuple[str, Any, bool], ...], values: tuple[Any, ...],
                     descending: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in the sort order (SQLite: NULL first ascending, last descending)."""
    if len(values) != len(columns):
        raise ValueError("keyset does not match the sort key")
    options = []
    equal: list[Any] = []
    for (_name, column, nullable), value in zip(columns, values):
        if value is None:
            beyond = column.is_not(None) if not descending else false()
            same = column.is_(None)
        elif descending:
            beyond = or_(column < value, column.is_(None)) if nullable else column < value
            same = column == value
        else:
            beyond = column > value
            same = column == value
        options.append(and_(*equal, beyond) if equal else beyond)
        equal.append(same)
    condition = or_(*options)
    # A plain range on the first column as well, so the index seek starts at the right place.
    _name, first, nullable = columns[0]
    if values[0] is not None and not nullable:
        condition = and_(first <= values[0] if descending else first >= values[0], condition)
    return condition


def page(session: Session, filt: DossierFilter, sort_key: str = "received_at", descending: bool = True,
         offset: int = 0, limit: int = 50, *, after: tuple[Any, ...] | None = None, now: datetime | None = None,
         calendar: WorkCalendar | None = None) -> list[DossierRow]:
    """One page of the list: `limit` rows from `offset` (or after the keyset `after`)."""
    columns = _sort_columns(sort_key)
    statement = select(*_ROW_COLUMNS).where(*conditions(session, filt, now, calendar))
    if after is not None:
        statement = statement.where(_after_condition(columns, tuple(after), descending))
    statement = statement.order_by(*(column.desc() if descending else column.asc() for _n, column, _x in columns))
    statement = statement.offset(max(0, int(offset))).limit(max(1, min(int(limit), MAX_PAGE)))
    return [DossierRow(*row) for row in session.exec(statement).all()]


def count(session: Session, filt: DossierFilter, *, now: datetime | None = None,
          calendar: WorkCalendar | None = None) -> int:
    where = conditions(session, filt, now, calendar, counting=True)
    return int(session.exec(select(func.count()).select_from(Dossier).where(*where)).one())

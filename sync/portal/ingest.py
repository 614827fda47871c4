"""Storing one push batch with set-based SQL: a few lookups, then one executemany per table.

Items are judged in Python, in the batch's order, against what the lookups
found plus what the earlier items of the same batch added (an event may
follow its dossier in one batch; a second copy of an item is "duplicate").
The caller holds the database's write lock for the whole transaction (SQLite
BEGIN IMMEDIATE; a transaction-scoped advisory lock on PostgreSQL), so what
the lookups saw cannot change before the inserts; the inserts still say ON
CONFLICT DO NOTHING, and the schema's keys stay the last word.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Executable, Table, bindparam, select, text

from sync.portal import store as t
from sync.portal.store import as_utc
from sync.protocol import PUSH_KINDS, ItemResult, PushItem, item_client_id

log = logging.getLogger("motcua.portal")

# Bound parameters per IN (…) lookup: far below SQLite's and PostgreSQL's limits.
_LOOKUP_CHUNK = 500
# Any constant: pushes (and status posts) take this transaction-scoped lock on PostgreSQL, so what a push
# looked up stays true until it commits (SQLite gets the same from BEGIN IMMEDIATE).
_PUSH_LOCK_KEY = 0x6D6F74637561


class Rejected(Exception):
    pass


@dataclass(frozen=True)
class Source:
    device_id: str
    agency_code: str


def parse_moment(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise Rejected(f"thiếu trường {field}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected(f"trường {field} không phải thời điểm ISO 8601") from None
    if moment.tzinfo is None:
        raise Rejected(f"trường {field} thiếu múi giờ")
    # Stored as UTC: SQLite keeps no offset, and comparisons must not depend on the sender's zone.
    return moment.astimezone(UTC)


def lock_dossier_writes(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUSH_LOCK_KEY})


def _insert_ignoring_conflicts(conn: Connection, table: Table) -> Executable:
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        return sqlite_insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(table).on_conflict_do_nothing()
    return table.insert()


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    pending = list(dict.fromkeys(v for v in values if v is not None))
    for start in range(0, len(pending), _LOOKUP_CHUNK):
        yield pending[start:start + _LOOKUP_CHUNK]


@dataclass
class _Dossier:
    id: str
    code: str
    agency_code: str
    device_id: str
    status: int
    status_at: datetime
    stored: bool  # already in the database (an event updates it) rather than new in this batch


class _Batch:
    """What the database holds for this batch's keys, plus what the batch has added so far."""

    def __init__(self, conn: Connection, items: list[PushItem]):
        self.conn = conn
        self.items: dict[str, str] = {}
        for ids in _chunks(i.id for i in items):
            self.items.update((r.client_id, r.kind) for r in conn.execute(
                select(t.item.c.client_id, t.item.c.kind).where(t.item.c.client_id.in_(ids))))
        codes = [i.payload.get("code") for i in items if isinstance(i.payload.get("code"), str)]
        self.by_code: dict[str, _Dossier] = {}
        self.by_id: dict[str, _Dossier] = {}
        columns = (t.dossier.c.id, t.dossier.c.code, t.dossier.c.agency_code, t.dossier.c.device_id,
                   t.dossier.c.status, t.dossier.c.status_at)
        for where in ([t.dossier.c.code.in_(chunk) for chunk in _chunks(codes)]
                      + [t.dossier.c.id.in_(chunk) for chunk in _chunks(i.entity_id for i in items
                                                                         if i.kind.startswith("dossier."))]):
            for r in conn.execute(select(*columns).where(where)):
                if r.id not in self.by_id:
                    self._know(_Dossier(r.id, r.code, r.agency_code, r.device_id, r.status,
                                        as_utc(r.status_at) or r.status_at, stored=True))
        self.events: set[str] = set()
        for ids in _chunks(_event_ids(items)):
            self.events.update(conn.execute(select(t.dossier_event.c.id).where(t.dossier_event.c.id.in_(ids)))
                               .scalars())
        self.item_rows: list[dict[str, Any]] = []
        self.dossier_rows: dict[str, dict[str, Any]] = {}
        self.event_rows: list[dict[str, Any]] = []
        self.moved: dict[str, _Dossier] = {}

    def _know(self, dossier: _Dossier) -> None:
        self.by_id[dossier.id] = dossier
        self.by_code[dossier.code] = dossier

    def counter_of(self, device_id: str) -> int | None:
        return self.conn.execute(select(t.device.c.counter_number)
                                 .where(t.device.c.device_id == device_id)).scalar()


def _event_ids(items: list[PushItem]) -> Iterator[str]:
    for i in items:
        if i.kind == "dossier.received":
            for event in i.payload.get("events") or []:
                if isinstance(event, dict) and isinstance(event.get("id"), str):
                    yield event["id"]
        elif i.kind.startswith("dossier."):
            event = i.payload.get("event")
            if isinstance(event, dict) and isinstance(event.get("id"), str):
                yield event["id"]


def _event_row(dossier_id: str, event: Any, taken: set[str]) -> dict[str, Any]:
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise Rejected("thiếu mã định danh của bước xử lý")
    status_after = event.get("status_after")
    if not isinstance(status_after, int):
        raise Rejected("thiếu trạng thái sau bước xử lý")
    at = parse_moment(event.get("at"), "event.at")
    if event["id"] in taken:
        raise Rejected(f"Mã bước xử lý {event['id']} đã có trên cổng.")
    return {"id": event["id"], "dossier_id": dossier_id, "type": str(event.get("type", "")),
            "status_after": status_after, "at": at, "source": "counter", "payload": event}


def _take_dossier(batch: _Batch, dev: Source, push_item: PushItem, now: datetime) -> None:
    payload = push_item.payload
    code = payload.get("code")
    if not isinstance(code, str) or not code:
        raise Rejected("thiếu mã hồ sơ")
    if not code.upper().startswith(dev.agency_code + "-"):
        raise Rejected(f"Mã hồ sơ {code} không thuộc cơ quan {dev.agency_code} của máy này.")
    status = payload.get("status")
    if not isinstance(status, int):
        raise Rejected("thiếu trạng thái hồ sơ")
    received_at = parse_moment(payload.get("received_at"), "received_at")
    if push_item.entity_id != payload.get("id"):
        raise Rejected("mã định danh hồ sơ không khớp")
    other = batch.by_code.get(code)
    if other is not None:
        raise Rejected(f"Mã hồ sơ {other.code} đã được dùng cho hồ sơ khác (mã định danh {other.id}, "
                       f"quầy số {batch.counter_of(other.device_id)}). Hai hồ sơ không thể cùng một "
                       "mã: kiểm tra số quầy đã thiết lập trên máy này.")
    if push_item.entity_id in batch.by_id:
        raise Rejected(f"Mã định danh hồ sơ {push_item.entity_id} đã có trên cổng với mã hồ sơ khác.")
    taken = set(batch.events)
    events = []
    for event in payload.get("events") or []:
        row = _event_row(push_item.entity_id, event, taken)
        taken.add(row["id"])
        events.append(row)
    batch.events.update(row["id"] for row in events)
    batch.event_rows.extend(events)
    batch.dossier_rows[push_item.entity_id] = {
        "id": push_item.entity_id, "code": code, "agency_code": dev.agency_code, "device_id": dev.device_id,
        "procedure_code": str(payload.get("procedure_code", "")), "status": status, "status_at": received_at,
        "payload": payload, "stored_at": now}
    batch._know(_Dossier(push_item.entity_id, code, dev.agency_code, dev.device_id, status, received_at,
                         stored=False))


def _take_event(batch: _Batch, push_item: PushItem) -> None:
    dossier = batch.by_id.get(push_item.entity_id)
    if dossier is None:
        raise Rejected("Cổng chưa có hồ sơ của bước này (hồ sơ chưa được gửi hoặc đang bị cách ly).")
    row = _event_row(dossier.id, push_item.payload.get("event"), batch.events)
    batch.events.add(row["id"])
    batch.event_rows.append(row)
    if row["at"] >= dossier.status_at:
        dossier.status, dossier.status_at = row["status_after"], row["at"]
        if dossier.stored:
            batch.moved[dossier.id] = dossier
        else:
            batch.dossier_rows[dossier.id].update(status=dossier.status, status_at=dossier.status_at)


def _fee_dossier(batch: _Batch, dev: Source, push_item: PushItem) -> str:
    code = push_item.payload.get("code")
    found = batch.by_code.get(code) if isinstance(code, str) else None
    if found is None or found.agency_code != dev.agency_code:
        raise Rejected(f"Cổng chưa có hồ sơ {code} của khoản thu này.")
    return found.id


def ingest(conn: Connection, dev: Source, items: list[PushItem], now: datetime) -> list[ItemResult]:
    """Store a batch in the caller's transaction and answer each item accepted, duplicate or rejected."""
    batch = _Batch(conn, items)
    results: list[ItemResult] = []
    for push_item in items:
        def rejected(reason: str, push_item: PushItem = push_item) -> ItemResult:
            log.warning("rejected %s %s from %s: %s", push_item.kind, push_item.id, dev.device_id, reason)
            return ItemResult(id=push_item.id, status="rejected", reason=reason)

        if not push_item.kind.startswith(PUSH_KINDS):
            results.append(rejected(f"Cổng không nhận loại dữ liệu '{push_item.kind}'."))
            continue
        if push_item.id != item_client_id(push_item.kind, push_item.entity_id, push_item.payload):
            results.append(rejected("Mã định danh của mục không khớp với nội dung."))
            continue
        known = batch.items.get(push_item.id)
        if known is not None:
            results.append(rejected(f"Mã {push_item.id} đã được dùng cho một mục khác ({known}).")
                           if known != push_item.kind else ItemResult(id=push_item.id, status="duplicate"))
            continue
        dossier_id: str | None = push_item.entity_id if push_item.kind.startswith("dossier.") else None
        try:
            if push_item.kind == "dossier.received":
                _take_dossier(batch, dev, push_item, now)
            elif push_item.kind.startswith("dossier."):
                _take_event(batch, push_item)
            else:
                dossier_id = _fee_dossier(batch, dev, push_item)
        except Rejected as why:
            results.append(rejected(str(why)))
            continue
        batch.items[push_item.id] = push_item.kind
        batch.item_rows.append({
            "client_id": push_item.id, "kind": push_item.kind, "entity_id": push_item.entity_id,
            "dossier_id": dossier_id, "device_id": dev.device_id, "payload": push_item.payload,
            "created_at": as_utc(push_item.created_at), "stored_at": now})
        results.append(ItemResult(id=push_item.id, status="accepted"))
    _write(conn, batch)
    return results


def _write(conn: Connection, batch: _Batch) -> None:
    # Dossiers before their events: dossier_event.dossier_id is a foreign key.
    for table, rows in ((t.dossier, list(batch.dossier_rows.values())), (t.dossier_event, batch.event_rows),
                        (t.item, batch.item_rows)):
        if rows:
            conn.execute(_insert_ignoring_conflicts(conn, table), rows)
    if batch.moved:
        conn.execute(t.dossier.update().where(t.dossier.c.id == bindparam("dossier_key"))
                     .values(status=bindparam("new_status"), status_at=bindparam("new_status_at")),
                     [{"dossier_key": d.id, "new_status": d.status, "new_status_at": d.status_at}
                      for d in batch.moved.values()])

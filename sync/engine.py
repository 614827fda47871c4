"""One sync round: push the outbox in batches that adapt to the link, then pull the portal's changes.

Exactly-once rests on three facts. Every item carries its client UUID, so a
batch resent after a lost answer is answered "duplicate", never stored
twice. An item leaves the queue only in the transaction that records a
well-formed acknowledgement naming it. The pull cursor moves in the same
transaction that applies the page. So the round can be cut at any point
(power, network, process killed) and the next round resumes exactly there.

The engine is Qt-free and blocking: the GUI runs `run_round` on a worker and
receives `SyncProgress` through `on_progress`; the command line runs it
directly. `cancel` (a threading.Event) stops it between batches.
"""

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from app import clock
from app.db import Store
from app.errors import CounterError
from app.serialize import iso
from models.tables import OutboxItem
from sync import state
from sync.apply import apply_changes
from sync.client import LinkFailure, PortalClient, PortalRefused
from sync.protocol import MAX_PUSH_ITEMS, AuditHead, PushItem, PushRequest, item_client_id

log = logging.getLogger("motcua.sync")


@dataclass
class EngineConfig:
    # A first batch a 2G link carries in a few seconds; quick answers double it up to the ceilings below.
    batch_items: int = 50
    min_items: int = 1
    # The protocol's own ceiling (MAX_PUSH_ITEMS): on loopback or a LAN, fewer round trips is what counts.
    max_items: int = MAX_PUSH_ITEMS
    # Uncompressed JSON per batch (≈ 1 MiB on the wire at the usual 4-8:1 gzip): bounds memory on both ends;
    # on 2G a batch only grows while answers come within grow_below_seconds, so it never gets near this.
    max_batch_bytes: int = 4 * 1024 * 1024
    # A batch answered faster than this grows; one that times out halves.
    grow_below_seconds: float = 5.0
    connect_timeout: float = 5.0
    read_timeout_base: float = 15.0
    # The slowest link we still want to serve (≈ 2G at 32 kbit/s): the timeout stretches with the bytes sent.
    link_floor_bytes_per_second: float = 4000.0
    read_timeout_max: float = 180.0
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    # Failed attempts in a row before the round gives up (the timer or the officer starts the next one).
    max_failures: int = 6
    pull_limit: int = 200


@dataclass
class SyncProgress:
    phase: str  # "time", "push", "pull", "wait", "done"
    total: int = 0
    done: int = 0
    batch_items: int = 0
    message: str = ""


@dataclass
class SyncResult:
    ok: bool = False
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    pulled: int = 0
    pull_skipped: list[str] = field(default_factory=list)
    waiting: int = 0
    quarantine_total: int = 0
    batches: int = 0
    failures: int = 0
    error: str = ""
    clock_offset_seconds: float | None = None
    bytes_sent: int = 0
    bytes_received: int = 0
    elapsed_seconds: float = 0.0
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def build_push_item(row: "OutboxRow") -> PushItem:
    """The push item for one outbox row: what HTTP pushes and offline bundles (sync.bundle) carry."""
    return PushItem(id=item_client_id(row.kind, row.entity_id, row.payload), kind=row.kind,
                    entity_id=row.entity_id, payload=row.payload, created_at=row.created_at)


@dataclass(frozen=True)
class AppliedResults:
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0

    @property
    def settled(self) -> int:
        return self.accepted + self.duplicates + self.quarantined


class OutboxRow(Protocol):
    """An outbox row as the engine reads it (an OutboxItem, or a plain row of its columns)."""

    id: int | None
    kind: str
    entity_id: str
    payload: Any
    created_at: datetime


_outbox = OutboxItem.__table__  # type: ignore[attr-defined]
_IN_CHUNK = 500
# A quarantined row keeps the portal's own reason: one executemany; delivered rows share their values.
_QUARANTINE = (_outbox.update().where(_outbox.c.id == bindparam("row_id"))
               .values(state=state.QUARANTINED, attempts=_outbox.c.attempts + 1, next_attempt_at=None,
                       quarantined_at=bindparam("at"), quarantine_reason=bindparam("reason")))


def apply_results(session: Session, rows: Sequence[OutboxRow], results: list[Any]) -> AppliedResults:
    """Settle outbox rows from the portal's per-item answers (HTTP push or bundle acknowledgement).

    Only rows still waiting change (a row settled meanwhile by another round stays as it is); a row the
    answers do not name stays waiting. Runs in the caller's write transaction, set-based: one lookup of
    which rows still wait, one UPDATE … WHERE id IN (…) per answer kind, one executemany for rejections.
    """
    by_id = {r.id: r for r in results}
    answers: dict[int, Any] = {}
    for row in rows:
        answer = by_id.get(item_client_id(row.kind, row.entity_id, row.payload))
        if answer is not None and row.id is not None:
            answers[row.id] = answer
    connection = session.connection()
    keys = list(answers)
    waiting: set[int] = set()
    for start in range(0, len(keys), _IN_CHUNK):
        waiting.update(connection.execute(select(_outbox.c.id).where(
            _outbox.c.id.in_(keys[start:start + _IN_CHUNK]), _outbox.c.state == state.WAITING)).scalars())
    now = clock.now()
    delivered: dict[str, list[int]] = {"accepted": [], "duplicate": []}
    quarantined: list[dict[str, Any]] = []
    for row_id, answer in answers.items():
        if row_id not in waiting:
            continue
        if answer.status == "rejected":
            quarantined.append({"row_id": row_id, "at": now,
                                "reason": answer.reason or "Cổng từ chối, không nêu lý do."})
        else:
            delivered[answer.status].append(row_id)
    for ack, ids in delivered.items():
        for start in range(0, len(ids), _IN_CHUNK):
            connection.execute(_outbox.update().where(_outbox.c.id.in_(ids[start:start + _IN_CHUNK]))
                               .values(state=state.DELIVERED, attempts=_outbox.c.attempts + 1,
                                       next_attempt_at=None, acked_at=now, ack=ack, last_error=""))
    if quarantined:
        connection.execute(_QUARANTINE, quarantined)
    return AppliedResults(len(delivered["accepted"]), len(delivered["duplicate"]), len(quarantined))


class _GiveUp(Exception):
    pass


class SyncEngine:
    def __init__(self, store: Store, client: PortalClient, config: EngineConfig | None = None,
                 on_progress: Callable[[SyncProgress], None] | None = None,
                 cancel: threading.Event | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None):
        self.store = store
        self.client = client
        self.config = config or EngineConfig()
        self.on_progress = on_progress or (lambda _p: None)
        self.cancel = cancel or threading.Event()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.batch_items = self.config.batch_items
        self._failures_in_a_row = 0
        self.result = SyncResult()

    # --- the round ----------------------------------------------------------------------------

    def run_round(self) -> SyncResult:
        started = time.monotonic()
        result = self.result = SyncResult()
        with self.store.write() as session:
            state.put(session, state.LAST_ATTEMPT, iso(clock.now()))
        try:
            self._check_time()
            self._push_all()
            self._pull_all()
        except PortalRefused as error:
            result.error = str(error)
        except _GiveUp as error:
            result.error = str(error)
        except CounterError as error:
            # Something on this side (a disk, a locked database): reported like the rest, the queue intact.
            result.error = str(error)
        result.elapsed_seconds = round(time.monotonic() - started, 3)
        self._finish(result)
        return result

    def _finish(self, result: SyncResult) -> None:
        with self.store.write() as session:
            n = state.counts(session)
            result.waiting, result.quarantine_total = n[state.WAITING], n[state.QUARANTINED]
            result.ok = not result.error and not result.cancelled and result.waiting == 0
            reached = result.batches > 0 or result.clock_offset_seconds is not None
            state.put(session, state.ONLINE, reached and not isinstance(self._last_error, LinkFailure))
            state.put(session, state.LAST_ERROR, result.error)
            if result.ok:
                state.put(session, state.LAST_SUCCESS, iso(clock.now()))
            if result.clock_offset_seconds is not None:
                state.put(session, state.CLOCK_OFFSET, result.clock_offset_seconds)
        self.on_progress(SyncProgress("done", message=result.error or "Đồng bộ xong."))

    _last_error: Exception | None = None

    def _attempt(self, what: str, call: Callable[[], Any]) -> Any:
        """Run one network call; on a link failure back off (exponential, full jitter) and try again."""
        while True:
            if self.cancel.is_set():
                self.result.cancelled = True
                raise _GiveUp("Đã dừng đồng bộ theo yêu cầu.")
            try:
                value = call()
            except LinkFailure as error:
                self._last_error = error
                self.result.failures += 1
                self._failures_in_a_row += 1
                log.info("%s failed (%d in a row): %s", what, self._failures_in_a_row, error)
                if error.timed_out:
                    self.batch_items = max(self.config.min_items, self.batch_items // 2)
                if self._failures_in_a_row >= self.config.max_failures:
                    raise _GiveUp(f"Chưa đồng bộ được: {error}") from None
                delay = self.rng.uniform(0, min(self.config.backoff_cap,
                                                self.config.backoff_base * 2 ** (self._failures_in_a_row - 1)))
                self.on_progress(SyncProgress("wait", message=f"{error} Thử lại sau {delay:.0f} giây."))
                self.sleep(delay)
                continue
            except PortalRefused as error:
                self._last_error = error
                raise
            self._last_error = None
            self._failures_in_a_row = 0
            self.result.bytes_sent += self.client.last_sent_bytes
            self.result.bytes_received += self.client.last_received_bytes
            return value

    def _check_time(self) -> None:
        self.on_progress(SyncProgress("time", message="Kiểm tra kết nối tới cổng…"))
        before = clock.now()
        answer = self._attempt("time", lambda: self.client.server_time(self.config.read_timeout_base))
        after = clock.now()
        midpoint = before + (after - before) / 2
        self.result.clock_offset_seconds = round((answer.server_time - midpoint).total_seconds(), 3)

    # --- push ----------------------------------------------------------------------------------

    def _next_batch(self, session: Session) -> tuple[list[Any], list[int]]:
        """The next waiting rows in order, within the item and byte ceilings, and each one's size in bytes.

        Plain rows rather than ORM objects, and the size from the stored JSON's length in SQL: on a fast
        link building the batch costs as much as sending it.
        """
        rows = session.exec(select(OutboxItem.id, OutboxItem.kind, OutboxItem.entity_id,  # type: ignore[call-overload]
                                   OutboxItem.payload, OutboxItem.created_at,
                                   func.length(OutboxItem.payload).label("payload_bytes"))
                            .where(OutboxItem.state == state.WAITING)
                            .order_by(col(OutboxItem.id)).limit(self.batch_items)).all()
        batch: list[Any] = []
        sizes: list[int] = []
        total = 0
        for row in rows:
            size = (row.payload_bytes or 0) + 200
            total += size
            if batch and total > self.config.max_batch_bytes:
                break
            batch.append(row)
            sizes.append(size)
        return batch, sizes

    def _push_all(self) -> None:
        with self.store.read() as session:
            total = state.counts(session)[state.WAITING]
        done = 0
        while True:
            with self.store.read() as session:
                batch, sizes = self._next_batch(session)
                head = state.audit_head(session)
            if not batch:
                return
            request = PushRequest(
                batch_id=str(uuid.uuid4()),
                items=[build_push_item(r) for r in batch],
                audit=AuditHead(mono=head[0], hash=head[1]) if head else None)
            self.on_progress(SyncProgress("push", total=total, done=done, batch_items=len(batch),
                                          message=f"Đang gửi {len(batch)} mục…"))
            started = time.monotonic()
            response = self._attempt_push(request, [r.id or 0 for r in batch], sizes)
            elapsed = time.monotonic() - started
            self._record_acks(batch, response.results)
            self.result.batches += 1
            done += len(batch)
            if elapsed < self.config.grow_below_seconds and len(batch) == self.batch_items:
                self.batch_items = min(self.config.max_items, self.batch_items * 2)

    def _attempt_push(self, request: PushRequest, ids: list[int], sizes: list[int]) -> Any:
        def send() -> Any:
            # Bytes of JSON, compressed on the wire at roughly 4-8:1; the timeout allows for the floor link speed.
            size = sum(sizes[:len(request.items)])
            timeout = min(self.config.read_timeout_max,
                          self.config.read_timeout_base + size / 6 / self.config.link_floor_bytes_per_second)
            try:
                return self.client.push(request, read_timeout=timeout)
            except LinkFailure as error:
                self._note_failure(ids, str(error))
                if error.timed_out and len(request.items) > self.config.min_items:
                    # Resend less next time: keep the first half so the queue's order is kept.
                    half = max(self.config.min_items, len(request.items) // 2)
                    del request.items[half:]
                    del ids[half:]
                raise
        return self._attempt("push", send)

    def _note_failure(self, ids: list[int], message: str) -> None:
        delay = timedelta(seconds=min(self.config.backoff_cap, self.config.backoff_base * 2 ** self._failures_in_a_row))
        with self.store.write() as session:
            for row in session.exec(select(OutboxItem).where(col(OutboxItem.id).in_(ids))).all():
                row.attempts += 1
                row.last_error = message[:500]
                row.next_attempt_at = clock.now() + delay
                session.add(row)

    def _record_acks(self, batch: list[Any], results: list[Any]) -> None:
        with self.store.write() as session:
            counts = apply_results(session, batch, results)
        self.result.accepted += counts.accepted
        self.result.duplicates += counts.duplicates
        self.result.quarantined += counts.quarantined

    # --- pull -----------------------------------------------------------------------------------

    def _pull_all(self) -> None:
        while True:
            with self.store.read() as session:
                cursor = int(state.get(session, state.CURSOR, 0))
            self.on_progress(SyncProgress("pull", done=self.result.pulled, message="Đang nhận thay đổi từ cổng…"))
            page = self._attempt("pull", lambda after=cursor: self.client.pull(  # type: ignore[misc]
                after, self.config.pull_limit, self.config.read_timeout_base * 2))
            with self.store.write() as session:
                # Another round (another thread) may have applied this page meanwhile: apply only if still current.
                if int(state.get(session, state.CURSOR, 0)) != cursor:
                    continue
                report = apply_changes(session, page.changes)
                state.put(session, state.CURSOR, page.next_cursor)
            self.result.pulled += report.applied
            self.result.pull_skipped.extend(report.skipped)
            if not page.more:
                return


def run_sync_round(store: Store, config: EngineConfig | None = None,
                   on_progress: Callable[[SyncProgress], None] | None = None,
                   cancel: threading.Event | None = None) -> SyncResult:
    """The entry point for the GUI and the command line: one round with the enrolled portal."""
    with store.read() as session:
        url = state.get(session, state.PORTAL_URL)
    token = state.load_token(store.data_dir)
    if not url or not token:
        raise CounterError("Quầy chưa đăng ký với cổng đồng bộ. Chạy: motcua sync enroll --portal URL --code MÃ")
    client = PortalClient(url, token, connect_timeout=(config or EngineConfig()).connect_timeout)
    try:
        return SyncEngine(store, client, config, on_progress=on_progress, cancel=cancel).run_round()
    finally:
        client.close()

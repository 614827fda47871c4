"""Planning and running a seed: which days get how many dossiers, under which numbers.

`seed` reads the profile, calendar, catalog, officers and sequences; spreads the
dossiers over working days and counter slots (app.codes numbering, at most 999 per slot
and day); cuts the plan into chunks; hands them to app.demo.writer; then records the
run in the audit log and tidies the database. See the package docstring for the whole.
"""

import logging
import random
import time as _time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from app import audit, clock
from app.calendar_store import load_calendar
from app.codes import NUMBERS_PER_SLOT
from app.db import Store
from app.errors import CounterError
from app.permissions import SYSTEM
from app.profile import MAX_OFFLINE_COUNTERS, load_profile
from app.search import optimize_index
from app.worktime import AGENCY_TZ
from models.tables import Procedure, ProcedureFee, Sequence, User

from .generator import Config, DayTask, slot_sequence
from .procedures import Proc
from .timeline import OfficeClock
from .writer import default_workers, write_chunks

log = logging.getLogger("motcua.demo")

MAX_DAYS = 3660
MAX_DOSSIERS = 5_000_000
DEFAULT_BATCH = 50_000  # dossiers per chunk, i.e. per transaction
# Working days after today that due dates, extensions and late results may reach.
FUTURE_DAYS = 900


@dataclass(frozen=True)
class SeedReport:
    dossiers: int
    events: int
    days: int
    working_days: int
    slots: tuple[int, ...]
    busiest_day: int
    seconds: float
    write_seconds: float
    index_seconds: float
    generate_seconds: float = 0.0
    workers: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Dossier, event and search-index rows written."""
        return 2 * self.dossiers + self.events

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def dossiers_per_second(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"dossiers": self.dossiers, "events": self.events, "rows": self.rows, "days": self.days,
                "working_days": self.working_days, "slots": list(self.slots), "busiest_day": self.busiest_day,
                "seconds": round(self.seconds, 2), "generate_seconds": round(self.generate_seconds, 2),
                "write_seconds": round(self.write_seconds, 2), "index_seconds": round(self.index_seconds, 2),
                "workers": self.workers,
                "rows_per_second": round(self.rows_per_second), "dossiers_per_second": round(self.dossiers_per_second),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}


def _place_names(agency_name: str, parent_name: str) -> tuple[str, str]:
    """("xã Tân Lập", "tỉnh Lào Cai") from the profile's agency and parent names."""
    commune = "xã Tân Lập"
    for marker in ("xã ", "phường ", "thị trấn ", "đặc khu "):
        at = agency_name.lower().rfind(marker)
        if at >= 0:
            commune = marker + agency_name[at + len(marker):]
            break
    province = "tỉnh Lào Cai"
    for marker in ("tỉnh ", "thành phố "):
        at = parent_name.lower().rfind(marker)
        if at >= 0:
            province = marker + parent_name[at + len(marker):]
            break
    return commune, province


def _allocate(rnd: random.Random, clock_: OfficeClock, receiving: list[int], today_share: float, total: int,
              capacity: list[int]) -> list[int]:
    """Dossiers per receiving day: Mondays busier, Fridays quieter, some noise, never above capacity."""
    if sum(capacity) < total:
        raise CounterError(
            f"Không thể tạo {total:,} hồ sơ trong {len(receiving)} ngày làm việc: mỗi ngày tối đa "
            f"{NUMBERS_PER_SLOT * MAX_OFFLINE_COUNTERS:,} hồ sơ (10 quầy × {NUMBERS_PER_SLOT} số). "
            "Hãy tăng số ngày (--days).".replace(",", "."))
    weights = []
    for w in receiving:
        weekday = clock_.days[w].weekday()
        weights.append((1.25 if weekday == 0 else 0.9 if weekday >= 4 else 1.0) * (0.85 + 0.3 * rnd.random()))
    if receiving and today_share < 1.0:
        weights[-1] *= today_share
    counts = [0] * len(receiving)
    remaining = total
    open_days = [i for i in range(len(receiving)) if capacity[i] > 0]
    while remaining > 0:
        weight_sum = sum(weights[i] for i in open_days)
        shares = [(i, remaining * weights[i] / weight_sum) for i in open_days]
        for i, share in shares:
            add = min(int(share), capacity[i] - counts[i])
            counts[i] += add
            remaining -= add
        # Largest remainders first, one each, while there is room.
        for i, share in sorted(shares, key=lambda item: item[1] - int(item[1]), reverse=True):
            if remaining == 0:
                break
            if counts[i] < capacity[i]:
                counts[i] += 1
                remaining -= 1
        open_days = [i for i in open_days if counts[i] < capacity[i]]
    return counts


def seed(store: Store, dossiers: int, days: int, seed: int = 1, *, batch_size: int = DEFAULT_BATCH,
         workers: int | None = None) -> SeedReport:
    """Add `dossiers` synthetic dossiers received over the last `days` days; see the module docstring."""
    if not 0 <= dossiers <= MAX_DOSSIERS:
        raise CounterError(f"Số hồ sơ mẫu phải từ 0 đến {MAX_DOSSIERS:,}.".replace(",", "."))
    if not 1 <= days <= MAX_DAYS:
        raise CounterError(f"Số ngày phải từ 1 đến {MAX_DAYS}.")
    started = _time.perf_counter()
    rnd = random.Random(seed)
    now = clock.now()
    now_epoch = int(now.timestamp())
    now_local = now.astimezone(AGENCY_TZ)
    today = now_local.date()

    with store.read() as session:
        profile = load_profile(session)
        calendar = load_calendar(session)
        officers = tuple((u.id, u.full_name) for u in session.exec(select(User).where(col(User.active) == True))  # noqa: E712
                         if u.id is not None)
        fees: Counter[int] = Counter()
        for fee in session.exec(select(ProcedureFee)):
            fees[fee.procedure_id] += fee.amount
        procedures = tuple(
            Proc(p.id, p.code, p.name, p.field_code, p.processing_value, p.processing_unit, fees[p.id],
                  p.postal_return, p.field_code in ("DD", "XD", "HKD", "NCN") and p.processing_value > 0)
            for p in session.exec(select(Procedure).where(col(Procedure.active) == True))  # noqa: E712
            if p.id is not None)
        sequence_rows = {(row.name, row.scope): row.last for row in session.exec(select(Sequence))}
    if not procedures:
        raise CounterError("Danh mục thủ tục đang trống; hãy nhập danh mục trước khi tạo hồ sơ mẫu.")
    if not officers:
        raise CounterError("Không có tài khoản nào đang hoạt động để ghi là cán bộ tiếp nhận.")

    commune, province = _place_names(profile.agency_name, profile.parent_name)
    agency = profile.agency_code
    config = Config(
        seed=seed, now_epoch=now_epoch, first_day=today - timedelta(days=days - 1),
        last_day=today + timedelta(days=FUTURE_DAYS), overrides=tuple(calendar.overrides.values()),
        office_hours=tuple(calendar.office_hours), hours_per_day=calendar.hours_per_day,
        procedures=procedures, officers=officers, commune=commune, province=province, agency=agency)
    clock_ = OfficeClock(calendar, config.first_day, config.last_day)
    D = clock_.day_seconds
    receiving = [w for w, d in enumerate(clock_.days) if d <= today]
    # Today counts only for the office time already gone.
    today_share, today_elapsed = 1.0, D
    if receiving and clock_.days[receiving[-1]] == today:
        seconds_now = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
        today_elapsed = clock_.office_offset(seconds_now) if seconds_now >= clock_.periods[0][0] else 0
        if today_elapsed < 60:
            receiving.pop()
        else:
            today_share = today_elapsed / D

    slot_order = [profile.code_slot] + [s for s in range(MAX_OFFLINE_COUNTERS) if s != profile.code_slot]

    def used(day: date, slot: int) -> int:
        return sequence_rows.get(("dossier_code", f"{agency}|{day:%Y%m%d}|{slot}"), 0)

    capacity = [sum(max(0, NUMBERS_PER_SLOT - used(clock_.days[w], s)) for s in slot_order) for w in receiving]
    counts = _allocate(rnd, clock_, receiving, today_share, dossiers, capacity) if dossiers else []

    # Plan every day: which slots, and where each counter's numbers and register stand before it.
    registers: dict[tuple[int, int], int] = {}
    for (name, scope), last in sequence_rows.items():
        parts = scope.split("|")
        if name == "register" and len(parts) == 2 and all(part.isdigit() for part in parts):
            registers[(int(parts[0]), int(parts[1]))] = last
    chunks: list[tuple[list[DayTask], dict[tuple[str, str], int]]] = []
    tasks: list[DayTask] = []
    sequences: dict[tuple[str, str], int] = {}
    in_chunk = 0
    slots_used: set[int] = set()
    for w, count in zip(receiving, counts):
        if count == 0:
            continue
        day = clock_.days[w]
        slots: list[tuple[int, int]] = []
        room = 0
        for s in slot_order:  # this counter's own slot first, further ones only when it is full
            free = NUMBERS_PER_SLOT - used(day, s)
            if free > 0:
                slots.append((s, used(day, s)))
                room += free
                if room >= count:
                    break
        counters = sorted({s + 1 for s, _ in slots})
        tasks.append(DayTask(w, day, count, today_elapsed if day == today else D, tuple(slots),
                              tuple((c, registers.get((day.year, c), 0)) for c in counters)))
        for slot, issued in Counter(slot_sequence(count, tuple(slots))).items():
            sequences[("dossier_code", f"{agency}|{day:%Y%m%d}|{slot}")] = used(day, slot) + issued
            registers[(day.year, slot + 1)] = registers.get((day.year, slot + 1), 0) + issued
            sequences[("register", f"{day.year}|{slot + 1}")] = registers[(day.year, slot + 1)]
            slots_used.add(slot)
        in_chunk += count
        if in_chunk >= batch_size:
            chunks.append((tasks, sequences))
            tasks, sequences, in_chunk = [], {}, 0
    if tasks:
        chunks.append((tasks, sequences))

    workers = default_workers(dossiers) if workers is None else workers
    result = write_chunks(store, config, chunks, workers)
    statuses, events, generate_seconds = result.statuses, result.events, result.generate_seconds
    written = sum(counts)
    log.info("demo seed: %d dossiers, %d worker(s), generate %.1f s, write %s", written, workers,
             generate_seconds, {k: round(v, 1) for k, v in result.timings.items()})

    index_started = _time.perf_counter()
    with store.write() as session:
        if written:
            optimize_index(session.connection().connection.driver_connection)
        audit.record(session, SYSTEM.username, "demo.seed", "dossier", "",
                     {"dossiers": written, "events": events, "days": days, "seed": seed,
                      "slots": sorted(slots_used)})
    with store.engine.connect() as connection:
        # Outside any transaction: copy the write-ahead log into the database and give its disk back.
        connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index_seconds = _time.perf_counter() - index_started
    return SeedReport(
        dossiers=written, events=events, days=days, working_days=len(receiving),
        slots=tuple(sorted(slots_used)), busiest_day=max(counts, default=0),
        seconds=_time.perf_counter() - started, write_seconds=result.write_seconds, index_seconds=index_seconds,
        generate_seconds=generate_seconds, workers=workers, statuses=dict(statuses))

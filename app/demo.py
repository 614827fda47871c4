"""Synthetic dossiers for demonstrations and benchmarks (`motcua demo seed`).

`seed(store, dossiers, days)` fills an initialised data directory with
realistic dossiers received over the last `days` days, fast enough for a
million on a 2-core machine:

- Owners: Vietnamese names with realistic family-name frequencies (Nguyễn
  about 38 %, then Trần, Lê, Phạm, …) and the Hmong, Tày and Thái names of a
  mountain commune (Lò, Vàng, Giàng, Sùng, Hà, Lường); CCCD numbers whose
  province prefix, century/sex digit and year digits agree with the date of
  birth; mobile numbers on real network prefixes; villages of the agency's
  commune and its neighbours.
- Procedures from the local catalog, weighted like a commune counter's year
  (chứng thực and hộ tịch far ahead of the rest).
- Received within office hours of working days (app.worktime calendar, with
  this counter's corrections), due dates from the same calendar, codes in the
  scheme of app.codes. A day may not exceed 999 dossiers per counter slot, so
  a day that needs more spreads its dossiers over further slots, as if the
  agency had up to ten counters whose dossiers reach this device (counter
  number = slot + 1; this counter's own slot is filled first). More than
  9,990 on one working day is refused: ask for more days. The `sequence`
  table is advanced in the same transactions, so later real intakes (and a
  second seed) continue after the seeded numbers.
- Each dossier's life is planned with the rules of app.lifecycle (forwarding by
  the 15:00 rule, one supplement request pausing the clock and moving the due
  date, payment requests, one extension at least a working day before the due
  date, refusals, withdrawals, stops, results early / on time / late, returns
  with a satisfaction rating) and cut at "now": one `dossier_event` row per
  step that has happened, and `status`, `due_at`, `paused_at`, `finished_at`,
  `returned_at`, `extended`, `satisfaction` as app.lifecycle would have left
  them. Old dossiers are mostly returned; recent ones are in progress; some
  are overdue and still processing, some wait for a supplement.
- Left out to keep it fast: the dossiers' document checklists, payments,
  per-dossier audit rows (one `demo.seed` audit row records the run) and
  outbox entries (demo data must never reach the portal).

Speed: the plan (days, slots, numbers) is made up front; dossiers are then
generated in chunks of days, each with its own random stream (so a seed gives
the same dossiers however the work is split), and written through one
connection of the store, one BEGIN IMMEDIATE transaction per chunk holding its
dossiers, events, search index entries and sequence numbers: every commit
leaves a consistent database. For large seeds a forked worker process (POSIX;
elsewhere generation stays in this process) generates the next chunks into
scratch SQLite files while this one copies the previous chunk in with
`INSERT … SELECT` (see `_BatchWriter`). During the seed the writing connection
uses a 1 GiB page cache, synchronous=NORMAL and a WAL checkpoint about every
gigabyte instead of every 4 MB; all three are restored afterwards, and the log
is checkpointed and truncated at the end. IDs are time-ordered UUIDs (version
7) so the primary-key indexes grow at their end, like the codes and dates do.
On this 2-core machine: a million dossiers (3.4 million events) in 80-95 s,
a 2.7 GB database.
"""

import json
import logging
import multiprocessing
import os
import random
import shutil
import sqlite3
import tempfile
import time as _time
from calendar import timegm
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any

from sqlmodel import col, select

from app import audit, clock
from app.calendar_store import load_calendar
from app.codes import NUMBERS_PER_SLOT
from app.db import Store
from app.errors import CounterError
from app.permissions import SYSTEM
from app.profile import MAX_OFFLINE_COUNTERS, load_profile
from app.search import index_rows_after, optimize_index
from app.textfold import fold
from app.validation import CCCD_PROVINCE_CODES
from app.worktime import AGENCY_TZ, DayOverride, WorkCalendar
from models.enums import DossierStatus, EventType, ProcessingUnit
from models.tables import Procedure, ProcedureFee, Sequence, User

log = logging.getLogger("motcua.demo")

MAX_DAYS = 3660
MAX_DOSSIERS = 5_000_000
DEFAULT_BATCH = 50_000
# Working days after today that due dates, extensions and late results may reach.
FUTURE_DAYS = 900
SEED_CACHE_KIB = 1024 * 1024
SEED_CHECKPOINT_PAGES = 262_144

S = DossierStatus
E = EventType

# --- people -----------------------------------------------------------------

KINH, HMONG, TAI = 0, 1, 2
# (family name, weight per 1000, group). Kinh weights follow published surname surveys;
# the Hmong and Tày/Thái names are what a mountain commune adds.
FAMILY_NAMES: tuple[tuple[str, float, int], ...] = (
    ("Nguyễn", 380, KINH), ("Trần", 105, KINH), ("Lê", 90, KINH), ("Phạm", 65, KINH),
    ("Hoàng", 40, KINH), ("Huỳnh", 14, KINH), ("Phan", 40, KINH), ("Vũ", 30, KINH), ("Võ", 18, KINH),
    ("Đặng", 20, KINH), ("Bùi", 19, KINH), ("Đỗ", 14, KINH), ("Hồ", 12, KINH), ("Ngô", 12, KINH),
    ("Dương", 10, KINH), ("Lý", 5, KINH), ("Đinh", 6, KINH), ("Trịnh", 4, KINH), ("Đoàn", 3, KINH),
    ("Mai", 3, KINH), ("Lương", 3, KINH), ("Triệu", 3, TAI), ("Nông", 3, TAI),
    ("Lò", 12, TAI), ("Hà", 10, TAI), ("Lường", 6, TAI), ("Vàng", 10, HMONG), ("Giàng", 8, HMONG),
    ("Sùng", 6, HMONG), ("Thào", 3, HMONG), ("Má", 2, HMONG), ("Ly", 2, HMONG),
)
MIDDLE_NAMES: dict[tuple[int, bool], tuple[tuple[str, float], ...]] = {
    # (group, female)
    (KINH, False): (("Văn", 45), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Hữu", 6), ("Công", 5), ("Xuân", 4),
                    ("Thanh", 4), ("Ngọc", 3), ("Đình", 4), ("Tiến", 3), ("Mạnh", 2), ("Trọng", 3), ("Bá", 2),
                    ("Duy", 3), ("Quốc", 3)),
    (KINH, True): (("Thị", 55), ("Thu", 5), ("Ngọc", 5), ("Thanh", 4), ("Minh", 3), ("Phương", 3), ("Hồng", 4),
                   ("Bích", 2), ("Kim", 3), ("Thúy", 2), ("Diệu", 1), ("Thùy", 2), ("Thị Hồng", 4), ("Thị Thu", 4),
                   ("Thị Minh", 3)),
    (HMONG, False): (("A", 50), ("Seo", 25), ("Văn", 25)),
    (HMONG, True): (("Thị", 60), ("Mí", 40)),
    (TAI, False): (("Văn", 85), ("Đức", 5), ("Xuân", 5), ("Thanh", 5)),
    (TAI, True): (("Thị", 90), ("Thu", 5), ("Hồng", 5)),
}
GIVEN_NAMES: dict[tuple[int, bool], tuple[str, ...]] = {
    (KINH, False): ("Đức", "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Quân",
                    "Huy", "Hoàng", "Phong", "Khánh", "Trung", "Hiếu", "Thành", "Tùng", "Đạt", "Bình", "Lâm",
                    "Vinh", "Thịnh", "Tài", "Phúc", "Kiên", "Quang", "Duy", "Anh", "Việt", "Hưng", "Toàn",
                    "Thái", "Tiến", "Hậu", "Lợi", "Nghĩa", "Công", "Đông", "Khoa", "Lộc", "Trường", "Tâm"),
    (KINH, True): ("Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Hằng", "Nhung", "Thảo", "Ngọc", "Yến", "Hạnh",
                   "Phương", "Thủy", "Dung", "Hà", "Hiền", "Loan", "Nga", "Vân", "Oanh", "Huyền", "Giang", "Chi",
                   "Anh", "Thu", "Tâm", "Quỳnh", "Liên", "Lụa", "My", "Nhàn", "Xuân", "Diệp", "Đào", "Duyên",
                   "Trinh", "Ánh", "Nguyệt", "Hồng"),
    (HMONG, False): ("Páo", "Chứ", "Dế", "Sính", "Sử", "Pủa", "Mang", "Chư", "Lử", "Sềnh", "Dìn", "Sà", "Chinh",
                     "Tủa", "Vừ", "Nhà", "Tráng", "Lềnh", "Phừ", "Dủa"),
    (HMONG, True): ("Mỷ", "Dua", "Sai", "Pà", "Chá", "Dợ", "Súa", "Cở", "Xá", "Mái", "Say", "Dở", "Sua", "Lan"),
    (TAI, False): ("Páo", "Khằm", "Ón", "Inh", "Chiến", "Hùng", "Tuấn", "Lả", "Ngoan", "Xuân", "Bun", "Ươi", "Thắng",
                   "Thanh", "Quý", "Sơn", "Điện"),
    (TAI, True): ("Ơn", "Un", "Ngần", "Xuân", "Hoa", "Lả", "Ánh", "Inh", "Pằn", "Bình", "Thơm", "Hương", "Lan"),
}
VILLAGES = ("Thôn Khe Cảnh", "Thôn Làng Giàng", "Bản Mế", "Bản Phố", "Thôn Nậm Khánh", "Bản Sín Chải",
            "Thôn Cốc Ly", "Thôn Tả Van", "Bản Lầu", "Thôn Pạc Tà", "Bản Nà Lốc", "Thôn Làng Mới",
            "Thôn Đồng Tâm", "Thôn Tân Thành", "Thôn Bắc Ngầm", "Tổ dân phố 1", "Tổ dân phố 2",
            "Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Thôn 7", "Thôn 8", "Thôn 9")
NEIGHBOUR_COMMUNES = ("xã Bảo Nhai", "xã Bắc Hà", "xã Si Ma Cai", "xã Mường Khương", "xã Cốc San",
                      "xã Bản Lầu", "xã Văn Bàn", "phường Cam Đường", "xã Phong Hải", "xã Xuân Quang")
# CCCD prefixes of the people a commune in Lào Cai (formerly Lào Cai and Yên Bái) serves.
HOME_PROVINCE_CODES: tuple[tuple[str, float], ...] = (("010", 45), ("015", 25))
OTHER_PROVINCES_SHARE = 30
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = tuple(
    [(p, 6) for p in ("086", "096", "097", "098")] + [(f"03{d}", 3) for d in range(2, 10)]
    + [(p, 3) for p in ("088", "091", "094", "081", "082", "083", "084", "085")]
    + [(p, 2) for p in ("089", "090", "093", "070", "076", "077", "078", "079")]
    + [(p, 1) for p in ("092", "056", "058", "099", "059")])

# --- procedures -------------------------------------------------------------

# Share of a commune counter's dossiers (per mille) by national code; others by field below.
PROCEDURE_WEIGHTS: dict[str, float] = {
    "2.000815": 300, "2.000884": 95, "2.000942": 15, "2.000908": 10, "2.001035": 18, "2.001019": 4,
    "2.001406": 4, "2.000913": 3, "2.000927": 2, "2.001008": 2,
    "1.001193": 70, "1.000656": 28, "1.000894": 30, "1.004873": 80, "2.000635": 50, "1.004859": 20,
    "1.001022": 4, "1.000689": 4, "1.004884": 8, "1.005461": 2, "1.004837": 2, "1.004845": 1, "2.002516": 8,
    "1.001776": 20, "1.001731": 5, "1.001699": 5, "1.001653": 2, "1.014027": 5,
    "1.013978": 30, "1.012812": 5, "1.013967": 2,
}
FIELD_WEIGHTS: dict[str, float] = {"CT": 20, "HT": 20, "DD": 8, "BTXH": 5}
OTHER_WEIGHT = 3

# --- what the steps record ----------------------------------------------------

SUPPLEMENT_REQUESTS = (
    (["Bản sao Giấy khai sinh"], "Thiếu bản sao giấy khai sinh của người yêu cầu."),
    (["Giấy xác nhận cư trú"], "Thông tin nơi cư trú trên tờ khai chưa khớp với dữ liệu dân cư."),
    (["Tờ khai theo mẫu (bản có chữ ký)"], "Tờ khai chưa có chữ ký của người yêu cầu."),
    (["Văn bản ủy quyền có chứng thực"], "Người nộp không phải chủ hồ sơ, thiếu văn bản ủy quyền."),
    (["Sơ đồ thửa đất", "Bản sao giấy tờ về quyền sử dụng đất"], "Hồ sơ đất đai thiếu sơ đồ và giấy tờ gốc."),
)
REFUSAL_REASONS = ("Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã.",
                   "Giấy tờ nộp kèm có dấu hiệu bị tẩy xóa, sửa chữa.",
                   "Việc hộ tịch đã được đăng ký trước đây; đề nghị cấp bản sao trích lục.")
WITHDRAWAL_REASONS = ("Công dân xin rút hồ sơ để bổ sung sau.", "Công dân không còn nhu cầu giải quyết.", "")
STOP_REASONS = ("Có đơn tranh chấp liên quan, chờ cơ quan có thẩm quyền giải quyết.",
                "Người yêu cầu đã chết trong thời gian giải quyết hồ sơ.")
PAYMENT_REASONS = ("Nộp lệ phí cấp giấy chứng nhận và phí thẩm định.", "Nộp tiền sử dụng đất theo thông báo thuế.")
EXTENSION_REASONS = ("Cần xác minh thêm thông tin tại nơi cư trú trước đây của người yêu cầu.",
                     "Cơ quan chuyên môn cần thêm thời gian thẩm định hồ sơ.")

DOSSIER_COLUMNS = (
    "id", "code", "procedure_id", "procedure_code", "procedure_name", "field_code", "channel", "status",
    "owner_name", "owner_id_number", "owner_dob", "owner_phone", "owner_email", "owner_address", "subject_type",
    "submitter_name", "submitter_id_number", "submitter_phone", "sets", "collection_method", "collection_address",
    "note", "received_at", "recorded_at", "late_entry", "due_at", "processing_value", "processing_unit",
    "fee_total", "register_book", "register_number", "officer_id", "officer_name", "counter_number",
    "search_text", "paused_at", "finished_at", "returned_at", "extended", "satisfaction", "amount_paid")
EVENT_COLUMNS = ("id", "dossier_id", "seq", "type", "at", "recorded_at", "officer_id", "counter_number",
                 "status_after", "details")
INSERT_DOSSIER = (f"INSERT INTO dossier ({', '.join(DOSSIER_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(DOSSIER_COLUMNS))})")
INSERT_EVENT = (f"INSERT INTO dossier_event ({', '.join(EVENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")
UPSERT_SEQUENCE = ("INSERT INTO sequence (name, scope, last) VALUES (?, ?, ?) "
                   "ON CONFLICT (name, scope) DO UPDATE SET last = max(last, excluded.last)")


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


# --- weighted choice in O(1) ----------------------------------------------------


class _Table:
    """Weighted choice by indexing a pre-expanded table with one random number."""

    SIZE = 4096

    def __init__(self, items: list[tuple[Any, float]]):
        total = sum(w for _, w in items)
        table: list[Any] = []
        acc = 0.0
        for item, weight in items:
            acc += weight
            while len(table) < round(acc / total * self.SIZE):
                table.append(item)
        self.table = table or [items[0][0]]
        self.n = len(self.table)

    def pick(self, r: float) -> Any:
        return self.table[int(r * self.n)]


# --- time: office seconds ---------------------------------------------------------
#
# Every moment of a dossier's life is planned on an "office clock" T: working day w
# (index into the list of working days) and office seconds o into it, T = w*D + o with
# D the office seconds of a day. On this clock adding N working days is adding N*D,
# exactly as WorkCalendar.add_working_time counts when a working day is the whole
# office day (checked; otherwise the calendar itself is asked). A T maps back to the
# wall clock with o in (0, D], so a due moment that uses up a day ends at 17:00, as the
# calendar says.


# "HH:MM:SS.000000" for every second of a day: one list lookup per stored moment.
_TIMES_OF_DAY = [f"{h:02d}:{m:02d}:{s:02d}.000000" for h in range(24) for m in range(60) for s in range(60)]


class _Clock:
    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.calendar = calendar
        self.periods = [(s.hour * 3600 + s.minute * 60 + s.second, e.hour * 3600 + e.minute * 60 + e.second)
                        for s, e in calendar.office_hours]
        self.day_seconds = sum(e - s for s, e in self.periods)
        self.exact = calendar.hours_per_day * 3600 == self.day_seconds
        self.boundaries = set()
        acc = 0
        for s, e in self.periods:
            acc += e - s
            self.boundaries.add(acc)
        days: list[date] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        self.days = days
        self.index = {d: i for i, d in enumerate(days)}
        self.midnight = [timegm(d.timetuple()) - int(AGENCY_TZ.utcoffset(datetime.combine(d, time(12))).total_seconds())
                         for d in days]
        self._days: dict[int, str] = {}

    def local_seconds(self, o: int) -> int:
        """Seconds after local midnight of office second o (0 < o <= D)."""
        for s, e in self.periods:
            if o <= e - s:
                return s + o
            o -= e - s
        return self.periods[-1][1]

    def office_offset(self, seconds: int) -> int:
        """Inverse of local_seconds for a moment inside office hours."""
        acc = 0
        for s, e in self.periods:
            if seconds <= e:
                return acc + max(0, seconds - s)
            acc += e - s
        return acc

    def epoch(self, t: int) -> int:
        w = (t - 1) // self.day_seconds
        return self.midnight[w] + self.local_seconds(t - w * self.day_seconds)

    def t_of(self, moment: datetime) -> int:
        local = moment.astimezone(AGENCY_TZ)
        w = self.index[local.date()]
        return w * self.day_seconds + self.office_offset(local.hour * 3600 + local.minute * 60 + local.second)

    def text(self, epoch: int) -> str:
        """How SQLAlchemy stores a UTC datetime in SQLite ("2026-11-20 03:00:05.000000")."""
        day, second = divmod(epoch, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = _time.strftime("%Y-%m-%d ", _time.gmtime(day * 86400))
        return prefix + _TIMES_OF_DAY[second]

    def iso(self, epoch: int) -> str:
        """app.serialize.iso: agency-local ISO 8601."""
        return datetime.fromtimestamp(epoch, AGENCY_TZ).isoformat()


# --- planning one dossier's life ------------------------------------------------------

# Plain values: enum attribute access is measurable at a million dossiers.
RECEIVED, FORWARDED, SUPPLEMENT_REQUESTED, SUPPLEMENTED, REFUSED, PAYMENT_REQUESTED, RESULT_READY, RETURNED, \
    WITHDRAWN, STOPPED, EXTENDED = (t.value for t in (
        E.RECEIVED, E.FORWARDED, E.SUPPLEMENT_REQUESTED, E.SUPPLEMENTED, E.REFUSED, E.PAYMENT_REQUESTED,
        E.RESULT_READY, E.RETURNED, E.WITHDRAWN, E.STOPPED, E.EXTENDED))
ACCEPTED_, REFUSED_, PROCESSING_, SUPPLEMENT_, PAYMENT_, WITHDRAWN_, STOPPED_, READY_, RETURNED_ = (s.value for s in (
    S.ACCEPTED, S.REFUSED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.WITHDRAWN, S.STOPPED,
    S.RESULT_READY, S.RETURNED))
_VARIANT = {h: "89ab"[int(h, 16) & 3] for h in "0123456789abcdef"}


@dataclass
class _Proc:
    id: int
    code: str
    name: str
    field_code: str
    value: int
    unit: str
    fee_total: int
    postal: bool
    pays: bool  # may be asked for a financial obligation


@dataclass
class _Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)


class _Generator:
    """Plans and renders dossiers; holds every table, the clock and the random generator."""

    def __init__(self, config: "_Config"):
        calendar = WorkCalendar(config.overrides, office_hours=config.office_hours,
                                hours_per_day=config.hours_per_day)
        clock_ = _Clock(calendar, config.first_day, config.last_day)
        procedures, officers, now_epoch = config.procedures, list(config.officers), config.now_epoch
        commune, province = config.commune, config.province
        self.seed = config.seed
        self.reseed(date(2000, 1, 1))
        self.clock = clock_
        self.now_epoch = now_epoch
        self.D = clock_.day_seconds
        self.procedures = _Table([(p, PROCEDURE_WEIGHTS.get(p.code, FIELD_WEIGHTS.get(p.field_code, OTHER_WEIGHT)))
                                  for p in procedures])
        self.family = _Table([((name, fold(name), group), w) for name, w, group in FAMILY_NAMES])
        self.middle = {key: _Table([((m, fold(m)), w) for m, w in items]) for key, items in MIDDLE_NAMES.items()}
        self.given = {key: [(g, fold(g)) for g in names] for key, names in GIVEN_NAMES.items()}
        others = sorted(CCCD_PROVINCE_CODES - {c for c, _ in HOME_PROVINCE_CODES})
        self.province_codes = _Table(list(HOME_PROVINCE_CODES)
                                     + [(c, OTHER_PROVINCES_SHARE / len(others)) for c in others])
        self.mobile = _Table(list(MOBILE_PREFIXES))
        # Adults who come to the counter: 18-85, most between 25 and 60.
        self.ages = _Table([(a, (a - 15) * (90 - a)) for a in range(18, 86)])
        home = [f"{v}, {commune}, {province}" for v in VILLAGES]
        away = [f"{v}, {c}, {province}" for v in VILLAGES[:8] for c in NEIGHBOUR_COMMUNES]
        self.addresses = _Table([(a, 85 / len(home)) for a in home] + [(a, 15 / len(away)) for a in away])
        self.officers = officers
        self.year = datetime.fromtimestamp(now_epoch, AGENCY_TZ).year
        self.forward_cutoff = clock_.office_offset(15 * 3600)
        self.received_details = json.dumps({"late_entry": False, "missing_required": []})
        self.ready_details = json.dumps({"note": ""})
        self.supplement_details = [json.dumps({"documents": d, "reason": r, "resume_status": PROCESSING_})
                                   for d, r in SUPPLEMENT_REQUESTS]
        self.refusal_details = [json.dumps({"reason": r}) for r in REFUSAL_REASONS]
        self.withdrawal_details = [json.dumps({"reason": r}) for r in WITHDRAWAL_REASONS]
        self.stop_details = [json.dumps({"reason": r, "legal_basis": ""}) for r in STOP_REASONS]
        self.payment_details = [json.dumps({"reason": r}) for r in PAYMENT_REASONS]
        self._forward_details: dict[tuple[int, bool], str] = {}
        self._return_details: dict[tuple[str, int | None], str] = {}
        self.statuses: Counter[int] = Counter()
        self.events = 0

    def reseed(self, day: date) -> None:
        """One random stream per day: the same seed gives the same dossiers however the work is split."""
        self.rnd = random.Random(f"{self.seed}/{day.isoformat()}")
        self.r = self.rnd.random
        self.bits = self.rnd.getrandbits

    # -- people

    def person(self) -> tuple[str, str, str, str, str, str]:
        """(name, folded name, id number, dob text, phone, address)."""
        r = self.r
        family, family_folded, group = self.family.pick(r())
        female = r() < 0.52
        middle, middle_folded = self.middle[(group, female)].pick(r())
        givens = self.given[(group, female)]
        given, given_folded = givens[int(r() * len(givens))]
        year = self.year - self.ages.pick(r())
        century_sex = (0 if year < 2000 else 2) + female
        id_number = f"{self.province_codes.pick(r())}{century_sex}{year % 100:02d}{int(r() * 1_000_000):06d}"
        phone = "" if r() < 0.08 else f"{self.mobile.pick(r())}{int(r() * 10_000_000):07d}"
        return (f"{family} {middle} {given}", f"{family_folded} {middle_folded} {given_folded}", id_number,
                f"{year:04d}-{1 + int(r() * 12):02d}-{1 + int(r() * 28):02d}", phone, self.addresses.pick(r()))

    # -- time

    def due_t(self, proc: _Proc, t0: int, received_epoch: int) -> int | None:
        if proc.value == 0:
            return None
        if proc.unit == ProcessingUnit.WORKING_HOURS and self.clock.exact:
            return t0 + proc.value * 3600
        if proc.unit == ProcessingUnit.WORKING_DAYS and self.clock.exact:
            return t0 + proc.value * self.D
        due = self.clock.calendar.due_at(datetime.fromtimestamp(received_epoch, UTC), proc.value, proc.unit)
        assert due is not None
        return self.clock.t_of(due)

    def forward_details(self, deadline: int, late: bool) -> str:
        key = (deadline, late)
        text = self._forward_details.get(key)
        if text is None:
            text = self._forward_details[key] = json.dumps(
                {"to": "", "deadline": self.clock.iso(self.clock.epoch(deadline)), "late": late})
        return text

    # -- a life

    def plan(self, proc: _Proc, t0: int, due: int | None) -> tuple[list[tuple[int, str, int, str]], dict[str, int]]:
        """Steps after the receipt, in time order: (T, event type, status after, details JSON).

        `facts` carries what the caller needs for the steps whose details depend on what
        happened before them: the pause of a supplement, the new date of an extension.
        """
        r = self.r
        D = self.D
        steps: list[tuple[int, str, int, str]] = []
        facts: dict[str, int] = {}
        if due is None:
            # Resolved on the spot: result and hand-over within the visit (or refused there).
            if r() < 0.01:
                steps.append((t0 + 300 + int(r() * 1500), REFUSED, REFUSED_,
                              self.refusal_details[int(r() * len(self.refusal_details))]))
                return steps, facts
            ready = t0 + 300 + int(r() * 2100)
            steps.append((ready, RESULT_READY, READY_, self.ready_details))
            steps.append((ready + 60 + int(r() * 540), RETURNED, RETURNED_, ""))
            return steps, facts

        # Forwarded the same day when received before 15:00, else the next working day (app.lifecycle).
        day_end = (t0 - 1) // D * D + D
        if t0 - (day_end - D) < self.forward_cutoff:
            deadline = day_end
            forward = min(t0 + 600 + int(r() * 4800), day_end - 60)
        else:
            deadline = day_end + D
            forward = day_end + 300 + int(r() * 5400)
        if r() < 0.01:
            forward = deadline + 600 + int(r() * D)
        steps.append((forward, FORWARDED, PROCESSING_, self.forward_details(deadline, forward > deadline)))
        span = max(due - forward, 3600)

        u = r()
        kind = "ready"
        if u < 0.012:
            kind, finish = "refuse", forward + int(D * (0.2 + 1.8 * r()))
        elif u < 0.020:
            kind, finish = "withdraw", forward + int(span * (0.1 + 0.9 * r()))
        elif u < 0.023:
            kind, finish = "stop", forward + int(span * (0.2 + 0.8 * r()))
        else:
            v = r()
            if v < 0.62:  # early
                finish = forward + int(span * (0.15 + 0.7 * r()))
            elif v < 0.88:  # on the due day
                finish = forward + int(span * (0.85 + 0.15 * r()))
            elif v < 0.994:  # late by up to six working days
                finish = due + int(D * (0.05 + 6 * r()))
            else:  # stuck for months: overdue and still processing long after
                finish = due + int(D * (20 + 230 * r()))

        # One supplement request (the clock pauses; everything after it moves by the pause).
        if r() < 0.08:
            asked = forward + 600 + int(max(finish - forward - 1200, 600) * (0.05 + 0.45 * r()))
            steps.append((asked, SUPPLEMENT_REQUESTED, SUPPLEMENT_,
                          self.supplement_details[int(r() * len(self.supplement_details))]))
            if r() < 0.08:
                return steps, facts  # never supplemented: waits (status 5) for good
            pause = int(D * (0.3 + 10 * r()))
            facts["pause"] = pause
            steps.append((asked + pause, SUPPLEMENTED, PROCESSING_, ""))  # details from the caller
            due += pause
            finish += pause
            forward = asked + pause

        if kind == "refuse":
            steps.append((finish, REFUSED, REFUSED_, self.refusal_details[int(r() * len(self.refusal_details))]))
            return steps, facts
        if kind == "withdraw":
            steps.append((finish, WITHDRAWN, WITHDRAWN_,
                          self.withdrawal_details[int(r() * len(self.withdrawal_details))]))
            return steps, facts
        if kind == "stop":
            steps.append((finish, STOPPED, STOPPED_, self.stop_details[int(r() * len(self.stop_details))]))
            return steps, facts

        # A late result: half the time the body apologises and sets a new date, a working day ahead.
        final_due = due
        if finish > due and r() < 0.5:
            asked = due - D - int(r() * D // 2)
            if asked > forward + 600:
                final_due = facts["extension"] = max(finish, due + D // 2) + int(D * (0.2 + 2 * r()))
                steps.append((asked, EXTENDED, 0, ""))  # status and details from the caller

        # A financial obligation (land, business, building permits): asked, paid, forwarded again.
        if proc.pays and r() < 0.3:
            asked = max(forward + 900, finish - int(D * (0.3 + 1.5 * r())))
            steps.append((asked, PAYMENT_REQUESTED, PAYMENT_,
                          self.payment_details[int(r() * len(self.payment_details))]))
            paid = asked + int(D * (0.1 + 2.5 * r()))
            steps.append((paid, FORWARDED, PROCESSING_, self.forward_details(deadline, True)))
            finish = max(finish, paid + 1800)

        steps.append((finish, RESULT_READY, READY_, self.ready_details))
        if r() < 0.975:  # a few results are never collected
            g = r()
            gap = int(D * (0.6 * r() if g < 0.7 else 0.6 + 4.4 * r() if g < 0.95 else 5 + 25 * r()))
            start = finish + 300 if finish >= final_due else max(finish + 300, final_due - int(D * 0.5 * r()))
            steps.append((start + gap, RETURNED, RETURNED_, ""))  # details from the caller
        steps.sort(key=lambda step: step[0])
        return steps, facts

    # -- one dossier, as rows

    def dossier(self, batch: _Batch, t0: int, code: str, counter: int, register_book: str, register: int) -> None:
        r = self.r
        clock_ = self.clock
        text_of = clock_.text
        epoch_of = clock_.epoch
        proc: _Proc = self.procedures.pick(r())
        name, name_folded, id_number, dob, phone, address = self.person()
        received = epoch_of(t0)
        received_text = text_of(received)
        officer_id, officer_name = self.officers[int(r() * len(self.officers))]
        stamp = f"{received * 1000 + int(r() * 1000):012x}"
        tail = f"{self.bits(76):019x}"
        dossier_id = f"{stamp[:8]}-{stamp[8:]}-7{tail[:3]}-{_VARIANT[tail[3]]}{tail[4:7]}-{tail[7:]}"
        event_prefix = dossier_id[:24]
        bits = self.bits

        due = self.due_t(proc, t0, received)
        steps, facts = self.plan(proc, t0, due)
        events = batch.events
        events.append((f"{event_prefix}{bits(48):012x}", dossier_id, 1, RECEIVED, received_text, received_text,
                       officer_id, counter, ACCEPTED_, self.received_details))
        status = ACCEPTED_
        paused_at = finished_at = returned_at = None
        extended = 0
        satisfaction = None
        previous = t0
        seq = 1
        now_epoch = self.now_epoch
        for t, kind, after, details in steps:
            if t < previous + 60:
                t = previous + 60
            moment = epoch_of(t)
            if moment > now_epoch:
                break
            previous = t
            text = text_of(moment)
            if kind is SUPPLEMENT_REQUESTED:
                paused_at = text
            elif kind is SUPPLEMENTED:
                assert due is not None
                pause = facts["pause"]
                details = json.dumps({"paused_working_minutes": pause // 60,
                                      "old_due_at": clock_.iso(epoch_of(due)),
                                      "new_due_at": clock_.iso(epoch_of(due + pause)), "note": ""})
                due += pause
                paused_at = None
            elif kind is EXTENDED:
                assert due is not None
                new = facts["extension"]
                details = json.dumps({"reason": EXTENSION_REASONS[int(r() * len(EXTENSION_REASONS))],
                                      "old_due_at": clock_.iso(epoch_of(due)), "new_due_at": clock_.iso(epoch_of(new))})
                due = new
                extended = 1
                after = status  # an extension leaves the status as it was
            elif kind is RESULT_READY:
                finished_at = text
            elif kind is RETURNED:
                returned_at = text
                g = r()
                satisfaction = None if g < 0.4 else 1 if g < 0.93 else 2 if g < 0.985 else 3
                key = (name, satisfaction)
                details = self._return_details.get(key) or self._return_details.setdefault(
                    key, json.dumps({"receiver_name": name, "receiver_id": "", "satisfaction": satisfaction}))
            seq += 1
            status = after
            events.append((f"{event_prefix}{bits(48):012x}", dossier_id, seq, kind, text, text, officer_id, counter,
                           status, details))
        self.events += seq
        self.statuses[status] += 1

        channel_draw = r()
        channel = "counter" if channel_draw < 0.86 else "online" if channel_draw < 0.97 else "postal"
        by_post = proc.postal and r() < 0.04
        search_text = f"{code.lower()} {name_folded} {id_number} {phone}" if phone else \
            f"{code.lower()} {name_folded} {id_number}"
        batch.dossiers.append((
            dossier_id, code, proc.id, proc.code, proc.name, proc.field_code, channel, status,
            name, id_number, dob, phone, "", address, 1,
            "", "", "", 1, "post" if by_post else "counter", address if by_post else "",
            "", received_text, received_text, 0, text_of(epoch_of(due)) if due is not None else None,
            proc.value, proc.unit, proc.fee_total, register_book, register, officer_id, officer_name, counter,
            search_text, paused_at, finished_at, returned_at, extended, satisfaction, 0))


# --- the work, in chunks of days ---------------------------------------------------


@dataclass(frozen=True)
class _Config:
    """Everything a generating process needs (picklable: it crosses to a worker process)."""

    seed: int
    now_epoch: int
    first_day: date
    last_day: date
    overrides: tuple[DayOverride, ...]
    office_hours: tuple[tuple[time, time], ...]
    hours_per_day: int
    procedures: tuple[_Proc, ...]
    officers: tuple[tuple[int, str], ...]
    commune: str
    province: str
    agency: str


@dataclass(frozen=True)
class _DayTask:
    w: int  # index of the day in the clock's working days
    day: date
    count: int
    limit: int  # office seconds of the day open for receipts (less than a day for today)
    slots: tuple[tuple[int, int], ...]  # (slot, numbers it had already issued that day)
    registers: tuple[tuple[int, int], ...]  # (counter, register numbers it had already used that year)


def _slot_sequence(count: int, slots: tuple[tuple[int, int], ...]) -> list[int]:
    """Which slot issues each of the day's dossiers: round robin, skipping slots that are full."""
    issued = {slot: used for slot, used in slots}
    cycle = [slot for slot, _used in slots]
    order = []
    k = 0
    for _ in range(count):
        slot = cycle[k % len(cycle)]
        while issued[slot] >= NUMBERS_PER_SLOT:
            k += 1
            slot = cycle[k % len(cycle)]
        k += 1
        issued[slot] += 1
        order.append(slot)
    return order


def _generate(generator: _Generator, agency: str, tasks: list[_DayTask]) -> _Batch:
    batch = _Batch()
    clock_ = generator.clock
    D = clock_.day_seconds
    for task in tasks:
        generator.reseed(task.day)
        rnd = generator.rnd
        offsets = sorted(1 + int(rnd.random() * (task.limit - 2)) for _ in range(task.count))
        numbers = dict(task.slots)
        registers = dict(task.registers)
        prefix = f"{agency}-{task.day:%y%m%d}-"
        year = task.day.year
        base = task.w * D
        for o, slot in zip(offsets, _slot_sequence(task.count, task.slots)):
            if o in clock_.boundaries:
                o += 1  # never exactly at 11:30 or 17:00: those moments are outside office hours
            number = numbers[slot] = numbers[slot] + 1
            counter = slot + 1
            register = registers[counter] = registers.get(counter, 0) + 1
            generator.dossier(batch, base + o, f"{prefix}{slot * 1000 + number:04d}", counter,
                              f"{counter:02d}/{year}", register)
    return batch


# Worker processes: one generator each, built once from the config.
_worker: tuple[_Generator, str] | None = None


def _worker_start(config: _Config) -> None:
    global _worker
    _worker = (_Generator(config), config.agency)


def _worker_chunk(tasks: list[_DayTask], path: str) -> tuple[str, int, dict[int, int], float]:
    """Generate a chunk into a scratch SQLite file; the writing process copies it in with one INSERT … SELECT."""
    assert _worker is not None
    generator, agency = _worker
    started = _time.perf_counter()
    generator.statuses.clear()
    generator.events = 0
    batch = _generate(generator, agency, tasks)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(f"CREATE TABLE d ({', '.join(DOSSIER_COLUMNS)})")
        connection.execute(f"CREATE TABLE e ({', '.join(EVENT_COLUMNS)})")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO d VALUES ({', '.join('?' * len(DOSSIER_COLUMNS))})", batch.dossiers)
        connection.executemany(f"INSERT INTO e VALUES ({', '.join('?' * len(EVENT_COLUMNS))})", batch.events)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return path, generator.events, dict(generator.statuses), _time.perf_counter() - started


# --- writing ------------------------------------------------------------------------


class _BatchWriter:
    """Writes chunks through one connection of the store, each in one BEGIN IMMEDIATE transaction.

    Generation never runs in another thread of this process: `executemany` hands the GIL back
    and forth for every row, and a second Python thread made the inserts three to a hundred
    times slower (measured). A worker process has its own GIL; its chunks arrive as scratch
    SQLite files and are copied in by SQLite alone (`INSERT … SELECT`), which also saves the
    per-row parameter binding here, on the busiest core.
    """

    def __init__(self, store: Store):
        self.connection = store._writer.connect()
        raw = self.connection.connection.driver_connection
        assert raw is not None
        self.raw = raw
        self.previous = {pragma: raw.execute(f"PRAGMA {pragma}").fetchone()[0]
                         for pragma in ("cache_size", "synchronous", "wal_autocheckpoint")}
        raw.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
        # Demo data: a power cut may cost the last chunks, never the file's integrity (WAL).
        raw.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint about every gigabyte of log instead of every 4 MB: pages that every chunk
        # touches again (the ends of the indexes, the search index) are copied into the
        # database a few times rather than once per chunk, and the log stays bounded.
        raw.execute(f"PRAGMA wal_autocheckpoint={SEED_CHECKPOINT_PAGES}")
        self.seconds = 0.0
        self.timings: Counter[str] = Counter()

    def _timed(self, name: str, started: float) -> float:
        now = _time.perf_counter()
        self.timings[name] += now - started
        return now

    def write(self, batch: _Batch, sequences: dict[tuple[str, str], int]) -> None:
        raw = self.raw
        started = mark = _time.perf_counter()
        with self.connection.begin():
            last = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0] or 0
            raw.executemany(INSERT_DOSSIER, batch.dossiers)
            mark = self._timed("dossiers", mark)
            raw.executemany(INSERT_EVENT, batch.events)
            mark = self._timed("events", mark)
            self._finish(last, sequences, mark)
        self.seconds += self._timed("commit", mark) - started

    def write_file(self, path: str, sequences: dict[tuple[str, str], int]) -> None:
        raw = self.raw
        started = mark = _time.perf_counter()
        raw.execute("ATTACH DATABASE ? AS demo_chunk", (path,))
        try:
            with self.connection.begin():
                last = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0] or 0
                raw.execute(f"INSERT INTO dossier ({', '.join(DOSSIER_COLUMNS)}) "
                            f"SELECT {', '.join(DOSSIER_COLUMNS)} FROM demo_chunk.d ORDER BY rowid")
                mark = self._timed("dossiers", mark)
                raw.execute(f"INSERT INTO dossier_event ({', '.join(EVENT_COLUMNS)}) "
                            f"SELECT {', '.join(EVENT_COLUMNS)} FROM demo_chunk.e ORDER BY rowid")
                mark = self._timed("events", mark)
                mark = self._finish(last, sequences, mark)
            mark = self._timed("commit", mark)
        finally:
            raw.execute("DETACH DATABASE demo_chunk")
        self.seconds += mark - started

    def _finish(self, last_rowid: int, sequences: dict[tuple[str, str], int], mark: float) -> float:
        index_rows_after(self.raw, last_rowid)
        mark = self._timed("search", mark)
        self.raw.executemany(UPSERT_SEQUENCE, [(n, s, v) for (n, s), v in sequences.items()])
        return mark

    def close(self) -> None:
        try:
            for pragma, value in self.previous.items():
                self.raw.execute(f"PRAGMA {pragma}={value}")
        finally:
            self.connection.close()


# --- the seed -----------------------------------------------------------------------


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


def _allocate(rnd: random.Random, clock_: _Clock, receiving: list[int], today_share: float, total: int,
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


def default_workers(dossiers: int) -> int:
    """Generating processes beside the writing one: none for small seeds, none without fork().

    Workers are forked (POSIX): a spawned worker would re-import the caller's main script,
    which breaks any script without an `if __name__ == "__main__"` guard.
    """
    cpus = os.cpu_count() or 1
    if dossiers < 50_000 or cpus < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(1, min(3, cpus - 1))


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
            _Proc(p.id, p.code, p.name, p.field_code, p.processing_value, p.processing_unit, fees[p.id],
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
    config = _Config(
        seed=seed, now_epoch=now_epoch, first_day=today - timedelta(days=days - 1),
        last_day=today + timedelta(days=FUTURE_DAYS), overrides=tuple(calendar.overrides.values()),
        office_hours=tuple(calendar.office_hours), hours_per_day=calendar.hours_per_day,
        procedures=procedures, officers=officers, commune=commune, province=province, agency=agency)
    clock_ = _Clock(calendar, config.first_day, config.last_day)
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
    chunks: list[tuple[list[_DayTask], dict[tuple[str, str], int]]] = []
    tasks: list[_DayTask] = []
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
        tasks.append(_DayTask(w, day, count, today_elapsed if day == today else D, tuple(slots),
                              tuple((c, registers.get((day.year, c), 0)) for c in counters)))
        for slot, issued in Counter(_slot_sequence(count, tuple(slots))).items():
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

    statuses: Counter[int] = Counter()
    events = 0
    generate_seconds = 0.0
    workers = default_workers(dossiers) if workers is None else workers
    writer = _BatchWriter(store)
    try:
        if workers <= 0 or len(chunks) < 2:
            generator = _Generator(config)
            for chunk_tasks, chunk_sequences in chunks:
                mark = _time.perf_counter()
                batch = _generate(generator, agency, chunk_tasks)
                generate_seconds += _time.perf_counter() - mark
                writer.write(batch, chunk_sequences)
            statuses, events = generator.statuses, generator.events
        else:
            scratch = tempfile.mkdtemp(prefix="motcua-demo-")
            try:
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                                         initargs=(config,)) as pool:
                    pending: deque[Future[tuple[str, int, dict[int, int], float]]] = deque()
                    waiting = iter(enumerate(chunks))
                    for number, (chunk_tasks, _s) in islice(waiting, workers + 1):
                        pending.append(pool.submit(_worker_chunk, chunk_tasks, os.path.join(scratch, f"{number}.db")))
                    for _tasks, chunk_sequences in chunks:
                        path, chunk_events, chunk_statuses, seconds = pending.popleft().result()
                        for number, (chunk_tasks, _s) in islice(waiting, 1):
                            pending.append(pool.submit(_worker_chunk, chunk_tasks,
                                                       os.path.join(scratch, f"{number}.db")))
                        writer.write_file(path, chunk_sequences)
                        os.remove(path)
                        events += chunk_events
                        statuses.update(chunk_statuses)
                        generate_seconds += seconds
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        writer.close()
    written = sum(counts)
    log.info("demo seed: %d dossiers, %d worker(s), generate %.1f s, write %s", written, workers,
             generate_seconds, {k: round(v, 1) for k, v in writer.timings.items()})

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
        seconds=_time.perf_counter() - started, write_seconds=writer.seconds, index_seconds=index_seconds,
        generate_seconds=generate_seconds, workers=workers, statuses=dict(statuses))

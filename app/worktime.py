"""Working time, day-off calendar and due dates for the one-stop-shop counter.

Pure Python (stdlib + ``holidays``): no Qt, no database.  The database layer
feeds administrator corrections in as :class:`DayOverride` objects.

Rules (see docs/domain.md, "Working time and deadlines"):

* Every time belongs to the agency's clock (Asia/Ho_Chi_Minh).  All public
  functions take and return timezone-aware datetimes; inputs in any zone are
  converted to the calendar's zone first, naive datetimes raise ValueError.
* A working day is Monday–Friday, unless it is a statutory public holiday;
  a statutory make-up Saturday (làm bù) is a working day; an explicit
  override (from the calendar table) wins over everything.
* Only office hours of working days count.  A dossier received outside
  office hours counts from the next opening.  One working day is
  ``hours_per_day`` working hours (8 by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

from models.enums import ProcessingUnit

__all__ = [
    "AGENCY_TZ",
    "DEFAULT_OFFICE_HOURS",
    "HOURS_PER_WORKING_DAY",
    "ProcessingUnit",
    "DayOverride",
    "parse_office_hours",
    "format_office_hours",
    "statutory_holidays",
    "statutory_makeup_workdays",
    "WorkCalendar",
    "format_vn_moment",
    "format_vn_date",
]

AGENCY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)
HOURS_PER_WORKING_DAY = 8

SATURDAY_NAME = "Thứ Bảy"
SUNDAY_NAME = "Chủ nhật"
DEFAULT_OVERRIDE_HOLIDAY_NAME = "Ngày nghỉ"

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
# Safety net against a calendar that never opens (should be impossible:
# overrides are finite, so weekdays always come back eventually).
_MAX_SCAN_DAYS = 366 * 200


@dataclass(frozen=True)
class DayOverride:
    """An administrator's correction of one calendar day."""

    day: date
    kind: Literal["holiday", "workday"]
    name: str

    def __post_init__(self) -> None:
        if self.kind not in ("holiday", "workday"):
            raise ValueError(
                f"Loại ngày không hợp lệ: «{self.kind}» (chỉ nhận 'holiday' hoặc 'workday')."
            )
        if isinstance(self.day, datetime):
            # datetime is a subclass of date but would never match a date key.
            object.__setattr__(self, "day", self.day.date())


# ---------------------------------------------------------------------------
# Office hours
# ---------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def _parse_hhmm(text: str, part: str) -> time:
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValueError(
            f"Khoảng giờ làm việc không hợp lệ: «{part}». Định dạng đúng, ví dụ: 07:00-11:30."
        )
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"Giờ không hợp lệ: «{text.strip()}» (giờ 00–23, phút 00–59).")
    return time(hour, minute)


def _fmt_hhmm(t: time) -> str:
    if t.second or t.microsecond:
        return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return f"{t.hour:02d}:{t.minute:02d}"


def _validate_periods(periods: Iterable[Iterable[time]]) -> tuple[tuple[time, time], ...]:
    result: list[tuple[time, time]] = []
    for period in periods:
        try:
            start, end = period
        except (TypeError, ValueError):
            raise ValueError(
                "Mỗi khoảng giờ làm việc phải gồm giờ bắt đầu và giờ kết thúc."
            ) from None
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError("Giờ làm việc phải là giá trị giờ (time).")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("Giờ làm việc là giờ địa phương, không kèm múi giờ.")
        label = f"{_fmt_hhmm(start)}-{_fmt_hhmm(end)}"
        if start >= end:
            raise ValueError(f"Giờ bắt đầu phải trước giờ kết thúc: «{label}».")
        if result:
            prev_start, prev_end = result[-1]
            prev_label = f"{_fmt_hhmm(prev_start)}-{_fmt_hhmm(prev_end)}"
            if start < prev_start:
                raise ValueError(
                    "Các khoảng giờ làm việc phải xếp theo thứ tự thời gian: "
                    f"«{label}» đứng sau «{prev_label}»."
                )
            if start < prev_end:
                raise ValueError(
                    f"Các khoảng giờ làm việc bị chồng lấn: «{prev_label}» và «{label}»."
                )
        result.append((start, end))
    if not result:
        raise ValueError("Chưa có khoảng giờ làm việc nào.")
    return tuple(result)


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """Parse ``"07:00-11:30,13:30-17:00"`` into periods.

    Raises ValueError (Vietnamese message) when the text is empty, malformed,
    a period ends before it starts, or periods are unsorted / overlapping.
    """
    if text is None or not str(text).strip():
        raise ValueError("Chưa nhập giờ làm việc. Định dạng đúng, ví dụ: 07:00-11:30,13:30-17:00.")
    periods: list[tuple[time, time]] = []
    for raw_part in str(text).split(","):
        part = raw_part.strip()
        if not part:
            raise ValueError(
                f"Giờ làm việc không hợp lệ: «{text}» (có khoảng trống giữa hai dấu phẩy)."
            )
        pieces = re.split(r"\s*[-–]\s*", part)
        if len(pieces) != 2:
            raise ValueError(
                f"Khoảng giờ làm việc không hợp lệ: «{part}». Định dạng đúng, ví dụ: 07:00-11:30."
            )
        periods.append((_parse_hhmm(pieces[0], part), _parse_hhmm(pieces[1], part)))
    return _validate_periods(periods)


def format_office_hours(periods: Iterable[Iterable[time]]) -> str:
    """Inverse of :func:`parse_office_hours`: ``"07:00-11:30,13:30-17:00"``."""
    return ",".join(f"{_fmt_hhmm(s)}-{_fmt_hhmm(e)}" for s, e in periods)


# ---------------------------------------------------------------------------
# Statutory calendar (from the ``holidays`` package)
# ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _statutory_holidays_cached(year: int) -> Mapping[date, str]:
    vn = holidays.country_holidays("VN", years=year, language="vi")
    return MappingProxyType({d: str(name) for d, name in sorted(vn.items()) if d.year == year})


def statutory_holidays(year: int) -> dict[date, str]:
    """Statutory days off of ``year`` (Vietnamese names), including the
    package's substitute days (nghỉ bù / "Ngày nghỉ (thay cho ngày …)").

    Cached per year; the returned dict is a fresh copy the caller may modify.
    """
    return dict(_statutory_holidays_cached(int(year)))


_SUBSTITUTE_RE = re.compile(r"thay cho ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


def _makeup_from_names(names: Mapping[date, str]) -> dict[date, str]:
    """Find "Ngày nghỉ (thay cho ngày dd/mm/yyyy)" entries: the date in
    parentheses is a make-up working day for the day off it labels."""
    result: dict[date, str] = {}
    for day_off, name in names.items():
        for m in _SUBSTITUTE_RE.finditer(name):
            try:
                makeup = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
            result[makeup] = f"Làm bù cho ngày nghỉ {format_vn_date(day_off)}"
    return result


@lru_cache(maxsize=None)
def _statutory_makeup_cached(year: int) -> Mapping[date, str]:
    # The make-up Saturday may lie in a different year than the day off it
    # pays for (e.g. a Saturday in late December for a day off in January),
    # so look at the neighbouring years too and keep the make-up days of
    # ``year``.
    found: dict[date, str] = {}
    for y in (year - 1, year, year + 1):
        found.update(_makeup_from_names(_statutory_holidays_cached(y)))
    return MappingProxyType({d: found[d] for d in sorted(found) if d.year == year})


def statutory_makeup_workdays(year: int) -> dict[date, str]:
    """Make-up working days (làm bù) of ``year`` known to the holidays
    package: ``{saturday: "Làm bù cho ngày nghỉ dd/mm/yyyy"}``."""
    return dict(_statutory_makeup_cached(int(year)))


# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------


def _require_aware(moment: datetime, what: str = "Thời điểm") -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} phải là datetime, nhận được {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} phải kèm múi giờ (datetime aware), không nhận datetime naive.")


def _td_of_day(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


class WorkCalendar:
    """Working days and office hours of one agency."""

    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        office_hours: Iterable[Iterable[time]] | str = DEFAULT_OFFICE_HOURS,
        hours_per_day: int = HOURS_PER_WORKING_DAY,
        tz: tzinfo | str = AGENCY_TZ,
    ) -> None:
        if isinstance(office_hours, str):
            self.office_hours = parse_office_hours(office_hours)
        else:
            self.office_hours = _validate_periods(office_hours)
        if isinstance(hours_per_day, bool) or not isinstance(hours_per_day, int) or hours_per_day <= 0:
            raise ValueError("Số giờ làm việc của một ngày phải là số nguyên dương.")
        self.hours_per_day = hours_per_day
        self.tz: tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        # Later overrides for the same day win.  Read-only: day results are
        # cached, so build a new WorkCalendar when the calendar table changes.
        by_day: dict[date, DayOverride] = {}
        for o in overrides:
            by_day[o.day] = o
        self.overrides: Mapping[date, DayOverride] = MappingProxyType(by_day)
        # Periods as offsets from local midnight.
        self._periods: tuple[tuple[timedelta, timedelta], ...] = tuple(
            (_td_of_day(s), _td_of_day(e)) for s, e in self.office_hours
        )
        self._day_total: timedelta = sum((e - s for s, e in self._periods), _ZERO)
        self._first_open: timedelta = self._periods[0][0]
        self._reason_cache: dict[date, str | None] = {}

    # -- days ---------------------------------------------------------------

    def day_off_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day ("Thứ Bảy", "Chủ nhật", holiday or
        override name); ``None`` for a working day."""
        if isinstance(d, datetime):
            d = self._to_local(d).date()
        try:
            return self._reason_cache[d]
        except KeyError:
            pass
        reason = self._compute_reason(d)
        self._reason_cache[d] = reason
        return reason

    def _compute_reason(self, d: date) -> str | None:
        override = self.overrides.get(d)
        if override is not None:
            if override.kind == "workday":
                return None
            return override.name or DEFAULT_OVERRIDE_HOLIDAY_NAME
        holiday = _statutory_holidays_cached(d.year).get(d)
        if holiday is not None:
            return holiday
        if d in _statutory_makeup_cached(d.year):
            return None
        wd = d.weekday()
        if wd == 5:
            return SATURDAY_NAME
        if wd == 6:
            return SUNDAY_NAME
        return None

    def is_working_day(self, d: date) -> bool:
        return self.day_off_reason(d) is None

    def next_working_day(self, d: date) -> date:
        """First working day strictly after ``d``."""
        if isinstance(d, datetime):
            d = self._to_local(d).date()
        for _ in range(_MAX_SCAN_DAYS):
            d = d + _ONE_DAY
            if self.day_off_reason(d) is None:
                return d
        raise RuntimeError("Không tìm thấy ngày làm việc nào trong lịch.")

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n == 0`` returns ``d``)."""
        if n < 0:
            raise ValueError("Số ngày làm việc không được âm.")
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    # -- moments ------------------------------------------------------------

    def _to_local(self, moment: datetime) -> datetime:
        """Aware input → naive local wall time of the calendar's zone."""
        _require_aware(moment)
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _from_local(self, naive: datetime) -> datetime:
        return naive.replace(tzinfo=self.tz)

    def _next_opening_local(self, t: datetime) -> datetime:
        d = t.date()
        tod = t - datetime.combine(d, time())
        for _ in range(_MAX_SCAN_DAYS):
            if self.day_off_reason(d) is None:
                for ps, pe in self._periods:
                    if tod < pe:
                        return datetime.combine(d, time()) + max(tod, ps)
            d += _ONE_DAY
            tod = _ZERO
        raise RuntimeError("Không tìm thấy ngày làm việc nào trong lịch.")

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when inside office hours of a working day
        (periods are half-open: 07:00 is inside, 11:30 is not), otherwise the
        start of the next office period on a working day."""
        return self._from_local(self._next_opening_local(self._to_local(moment)))

    def _add_local(self, t: datetime, delta: timedelta) -> datetime:
        remaining = delta
        d = t.date()
        tod = t - datetime.combine(d, time())
        day_total = self._day_total
        for _ in range(_MAX_SCAN_DAYS):
            if self.day_off_reason(d) is None:
                if tod <= self._first_open and remaining > day_total:
                    # Whole working day consumed: skip it without looking
                    # at the periods.
                    remaining -= day_total
                else:
                    for ps, pe in self._periods:
                        if tod >= pe:
                            continue
                        s = max(tod, ps)
                        avail = pe - s
                        if remaining <= avail:
                            # Ending exactly at the end of a period returns
                            # that end (e.g. 17:00), not the next opening.
                            return datetime.combine(d, time()) + s + remaining
                        remaining -= avail
            d += _ONE_DAY
            tod = _ZERO
        raise RuntimeError("Thời hạn vượt quá phạm vi lịch.")

    def add_working_time(self, start: datetime, delta: timedelta) -> datetime:
        """The moment at which ``delta`` of office time has elapsed, counting
        from ``start`` (or from ``next_opening(start)`` when ``start`` is
        outside office hours).  ``delta == 0`` gives ``next_opening(start)``."""
        if delta < _ZERO:
            raise ValueError("Khoảng thời gian làm việc không được âm.")
        return self._from_local(self._add_local(self._to_local(start), delta))

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Office time of working days elapsed from ``a`` to ``b``
        (zero when ``b <= a``)."""
        la, lb = self._to_local(a), self._to_local(b)
        if lb <= la:
            return _ZERO
        total = _ZERO
        d = la.date()
        last = lb.date()
        while d <= last:
            if self.day_off_reason(d) is None:
                midnight = datetime.combine(d, time())
                lo = la - midnight if d == la.date() else _ZERO
                hi = lb - midnight if d == last else None
                if lo <= _ZERO and hi is None:
                    total += self._day_total
                else:
                    for ps, pe in self._periods:
                        s = max(ps, lo)
                        e = pe if hi is None else min(pe, hi)
                        if e > s:
                            total += e - s
            d += _ONE_DAY
        return total

    def due_at(
        self, received_at: datetime, value: int, unit: ProcessingUnit | str
    ) -> datetime | None:
        """Appointment (hẹn trả) for a dossier received at ``received_at``
        with a processing time of ``value`` ``unit``; ``None`` when
        ``value == 0`` (resolved on the spot)."""
        _require_aware(received_at, "Thời điểm tiếp nhận")
        try:
            unit = ProcessingUnit(unit)
        except ValueError:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: «{unit}».") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Thời hạn giải quyết phải là số nguyên.")
        if value < 0:
            raise ValueError("Thời hạn giải quyết không được âm.")
        if value == 0:
            return None
        if unit is ProcessingUnit.WORKING_DAYS:
            return self.add_working_time(received_at, timedelta(hours=value * self.hours_per_day))
        if unit is ProcessingUnit.WORKING_HOURS:
            return self.add_working_time(received_at, timedelta(hours=value))
        # Calendar days: same wall time N days after the (effective) receipt,
        # pushed forward to a working day if it lands on a day off.
        start = self._next_opening_local(self._to_local(received_at))
        result = start + timedelta(days=value)
        d = result.date()
        if self.day_off_reason(d) is not None:
            d = self.next_working_day(d)
        return self._from_local(datetime.combine(d, result.time()))


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def format_vn_moment(moment: datetime, tz: tzinfo = AGENCY_TZ) -> str:
    """``"08 giờ 05 phút, ngày 25/11/2026"`` in local agency time."""
    _require_aware(moment)
    local = moment.astimezone(tz)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {format_vn_date(local.date())}"


def format_vn_date(d: date) -> str:
    """``"25/11/2026"``.  An aware datetime is first converted to agency time."""
    if isinstance(d, datetime):
        _require_aware(d)
        d = d.astimezone(AGENCY_TZ).date()
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"

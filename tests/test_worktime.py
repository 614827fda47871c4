"""Tests for app.worktime.

Every expected value below was worked out by hand from the rules in
docs/domain.md ("Working time and deadlines"), with office hours
07:00–11:30 and 13:30–17:00 (4.5 h + 3.5 h = 8 h a working day).

Calendar facts used (weekday of each date checked against a paper calendar):
  2026: Fri 13/02, Mon 16/02–Fri 20/02 Tết off, Mon 23/02.
        Fri 24/04, Sun 26/04 Giỗ Tổ, Mon 27/04 nghỉ bù, Wed 29/04,
        Thu 30/04 + Fri 01/05 off, Mon 04/05.
        Fri 21/08, Sat 22/08 làm bù, Fri 28/08, Mon 31/08–Wed 02/09 off,
        Thu 03/09.
        Mon 16/11 … Fri 20/11, Sat 21/11, Sun 22/11 (today), Mon 23/11,
        Tue 24/11 Culture Day, Wed 25/11, Thu 26/11, Fri 27/11, Sat 28/11,
        Mon 30/11, Thu 31/12.
  2027: Fri 01/01 off, Mon 04/01.
  2025: Fri 25/04, Sat 26/04 làm bù, Mon 28/04, Wed 30/04–Fri 02/05 off.
"""

from __future__ import annotations

import time as _time
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.worktime import (
    AGENCY_TZ,
    DEFAULT_OFFICE_HOURS,
    HOURS_PER_WORKING_DAY,
    DayOverride,
    ProcessingUnit,
    WorkCalendar,
    format_office_hours,
    format_vn_date,
    format_vn_moment,
    parse_office_hours,
    statutory_holidays,
    statutory_makeup_workdays,
)
from app import worktime

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = timezone.utc
WD = ProcessingUnit.WORKING_DAYS
WH = ProcessingUnit.WORKING_HOURS
CD = ProcessingUnit.CALENDAR_DAYS


def vn(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=VN)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def assert_same(result: datetime, expected: datetime) -> None:
    """Same instant, same local wall time, and expressed in agency time."""
    assert result == expected
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert result.utcoffset() == timedelta(hours=7)


# ---------------------------------------------------------------------------
# Constants and basics
# ---------------------------------------------------------------------------


def test_constants():
    assert AGENCY_TZ.key == "Asia/Ho_Chi_Minh"
    assert DEFAULT_OFFICE_HOURS == ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    assert HOURS_PER_WORKING_DAY == 8
    assert ProcessingUnit("working_days") is ProcessingUnit.WORKING_DAYS
    assert ProcessingUnit.WORKING_HOURS == "working_hours"
    assert ProcessingUnit.CALENDAR_DAYS == "calendar_days"


def test_weekends(cal):
    assert cal.is_working_day(date(2026, 11, 20))  # Fri
    assert not cal.is_working_day(date(2026, 11, 21))
    assert not cal.is_working_day(date(2026, 11, 22))
    assert cal.is_working_day(date(2026, 11, 23))  # Mon
    assert cal.day_off_reason(date(2026, 11, 21)) == "Thứ Bảy"
    assert cal.day_off_reason(date(2026, 11, 22)) == "Chủ nhật"
    assert cal.day_off_reason(date(2026, 11, 23)) is None


def test_statutory_holiday_names(cal):
    assert cal.day_off_reason(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert cal.day_off_reason(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert cal.day_off_reason(date(2026, 9, 2)) == "Quốc khánh"
    assert cal.day_off_reason(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    for d in range(16, 21):
        assert not cal.is_working_day(date(2026, 2, d))
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 23))


def test_statutory_holidays_is_a_copy():
    h = statutory_holidays(2026)
    assert h[date(2026, 1, 1)] == "Tết Dương lịch"
    assert h[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert date(2026, 8, 31) in h
    h.clear()
    assert date(2026, 11, 24) in statutory_holidays(2026)


def test_statutory_makeup_workdays_from_package():
    assert statutory_makeup_workdays(2025) == {
        date(2025, 4, 26): "Làm bù cho ngày nghỉ 02/05/2025"
    }
    assert statutory_makeup_workdays(2026) == {
        date(2026, 8, 22): "Làm bù cho ngày nghỉ 31/08/2026"
    }
    assert statutory_makeup_workdays(2024) == {
        date(2024, 5, 4): "Làm bù cho ngày nghỉ 29/04/2024"
    }
    assert statutory_makeup_workdays(2027) == {}


def test_makeup_parsing_across_years_and_joined_names():
    names = {
        date(2031, 1, 2): "Ngày nghỉ (thay cho ngày 27/12/2030)",
        date(2031, 5, 2): "Ngày Quốc tế Lao động; Ngày nghỉ (thay cho ngày 10/05/2031)",
        date(2031, 9, 3): "Quốc khánh",
    }
    assert worktime._makeup_from_names(names) == {
        date(2030, 12, 27): "Làm bù cho ngày nghỉ 02/01/2031",
        date(2031, 5, 10): "Làm bù cho ngày nghỉ 02/05/2031",
    }


def test_makeup_saturday_2025_is_working(cal):
    assert cal.is_working_day(date(2025, 4, 26))
    assert cal.day_off_reason(date(2025, 4, 26)) is None
    assert not cal.is_working_day(date(2025, 5, 2))
    # Fri 25/04/2025 10:00 + 1 working day -> Sat 26/04 10:00 (làm bù).
    assert_same(cal.due_at(vn(2025, 4, 25, 10), 1, WD), vn(2025, 4, 26, 10))
    # + 2 working days -> Mon 28/04 10:00 (Sun 27 off).
    assert_same(cal.due_at(vn(2025, 4, 25, 10), 2, WD), vn(2025, 4, 28, 10))


def test_makeup_saturday_2026_is_working(cal):
    assert cal.is_working_day(date(2026, 8, 22))
    # Fri 21/08/2026 10:00 + 1 working day -> Sat 22/08 10:00.
    assert_same(cal.due_at(vn(2026, 8, 21, 10), 1, WD), vn(2026, 8, 22, 10))


# ---------------------------------------------------------------------------
# next_opening
# ---------------------------------------------------------------------------


def test_next_opening(cal):
    # Inside office hours: unchanged.
    assert_same(cal.next_opening(vn(2026, 11, 25, 7, 0)), vn(2026, 11, 25, 7, 0))
    assert_same(cal.next_opening(vn(2026, 11, 25, 10, 17)), vn(2026, 11, 25, 10, 17))
    # Before opening, lunch, exactly at 11:30 (closed), exactly at 17:00 (closed).
    assert_same(cal.next_opening(vn(2026, 11, 25, 6, 15)), vn(2026, 11, 25, 7, 0))
    assert_same(cal.next_opening(vn(2026, 11, 25, 12, 0)), vn(2026, 11, 25, 13, 30))
    assert_same(cal.next_opening(vn(2026, 11, 25, 11, 30)), vn(2026, 11, 25, 13, 30))
    assert_same(cal.next_opening(vn(2026, 11, 25, 17, 0)), vn(2026, 11, 26, 7, 0))
    # After closing Friday -> Monday morning.
    assert_same(cal.next_opening(vn(2026, 11, 20, 17, 30)), vn(2026, 11, 23, 7, 0))
    # Saturday during "office" clock time -> Monday.
    assert_same(cal.next_opening(vn(2026, 11, 21, 9, 0)), vn(2026, 11, 23, 7, 0))
    # Mon 23/11 after closing -> skip Culture Day -> Wed 25/11.
    assert_same(cal.next_opening(vn(2026, 11, 23, 18, 0)), vn(2026, 11, 25, 7, 0))


# ---------------------------------------------------------------------------
# Working hours / working days
# ---------------------------------------------------------------------------


def test_receipt_after_closing_friday(cal):
    # Fri 20/11 17:30 counts from Mon 23/11 07:00.
    assert_same(cal.due_at(vn(2026, 11, 20, 17, 30), 2, WH), vn(2026, 11, 23, 9, 0))
    # 1 working day = 8 h from Mon 07:00 -> Mon 17:00 (end of period, not Tue).
    assert_same(cal.due_at(vn(2026, 11, 20, 17, 30), 1, WD), vn(2026, 11, 23, 17, 0))


def test_receipt_during_lunch(cal):
    # Wed 25/11 12:00 counts from 13:30: +2 h -> 15:30.
    assert_same(cal.due_at(vn(2026, 11, 25, 12, 0), 2, WH), vn(2026, 11, 25, 15, 30))
    # +1 working day: 3.5 h Wed afternoon + 4.5 h Thu morning -> Thu 11:30.
    assert_same(cal.due_at(vn(2026, 11, 25, 12, 0), 1, WD), vn(2026, 11, 26, 11, 30))


def test_receipt_before_opening(cal):
    # Wed 25/11 06:15 counts from 07:00: +1 h -> 08:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 6, 15), 1, WH), vn(2026, 11, 25, 8, 0))
    # +1 working day -> 17:00 the same day.
    assert_same(cal.due_at(vn(2026, 11, 25, 6, 15), 1, WD), vn(2026, 11, 25, 17, 0))


def test_receipt_exactly_at_closing(cal):
    # Wed 25/11 17:00 is closed: +1 h -> Thu 08:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 17, 0), 1, WH), vn(2026, 11, 26, 8, 0))


def test_exact_end_of_period(cal):
    assert_same(
        cal.add_working_time(vn(2026, 11, 25, 7, 0), timedelta(hours=4, minutes=30)),
        vn(2026, 11, 25, 11, 30),
    )
    assert_same(
        cal.add_working_time(vn(2026, 11, 25, 10, 0), timedelta(hours=1, minutes=30)),
        vn(2026, 11, 25, 11, 30),
    )
    assert_same(
        cal.add_working_time(vn(2026, 11, 25, 13, 30), timedelta(hours=3, minutes=30)),
        vn(2026, 11, 25, 17, 0),
    )
    # One minute more rolls into the next period.
    assert_same(
        cal.add_working_time(vn(2026, 11, 25, 10, 0), timedelta(hours=1, minutes=31)),
        vn(2026, 11, 25, 13, 31),
    )
    # Friday: a full day ends Friday 17:00, not Monday 07:00.
    assert_same(cal.due_at(vn(2026, 11, 27, 7, 0), 1, WD), vn(2026, 11, 27, 17, 0))
    # Two full days from Fri 07:00 end Mon 17:00.
    assert_same(cal.due_at(vn(2026, 11, 27, 7, 0), 2, WD), vn(2026, 11, 30, 17, 0))


def test_add_zero_is_next_opening(cal):
    assert_same(cal.add_working_time(vn(2026, 11, 25, 10, 0), timedelta(0)), vn(2026, 11, 25, 10, 0))
    assert_same(cal.add_working_time(vn(2026, 11, 20, 17, 30), timedelta(0)), vn(2026, 11, 23, 7, 0))
    with pytest.raises(ValueError):
        cal.add_working_time(vn(2026, 11, 25, 10, 0), timedelta(minutes=-1))


def test_one_and_three_working_days(cal):
    # Wed 25/11 10:00: 1.5 h + 3.5 h Wed = 5 h, 3 h Thu -> Thu 26/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 10, 0), 1, WD), vn(2026, 11, 26, 10, 0))
    # 3 working days: Thu, Fri, (weekend), Mon -> Mon 30/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 10, 0), 3, WD), vn(2026, 11, 30, 10, 0))


def test_four_working_hours_across_lunch(cal):
    # Wed 25/11 10:00: 1.5 h to 11:30, 2.5 h from 13:30 -> 16:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 10, 0), 4, WH), vn(2026, 11, 25, 16, 0))
    # Thu 26/11 16:00: 1 h Thu, 3 h Fri -> Fri 27/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 26, 16, 0), 4, WH), vn(2026, 11, 27, 10, 0))


def test_culture_day_2026(cal):
    # Mon 23/11 10:00 + 1 working day: Tue 24/11 off -> Wed 25/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 23, 10, 0), 1, WD), vn(2026, 11, 25, 10, 0))
    # + 3 working days: Wed, Thu, Fri -> Fri 27/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 23, 10, 0), 3, WD), vn(2026, 11, 27, 10, 0))


def test_across_tet_2026(cal):
    # Fri 13/02 10:00 + 3 working days: 5 h Fri, Tết 16–20, Mon 23 (8 h),
    # Tue 24 (8 h), Wed 25 07:00 + 3 h -> Wed 25/02 10:00.
    assert_same(cal.due_at(vn(2026, 2, 13, 10, 0), 3, WD), vn(2026, 2, 25, 10, 0))
    # Received during Tết (Tue 17/02 09:00) counts from Mon 23/02 07:00.
    assert_same(cal.due_at(vn(2026, 2, 17, 9, 0), 1, WD), vn(2026, 2, 23, 17, 0))


def test_across_30_4_and_1_5_2026(cal):
    # Wed 29/04 10:00 + 2 working days: Thu 30/04, Fri 01/05 off, weekend,
    # Mon 04/05 (1), Tue 05/05 (2) -> Tue 05/05 10:00.
    assert_same(cal.due_at(vn(2026, 4, 29, 10, 0), 2, WD), vn(2026, 5, 5, 10, 0))
    # Fri 24/04 14:00 + 1 working day: Mon 27/04 nghỉ bù Giỗ Tổ -> Tue 28/04 14:00.
    assert_same(cal.due_at(vn(2026, 4, 24, 14, 0), 1, WD), vn(2026, 4, 28, 14, 0))


def test_across_national_day_2026(cal):
    for d in (31,):
        assert not cal.is_working_day(date(2026, 8, d))
    assert not cal.is_working_day(date(2026, 9, 1))
    assert not cal.is_working_day(date(2026, 9, 2))
    # Fri 28/08 15:00 + 1 working day: 2 h Fri, Mon–Wed off, Thu 03/09:
    # 4.5 h morning, 1.5 h from 13:30 -> Thu 03/09 15:00.
    assert_same(cal.due_at(vn(2026, 8, 28, 15, 0), 1, WD), vn(2026, 9, 3, 15, 0))


def test_across_new_year_2027(cal):
    # Thu 31/12/2026 10:00 + 1 working day: Fri 01/01/2027 off, weekend
    # -> Mon 04/01/2027 10:00.
    assert_same(cal.due_at(vn(2026, 12, 31, 10, 0), 1, WD), vn(2027, 1, 4, 10, 0))


# ---------------------------------------------------------------------------
# Calendar days
# ---------------------------------------------------------------------------


def test_calendar_days_landing_on_sunday(cal):
    # Mon 16/11 10:00 + 6 days = Sun 22/11 -> Mon 23/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 16, 10, 0), 6, CD), vn(2026, 11, 23, 10, 0))
    # Landing on a working day: Mon 16/11 10:00 + 2 days = Wed 18/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 16, 10, 0), 2, CD), vn(2026, 11, 18, 10, 0))


def test_calendar_days_landing_on_holiday(cal):
    # Tue 17/11 09:00 + 7 days = Tue 24/11 (Culture Day) -> Wed 25/11 09:00.
    assert_same(cal.due_at(vn(2026, 11, 17, 9, 0), 7, CD), vn(2026, 11, 25, 9, 0))
    # Thu 12/02 09:00 + 5 days = Tue 17/02 (Tết) -> Mon 23/02 09:00.
    assert_same(cal.due_at(vn(2026, 2, 12, 9, 0), 5, CD), vn(2026, 2, 23, 9, 0))


def test_calendar_days_received_outside_hours(cal):
    # Fri 20/11 18:00 -> start Mon 23/11 07:00; + 5 days = Sat 28/11 07:00
    # -> Mon 30/11 07:00.
    assert_same(cal.due_at(vn(2026, 11, 20, 18, 0), 5, CD), vn(2026, 11, 30, 7, 0))
    # Lunch: Wed 25/11 12:00 -> 13:30; + 1 day = Thu 26/11 13:30.
    assert_same(cal.due_at(vn(2026, 11, 25, 12, 0), 1, CD), vn(2026, 11, 26, 13, 30))


# ---------------------------------------------------------------------------
# due_at arguments
# ---------------------------------------------------------------------------


def test_due_at_zero_and_units(cal):
    assert cal.due_at(vn(2026, 11, 25, 10, 0), 0, WD) is None
    assert cal.due_at(vn(2026, 11, 25, 10, 0), 0, "calendar_days") is None
    assert_same(cal.due_at(vn(2026, 11, 25, 10, 0), 1, "working_days"), vn(2026, 11, 26, 10, 0))
    assert_same(cal.due_at(vn(2026, 11, 25, 10, 0), 4, "working_hours"), vn(2026, 11, 25, 16, 0))
    with pytest.raises(ValueError):
        cal.due_at(vn(2026, 11, 25, 10, 0), 1, "fortnights")
    with pytest.raises(ValueError):
        cal.due_at(vn(2026, 11, 25, 10, 0), -1, WD)


# ---------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------


def test_holiday_override():
    cal = WorkCalendar([DayOverride(date(2026, 11, 25), "holiday", "Nghỉ theo quyết định của UBND tỉnh")])
    assert not cal.is_working_day(date(2026, 11, 25))
    assert cal.day_off_reason(date(2026, 11, 25)) == "Nghỉ theo quyết định của UBND tỉnh"
    # Mon 23/11 10:00 + 1 working day: Tue 24 and Wed 25 off -> Thu 26/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 23, 10, 0), 1, WD), vn(2026, 11, 26, 10, 0))


def test_saturday_workday_override():
    cal = WorkCalendar([DayOverride(date(2026, 11, 28), "workday", "Làm bù")])
    assert cal.is_working_day(date(2026, 11, 28))
    assert cal.day_off_reason(date(2026, 11, 28)) is None
    # Fri 27/11 10:00 + 1 working day -> Sat 28/11 10:00.
    assert_same(cal.due_at(vn(2026, 11, 27, 10, 0), 1, WD), vn(2026, 11, 28, 10, 0))
    # Fri 27/11 17:30 -> next opening Sat 28/11 07:00.
    assert_same(cal.next_opening(vn(2026, 11, 27, 17, 30)), vn(2026, 11, 28, 7, 0))


def test_overrides_win_over_statutory():
    cal = WorkCalendar(
        [
            DayOverride(date(2026, 11, 24), "workday", "Đi làm"),
            DayOverride(date(2026, 8, 22), "holiday", "Hủy làm bù"),
            DayOverride(date(2026, 11, 27), "holiday", ""),
        ]
    )
    assert cal.is_working_day(date(2026, 11, 24))
    assert not cal.is_working_day(date(2026, 8, 22))
    assert cal.day_off_reason(date(2026, 8, 22)) == "Hủy làm bù"
    assert cal.day_off_reason(date(2026, 11, 27)) == "Ngày nghỉ"


def test_day_override_kind_validated():
    with pytest.raises(ValueError):
        DayOverride(date(2026, 1, 1), "weekend", "x")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Time zones
# ---------------------------------------------------------------------------


def test_utc_input_converts(cal):
    # 03:00 UTC = 10:00 in Hà Nội; + 1 working day -> Thu 26/11 10:00 (+07).
    r = cal.due_at(datetime(2026, 11, 25, 3, 0, tzinfo=UTC), 1, WD)
    assert_same(r, vn(2026, 11, 26, 10, 0))
    assert r == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    # Fri 20/11 23:30 UTC = Sat 21/11 06:30 local -> Mon 23/11 07:00.
    assert_same(cal.next_opening(datetime(2026, 11, 20, 23, 30, tzinfo=UTC)), vn(2026, 11, 23, 7, 0))
    # Sun 22/11 23:00 UTC = Mon 23/11 06:00 local -> Mon 07:00, + 1 h -> 08:00.
    assert_same(
        cal.add_working_time(datetime(2026, 11, 22, 23, 0, tzinfo=UTC), timedelta(hours=1)),
        vn(2026, 11, 23, 8, 0),
    )
    # Another zone: 12:00 in Tokyo (+09) = 10:00 in Hà Nội.
    tokyo = ZoneInfo("Asia/Tokyo")
    assert_same(cal.due_at(datetime(2026, 11, 25, 12, 0, tzinfo=tokyo), 4, WH), vn(2026, 11, 25, 16, 0))


def test_naive_datetime_raises(cal):
    naive = datetime(2026, 11, 25, 10, 0)
    with pytest.raises(ValueError):
        cal.next_opening(naive)
    with pytest.raises(ValueError):
        cal.add_working_time(naive, timedelta(hours=1))
    with pytest.raises(ValueError):
        cal.due_at(naive, 1, WD)
    with pytest.raises(ValueError):
        cal.due_at(naive, 0, WD)
    with pytest.raises(ValueError):
        cal.working_time_between(naive, vn(2026, 11, 26, 10, 0))
    with pytest.raises(ValueError):
        cal.working_time_between(vn(2026, 11, 25, 10, 0), naive)
    with pytest.raises(ValueError):
        format_vn_moment(naive)


# ---------------------------------------------------------------------------
# working_time_between
# ---------------------------------------------------------------------------


def test_working_time_between_values(cal):
    H = timedelta(hours=1)
    assert cal.working_time_between(vn(2026, 11, 25, 10, 0), vn(2026, 11, 26, 10, 0)) == 8 * H
    # Fri 16:00 -> Mon 08:00: 1 h + 1 h.
    assert cal.working_time_between(vn(2026, 11, 20, 16, 0), vn(2026, 11, 23, 8, 0)) == 2 * H
    # Across Culture Day.
    assert cal.working_time_between(vn(2026, 11, 23, 10, 0), vn(2026, 11, 25, 10, 0)) == 8 * H
    # Lunch to lunch on the same day: 0.
    assert cal.working_time_between(vn(2026, 11, 25, 11, 45), vn(2026, 11, 25, 13, 15)) == timedelta(0)
    # Across lunch: 11:00 -> 14:00 = 0.5 h + 0.5 h.
    assert cal.working_time_between(vn(2026, 11, 25, 11, 0), vn(2026, 11, 25, 14, 0)) == 1 * H
    # A whole week Mon 00:00 -> next Mon 00:00 with Culture Day: 4 days.
    assert cal.working_time_between(vn(2026, 11, 23), vn(2026, 11, 30)) == 32 * H
    # Whole weekend: 0.
    assert cal.working_time_between(vn(2026, 11, 21, 8), vn(2026, 11, 22, 16)) == timedelta(0)
    # b <= a.
    assert cal.working_time_between(vn(2026, 11, 26, 10), vn(2026, 11, 25, 10)) == timedelta(0)
    assert cal.working_time_between(vn(2026, 11, 26, 10), vn(2026, 11, 26, 10)) == timedelta(0)
    # Mixed zones.
    assert (
        cal.working_time_between(datetime(2026, 11, 25, 3, 0, tzinfo=UTC), vn(2026, 11, 25, 16, 0))
        == 4 * H
    )


def test_working_time_between_round_trips(cal):
    starts = [
        vn(2026, 11, 25, 10, 0),
        vn(2026, 11, 25, 12, 0),
        vn(2026, 11, 20, 17, 30),
        vn(2026, 11, 21, 9, 0),
        vn(2026, 2, 13, 10, 0),
        vn(2026, 8, 28, 15, 0),
        vn(2026, 12, 31, 16, 59),
        vn(2025, 4, 25, 10, 0),
    ]
    deltas = [
        timedelta(minutes=1),
        timedelta(hours=1, minutes=30),
        timedelta(hours=4),
        timedelta(hours=8),
        timedelta(hours=24),
        timedelta(hours=8 * 60),
        timedelta(hours=7, minutes=59, seconds=30),
    ]
    for a in starts:
        for d in deltas:
            b = cal.add_working_time(a, d)
            assert cal.working_time_between(a, b) == d, (a, d, b)
            # b lies inside office hours or at the end of a period, so
            # adding the measured time back from a gives b again.
            assert cal.add_working_time(a, cal.working_time_between(a, b)) == b


# ---------------------------------------------------------------------------
# Working-day helpers
# ---------------------------------------------------------------------------


def test_next_working_day_and_add_working_days(cal):
    assert cal.next_working_day(date(2026, 11, 20)) == date(2026, 11, 23)
    assert cal.next_working_day(date(2026, 11, 23)) == date(2026, 11, 25)
    assert cal.next_working_day(date(2026, 11, 21)) == date(2026, 11, 23)
    assert cal.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert cal.add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 25)
    assert cal.add_working_days(date(2026, 11, 20), 0) == date(2026, 11, 20)
    assert cal.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 11, 20), -1)


# ---------------------------------------------------------------------------
# Office hours configuration
# ---------------------------------------------------------------------------


def test_parse_and_format_office_hours():
    assert parse_office_hours("07:00-11:30,13:30-17:00") == DEFAULT_OFFICE_HOURS
    assert parse_office_hours(" 7:00 - 11:30 , 13:30–17:00 ") == DEFAULT_OFFICE_HOURS
    assert parse_office_hours("08:00-16:00") == ((time(8, 0), time(16, 0)),)
    assert format_office_hours(DEFAULT_OFFICE_HOURS) == "07:00-11:30,13:30-17:00"
    assert parse_office_hours(format_office_hours(DEFAULT_OFFICE_HOURS)) == DEFAULT_OFFICE_HOURS


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "Chưa nhập"),
        ("   ", "Chưa nhập"),
        ("07:00", "không hợp lệ"),
        ("7h-11h", "không hợp lệ"),
        ("07:00-11:30,", "không hợp lệ"),
        ("07:00-11:30-12:00", "không hợp lệ"),
        ("25:00-26:00", "Giờ không hợp lệ"),
        ("07:60-11:00", "Giờ không hợp lệ"),
        ("11:30-07:00", "phải trước"),
        ("07:00-07:00", "phải trước"),
        ("13:30-17:00,07:00-11:30", "thứ tự"),
        ("07:00-12:00,11:30-17:00", "chồng lấn"),
    ],
)
def test_parse_office_hours_errors(text, fragment):
    with pytest.raises(ValueError) as exc:
        parse_office_hours(text)
    assert fragment in str(exc.value)


def test_custom_office_hours():
    cal = WorkCalendar(office_hours="08:00-12:00,13:00-17:00")
    # Wed 25/11 12:30 (lunch) -> 13:00; + 2 h -> 15:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 12, 30), 2, WH), vn(2026, 11, 25, 15, 0))
    # 07:30 is before opening -> 08:00; + 1 day (8 h) -> 17:00.
    assert_same(cal.due_at(vn(2026, 11, 25, 7, 30), 1, WD), vn(2026, 11, 25, 17, 0))
    with pytest.raises(ValueError):
        WorkCalendar(office_hours=((time(13, 0), time(17, 0)), (time(8, 0), time(12, 0))))
    with pytest.raises(ValueError):
        WorkCalendar(office_hours=())
    with pytest.raises(ValueError):
        WorkCalendar(hours_per_day=0)


def test_calendar_in_other_zone_returns_that_zone():
    cal = WorkCalendar(tz=timezone.utc)
    # Wed 25/11 10:00 UTC + 1 h -> 11:00 UTC.
    r = cal.add_working_time(vn(2026, 11, 25, 17, 0), timedelta(hours=1))
    assert r == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    assert r.utcoffset() == timedelta(0)


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def test_format_vn_moment_and_date():
    assert format_vn_moment(vn(2026, 11, 25, 10, 0)) == "10 giờ 00 phút, ngày 25/11/2026"
    assert format_vn_moment(vn(2026, 11, 25, 8, 5)) == "08 giờ 05 phút, ngày 25/11/2026"
    # UTC converted to agency time (crossing midnight).
    assert format_vn_moment(datetime(2026, 11, 24, 17, 5, tzinfo=UTC)) == "00 giờ 05 phút, ngày 25/11/2026"
    assert format_vn_date(date(2026, 11, 25)) == "25/11/2026"
    assert format_vn_date(date(2026, 1, 5)) == "05/01/2026"


# ---------------------------------------------------------------------------
# Performance
# ---------------------------------------------------------------------------


def test_due_at_60_working_days_is_fast():
    cal = WorkCalendar()
    received = vn(2026, 11, 25, 10, 0)
    # Working days after Wed 25/11/2026: 26–27/11 (2), 30/11–31/12 (26;
    # no holiday in December), 01/01/2027 off, 04/01–29/01 (46), 01–03/02
    # (49), 04–10/02/2027 Tết off, 11–12/02 (51), 15–19/02 (56), 22–25/02
    # (60) -> Thu 25/02/2027 10:00.
    assert_same(cal.due_at(received, 60, WD), vn(2027, 2, 25, 10, 0))
    n = 200
    t0 = _time.perf_counter()
    for _ in range(n):
        fresh = WorkCalendar()  # no per-instance day cache
        fresh.due_at(received, 60, WD)
    per_call = (_time.perf_counter() - t0) / n
    assert per_call < 0.001, f"due_at(60 working days) took {per_call * 1e6:.0f} µs"

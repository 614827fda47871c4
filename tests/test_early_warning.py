"""Early warnings on a hand-built set of dossiers, made through intake and the lifecycle steps.

Office hours 07:00–11:30 and 13:30–17:00 (8 working hours a day); Tuesday 24/11/2026
(Ngày Văn hóa Việt Nam) is a holiday. The procedure takes 3 working days (24 working hours).
Unless a test says otherwise, "now" is Monday 23/11/2026 17:00 (closing time), so one working
day ahead is Wednesday 25/11 17:00 (Tuesday is a holiday), and the warning thresholds are
5 working days (40 working hours).

Each dossier below: reception → due time, steps, and where it belongs at NOW.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from app import settings
from app.calendar_store import load_calendar
from app.catalog import get_procedure
from app.db import Store
from app.early_warning import EarlyWarnings, _SpanMeter, early_warnings, format_working_time, waiting_since
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor
from app.profile import load_profile
from app.worktime import AGENCY_TZ, WorkCalendar

MARRIAGE_STATUS = "1.004873"  # xác nhận tình trạng hôn nhân: 3 working days


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AGENCY_TZ)  # type: ignore[misc]


NOW = local(2026, 11, 23, 17, 0)

SetNow = Callable[[datetime], None]


def _receive(store: Store, admin: Actor, set_now: SetNow, at: datetime, name: str) -> str:
    set_now(at)
    with store.read() as session:
        _, spec = get_procedure(session, MARRIAGE_STATUS)
    return receive(store, admin, IntakeRequest(
        procedure_code=MARRIAGE_STATUS, owner=PersonInput(full_name=name, id_number="001085012345"),
        documents=all_documents(spec))).code


def _step(store: Store, admin: Actor, set_now: SetNow, code: str, at: datetime, action: Action,
          **fields: object) -> None:
    set_now(at)
    perform(store, admin, code, StepRequest(action=action, **fields))  # type: ignore[arg-type]


def _use_counter(store: Store, number: int) -> None:
    # A second counter of the same agency: its dossiers reach this database the same way.
    with store.write() as session:
        profile = load_profile(session)
        profile.counter_number, profile.code_slot = number, number - 1
        session.add(profile)


SUPPLEMENT = {"documents": ["Giấy chứng tử của vợ"], "reason": "Thiếu giấy tờ chứng minh"}


def build(store: Store, admin: Actor, set_now: SetNow) -> dict[str, str]:
    """The set of dossiers; returns name -> code."""
    c: dict[str, str] = {}

    def new(name: str, received: datetime, owner: str) -> str:
        c[name] = _receive(store, admin, set_now, received, owner)
        return c[name]

    # Overdue. Mon 16/11 09:00 + 24 h -> due Thu 19/11 09:00; forwarded (status 4).
    # Late at NOW: Thu 6 h + Fri 8 h + Mon 8 h = 22 h = 2 days 6 h.
    code = new("overdue_old", local(2026, 11, 16, 9, 0), "Nguyễn Văn An")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    # Overdue, status 6. Tue 17/11 09:00 -> due Fri 20/11 09:00; late Fri 6 h + Mon 8 h = 1 day 6 h.
    code = new("payment", local(2026, 11, 17, 9, 0), "Trần Thị Bình")
    _step(store, admin, set_now, code, local(2026, 11, 17, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 17, 10, 0), Action.REQUEST_PAYMENT, reason="Nộp lệ phí")
    # Overdue since this morning, still status 2: Wed 18/11 09:00 -> due Mon 23/11 09:00; late 2.5 h + 3.5 h = 6 h.
    # Due today as well, but already late: listed once, as overdue.
    new("overdue_today", local(2026, 11, 18, 9, 0), "Lê Văn Cường")
    # Due exactly now: Thu 19/11 07:00 -> Thu, Fri, Mon full -> due Mon 23/11 17:00. Not late (due_at < now is
    # false): due today.
    new("due_now", local(2026, 11, 19, 7, 0), "Phạm Thị Dung")
    # Thu 19/11 09:00: Thu 6 h + Fri 8 h + Mon 8 h = 22 h, 2 h left -> due Wed 25/11 09:00 (Tue is a holiday).
    # Due within one working day; 2 working hours left.
    new("soon_mid", local(2026, 11, 19, 9, 0), "Hoàng Văn Em")
    # Fri 20/11 07:00: Fri, Mon, Wed full -> due Wed 25/11 17:00 = exactly NOW + one working day: listed.
    new("soon_edge", local(2026, 11, 20, 7, 0), "Vũ Thị Giang")
    # One minute later: due Thu 26/11 07:01, past the limit: not listed anywhere.
    new("too_far", local(2026, 11, 20, 7, 1), "Đặng Văn Hùng")
    # Waiting for a supplement since Mon 16/11 10:00: Mon 1.5 + 3.5 = 5 h, Tue–Fri 32 h, Mon 23 8 h = 45 h =
    # 5 days 5 h > 5 days: listed. Its due date (Thu 19/11) has passed, but its clock is stopped: not overdue.
    code = new("paused_long", local(2026, 11, 16, 9, 0), "Bùi Thị Hoa")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 16, 10, 0), Action.REQUEST_SUPPLEMENT, **SUPPLEMENT)
    # Since Mon 16/11 17:00: Tue–Fri and Mon 23 = exactly 40 h = 5 days, not more: not listed (with N = 4: listed).
    code = new("paused_exact", local(2026, 11, 16, 9, 0), "Đỗ Văn Khoa")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 16, 17, 0), Action.REQUEST_SUPPLEMENT, **SUPPLEMENT)
    # Since Mon 16/11 16:59: 40 h 1 min: listed.
    code = new("paused_over", local(2026, 11, 16, 9, 0), "Ngô Thị Lan")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 16, 16, 59), Action.REQUEST_SUPPLEMENT, **SUPPLEMENT)
    # Result ready since Fri 13/11 15:00: Fri 2 h + Mon 16–Fri 20 40 h + Mon 23 8 h = 50 h = 6 days 2 h: listed.
    code = new("ready_old", local(2026, 11, 9, 9, 0), "Dương Văn Minh")
    _step(store, admin, set_now, code, local(2026, 11, 9, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 13, 15, 0), Action.READY)
    # Ready since Mon 16/11 17:00: exactly 5 days: not listed.
    code = new("ready_exact", local(2026, 11, 16, 9, 0), "Lý Thị Ngọc")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 16, 17, 0), Action.READY)
    # Ready Fri 20/11 10:00, i.e. after its due time (Thu 19/11 09:00): finished, so not overdue; waiting
    # 13 h: not listed.
    code = new("ready_recent", local(2026, 11, 16, 9, 0), "Mai Văn Phúc")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 20, 10, 0), Action.READY)
    # Handed back long ago: nowhere.
    code = new("returned", local(2026, 11, 9, 9, 0), "Trịnh Văn Quang")
    _step(store, admin, set_now, code, local(2026, 11, 9, 9, 30), Action.FORWARD)
    _step(store, admin, set_now, code, local(2026, 11, 10, 9, 0), Action.READY)
    _step(store, admin, set_now, code, local(2026, 11, 10, 10, 0), Action.RETURN)
    # Refused: its due date means nothing: nowhere.
    code = new("refused", local(2026, 11, 16, 9, 0), "Cao Thị Sen")
    _step(store, admin, set_now, code, local(2026, 11, 16, 9, 10), Action.REFUSE, reason="Không thuộc thẩm quyền")
    # Counter 2, Mon 16/11 10:00 -> due Thu 19/11 10:00; late Thu 1.5 + 3.5 = 5 h + Fri 8 h + Mon 8 h = 21 h.
    _use_counter(store, 2)
    new("counter2", local(2026, 11, 16, 10, 0), "Tạ Văn Tài")
    _use_counter(store, 1)
    return c


@pytest.fixture
def codes(store: Store, admin: Actor, set_now: SetNow) -> dict[str, str]:
    return build(store, admin, set_now)


def _warnings(store: Store, now: datetime = NOW, **kwargs: object) -> EarlyWarnings:
    with store.read() as session:
        return early_warnings(session, now, load_calendar(session), **kwargs)  # type: ignore[arg-type]


def _names(codes: dict[str, str], lines: object) -> list[str]:
    by_code = {code: name for name, code in codes.items()}
    return [by_code[line.code] for line in lines]  # type: ignore[attr-defined]


def test_each_list_holds_exactly_the_right_dossiers(store: Store, codes: dict[str, str]) -> None:
    w = _warnings(store)
    # Overdue, oldest due time first: Thu 09:00, Thu 10:00, Fri 09:00, Mon 09:00.
    assert _names(codes, w.overdue.lines) == ["overdue_old", "counter2", "payment", "overdue_today"]
    assert _names(codes, w.due_today.lines) == ["due_now"]
    assert _names(codes, w.due_soon.lines) == ["soon_mid", "soon_edge"]
    assert _names(codes, w.supplement.lines) == ["paused_long", "paused_over"]
    assert _names(codes, w.uncollected.lines) == ["ready_old"]
    assert [lst.total for lst in w.lists()] == [4, 1, 2, 2, 1]
    assert (w.supplement_days, w.uncollected_days) == (5, 5)


def test_lines_say_how_late_and_the_current_step(store: Store, codes: dict[str, str]) -> None:
    w = _warnings(store)
    texts = {name: line.text for name, line in zip(_names(codes, w.overdue.lines), w.overdue.lines, strict=True)}
    assert texts == {"overdue_old": "quá hạn 2 ngày 6 giờ làm việc", "counter2": "quá hạn 2 ngày 5 giờ làm việc",
                     "payment": "quá hạn 1 ngày 6 giờ làm việc", "overdue_today": "quá hạn 6 giờ làm việc"}
    first = w.overdue.lines[0]
    assert first.owner_name == "Nguyễn Văn An"
    assert first.procedure_code == MARRIAGE_STATUS and first.procedure_name
    assert first.due_at == local(2026, 11, 19, 9, 0)
    assert first.step == "Đang xử lý"
    assert w.overdue.lines[2].step == "Yêu cầu thực hiện nghĩa vụ tài chính"
    assert w.due_today.lines[0].text == "đến hạn ngay"
    assert [line.text for line in w.due_soon.lines] == ["còn 2 giờ làm việc", "còn 1 ngày làm việc"]
    assert [line.text for line in w.supplement.lines] == ["chờ bổ sung 5 ngày 5 giờ làm việc",
                                                          "chờ bổ sung 5 ngày làm việc"]
    assert w.supplement.lines[0].since == local(2026, 11, 16, 10, 0)
    assert w.supplement.lines[0].step == "Yêu cầu bổ sung giấy tờ"
    assert w.uncollected.lines[0].text == "chờ trả kết quả 6 ngày 2 giờ làm việc"
    assert w.uncollected.lines[0].step == "Đã xử lý xong"


def test_thresholds_n_against_n_plus_one_working_days(store: Store, codes: dict[str, str], admin: Actor) -> None:
    # N = 4: the dossiers waiting exactly 5 days are now over the line (longest wait first: 10:00, 16:59, 17:00).
    w = _warnings(store, supplement_days=4, uncollected_days=4)
    assert _names(codes, w.supplement.lines) == ["paused_long", "paused_over", "paused_exact"]
    assert _names(codes, w.uncollected.lines) == ["ready_old", "ready_exact"]
    # N = 6: 45 h and 40 h 1 min are not more than 48 h; 50 h is.
    w = _warnings(store, supplement_days=6, uncollected_days=6)
    assert _names(codes, w.supplement.lines) == []
    assert _names(codes, w.uncollected.lines) == ["ready_old"]
    # The settings give the defaults.
    with store.write() as session:
        settings.change(session, admin, "warnings.supplement_days", "4")
        settings.change(session, admin, "warnings.uncollected_days", "7")
    w = _warnings(store)
    assert (w.supplement_days, w.uncollected_days) == (4, 7)
    assert w.supplement.total == 3 and w.uncollected.total == 0
    assert w.supplement.title == "Chờ bổ sung quá 4 ngày làm việc"


def test_counter_filter(store: Store, codes: dict[str, str]) -> None:
    w = _warnings(store, counter=1)
    assert _names(codes, w.overdue.lines) == ["overdue_old", "payment", "overdue_today"]
    assert w.supplement.total == 2 and w.due_soon.total == 2
    w = _warnings(store, counter=2)
    assert _names(codes, w.overdue.lines) == ["counter2"]
    assert [lst.total for lst in w.lists()] == [1, 0, 0, 0, 0]


def test_limit_cuts_the_lines_but_not_the_count(store: Store, codes: dict[str, str]) -> None:
    w = _warnings(store, limit=2)
    assert _names(codes, w.overdue.lines) == ["overdue_old", "counter2"]
    assert w.overdue.total == 4
    assert len(w.supplement.lines) == 2 and w.supplement.total == 2


def test_friday_evening_looks_across_the_weekend(store: Store, codes: dict[str, str]) -> None:
    # Friday 20/11 17:00: one working day ahead is Monday 23/11 17:00.
    w = _warnings(store, local(2026, 11, 20, 17, 0))
    # Thu 09:00, Thu 10:00 and Fri 09:00 have passed; due Mon 09:00 and Mon 17:00 (exactly the limit) are due
    # within one working day; Wed 25/11 09:00 is beyond it.
    assert _names(codes, w.overdue.lines) == ["overdue_old", "counter2", "payment"]
    assert _names(codes, w.due_today.lines) == []  # Friday's one (payment) is already late
    assert _names(codes, w.due_soon.lines) == ["overdue_today", "due_now"]
    assert w.due_soon.lines[1].text == "còn 1 ngày làm việc"


def test_holiday_monday_evening_looks_to_wednesday(store: Store, codes: dict[str, str]) -> None:
    # Monday 23/11 16:00: one working day ahead skips Tuesday's holiday: Wednesday 25/11 16:00. soon_mid
    # (Wed 09:00) is within it, soon_edge (Wed 17:00) is not yet; due_now (Mon 17:00) is due today.
    w = _warnings(store, local(2026, 11, 23, 16, 0))
    assert _names(codes, w.due_today.lines) == ["due_now"]
    assert w.due_today.lines[0].text == "còn 1 giờ làm việc"
    assert _names(codes, w.due_soon.lines) == ["soon_mid"]


def test_empty_database_has_empty_lists(store: Store) -> None:
    w = _warnings(store)
    assert all(lst.lines == () and lst.total == 0 for lst in w.lists())


def test_waiting_since_is_the_exact_boundary() -> None:
    calendar = WorkCalendar()
    rnd = random.Random(6)
    base = local(2026, 11, 23, 17, 0)
    for _ in range(400):
        now = base + timedelta(minutes=rnd.randint(-30_000, 30_000))
        span = timedelta(minutes=rnd.choice([0, 30, 240, 480, 2400, rnd.randint(0, 30_000)]))
        boundary = waiting_since(calendar, now, span)
        assert calendar.working_time_between(boundary, now) == span
        assert calendar.working_time_between(boundary - timedelta(microseconds=1), now) > span
    # Monday 17:00 back 5 working days (Tue 17–Mon 23): from the previous Monday 17:00 on, not earlier.
    assert waiting_since(calendar, base, timedelta(hours=40)) == local(2026, 11, 16, 17, 0)


def test_span_meter_agrees_with_the_calendar() -> None:
    calendar = WorkCalendar()
    meter = _SpanMeter(calendar)
    rnd = random.Random(7)
    now = local(2026, 11, 25, 10, 17)
    for i in range(1500):
        a = now - timedelta(minutes=rnd.randint(0, 60 * 24 * 900))
        b = now + timedelta(minutes=rnd.randint(-600, 3000)) if i % 2 else now
        assert meter.between(a, b) == calendar.working_time_between(a, b)


def test_format_working_time() -> None:
    assert format_working_time(timedelta(hours=24), 8) == "3 ngày làm việc"
    assert format_working_time(timedelta(hours=22), 8) == "2 ngày 6 giờ làm việc"
    assert format_working_time(timedelta(hours=7, minutes=59), 8) == "7 giờ làm việc"
    assert format_working_time(timedelta(minutes=25), 8) == "25 phút làm việc"
    assert format_working_time(timedelta(seconds=20), 8) == "1 phút làm việc"


def test_cli_prints_the_same_lists(store: Store, codes: dict[str, str], data_dir) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.cli_tools import motcua

    store.dispose()  # the child process opens the database itself
    done = motcua(data_dir, "warnings", "--json", "--now", "2026-11-23T17:00")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["now"] == "2026-11-23T17:00:00+07:00"
    lists = data["lists"]
    assert [line["code"] for line in lists["overdue"]["lines"]] == [
        codes["overdue_old"], codes["counter2"], codes["payment"], codes["overdue_today"]]
    assert lists["overdue"]["lines"][0]["text"] == "quá hạn 2 ngày 6 giờ làm việc"
    assert lists["overdue"]["lines"][0]["due_at"] == "2026-11-19T09:00:00+07:00"
    assert lists["overdue"]["lines"][0]["step"] == "Đang xử lý"
    assert {kind: lst["total"] for kind, lst in lists.items()} == {
        "overdue": 4, "due_today": 1, "due_soon": 2, "supplement": 2, "uncollected": 1}

    done = motcua(data_dir, "warnings", "--now", "2026-11-23T17:00", "--counter", "2")
    assert done.returncode == 0, done.stderr
    assert "QUÁ HẠN XỬ LÝ: 1 hồ sơ" in done.stdout and codes["counter2"] in done.stdout
    assert codes["overdue_old"] not in done.stdout
    assert done.stdout.count("Không có hồ sơ nào.") == 4

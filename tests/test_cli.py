"""The command line, run as a real subprocess: `python main.py …`.

Each test has its own data directory (conftest `data_dir`); tests that need a
ready counter use the `store` fixture (sample counter H15.50.05.13, counter 1,
administrator "quantri") and then drive that directory through main.py.

Calendar facts used: Fri 13/11/2026, Sat 14/11, Mon 16/11; Fri 20/11, Tue 24/11
(Ngày Văn hóa Việt Nam), Thu 26/11; Wed 30/12/2026, Thu 31/12, Fri 01/01/2027
(Tết Dương lịch), Sat 02/01, Sun 03/01, Mon 04/01/2027.
Office hours 07:00–11:30, 13:30–17:00 (8 h a working day).
"""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import main
from app import clock
from app.db import Store
from app.permissions import Actor
from app.users import create_user
from app.worktime import AGENCY_TZ, DayOverride, WorkCalendar
from models.enums import Role

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "resources" / "catalog" / "sample-commune-catalog.json"
# CI clones the repository with ../shared beside it.
YENBAI = Path(__file__).resolve().parents[2] / "shared" / "data" / "yenbai-2014-catalog.json"
RECEIVE_KEYS = {"code", "status", "received_at", "due_at", "procedure_code"}


def run(data_dir: Path | None, *args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MOTCUA_USER", "MOTCUA_PASSWORD", "MOTCUA_DATA_DIR")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Commands act as the sample administrator of the `store` fixture unless a test names someone else.
    env["MOTCUA_USER"], env["MOTCUA_PASSWORD"] = "quantri", "motcua2026"
    if data_dir is not None:
        env["MOTCUA_DATA_DIR"] = str(data_dir)
    env.update(env_extra)
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def sql(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "motcua.sqlite3") as conn:
        return conn.execute(query).fetchall()


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AGENCY_TZ)


def requires_clock_after(moment: datetime) -> None:
    """Late entries for fixed dates need the machine clock to be past them (it is, on 22/11/2026)."""
    if datetime.now(AGENCY_TZ) < moment:
        pytest.skip(f"machine clock is before {moment:%d/%m/%Y}; a receipt then would be 'in the future'")


INIT_FLAGS = ["init", "--agency-code", "000.00.27.H41", "--agency-name", "Ủy ban nhân dân xã Hòa Bình",
              "--parent-name", "Ủy ban nhân dân tỉnh Lạng Sơn", "--level", "commune", "--counter", "1",
              "--admin-user", "quantri", "--admin-name", "Nguyễn Thị Mai", "--admin-password", "matkhau123"]

OWNER = ["--owner-name", "Nguyễn Văn Đức", "--owner-id", "001085012345", "--phone", "0912 345 678"]


# --- init ---------------------------------------------------------------------


def test_init_with_the_issue_flags_then_refuses_a_second_init(data_dir: Path) -> None:
    first = run(data_dir, *INIT_FLAGS)
    assert first.returncode == 0, first.stderr
    assert "Đã thiết lập quầy số 1 của Ủy ban nhân dân xã Hòa Bình (000.00.27.H41)" in first.stdout
    assert sql(data_dir, "SELECT agency_code, agency_name, parent_name, level, counter_number, code_slot "
                         "FROM counter_profile") == [
        ("000.00.27.H41", "Ủy ban nhân dân xã Hòa Bình", "Ủy ban nhân dân tỉnh Lạng Sơn", "commune", 1, 0)]
    assert sql(data_dir, "SELECT username, full_name, role, active FROM user_account") == [
        ("quantri", "Nguyễn Thị Mai", "admin", 1)]
    assert sql(data_dir, "SELECT COUNT(*) FROM procedure") == [(44,)]  # the sample catalog

    second = run(data_dir, *INIT_FLAGS)
    assert second.returncode != 0
    assert "Quầy này đã được thiết lập trước đó" in second.stderr
    assert sql(data_dir, "SELECT COUNT(*) FROM counter_profile") == [(1,)]
    assert sql(data_dir, "SELECT COUNT(*) FROM user_account") == [(1,)]


def test_init_with_bad_flags_writes_nothing(data_dir: Path) -> None:
    flags = list(INIT_FLAGS)
    flags[flags.index("000.00.27.H41")] = "XA-TAN-LAP"
    flags[flags.index("matkhau123")] = "123"
    result = run(data_dir, *flags)
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: ")
    assert "Mã định danh cơ quan không hợp lệ" in result.stderr
    assert "Mật khẩu phải có ít nhất 6 ký tự" in result.stderr
    assert sql(data_dir, "SELECT COUNT(*) FROM counter_profile") == [(0,)]
    assert sql(data_dir, "SELECT COUNT(*) FROM procedure") == [(0,)]


def test_commands_before_init_explain_what_to_do(data_dir: Path) -> None:
    result = run(data_dir, "receive", "--procedure", "1.004873", *OWNER)
    assert result.returncode == 1
    assert "Quầy chưa được thiết lập" in result.stderr
    assert "motcua init" in result.stderr


def test_data_dir_flag_overrides_the_environment(tmp_path: Path) -> None:
    from_env = tmp_path / "tu-bien-moi-truong"
    from_flag = tmp_path / "tu-tham-so"
    result = run(from_env, "--data-dir", str(from_flag), *INIT_FLAGS)
    assert result.returncode == 0, result.stderr
    assert str(from_flag) in result.stdout
    assert (from_flag / "motcua.sqlite3").is_file()
    assert not from_env.exists()


def test_database_from_a_newer_version_is_refused_with_a_message(store: Store) -> None:
    store.dispose()
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = run(store.data_dir, "lookup", "H15.50.05.13-261120-0001")
    assert result.returncode == 1
    assert "phiên bản Quầy Một cửa mới hơn" in result.stderr
    assert "Traceback" not in result.stderr


# --- receive and lookup --------------------------------------------------------


def test_receive_json_prints_exactly_the_summary_keys(store: Store) -> None:
    day_before = datetime.now(AGENCY_TZ)
    result = run(store.data_dir, "receive", "--procedure", "1.004873", *OWNER, "--documents", "all", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # all documents handed in: no warning
    data = json.loads(result.stdout)
    assert set(data) == RECEIVE_KEYS
    assert data["status"] == 2
    assert data["procedure_code"] == "1.004873"
    day_after = datetime.now(AGENCY_TZ)
    assert data["code"] in {f"H15.50.05.13-{day:%y%m%d}-0001" for day in (day_before, day_after)}
    received = datetime.fromisoformat(data["received_at"])
    due = datetime.fromisoformat(data["due_at"])
    assert received.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert due > received

    lookup = run(store.data_dir, "lookup", data["code"].lower(), "--json")
    assert lookup.returncode == 0, lookup.stderr
    found = json.loads(lookup.stdout)
    assert found["code"] == data["code"]
    assert found["status"] == 2
    assert found["status_label"] == "Được tiếp nhận"
    assert found["due_at"] == data["due_at"]
    assert found["received_at"] == data["received_at"]
    assert found["owner"]["name"] == "Nguyễn Văn Đức"
    assert found["owner"]["phone"] == "0912345678"
    assert [d["submitted"] for d in found["documents"]] == [True, True, True, True]


def test_receive_bad_input_fails_in_vietnamese_and_writes_nothing(store: Store) -> None:
    result = run(store.data_dir, "receive", "--procedure", "1.004873", "--owner-name", "Nguyễn Văn Đức",
                 "--owner-id", "003085012345", "--phone", "0123456789", "--documents", "all", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: ")
    assert "Số CCCD không hợp lệ" in result.stderr and "mã tỉnh" in result.stderr
    assert "Số điện thoại không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
    assert sql(store.data_dir, "SELECT COUNT(*) FROM dossier") == [(0,)]
    assert sql(store.data_dir, "SELECT COUNT(*) FROM dossier_event") == [(0,)]
    assert sql(store.data_dir, "SELECT COUNT(*) FROM outbox") == [(0,)]
    assert sql(store.data_dir, "SELECT COUNT(*) FROM sequence") == [(0,)]

    today = datetime.now(AGENCY_TZ)
    lookup = run(store.data_dir, "lookup", f"H15.50.05.13-{today:%y%m%d}-0001")
    assert lookup.returncode == 1
    assert "Không tìm thấy hồ sơ" in lookup.stderr


def test_naive_received_at_is_agency_local_time(store: Store) -> None:
    requires_clock_after(local(2026, 11, 20, 10, 15))
    result = run(store.data_dir, "receive", "--procedure", "1.004873", *OWNER, "--documents", "1",
                 "--received-at", "2026-11-20T10:00", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["code"] == "H15.50.05.13-261120-0001"
    assert data["received_at"] == "2026-11-20T10:00:00+07:00"
    # 3 working days = 24 h from Fri 20/11 10:00: Fri 5 h, Mon 23/11 8 h, Tue 24/11 holiday,
    # Wed 25/11 8 h, Thu 26/11 07:00 + 3 h = 10:00.
    assert data["due_at"] == "2026-11-26T10:00:00+07:00"
    # stored unambiguously: 10:00 in Việt Nam is 03:00 UTC
    ((stored, late),) = sql(store.data_dir, "SELECT received_at, late_entry FROM dossier")
    assert str(stored).startswith("2026-11-20 03:00:00")
    assert late == 1


def test_officer_cannot_late_enter_from_the_command_line(store: Store, admin: Actor) -> None:
    requires_clock_after(local(2026, 11, 20, 10, 15))
    with store.write() as session:
        create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER)
    result = run(store.data_dir, "receive", "--procedure", "1.004873", *OWNER,
                 "--received-at", "2026-11-20T10:00", MOTCUA_USER="canbo1", MOTCUA_PASSWORD="matkhau1")
    assert result.returncode == 1
    assert "canbo1" in result.stderr and "không có quyền nhập bù" in result.stderr
    assert sql(store.data_dir, "SELECT COUNT(*) FROM dossier") == [(0,)]


def test_wrong_password_is_refused(store: Store) -> None:
    result = run(store.data_dir, "catalog", "import", str(YENBAI), MOTCUA_USER="quantri", MOTCUA_PASSWORD="sai")
    assert result.returncode == 1
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in result.stderr
    assert sql(store.data_dir, "SELECT COUNT(*) FROM procedure") == [(44,)]


# --- catalog ------------------------------------------------------------------


def test_catalog_import_good_and_bad_files(store: Store, tmp_path: Path) -> None:
    good = run(store.data_dir, "catalog", "import", str(YENBAI))
    assert good.returncode == 0, good.stderr
    assert "Đã nhập 113 thủ tục: 113 mới, 0 cập nhật." in good.stdout
    assert sql(store.data_dir, "SELECT COUNT(*) FROM procedure") == [(157,)]

    data = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    data["procedures"][0]["name"] = "TÊN ĐÃ BỊ SỬA"
    data["procedures"][1]["processing"]["unit"] = "weeks"
    bad = tmp_path / "hong.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(store.data_dir, "catalog", "import", str(bad))
    assert result.returncode == 1
    assert "Thủ tục thứ 2 (mã 1.000656)" in result.stderr
    assert "'unit'" in result.stderr and "'weeks'" in result.stderr
    assert "Không có thủ tục nào được nhập" in result.stderr
    assert sql(store.data_dir, "SELECT COUNT(*) FROM procedure") == [(157,)]
    assert sql(store.data_dir, "SELECT name FROM procedure WHERE code = '1.001193'") == [
        ("Thủ tục đăng ký khai sinh",)]


def test_catalog_search_command(store: Store) -> None:
    result = run(store.data_dir, "catalog", "search", "DANG KY KET HON", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{
        "code": "1.000894", "name": "Thủ tục đăng ký kết hôn", "field_name": "Hộ tịch",
        "processing_value": 0, "processing_unit": "working_days"}]


# --- calendar -----------------------------------------------------------------


def test_add_holiday_moves_the_due_date(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    one_day = tmp_path / "mot-ngay.json"
    one_day.write_text(json.dumps({"procedures": [{
        "code": "9.000001", "name": "Thủ tục thử: giải quyết trong một ngày làm việc", "field_code": "HT",
        "field_name": "Hộ tịch", "processing": {"value": 1, "unit": "working_days"}}]}, ensure_ascii=False),
        encoding="utf-8")
    assert run(store.data_dir, "catalog", "import", str(one_day)).returncode == 0

    added = run(store.data_dir, "calendar", "add-holiday", "2026-12-31", "Nghỉ bù")
    assert added.returncode == 0, added.stderr
    assert "Đã ghi 31/12/2026 là ngày nghỉ: Nghỉ bù" in added.stdout

    listed = run(store.data_dir, "calendar", "list", "--year", "2026", "--json")
    assert listed.returncode == 0, listed.stderr
    days = {d["date"]: d for d in json.loads(listed.stdout)}
    assert days["2026-12-31"] == {"date": "2026-12-31", "kind": "holiday", "name": "Nghỉ bù (điều chỉnh bởi quantri)"}
    assert days["2026-11-24"]["kind"] == "holiday"  # statutory Ngày Văn hóa Việt Nam
    assert days["2026-08-22"]["kind"] == "workday"  # statutory make-up Saturday

    # 30/12/2026 is five weeks ahead of this machine's clock, so receive in-process with the clock
    # pinned to that afternoon (a receipt "in the future" is refused, rightly).
    # 1 working day = 8 h from Wed 30/12 16:00: 1 h that day (7 h left);
    # Thu 31/12 is now a day off (the override), Fri 01/01/2027 Tết Dương lịch, Sat 02 and Sun 03 weekend;
    # Mon 04/01: 07:00–11:30 = 4.5 h (2.5 h left), 13:30 + 2.5 h = 16:00.
    monkeypatch.setattr(clock, "now", lambda: local(2026, 12, 30, 16, 0).astimezone(UTC))
    code = main.main(["--data-dir", str(store.data_dir), "receive", "--procedure", "9.000001",
                      *OWNER, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["received_at"] == "2026-12-30T16:00:00+07:00"
    assert data["due_at"] == "2027-01-04T16:00:00+07:00"
    # Without the override the same dossier would be due on Thu 31/12 at 16:00 (7 h from 07:00).
    assert WorkCalendar().due_at(local(2026, 12, 30, 16, 0), 1, "working_days") == local(2026, 12, 31, 16, 0)
    assert WorkCalendar([DayOverride(local(2026, 12, 31).date(), "holiday", "Nghỉ bù")]).due_at(
        local(2026, 12, 30, 16, 0), 1, "working_days") == local(2027, 1, 4, 16, 0)


def test_add_workday_makes_a_saturday_a_working_day(store: Store) -> None:
    requires_clock_after(local(2026, 11, 14, 10, 0))
    receive = ["receive", "--procedure", "2.000635", *OWNER, "--documents", "all",
               "--received-at", "2026-11-13T16:00", "--json"]
    # 4 working hours from Fri 13/11 16:00: 1 h on Friday, 3 h left.
    before = run(store.data_dir, *receive)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["due_at"] == "2026-11-16T10:00:00+07:00"  # Mon 07:00 + 3 h

    added = run(store.data_dir, "calendar", "add-workday", "2026-11-14", "Làm bù")
    assert added.returncode == 0, added.stderr
    assert "Đã ghi 14/11/2026 là ngày làm việc: Làm bù" in added.stdout

    after = run(store.data_dir, *receive)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["due_at"] == "2026-11-14T10:00:00+07:00"  # Sat 07:00 + 3 h

    listed = run(store.data_dir, "calendar", "list", "--year", "2026", "--json")
    assert {"date": "2026-11-14", "kind": "workday", "name": "Làm bù (điều chỉnh bởi quantri)"} in json.loads(
        listed.stdout)


def test_calendar_bad_date_is_refused(store: Store) -> None:
    result = run(store.data_dir, "calendar", "add-holiday", "31/12/2026", "Nghỉ")
    assert result.returncode == 2  # argparse usage error
    assert "không đúng dạng YYYY-MM-DD" in result.stderr
    assert sql(store.data_dir, "SELECT COUNT(*) FROM calendar_override") == [(0,)]

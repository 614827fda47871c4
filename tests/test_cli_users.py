"""`motcua user …` and `motcua passwd` in a child process; who runs a command is always proven by a password."""

import json
import sqlite3
from pathlib import Path

from app.db import Store
from tests.cli_tools import motcua


def audit_actions(data_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data_dir / "motcua.sqlite3") as conn:
        return conn.execute("SELECT actor, action, entity_id FROM audit_entry ORDER BY mono").fetchall()


def test_accounts_from_the_command_line(store: Store) -> None:
    data = store.data_dir
    added = motcua(data, "user", "add", "canbo1", "--name", "Trần Văn Bình", "--role", "officer",
                   "--password", "matkhau1")
    assert added.returncode == 0, added.stderr
    assert "Đã tạo tài khoản 'canbo1' (Cán bộ một cửa)" in added.stdout

    # A named officer is refused a supervisor's action, in Vietnamese, and nothing is written.
    refused = motcua(data, "calendar", "add-holiday", "2026-12-31", "Nghỉ bù", user="canbo1", password="matkhau1")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Lỗi: ") and "canbo1" in refused.stderr
    assert "không có quyền sửa lịch làm việc" in refused.stderr
    with sqlite3.connect(data / "motcua.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM calendar_override").fetchone() == (0,)
    # ...and cannot manage accounts either.
    assert "không có quyền quản lý tài khoản" in motcua(data, "user", "list", user="canbo1",
                                                         password="matkhau1").stderr

    reset = motcua(data, "user", "reset-password", "canbo1", "--password", "tam-thoi-1")
    assert reset.returncode == 0, reset.stderr
    pending = motcua(data, "receive", "--procedure", "1.004873", "--owner-name", "Lê Văn Tám", "--owner-id",
                     "015185000321", "--documents", "all", user="canbo1", password="tam-thoi-1")
    assert pending.returncode == 1 and "motcua passwd" in pending.stderr
    changed = motcua(data, "passwd", "--new-password", "cua-rieng-toi", user="canbo1", password="tam-thoi-1")
    assert changed.returncode == 0, changed.stderr
    assert motcua(data, "user", "disable", "canbo1").returncode == 0
    listed = json.loads(motcua(data, "user", "list", "--json").stdout)
    assert [(u["username"], u["role"], u["active"], u["must_change_password"]) for u in listed] == [
        ("canbo1", "officer", False, False), ("quantri", "admin", True, False)]
    gone = motcua(data, "receive", "--procedure", "1.004873", "--owner-name", "Lê Văn Tám", "--owner-id",
                  "015185000321", "--documents", "all", user="canbo1", password="cua-rieng-toi")
    assert gone.returncode == 1 and "đã bị vô hiệu hóa" in gone.stderr
    self_disable = motcua(data, "user", "disable", "quantri")
    assert self_disable.returncode == 1 and "chính mình" in self_disable.stderr

    actions = [(actor, action, entity) for actor, action, entity in audit_actions(data)
               if action.startswith("user.") and action not in ("user.login",)]
    assert ("quantri", "user.create", "canbo1") in actions
    assert ("quantri", "user.reset_password", "canbo1") in actions
    assert ("canbo1", "user.change_password", "canbo1") in actions
    assert ("quantri", "user.disable", "canbo1") in actions
    assert ("canbo1", "user.login_failed", "canbo1") in actions  # the disabled account's attempt


def test_nobody_is_assumed_without_a_name_and_a_password(store: Store) -> None:
    data = store.data_dir
    nameless = motcua(data, "settings", "set", "receipt.paper_size", "A5", user="", password=None)
    assert nameless.returncode == 1
    assert "cần biết ai thực hiện" in nameless.stderr and "MOTCUA_USER" in nameless.stderr
    no_password = motcua(data, "settings", "set", "receipt.paper_size", "A5", password=None)
    assert no_password.returncode == 1
    assert "Chưa có mật khẩu của tài khoản 'quantri'" in no_password.stderr
    assert "MOTCUA_PASSWORD" in no_password.stderr
    wrong = motcua(data, "settings", "set", "receipt.paper_size", "A5", password="sai-roi")
    assert wrong.returncode == 1 and "không đúng" in wrong.stderr
    with sqlite3.connect(data / "motcua.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM setting WHERE key = 'receipt.paper_size'").fetchone() == (0,)
    # Read-only commands that act for nobody keep working without a name.
    assert motcua(data, "settings", "list", "--json", user="", password=None).returncode == 0
    # A password given on the command line for a new user, and the role is checked by the use case.
    added = motcua(data, "user", "add", "x", "--name", "Lê Thị Hoa", "--password", "matkhau1")
    assert added.returncode == 1 and "Tên đăng nhập gồm 3–32 ký tự" in added.stderr
    no_new_password = motcua(data, "user", "add", "canbo2", "--name", "Lê Thị Hoa")
    assert no_new_password.returncode == 1 and "--password" in no_new_password.stderr

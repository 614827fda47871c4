"""Backups made while the counter works, rotation, restore and the damaged-database check at start."""

import shutil
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app import settings
from app.backup import check_database, make_backup, rotate
from app.bootstrap import initialise_counter, open_store
from app.catalog import get_procedure
from app.db import Store
from app.errors import CounterError, DatabaseDamaged, PermissionDenied
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.restore import restore_from
from app.users import actor_for, create_user
from models.enums import Role
from tests.cli_tools import motcua


def _request(store: Store, n: int) -> IntakeRequest:
    with store.read() as session:
        _, spec = get_procedure(session, "1.004873")
    person = PersonInput(full_name=f"Trần Thị Hoa {n}", id_number=f"00119{n:07d}", dob=date(1990, 1, 2),
                         phone="0912 345 678", email="", address="Thôn 1, xã Tân Lập")
    return IntakeRequest(procedure_code="1.004873", owner=person, documents=all_documents(spec))


def _codes(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return {row[0] for row in con.execute("SELECT code FROM dossier")}


def test_backup_while_another_thread_writes_is_consistent(store: Store, admin: Actor) -> None:
    done: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                done.append(receive(store, admin, _request(store, n)).code)
                n += 1
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    while len(done) < 5:
        threading.Event().wait(0.05)
    before = list(done)
    result = make_backup(store, admin, "manual")
    after = list(done)
    stop.set()
    thread.join()
    assert not errors
    assert check_database(result.path) == "ok"
    in_copy = _codes(result.path)
    assert set(before) <= in_copy <= set(after)
    assert len(done) > len(before)  # the writer really kept going around the backup
    assert result.path.name.startswith("motcua-") and result.path.name.endswith("-manual.sqlite3")
    assert result.path.stat().st_mode & 0o077 == 0
    assert not list(result.path.parent.glob(".*partial"))


def test_rotation_keeps_the_newest_14_daily_copies(store: Store, admin: Actor,
                                                   set_now: Callable[[datetime], None]) -> None:
    start = datetime.now(UTC) + timedelta(days=1)
    made = []
    for day in range(17):
        set_now(start + timedelta(days=day))
        made.append(make_backup(store, admin, "daily").path)
    manual = make_backup(store, admin, "manual").path
    folder = made[0].parent
    daily = sorted(folder.glob("motcua-*-daily.sqlite3"))
    assert daily == sorted(made[-14:])
    assert manual.exists()
    assert rotate(folder, 14) == []


def test_unavailable_folder_gives_a_clear_message(store: Store, admin: Actor, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "usb"
    not_a_folder.write_text("")
    with store.write() as session:
        settings.change(session, admin, "backup.folder", str(not_a_folder / "saoluu"))
    with pytest.raises(CounterError, match="Không dùng được thư mục sao lưu .*ổ USB"):
        make_backup(store, admin, "daily")


def test_restore_round_trip(store: Store, admin: Actor) -> None:
    first = receive(store, admin, _request(store, 1)).code
    backup = make_backup(store, admin, "manual").path
    second = receive(store, admin, _request(store, 2)).code
    result = restore_from(store, backup, admin)
    restored = result.store
    try:
        with restored.read() as session:
            from app.dossiers import find_by_code
            assert find_by_code(session, first) is not None
            with pytest.raises(CounterError):
                find_by_code(session, second)
        assert result.set_aside is not None and second in _codes(result.set_aside)
        assert not restored.db_path.with_name(restored.db_path.name + ".restoring").exists()
        from app.audit_verify import verify_store
        report = verify_store(restored)
        assert report.ok, report.summary()
        with restored.read() as session:
            from app.audit import recent
            assert recent(session, 1)[0].action == "backup.restore"
    finally:
        restored.dispose()


@pytest.mark.parametrize("damage", ["truncate", "overwrite"])
def test_corrupt_backup_is_refused(store: Store, admin: Actor, tmp_path: Path, damage: str) -> None:
    backup = make_backup(store, admin, "manual").path
    bad = tmp_path / "hong.sqlite3"
    shutil.copy(backup, bad)
    if damage == "truncate":
        with open(bad, "r+b") as handle:
            handle.truncate(bad.stat().st_size // 3)
    else:
        with open(bad, "r+b") as handle:
            handle.seek(4096 * 3)
            handle.write(b"\xff" * 8192)
    with pytest.raises(CounterError, match="bị hỏng hoặc không phải cơ sở dữ liệu"):
        restore_from(store, bad, admin)
    with store.read() as session:  # the live database is untouched and usable
        from app.profile import load_profile
        assert load_profile(session).agency_code == SAMPLE_SETUP.agency_code


def _foreign_backup(tmp_path: Path) -> Path:
    from dataclasses import replace

    other = open_store(tmp_path / "xa-khac")
    initialise_counter(other, replace(SAMPLE_SETUP, agency_code="H15.50.05.99", agency_name="UBND xã Khác"), None)
    admin = actor_for_username(other, "quantri")
    path = make_backup(other, admin, "manual").path
    other.dispose()
    return path


def actor_for_username(store: Store, username: str) -> Actor:
    from app.users import find_user

    with store.read() as session:
        user = find_user(session, username)
        assert user is not None
        return actor_for(user)


def test_foreign_agency_refused_unless_forced_by_admin(store: Store, admin: Actor, tmp_path: Path) -> None:
    foreign = _foreign_backup(tmp_path)
    with pytest.raises(CounterError, match="cơ quan H15.50.05.99, khác cơ quan H15.50.05.13"):
        restore_from(store, foreign, admin)
    result = restore_from(store, foreign, admin, force=True)
    try:
        assert result.forced and result.agency_code == "H15.50.05.99"
    finally:
        result.store.dispose()


def test_officer_cannot_restore(store: Store, admin: Actor) -> None:
    backup = make_backup(store, admin, "manual").path
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    with pytest.raises(PermissionDenied):
        restore_from(store, backup, officer)
    with pytest.raises(PermissionDenied):
        make_backup(store, officer, "manual")
    make_backup(store, officer, "exit")  # automatic copies run whoever is signed in


def _flip_a_page(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'dossier'").fetchone()[0]
    con.close()
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * 4096 + 8)
        handle.write(b"\xa5" * 64)


def test_damaged_live_database_is_refused_at_open(store: Store, admin: Actor, data_dir: Path) -> None:
    receive(store, admin, _request(store, 1))
    good = make_backup(store, admin, "daily").path
    store.dispose()
    _flip_a_page(store.db_path)
    before = store.db_path.read_bytes()
    with pytest.raises(DatabaseDamaged) as caught:
        open_store(data_dir)
    assert caught.value.backup == good
    assert store.db_path.read_bytes() == before  # not opened for writing
    cli = motcua(data_dir, "search", "Hoa")
    assert cli.returncode == 1 and "bị hỏng" in cli.stderr and f'motcua restore "{good}"' in cli.stderr
    fixed = motcua(data_dir, "restore", str(good))
    assert fixed.returncode == 0, fixed.stderr
    reopened = open_store(data_dir)
    reopened.dispose()


def test_cli_backup_and_list(store: Store, data_dir: Path, tmp_path: Path) -> None:
    out = motcua(data_dir, "backup", "--to", str(tmp_path / "usb"))
    assert out.returncode == 0, out.stderr
    assert "Đã sao lưu vào" in out.stdout and "kiểm tra toàn vẹn: đạt" in out.stdout
    listed = motcua(data_dir, "backup", "list")
    assert str(tmp_path / "usb") in listed.stdout and "manual" in listed.stdout


def test_large_database_is_checked_at_start_only_after_an_unclean_end(
        store: Store, admin: Actor, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.backup

    receive(store, admin, _request(store, 1))
    store.dispose()
    monkeypatch.setattr(app.backup, "FULL_CHECK_LIMIT", 1)  # every test database counts as "large"
    _flip_a_page(store.db_path)
    # Closed cleanly (no -wal left): the slow start-up check is skipped; the daily backup's check remains.
    open_store(data_dir).dispose()
    # A power cut leaves the write-ahead log behind: the next start checks the file and refuses it.
    wal = store.db_path.with_name(store.db_path.name + "-wal")
    wal.write_bytes(b"\0" * 4096)
    with pytest.raises(DatabaseDamaged):
        open_store(data_dir)

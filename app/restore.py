"""Putting a backup copy back in place of the live database.

The candidate is checked first (SQLite integrity, that it is a Quầy Một cửa
database, same agency unless an admin forces it, not from a newer version).
The live database is then copied aside (backups/truoc-khoi-phuc-*.sqlite3),
every connection is closed, its -wal/-shm files are removed (a stale WAL
applied to a different main file would corrupt it) and a staged copy is
renamed over it in one step. The restored database is migrated if it is
older, and the restore is written into its own audit chain.
"""

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app import audit, clock
from app.backup import check_database, snapshot
from app.db import Store, restrict_to_owner
from app.errors import CounterError, DatabaseTooNew
from app.paths import backup_dir, database_path
from app.permissions import Actor, Permission
from app.worktime import AGENCY_TZ
from models.enums import Role

log = logging.getLogger("motcua.restore")


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    set_aside: Path | None
    agency_code: str
    forced: bool
    store: Store


def _agency_code(path: Path) -> str | None:
    """The agency of a database file, or None when it has no counter profile."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='counter_profile'").fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT agency_code FROM counter_profile LIMIT 1").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def _revision(path: Path) -> str | None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def check_candidate(file: Path) -> str:
    """The candidate's agency code; raises a CounterError saying what is wrong with it otherwise."""
    from alembic.script import ScriptDirectory

    from app.migrate import _alembic_config

    if not file.is_file():
        raise CounterError(f"Không tìm thấy tệp sao lưu {file}.")
    verdict = check_database(file)
    if verdict != "ok":
        raise CounterError(f"Tệp {file.name} bị hỏng hoặc không phải cơ sở dữ liệu SQLite ({verdict}); "
                           "không khôi phục từ tệp này. Hãy chọn một bản sao lưu khác.")
    code = _agency_code(file)
    if code is None:
        raise CounterError(f"Tệp {file.name} không phải cơ sở dữ liệu Quầy Một cửa (không có hồ sơ quầy).")
    revision = _revision(file)
    known = {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise DatabaseTooNew(f"Tệp {file.name} được ghi bởi phiên bản Quầy Một cửa mới hơn (lược đồ {revision}); "
                             "hãy cài phiên bản mới nhất rồi khôi phục.")
    return code


def _current_agency(db_path: Path) -> str | None:
    try:
        return _agency_code(db_path) if db_path.exists() and db_path.stat().st_size else None
    except sqlite3.Error:
        return None  # the live file is damaged: nothing to compare with


def _set_aside(db_path: Path, data_dir: Path) -> Path | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    stamp = clock.now().astimezone(AGENCY_TZ).strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    restrict_to_owner(folder)
    aside = folder / f"truoc-khoi-phuc-{stamp}.sqlite3"
    n = 2
    while aside.exists():
        aside = folder / f"truoc-khoi-phuc-{stamp}-{n}.sqlite3"
        n += 1
    try:
        snapshot(db_path, aside)
    except sqlite3.Error:
        # Too damaged for SQLite to read: keep the raw bytes (main file and WAL) instead.
        aside.unlink(missing_ok=True)
        shutil.copy2(db_path, aside)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, aside.with_name(aside.name + "-wal"))
    restrict_to_owner(aside)
    return aside


def _fold_wal(db_path: Path) -> None:
    """Checkpoint the live WAL into the main file (best effort) so removing it loses nothing."""
    try:
        connection = sqlite3.connect(db_path, timeout=15)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except sqlite3.Error:
        log.warning("could not checkpoint %s before restore", db_path)


def restore_from(store_or_path: Store | Path, file: Path, actor: Actor, force: bool = False) -> RestoreResult:
    """Replace the live database by `file`. The given Store is disposed; use the returned one."""
    actor.require(Permission.RESTORE)
    data_dir = store_or_path.data_dir if isinstance(store_or_path, Store) else Path(store_or_path)
    db_path = database_path(data_dir)
    file = file.expanduser().resolve()
    if file == db_path.resolve():
        raise CounterError("Không thể khôi phục từ chính cơ sở dữ liệu đang dùng.")
    code = check_candidate(file)
    current = _current_agency(db_path)
    forced = False
    if current is not None and current.upper() != code.upper():
        if not force:
            raise CounterError(f"Tệp {file.name} là dữ liệu của cơ quan {code}, khác cơ quan {current} của máy này; "
                               "không khôi phục. Nếu chắc chắn, quản trị viên dùng tuỳ chọn --force.")
        if actor.role is not Role.ADMIN:
            raise CounterError("Chỉ quản trị viên mới được khôi phục dữ liệu của cơ quan khác.")
        forced = True
    staged = db_path.with_name(db_path.name + ".restoring")
    staged.unlink(missing_ok=True)
    staged.touch(mode=0o600)
    try:
        snapshot(file, staged)
    except sqlite3.Error as error:
        staged.unlink(missing_ok=True)
        raise CounterError(f"Không đọc được tệp {file.name}: {error}.") from None
    if isinstance(store_or_path, Store):
        store_or_path.dispose()
    _fold_wal(db_path)
    aside = _set_aside(db_path, data_dir)
    for suffix in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(staged, db_path)
    restrict_to_owner(db_path)
    from app.migrate import upgrade

    store = Store(data_dir)
    upgrade(store)
    with store.write() as session:
        audit.record(session, actor.username, "backup.restore", "backup", file.name, {
            "from": str(file), "set_aside": str(aside) if aside else "", "agency_code": code,
            "previous_agency_code": current or "", "forced": forced,
        })
    return RestoreResult(file, aside, code, forced, store)


def actor_from_backup(file: Path, username: str, password: str) -> Actor:
    """The live accounts are unreadable: the person proves who they are against the copy being restored."""
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from app.users import actor_for, find_user, password_matches

    if check_database(file) != "ok":
        raise CounterError(f"Tệp {file} bị hỏng hoặc không phải bản sao lưu; không khôi phục từ tệp này.")
    engine = create_engine(f"sqlite:///file:{file}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            user = find_user(session, username)
            if user is None or not user.active or not password_matches(user.password_hash, password):
                raise CounterError("Tên đăng nhập hoặc mật khẩu không đúng (theo bản sao lưu).")
            return actor_for(user)
    finally:
        engine.dispose()

"""Backup copies of the counter's database, made while the counter keeps working.

SQLite's online backup API copies one consistent snapshot (a read
transaction in WAL mode) while other connections go on writing. The copy is
written to a hidden partial file in the backup folder, checked
(`integrity_check`, or `quick_check` on very large files), hashed, fsynced and
only then renamed to `motcua-YYYYMMDD-HHMMSS-<kind>.sqlite3`: a power cut
leaves either no copy or a whole, checked one. Each copy is recorded in
`backup_record` with an audit row, and the audit head it contains is written
to `audit-head.json` so a later cut of the audit tail shows up.

Kinds: daily (automatic, first start of the day / timer), exit (window
closed), manual (admin), before-restore (the live database set aside).
"""

import hashlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from app import audit, clock, settings
from app.audit_verify import Head, save_head
from app.db import Store, restrict_to_owner
from app.errors import CounterError
from app.paths import backup_dir
from app.permissions import Actor, Permission
from app.worktime import AGENCY_TZ
from models.tables import BackupRecord

log = logging.getLogger("motcua.backup")

KINDS = ("daily", "exit", "manual", "before-restore")
ROTATED_KINDS = ("daily", "exit")
# Above this size a full integrity_check takes tens of seconds (40 s on the 2.7 GB
# 1,000,000-dossier database); quick_check (4–11 s there) still reads every page.
FULL_CHECK_LIMIT = 256 * 1024 * 1024
DAILY_INTERVAL = timedelta(hours=24)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str
    size: int
    sha256: str
    head: Head | None
    seconds: float


def configured_folder(session: Session, data_dir: Path) -> Path:
    text = settings.BACKUP_FOLDER.get(session).strip()
    return Path(text).expanduser() if text else backup_dir(data_dir)


def check_database(path: Path, environment_errors: bool = False) -> str:
    """'ok' or SQLite's first complaint about the file (opened read-only).

    With `environment_errors`, a file that cannot be opened or is locked raises instead: that is the
    machine's problem (permissions, another program), not damage.
    """
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15)
    except sqlite3.Error as error:
        if environment_errors:
            raise
        return str(error)
    try:
        pragma = "integrity_check" if path.stat().st_size <= FULL_CHECK_LIMIT else "quick_check"
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
        return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])
    except sqlite3.OperationalError as error:
        if environment_errors and not _looks_damaged(str(error)):
            raise
        return str(error)
    except sqlite3.Error as error:
        return str(error)
    finally:
        connection.close()


def _looks_damaged(message: str) -> bool:
    text = message.lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _usable_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        restrict_to_owner(folder)
        probe = folder / ".motcua-ghi-thu"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise CounterError(
            f"Không dùng được thư mục sao lưu {folder} ({error.strerror or error}). "
            "Nếu đó là ổ USB, hãy cắm lại ổ rồi thử lại; hoặc chọn thư mục sao lưu khác "
            "(quản trị viên: cài đặt backup.folder)."
        ) from None
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # directories cannot be fsynced on every platform
    finally:
        os.close(fd)


def _file_name(folder: Path, moment: datetime, kind: str) -> Path:
    stamp = moment.astimezone(AGENCY_TZ).strftime("%Y%m%d-%H%M%S")
    path = folder / f"motcua-{stamp}-{kind}.sqlite3"
    n = 2
    while path.exists():
        path = folder / f"motcua-{stamp}-{kind}-{n}.sqlite3"
        n += 1
    return path


def snapshot(source: Path, target: Path) -> Head | None:
    """Copy one consistent snapshot of `source` into a new file `target`; returns the audit head it holds."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A self-contained file: no -wal beside it when it is opened later from a USB stick.
            dst.execute("PRAGMA journal_mode=DELETE")
            row = dst.execute("SELECT mono, hash, at FROM audit_entry ORDER BY mono DESC LIMIT 1").fetchone()
        finally:
            dst.close()
    finally:
        src.close()
    return None if row is None else Head(int(row[0]), str(row[1]), str(row[2]))


def make_backup(store: Store, actor: Actor, kind: str = "manual", folder: Path | None = None) -> BackupResult:
    """Copy, check, hash and file one backup; record it. Safe while others write (runs off the GUI thread)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if kind == "manual" or folder is not None:
        # Automatic copies protect everybody's work whoever is signed in; choosing when and where is the admin's.
        actor.require(Permission.MANAGE_SETTINGS)
    started = clock.now()
    with store.read() as session:
        chosen = folder or configured_folder(session, store.data_dir)
        keep = settings.BACKUP_KEEP_DAILY.get(session)
    target_dir = _usable_folder(chosen)
    final = _file_name(target_dir, started, kind)
    partial = target_dir / f".{final.name}.partial"
    began = datetime.now()
    try:
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        restrict_to_owner(partial)
        head = snapshot(store.db_path, partial)
        verdict = check_database(partial)
        if verdict != "ok":
            raise CounterError(f"Bản sao lưu vừa tạo không đạt kiểm tra toàn vẹn ({verdict}); đã huỷ bản sao này.")
        digest = _sha256(partial)
        size = partial.stat().st_size
        _fsync(partial)
        os.replace(partial, final)
        _fsync(target_dir)
    except OSError as error:
        raise CounterError(f"Không ghi được bản sao lưu vào {target_dir}: {error.strerror or error}.") from None
    except sqlite3.Error as error:
        raise CounterError(f"Không sao lưu được cơ sở dữ liệu: {error}.") from None
    finally:
        partial.unlink(missing_ok=True)
    restrict_to_owner(final)
    with store.write() as session:
        session.add(BackupRecord(at=started, path=str(final), kind=kind, size=size, sha256=digest,
                                 integrity_ok=True, actor=actor.username))
        audit.record(session, actor.username, "backup.create", "backup", final.name, {
            "kind": kind, "path": str(final), "size": size, "sha256": digest,
            "head_mono": head.mono if head else 0, "head_hash": head.hash if head else "",
        })
    if head is not None:
        try:
            save_head(store.data_dir, head, backup=str(final))
            restrict_to_owner(store.data_dir / "audit-head.json")
        except OSError:
            log.warning("could not write the audit head file in %s", store.data_dir)
    rotate(target_dir, keep)
    return BackupResult(final, kind, size, digest, head, (datetime.now() - began).total_seconds())


def rotate(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` copies of each automatic kind; manual and before-restore copies stay."""
    removed: list[Path] = []
    for kind in ROTATED_KINDS:
        copies = sorted(p for p in folder.glob(f"motcua-*-{kind}*.sqlite3") if _kind_of(p) == kind)
        for old in copies[:-keep] if keep > 0 else []:
            try:
                old.unlink()
                removed.append(old)
            except OSError:
                log.warning("could not remove old backup %s", old)
    return removed


def _kind_of(path: Path) -> str:
    # motcua-YYYYMMDD-HHMMSS-<kind>[-n].sqlite3
    parts = path.stem.split("-", 3)
    if len(parts) < 4:
        return ""
    rest = parts[3]
    for kind in KINDS:
        if rest == kind or (rest.startswith(kind + "-") and rest[len(kind) + 1:].isdigit()):
            return kind
    return ""


@dataclass(frozen=True)
class BackupInfo:
    at: datetime
    path: str
    kind: str
    size: int
    sha256: str
    actor: str
    present: bool


def list_backups(session: Session, limit: int = 100) -> list[BackupInfo]:
    rows = session.exec(select(BackupRecord).order_by(col(BackupRecord.at).desc()).limit(limit))
    return [BackupInfo(r.at, r.path, r.kind, r.size, r.sha256, r.actor, Path(r.path).exists()) for r in rows]


def daily_due(session: Session) -> bool:
    """True when no daily or manual copy was made in the last 24 hours."""
    last = session.exec(
        select(BackupRecord).where(col(BackupRecord.kind).in_(("daily", "manual")))
        .order_by(col(BackupRecord.at).desc()).limit(1)
    ).first()
    return last is None or clock.now() - last.at >= DAILY_INTERVAL


def latest_good_backup(data_dir: Path, folder: Path | None = None) -> Path | None:
    """The newest backup file that still passes its check; usable when the live database cannot be read."""
    from app.audit_verify import last_backup_path

    candidates: list[Path] = []
    recorded = last_backup_path(data_dir)
    for place in {p for p in (folder, backup_dir(data_dir), recorded.parent if recorded else None) if p}:
        if place.is_dir():
            candidates.extend(p for p in place.glob("motcua-*.sqlite3") if _kind_of(p))
    for path in sorted(candidates, key=lambda p: p.name.split("-", 3)[1:3], reverse=True):
        if check_database(path) == "ok":
            return path
    return None

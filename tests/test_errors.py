"""Environment failures are explained to the officer in Vietnamese, not as tracebacks."""

import errno
import sqlite3

from sqlalchemy.exc import OperationalError

from app.errors import describe_environment_error


def test_disk_full_from_sqlite() -> None:
    error = OperationalError("INSERT …", {}, sqlite3.OperationalError("database or disk is full"))
    assert "Ổ đĩa đã đầy" in (describe_environment_error(error) or "")


def test_read_only_database() -> None:
    error = OperationalError("INSERT …", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    assert "chỉ đọc" in (describe_environment_error(error) or "")


def test_locked_database() -> None:
    assert "chương trình khác" in (describe_environment_error(sqlite3.OperationalError("database is locked")) or "")


def test_os_errors() -> None:
    assert "Ổ đĩa đã đầy" in (describe_environment_error(OSError(errno.ENOSPC, "No space", "/mnt/usb/a.pdf")) or "")
    assert "/mnt/usb/a.pdf" in (describe_environment_error(OSError(errno.EROFS, "RO", "/mnt/usb/a.pdf")) or "")


def test_a_bug_is_not_disguised_as_the_environment() -> None:
    assert describe_environment_error(KeyError("x")) is None
    assert describe_environment_error(sqlite3.OperationalError("no such column: foo")) is None

"""Opening the local SQLite store and running transactions on it.

Every write goes through `Store.write()`: one `BEGIN IMMEDIATE` transaction
that takes SQLite's write lock up front. Deferred transactions that read and
then write can fail with SQLITE_BUSY half-way when two writers meet; taking
the lock first makes allocation of dossier numbers race-free and makes each
use case all-or-nothing.
"""

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from app.paths import database_path

log = logging.getLogger("motcua.db")

_BEGIN_OPTION = "motcua_begin"


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event below instead of
    # pysqlite's implicit, statement-sniffing transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a power cut right after "saved" on screen must not lose the dossier.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(db_file: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_file}",
        connect_args={"check_same_thread": False, "timeout": 15},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def restrict_to_owner(path: Path) -> None:
    """Citizens' identity data: readable by the owning account only (no-op where unsupported)."""
    try:
        if path.is_dir():
            os.chmod(path, stat.S_IRWXU)
        elif path.exists():
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except OSError:
        log.warning("could not restrict permissions of %s", path)


class Store:
    """The counter's database in one data directory."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.db_path = database_path(data_dir)
        self.engine = make_engine(self.db_path)
        self._writer = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One all-or-nothing transaction; commits on success, rolls back on any error."""
        with Session(self._writer, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()

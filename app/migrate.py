"""Versioned schema migrations with a safety copy of the file first.

Alembic (batch mode) carries the schema forward. Before touching an existing
database we copy it with SQLite's online backup API, and we refuse a database
whose revision this build does not know: it was written by a newer version,
and running old code on it could silently lose columns.
"""

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db import Store, restrict_to_owner
from app.errors import CounterError, DatabaseTooNew
from app.paths import backup_dir

log = logging.getLogger("motcua.migrate")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def copy_database(source: Path, target: Path) -> None:
    """Consistent copy of a live database (SQLite online backup API)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    restrict_to_owner(target)


def upgrade(store: Store) -> str | None:
    """Bring the schema to this build's head. Returns the path of the safety copy, if one was made."""
    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    current = current_revision(store)
    if current == head:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            f"Cơ sở dữ liệu tại {store.db_path} được ghi bởi một phiên bản Quầy Một cửa mới hơn "
            f"(lược đồ {current}). Phiên bản này không thể mở an toàn; hãy cài phiên bản mới nhất."
        )
    safety_copy: Path | None = None
    if current is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safety_copy = backup_dir(store.data_dir) / f"truoc-nang-cap-{current}-{stamp}.sqlite3"
        copy_database(store.db_path, safety_copy)
        log.info("database copied to %s before migrating %s -> %s", safety_copy, current, head)
    migrate_to(store, "head")
    return str(safety_copy) if safety_copy else None


def migrate_to(store: Store, revision: str, downgrade: bool = False) -> None:
    """Run alembic on one connection, in one transaction, with foreign keys checked at the end."""
    config = _alembic_config()
    with store._writer.connect() as connection:
        raw = connection.connection.driver_connection
        # Batch mode rebuilds tables (copy, drop, rename); with foreign keys enforced the drop
        # of a referenced table fails. SQLite only honours this pragma outside a transaction.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            (command.downgrade if downgrade else command.upgrade)(config, revision)
            connection.commit()
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    if broken:
        raise CounterError(f"Chuyển đổi cơ sở dữ liệu để lại {len(broken)} liên kết hỏng; "
                           "hãy khôi phục bản sao trong thư mục backups.")

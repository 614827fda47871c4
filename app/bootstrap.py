"""Opening a data directory: create it, migrate the schema, first-start setup."""

import logging
from pathlib import Path

from app import catalog
from app.db import Store, restrict_to_owner
from app.device_key import ensure_device_key, install_new_key
from app.migrate import upgrade
from app.permissions import Actor
from app.profile import CounterSetup, initialise
from models.tables import Procedure

import resources

log = logging.getLogger("motcua.bootstrap")

SAMPLE_CATALOG = resources.path("catalog", "sample-commune-catalog.json")


def open_store(data_dir: Path) -> Store:
    data_dir.mkdir(parents=True, exist_ok=True)
    restrict_to_owner(data_dir)
    store = Store(data_dir)
    # SQLite gives the -wal and -shm files the main file's mode, so the main file
    # must be owner-only before the first connection creates them.
    store.db_path.touch(mode=0o600, exist_ok=True)
    for path in (store.db_path, *store.db_path.parent.glob(store.db_path.name + "-*")):
        restrict_to_owner(path)
    _refuse_if_damaged(store)
    upgrade(store)
    # Counters set up before signed receipts get their key here (audited).
    ensure_device_key(store)
    return store


def _refuse_if_damaged(store: Store) -> None:
    """Check the file before anything writes to it (read-only; quick_check above 256 MB, see app.backup).

    A large database is checked only when its last session did not end cleanly: quick_check takes
    4-11 s on a million dossiers, too long for every start, and each daily backup checks the whole
    file anyway.
    """
    from app.backup import FULL_CHECK_LIMIT, check_database, latest_good_backup
    from app.errors import DatabaseDamaged

    size = store.db_path.stat().st_size
    if size == 0:
        return
    if size > FULL_CHECK_LIMIT and _last_session_ended_cleanly(store.db_path):
        log.info("skipping the start-up check of %s: last session closed cleanly", store.db_path)
        return
    verdict = check_database(store.db_path, environment_errors=True)
    if verdict != "ok":
        store.dispose()
        log.error("database %s failed its check: %s", store.db_path, verdict)
        raise DatabaseDamaged(store.db_path, verdict, latest_good_backup(store.data_dir))


def _last_session_ended_cleanly(db_path: Path) -> bool:
    """SQLite folds the write-ahead log back and deletes it when the last connection closes normally;
    a non-empty -wal file at start means a crash, a power cut, or another program has the file open."""
    wal = db_path.with_name(db_path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def initialise_counter(store: Store, setup: CounterSetup, catalog_file: Path | None = SAMPLE_CATALOG) -> Actor:
    """Profile, first administrator and (when the catalog is empty) the sample catalog, in one transaction."""
    specs = catalog.read_catalog_file(catalog_file) if catalog_file else []
    with store.write() as session:
        admin = initialise(session, setup)
        install_new_key(session, store.data_dir, admin.username, "counter setup")
        if specs and session.exec(Procedure.__table__.select().limit(1)).first() is None:  # type: ignore[attr-defined]
            catalog.apply_catalog(session, admin, specs, source=catalog_file.name if catalog_file else "")
    return admin

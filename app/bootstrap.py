"""Opening a data directory: create it, migrate the schema, first-start setup."""

import logging
from pathlib import Path

from app import catalog
from app.db import Store, restrict_to_owner
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
    upgrade(store)
    return store


def initialise_counter(store: Store, setup: CounterSetup, catalog_file: Path | None = SAMPLE_CATALOG) -> Actor:
    """Profile, first administrator and (when the catalog is empty) the sample catalog, in one transaction."""
    specs = catalog.read_catalog_file(catalog_file) if catalog_file else []
    with store.write() as session:
        admin = initialise(session, setup)
        if specs and session.exec(Procedure.__table__.select().limit(1)).first() is None:  # type: ignore[attr-defined]
            catalog.apply_catalog(session, admin, specs, source=catalog_file.name if catalog_file else "")
    return admin

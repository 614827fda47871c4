"""Tests for the local store: SQLite settings, migrations, file permissions, audit chain."""

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
import sqlalchemy.exc
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

import models  # noqa: F401  (fills SQLModel.metadata)
from app import audit
from app.bootstrap import open_store
from app.catalog import get_procedure
from app.db import Store
from app.errors import DatabaseTooNew
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.migrate import current_revision, head_revision, upgrade
from app.permissions import Actor
from app.profile import load_profile
from app.search import include_object
from models.tables import AuditEntry

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def test_wal_mode_and_foreign_keys(empty_store: Store) -> None:
    with empty_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        with store.write() as session:
            session.exec(text(  # type: ignore[call-overload]
                "INSERT INTO dossier_document (dossier_id, position, name, originals, certified_copies, copies, "
                "required, submitted) VALUES ('khong-co', 0, 'x', 1, 0, 0, 1, 1)"))
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dossier_document")).scalar_one() == 0


def test_write_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.write() as session:
            session.exec(text("UPDATE counter_profile SET agency_name = 'đổi tên'"))  # type: ignore[call-overload]
            raise RuntimeError("boom")
    with store.read() as session:
        assert load_profile(session).agency_name == "Ủy ban nhân dân xã Tân Lập"


def test_new_dir_is_migrated_to_head(data_dir: Path) -> None:
    assert not data_dir.exists()
    store = open_store(data_dir)
    try:
        assert store.db_path == data_dir / "motcua.sqlite3"
        assert store.db_path.is_file()
        assert current_revision(store) == head_revision()
        with store.engine.connect() as conn:
            tables = {r for (r,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        assert set(SQLModel.metadata.tables) <= tables
        assert "alembic_version" in tables
    finally:
        store.dispose()


def test_reopening_is_a_no_op(store: Store) -> None:
    with store.engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM procedure")).scalar_one()
    assert upgrade(store) is None  # already at head: nothing run, no safety copy
    again = open_store(store.data_dir)
    try:
        assert current_revision(again) == head_revision()
        with again.read() as session:
            assert load_profile(session).agency_code == "H15.50.05.13"
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM procedure")).scalar_one() == before
    finally:
        again.dispose()
    assert not (store.data_dir / "backups").exists()


def test_database_from_a_newer_version_is_refused(store: Store) -> None:
    db_path = store.db_path
    store.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseTooNew) as caught:
        open_store(store.data_dir)
    message = str(caught.value)
    assert "phiên bản" in message
    assert "9999_future" in message
    assert str(db_path) in message
    # refused before touching anything: no safety copy, revision untouched
    assert not (store.data_dir / "backups").exists()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999_future",)]


def test_metadata_matches_the_migrations(empty_store: Store) -> None:
    with empty_store.engine.connect() as conn:
        # The FTS5 search tables are made by hand in migration 0003 and have no model, by design.
        context = MigrationContext.configure(conn, opts={"render_as_batch": True, "include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


@posix_only
def test_data_dir_and_database_are_owner_only(store: Store) -> None:
    assert stat.S_IMODE(os.stat(store.data_dir).st_mode) & 0o077 == 0
    assert stat.S_IMODE(os.stat(store.db_path).st_mode) & 0o077 == 0


@posix_only
def test_existing_open_data_dir_is_tightened(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    store = open_store(data_dir)
    try:
        assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(store.db_path).st_mode) == 0o600
    finally:
        store.dispose()


@posix_only
def test_wal_and_shm_files_are_owner_only(data_dir: Path) -> None:
    old_umask = os.umask(0o022)  # the usual desktop umask
    try:
        store = open_store(data_dir)
    finally:
        os.umask(old_umask)
    try:
        sidecars = [data_dir / "motcua.sqlite3-wal", data_dir / "motcua.sqlite3-shm"]
        assert all(p.exists() for p in sidecars)
        assert {p.name: oct(stat.S_IMODE(os.stat(p).st_mode)) for p in sidecars} == {
            "motcua.sqlite3-wal": "0o600", "motcua.sqlite3-shm": "0o600"}
    finally:
        store.dispose()


def _receive_some(store: Store, admin: Actor, n: int) -> None:
    with store.read() as session:
        _, spec = get_procedure(session, "2.000635")
    for i in range(n):
        receive(store, admin, IntakeRequest(
            procedure_code="2.000635", owner=PersonInput(full_name=f"Hoàng Văn Sơn {i}", id_number="001085012345"),
            documents=all_documents(spec)))


def test_audit_chain_links_and_recomputes(store: Store, admin: Actor) -> None:
    _receive_some(store, admin, 3)
    with store.read() as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.mono)).all()
    # counter.init, user.create, device_key.create, catalog.import, then one dossier.receive per dossier
    assert [r.action for r in rows] == [
        "counter.init", "user.create", "device_key.create", "catalog.import",
        "dossier.receive", "dossier.receive", "dossier.receive"]
    assert [r.mono for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == audit.GENESIS_HASH
    for previous, row in zip(rows, rows[1:]):
        assert row.prev_hash == previous.hash
    for row in rows:
        assert row.at.tzinfo is not None
        assert row.hash == audit.entry_hash(row.mono, row.at, row.actor, row.action, row.entity, row.entity_id,
                                            row.details, row.prev_hash)
    assert len({r.hash for r in rows}) == len(rows)


def test_audit_hash_detects_an_edited_row(store: Store) -> None:
    with store.read() as session:
        row = session.exec(select(AuditEntry).where(AuditEntry.action == "catalog.import")).one()
    assert row.hash == audit.entry_hash(row.mono, row.at, row.actor, row.action, row.entity, row.entity_id,
                                        row.details, row.prev_hash)
    # what a tampered row would have to hash to
    forged = {**row.details, "created": 1}
    assert row.hash != audit.entry_hash(row.mono, row.at, row.actor, row.action, row.entity, row.entity_id,
                                        forged, row.prev_hash)
    assert row.hash != audit.entry_hash(row.mono, row.at, "nguoi-khac", row.action, row.entity, row.entity_id,
                                        row.details, row.prev_hash)

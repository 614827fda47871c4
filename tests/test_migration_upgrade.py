"""A counter's database from an earlier version is carried forward with a safety copy first."""

from pathlib import Path

from sqlalchemy import text

from app.bootstrap import initialise_counter, open_store
from app.intake import IntakeRequest, PersonInput, receive
from app.migrate import head_revision, migrate_to
from app.profile import SAMPLE_SETUP


def test_upgrade_from_0001_keeps_dossiers_and_makes_a_safety_copy(data_dir: Path) -> None:
    store = open_store(data_dir)
    admin = initialise_counter(store, SAMPLE_SETUP)
    code = receive(store, admin, IntakeRequest(
        procedure_code="1.001193", owner=PersonInput(full_name="Lý Thị Mỷ", id_number="010190001111"),
        accept_missing_required=True)).code
    migrate_to(store, "0001", downgrade=True)
    store.dispose()

    reopened = open_store(data_dir)
    with reopened.read() as session:
        version = session.exec(text("SELECT version_num FROM alembic_version")).one()[0]
        row = session.exec(text("SELECT code, extended, amount_paid FROM dossier")).one()
    assert version == head_revision()
    assert tuple(row) == (code, 0, 0)
    copies = list((data_dir / "backups").glob("truoc-nang-cap-0001-*.sqlite3"))
    assert len(copies) == 1
    reopened.dispose()

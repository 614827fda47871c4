"""Power cuts (issue #7), short version: 25 SIGKILLs of a working counter, each followed by the full check.

The long version is `make reliability` (`python -m tests.reliability.powercut --kills 500`).
The checker's own tests below prove that it notices each kind of damage it looks for.
"""

import sqlite3
from pathlib import Path

import pytest

from app.catalog import get_procedure
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from tests.reliability.checker import Reported, check_store
from tests.reliability.powercut import run

SHORT_KILLS = 25


def test_counter_survives_random_kills(tmp_path: Path) -> None:
    outcome = run(SHORT_KILLS, seed=20261122, data_dir=tmp_path / "data", max_delay=0.8)
    print(outcome.summary())
    assert outcome.failures == []
    assert outcome.survived == SHORT_KILLS
    # The kills landed while the counter was working, not only before it started.
    assert outcome.reported.total > SHORT_KILLS


def _one_dossier(store: Store, admin: Actor) -> tuple[Reported, str]:
    with store.read() as session:
        _, spec = get_procedure(session, "1.001193")
    result = receive(store, admin, IntakeRequest(
        procedure_code=spec.code, owner=PersonInput(full_name="Lò Văn Páo", id_number="001085123456"),
        documents=all_documents(spec)))
    reported = Reported()
    reported.add_line(f"receive {result.code} {result.dossier_id}")
    return reported, result.dossier_id


def _damage(store: Store, sql: str) -> None:
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(sql)


def test_checker_passes_an_intact_store(store: Store, admin: Actor, data_dir: Path) -> None:
    reported, _ = _one_dossier(store, admin)
    assert check_store(data_dir, reported) == []


@pytest.mark.parametrize(("sql", "expected"), [
    ("DELETE FROM dossier_event", "without its first event"),
    ("DELETE FROM outbox", "outbox"),
    ("DELETE FROM dossier_document WHERE id = (SELECT max(id) FROM dossier_document)", "documents"),
    ("UPDATE audit_entry SET actor = 'ke-gian' WHERE mono = (SELECT max(mono) FROM audit_entry)", "audit"),
    ("UPDATE dossier SET status = 10", "last event says"),
    ("UPDATE sequence SET last = 0 WHERE name = 'dossier_code'", "behind issued code"),
    ("UPDATE outbox SET state = 'delivered'", "portal does not have it"),
])
def test_checker_notices_damage(store: Store, admin: Actor, data_dir: Path, sql: str, expected: str) -> None:
    reported, _ = _one_dossier(store, admin)
    _damage(store, sql)
    problems = check_store(data_dir, reported)
    assert any(expected in p for p in problems), problems


def test_checker_notices_a_lost_reported_success(store: Store, admin: Actor, data_dir: Path) -> None:
    reported, _ = _one_dossier(store, admin)
    reported.add_line("receive H15.50.05.13-260105-0999 0f0f0f0f-dead-beef-0000-000000000000")
    reported.add_line("act H15.50.05.13-260105-0999 2 0f0f0f0f-dead-beef-0000-000000000001")
    problems = check_store(data_dir, reported)
    assert any("reported dossier" in p for p in problems)
    assert any("reported step 2" in p for p in problems)

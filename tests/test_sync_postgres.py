"""The reference portal's store on a real PostgreSQL server (MOTCUA_TEST_POSTGRES_URL, set up by .ci/postgres.sh)."""

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.db import Store
from app.permissions import Actor
from sync.engine import EngineConfig, run_sync_round
from sync.portal.service import Device, Portal
from sync.portal.store import make_engine, normalise_url
from sync.protocol import EnrollRequest, PushItem, PushRequest
from tests.portal_tools import running_portal
from tests.sync_tools import enroll_with, outbox_count, outbox_ids, record_activity

BASE_URL = os.environ.get("MOTCUA_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not BASE_URL, reason="MOTCUA_TEST_POSTGRES_URL not set: no PostgreSQL server (.ci/postgres.sh starts one as root)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database per test, dropped afterwards."""
    assert BASE_URL
    name = f"motcua_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(BASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = BASE_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _device(portal: Portal, counter: int = 1) -> Device:
    code = portal.issue_code("H15.50.05.13", counter)
    answer = portal.enroll(EnrollRequest(code=code, agency_code="H15.50.05.13", counter_number=counter,
                                         device_id=f"may-{counter}"))
    return portal.authenticate(answer.device_token)


def _dossier_item(dossier_id: str, code: str) -> PushItem:
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).isoformat()
    payload = {"id": dossier_id, "code": code, "status": 2, "received_at": at, "procedure_code": "2.000635",
               "events": [{"id": str(uuid.uuid4()), "seq": 1, "type": "received", "at": at, "status_after": 2}]}
    return PushItem(id=dossier_id, kind="dossier.received", entity_id=dossier_id, payload=payload,
                    created_at=datetime.now(UTC))


def test_postgres_store_is_idempotent_and_rejects_a_reused_code(pg_url: str) -> None:
    portal = Portal(make_engine(pg_url))
    assert portal.engine.dialect.name == "postgresql"
    dev = _device(portal)
    first = _dossier_item(str(uuid.uuid4()), "H15.50.05.13-261123-0001")
    clash = _dossier_item(str(uuid.uuid4()), "H15.50.05.13-261123-0001")
    fine = _dossier_item(str(uuid.uuid4()), "H15.50.05.13-261123-0002")
    answer = portal.push(dev, PushRequest(batch_id="b1", items=[first, clash, fine]))
    assert [r.status for r in answer.results] == ["accepted", "rejected", "accepted"]
    assert "đã được dùng cho hồ sơ khác" in answer.results[1].reason
    again = portal.push(dev, PushRequest(batch_id="b2", items=[first, fine]))
    assert [r.status for r in again.results] == ["duplicate", "duplicate"]
    assert portal.counts()["dossiers"] == 2 and portal.counts()["items"] == 2


def test_postgres_concurrent_pushes_of_one_batch_store_it_once(pg_url: str) -> None:
    portal = Portal(make_engine(pg_url))
    dev = _device(portal)
    items = [_dossier_item(str(uuid.uuid4()), f"H15.50.05.13-261123-{n:04d}") for n in range(1, 41)]
    answers: list[list[str]] = []
    barrier = threading.Barrier(4)

    def push() -> None:
        barrier.wait()
        answers.append([r.status for r in portal.push(dev, PushRequest(batch_id="b", items=items)).results])

    workers = [threading.Thread(target=push) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(answers) == 4
    # Each item accepted exactly once across the racing requests; every other answer is "duplicate".
    for position in range(len(items)):
        column = [a[position] for a in answers]
        assert sorted(column) == ["accepted", "duplicate", "duplicate", "duplicate"]
    assert portal.counts()["dossiers"] == 40


def test_full_sync_against_a_portal_on_postgres(store: Store, admin: Actor, pg_url: str, tmp_path: Path) -> None:
    record_activity(store, admin, 8)
    with running_portal(pg_url) as portal:
        admin_view = portal.admin()
        enroll_with(store, admin, portal.url, admin_view)
        result = run_sync_round(store, EngineConfig(batch_items=5))
        assert result.ok, result.error
        assert set(admin_view.stored_ids("item")) == outbox_ids(store)
        assert admin_view.counts()["items"] == outbox_count(store)

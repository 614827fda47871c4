"""Short version of the network-fault suite (tests/reliability/netfaults.py; the long run: make reliability)."""

from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from models.tables import OutboxItem
from sync.portal import store as t
from tests.fault_proxy import FATES
from tests.reliability.netfaults import Desk, run


def test_two_counters_and_the_portal_agree_exactly_after_a_hostile_link(tmp_path: Path) -> None:
    outcome = run(rounds=14, seed=20261122, dossiers=2, work_dir=tmp_path, rate=0.4)
    print(outcome.summary())
    assert outcome.problems == []
    assert set(outcome.faults) == set(FATES), outcome.faults  # every kind of fault met
    assert outcome.directions["push"] > 0 and outcome.directions["pull"] > 0, outcome.directions  # both ways
    assert outcome.requests > 100 and outcome.resent > 0 and outcome.statuses > 5 and outcome.published > 0
    assert outcome.lost == outcome.duplicated == 0 and outcome.items > 50


def test_the_check_sees_a_lost_item_and_an_undelivered_row(tmp_path: Path) -> None:
    def tamper(portal: Any, desks: list[Desk]) -> None:
        with portal.engine.begin() as conn:
            victim = conn.execute(select(t.item.c.client_id).limit(1)).scalar_one()
            conn.execute(delete(t.item).where(t.item.c.client_id == victim))
        with desks[1].store.write() as session:
            first = session.connection().execute(select(OutboxItem.id).limit(1)).scalar_one()
            session.connection().execute(update(OutboxItem).where(OutboxItem.id == first).values(state="waiting"))

    outcome = run(rounds=3, seed=5, dossiers=2, work_dir=tmp_path, rate=0.3, tamper=tamper)
    assert outcome.lost == 1
    assert any("1 lost" in p for p in outcome.problems), outcome.problems
    assert any("counter 2: 1 outbox rows not delivered" in p for p in outcome.problems), outcome.problems

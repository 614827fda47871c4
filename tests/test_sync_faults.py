"""Exactly-once delivery through a hostile link: a seeded fault schedule between counter and portal."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from app.db import Store
from app.permissions import Actor
from models.tables import OutboxItem
from sync import state
from sync.engine import EngineConfig, run_sync_round
from tests.fault_proxy import FATES, FaultProxy, Schedule
from tests.portal_tools import ROOT, running_portal
from tests.sync_tools import enroll_with, outbox_count, outbox_ids, record_activity

# Small batches and short timeouts so that one test crosses many batches and every fate.
HOSTILE = EngineConfig(batch_items=4, max_items=16, backoff_base=0.02, backoff_cap=0.1, max_failures=5,
                       connect_timeout=1.0, read_timeout_base=1.0, grow_below_seconds=0.5)


@pytest.mark.parametrize("seed", [20261122, 7])
def test_portal_holds_exactly_what_the_counter_recorded_after_faults(
        store: Store, admin: Actor, tmp_path: Path, seed: int) -> None:
    record_activity(store, admin, 20, seed=seed)
    with running_portal(str(tmp_path / "portal.sqlite3")) as portal:
        schedule = Schedule(seed=seed, faulty=60, rate=0.75)
        admin_view = portal.admin()
        with FaultProxy(portal.port, schedule, hold_seconds=2.0) as proxy:
            code = admin_view.issue_code("H15.50.05.13", 1)
            from sync.enrollment import enroll
            enroll(store, admin, portal.url, code)  # enrollment on a good link; the rest through the proxy
            with store.write() as session:
                state.put(session, state.PORTAL_URL, proxy.url)
            results = []
            for round_number in range(40):
                if round_number in (3, 9):
                    record_activity(store, admin, 5, seed=seed + round_number)  # work goes on while offline
                results.append(run_sync_round(store, HOSTILE))
                if results[-1].ok and round_number > 9:
                    break
            assert results[-1].ok, results[-1].error
        assert {fate for fate in proxy.log} >= set(FATES), f"schedule did not cover every fate: {proxy.log}"
        assert any(not r.ok for r in results)
        # Answers lost after the portal stored the batch come back as duplicates, never as second copies.
        assert sum(r.duplicates for r in results) > 0
        assert sum(r.accepted + r.duplicates for r in results) == outbox_count(store)
        assert sum(r.quarantined for r in results) == 0
        stored = admin_view.stored_ids("item")
        assert len(stored) == len(set(stored)) == outbox_count(store)
        assert set(stored) == outbox_ids(store)
        assert admin_view.counts()["dossiers"] == 30
        with store.read() as session:
            assert {r.state for r in session.exec(select(OutboxItem)).all()} == {state.DELIVERED}


def test_sync_killed_mid_round_resumes_without_loss_or_duplicate(
        store: Store, admin: Actor, tmp_path: Path) -> None:
    record_activity(store, admin, 25, seed=11)
    with running_portal(str(tmp_path / "portal.sqlite3")) as portal:
        admin_view = portal.admin()
        enroll_with(store, admin, portal.url, admin_view)
        # Every answer trickles in slowly, so the process is killed somewhere inside the round.
        with FaultProxy(portal.port, Schedule(seed=1, faulty=1000, rate=1.0, fates=("slow",))) as proxy:
            with store.write() as session:
                state.put(session, state.PORTAL_URL, proxy.url)
            env = {**os.environ, "MOTCUA_DATA_DIR": str(store.data_dir), "QT_QPA_PLATFORM": "offscreen"}
            child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sync", "--batch", "2"], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while state.sync_status(store).delivered == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
            child.wait()
            part = state.sync_status(store)
            assert 0 < part.delivered and part.waiting > 0, part
        with store.write() as session:
            state.put(session, state.PORTAL_URL, portal.url)
        result = run_sync_round(store, EngineConfig())
        assert result.ok, result.error
        stored = admin_view.stored_ids("item")
        assert len(stored) == outbox_count(store) and set(stored) == outbox_ids(store)


def test_batches_shrink_on_timeouts_and_grow_again_on_a_good_link(
        store: Store, admin: Actor, tmp_path: Path) -> None:
    from sync.client import PortalClient
    from sync.engine import SyncEngine
    from sync.protocol import PushRequest

    record_activity(store, admin, 30, seed=2)
    sizes: list[int] = []

    class Recording(PortalClient):
        def push(self, request: PushRequest, read_timeout: float):  # type: ignore[no-untyped-def]
            sizes.append(len(request.items))
            return super().push(request, read_timeout)

    with running_portal(str(tmp_path / "portal.sqlite3")) as portal:
        enroll_with(store, admin, portal.url, portal.admin())
        schedule = Schedule(seed=0, faulty=0)
        schedule.plan = ["pass", "timeout", "timeout"]  # the time check passes, the first two pushes hang
        with FaultProxy(portal.port, schedule, hold_seconds=8.0) as proxy:
            client = Recording(proxy.url, state.load_token(store.data_dir), connect_timeout=1.0)
            config = EngineConfig(batch_items=16, max_items=64, backoff_base=0.01, backoff_cap=0.05,
                                  read_timeout_base=0.5, grow_below_seconds=5.0)
            engine = SyncEngine(store, client, config)
            result = engine.run_round()
            client.close()
        assert result.ok, result.error
        assert sizes[:3] == [16, 8, 4]  # halved after each timeout, the resend keeps the queue's head
        assert max(sizes[3:]) > 4  # grows back once answers come quickly
        assert result.failures == 2
        assert set(portal.admin().stored_ids("item")) == outbox_ids(store)


def test_only_a_well_formed_acknowledgement_counts(store: Store, admin: Actor, tmp_path: Path) -> None:
    record_activity(store, admin, 3, seed=9)
    waiting = outbox_count(store)
    with running_portal(str(tmp_path / "portal.sqlite3")) as portal:
        enroll_with(store, admin, portal.url, portal.admin())
        schedule = Schedule(seed=0, faulty=0)
        # time check passes; then a captive portal's HTML 200, malformed JSON after storing, a cut answer
        schedule.plan = ["pass", "html200", "badjson", "cut"]
        with FaultProxy(portal.port, schedule) as proxy:
            with store.write() as session:
                state.put(session, state.PORTAL_URL, proxy.url)
            config = EngineConfig(backoff_base=0.01, backoff_cap=0.02, max_failures=3)
            failed = run_sync_round(store, config)
            assert not failed.ok and failed.failures == 3 and failed.accepted == 0
            assert "Phản hồi" in failed.error or "kết nối" in failed.error
            assert state.sync_status(store).waiting == waiting  # nothing marked delivered on a bad answer
            assert state.sync_status(store).online is False
            with store.read() as session:
                assert {r.attempts for r in session.exec(select(OutboxItem)).all()} == {3}
            # The portal did store the batch behind the malformed answer: the resend is all duplicates.
            assert portal.admin().counts()["items"] == waiting
            good = run_sync_round(store, config)
        assert good.ok and good.duplicates == waiting and good.accepted == 0


def test_pull_pages_until_done_and_keeps_the_cursor(store: Store, admin: Actor, tmp_path: Path) -> None:
    import json

    from tests.portal_tools import ROOT as root

    with running_portal(str(tmp_path / "portal.sqlite3")) as portal:
        admin_view = portal.admin()
        enroll_with(store, admin, portal.url, admin_view)
        catalog = json.loads((root / "resources" / "catalog" / "sample-commune-catalog.json").read_text("utf-8"))
        assert admin_view.publish_catalog(catalog) == 44
        result = run_sync_round(store, EngineConfig(pull_limit=10))
        assert result.ok and result.pulled == 44
        assert state.sync_status(store).cursor == 44
        again = run_sync_round(store, EngineConfig(pull_limit=10))
        assert again.ok and again.pulled == 0

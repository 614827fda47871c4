"""Counter ↔ reference portal over real HTTP on 127.0.0.1: enrollment, push, pull, refusals."""

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from sqlmodel import select

from app.db import Store
from app.dossiers import find_by_code
from app.permissions import Actor
from models.enums import DossierStatus
from models.tables import CalendarOverride, OutboxItem, SyncState
from sync import state
from sync.engine import EngineConfig, run_sync_round
from sync.protocol import PROTOCOL_HEADER
from tests.cli_tools import motcua
from tests.portal_tools import RunningPortal, running_portal
from tests.sync_tools import enroll_with, new_counter, outbox_count, outbox_ids, record_activity

FAST = EngineConfig(backoff_base=0.05, backoff_cap=0.2, max_failures=3, connect_timeout=2, read_timeout_base=5)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[RunningPortal]:
    with running_portal(str(tmp_path / "portal.sqlite3")) as running:
        yield running


def test_push_then_pull_round_trip(store: Store, admin: Actor, portal: RunningPortal) -> None:
    codes = record_activity(store, admin, 6)
    enroll_with(store, admin, portal.url, portal.admin())
    assert state.sync_status(store).waiting == outbox_count(store)

    result = run_sync_round(store, FAST)
    assert result.ok, result.error
    assert result.accepted == outbox_count(store) and result.duplicates == 0 and result.quarantined == 0
    admin_view = portal.admin()
    assert set(admin_view.stored_ids("item")) == outbox_ids(store)
    assert admin_view.counts()["dossiers"] == 6
    status = state.sync_status(store)
    assert (status.waiting, status.quarantined, status.online) == (0, 0, True)
    assert status.last_success is not None

    # The processing body finishes one dossier and the province adds a holiday; both reach the counter.
    open_code = next(c for c in codes if admin_view.dossier(c).status in (2, 4))  # type: ignore[union-attr]
    admin_view.post_status(open_code, 9, body="Phòng Tư pháp", note="Đã có kết quả")
    admin_view.publish_holiday(date(2027, 9, 3), "holiday", "Nghỉ bù Quốc khánh")
    result = run_sync_round(store, FAST)
    assert result.ok and result.pulled == 2
    with store.read() as session:
        record = find_by_code(session, open_code)
        assert record.dossier.status == DossierStatus.RESULT_READY
        assert record.events[-1].details["source"] == "portal"
        assert session.get(CalendarOverride, date(2027, 9, 3)) is not None
        events_before = len(record.events)
    # Pulling the same page again (cursor lost) changes nothing.
    with store.write() as session:
        state.put(session, state.CURSOR, 0)
    assert run_sync_round(store, FAST).ok
    with store.read() as session:
        assert len(find_by_code(session, open_code).events) == events_before
    assert admin_view.counts()["items"] == outbox_count(store)


def test_unsupported_protocol_version_is_refused_clearly(portal: RunningPortal) -> None:
    for headers in ({PROTOCOL_HEADER: "2"}, {}):
        answer = requests.get(f"{portal.url}/v1/time", headers=headers, timeout=5)
        assert answer.status_code == 426
        body = answer.json()
        assert body["error"] == "unsupported_protocol" and body["supported"] == [1]
        assert "phiên bản" in body["message"]
    assert requests.get(f"{portal.url}/v1/time", headers={PROTOCOL_HEADER: "1"}, timeout=5).status_code == 200


def test_gzip_request_and_response_bodies(store: Store, admin: Actor, portal: RunningPortal) -> None:
    enroll_with(store, admin, portal.url, portal.admin())
    token = state.load_token(store.data_dir)
    body = gzip.compress(json.dumps({"batch_id": "b1", "items": []}).encode())
    answer = requests.post(f"{portal.url}/v1/push", data=body, timeout=5, headers={
        PROTOCOL_HEADER: "1", "Content-Encoding": "gzip", "Content-Type": "application/json",
        "Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["results"] == []
    broken = requests.post(f"{portal.url}/v1/push", data=body[:-6], timeout=5, headers={
        PROTOCOL_HEADER: "1", "Content-Encoding": "gzip", "Content-Type": "application/json",
        "Authorization": f"Bearer {token}"})
    assert broken.status_code == 400 and broken.json()["error"] == "bad_gzip"
    portal.admin().publish_catalog(json.loads((Path(__file__).parent.parent / "resources" / "catalog" /
                                               "sample-commune-catalog.json").read_text(encoding="utf-8")))
    raw = requests.get(f"{portal.url}/v1/pull", params={"limit": 50}, stream=True, timeout=5,
                       headers={PROTOCOL_HEADER: "1", "Accept-Encoding": "gzip", "Authorization": f"Bearer {token}"})
    assert raw.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(raw.raw.read()))["changes"]) == 44


def test_token_is_owner_only_and_revocation_stops_the_device(store: Store, admin: Actor,
                                                              portal: RunningPortal) -> None:
    record_activity(store, admin, 2)
    enroll_with(store, admin, portal.url, portal.admin())
    token_file = state.token_path(store.data_dir)
    assert token_file.stat().st_mode & 0o077 == 0
    token = token_file.read_text()
    with store.read() as session:
        assert all(token not in json.dumps(r.value) for r in session.exec(select(SyncState)).all())
    assert portal.admin().revoke(portal.admin().devices()[0].device_id)
    record_activity(store, admin, 1, seed=5)
    result = run_sync_round(store, FAST)
    assert not result.ok and "thu hồi" in result.error
    assert result.waiting > 0
    cli = motcua(store.data_dir, "sync")
    assert cli.returncode != 0 and "thu hồi" in cli.stderr


def test_code_used_by_another_dossier_is_quarantined_and_the_rest_goes_through(
        tmp_path: Path, portal: RunningPortal) -> None:
    first, first_admin = new_counter(tmp_path / "a")
    second, second_admin = new_counter(tmp_path / "b")  # set up wrongly with the same counter number
    try:
        admin_view = portal.admin()
        record_activity(first, first_admin, 1, seed=3)
        enroll_with(first, first_admin, portal.url, admin_view)
        assert run_sync_round(first, FAST).ok
        admin_view.revoke(admin_view.devices()[0].device_id)
        clash, *others = record_activity(second, second_admin, 3, seed=4)
        enroll_with(second, second_admin, portal.url, admin_view)
        result = run_sync_round(second, FAST)
        assert not result.ok or result.quarantine_total > 0
        with second.read() as session:
            quarantined = session.exec(select(OutboxItem).where(OutboxItem.state == state.QUARANTINED)).all()
        reasons = {r.payload.get("code"): r.quarantine_reason for r in quarantined if r.kind == "dossier.received"}
        assert clash in reasons and "đã được dùng cho hồ sơ khác" in reasons[clash]
        assert all(r.payload.get("code") == clash for r in quarantined)
        for code in others:
            assert admin_view.dossier(code) is not None
        assert result.waiting == 0
        cli = motcua(second.data_dir, "sync", "status", "--json")
        assert json.loads(cli.stdout)["quarantined"] == len(quarantined)
        assert motcua(second.data_dir, "sync").returncode != 0  # quarantine left: not done
        # Back to the queue: still refused (the code really is taken), and quarantined again with its reason.
        retried = motcua(second.data_dir, "sync", "retry", "--all")
        assert retried.returncode == 0, retried.stderr
        assert state.sync_status(second).waiting == len(quarantined)
        again = run_sync_round(second, FAST)
        assert again.quarantined == len(quarantined) and again.accepted == 0
    finally:
        first.dispose()
        second.dispose()


def test_two_counters_of_one_agency_on_the_same_day(tmp_path: Path, portal: RunningPortal) -> None:
    one, one_admin = new_counter(tmp_path / "q1", 1)
    two, two_admin = new_counter(tmp_path / "q2", 2)
    try:
        admin_view = portal.admin()
        codes_one = record_activity(one, one_admin, 4, seed=1)
        codes_two = record_activity(two, two_admin, 4, seed=2)
        enroll_with(one, one_admin, portal.url, admin_view, 1)
        enroll_with(two, two_admin, portal.url, admin_view, 2)
        assert run_sync_round(one, FAST).ok and run_sync_round(two, FAST).ok
        assert {c[-4:] for c in codes_one} == {"0001", "0002", "0003", "0004"}
        assert {c[-4:] for c in codes_two} == {"1001", "1002", "1003", "1004"}
        assert admin_view.counts()["dossiers"] == 8
        assert set(admin_view.stored_ids("item")) == outbox_ids(one) | outbox_ids(two)
        # A status change for counter 2's dossier reaches counter 2 only (counter 1 does not have it).
        target = next(c for c in codes_two if admin_view.dossier(c).status in (2, 4))  # type: ignore[union-attr]
        admin_view.post_status(target, 5, body="Phòng Tư pháp", note="Thiếu bản sao CCCD")
        r1, r2 = run_sync_round(one, FAST), run_sync_round(two, FAST)
        assert r1.ok and r2.ok and (r1.pulled, r2.pulled) == (0, 1)
        with two.read() as session:
            assert find_by_code(session, target).dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    finally:
        one.dispose()
        two.dispose()


def test_enrollment_code_is_single_use_and_bound_to_the_agency(store: Store, admin: Actor,
                                                                portal: RunningPortal) -> None:
    from app.errors import CounterError
    from sync.enrollment import enroll

    admin_view = portal.admin()
    wrong_agency = admin_view.issue_code("H99.00.00.01")
    with pytest.raises(CounterError, match="không dành cho"):
        enroll(store, admin, portal.url, wrong_agency)
    code = admin_view.issue_code("H15.50.05.13", 1)
    enroll(store, admin, portal.url, code)
    with pytest.raises(CounterError, match="đã dùng"):
        enroll(store, admin, portal.url, code)


def test_catalog_pull_while_an_intake_is_open(store: Store, admin: Actor, portal: RunningPortal) -> None:
    from app.catalog import get_procedure, spec_to_json
    from app.intake import IntakeRequest, PersonInput, all_documents, receive
    from tests.sync_tools import PROCEDURE

    enroll_with(store, admin, portal.url, portal.admin())
    earlier = record_activity(store, admin, 1)[0]
    with store.read() as session:
        _, open_form_spec = get_procedure(session, PROCEDURE)  # what the intake form on screen was built from
    changed = spec_to_json(open_form_spec)
    changed["processing"] = {"value": open_form_spec.processing_value + 5, "unit": "working_days"}
    changed["fees"] = [{"kind": "le_phi", "name": "Lệ phí mới", "amount": 15000}]
    portal.admin().publish_catalog({"procedures": [changed]})
    result = run_sync_round(store, FAST)
    assert result.ok and result.pulled == 1
    # The officer saves the form that was open during the pull.
    new = receive(store, admin, IntakeRequest(
        procedure_code=PROCEDURE, owner=PersonInput(full_name="Đặng Thị Hoa", id_number="001085012345"),
        documents=all_documents(open_form_spec)))
    with store.read() as session:
        fresh = find_by_code(session, new.code).dossier
        old = find_by_code(session, earlier).dossier
    assert (fresh.processing_value, fresh.fee_total) == (open_form_spec.processing_value + 5, 15000)
    assert (old.processing_value, old.fee_total) == (open_form_spec.processing_value, open_form_spec.fee_total)
    assert run_sync_round(store, FAST).ok  # the new intake goes up too


def test_command_line_enroll_sync_and_users_from_the_portal(store: Store, admin: Actor, portal: RunningPortal,
                                                            tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from app.users import find_user, password_matches
    from tests.portal_tools import ROOT

    record_activity(store, admin, 2)

    def portal_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "portal", "admin", *args, "--db", portal.db_url],
                              capture_output=True, text=True, cwd=ROOT, timeout=60,
                              env={**os.environ, "MOTCUA_DATA_DIR": str(tmp_path / "not-a-counter"), **env})

    issued = portal_cli("issue-code", "--agency", "H15.50.05.13", "--counter", "1")
    assert issued.returncode == 0, issued.stderr
    enrolled = motcua(store.data_dir, "sync", "enroll", "--portal", portal.url, "--code", issued.stdout.strip())
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Đã đăng ký quầy số 1" in enrolled.stdout
    added = portal_cli("add-user", "--agency", "H15.50.05.13", "cb.tuphap", "--name", "Lò Văn Pá",
                       "--role", "officer", MOTCUA_NEW_PASSWORD="matkhau-moi-1")
    assert added.returncode == 0, added.stderr
    synced = motcua(store.data_dir, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["ok"] and report["accepted"] == outbox_count(store) and report["pulled"] == 1
    with store.read() as session:
        officer = find_user(session, "cb.tuphap")
        assert officer is not None and officer.full_name == "Lò Văn Pá" and officer.active
        assert password_matches(officer.password_hash, "matkhau-moi-1")
    devices = portal_cli("devices", "--json")
    listed = json.loads(devices.stdout)
    assert listed[0]["audit_mono"] is not None and listed[0]["counter_number"] == 1
    assert not (tmp_path / "not-a-counter").exists()  # portal commands never create a counter database
    status = motcua(store.data_dir, "sync", "status")
    assert status.returncode == 0 and "chờ gửi: 0" in status.stdout
    national = portal_cli("national", portal.admin().dossier_codes()[0])
    body = json.loads(national.stdout)
    assert body["MaHoSo"].startswith("H15.50.05.13-") and len(body["NgayTiepNhan"]) == 14

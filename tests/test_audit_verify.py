"""The audit chain catches each kind of tampering at the exact first bad row.

Every test builds a real counter database with activity (setup, dossiers,
settings), then tampers with it through raw sqlite3, as someone with the file
and a SQLite tool would.
"""

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app import audit, settings
from app.audit import entry_hash
from app.audit_verify import Head, load_head, verify_chain, verify_store
from app.catalog import get_procedure
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from app.worktime import AGENCY_TZ
from tests.cli_tools import motcua

START = datetime(2026, 11, 18, 8, 0, tzinfo=AGENCY_TZ)


def _request(store: Store, n: int) -> IntakeRequest:
    with store.read() as session:
        _, spec = get_procedure(session, "1.004873")
    person = PersonInput(full_name=f"Nguyễn Văn Đức {n}", id_number=f"0010850123{n:02d}", dob=date(1985, 3, 15),
                         phone="0912 345 678", email="", address="Thôn 3, xã Tân Lập")
    return IntakeRequest(procedure_code="1.004873", owner=person, documents=all_documents(spec))


@pytest.fixture
def busy(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> Store:
    moment = START
    for n in range(6):
        moment += timedelta(minutes=7)
        set_now(moment)
        receive(store, admin, _request(store, n))
        with store.write() as session:
            settings.change(session, admin, "receipt.copies", str(1 + n % 2))
    return store


def rows(store: Store) -> list[sqlite3.Row]:
    with sqlite3.connect(store.db_path) as con:
        con.row_factory = sqlite3.Row
        return con.execute("SELECT * FROM audit_entry ORDER BY mono").fetchall()


def raw(store: Store, *statements: tuple[str, tuple[object, ...]]) -> None:
    con = sqlite3.connect(store.db_path)
    try:
        for sql, params in statements:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def report(store: Store, head: Head | None = None):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return verify_chain(session, head)


def test_clean_chain_passes(busy: Store) -> None:
    result = report(busy)
    assert result.ok and result.rows == len(rows(busy)) > 15
    assert result.summary().startswith(f"Chuỗi nhật ký toàn vẹn: {result.rows} dòng, đầu chuỗi #{result.rows}")


def test_edited_details_is_caught_at_that_row(busy: Store) -> None:
    target = rows(busy)[9]
    details = json.loads(target["details"]) | {"forged": True}
    raw(busy, ("UPDATE audit_entry SET details = ? WHERE mono = ?", (json.dumps(details), target["mono"])))
    result = report(busy)
    assert not result.ok and result.broken.mono == target["mono"] and result.broken.kind == "edited"
    assert result.broken.action == target["action"]


def test_deleted_middle_row_is_caught_at_the_row_after_the_gap(busy: Store) -> None:
    raw(busy, ("DELETE FROM audit_entry WHERE mono = 8", ()))
    result = report(busy)
    assert result.broken.kind == "deleted" and result.broken.mono == 9
    assert "mất dòng số 8" in result.broken.explanation


def test_inserted_forged_row_is_caught_at_the_forged_row(busy: Store) -> None:
    # A careful forger: makes room by renumbering, links the forged row properly and hashes it correctly.
    before = rows(busy)
    after = before[6]
    raw(busy,
        ("UPDATE audit_entry SET mono = -(mono + 1) WHERE mono > ?", (after["mono"],)),
        ("UPDATE audit_entry SET mono = -mono WHERE mono < 0", ()))
    mono = after["mono"] + 1
    at = datetime.fromisoformat(after["at"]).replace(tzinfo=UTC)
    details = {"code": "H15.50.05.13-261118-9999"}
    digest = entry_hash(mono, at, "quantri", "dossier.receive", "dossier", details["code"], details, after["hash"])
    raw(busy, ("INSERT INTO audit_entry (mono, at, actor, action, entity, entity_id, details, prev_hash, hash) "
               "VALUES (?, ?, 'quantri', 'dossier.receive', 'dossier', ?, ?, ?, ?)",
               (mono, after["at"], details["code"], json.dumps(details), after["hash"], digest)))
    result = report(busy)
    assert result.broken.kind == "inserted" and result.broken.mono == mono


def test_swapped_monos_are_caught_as_reordered(busy: Store) -> None:
    raw(busy,
        ("UPDATE audit_entry SET mono = -1 WHERE mono = 10", ()),
        ("UPDATE audit_entry SET mono = 10 WHERE mono = 13", ()),
        ("UPDATE audit_entry SET mono = 13 WHERE mono = -1", ()))
    result = report(busy)
    assert result.broken.kind == "reordered" and result.broken.mono == 10


def test_edit_with_recomputed_hash_is_caught_by_the_next_rows_link(busy: Store) -> None:
    target = rows(busy)[11]
    details = json.loads(target["details"]) | {"fee": 0}
    at = datetime.fromisoformat(target["at"]).replace(tzinfo=UTC)
    digest = entry_hash(target["mono"], at, target["actor"], target["action"], target["entity"],
                        target["entity_id"], details, target["prev_hash"])
    raw(busy, ("UPDATE audit_entry SET details = ?, hash = ? WHERE mono = ?",
               (json.dumps(details), digest, target["mono"])))
    result = report(busy)
    assert result.broken.kind == "rehashed" and result.broken.mono == target["mono"]


def test_truncated_tail_is_caught_against_the_recorded_head(busy: Store, admin: Actor) -> None:
    from app.backup import make_backup

    make_backup(busy, admin, "manual")
    head = load_head(busy.data_dir)
    assert head is not None and report(busy, head).ok
    raw(busy, ("DELETE FROM audit_entry WHERE mono >= ?", (head.mono - 2,)))
    assert report(busy).ok  # consistent in itself: only the head can tell
    result = verify_store(busy)
    assert result.broken.kind == "truncated" and result.broken.mono == head.mono - 2


def test_cli_verify_exits_1_and_names_the_row(busy: Store, data_dir: Path) -> None:
    ok = motcua(data_dir, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Chuỗi nhật ký toàn vẹn:")
    target = rows(busy)[5]
    raw(busy, ("UPDATE audit_entry SET actor = 'ke_gia_mao' WHERE mono = ?", (target["mono"],)))
    broken = motcua(data_dir, "audit", "verify")
    assert broken.returncode == 1
    assert f"dòng số {target['mono']}" in broken.stdout and target["action"] in broken.stdout
    assert "đã bị sửa" in broken.stdout
    as_json = json.loads(motcua(data_dir, "audit", "verify", "--json").stdout)
    assert as_json["ok"] is False and as_json["broken"]["mono"] == target["mono"]


def test_clock_going_backwards_writes_a_flag_row(store: Store, admin: Actor,
                                                 set_now: Callable[[datetime], None]) -> None:
    later = datetime.now(UTC) + timedelta(days=1)  # after the setup rows, which carry the real time
    set_now(later)
    with store.write() as session:
        settings.change(session, admin, "receipt.copies", "1")
    set_now(later - timedelta(minutes=1))  # within tolerance: no flag
    with store.write() as session:
        settings.change(session, admin, "receipt.copies", "2")
    set_now(later - timedelta(hours=3))
    with store.write() as session:
        settings.change(session, admin, "receipt.copies", "1")
    with store.read() as session:
        newest = audit.recent(session, 3)
    assert [r.action for r in newest] == ["setting.change", audit.CLOCK_BACKWARDS, "setting.change"]
    flag = newest[1].details
    assert flag["previous_at"] == (later - timedelta(minutes=1)).astimezone(newest[0].at.tzinfo).isoformat()
    assert flag["device_at"] == newest[0].at.isoformat() and flag["behind_seconds"] == 3 * 3600 - 60
    result = report(store)
    assert result.ok and result.clock_flags == 1

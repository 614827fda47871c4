"""Offline bundles: counter → USB file → portal database → acknowledgement file → counter, with real files."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from app.db import Store
from app.errors import CounterError
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from models.tables import OutboxItem
from sync import bundle_format as fmt
from sync import state
from sync.bundle import export_bundle, import_ack
from sync.enrollment import enroll
from sync.portal import store as t
from sync.portal.bundle_import import import_bundle
from sync.portal.service import Portal
from sync.portal.store import make_engine
from sync.protocol import EnrollRequest, EnrollResponse
from tests.cli_tools import motcua
from tests.sync_tools import new_counter, outbox_count, outbox_ids, record_activity


class DirectEnrollment:
    """Enrollment without HTTP (a USB-only commune's counter is enrolled at the portal's desk)."""

    def __init__(self, portal: Portal):
        self.portal = portal

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        return self.portal.enroll(request)


@pytest.fixture
def portal_db(tmp_path: Path) -> str:
    return str(tmp_path / "portal.sqlite3")


@pytest.fixture
def portal(portal_db: str) -> Portal:
    return Portal(make_engine(portal_db))


def enroll_direct(store: Store, admin: Actor, portal: Portal) -> None:
    code = portal.issue_code(SAMPLE_SETUP.agency_code)
    enroll(store, admin, "http://cong.tinh.invalid", code, client=DirectEnrollment(portal))  # type: ignore[arg-type]


def portal_snapshot(portal: Portal) -> dict[str, list[Any]]:
    """Every stored row of the portal's data tables (device rows carry last_seen_at, so they are left out)."""
    with portal.engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
                for name, table in (("item", t.item), ("dossier", t.dossier), ("event", t.dossier_event))}


def outbox_snapshot(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as session:
        return [(r.id, r.state, r.attempts, r.ack, r.quarantine_reason)
                for r in session.exec(select(OutboxItem).order_by(col(OutboxItem.id))).scalars()]


@pytest.fixture
def counter(store: Store, admin: Actor, portal: Portal) -> tuple[Store, Actor]:
    record_activity(store, admin, 5)
    enroll_direct(store, admin, portal)
    return store, admin


def test_round_trip_through_files_and_the_command_line(counter: tuple[Store, Actor], portal: Portal,
                                                       portal_db: str, data_dir: Path, tmp_path: Path) -> None:
    store, _ = counter
    total = outbox_count(store)
    usb = tmp_path / "usb"
    bundle_file = usb / "quay1.mcb"
    done = motcua(data_dir, "bundle", "export", "--out", str(bundle_file))
    assert done.returncode == 0, done.stderr
    assert f"Đã ghi {total} mục" in done.stdout
    assert not list(usb.glob("*.partial"))
    assert bundle_file.read_bytes().startswith(b"MOTCUA-BUNDLE\n")
    # Exporting takes nothing out of the queue: a lost stick costs nothing.
    assert state.sync_status(store).waiting == total

    done = motcua(data_dir, "portal", "import", str(bundle_file), "--db", portal_db)
    assert done.returncode == 0, done.stderr
    assert f"{total} mục mới" in done.stdout
    assert set(portal.stored_ids("item")) == outbox_ids(store)
    assert portal.counts()["dossiers"] == 5
    ack_file = usb / "quay1.mcb.ack"
    assert ack_file.read_bytes().startswith(b"MOTCUA-ACK\n")

    done = motcua(data_dir, "bundle", "import-ack", str(ack_file))
    assert done.returncode == 0, done.stderr
    assert f"{total} mục đã gửi xong" in done.stdout
    status = state.sync_status(store)
    assert (status.waiting, status.quarantined, status.delivered) == (0, 0, total)
    assert status.last_success is not None

    # Nothing left to carry: export says so instead of writing an empty bundle.
    done = motcua(data_dir, "bundle", "export", "--out", str(usb / "again.mcb"))
    assert done.returncode == 1 and "Không có mục nào chờ gửi" in done.stderr
    assert not (usb / "again.mcb").exists()


def test_second_import_and_second_ack_change_nothing(counter: tuple[Store, Actor], portal: Portal,
                                                     tmp_path: Path) -> None:
    store, admin = counter
    total = outbox_count(store)
    bundle_file = tmp_path / "b.mcb"
    export_bundle(store, admin, bundle_file)
    first = import_bundle(portal, bundle_file, tmp_path / "first.ack")
    assert first.count("accepted") == total
    stored = portal_snapshot(portal)

    second = import_bundle(portal, bundle_file, tmp_path / "second.ack")
    assert second.count("duplicate") == total and second.count("accepted") == 0
    assert portal_snapshot(portal) == stored

    report = import_ack(store, admin, tmp_path / "first.ack")
    assert (report.delivered, report.quarantined, report.unchanged) == (total, 0, 0)
    after_first = outbox_snapshot(store)
    report = import_ack(store, admin, tmp_path / "second.ack")
    assert (report.delivered, report.quarantined, report.unchanged) == (0, 0, total)
    report = import_ack(store, admin, tmp_path / "first.ack")
    assert report.unchanged == total
    assert outbox_snapshot(store) == after_first


def test_rejected_items_are_quarantined_with_the_portals_reason(counter: tuple[Store, Actor], portal: Portal,
                                                                 tmp_path: Path) -> None:
    store, admin = counter
    with store.write() as session:
        first = session.exec(select(OutboxItem).where(OutboxItem.kind == "dossier.received")
                             .order_by(col(OutboxItem.id))).scalars().first()
        assert first is not None
        # A code of another agency: the portal refuses it, and every later step of that dossier with it.
        first.payload = {**first.payload, "code": "XX-" + first.payload["code"]}
        session.add(first)
        bad_dossier = first.entity_id
    export_bundle(store, admin, tmp_path / "b.mcb")
    report = import_bundle(portal, tmp_path / "b.mcb", tmp_path / "b.ack")
    assert report.count("rejected") >= 1
    ack = import_ack(store, admin, tmp_path / "b.ack")
    assert ack.quarantined == report.count("rejected") and ack.delivered == report.count("accepted")
    with store.read() as session:
        held = session.exec(select(OutboxItem).where(OutboxItem.state == state.QUARANTINED)).scalars().all()
    assert {r.entity_id for r in held} == {bad_dossier}
    reasons = {r.kind: r.quarantine_reason for r in held}
    assert "không thuộc cơ quan" in reasons["dossier.received"]
    assert all(reasons.values())
    assert state.sync_status(store).waiting == 0


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _refused(portal: Portal, data: bytes, tmp_path: Path, needle: str) -> None:
    bad = tmp_path / "bad.mcb"
    bad.write_bytes(data)
    before = portal_snapshot(portal)
    with pytest.raises(CounterError) as caught:
        import_bundle(portal, bad, tmp_path / "bad.ack")
    assert needle in str(caught.value), str(caught.value)
    assert portal_snapshot(portal) == before
    assert not (tmp_path / "bad.ack").exists()


def test_damaged_bundles_are_refused_and_store_nothing(counter: tuple[Store, Actor], portal: Portal,
                                                       tmp_path: Path) -> None:
    store, admin = counter
    export_bundle(store, admin, tmp_path / "b.mcb")
    good = (tmp_path / "b.mcb").read_bytes()
    manifest_end = good.index(b"\n", len(fmt.BUNDLE_MAGIC))
    signature_end = good.index(b"\n", manifest_end + 1)
    # One byte changed anywhere: the magic line, the manifest, the signature, the body's first and last byte.
    for at in (3, manifest_end - 5, manifest_end + 10, signature_end + 1, len(good) - 1, len(good) // 2):
        _refused(portal, _flip(good, at), tmp_path, "")
    _refused(portal, _flip(good, len(good) - 1), tmp_path, "SHA-256")
    _refused(portal, _flip(good, manifest_end + 10), tmp_path, "Chữ ký")
    _refused(portal, good[:len(good) - 100], tmp_path, "không trọn vẹn")
    _refused(portal, good[:manifest_end // 2], tmp_path, "bị cắt cụt")
    _refused(portal, good + b"\n", tmp_path, "không trọn vẹn")
    _refused(portal, b"PK\x03\x04 not ours", tmp_path, "không phải gói dữ liệu")
    # The good bundle still imports after all that.
    assert import_bundle(portal, tmp_path / "b.mcb", tmp_path / "b.ack").count("accepted") == outbox_count(store)


def _resigned(store: Store, data: bytes, change: dict[str, Any]) -> bytes:
    """The same bundle with its manifest changed and properly re-signed by this counter's key."""
    from app.device_key import signer_for

    container = fmt.unpack(data, fmt.BUNDLE_MAGIC)
    manifest = {**container.manifest, **change}
    signed = fmt.signed_part(fmt.BUNDLE_MAGIC, manifest)
    with store.read() as session:
        signer, _ = signer_for(session)
    assert signer is not None
    return fmt.pack(signed, signer.sign(signed), container.body)


def test_foreign_and_wrong_version_bundles_are_refused(counter: tuple[Store, Actor], portal: Portal,
                                                       tmp_path: Path) -> None:
    store, admin = counter
    export_bundle(store, admin, tmp_path / "b.mcb")
    good = (tmp_path / "b.mcb").read_bytes()
    _refused(portal, _resigned(store, good, {"version": 2}), tmp_path, "phiên bản định dạng 2")
    _refused(portal, _resigned(store, good, {"agency_code": "H99.99"}), tmp_path, "đăng ký cho")

    # A second counter of the same agency, not enrolled: its bundle is from a stranger.
    other_store, other_admin = new_counter(tmp_path / "other", counter_number=2)
    try:
        record_activity(other_store, other_admin, 1, seed=7)
        export_bundle(other_store, other_admin, tmp_path / "other.mcb")
        other = (tmp_path / "other.mcb").read_bytes()
        _refused(portal, other, tmp_path, "chưa đăng ký với cổng")
        # Once enrolled, a bundle of it that claims to be counter 1's device fails the signature check.
        enroll_direct(other_store, other_admin, portal)
        with store.read() as session:
            from app.profile import load_profile
            mine = load_profile(session)
        forged = _resigned(other_store, other, {"device_id": mine.device_id, "counter_number": 1})
        _refused(portal, forged, tmp_path, "khóa khác")
        forged = _resigned(other_store, other, {"device_id": mine.device_id, "counter_number": 1,
                                                "public_key": None})
        _refused(portal, forged, tmp_path, "Chữ ký của gói không đúng")
        # Its own, untouched bundle imports: it is now a known device.
        assert import_bundle(portal, tmp_path / "other.mcb", tmp_path / "other.ack").count("accepted") > 0
        # …and its acknowledgement is refused by counter 1.
        before = outbox_snapshot(store)
        with pytest.raises(CounterError, match="dành cho máy khác"):
            import_ack(store, admin, tmp_path / "other.ack")
        assert outbox_snapshot(store) == before
    finally:
        other_store.dispose()


def test_damaged_and_wrong_acks_are_refused_and_change_nothing(counter: tuple[Store, Actor], portal: Portal,
                                                               data_dir: Path, tmp_path: Path) -> None:
    store, admin = counter
    export_bundle(store, admin, tmp_path / "b.mcb")
    import_bundle(portal, tmp_path / "b.mcb", tmp_path / "b.ack")
    good = (tmp_path / "b.ack").read_bytes()
    before = outbox_snapshot(store)
    manifest_end = good.index(b"\n", len(fmt.ACK_MAGIC))
    bad = tmp_path / "bad.ack"

    def refused(data: bytes, needle: str) -> None:
        bad.write_bytes(data)
        with pytest.raises(CounterError) as caught:
            import_ack(store, admin, bad)
        assert needle in str(caught.value), str(caught.value)
        assert outbox_snapshot(store) == before

    for at in range(0, len(good), max(1, len(good) // 40)):
        refused(_flip(good, at), "")
    # A digit of the timestamp changed: still well-formed JSON, only the seal can tell.
    refused(_flip(good, good.index(b'"created_at":"') + 16), "dấu xác thực")
    refused(good[:-1], "không trọn vẹn")
    refused((tmp_path / "b.mcb").read_bytes(), "là gói dữ liệu, không phải tệp xác nhận")
    manifest = json.loads(good[len(fmt.ACK_MAGIC):manifest_end])
    refused(fmt.ACK_MAGIC + json.dumps({**manifest, "version": 9}).encode() + good[manifest_end:], "phiên bản")

    # Through the command line the officer reads the reason, in Vietnamese, and the queue is untouched.
    bad.write_bytes(_flip(good, len(good) - 2))
    done = motcua(data_dir, "bundle", "import-ack", str(bad))
    assert done.returncode == 1 and done.stderr.startswith("Lỗi: ") and "SHA-256" in done.stderr
    assert outbox_snapshot(store) == before
    assert import_ack(store, admin, tmp_path / "b.ack").delivered == outbox_count(store)


def test_export_without_a_usable_device_key_is_refused(counter: tuple[Store, Actor], tmp_path: Path) -> None:
    from app.device_key import key_path

    store, admin = counter
    key_path(store.data_dir).unlink()
    with pytest.raises(CounterError, match="Không ký được gói dữ liệu") as caught:
        export_bundle(store, admin, tmp_path / "b.mcb")
    assert "motcua key new" in str(caught.value)
    assert not (tmp_path / "b.mcb").exists()

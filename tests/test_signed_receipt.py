"""Signed receipts: the counter's device key, the statement in form 01's QR code, and checking it.

Slips are printed for real, rendered to pixels and their QR codes decoded from
the picture, the way a reader with a phone or a scanner would.
"""

import base64
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.barcode.qrencoder import QR8bitByte
from sqlmodel import col, select

from app import settings
from app.bootstrap import initialise_counter, open_store
from app.catalog import get_procedure
from app.db import Store
from app.device_key import (
    KeyState,
    decode_public_key,
    key_id,
    key_path,
    key_status,
    replace_device_key,
)
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from app.profile import SAMPLE_SETUP, CounterSetup, load_profile
from app.receipt_scan import read_pdf_codes
from app.receipt_statement import Statement, b32, build_statement, owner_hash
from app.receipt_verify import (
    Failure,
    ReceiptInvalid,
    read_public_key,
    verify_receipt,
    verify_statement,
)
from app.worktime import AGENCY_TZ
from models.tables import AuditEntry, CounterProfile
from printing.barcodes import qr_matrix
from printing.form01 import render_receipt
from printing.receipts import receipt_data, render_receipt_for
from tests.cli_tools import motcua
from tests.pdf_tools import decode, write

needs_tools = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdfinfo")),
                                 reason="poppler-utils and zbar-tools are installed by `make test`")

OWNER_ID = "001085012345"


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AGENCY_TZ)  # type: ignore[misc]


def receive_one(store: Store, actor: Actor, name: str = "Nguyễn Thị Hồng Nhung", id_number: str = OWNER_ID) -> str:
    with store.read() as session:
        _, spec = get_procedure(session, "1.004873")
    return receive(store, actor, IntakeRequest(
        procedure_code="1.004873", documents=all_documents(spec),
        owner=PersonInput(full_name=name, id_number=id_number, address="Thôn Nà Hẩu, xã Tân Lập"))).code


def public_key_of(store: Store) -> bytes:
    with store.read() as session:
        return decode_public_key(load_profile(session).public_key)


def rasterise(pdf: Path, tmp_path: Path, dpi: int) -> Path:
    prefix = tmp_path / f"slip-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True, capture_output=True)
    return prefix.with_suffix(".png")


@pytest.fixture
def slip(store: Store, admin: Actor, set_now, tmp_path: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """One dossier received on a Monday morning, its form 01 printed to a PDF file."""
    set_now(local(2026, 11, 16, 9, 15, 42))
    code = receive_one(store, admin)
    with store.read() as session:
        pdf = render_receipt_for(session, code)
    return code, write(tmp_path, pdf, "giay-hen.pdf")


@pytest.fixture
def statement(store: Store, slip: tuple[str, Path]) -> str:
    """The QR text printed on the slip (that it reads back off the paper is checked below)."""
    with store.read() as session:
        return receipt_data(session, slip[0]).qr_payload


@pytest.fixture
def other_counter(tmp_path: Path) -> Store:
    """A second counter (another commune) with its own key."""
    other = open_store(tmp_path / "other-counter")
    initialise_counter(other, CounterSetup(
        agency_code="000.00.27.H41", agency_name="Ủy ban nhân dân xã Bảo Nhai", parent_name="Ủy ban nhân dân tỉnh Lào Cai",
        level=SAMPLE_SETUP.level, counter_number=2, admin_username="quantri", admin_full_name="Lò Văn Páo",
        admin_password="matkhau-2026"), catalog_file=None)
    yield other
    other.dispose()


# ------------------------------------------------------------ the device key

def test_setup_makes_a_key_pair_and_records_it(store: Store, data_dir: Path) -> None:
    path = key_path(data_dir)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    with store.read() as session:
        profile = load_profile(session)
        status, private = key_status(data_dir, profile)
        created = session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.create").order_by(col(AuditEntry.mono))).all()
    assert status.state is KeyState.READY and private is not None
    assert len(decode_public_key(profile.public_key)) == 32
    assert [row.details["key_id"] for row in created] == [key_id(profile.public_key)]
    assert not list(path.parent.glob("*.partial"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; on Windows the user's data folder ACL applies")
def test_private_key_is_readable_by_the_owner_only(store: Store, admin: Actor, data_dir: Path) -> None:
    path = key_path(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    replace_device_key(store, admin)  # a replaced key is written the same way
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # copied back by hand from a USB stick
    with store.read() as session:
        assert key_status(data_dir, load_profile(session))[0].state is KeyState.READY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_counter_from_before_signed_receipts_gets_a_key_at_next_open(store: Store, data_dir: Path) -> None:
    store.dispose()
    key_path(data_dir).unlink()
    with sqlite3.connect(store.db_path) as raw:
        raw.execute("UPDATE counter_profile SET public_key = ''")
    reopened = open_store(data_dir)
    try:
        with reopened.read() as session:
            profile = load_profile(session)
            rows = session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.create").order_by(col(AuditEntry.mono))).all()
            status, _ = key_status(data_dir, profile)
        assert status.state is KeyState.READY
        assert rows[-1].details == {"key_id": key_id(profile.public_key), "reason": "existing counter without a key"}
    finally:
        reopened.dispose()


def test_a_key_file_without_a_profile_entry_is_kept_not_replaced(store: Store, data_dir: Path) -> None:
    """A database restored from before the key was recorded: slips may carry that key already."""
    before = public_key_of(store)
    store.dispose()
    with sqlite3.connect(store.db_path) as raw:
        raw.execute("UPDATE counter_profile SET public_key = ''")
    reopened = open_store(data_dir)
    try:
        assert public_key_of(reopened) == before
        with reopened.read() as session:
            assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.adopt")).all()) == 1
    finally:
        reopened.dispose()


def test_missing_private_key_is_reported_and_slips_print_unsigned_until_an_admin_replaces_it(
        store: Store, admin: Actor, data_dir: Path) -> None:
    before = public_key_of(store)
    key_path(data_dir).unlink()  # data directory restored without keys/
    store.dispose()
    reopened = open_store(data_dir)
    try:
        with reopened.read() as session:
            status, _ = key_status(data_dir, load_profile(session))
            keys_made = len(session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.create")).all())
        assert status.state is KeyState.MISSING
        assert "KHÔNG có chữ ký" in status.message and "motcua key new" in status.message
        assert public_key_of(reopened) == before and keys_made == 1  # nothing made behind the officer's back
        code = receive_one(reopened, admin)
        with reopened.read() as session:
            assert receipt_data(session, code).qr_payload == code  # the citizen still gets a slip
        with pytest.raises(ReceiptInvalid) as failed:
            verify_statement(code, before)
        assert "không có chuỗi xác thực đã ký" in str(failed.value)

        replace_device_key(reopened, admin)
        after = public_key_of(reopened)
        with reopened.read() as session:
            row = session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.create").order_by(col(AuditEntry.mono))).all()[-1]
            signed = receipt_data(session, code).qr_payload
        assert after != before
        assert row.actor == admin.username and row.details["replaced_key_id"] == key_id(before)
        assert verify_statement(signed, after).statement.code == code
    finally:
        reopened.dispose()


# ------------------------------------------------------------ the printed slip verifies

@needs_tools
def test_printed_slip_verifies_through_the_pdf_and_through_the_qr_text(
        store: Store, slip: tuple[str, Path], statement: str, tmp_path: Path) -> None:
    code, pdf = slip
    public_key = public_key_of(store)
    with store.read() as session:
        dossier = receipt_data(session, code)

    scanned = [t for page in read_pdf_codes(pdf) for t in page.qr]
    assert scanned == [statement, statement]  # one per copy (liên)
    by_pdf = verify_receipt(str(pdf), public_key, OWNER_ID)
    by_text = verify_receipt(statement, public_key)
    for verified in (by_pdf, by_text):
        assert verified.statement.code == code
        assert verified.statement.agency_code == SAMPLE_SETUP.agency_code
        assert verified.received_at == local(2026, 11, 16, 9, 15)  # minute precision
        assert dossier.due_at is not None
        assert verified.due_at == dossier.due_at.astimezone(AGENCY_TZ).replace(second=0, microsecond=0)
    assert by_pdf.owner_checked and not by_text.owner_checked
    lines = "\n".join(by_pdf.lines())
    assert lines.startswith("Hợp lệ")
    assert "09 giờ 15 phút, ngày 16/11/2026" in lines and code in lines

    # Compact enough for a phone at 22 mm: version 7 (45 modules, 0.41 mm each), alphanumeric only.
    assert statement.startswith(f"MC1:{code}:2611160915:")
    assert len(statement) == 177 and statement == statement.upper() and statement.isascii()
    assert len(qr_matrix(statement)) == 45
    # zbar reads it off the page at 300 dpi and even at 150 dpi; the Code128 stays the bare code.
    for dpi in (300, 150):
        png = rasterise(pdf, tmp_path, dpi)
        assert decode(png, "qrcode") == [statement], dpi
        assert decode(png, "code128") == [code], dpi
        # A scan or photo of the slip is checked the same way.
        assert verify_receipt(str(png), public_key).statement.code == code


@needs_tools
def test_pdf_says_what_it_is_and_for_which_agency(slip: tuple[str, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(slip[1])], capture_output=True, text=True, check=True).stdout
    assert f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {slip[0]}" in info
    subject = next(line for line in info.splitlines() if line.startswith("Subject:"))
    assert SAMPLE_SETUP.agency_name in subject


@needs_tools
def test_lookup_url_carries_the_statement_and_still_verifies(store: Store, admin: Actor, tmp_path: Path) -> None:
    with store.write() as session:
        settings.LOOKUP_URL_TEMPLATE.set(session, "https://dichvucong.laocai.gov.vn/tra-cuu?ma={code}")
    code = receive_one(store, admin)
    with store.read() as session:
        pdf = write(tmp_path, render_receipt_for(session, code))
    qr = decode(rasterise(pdf, tmp_path, 300), "qrcode")
    assert len(qr) == 1 and qr[0].startswith(f"https://dichvucong.laocai.gov.vn/tra-cuu?ma={code}&xt=MC1:{code}:")
    # The statement keeps its alphanumeric segment inside the URL: version 10 rather than 11 in byte mode.
    assert len(qr_matrix(qr[0])) == 57
    all_bytes = QrCodeWidget([QR8bitByte(qr[0])], barLevel="M").qr
    all_bytes.make()
    assert all_bytes.getModuleCount() == 61
    assert verify_receipt(str(pdf), public_key_of(store)).statement.code == code
    assert verify_receipt(qr[0], public_key_of(store)).statement.code == code


# ------------------------------------------------------------ what is rejected, and why

def _replace_field(text: str, index: int, value: str) -> str:
    fields = text.split(":")
    fields[index] = value
    return ":".join(fields)


def _sign_with(private: Ed25519PrivateKey, statement: str, kid: str) -> str:
    s = Statement(*statement.split(":")[1:6])
    return build_statement_like(s, kid, private)


def build_statement_like(s: Statement, kid: str, private: Ed25519PrivateKey) -> str:
    unsigned = Statement(s.code, s.received, s.due, s.owner_hash, kid)
    return Statement(s.code, s.received, s.due, s.owner_hash, kid, b32(private.sign(unsigned.message()))).text()


def test_one_changed_character_in_the_payload_is_rejected(store: Store, statement: str) -> None:
    public_key = public_key_of(store)
    later = statement.replace(":2611160915:", ":2611160955:")  # received 40 minutes later
    other_code = statement.replace("-0001:", "-0002:", 1)
    for altered in (later, other_code):
        assert altered != statement
        with pytest.raises(ReceiptInvalid) as failed:
            verify_statement(altered, public_key)
        assert failed.value.failure is Failure.BAD_SIGNATURE
        assert "nội dung mã QR đã bị sửa" in str(failed.value)


def test_signature_swapped_in_from_another_dossier_is_rejected(store: Store, admin: Actor, statement: str) -> None:
    second = receive_one(store, admin, "Lò Văn Páo", "011090001234")
    with store.read() as session:
        other = receipt_data(session, second).qr_payload
    swapped = _replace_field(statement, 6, other.split(":")[6])
    with pytest.raises(ReceiptInvalid) as failed:
        verify_statement(swapped, public_key_of(store))
    assert failed.value.failure is Failure.BAD_SIGNATURE
    assert verify_statement(other, public_key_of(store)).statement.code == second


def test_another_counters_key_does_not_verify_this_counters_slip(statement: str, other_counter: Store) -> None:
    with pytest.raises(ReceiptInvalid) as failed:
        verify_statement(statement, public_key_of(other_counter))
    assert failed.value.failure is Failure.WRONG_KEY
    assert key_id(public_key_of(other_counter)) in str(failed.value)


@pytest.mark.parametrize("keep", [176, 120, 60, 20])
def test_truncated_text_is_rejected_as_truncated(store: Store, statement: str, keep: int) -> None:
    with pytest.raises(ReceiptInvalid) as failed:
        verify_statement(statement[:keep], public_key_of(store))
    assert failed.value.failure is Failure.TRUNCATED
    assert "bị cắt cụt" in str(failed.value)


def test_statement_forged_with_a_different_key_is_rejected(store: Store, statement: str) -> None:
    public_key = public_key_of(store)
    forger = Ed25519PrivateKey.generate()
    forger_kid = key_id(forger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    later_due = _replace_field(statement, 3, "2612311700")
    # Honest about its own key: the key id already gives it away.
    with pytest.raises(ReceiptInvalid) as own_kid:
        verify_statement(_sign_with(forger, later_due, forger_kid), public_key)
    assert own_kid.value.failure is Failure.WRONG_KEY
    # Copying the counter's key id does not help: the signature does not check out.
    with pytest.raises(ReceiptInvalid) as copied_kid:
        verify_statement(_sign_with(forger, later_due, key_id(public_key)), public_key)
    assert copied_kid.value.failure is Failure.BAD_SIGNATURE


@pytest.mark.parametrize(("mangle", "failure", "says"), [
    (lambda s: s.replace("MC1:", "MC2:", 1), Failure.VERSION, "MC2"),
    (lambda s: "xin chào", Failure.MALFORMED, "Không tìm thấy chuỗi xác thực"),
    (lambda s: _replace_field(s, 2, "2613160915"), Failure.MALFORMED, "thời gian nhận"),  # month 13
    (lambda s: s + ":THEM", Failure.MALFORMED, "8 trường"),
    (lambda s: _replace_field(s, 6, "1" * 103), Failure.MALFORMED, "chữ ký"),
])
def test_malformed_text_names_what_is_wrong(store: Store, statement: str, mangle, failure: Failure,  # type: ignore[no-untyped-def]
                                            says: str) -> None:
    with pytest.raises(ReceiptInvalid) as failed:
        verify_statement(mangle(statement), public_key_of(store))
    assert failed.value.failure is failure
    assert says in str(failed.value)


def test_pdf_whose_barcode_and_signed_qr_disagree_is_rejected(store: Store, statement: str,
                                                              tmp_path: Path) -> None:
    """A genuine QR pasted onto another dossier's slip."""
    code = statement.split(":")[1]
    with store.read() as session:
        data = receipt_data(session, code)
    import dataclasses

    other = code[:-4] + "0099"
    pdf = write(tmp_path, render_receipt(dataclasses.replace(data, code=other)), "ghep.pdf")
    with pytest.raises(ReceiptInvalid) as failed:
        verify_receipt(str(pdf), public_key_of(store))
    assert failed.value.failure is Failure.MISMATCHED_BARCODE
    assert other in str(failed.value)


# ------------------------------------------------------------ the owner's identity number

def test_owner_id_hash_checks_the_id_without_carrying_it(store: Store, admin: Actor, statement: str) -> None:
    public_key = public_key_of(store)
    code = statement.split(":")[1]
    assert OWNER_ID not in statement
    assert verify_statement(statement, public_key, " 0010 8501 2345 ").owner_checked  # spacing does not matter
    with pytest.raises(ReceiptInvalid) as failed:
        verify_statement(statement, public_key, "001085012346")
    assert failed.value.failure is Failure.OWNER_MISMATCH
    # Salted with the dossier code: the same person's two slips carry unrelated values.
    second = receive_one(store, admin)
    assert owner_hash(code, OWNER_ID) != owner_hash(second, OWNER_ID)
    with store.read() as session:
        assert receipt_data(session, second).qr_payload.split(":")[4] == owner_hash(second, OWNER_ID)


def test_statement_format_is_what_the_documentation_says() -> None:
    """The worked example in docs/signed-receipt.md, from its fixed seed, byte for byte."""
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    text = build_statement("H15.50.05.13-261116-0001", local(2026, 11, 16, 9, 15, 42), local(2026, 11, 19, 9, 15),
                           OWNER_ID, key_id(raw), private.sign)
    doc = (Path(__file__).resolve().parent.parent / "docs" / "signed-receipt.md").read_text(encoding="utf-8")
    assert base64.b64encode(raw).decode() in doc
    assert text in doc
    assert verify_statement(text, raw, OWNER_ID).owner_checked


# ------------------------------------------------------------ the command line

def test_verify_receipt_command_exit_codes(store: Store, slip: tuple[str, Path], statement: str,
                                           data_dir: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "khoa-cong-khai.txt"
    shown = motcua(data_dir, "key", "show")
    assert shown.returncode == 0, shown.stderr
    exported = motcua(data_dir, "key", "export", "--out", str(key_file))
    assert exported.returncode == 0, exported.stderr
    text = key_file.read_text(encoding="utf-8")
    assert text.startswith("# Quầy Một cửa - khóa công khai Ed25519")
    assert SAMPLE_SETUP.agency_name in text and "-----BEGIN PUBLIC KEY-----" in text
    assert read_public_key(str(key_file)) == public_key_of(store)
    base64_key = base64.b64encode(public_key_of(store)).decode()
    assert base64_key in shown.stdout and key_id(base64_key) in shown.stdout
    with store.read() as session:
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "device_key.export")).all()) == 1

    ok = motcua(data_dir, "verify-receipt", str(slip[1]), "--public-key", str(key_file), "--owner-id", OWNER_ID)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("Hợp lệ") and slip[0] in ok.stdout and "16/11/2026" in ok.stdout
    by_text = motcua(data_dir, "verify-receipt", statement, "--public-key", base64_key)
    assert by_text.returncode == 0, by_text.stdout + by_text.stderr
    # Whoever checks a slip (the portal, an inspector) has no counter database, and none is created for them.
    elsewhere = tmp_path / "nguoi-kiem-tra"
    checked = motcua(elsewhere, "verify-receipt", statement, "--public-key", base64_key)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not elsewhere.exists()

    altered = statement.replace(":2611160915:", ":2611160955:")
    bad = motcua(data_dir, "verify-receipt", altered, "--public-key", str(key_file))
    assert bad.returncode == 1 and bad.stdout.startswith("Không hợp lệ: Chữ ký không hợp lệ")
    wrong_owner = motcua(data_dir, "verify-receipt", str(slip[1]), "--public-key", base64_key,
                         "--owner-id", "001085012346")
    assert wrong_owner.returncode == 1 and "KHÔNG khớp" in wrong_owner.stdout
    bad_key = motcua(data_dir, "verify-receipt", statement, "--public-key", "không-phải-khóa")
    assert bad_key.returncode == 1 and bad_key.stderr.startswith("Lỗi:")


def test_key_new_refuses_to_replace_a_working_key_without_force(store: Store, data_dir: Path) -> None:
    before = public_key_of(store)
    refused = motcua(data_dir, "key", "new")
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert public_key_of(store) == before
    forced = motcua(data_dir, "key", "new", "--force")
    assert forced.returncode == 0, forced.stderr
    assert public_key_of(store) != before
    with store.read() as session:
        assert session.get(CounterProfile, 1).public_key == base64.b64encode(public_key_of(store)).decode()

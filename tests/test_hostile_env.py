"""A hostile machine (issue #7): full disk, read-only data folder, a locked database, the clock set back,
a printer that goes away. Each gives a clear Vietnamese message (non-zero exit headless) and loses nothing.

The full and read-only disks are small tmpfs mounts, which need root (this machine and CI run as root);
elsewhere those tests are skipped with the reason shown.
"""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.audit_verify import verify_chain
from app.bootstrap import initialise_counter, open_store
from app.db import Store
from app.errors import CounterError
from app.intake import IntakeRequest, PersonInput, receive
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.worktime import AGENCY_TZ
from tests.reliability.checker import Reported, check_store

ROOT = Path(__file__).resolve().parent.parent
RECEIVE = ["receive", "--procedure", "1.001193", "--owner-name", "Nguyễn Văn Bình", "--owner-id", "001085123456",
           "--documents", "all"]
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")


def motcua(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    # The sample administrator (conftest's counter); headless commands name who acts.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOTCUA_USER": "quantri", "MOTCUA_PASSWORD": "motcua2026"}
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(data_dir), *args], cwd=ROOT, env=env,
                          check=False, capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def dossier_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "motcua.sqlite3") as conn:
        return int(conn.execute("SELECT count(*) FROM dossier").fetchone()[0])


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _ready_counter(data_dir: Path) -> None:
    store = open_store(data_dir)
    initialise_counter(store, SAMPLE_SETUP)
    store.dispose()
    assert motcua(data_dir, *RECEIVE).returncode == 0


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


@needs_root
def test_disk_full_during_intake(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    _ready_counter(data_dir)
    # Keep the WAL and its index open but empty, so the intake's first page must grow a file on a full disk.
    keeper = sqlite3.connect(data_dir / "motcua.sqlite3")
    keeper.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = _fill(small_disk)
    try:
        refused = motcua(data_dir, *RECEIVE)
        assert refused.returncode == 1, refused.stderr
        assert "Traceback" not in refused.stderr
        assert refused.stderr.startswith("Lỗi: Ổ đĩa đã đầy"), refused.stderr
    finally:
        filler.unlink()
        keeper.close()
    assert dossier_count(data_dir) == 1
    assert check_store(data_dir, Reported()) == []
    again = motcua(data_dir, *RECEIVE)
    assert again.returncode == 0, again.stderr
    assert dossier_count(data_dir) == 2


@needs_root
def test_read_only_data_directory(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    _ready_counter(data_dir)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        refused = motcua(data_dir, *RECEIVE)
        assert refused.returncode == 1, refused.stderr
        assert "Traceback" not in refused.stderr
        message = refused.stderr.strip().splitlines()[-1]
        assert message.startswith("Lỗi: ") and "chỉ đọc" in message, refused.stderr
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert dossier_count(data_dir) == 1
    assert check_store(data_dir, Reported()) == []


def test_database_locked_by_another_process(store: Store, data_dir: Path) -> None:
    script = (f"import sqlite3, time\nc = sqlite3.connect({str(store.db_path)!r}, isolation_level=None)\n"
              "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = datetime.now()
        refused = motcua(data_dir, *RECEIVE, timeout=90)
        waited = (datetime.now() - started).total_seconds()
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.startswith("Lỗi: Cơ sở dữ liệu đang bị một chương trình khác giữ"), refused.stderr
    assert waited < 60  # busy_timeout (15 s), then a message: no hang
    assert dossier_count(data_dir) == 0
    assert motcua(data_dir, *RECEIVE).returncode == 0


def test_clock_moved_back_a_day(store: Store, admin: Actor, data_dir: Path, set_now) -> None:  # type: ignore[no-untyped-def]
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=AGENCY_TZ)

    def take() -> str:
        return receive(store, admin, IntakeRequest(
            procedure_code="1.001193", owner=PersonInput(full_name="Lò Thị Sen", id_number="001085123456"),
            accept_missing_required=True)).code

    set_now(monday)
    codes = [take(), take()]
    set_now(monday - timedelta(days=1))  # someone set the PC's date back
    codes.append(take())
    set_now(monday + timedelta(minutes=5))  # and forward again
    codes.append(take())
    assert len(set(codes)) == 4
    with store.read() as session:
        report = verify_chain(session)
    assert report.ok, report.summary()
    assert report.clock_flags >= 1
    assert check_store(data_dir, Reported()) == []


# --- a printer that goes away -------------------------------------------------

def _receipt_pdf(store: Store, admin: Actor) -> bytes:
    from printing.receipts import render_receipt_for

    code = receive(store, admin, IntakeRequest(
        procedure_code="1.001193", owner=PersonInput(full_name="Vàng A Sử", id_number="001085123456"),
        accept_missing_required=True)).code
    with store.read() as session:
        return render_receipt_for(session, code)


def _file_printer(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printer_gone_before_the_job(qtbot, store: Store, admin: Actor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.pdf_preview import print_pdf

    pdf = _receipt_pdf(store, admin)
    gone = tmp_path / "may-in"
    gone.mkdir()
    printer = _file_printer(gone / "out.pdf")
    gone.rmdir()
    with pytest.raises(CounterError, match="Không mở được máy in"):
        print_pdf(pdf, printer)


@needs_root
def test_printer_fails_mid_job(qtbot, store: Store, admin: Actor, small_disk: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.pdf_preview import print_pdf

    pdf = _receipt_pdf(store, admin)
    filler = _fill(small_disk)
    filler.write_bytes(b"\0" * (filler.stat().st_size - 4096))  # room to start the job, not to finish it
    with pytest.raises(CounterError) as refused:
        print_pdf(pdf, _file_printer(small_disk / "out.pdf"))
    assert "máy in" in str(refused.value).lower()


def test_gui_print_failure_is_told_and_not_recorded(qtbot, store: Store, admin: Actor, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    import ui.pdf_preview as preview
    from ui.tasks import TaskRunner

    gone = tmp_path / "may-in"

    class VanishingPrinterDialog:
        """The officer picks a printer that is unplugged as the job starts."""

        def __init__(self, printer, parent=None):  # type: ignore[no-untyped-def]
            printer.setOutputFormat(printer.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(gone / "out.pdf"))

        def setWindowTitle(self, title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    warnings: list[str] = []
    monkeypatch.setattr(preview, "QPrintDialog", VanishingPrinterDialog)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    runner = TaskRunner()
    dialog = preview.PdfPreviewDialog("Giấy hẹn", _receipt_pdf(store, admin), "giay-hen.pdf", runner)
    qtbot.addWidget(dialog)
    delivered: list[str] = []
    dialog.delivered.connect(delivered.append)
    dialog._on_print()
    qtbot.waitUntil(lambda: bool(warnings), timeout=30000)
    assert "máy in" in warnings[0].lower() and delivered == []
    assert dialog.print_button.isEnabled()
    runner.wait_for_done()


@needs_root
def test_gui_disk_full_during_intake(qtbot, small_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from app.profile import load_profile
    from tests.gui_helpers import type_text
    from ui.context import CounterContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    data_dir = small_disk / "data"
    store = open_store(data_dir)
    admin = initialise_counter(store, SAMPLE_SETUP)
    with store.read() as session:
        profile = load_profile(session)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    runner = TaskRunner()
    window = MainWindow(CounterContext(store, runner, admin, profile))
    qtbot.addWidget(window)
    window.show()
    page = window.intake_page
    type_text(page.search, "1.001193")  # one hit: a late search result cannot move the selection
    qtbot.waitUntil(lambda: any(page.results_model.hit(r).code == "1.001193"
                                for r in range(page.results_model.rowCount())), timeout=30_000)
    row = next(r for r in range(page.results_model.rowCount()) if page.results_model.hit(r).code == "1.001193")
    page.results.setCurrentIndex(page.results_model.index(row))
    qtbot.waitUntil(lambda: bool(warnings) or (page._loaded is not None and page._loaded.spec.code == "1.001193"),
                    timeout=30_000)
    assert not warnings, warnings
    page.tick_all.click()
    type_text(page.owner.name, "Lò Văn Páo")
    type_text(page.owner.id_number, "001085123456")
    runner.wait_for_done()
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = _fill(small_disk)
    try:
        page.save_button.click()
        qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
        assert warnings[0].startswith("Ổ đĩa đã đầy"), warnings
        assert page.owner.name.text() == "Lò Văn Páo"  # what the officer typed is still there
        assert page.save_button.isEnabled()
    finally:
        filler.unlink()
    runner.wait_for_done()
    assert dossier_count(data_dir) == 0
    page.save_button.click()  # the disk has room again: the same form saves
    qtbot.waitUntil(lambda: dossier_count(data_dir) == 1, timeout=30_000)
    qtbot.waitUntil(lambda: len(window.previews) == 1, timeout=30_000)
    window.previews[0].accept()
    runner.wait_for_done()
    store.dispose()
    assert check_store(data_dir, Reported()) == []

"""One window per data directory, and the next start saying that the previous session was cut short."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from app.profile import load_profile
from models.tables import AuditEntry
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.session_guard import ABRUPT_END_TEXT, SessionGuard
from ui.tasks import TaskRunner

ROOT = Path(__file__).resolve().parent.parent
HOLDER = """
import sys, time
from pathlib import Path
from ui.session_guard import SessionGuard
guard = SessionGuard(Path(sys.argv[1]))
print("held" if guard.acquire() else "refused", flush=True)
time.sleep(60)
"""


def _hold_in_child(data_dir: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_clean_close_is_not_reported(tmp_path: Path) -> None:
    first = SessionGuard(tmp_path)
    assert first.acquire() and not first.previous_ended_abruptly
    first.release()
    second = SessionGuard(tmp_path)
    assert second.acquire() and not second.previous_ended_abruptly
    second.release()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_window_is_reported_at_the_next_start(tmp_path: Path) -> None:
    child = _hold_in_child(tmp_path)
    child.send_signal(signal.SIGKILL)
    child.wait()
    guard = SessionGuard(tmp_path)
    assert guard.acquire()
    assert guard.previous_ended_abruptly
    guard.release()


def test_a_second_window_on_the_same_data_is_refused(tmp_path: Path) -> None:
    child = _hold_in_child(tmp_path)
    try:
        assert not SessionGuard(tmp_path).acquire()
    finally:
        child.kill()
        child.wait()


def test_window_says_so_and_records_it(qtbot, store, admin):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    window = MainWindow(CounterContext(store, runner, admin, profile))
    qtbot.addWidget(window)
    window.report_abrupt_end(ABRUPT_END_TEXT)
    assert "tắt đột ngột" in window.statusBar().currentMessage()
    runner.wait_for_done()
    with store.read() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.action == "app.abrupt_end")).all()
    assert len(rows) == 1 and rows[0].actor == admin.username

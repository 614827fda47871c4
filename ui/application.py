"""Starting the GUI: open the data directory, first-start setup, sign-in, main window."""

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.bootstrap import open_store
from app.db import Store
from app.errors import CounterError, DatabaseDamaged
from app.permissions import Actor
from app.profile import is_initialised, load_profile
from ui.context import CounterContext
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.session_guard import ABRUPT_END_TEXT, ALREADY_OPEN_TEXT, SessionGuard
from ui.setup_dialog import SetupDialog
from ui.style import APP_STYLE
from ui.tasks import TaskRunner

log = logging.getLogger("motcua.ui")


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Quầy Một cửa")
    app.setOrganizationName("QuayMotCua")
    app.setStyle("Fusion")
    app.setStyleSheet(APP_STYLE)
    return app


def run_gui(data_dir: Path) -> int:
    logging.basicConfig(level=logging.INFO)
    app = make_application()
    try:
        store = open_store(data_dir)
    except DatabaseDamaged as damaged:
        from ui.restore_prompt import offer_restore

        if not offer_restore(data_dir, damaged):
            return 1
        store = open_store(data_dir)
    except CounterError as error:
        QMessageBox.critical(None, "Không mở được dữ liệu", str(error))
        return 1
    guard = SessionGuard(data_dir)
    if not guard.acquire():
        QMessageBox.warning(None, "Ứng dụng đang mở", ALREADY_OPEN_TEXT)
        store.dispose()
        return 1
    try:
        return _run_signed_in(app, store, guard)
    finally:
        guard.release()


def _run_signed_in(app: QApplication, store: Store, guard: SessionGuard) -> int:
    runner = TaskRunner()
    with store.read() as session:
        initialised = is_initialised(session)
    username = ""
    if not initialised:
        setup = SetupDialog(store, runner)
        if setup.exec() != QDialog.DialogCode.Accepted or setup.admin is None:
            return 0
        username = setup.admin.username
    with store.read() as session:
        profile = load_profile(session)
    login = LoginDialog(store, runner, profile, username)
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        return 0
    window = MainWindow(CounterContext(store, runner, login.actor, profile))
    window.show()
    if guard.previous_ended_abruptly:
        window.report_abrupt_end(ABRUPT_END_TEXT)
    code = app.exec()
    runner.wait_for_done()
    _backup_on_exit(store, login.actor)
    store.dispose()
    return code


def _backup_on_exit(store: Store, actor: Actor) -> None:
    """The exit copy, made after the window is gone (a worker thread; nothing is left to freeze)."""
    import threading

    from app.backup import make_backup

    def run() -> None:
        try:
            make_backup(store, actor, "exit")
        except Exception:  # noqa: BLE001 — a failed exit copy must not turn a normal exit into a crash
            log.exception("exit backup failed")

    worker = threading.Thread(target=run, name="exit-backup")
    worker.start()
    worker.join()

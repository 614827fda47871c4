"""First start: the setup dialog can be clicked straight through, then the login checks the password."""

from PySide6.QtWidgets import QDialog

from app.profile import SAMPLE_SETUP, is_initialised, load_profile
from tests.gui_helpers import type_text
from ui.login_dialog import LoginDialog
from ui.setup_dialog import SetupDialog
from ui.tasks import TaskRunner


def test_setup_dialog_prefilled_click_through(qtbot, empty_store):  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    dialog = SetupDialog(empty_store, runner)
    qtbot.addWidget(dialog)
    assert dialog.agency_code.text() == SAMPLE_SETUP.agency_code
    with qtbot.waitSignal(dialog.completed, timeout=10_000):
        dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with empty_store.read() as session:
        assert is_initialised(session)
        assert load_profile(session).agency_name == SAMPLE_SETUP.agency_name


def test_setup_dialog_shows_errors_in_vietnamese(qtbot, empty_store):  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    dialog = SetupDialog(empty_store, runner)
    qtbot.addWidget(dialog)
    dialog.agency_code.setText("khong-hop-le")
    dialog.admin_password.setText("123")
    dialog.save_button.click()
    error = dialog._rows["agency_code"].error
    qtbot.waitUntil(lambda: "Mã định danh" in error.text())
    assert "ít nhất" in dialog._rows["admin_password"].error.text()
    with empty_store.read() as session:
        assert not is_initialised(session)


def test_login_refuses_a_wrong_password_then_accepts(qtbot, store):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    dialog = LoginDialog(store, TaskRunner(), profile, SAMPLE_SETUP.admin_username)
    qtbot.addWidget(dialog)
    type_text(dialog.password, "sai-mat-khau")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: "không đúng" in dialog.error.text(), timeout=10_000)
    assert dialog.actor is None
    dialog.password.clear()
    type_text(dialog.password, SAMPLE_SETUP.admin_password)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=10_000)
    assert dialog.actor.username == SAMPLE_SETUP.admin_username

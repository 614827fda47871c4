"""The idle lock, the user menu, the login lockout and forced password change, the accounts page."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from sqlmodel import col, select

from app.login import MAX_FAILED_ATTEMPTS
from app.permissions import Actor
from app.profile import SAMPLE_SETUP, load_profile
from app.users import actor_for, create_user, find_user, reset_password
from models.enums import Role
from models.tables import AuditEntry
from tests.gui_dossiers import new_dossier, scan
from tests.gui_helpers import type_text
from ui.context import CounterContext
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

OFFICER_PASSWORD = "matkhau1"


@pytest.fixture
def officer(store, admin) -> Actor:  # type: ignore[no-untyped-def]
    with store.write() as session:
        return actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", OFFICER_PASSWORD, Role.OFFICER))


def open_window(qtbot, store, actor):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    window = MainWindow(CounterContext(store, runner, actor, profile))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, store, officer):  # type: ignore[no-untyped-def]
    main = open_window(qtbot, store, officer)
    yield main
    main.close()


def try_unlock(qtbot, window, password: str) -> None:  # type: ignore[no-untyped-def]
    screen = window.idle_lock.screen
    screen.password.clear()
    type_text(screen.password, password)
    screen.error.clear()
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: window.idle_lock.screen is None or screen.error.text() != "", timeout=10_000)


def unlock_rows(store):  # type: ignore[no-untyped-def]
    with store.read() as session:
        rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.mono))).all()
    return [(r.action, r.entity_id, r.details.get("reason")) for r in rows if r.details.get("via") == "unlock"]


def test_idle_window_locks_and_only_the_same_officers_password_opens_it(qtbot, window, store):  # type: ignore[no-untyped-def]
    lock = window.idle_lock
    assert lock.timeout_ms() == 10 * 60_000  # the default setting, read off the GUI thread
    lock.set_timeout_ms(300)
    qtbot.waitUntil(lock.is_locked, timeout=5_000)
    screen = lock.screen
    assert screen.isVisible() and screen.isModal()
    assert "Trần Văn Bình" in screen.who.text() and "canbo1" in screen.who.text()
    assert screen.geometry() == window.frameGeometry()

    QTest.keyClick(screen, Qt.Key.Key_Escape)  # Escape does not unlock
    assert lock.is_locked() and screen.isVisible()

    try_unlock(qtbot, window, "sai-mat-khau")
    assert lock.is_locked() and "không đúng" in screen.error.text()
    try_unlock(qtbot, window, SAMPLE_SETUP.admin_password)  # another user's password
    assert lock.is_locked() and "không đúng" in screen.error.text()

    try_unlock(qtbot, window, OFFICER_PASSWORD)
    assert not lock.is_locked()
    assert unlock_rows(store) == [("user.login_failed", "canbo1", "wrong_password"),
                                  ("user.login_failed", "canbo1", "wrong_password"),
                                  ("user.login", "canbo1", None)]
    # Unlocked, the countdown runs again.
    qtbot.waitUntil(lock.is_locked, timeout=5_000)


def test_input_keeps_the_window_unlocked(qtbot, window):  # type: ignore[no-untyped-def]
    lock = window.idle_lock
    lock.set_timeout_ms(600)
    for step in range(12):  # 1.2 s of an officer typing and moving the mouse
        qtbot.wait(100)
        if step % 2:
            QTest.keyClick(window.intake_page.focusWidget() or window, Qt.Key.Key_Shift)
        else:
            QTest.mouseMove(window.nav, QPoint(10 + step, 10 + step))
        assert not lock.is_locked()
    qtbot.waitUntil(lock.is_locked, timeout=5_000)


def test_a_scan_while_locked_opens_nothing(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    window.user_menu.lock_action.trigger()  # the user menu's "Khóa màn hình"
    assert window.idle_lock.is_locked()
    screen = window.idle_lock.screen
    qtbot.wait(120)
    scan(screen.password, code)
    qtbot.wait(400)
    assert window.details == []
    assert screen.password.text() == ""  # the burst is taken back out of the password box
    assert unlock_rows(store) == []  # and its Enter tried no password
    try_unlock(qtbot, window, OFFICER_PASSWORD)
    assert not window.idle_lock.is_locked()
    window.scan_listener.reset()
    qtbot.wait(120)
    scan(window.intake_page.search, code)  # unlocked, scans work again
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    window.details[0].reject()


def test_an_open_dossier_is_hidden_while_locked_and_comes_back(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    window.open_dossier(code)
    qtbot.waitUntil(lambda: len(window.details) == 1 and window.details[0].isVisible(), timeout=10_000)
    detail = window.details[0]
    # Ctrl+Shift+L pressed in the dossier dialog (which blocks the main window's own shortcuts).
    QTest.keyClick(detail.focusWidget() or detail, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.idle_lock.is_locked()
    assert not detail.isVisible()  # the citizen's data is not left on screen
    try_unlock(qtbot, window, OFFICER_PASSWORD)
    assert not window.idle_lock.is_locked()
    assert detail.isVisible() and window.details == [detail]
    detail.reject()


def test_wrong_passwords_at_the_lock_screen_count_toward_the_lockout(qtbot, window, store):  # type: ignore[no-untyped-def]
    window.idle_lock.lock()
    for _ in range(MAX_FAILED_ATTEMPTS):
        try_unlock(qtbot, window, "sai")
    screen = window.idle_lock.screen
    assert "tạm khóa" in screen.error.text() and "giờ" in screen.error.text()
    try_unlock(qtbot, window, OFFICER_PASSWORD)  # the right one, but the account is locked now
    assert window.idle_lock.is_locked() and "tạm khóa" in screen.error.text()


def test_login_dialog_shows_the_lockout(qtbot, store, officer):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    dialog = LoginDialog(store, TaskRunner(), profile, "canbo1")
    qtbot.addWidget(dialog)
    for attempt in range(1, MAX_FAILED_ATTEMPTS + 1):
        dialog.password.clear()
        type_text(dialog.password, "sai-mat-khau")
        dialog.login_button.click()
        qtbot.waitUntil(lambda: dialog.login_button.isEnabled() and dialog.error.text() != "", timeout=10_000)
        assert dialog.is_locked_out() == (attempt == MAX_FAILED_ATTEMPTS)
    assert "tạm khóa" in dialog.error.text() and "đến" in dialog.error.text()
    dialog.password.clear()
    type_text(dialog.password, OFFICER_PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
    assert dialog.actor is None and dialog.is_locked_out()


def test_login_after_a_reset_asks_for_a_new_password(qtbot, store, admin, officer):  # type: ignore[no-untyped-def]
    with store.write() as session:
        reset_password(session, admin, "canbo1", "tam-thoi-1")
    with store.read() as session:
        profile = load_profile(session)
    dialog = LoginDialog(store, TaskRunner(), profile, "canbo1")
    qtbot.addWidget(dialog)
    type_text(dialog.password, "tam-thoi-1")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.change_form is not None, timeout=10_000)
    assert dialog.actor is None
    form = dialog.change_form
    type_text(form.new_password, "mật-khẩu-mới")
    type_text(form.confirm, "mật-khẩu-khác")
    dialog.login_button.click()
    assert "không khớp" in form.confirm_row.error.text()
    form.confirm.clear()
    type_text(form.confirm, "mật-khẩu-mới")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=10_000)
    assert dialog.actor.username == "canbo1"
    with store.read() as session:
        assert not find_user(session, "canbo1").must_change_password


def test_accounts_page_only_for_admins(qtbot, store, admin, officer):  # type: ignore[no-untyped-def]
    officer_window = open_window(qtbot, store, officer)
    assert "users" not in officer_window._page_keys
    officer_window.close()

    window = open_window(qtbot, store, admin)
    window.show_page("users")
    page = window.users_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)

    page.add_button.click()
    dialog = page.dialogs[-1]
    type_text(dialog.username, "giamsat")
    type_text(dialog.full_name, "Lê Thị Hoa")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SUPERVISOR.value))
    type_text(dialog.password, "ngan")
    type_text(dialog.confirm, "ngan")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.rows["password"].error.text() != "", timeout=10_000)
    assert "ít nhất 6 ký tự" in dialog.rows["password"].error.text()
    for box in (dialog.password, dialog.confirm):
        box.clear()
        type_text(box, "matkhau-gs")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert [u.username for u in page.model.users] == ["canbo1", "giamsat", "quantri"]

    page.select_username("quantri")
    page.toggle_button.click()
    qtbot.waitUntil(lambda: "chính mình" in page.message.text(), timeout=10_000)

    page.select_username("canbo1")
    page.toggle_button.click()
    qtbot.waitUntil(lambda: page.model.users[0].active is False, timeout=10_000)
    assert page.toggle_button.text() == "Mở lại tài khoản"

    page.reset_button.click()
    reset = page.dialogs[-1]
    type_text(reset.password, "tam-thoi-2")
    type_text(reset.confirm, "tam-thoi-2")
    reset.save_button.click()
    qtbot.waitUntil(lambda: page.model.users[0].must_change_password, timeout=10_000)
    window.close()

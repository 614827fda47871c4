"""The signed-in officer's button in the top bar: change password, lock the screen."""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ui.context import CounterContext
from ui.idle_lock import LOCK_SHORTCUT, IdleLock
from ui.password_dialog import ChangePasswordDialog


class UserMenuButton(QToolButton):
    def __init__(self, ctx: CounterContext, lock: IdleLock, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._lock = lock
        self.dialog: ChangePasswordDialog | None = None
        self.setText(f"{ctx.actor.full_name}  ▾")
        self.setToolTip(f"Tài khoản {ctx.actor.username} — {ctx.actor.role.label}")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.change_password_action = menu.addAction("Đổi mật khẩu…")
        self.lock_action = menu.addAction(f"Khóa màn hình\t{LOCK_SHORTCUT}")
        self.change_password_action.triggered.connect(self.open_change_password)
        self.lock_action.triggered.connect(lock.lock)
        self.setMenu(menu)

    @Slot()
    def open_change_password(self) -> None:
        ctx = self._ctx
        self.dialog = ChangePasswordDialog(ctx.store, ctx.runner, ctx.actor, self.window())
        self.dialog.accepted.connect(
            lambda: self.window().statusBar().showMessage("Đã đổi mật khẩu.", 10_000))  # type: ignore[attr-defined]
        self.dialog.open()

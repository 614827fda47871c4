"""Changing one's own password: from the user menu, or forced at sign-in after an administrator's reset."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Store
from app.errors import CounterError, ValidationFailed
from app.permissions import Actor
from app.users import change_own_password
from ui.tasks import TaskRunner
from ui.widgets import ERROR_STYLE, add_row


def _password_box() -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


class NewPasswordForm(QWidget):
    """Current password (unless already known), new password twice.

    Signals: `changed` once the new password is saved; `failed` when it was refused (reason shown).
    """

    changed = Signal()
    failed = Signal()

    def __init__(self, store: Store, runner: TaskRunner, actor: Actor, known_old_password: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._actor = actor
        self._known_old = known_old_password
        self.old_password = _password_box()
        self.new_password = _password_box()
        self.confirm = _password_box()
        form = QFormLayout()
        self.old_row = add_row(form, "Mật khẩu hiện tại:", self.old_password)
        self.new_row = add_row(form, "Mật khẩu mới:", self.new_password)
        self.confirm_row = add_row(form, "Nhập lại mật khẩu mới:", self.confirm)
        if known_old_password is not None:
            form.setRowVisible(0, False)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error)

    def focus_first(self) -> None:
        (self.new_password if self._known_old is not None else self.old_password).setFocus()

    def submit(self) -> bool:
        """Start saving; False (with the reason shown) when the form is not ready."""
        for row in (self.old_row, self.new_row, self.confirm_row):
            row.set_error(None)
        self.error.clear()
        old = self._known_old if self._known_old is not None else self.old_password.text()
        new = self.new_password.text()
        if new != self.confirm.text():
            self.confirm_row.set_error("Hai lần nhập mật khẩu mới không khớp nhau.")
            return False
        store, actor = self._store, self._actor

        def save() -> None:
            with store.write() as session:
                change_own_password(session, actor, old, new)

        self._runner.run_write(save, lambda _: self.changed.emit(), self._on_failed, owner=self)
        return True

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            rows = {"old_password": self.old_row, "new_password": self.new_row}
            for problem in error.problems:
                row = rows.get(problem.field)
                if row is not None:
                    row.set_error(problem.message)
                else:
                    self.error.setText(problem.message)
        else:
            self.error.setText(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}")
        self.failed.emit()


class ChangePasswordDialog(QDialog):
    def __init__(self, store: Store, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Đổi mật khẩu")
        self.setMinimumWidth(440)
        self.form = NewPasswordForm(store, runner, actor, parent=self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("Đổi mật khẩu")
        self.save_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.form.changed.connect(self.accept)
        self.form.failed.connect(lambda: self.save_button.setEnabled(True))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tài khoản: <b>{actor.username}</b> — {actor.full_name}"))
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.form.focus_first()

    @Slot()
    def _on_save(self) -> None:
        if self.form.submit():
            self.save_button.setEnabled(False)

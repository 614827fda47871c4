"""Sign-in at the counter, checked offline against the stored argon2id hashes.

Each attempt is written down (the attempt counter and the audit trail), so the
check runs as a write off the GUI thread. After an administrator's reset the
dialog asks for a new password before letting the officer in.
"""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Store
from app.errors import CounterError
from app.login import AccountLocked, SignIn, sign_in
from app.permissions import Actor
from models.tables import CounterProfile
from ui.password_dialog import NewPasswordForm
from ui.tasks import TaskRunner
from ui.widgets import ERROR_STYLE


class LoginDialog(QDialog):
    def __init__(self, store: Store, runner: TaskRunner, profile: CounterProfile, username: str = ""):
        super().__init__()
        self._store = store
        self._runner = runner
        self.actor: Actor | None = None
        self.change_form: NewPasswordForm | None = None
        self.setWindowTitle("Đăng nhập — Quầy Một cửa")
        self.setMinimumWidth(440)

        heading = QLabel(f"<b>{profile.agency_name}</b><br>Bộ phận Một cửa — Quầy số {profile.counter_number}")
        heading.setObjectName("pageTitle")
        heading.setStyleSheet("font-size: 12pt;")
        self.username = QLineEdit(username)
        self.username.setPlaceholderText("tên đăng nhập")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)

        sign_in_page = QWidget()
        form = QFormLayout(sign_in_page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        self.stack = QStackedWidget()
        self.stack.addWidget(sign_in_page)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("Đăng nhập")
        self.login_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        self.buttons.accepted.connect(self._on_login)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.stack)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def is_locked_out(self) -> bool:
        return self.error.property("locked") is True

    @Slot()
    def _on_login(self) -> None:
        if self.change_form is not None:
            if self.change_form.submit():
                self.login_button.setEnabled(False)
            return
        self.login_button.setEnabled(False)
        self.error.clear()
        self.error.setProperty("locked", False)
        store, username, password = self._store, self.username.text(), self.password.text()
        self._runner.run_write(lambda: sign_in(store, username, password), lambda signed: self._on_ok(signed, password),
                               self._on_failed, owner=self)

    def _on_ok(self, signed: SignIn, password: str) -> None:
        if not signed.must_change_password:
            self.actor = signed.actor
            self.accept()
            return
        # The temporary password the administrator gave is proof enough to choose a new one.
        self.change_form = NewPasswordForm(self._store, self._runner, signed.actor, known_old_password=password)
        self.change_form.changed.connect(lambda: self._on_password_changed(signed.actor))
        self.change_form.failed.connect(lambda: self.login_button.setEnabled(True))
        notice = QLabel(f"Xin chào {signed.actor.full_name}. Quản trị viên đã đặt lại mật khẩu của bạn; "
                        "hãy chọn mật khẩu mới của riêng mình trước khi làm việc.")
        notice.setWordWrap(True)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(notice)
        page_layout.addWidget(self.change_form)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.login_button.setText("Đổi mật khẩu và đăng nhập")
        self.login_button.setEnabled(True)
        self.change_form.focus_first()

    def _on_password_changed(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.error.setText(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}")
        self.error.setProperty("locked", isinstance(error, AccountLocked))
        self.password.selectAll()
        self.password.setFocus()

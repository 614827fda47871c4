"""Sign-in at the counter, checked offline against the stored argon2id hashes."""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from app.db import Store
from app.errors import CounterError
from app.permissions import Actor
from app.users import authenticate
from models.tables import CounterProfile
from ui.tasks import TaskRunner
from ui.widgets import ERROR_STYLE


def _check(store: Store, username: str, password: str) -> Actor:
    with store.read() as session:
        return authenticate(session, username, password)


class LoginDialog(QDialog):
    def __init__(self, store: Store, runner: TaskRunner, profile: CounterProfile, username: str = ""):
        super().__init__()
        self._store = store
        self._runner = runner
        self.actor: Actor | None = None
        self.setWindowTitle("Đăng nhập — Quầy Một cửa")
        self.setMinimumWidth(420)

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

        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("Đăng nhập")
        self.login_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        self.buttons.accepted.connect(self._on_login)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    @Slot()
    def _on_login(self) -> None:
        self.login_button.setEnabled(False)
        self.error.clear()
        username, password = self.username.text(), self.password.text()
        self._runner.run_read(lambda: _check(self._store, username, password), self._on_ok, self._on_failed,
                              owner=self)

    def _on_ok(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.error.setText(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}")
        self.password.selectAll()
        self.password.setFocus()

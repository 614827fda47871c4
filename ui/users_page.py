"""Accounts page (administrators): list, add, disable or enable, reset a password."""

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError, ValidationFailed
from app.users import UserSummary, create_user, list_users, reset_password, set_active
from app.worktime import format_vn_moment
from models.enums import Role
from ui.context import CounterContext
from ui.rows_model import RowsTableModel
from ui.widgets import ERROR_STYLE, FieldWithError, add_row

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đổi mật khẩu lần cuối")


def _when(moment: Any) -> str:
    return format_vn_moment(moment) if moment is not None else ""


class UsersTableModel(RowsTableModel):
    HEADERS = COLUMNS

    @property
    def users(self) -> list[UserSummary]:
        return self.rows

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        user = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return user.username
        if column == 1:
            return user.full_name
        if column == 2:
            return user.role.label
        if column == 3:
            return user.status_label + (f" đến {_when(user.locked_until)}" if user.locked_until else "")
        return _when(user.password_changed_at)


def _password_box() -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


class _FormDialog(QDialog):
    """A small form whose save runs as a write; field problems appear under their fields."""

    def __init__(self, ctx: CounterContext, title: str, save_label: str, parent: QWidget | None):
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.rows: dict[str, FieldWithError] = {}
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText(save_label)
        self.save_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _write(self, session: Any) -> None:
        raise NotImplementedError

    def _check(self) -> bool:
        return True

    @Slot()
    def _on_save(self) -> None:
        for row in self.rows.values():
            row.set_error(None)
        self.error.clear()
        if not self._check():
            return
        self.save_button.setEnabled(False)
        store = self._ctx.store

        def save() -> None:
            with store.write() as session:
                self._write(session)

        self._ctx.runner.run_write(save, lambda _: self.accept(), self._on_failed, owner=self)

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            for problem in error.problems:
                if problem.field in self.rows:
                    self.rows[problem.field].set_error(problem.message)
                else:
                    self.error.setText(problem.message)
        else:
            self.error.setText(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}")


class AddUserDialog(_FormDialog):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(ctx, "Thêm tài khoản", "Tạo tài khoản", parent)
        self.username = QLineEdit()
        self.username.setPlaceholderText("ví dụ: canbo.binh")
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role in (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN):
            self.role.addItem(role.label, role.value)
        self.password = _password_box()
        self.confirm = _password_box()
        self.rows["username"] = add_row(self.form, "Tên đăng nhập:", self.username)
        self.rows["full_name"] = add_row(self.form, "Họ và tên:", self.full_name)
        self.rows["role"] = add_row(self.form, "Vai trò:", self.role)
        self.rows["password"] = add_row(self.form, "Mật khẩu ban đầu:", self.password)
        self.rows["confirm"] = add_row(self.form, "Nhập lại mật khẩu:", self.confirm)
        self.username.setFocus()

    def _check(self) -> bool:
        if self.password.text() != self.confirm.text():
            self.rows["confirm"].set_error("Hai lần nhập mật khẩu không khớp nhau.")
            return False
        return True

    def _write(self, session: Any) -> None:
        create_user(session, self._ctx.actor, self.username.text(), self.full_name.text(), self.password.text(),
                    Role(self.role.currentData()))


class ResetPasswordDialog(_FormDialog):
    def __init__(self, ctx: CounterContext, user: UserSummary, parent: QWidget | None = None):
        super().__init__(ctx, f"Đặt lại mật khẩu — {user.username}", "Đặt lại mật khẩu", parent)
        self._username = user.username
        notice = QLabel(f"Đặt mật khẩu tạm cho <b>{user.full_name}</b> ({user.username}). Khi đăng nhập lần sau, "
                        "người dùng phải tự chọn mật khẩu mới. Tài khoản đang tạm khóa cũng được mở.")
        notice.setWordWrap(True)
        self.form.addRow(notice)
        self.password = _password_box()
        self.confirm = _password_box()
        self.rows["password"] = add_row(self.form, "Mật khẩu tạm:", self.password)
        self.rows["confirm"] = add_row(self.form, "Nhập lại:", self.confirm)
        self.password.setFocus()

    def _check(self) -> bool:
        if self.password.text() != self.confirm.text():
            self.rows["confirm"].set_error("Hai lần nhập mật khẩu không khớp nhau.")
            return False
        return True

    def _write(self, session: Any) -> None:
        reset_password(session, self._ctx.actor, self._username, self.password.text())


class UsersPage(QWidget):
    """Signals: `changed(str)` with a message after each saved change."""

    changed = Signal(str)

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.dialogs: list[QDialog] = []
        title = QLabel("Tài khoản cán bộ")
        title.setObjectName("pageTitle")
        self.model = UsersTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Thêm tài khoản…")
        self.add_button.setObjectName("primary")
        self.toggle_button = QPushButton("Vô hiệu hóa")
        self.toggle_button.setObjectName("danger")
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.toggle_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.add_button.clicked.connect(self._on_add)
        self.toggle_button.clicked.connect(self._on_toggle)
        self.reset_button.clicked.connect(self._on_reset)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._on_selection()

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        store, actor = self._ctx.store, self._ctx.actor

        def load() -> list[UserSummary]:
            with store.read() as session:
                return list_users(session, actor)

        self._ctx.runner.run_read(load, self._on_loaded, self._show_error, owner=self)

    def _on_loaded(self, users: list[UserSummary]) -> None:
        selected = self.selected()
        self.model.set_rows(users)
        if selected is not None:
            for row, user in enumerate(users):
                if user.username == selected.username:
                    self.table.selectRow(row)
        self._on_selection()

    def selected(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.users[rows[0].row()] if rows else None

    def select_username(self, username: str) -> None:
        for row, user in enumerate(self.model.users):
            if user.username == username:
                self.table.selectRow(row)

    @Slot()
    def _on_selection(self) -> None:
        user = self.selected()
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setText("Mở lại tài khoản" if user is not None and not user.active else "Vô hiệu hóa")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.message.setText(text)

    def _show_error(self, error: BaseException) -> None:
        self._say(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}", error=True)

    def _open(self, dialog: QDialog, done_message: str) -> None:
        self.dialogs.append(dialog)
        dialog.accepted.connect(lambda: self._after(done_message))
        dialog.finished.connect(lambda _: self.dialogs.remove(dialog) if dialog in self.dialogs else None)
        dialog.open()

    def _after(self, message: str) -> None:
        self._say(message)
        self.changed.emit(message)
        self.reload()

    @Slot()
    def _on_add(self) -> None:
        self._open(AddUserDialog(self._ctx, self), "Đã tạo tài khoản mới.")

    @Slot()
    def _on_reset(self) -> None:
        user = self.selected()
        if user is not None:
            self._open(ResetPasswordDialog(self._ctx, user, self),
                       f"Đã đặt lại mật khẩu của '{user.username}'; người dùng phải đổi mật khẩu khi đăng nhập.")

    @Slot()
    def _on_toggle(self) -> None:
        user = self.selected()
        if user is None:
            return
        store, actor, active = self._ctx.store, self._ctx.actor, not user.active

        def save() -> None:
            with store.write() as session:
                set_active(session, actor, user.username, active)

        done = f"Đã {'mở lại' if active else 'vô hiệu hóa'} tài khoản '{user.username}'."
        self._ctx.runner.run_write(save, lambda _: self._after(done), self._show_error, owner=self)

"""First start: describe the agency and counter, create the administrator.

Pre-filled with a sample commune so a newcomer can click straight through and
try the counter; every field can be corrected before saving.
"""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
)

from app.bootstrap import initialise_counter
from app.db import Store
from app.errors import CounterError, ValidationFailed
from app.permissions import Actor
from app.profile import MAX_OFFLINE_COUNTERS, SAMPLE_SETUP, CounterSetup
from models.enums import AgencyLevel
from ui.tasks import TaskRunner
from ui.widgets import FieldWithError, add_row, section_title


class SetupDialog(QDialog):
    """Emits `completed` with the administrator's Actor once the counter is set up."""

    completed = Signal(object)

    def __init__(self, store: Store, runner: TaskRunner):
        super().__init__()
        self._store = store
        self._runner = runner
        self.admin: Actor | None = None
        self.setWindowTitle("Thiết lập Quầy Một cửa")
        self.setMinimumWidth(560)

        intro = QLabel("Chào mừng! Đây là lần đầu mở Quầy Một cửa trên máy này. Hãy kiểm tra thông tin "
                       "cơ quan và quầy dưới đây (đã điền sẵn một xã mẫu để dùng thử), rồi bấm “Lưu và bắt đầu”.")
        intro.setWordWrap(True)
        intro.setObjectName("hint")

        form = QFormLayout()
        self.agency_code = QLineEdit(SAMPLE_SETUP.agency_code)
        self.agency_code.setPlaceholderText("ví dụ 000.00.27.H41")
        self.agency_name = QLineEdit(SAMPLE_SETUP.agency_name)
        self.parent_name = QLineEdit(SAMPLE_SETUP.parent_name)
        self.agency_address = QLineEdit(SAMPLE_SETUP.agency_address)
        self.level = QComboBox()
        for level in AgencyLevel:
            self.level.addItem(level.label, level)
        self.level.setCurrentIndex(list(AgencyLevel).index(SAMPLE_SETUP.level))
        self.counter = QSpinBox()
        self.counter.setRange(1, MAX_OFFLINE_COUNTERS)
        self.counter.setValue(SAMPLE_SETUP.counter_number)
        self.admin_username = QLineEdit(SAMPLE_SETUP.admin_username)
        self.admin_full_name = QLineEdit(SAMPLE_SETUP.admin_full_name)
        self.admin_password = QLineEdit(SAMPLE_SETUP.admin_password)
        self.admin_password.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)

        form.addRow(section_title("Cơ quan"))
        self._rows: dict[str, FieldWithError] = {
            "agency_code": add_row(form, "Mã định danh:", self.agency_code),
            "agency_name": add_row(form, "Tên cơ quan:", self.agency_name),
            "parent_name": add_row(form, "Cơ quan cấp trên:", self.parent_name),
            "agency_address": add_row(form, "Địa chỉ trụ sở:", self.agency_address),
            "level": add_row(form, "Cấp:", self.level),
            "counter_number": add_row(form, "Số quầy:", self.counter),
        }
        form.addRow(section_title("Tài khoản quản trị"))
        self._rows |= {
            "admin_username": add_row(form, "Tên đăng nhập:", self.admin_username),
            "admin_full_name": add_row(form, "Họ và tên:", self.admin_full_name),
            "admin_password": add_row(form, "Mật khẩu:", self.admin_password),
        }
        password_hint = QLabel(f"Mật khẩu mẫu là “{SAMPLE_SETUP.admin_password}”; hãy đặt mật khẩu riêng "
                               "khi dùng thật.")
        password_hint.setObjectName("hint")
        password_hint.setWordWrap(True)
        form.addRow("", password_hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("Lưu và bắt đầu")
        self.save_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def setup_values(self) -> CounterSetup:
        return CounterSetup(
            agency_code=self.agency_code.text(), agency_name=self.agency_name.text(),
            parent_name=self.parent_name.text(), level=AgencyLevel(self.level.currentData()),
            counter_number=self.counter.value(), admin_username=self.admin_username.text(),
            admin_full_name=self.admin_full_name.text(), admin_password=self.admin_password.text(),
            agency_address=self.agency_address.text())

    @Slot()
    def _on_save(self) -> None:
        for row in self._rows.values():
            row.set_error(None)
        self.save_button.setEnabled(False)
        values = self.setup_values()
        self._runner.run_write(lambda: initialise_counter(self._store, values), self._on_saved, self._on_failed,
                               owner=self)

    def _on_saved(self, admin: Actor) -> None:
        self.admin = admin
        self.completed.emit(admin)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            for problem in error.problems:
                row = self._rows.get(problem.field)
                if row:
                    row.set_error(problem.message)
            first = next((self._rows[p.field] for p in error.problems if p.field in self._rows), None)
            if first:
                first.field.setFocus()
            return
        message = str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}"
        QMessageBox.critical(self, "Không thiết lập được", message)

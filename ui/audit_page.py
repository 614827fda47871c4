"""Supervisors' page: is the audit chain intact, the latest audit rows, and the backups (admins make them).

`AutoBackup` (for every signed-in user) makes the daily copy off the GUI thread when none was made in 24 h.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from app import audit, settings
from app.audit_verify import ChainReport, verify_store
from app.backup import BackupInfo, BackupResult, configured_folder, daily_due, list_backups, make_backup
from app.permissions import Permission
from models.tables import AuditEntry
from ui.audit_models import AuditTableModel, BackupTableModel
from ui.context import CounterContext

CHECK_EVERY_MS = 30 * 60 * 1000


def _table(model: Any) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class AuditPage(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        admin = ctx.actor.can(Permission.MANAGE_SETTINGS)
        title = QLabel("Nhật ký hệ thống và sao lưu")
        title.setObjectName("pageTitle")
        self.chain_label = QLabel("Đang kiểm tra chuỗi nhật ký…")
        self.chain_label.setWordWrap(True)
        self.verify_button = QPushButton("Kiểm tra lại")
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.chain_label, 1)
        chain_row.addWidget(self.verify_button)

        self.audit_model = AuditTableModel()
        self.audit_table = _table(self.audit_model)
        self.backup_model = BackupTableModel()
        self.backup_table = _table(self.backup_model)

        self.folder_box = QLineEdit()
        self.folder_box.setReadOnly(True)
        self.folder_button = QPushButton("Đổi thư mục…")
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_status = QLabel()
        self.backup_status.setObjectName("hint")
        self.backup_status.setWordWrap(True)
        for widget in (self.folder_button, self.backup_button):
            widget.setVisible(admin)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Thư mục sao lưu:"))
        folder_row.addWidget(self.folder_box, 1)
        folder_row.addWidget(self.folder_button)
        folder_row.addWidget(self.backup_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(chain_row)
        layout.addWidget(QLabel("Các dòng nhật ký mới nhất (dòng tô đỏ: đồng hồ máy bị chỉnh lùi):"))
        layout.addWidget(self.audit_table, 3)
        layout.addWidget(QLabel("Các bản sao lưu:"))
        layout.addWidget(self.backup_table, 2)
        layout.addLayout(folder_row)
        layout.addWidget(self.backup_status)

        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.backup_button.clicked.connect(self._on_backup_clicked)
        self.folder_button.clicked.connect(self._on_folder_clicked)

    @Slot()
    def activate(self) -> None:
        self.refresh()
        self._on_verify_clicked()

    def refresh(self) -> None:
        store = self._ctx.store

        def load() -> tuple[list[AuditEntry], list[BackupInfo], str]:
            with store.read() as session:
                return audit.recent(session, 200), list_backups(session), str(configured_folder(session, store.data_dir))

        self._ctx.runner.run_read(load, self._show_lists, self._on_failed, owner=self)

    def _show_lists(self, loaded: tuple[list[AuditEntry], list[BackupInfo], str]) -> None:
        rows, backups, folder = loaded
        self.audit_model.set_rows(rows)
        self.backup_model.set_rows(backups)
        self.folder_box.setText(folder)

    @Slot()
    def _on_verify_clicked(self) -> None:
        self.chain_label.setText("Đang kiểm tra chuỗi nhật ký…")
        store = self._ctx.store
        self._ctx.runner.run_read(lambda: verify_store(store), self._show_report, self._on_failed, owner=self)

    def _show_report(self, report: ChainReport) -> None:
        self.chain_label.setText(("✔ " if report.ok else "✖ ") + report.summary())
        self.chain_label.setStyleSheet("color: #1b6e2d; font-weight: bold;" if report.ok
                                       else "color: #b00020; font-weight: bold;")

    @Slot()
    def _on_backup_clicked(self) -> None:
        self.backup_button.setEnabled(False)
        self.backup_status.setText("Đang sao lưu… (vẫn có thể tiếp tục làm việc)")
        store, actor = self._ctx.store, self._ctx.actor
        self._ctx.runner.run_read(lambda: make_backup(store, actor, "manual"), self._on_backup_done,
                                  self._on_backup_failed, owner=self)

    def _on_backup_done(self, result: BackupResult) -> None:
        self.backup_button.setEnabled(True)
        self.backup_status.setText(f"Đã sao lưu vào {result.path} ({result.size / 1_048_576:.1f} MB, "
                                   f"kiểm tra toàn vẹn: đạt, {result.seconds:.1f} giây).")
        self.refresh()

    def _on_backup_failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.backup_status.setText("")
        QMessageBox.warning(self, "Không sao lưu được", str(error))

    @Slot()
    def _on_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục sao lưu (có thể là ổ USB)", self.folder_box.text())
        if not chosen:
            return
        store, actor = self._ctx.store, self._ctx.actor

        def save() -> None:
            with store.write() as session:
                settings.change(session, actor, settings.BACKUP_FOLDER.key, str(Path(chosen)))

        self._ctx.runner.run_write(save, lambda _: self.refresh(), self._on_failed, owner=self)

    def _on_failed(self, error: BaseException) -> None:
        self.chain_label.setText(f"Lỗi: {error}")


class AutoBackup(QObject):
    """The daily copy: checked shortly after start and every half hour while the window is open."""

    def __init__(self, ctx: CounterContext, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._running = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_check)
        self.timer.start(CHECK_EVERY_MS)
        QTimer.singleShot(60_000, self._on_check)

    @Slot()
    def _on_check(self) -> None:
        if self._running:
            return
        self._running = True
        store, actor = self._ctx.store, self._ctx.actor

        def run() -> BackupResult | None:
            with store.read() as session:
                due = daily_due(session)
            return make_backup(store, actor, "daily") if due else None

        self._ctx.runner.run_read(run, self._on_done, self._on_done, owner=self)

    def _on_done(self, _outcome: object) -> None:
        # A failed automatic copy (USB unplugged) is retried at the next check; the page shows the list.
        self._running = False

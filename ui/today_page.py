"""Today's dossiers at this agency, newest first; Enter or double-click re-prints the slip."""

from datetime import datetime

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.dossiers import count_received_between, day_bounds, received_between
from app.worktime import AGENCY_TZ, format_vn_date
from ui.context import CounterContext
from ui.dossier_table_model import DossierRow, DossierTableModel

PAGE_SIZE = 500


class TodayPage(QWidget):
    """Signals: `reprint_requested(code)`."""

    reprint_requested = Signal(str)

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.model = DossierTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.reprint_button = QPushButton("In lại giấy hẹn (Enter)")
        self.refresh_button = QPushButton("Làm mới (F5)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary)
        buttons.addStretch()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.reprint_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.table.activated.connect(self._on_activated)
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.setShortcut("F5")

    @Slot()
    def activate(self) -> None:
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        today = datetime.now(AGENCY_TZ)
        self.title.setText(f"Hồ sơ tiếp nhận hôm nay, {format_vn_date(today.date())}")

        def load() -> tuple[list[DossierRow], int]:
            start, end = day_bounds(today)
            with self._ctx.store.read() as session:
                rows = [DossierRow.of(d) for d in received_between(session, start, end, limit=PAGE_SIZE)]
                return rows, count_received_between(session, start, end)

        self._ctx.runner.run_read(load, self._show, owner=self)

    def _show(self, loaded: tuple[list[DossierRow], int]) -> None:
        rows, total = loaded
        self.model.set_rows(rows)
        shown = f" (hiển thị {len(rows)} hồ sơ mới nhất)" if total > len(rows) else ""
        self.summary.setText(f"Tổng số: {total} hồ sơ{shown}")
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        self.reprint_requested.emit(self.model.row_at(index.row()).code)

    @Slot()
    def _on_reprint_clicked(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.reprint_requested.emit(self.model.row_at(index.row()).code)

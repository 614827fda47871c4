"""Tra cứu hồ sơ: every dossier of the counter, filtered, sorted and searched in SQL, loaded as the officer scrolls.

Filters: status, field, received date range, and three quick toggles for what
needs attention (due today, due within one working day, overdue). One search
box finds a dossier by code, owner name (without diacritics), identity number
or phone. Enter or a double-click opens the dossier.

Signals: `open_requested(code)`.
"""

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import select

from app import clock
from app.calendar_store import load_calendar
from app.errors import CounterError, describe_environment_error
from models.enums import DossierStatus
from models.tables import Dossier, ProcedureField
from ui.context import CounterContext
from ui.dossier_list_model import (
    COLUMNS,
    DUE,
    ID,
    OWNER,
    PROCEDURE,
    RECEIVED,
    STATUS,
    DossierListModel,
    ListRow,
    near_limit,
)

SEARCH_DELAY_MS = 250

# Quick toggles: the value handed to the query's due filter.
DUE_TODAY = "today"
DUE_ONE_DAY = "within_one_day"
OVERDUE = "overdue"


class DossierListPage(QWidget):
    open_requested = Signal(str)

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._activated_once = False
        self._stale = False
        self._sort_key, self._descending = "received_at", True

        title = QLabel("Tra cứu hồ sơ")
        title.setObjectName("pageTitle")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo mã hồ sơ, tên chủ hồ sơ, số CCCD/CMND hoặc điện thoại — không cần dấu"
                                       "  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem("Tất cả trạng thái", None)
        for status in DossierStatus:
            if status is not DossierStatus.REGISTERED_ONLINE:
                self.status.addItem(f"{status.value}. {status.label}", int(status))
        self.field = QComboBox()
        self.field.addItem("Tất cả lĩnh vực", None)
        for combo in (self.status, self.field):
            # Narrow on the page, the whole labels in the drop-down.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            combo.view().setMinimumWidth(360)

        self.date_enabled = QCheckBox("Nhận từ ngày")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
        self.due_today = QPushButton("Đến hạn hôm nay")
        self.due_one_day = QPushButton("Đến hạn trong 1 ngày làm việc")
        self.overdue = QPushButton("Quá hạn")
        self.quick_group = QButtonGroup(self)
        self.quick_group.setExclusive(False)
        for button, value in ((self.due_today, DUE_TODAY), (self.due_one_day, DUE_ONE_DAY), (self.overdue, OVERDUE)):
            button.setCheckable(True)
            button.setObjectName("toggle")
            button.setProperty("due", value)
            self.quick_group.addButton(button)
        self.overdue.setProperty("tone", "danger")
        self.clear_button = QPushButton("Xóa bộ lọc")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch()
        title_row.addWidget(self.count_label)
        row1 = QHBoxLayout()
        row1.addWidget(self.search, 1)
        row1.addWidget(self.status)
        row1.addWidget(self.field)
        row2 = QHBoxLayout()
        row2.addWidget(self.date_enabled)
        row2.addWidget(self.date_from)
        row2.addWidget(QLabel("đến"))
        row2.addWidget(self.date_to)
        row2.addSpacing(16)
        row2.addWidget(self.due_today)
        row2.addWidget(self.due_one_day)
        row2.addWidget(self.overdue)
        row2.addWidget(self.clear_button)
        row2.addStretch()

        self.model = DossierListModel(ctx.runner)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Uniform row height: the view never measures rows it does not show.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.ensurePolished()  # the style sheet's font, not the default one
        metrics = self.table.fontMetrics()
        for column, sample in ((0, "H15.50.05.13-261120-0035"), (OWNER, "Nguyễn Thị Hồng Nhung"),
                               (ID, "0151******21"), (RECEIVED, "20/11/2026 ▲"), (DUE, "26/11/2026 16:39"),
                               (STATUS, "Đã trả kết quả")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.setSortIndicator(RECEIVED, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)

        self.legend = QLabel("<span style='background:#fde8e6; color:#a11d1d'>&nbsp;Quá hạn&nbsp;</span>&nbsp;&nbsp;"
                             "<span style='background:#fff3d6; color:#7a4b00'>&nbsp;Đến hạn trong 1 ngày làm việc"
                             "&nbsp;</span>&nbsp;&nbsp;Số giấy tờ được che bớt; xem đầy đủ trong hồ sơ.")
        self.legend.setObjectName("hint")
        self.refresh_button = QPushButton("Làm mới (F5)")
        self.open_button = QPushButton("Mở hồ sơ (Enter)")
        self.open_button.setObjectName("primary")
        bottom = QHBoxLayout()
        bottom.addWidget(self.legend)
        bottom.addStretch()
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._on_search_enter)
        self.status.currentIndexChanged.connect(self.reload)
        self.field.currentIndexChanged.connect(self.reload)
        self.date_enabled.toggled.connect(self._on_date_toggled)
        self.date_from.dateChanged.connect(self._on_dates_changed)
        self.date_to.dateChanged.connect(self._on_dates_changed)
        self.quick_group.buttonToggled.connect(self._on_quick_toggled)
        self.clear_button.clicked.connect(self.clear_filters)
        self.refresh_button.clicked.connect(self.reload)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.table.activated.connect(self._on_activated)
        self.model.sort_changed.connect(self._on_sort_changed)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.model.total_changed.connect(self._on_total_changed)
        self.model.failed.connect(self._show_error)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        QShortcut(QKeySequence("F5"), self, self.reload)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)

    # --- entering the page ----------------------------------------------------------

    def activate(self) -> None:
        """Shown by the main window (F4): first time, load fields and rows; focus the search box."""
        if not self._activated_once:
            self._activated_once = True
            self._load_fields()
            self.reload()
        elif self._stale:
            self.reload()
        self.focus_search()

    def mark_stale(self) -> None:
        """New dossiers were received: run the query again next time the page is shown."""
        self._stale = True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _load_fields(self) -> None:
        def load() -> list[tuple[str, str]]:
            with self._ctx.store.read() as session:
                return [(f.code, f.name) for f in session.exec(select(ProcedureField)
                                                               .order_by(ProcedureField.name)).all()]

        def show(fields: list[tuple[str, str]]) -> None:
            self.field.blockSignals(True)
            for code, name in fields:
                self.field.addItem(name, code)
            self.field.blockSignals(False)

        self._ctx.runner.run_read(load, show, self._show_error, owner=self)

    # --- the query --------------------------------------------------------------

    def search_text(self) -> str:
        return self.search.text().strip()

    def due_filter(self) -> str | None:
        for button in (self.overdue, self.due_today, self.due_one_day):
            if button.isChecked():
                return str(button.property("due"))
        return None

    def received_range(self) -> tuple[date | None, date | None]:
        """Agency-local dates, both inclusive."""
        if not self.date_enabled.isChecked():
            return None, None
        first: date = self.date_from.date().toPython()
        last: date = self.date_to.date().toPython()
        return (first, last) if first <= last else (last, first)

    def build_filter(self) -> Any:
        from app.dossier_query import DossierFilter

        first, last = self.received_range()
        status = self.status.currentData()
        due = self.due_filter()
        return DossierFilter(statuses=frozenset({int(status)}) if status is not None else frozenset(),
                             field_code=self.field.currentData(), received_from=first, received_to=last,
                             due_today=due == DUE_TODAY, due_soon=due == DUE_ONE_DAY, overdue=due == OVERDUE,
                             text=self.search_text())

    @Slot()
    def reload(self) -> None:
        """Run the query again from the first page (a filter, the sort or the search changed)."""
        self._search_timer.stop()
        self._stale = False
        store = self._ctx.store
        sort_key, descending = self._sort_key, self._descending
        try:
            query_filter = self.build_filter()
        except ImportError:
            self.count_label.setText("Chưa có chức năng tra cứu (app.dossier_query).")
            return

        def fetch(offset: int, limit: int, after: Any) -> tuple[list[ListRow], bool, Any]:
            from app.dossier_query import keyset, page

            with store.read() as session:
                calendar = load_calendar(session)
                now = clock.now()
                # Keyset paging: page 100 costs what page 1 costs.
                items = page(session, query_filter, sort_key, descending, 0 if after else offset, limit,
                             after=after, now=now, calendar=calendar)
            near = near_limit(calendar, now)
            rows = [ListRow.of(item, now, near) for item in items]
            return rows, len(items) < limit, keyset(items[-1], sort_key) if items else after

        def count() -> int:
            from app.dossier_query import count as count_dossiers

            with store.read() as session:
                return count_dossiers(session, query_filter)

        self.model.set_fetcher(fetch, count)

    def refresh_code(self, code: str) -> None:
        """A step was taken on this dossier elsewhere: update its row if it is loaded."""
        if not any(row.code == code for row in self.model.rows()):
            return
        store = self._ctx.store

        def load() -> ListRow | None:
            with store.read() as session:
                dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
                calendar = load_calendar(session)
            now = clock.now()
            return ListRow.of(dossier, now, near_limit(calendar, now)) if dossier is not None else None

        self._ctx.runner.run_read(load, lambda row: row and self.model.replace_row(row), owner=self)

    # --- reacting to the officer ----------------------------------------------------

    @Slot()
    def _on_search_enter(self) -> None:
        if self._search_timer.isActive():
            self.reload()
            return
        if self.model.rowCount() == 1:
            self.open_requested.emit(self.model.row_at(0).code)
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    @Slot(bool)
    def _on_date_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self.reload()

    @Slot()
    def _on_dates_changed(self) -> None:
        if self.date_enabled.isChecked():
            self.reload()

    def _on_quick_toggled(self, button: QPushButton, checked: bool) -> None:
        if checked:  # one at a time, but any can be switched off again
            for other in self.quick_group.buttons():
                if other is not button and other.isChecked():
                    other.blockSignals(True)
                    other.setChecked(False)
                    other.blockSignals(False)
        self.reload()

    @Slot()
    def clear_filters(self) -> None:
        for widget in (self.search, self.status, self.field, self.date_enabled, *self.quick_group.buttons()):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.field.setCurrentIndex(0)
        self.date_enabled.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for button in self.quick_group.buttons():
            button.setChecked(False)
        for widget in (self.search, self.status, self.field, self.date_enabled, *self.quick_group.buttons()):
            widget.blockSignals(False)
        self.reload()

    @Slot(int, Qt.SortOrder)
    def _on_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort_key is None:  # not sortable (masked numbers): keep showing the real order
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self.model.sort_state())
            header.blockSignals(False)

    @Slot(str, bool)
    def _on_sort_changed(self, key: str, descending: bool) -> None:
        self._sort_key, self._descending = key, descending
        self.reload()

    @Slot(int)
    def _on_total_changed(self, total: int) -> None:
        if total < 0:
            self.count_label.setText("Đang đếm…")
        elif total == 0:
            self.count_label.setText("Không có hồ sơ nào" + (" khớp với tìm kiếm" if self.search_text() else ""))
        else:
            self.count_label.setText(f"{total:,} hồ sơ".replace(",", "."))

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row_at(index.row()).code)

    @Slot()
    def _on_open_clicked(self) -> None:
        self._on_activated(self.table.currentIndex())

    def _show_error(self, error: BaseException) -> None:
        environment = describe_environment_error(error)
        if isinstance(error, CounterError) or environment:
            QMessageBox.warning(self, "Tra cứu hồ sơ", environment or str(error))
        else:
            QMessageBox.critical(self, "Lỗi không mong đợi", f"Không tải được danh sách hồ sơ.\n\n{error!r}")


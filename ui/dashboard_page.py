"""Cảnh báo hạn xử lý: what is late, what falls due today or by the next working day, what waits too long.

Five sections (app.early_warning), each a header with its count and a table; red
for late, amber for due soon, as in the dossier list. Enter or a double-click on
a line opens the dossier. Loaded off the GUI thread when the page is shown, on
"Làm mới" and every few minutes, so the overdue count in the left-hand list
stays current for officers who work on other pages.

Signals: `open_requested(code)`, `overdue_changed(count)`.
"""

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.early_warning import (
    DUE_SOON,
    DUE_TODAY,
    KINDS,
    OVERDUE,
    SUPPLEMENT,
    UNCOLLECTED,
    EarlyWarnings,
    WarningLine,
    WarningList,
)
from app.errors import CounterError, describe_environment_error
from app.worktime import AGENCY_TZ
from ui.context import CounterContext
from ui.dossier_list_model import (
    NEAR_BACKGROUND,
    NEAR_TEXT,
    OVERDUE_BACKGROUND,
    OVERDUE_TEXT,
)
from ui.rows_model import RowsTableModel

REFRESH_MS = 3 * 60_000
LIMIT = 100  # lines per section; the count says how many more, the dossier list shows them all
MAX_VISIBLE_ROWS = 7
EMPTY_TEXT = "Không có hồ sơ nào"

HEADERS = ("Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Hẹn trả", "Tình trạng", "Bước hiện tại")
CODE, OWNER, PROCEDURE, DUE, SITUATION, STEP = range(len(HEADERS))
# Lists of one step only (the header names it): the step column gives its room to the procedure,
# and the date that matters is when the waiting began.
WAITING = (SUPPLEMENT, UNCOLLECTED)
SINCE_HEADER = {SUPPLEMENT: "Chờ từ", UNCOLLECTED: "Chờ từ"}
SINCE_TIP = {SUPPLEMENT: "Lúc yêu cầu bổ sung", UNCOLLECTED: "Lúc có kết quả"}

# The whole line coloured where the due date is the news; only the waiting time otherwise.
ROW_TONE = {OVERDUE: (OVERDUE_TEXT, OVERDUE_BACKGROUND), DUE_TODAY: (NEAR_TEXT, NEAR_BACKGROUND),
            DUE_SOON: (NEAR_TEXT, NEAR_BACKGROUND)}
HEADER_STYLE = {
    OVERDUE: "color: #a11d1d; background: #fde8e6; border-left: 5px solid #b3261e;",
    DUE_TODAY: "color: #7a4b00; background: #fff3d6; border-left: 5px solid #d99a00;",
    DUE_SOON: "color: #7a4b00; background: #fff8e8; border-left: 5px solid #e8c266;",
}
WAIT_STYLE = "color: #1f3a5f; background: #e9edf2; border-left: 5px solid #7f93ab;"
CALM_STYLE = "color: #2d5f2d; background: #eef6ee; border-left: 5px solid #8dbb8d;"


def _moment(value: datetime | None) -> str:
    return value.astimezone(AGENCY_TZ).strftime("%H:%M %d/%m/%Y") if value else "—"


class WarningTableModel(RowsTableModel):
    HEADERS = HEADERS

    def __init__(self, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind

    def set_lines(self, lines: tuple[WarningLine, ...]) -> None:
        self.set_rows(lines)

    def line(self, row: int) -> WarningLine:
        return self.row(row)

    def header(self, section: int) -> str:
        return SINCE_HEADER.get(self.kind, HEADERS[section]) if section == DUE else HEADERS[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            when = line.since if self.kind in WAITING else line.due_at
            return (line.code, line.owner_name, line.procedure_name, _moment(when), line.text, line.step)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PROCEDURE:
                return f"{line.procedure_code} — {line.procedure_name}"
            if column == DUE and self.kind in WAITING:
                return f"{SINCE_TIP[self.kind]}: {_moment(line.since)}; hẹn trả: {_moment(line.due_at)}"
            if column == STEP:
                return line.step
            return None
        tone = ROW_TONE.get(self.kind)
        if role == Qt.ItemDataRole.ForegroundRole:
            if tone is not None:
                return QBrush(tone[0])
            return QBrush(NEAR_TEXT) if column == SITUATION else None
        if role == Qt.ItemDataRole.BackgroundRole and tone is not None:
            return QBrush(tone[1])
        if role == Qt.ItemDataRole.UserRole:
            return line.code
        return None


class WarningSection(QWidget):
    """One list: its header with the count, the table, or "Không có hồ sơ nào"."""

    activated = Signal(str)
    picked = Signal(str)  # a line of this list became the current one

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.header = QLabel()
        self._set_header_style(HEADER_STYLE.get(kind, WAIT_STYLE))
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("hint")
        self.empty.setContentsMargins(14, 2, 0, 6)
        self.more = QLabel()
        self.more.setObjectName("hint")
        self.more.hide()
        self.model = WarningTableModel(kind, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.ensurePolished()
        metrics = self.table.fontMetrics()
        situation = {OVERDUE: "quá hạn 12 ngày 6 giờ làm việc", SUPPLEMENT: "chờ bổ sung 12 ngày 6 giờ làm việc",
                     UNCOLLECTED: "chờ trả kết quả 12 ngày 6 giờ làm việc"}.get(kind, "còn 1 ngày 6 giờ làm việc")
        for column, sample in ((CODE, "H15.50.05.13-261120-0035"), (OWNER, "Nguyễn Thị Hồng Nhung"),
                               (DUE, "16:39 26/11/2026"), (SITUATION, situation),
                               (STEP, "Được tiếp nhận")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        self.table.setColumnHidden(STEP, kind in WAITING)
        self.table.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addWidget(self.more)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

    def current_code(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.line(index.row()).code if index.isValid() else None

    def _set_header_style(self, style: str) -> None:
        self.header.setStyleSheet(f"QLabel {{ {style} font-size: 11.5pt; font-weight: 600; padding: 6px 10px; "
                                  "border-radius: 3px; }")

    def show_list(self, warnings: WarningList) -> None:
        self.header.setText(f"{warnings.title} — {warnings.total} hồ sơ")
        # Nothing to worry about reads calm, whatever the list.
        self._set_header_style(CALM_STYLE if warnings.total == 0 else HEADER_STYLE.get(self.kind, WAIT_STYLE))
        self.model.set_lines(warnings.lines)
        has_lines = bool(warnings.lines)
        self.table.setVisible(has_lines)
        self.empty.setVisible(not has_lines)
        if has_lines:
            rows = min(len(warnings.lines), MAX_VISIBLE_ROWS)
            self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                      + rows * self.table.verticalHeader().defaultSectionSize()
                                      + 2 * self.table.frameWidth() + 2)
        hidden = warnings.total - len(warnings.lines)
        self.more.setText(f"… và {hidden} hồ sơ khác: xem đủ trong “Tra cứu hồ sơ” (F4)." if hidden > 0 else "")
        self.more.setVisible(hidden > 0)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(self.model.line(index.row()).code)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.picked.emit(self.kind)


class DashboardPage(QWidget):
    open_requested = Signal(str)
    overdue_changed = Signal(int)

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loading = False
        self._again = False
        self.warnings: EarlyWarnings | None = None
        self._focus_after_load = False
        self._picked: str | None = None  # the list whose current line "Mở hồ sơ" opens

        title = QLabel("Cảnh báo hạn xử lý")
        title.setObjectName("pageTitle")
        self.scope = QComboBox()
        self.scope.addItem("Toàn cơ quan", None)
        self.scope.addItem(f"Chỉ quầy số {ctx.profile.counter_number}", ctx.profile.counter_number)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("hint")
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.setObjectName("primary")
        self.open_button = QPushButton("Mở hồ sơ (Enter)")
        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addSpacing(16)
        title_row.addWidget(self.scope)
        title_row.addStretch()
        title_row.addWidget(self.updated_label)
        title_row.addWidget(self.refresh_button)
        title_row.addWidget(self.open_button)
        self.intro = QLabel("Chọn một dòng rồi nhấn Enter (hoặc nhấp đúp) để mở hồ sơ. "
                            "Số ngày tính theo ngày làm việc của cơ quan.")
        self.intro.setObjectName("hint")

        self.sections = {kind: WarningSection(kind) for kind in KINDS}
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        for section in self.sections.values():
            body_layout.addWidget(section)
            section.activated.connect(self.open_requested)
            section.picked.connect(self._on_picked)
        body_layout.addStretch()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.intro)
        layout.addWidget(self.scroll, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.scope.currentIndexChanged.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        # The overdue count in the left-hand list, for officers who start on another page.
        QTimer.singleShot(0, self, self.refresh)

    def activate(self) -> None:
        """Shown by the main window: load afresh, and put the keyboard on the first list that has lines."""
        self._focus_after_load = True
        self.refresh()
        self._focus_first_table()

    def mark_stale(self) -> None:
        """A dossier changed: reload, on screen or not, so that the overdue count stays true."""
        self.refresh()

    def counter_filter(self) -> int | None:
        value = self.scope.currentData()
        return None if value is None else int(value)

    @Slot()
    def refresh(self) -> None:
        if self._loading:
            self._again = True  # one more load after this one, with whatever changed meanwhile
            return
        self._loading = True
        self.refresh_button.setEnabled(False)
        self.updated_label.setText("Đang tải…")
        store, counter = self._ctx.store, self.counter_filter()

        def load() -> EarlyWarnings:
            from app.early_warning import early_warnings

            with store.read() as session:
                return early_warnings(session, counter=counter, limit=LIMIT)

        self._ctx.runner.run_read(load, self._on_loaded, self._on_failed, owner=self)

    def _on_loaded(self, warnings: EarlyWarnings) -> None:
        self._finish_load()
        self.warnings = warnings
        for lst in warnings.lists():
            self.sections[lst.kind].show_list(lst)
        self.updated_label.setText(f"Cập nhật lúc {warnings.now.astimezone(AGENCY_TZ):%H:%M}")
        self.overdue_changed.emit(warnings.overdue.total)
        if self._focus_after_load and self.isVisible():
            self._focus_after_load = False
            self._focus_first_table()

    def _on_failed(self, error: BaseException) -> None:
        self._finish_load()
        message = describe_environment_error(error) or (str(error) if isinstance(error, CounterError) else repr(error))
        self.updated_label.setText(f"Không tải được cảnh báo: {message}")

    def _finish_load(self) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self, self.refresh)

    def _focus_first_table(self) -> None:
        for section in self.sections.values():
            if section.model.rowCount() > 0:
                section.table.setFocus()
                if not section.table.currentIndex().isValid():
                    section.table.setCurrentIndex(section.model.index(0, 0))
                return

    @Slot(str)
    def _on_picked(self, kind: str) -> None:
        self._picked = kind

    @Slot()
    def _on_open_clicked(self) -> None:
        kinds = ([self._picked] if self._picked else []) + list(KINDS)
        for kind in kinds:
            code = self.sections[kind].current_code()
            if code:
                self.open_requested.emit(code)
                return

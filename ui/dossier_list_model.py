"""The dossier list's table model: rows fetched lazily, 200 at a time, on a read worker.

The model never holds more than what the officer has scrolled through. Sorting
and filtering happen in SQL (app.dossier_query); the search box goes through
app.search. Rows are plain frozen objects prepared off the GUI thread,
including what the view needs for colour (overdue, near due) and the masked
identity number, so `data()` only looks things up.

Signals: `loading_changed(bool)`, `total_changed(int)` (-1 while counting),
`failed(object)` with the error of a fetch, `sort_changed(str, bool)` (SQL sort
key, descending) when a header is clicked: the owner then sets a new fetcher.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.worktime import AGENCY_TZ, WorkCalendar
from models.enums import DossierStatus
from ui.tasks import TaskRunner

PAGE_SIZE = 200

# Statuses whose processing clock is running: only these can be late or near their due time.
RUNNING = frozenset({DossierStatus.ACCEPTED, DossierStatus.PROCESSING, DossierStatus.PAYMENT_REQUESTED})


class Urgency(Enum):
    NONE = 0
    NEAR = 1  # due within one working day
    OVERDUE = 2


def near_limit(calendar: WorkCalendar, now: datetime) -> datetime:
    """The end of "due within one working day" from now (as app.dossier_query's due_soon filter)."""
    return calendar.add_working_time(now, timedelta(hours=calendar.hours_per_day))


def urgency_of(status: int, due_at: datetime | None, now: datetime, near: datetime) -> Urgency:
    """`near`: from near_limit(), worked out once for a whole page of rows."""
    if due_at is None or status not in RUNNING:
        return Urgency.NONE
    if due_at < now:
        return Urgency.OVERDUE
    if due_at <= near:
        return Urgency.NEAR
    return Urgency.NONE


def mask_id(number: str) -> str:
    """"015190001221" → "0151******21": enough to tell people apart at the desk, not enough to copy."""
    number = number.strip()
    n = len(number)
    if n >= 8:
        return number[:4] + "*" * (n - 6) + number[-2:]
    if n >= 4:
        return number[:2] + "*" * (n - 3) + number[-1:]
    return "*" * n


def local_text(moment: datetime | None, pattern: str = "%d/%m/%Y %H:%M") -> str:
    return moment.astimezone(AGENCY_TZ).strftime(pattern) if moment is not None else ""


@dataclass(frozen=True, slots=True)
class ListRow:
    code: str
    owner_name: str
    owner_id_masked: str
    owner_phone: str
    procedure_name: str
    field_code: str
    received_at: datetime
    due_at: datetime | None
    status: int
    urgency: Urgency

    @classmethod
    def of(cls, item: Any, now: datetime, near: datetime) -> "ListRow":
        """From a Dossier or an app.dossier_query row; `near` from near_limit(calendar, now)."""
        return cls(item.code, item.owner_name, mask_id(item.owner_id_number or ""), item.owner_phone or "",
                   item.procedure_name, item.field_code, item.received_at, item.due_at, int(item.status),
                   urgency_of(int(item.status), item.due_at, now, near))


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None  # None: not sortable


COLUMNS: tuple[Column, ...] = (
    Column("Mã hồ sơ", "code"),
    Column("Chủ hồ sơ", "owner_name"),
    Column("Số giấy tờ", None),
    Column("Thủ tục", "procedure_name"),
    Column("Ngày nhận", "received_at"),
    Column("Hẹn trả", "due_at"),
    Column("Trạng thái", "status"),
)
CODE, OWNER, ID, PROCEDURE, RECEIVED, DUE, STATUS = range(len(COLUMNS))

OVERDUE_TEXT = QColor("#a11d1d")
OVERDUE_BACKGROUND = QColor("#fde8e6")
NEAR_TEXT = QColor("#7a4b00")
NEAR_BACKGROUND = QColor("#fff3d6")

# (offset, limit, cursor) -> (rows, no_more, next cursor); run on a read worker. The cursor is
# whatever the fetcher needs to continue after the last row (a keyset), None for the first page.
Fetcher = Callable[[int, int, Any], tuple[list[ListRow], bool, Any]]


class DossierListModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    total_changed = Signal(int)
    failed = Signal(object)
    sort_changed = Signal(str, bool)

    def __init__(self, runner: TaskRunner, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._runner = runner
        self._page_size = page_size
        self._rows: list[ListRow] = []
        self._fetcher: Fetcher | None = None
        self._cursor: Any = None
        self._generation = 0
        self._fetching = False
        self._exhausted = True
        self._sort_column = RECEIVED
        self._sort_order = Qt.SortOrder.DescendingOrder

    # --- the source of rows ---------------------------------------------------------

    def set_fetcher(self, fetcher: Fetcher, counter: Callable[[], int] | None = None) -> None:
        """Start over with a new query: drop the rows, fetch the first page, count in the background."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._fetcher = fetcher
        self._cursor = None
        self._fetching = False
        self._exhausted = False
        self.endResetModel()
        self._fetch()
        if counter is not None:
            generation = self._generation
            self.total_changed.emit(-1)
            self._runner.run_read(counter, lambda total: self._on_counted(generation, total),
                                  self._on_failed, owner=self)

    def _on_counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total_changed.emit(total)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008,N802
        return not parent.isValid() and not self._exhausted and not self._fetching and self._fetcher is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008,N802
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        fetcher = self._fetcher
        if fetcher is None:
            return
        self._fetching = True
        self.loading_changed.emit(True)
        generation, offset, limit, cursor = self._generation, len(self._rows), self._page_size, self._cursor
        self._runner.run_read(lambda: fetcher(offset, limit, cursor),
                              lambda loaded: self._on_fetched(generation, offset, loaded),
                              lambda error: self._on_fetch_failed(generation, error), owner=self)

    def _on_fetched(self, generation: int, offset: int, loaded: tuple[list[ListRow], bool, Any]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # an answer to a query the officer has already replaced
        rows, no_more, cursor = loaded
        self._fetching = False
        self._exhausted = no_more
        self._cursor = cursor
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loading_changed.emit(False)

    def _on_fetch_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._exhausted = True
        self.loading_changed.emit(False)
        self.failed.emit(error)

    def _on_failed(self, error: BaseException) -> None:
        self.failed.emit(error)

    def is_loading(self) -> bool:
        return self._fetching

    def row_at(self, row: int) -> ListRow:
        return self._rows[row]

    def rows(self) -> list[ListRow]:
        return list(self._rows)

    def replace_row(self, new: ListRow) -> None:
        """A dossier changed (a step was taken in its detail): show its new status in place."""
        for number, old in enumerate(self._rows):
            if old.code == new.code:
                self._rows[number] = new
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
                return

    # --- sorting ------------------------------------------------------------------

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def sort_key(self) -> tuple[str, bool]:
        key = COLUMNS[self._sort_column].sort_key or "received_at"
        return key, self._sort_order == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column, self._sort_order = column, order
        self.sort_changed.emit(*self.sort_key())

    # --- the table ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Bấm để sắp xếp" if COLUMNS[section].sort_key else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PROCEDURE:
                return row.procedure_name
            if column == OWNER and row.owner_phone:
                return f"{row.owner_name} · điện thoại {row.owner_phone}"
            if column == RECEIVED:
                return local_text(row.received_at)
            if column == STATUS:
                return DossierStatus(row.status).label
            if row.urgency is Urgency.OVERDUE:
                return "Quá hạn giải quyết"
            if row.urgency is Urgency.NEAR:
                return "Đến hạn trong một ngày làm việc"
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.urgency is Urgency.OVERDUE:
                return QBrush(OVERDUE_TEXT)
            if row.urgency is Urgency.NEAR:
                return QBrush(NEAR_TEXT)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.urgency is Urgency.OVERDUE:
                return QBrush(OVERDUE_BACKGROUND)
            if row.urgency is Urgency.NEAR:
                return QBrush(NEAR_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.code
        return None

    @staticmethod
    def _text(row: ListRow, column: int) -> str:
        if column == CODE:
            return row.code
        if column == OWNER:
            return row.owner_name
        if column == ID:
            return row.owner_id_masked
        if column == PROCEDURE:
            return row.procedure_name
        if column == RECEIVED:
            return local_text(row.received_at, "%d/%m/%Y")
        if column == DUE:
            return local_text(row.due_at) if row.due_at is not None else "Trả ngay"
        if column == STATUS:
            return DossierStatus(row.status).label
        return ""

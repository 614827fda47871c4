"""Rows of dossiers for a QTableView: plain row objects, fetched off the GUI thread."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.worktime import AGENCY_TZ
from models.enums import DossierStatus
from models.tables import Dossier

_HEADERS = ("Mã hồ sơ", "Giờ nhận", "Chủ hồ sơ", "Thủ tục", "Hẹn trả", "Trạng thái")
_LATE_ENTRY_COLOUR = QColor("#7a4b00")


@dataclass(frozen=True)
class DossierRow:
    code: str
    received_at: datetime
    owner_name: str
    procedure_name: str
    due_at: datetime | None
    status: int
    late_entry: bool

    @classmethod
    def of(cls, dossier: Dossier) -> "DossierRow":
        return cls(dossier.code, dossier.received_at, dossier.owner_name, dossier.procedure_name,
                   dossier.due_at, dossier.status, dossier.late_entry)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(AGENCY_TZ)


class DossierTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DossierRow] = []

    def set_rows(self, rows: list[DossierRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> DossierRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.code
            if column == 1:
                text = f"{_local(row.received_at):%H:%M}"
                return f"{text} (nhập bù)" if row.late_entry else text
            if column == 2:
                return row.owner_name
            if column == 3:
                return row.procedure_name
            if column == 4:
                return f"{_local(row.due_at):%H:%M %d/%m/%Y}" if row.due_at else "Trả ngay"
            if column == 5:
                return DossierStatus(row.status).label
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return row.procedure_name
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and row.late_entry:
            return _LATE_ENTRY_COLOUR
        return None

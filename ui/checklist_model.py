"""The procedure's document checklist: what the citizen handed in, and how many of each."""

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.catalog import RequiredDocument
from app.intake import DocumentReceived

_HEADERS = ("Nộp", "Tên giấy tờ", "Chính", "Sao CT", "Photo")
_HEADER_TIPS = ("Đánh dấu giấy tờ công dân đã nộp", "Tên giấy tờ theo thành phần hồ sơ của thủ tục",
                "Số bản chính", "Số bản sao có chứng thực", "Số bản photo / bản chụp")
_COUNT_COLUMNS = (2, 3, 4)
_MISSING_COLOUR = QColor("#b3261e")


@dataclass
class _Line:
    document: RequiredDocument
    handed_in: bool
    counts: list[int]


class DocumentChecklistModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._lines: list[_Line] = []

    def set_documents(self, documents: tuple[RequiredDocument, ...]) -> None:
        self.beginResetModel()
        self._lines = [_Line(d, False, [d.originals, d.certified_copies, d.copies]) for d in documents]
        self.endResetModel()

    def set_all_handed_in(self, handed_in: bool) -> None:
        for line in self._lines:
            line.handed_in = handed_in
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, len(_HEADERS) - 1))

    def received(self) -> list[DocumentReceived]:
        return [DocumentReceived(i, *line.counts) for i, line in enumerate(self._lines) if line.handed_in]

    def missing_required(self) -> list[str]:
        return [line.document.name for line in self._lines if line.document.required and not line.handed_in]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in _COUNT_COLUMNS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line, column = self._lines[index.row()], index.column()
        if column == 0 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if line.handed_in else Qt.CheckState.Unchecked
        if column == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return line.document.name + ("" if line.document.required else " (không bắt buộc)")
            if role == Qt.ItemDataRole.ToolTipRole:
                return line.document.name
            if role == Qt.ItemDataRole.ForegroundRole and line.document.required and not line.handed_in:
                return _MISSING_COLOUR
        if column in _COUNT_COLUMNS:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return line.counts[column - 2]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
        if column == 0 and role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        line, column = self._lines[index.row()], index.column()
        if column == 0 and role == Qt.ItemDataRole.CheckStateRole:
            line.handed_in = Qt.CheckState(value) == Qt.CheckState.Checked
            if line.handed_in and sum(line.counts) == 0:
                line.counts[0] = 1
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(_HEADERS) - 1))
            return True
        if column in _COUNT_COLUMNS and role == Qt.ItemDataRole.EditRole:
            try:
                count = int(value)
            except (TypeError, ValueError):
                return False
            if not 0 <= count <= 99:
                return False
            line.counts[column - 2] = count
            self.dataChanged.emit(index, index)
            return True
        return False

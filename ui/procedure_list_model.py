"""Search results of the procedure catalog, for the intake screen's picker."""

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.catalog import ProcedureHit

CODE_ROLE = Qt.ItemDataRole.UserRole + 1

_UNIT = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}


def processing_label(value: int, unit: str) -> str:
    return "Giải quyết ngay" if value == 0 else f"{value} {_UNIT.get(unit, unit)}"


class ProcedureListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._hits: list[ProcedureHit] = []

    def set_hits(self, hits: list[ProcedureHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> ProcedureHit:
        return self._hits[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.name}  ·  {hit.code}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.name}\nMã: {hit.code}\nLĩnh vực: {hit.field_name}\n" \
                   f"Thời hạn: {processing_label(hit.processing_value, hit.processing_unit)}"
        if role == CODE_ROLE:
            return hit.code
        return None

"""The dossier's history as a table: one row per event."""

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ui.dossier_detail_data import TimelineLine
from ui.dossier_list_model import local_text
from ui.rows_model import RowsTableModel


class TimelineModel(RowsTableModel):
    HEADERS = ("Thời gian", "Bước", "Cán bộ", "Chi tiết")

    def set_lines(self, lines: list[TimelineLine]) -> None:
        self.set_rows(lines)

    def line(self, row: int) -> TimelineLine:
        return self.row(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        line = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (local_text(line.at, "%H:%M %d/%m/%Y"), line.step, line.officer, line.details)[index.column()]
        return None

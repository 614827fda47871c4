"""Báo cáo (F8): the daily report and period reports for supervisors, previewed, printed or saved.

Reports are built and laid out on the task runner's read pool; the page shows
a busy bar and a Cancel button meanwhile. Cancel sets a threading.Event that
the report builder checks between figures, and the builder's "Đã hủy" error
is taken quietly.
"""

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.errors import CounterError
from app.reports.common import ReportCancelled
from app.worktime import AGENCY_TZ
from printing.daily_report import daily_pdf
from printing.period_report import build_period_with_place, period_pdf
from ui.context import CounterContext
from ui.pdf_preview import PdfPreviewDialog

MAX_COUNTERS = 10


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsPage(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cancel: threading.Event | None = None
        self.previews: list[PdfPreviewDialog] = []
        today = clock.now().astimezone(AGENCY_TZ).date()

        self.day_edit = self._date_edit(today)
        self.from_edit = self._date_edit(today.replace(day=1))
        self.to_edit = self._date_edit(today)
        self.counter_box = QComboBox()
        self.counter_box.addItem("Tất cả các quầy", None)
        for n in range(1, MAX_COUNTERS + 1):
            self.counter_box.addItem(f"Quầy số {n}", n)

        day_group = QGroupBox("Báo cáo ngày")
        day_form = QFormLayout(day_group)
        day_form.addRow("Ngày:", self.day_edit)
        self.daily_button = QPushButton("Xem báo cáo ngày")
        self.daily_button.setObjectName("primary")
        day_form.addRow(self.daily_button)

        period_group = QGroupBox("Báo cáo kỳ")
        period_form = QFormLayout(period_group)
        period_form.addRow("Từ ngày:", self.from_edit)
        period_form.addRow("Đến ngày:", self.to_edit)
        self.period_button = QPushButton("Xem báo cáo kỳ")
        self.excel_button = QPushButton("Xuất Excel")
        row = QHBoxLayout()
        row.addWidget(self.period_button)
        row.addWidget(self.excel_button)
        period_form.addRow(row)

        scope = QFormLayout()
        scope.addRow("Phạm vi:", self.counter_box)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the builder cannot know how long SQLite takes
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Hủy")
        self.cancel_button.setEnabled(False)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)

        groups = QHBoxLayout()
        groups.addWidget(day_group)
        groups.addWidget(period_group)
        layout = QVBoxLayout(self)
        title = QLabel("Báo cáo tình hình tiếp nhận và trả kết quả")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addLayout(scope)
        layout.addLayout(groups)
        layout.addLayout(busy)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.daily_button.clicked.connect(self._on_daily)
        self.period_button.clicked.connect(self._on_period)
        self.excel_button.clicked.connect(self._on_excel)
        self.cancel_button.clicked.connect(self._on_cancel)

    @staticmethod
    def _date_edit(d: date) -> QDateEdit:
        edit = QDateEdit(_qdate(d))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def activate(self) -> None:
        self.daily_button.setFocus()

    def counter(self) -> int | None:
        value = self.counter_box.currentData()
        return None if value is None else int(value)

    # -- running a report ------------------------------------------------------

    def _start(self, what: str, work: Callable[[threading.Event], Any], done: Callable[[Any], None]) -> None:
        if self._cancel is not None:
            return  # one report at a time
        cancel = threading.Event()
        self._cancel = cancel
        self._set_busy(True, f"Đang lập {what}…")

        def finished(result: Any) -> None:
            self._set_busy(False, "")
            done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False, "")
            if isinstance(error, ReportCancelled):
                self.status.setText("Đã hủy.")
                return
            QMessageBox.warning(self, "Không lập được báo cáo",
                                str(error) if isinstance(error, CounterError) else repr(error))

        self._ctx.runner.run_read(lambda: work(cancel), finished, failed, owner=self)

    def _set_busy(self, busy: bool, text: str) -> None:
        if not busy:
            self._cancel = None
        self.progress.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        for button in (self.daily_button, self.period_button, self.excel_button):
            button.setEnabled(not busy)
        self.status.setText(text)

    def is_busy(self) -> bool:
        return self._cancel is not None

    @Slot()
    def _on_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText("Đang hủy…")

    @Slot()
    def _on_daily(self) -> None:
        ctx, on, counter = self._ctx, _pydate(self.day_edit.date()), self.counter()
        self._start("báo cáo ngày", lambda cancel: daily_pdf(ctx.store, ctx.actor, on, counter, cancel)[1],
                    lambda pdf: self._preview(pdf, f"Báo cáo ngày {on:%d/%m/%Y}", f"bao-cao-ngay-{on}.pdf",
                                              "report-daily", on.isoformat(), counter))

    def _period(self) -> tuple[date, date]:
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    @Slot()
    def _on_period(self) -> None:
        ctx, (first, last), counter = self._ctx, self._period(), self.counter()
        self._start("báo cáo kỳ", lambda cancel: period_pdf(ctx.store, ctx.actor, first, last, counter, cancel)[1],
                    lambda pdf: self._preview(pdf, f"Báo cáo kỳ {first:%d/%m/%Y} – {last:%d/%m/%Y}",
                                              f"bao-cao-ky-{first}-{last}.pdf", "report-period",
                                              f"{first}/{last}", counter))

    def ask_save_path(self, suggested: str) -> str:
        """Where to save the workbook ('' when the user cancels the dialog)."""
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo Excel", str(Path.home() / suggested),
                                              "Tệp Excel (*.xlsx)")
        return path

    @Slot()
    def _on_excel(self) -> None:
        from app.cli.base import write_file_atomically
        from printing.xlsx_report import period_workbook

        ctx, (first, last), counter = self._ctx, self._period(), self.counter()
        path = self.ask_save_path(f"bao-cao-ky-{first}-{last}.xlsx")
        if not path:
            return
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")

        def work(cancel: threading.Event) -> Path:
            report, _place = build_period_with_place(ctx.store, ctx.actor, first, last, counter, cancel)
            write_file_atomically(target, period_workbook(report))
            return target

        def saved(out: Path) -> None:
            self.status.setText(f"Đã lưu {out}")
            self._record("report-period", "xlsx", str(out), f"{first}/{last}", counter)

        self._start("tệp Excel", work, saved)

    def _preview(self, pdf: bytes, title: str, name: str, report: str, period: str, counter: int | None) -> None:
        dialog = PdfPreviewDialog(title, pdf, name, self._ctx.runner, self)
        self.previews.append(dialog)
        dialog.finished.connect(lambda _: self._on_preview_closed(dialog))
        dialog.delivered.connect(lambda destination: self._record(report, "pdf", destination, period, counter))
        dialog.open()

    def _record(self, report: str, fmt: str, destination: str, period: str, counter: int | None) -> None:
        from app.reports.output_log import record_report_output

        ctx = self._ctx
        ctx.runner.run_write(
            lambda: record_report_output(ctx.store, ctx.actor, report, fmt, destination, period, counter),
            on_error=lambda error: self.status.setText(f"Đã xuất báo cáo nhưng chưa ghi được nhật ký: {error}"),
            owner=self)

    def _on_preview_closed(self, dialog: PdfPreviewDialog) -> None:
        if dialog in self.previews:
            self.previews.remove(dialog)
        dialog.deleteLater()

"""Preview of any printed document (a PDF), with print and save.

Printing goes through Qt's print dialog to any installed printer. Pages are
rasterised and painted onto the printer off the GUI thread (QPainter on a
QPrinter is allowed outside it), so a slow or vanishing printer never freezes
the counter.
"""

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.errors import CounterError
from app.files import write_atomically
from ui.tasks import TaskRunner

PRINT_DPI = 300


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of `pdf` onto `printer`. Returns the number of pages sent."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise CounterError("Không đọc được tài liệu cần in.")
    painter = QPainter()
    if not painter.begin(printer):
        raise CounterError("Không mở được máy in. Hãy kiểm tra máy in đã bật và được kết nối.")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() / 72 * PRINT_DPI), round(points.height() / 72 * PRINT_DPI))
            image = document.render(page, pixels)
            if image.isNull():
                raise CounterError(f"Không dựng được trang {page + 1} để in.")
            scaled = image.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            painter.drawImage(0, 0, scaled.convertToFormat(QImage.Format.Format_RGB32))
    finally:
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise CounterError("Máy in báo lỗi giữa chừng; giấy tờ có thể chưa in đủ. Hãy kiểm tra máy in rồi in lại.")
    _check_print_file(printer)
    return document.pageCount()


def _check_print_file(printer: QPrinter) -> None:
    """Qt's PDF engine ignores write errors: a "print to file" cut short by a full or vanished disk looks done."""
    name = printer.outputFileName()
    if not name:
        return
    try:
        with open(name, "rb") as handle:
            handle.seek(max(0, os.path.getsize(name) - 1024))
            complete = b"%%EOF" in handle.read()
    except OSError:
        complete = False
    if not complete:
        raise CounterError(f"Máy in (tệp {name}) không nhận đủ tài liệu: ổ đĩa đầy hoặc thư mục đã bị gỡ. "
                           "Giấy tờ chưa được in; hãy kiểm tra rồi in lại.")


def save_pdf(pdf: bytes, path: Path) -> None:
    write_atomically(path, pdf)


class PdfPreviewDialog(QDialog):
    """Signals: `delivered(str)` after the document went to a printer ("máy in …") or was saved (the path)."""

    delivered = Signal(str)

    def __init__(self, title: str, pdf: bytes, suggested_name: str, runner: TaskRunner, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._pdf = pdf
        self._runner = runner
        self._suggested_name = suggested_name
        self.setWindowTitle(title)
        available = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(860, available.width() - 40), min(1000, available.height() - 40))

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.status = QLabel(f"{self.document.pageCount()} trang")
        self.status.setObjectName("hint")
        self.print_button = QPushButton("In… (Ctrl+P)")
        self.print_button.setObjectName("primary")
        self.save_button = QPushButton("Lưu PDF…")
        close_button = QPushButton("Đóng (Esc)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.print_button.clicked.connect(self._on_print)
        self.save_button.clicked.connect(self._on_save)
        close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Print, self, self._on_print)
        self.print_button.setFocus()

    @Slot()
    def _on_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In tài liệu")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_button.setEnabled(False)
        self.status.setText("Đang gửi tới máy in…")
        self._printer = printer  # kept alive until the job is handed over
        self._runner.run_read(lambda: print_pdf(self._pdf, printer), self._on_printed, self._on_print_failed,
                              owner=self)

    def _on_printed(self, pages: int) -> None:
        self.print_button.setEnabled(True)
        self.status.setText(f"Đã gửi {pages} trang tới máy in.")
        self.delivered.emit(f"máy in {self._printer.printerName()}".strip())

    def _on_print_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.status.setText("In không thành công.")
        QMessageBox.warning(self, "Không in được", str(error) if isinstance(error, CounterError)
                            else f"Máy in báo lỗi: {error}")

    def _on_saved(self, target: Path) -> None:
        self.status.setText(f"Đã lưu {target}")
        self.delivered.emit(str(target))

    @Slot()
    def _on_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu PDF", self._suggested_name, "Tệp PDF (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        self._runner.run_read(lambda: save_pdf(self._pdf, target), lambda _: self._on_saved(target),
                              lambda error: QMessageBox.warning(self, "Không lưu được", str(error)), owner=self)

"""The counter's main window: intake and today's dossiers, with who/where in the status bar."""

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QWidget

from datetime import datetime

from app.errors import CounterError
from app.intake import IntakeResult
from app.worktime import AGENCY_TZ
from printing.receipts import render_receipt_for
from ui.context import CounterContext
from ui.intake_page import IntakePage
from ui.pdf_preview import PdfPreviewDialog
from ui.today_page import TodayPage


class MainWindow(QMainWindow):
    def __init__(self, ctx: CounterContext):
        super().__init__()
        self._ctx = ctx
        profile = ctx.profile
        self.setWindowTitle(f"Quầy Một cửa — {profile.agency_name} — Quầy số {profile.counter_number}")
        available = self.screen().availableGeometry()
        self.resize(min(1366, available.width()), min(860, available.height()))

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(["Tiếp nhận hồ sơ   F2", "Hồ sơ hôm nay   F3"])
        self.nav.setFixedWidth(210)
        self.intake_page = IntakePage(ctx)
        self.today_page = TodayPage(ctx)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.intake_page)
        self.pages.addWidget(self.today_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.agency_label = QLabel(f"{profile.agency_name} ({profile.agency_code})")
        self.officer_label = QLabel(f"Cán bộ: {ctx.actor.full_name} ({ctx.actor.role.label})")
        self.counter_label = QLabel(f"Quầy số {profile.counter_number}")
        self.busy_label = QLabel()
        self.clock_label = QLabel()
        for widget in (self.agency_label, self.officer_label, self.counter_label):
            bar.addWidget(widget)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._on_tick)
        self._clock.start(15_000)
        self._on_tick()

        self.nav.currentRowChanged.connect(self._on_page_changed)
        self.intake_page.dossier_saved.connect(self._on_dossier_saved)
        self.today_page.reprint_requested.connect(self.show_receipt)
        ctx.runner.busy_changed.connect(self._on_busy_changed)
        QShortcut(QKeySequence("F2"), self, lambda: self.nav.setCurrentRow(0))
        QShortcut(QKeySequence("F3"), self, lambda: self.nav.setCurrentRow(1))
        self.nav.setCurrentRow(0)
        self.previews: list[PdfPreviewDialog] = []

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Đang xử lý…" if busy else "")

    @Slot()
    def _on_tick(self) -> None:
        self.clock_label.setText(datetime.now(AGENCY_TZ).strftime("%H:%M  %d/%m/%Y"))

    @Slot(int)
    def _on_page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if row == 0:
            self.intake_page.focus_search()
        else:
            self.today_page.refresh()
            self.today_page.table.setFocus()

    def _on_dossier_saved(self, result: IntakeResult) -> None:
        self.statusBar().showMessage(f"Đã tiếp nhận hồ sơ {result.code}", 10_000)
        if self.pages.currentIndex() == 1:
            self.today_page.refresh()
        self.show_receipt(result.code)

    @Slot(str)
    def show_receipt(self, code: str) -> None:
        def render() -> bytes:
            with self._ctx.store.read() as session:
                return render_receipt_for(session, code)

        def show(pdf: bytes) -> None:
            dialog = PdfPreviewDialog(f"Giấy tiếp nhận và hẹn trả kết quả — {code}", pdf,
                                      f"giay-hen-{code}.pdf", self._ctx.runner, self)
            self.previews.append(dialog)
            dialog.finished.connect(lambda _: self._on_preview_closed(dialog))
            dialog.open()

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, "Không tạo được giấy hẹn",
                                str(error) if isinstance(error, CounterError) else repr(error))

        self._ctx.runner.run_read(render, show, failed, owner=self)

    def _on_preview_closed(self, dialog: PdfPreviewDialog) -> None:
        if dialog in self.previews:
            self.previews.remove(dialog)
        dialog.deleteLater()
        if self.pages.currentIndex() == 0:
            self.intake_page.focus_search()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A save in flight finishes (it is one short transaction) before the window goes.
        self._ctx.runner.wait_for_done(15_000)
        super().closeEvent(event)

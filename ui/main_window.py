"""The counter's main window: a page per task on the left, a code box on top, who/where/sync in the status bar.

A dossier opens from anywhere: scan the barcode on its slip (whatever has the
focus), type its code in the "Mã hồ sơ" box (Ctrl+L), or pick it in the list (F4).
"""

from datetime import datetime

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError, NotFound, describe_environment_error
from app.intake import IntakeResult
from app.permissions import Permission
from app.worktime import AGENCY_TZ
from models.enums import Role
from printing.receipts import render_receipt_for
from ui.audit_page import AuditPage, AutoBackup
from ui.context import CounterContext
from ui.dashboard_page import DashboardPage
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_detail_data import DetailData, load_detail
from ui.dossier_list_page import DossierListPage
from ui.idle_lock import IdleLock
from ui.intake_page import IntakePage
from ui.pdf_preview import PdfPreviewDialog
from ui.reports_page import ReportsPage
from ui.scan_listener import ScanListener
from ui.sync_page import SyncPage
from ui.today_page import TodayPage
from ui.user_menu import UserMenuButton
from ui.users_page import UsersPage

INTAKE, TODAY, DOSSIERS = "intake", "today", "dossiers"
# F5 is "Làm mới" on the pages that have a list; a window-wide F5 would make it ambiguous there.
WARNINGS, WARNINGS_LABEL, WARNINGS_KEY = "warnings", "Cảnh báo hạn", "F6"


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
        self.nav.setFixedWidth(210)
        self.pages = QStackedWidget()
        self._page_keys: list[str] = []
        self.intake_page = IntakePage(ctx)
        self.today_page = TodayPage(ctx)
        self.dossier_list_page = DossierListPage(ctx)
        self.add_page(INTAKE, "Tiếp nhận hồ sơ", self.intake_page, "F2")
        self.add_page(TODAY, "Hồ sơ hôm nay", self.today_page, "F3")
        self.add_page(DOSSIERS, "Tra cứu hồ sơ", self.dossier_list_page, "F4")
        self.warnings_page = DashboardPage(ctx)
        self.add_page(WARNINGS, WARNINGS_LABEL, self.warnings_page, WARNINGS_KEY)
        self.sync_page = SyncPage(ctx, self)
        self.add_page("sync", "Đồng bộ", self.sync_page, "F7")
        # Function keys follow the roles: officers F2-F7, supervisors add F8-F9, administrators F10.
        if ctx.actor.can(Permission.VIEW_REPORTS):
            self.reports_page = ReportsPage(ctx)
            self.add_page("reports", "Báo cáo", self.reports_page, "F8")
        if ctx.actor.can(Permission.VIEW_AUDIT):
            self.audit_page = AuditPage(ctx)
            self.add_page("audit", "Nhật ký & sao lưu", self.audit_page, "F9")
        if ctx.actor.can(Permission.MANAGE_USERS):
            self.users_page = UsersPage(ctx)
            self.add_page("users", "Tài khoản", self.users_page, "F10")
        # The daily copy is made whoever is signed in.
        self.auto_backup = AutoBackup(ctx, self)

        # A slim bar over every page: open a dossier by its code, typed or scanned.
        self.code_box = QLineEdit()
        self.code_box.setObjectName("codeBox")
        self.code_box.setPlaceholderText("Gõ hoặc quét mã hồ sơ, rồi Enter  (Ctrl+L)")
        self.code_box.setClearButtonEnabled(True)
        self.code_box.setFixedWidth(360)
        code_caption = QLabel("Mã hồ sơ:")
        code_caption.setBuddy(self.code_box)
        self.open_code_button = QPushButton("Mở hồ sơ")
        scan_hint = QLabel("Quét mã vạch trên giấy hẹn ở bất kỳ màn hình nào để mở hồ sơ.")
        scan_hint.setObjectName("hint")
        top_bar = QWidget()
        top_bar.setObjectName("topBar")
        top_layout = QHBoxLayout(top_bar)
        top_layout.setContentsMargins(10, 5, 10, 5)
        top_layout.addWidget(code_caption)
        top_layout.addWidget(self.code_box)
        top_layout.addWidget(self.open_code_button)
        top_layout.addSpacing(12)
        top_layout.addWidget(scan_hint)
        top_layout.addStretch()
        # The hint gives way (clipped) before the window outgrows a 1366-pixel screen.
        scan_hint.setMinimumWidth(1)
        self.idle_lock = IdleLock(self, ctx.store, ctx.runner, ctx.actor,
                                  f"{profile.agency_name} — Quầy số {profile.counter_number}")
        self.user_menu = UserMenuButton(ctx, self.idle_lock, self)
        top_layout.addWidget(self.user_menu)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(top_bar)
        right_layout.addWidget(self.pages, 1)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.agency_label = QLabel(f"{profile.agency_name} ({profile.agency_code})")
        self.officer_label = QLabel(f"Cán bộ: {ctx.actor.full_name} ({ctx.actor.role.label})")
        self.counter_label = QLabel(f"Quầy số {profile.counter_number}")
        self.busy_label = QLabel()
        self.clock_label = QLabel()
        for widget in (self.agency_label, self.officer_label, self.counter_label):
            bar.addWidget(widget)
        bar.addPermanentWidget(self.sync_page.status_widget)
        # On a 1280-px screen the sync facts would overlap the clock; the agency's name (also in the title) gives way.
        self.agency_label.setMinimumWidth(60)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._on_tick)
        self._clock.start(15_000)
        self._on_tick()

        self.nav.currentRowChanged.connect(self._on_page_changed)
        self.intake_page.dossier_saved.connect(self._on_dossier_saved)
        self.today_page.reprint_requested.connect(self.show_receipt)
        self.dossier_list_page.open_requested.connect(self.open_dossier)
        self.warnings_page.open_requested.connect(self.open_dossier)
        self.warnings_page.overdue_changed.connect(self._on_overdue_changed)
        self.code_box.returnPressed.connect(self._on_code_entered)
        self.open_code_button.clicked.connect(self._on_code_entered)
        ctx.runner.busy_changed.connect(self._on_busy_changed)
        QShortcut(QKeySequence("Ctrl+L"), self, self.focus_code_box)
        self.scan_listener = ScanListener(self)
        self.scan_listener.code_scanned.connect(self._on_code_scanned)
        # Supervisors start the day with what is running late; officers with the intake form.
        self.show_page(WARNINGS if ctx.actor.role in (Role.SUPERVISOR, Role.ADMIN) else INTAKE)
        self.previews: list[PdfPreviewDialog] = []
        self.details: list[DossierDetailDialog] = []

    def report_abrupt_end(self, text: str) -> None:
        """Said once at start when the previous session was cut short; recorded in the audit trail too."""
        from app import audit

        self.statusBar().showMessage(text, 60_000)
        store, actor = self._ctx.store, self._ctx.actor

        def record() -> None:
            with store.write() as session:
                audit.record(session, actor.username, "app.abrupt_end", "", "", {"noticed_by": actor.username})

        self._ctx.runner.run_write(record, owner=self)

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Đang xử lý…" if busy else "")

    @Slot()
    def _on_tick(self) -> None:
        self.clock_label.setText(datetime.now(AGENCY_TZ).strftime("%H:%M  %d/%m/%Y"))

    # --- pages ------------------------------------------------------------------

    def add_page(self, key: str, label: str, page: QWidget, shortcut: str = "") -> None:
        """Add a page to the left-hand list; `page.activate()`, if it has one, runs each time it is shown."""
        self._page_keys.append(key)
        self.nav.addItem(f"{label}   {shortcut}" if shortcut else label)
        self.pages.addWidget(page)
        if shortcut:
            QShortcut(QKeySequence(shortcut), self, lambda: self.show_page(key))

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self._page_keys.index(key))

    def current_page_key(self) -> str:
        return self._page_keys[self.pages.currentIndex()]

    @Slot(int)
    def _on_page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        activate = getattr(self.pages.widget(row), "activate", None)
        if activate is not None:
            activate()

    # --- opening a dossier by its code --------------------------------------------

    @Slot()
    def focus_code_box(self) -> None:
        self.code_box.setFocus()
        self.code_box.selectAll()

    @Slot()
    def _on_code_entered(self) -> None:
        code = self.code_box.text().strip()
        if code:
            self.open_dossier(code)

    @Slot(str)
    def _on_code_scanned(self, code: str) -> None:
        self.statusBar().showMessage(f"Đã quét mã {code}", 5_000)
        self.open_dossier(code)

    @Slot(str)
    def open_dossier(self, code: str) -> None:
        """Open the dossier's detail with its usual next step focused; an unknown code is said in the status bar."""
        busy = next((d for d in self.details if d.is_busy()), None)
        if busy is not None:
            self.statusBar().showMessage(
                f"Đang thực hiện một bước trên hồ sơ {busy.code}; hãy hoàn tất hoặc hủy bước đó trước.", 10_000)
            return
        store = self._ctx.store
        self._ctx.runner.run_read(lambda: load_detail(store, code), self._show_detail,
                                  lambda error: self._on_open_failed(code, error), owner=self)

    def _show_detail(self, data: DetailData) -> None:
        for old in list(self.details):
            old.reject()  # one dossier at a time: the new scan replaces the one on screen
        dialog = DossierDetailDialog(self._ctx, data, self)
        self.details.append(dialog)
        dialog.changed.connect(self._on_dossier_changed)
        dialog.finished.connect(lambda _result: self._on_detail_closed(dialog))
        dialog.open()
        self.code_box.clear()
        self.statusBar().showMessage(f"Hồ sơ {data.code}: {data.dossier.owner_name}", 10_000)

    def _on_open_failed(self, code: str, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.statusBar().showMessage(f"Không tìm thấy hồ sơ có mã “{code.strip().upper()}”. "
                                         "Hãy kiểm tra lại mã trên giấy hẹn.", 15_000)
            return
        environment = describe_environment_error(error)
        if isinstance(error, CounterError) or environment:
            QMessageBox.warning(self, "Không mở được hồ sơ", environment or str(error))
        else:
            QMessageBox.critical(self, "Lỗi không mong đợi", f"Không mở được hồ sơ {code}.\n\n{error!r}")

    def _on_detail_closed(self, dialog: DossierDetailDialog) -> None:
        if dialog in self.details:
            self.details.remove(dialog)
        dialog.deleteLater()

    @Slot(int)
    def _on_overdue_changed(self, overdue: int) -> None:
        item = self.nav.item(self._page_keys.index(WARNINGS))
        item.setText(f"{WARNINGS_LABEL} ({overdue})   {WARNINGS_KEY}" if overdue else f"{WARNINGS_LABEL}   {WARNINGS_KEY}")
        item.setToolTip(f"{overdue} hồ sơ quá hạn xử lý" if overdue else "Không có hồ sơ quá hạn")
        item.setForeground(QColor("#ffb4ab") if overdue else QColor("#e8eef5"))

    @Slot(str)
    def _on_dossier_changed(self, code: str) -> None:
        self.warnings_page.mark_stale()
        self.sync_page.controller.refresh_status()  # the step is now waiting to be sent
        self.dossier_list_page.refresh_code(code)
        if self.current_page_key() == TODAY:
            self.today_page.refresh()

    def _on_dossier_saved(self, result: IntakeResult) -> None:
        self.statusBar().showMessage(f"Đã tiếp nhận hồ sơ {result.code}", 10_000)
        self.sync_page.controller.refresh_status()
        if self.current_page_key() == TODAY:
            self.today_page.refresh()
        self.dossier_list_page.mark_stale()
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
            dialog.delivered.connect(lambda destination: self._record_print(code, destination))
            dialog.open()

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, "Không tạo được giấy hẹn",
                                str(error) if isinstance(error, CounterError) else repr(error))

        self._ctx.runner.run_read(render, show, failed, owner=self)

    def _record_print(self, code: str, destination: str) -> None:
        from app.printlog import record_print

        ctx = self._ctx
        ctx.runner.run_write(lambda: record_print(ctx.store, ctx.actor, code, "receipt", destination),
                             on_error=lambda error: self.statusBar().showMessage(
                                 f"Đã in giấy hẹn nhưng chưa ghi được vào hồ sơ: {error}", 15_000), owner=self)

    def _on_preview_closed(self, dialog: PdfPreviewDialog) -> None:
        if dialog in self.previews:
            self.previews.remove(dialog)
        dialog.deleteLater()
        if self.current_page_key() == INTAKE:
            self.intake_page.focus_search()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A save in flight finishes (it is one short transaction) before the window goes.
        self._ctx.runner.wait_for_done(15_000)
        self.idle_lock.release()
        super().closeEvent(event)

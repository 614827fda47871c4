"""The "Đồng bộ" page: the queue, the quarantine with the portal's reasons, sync now, retry, progress."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError
from sync.engine import EngineConfig, SyncProgress, SyncResult
from sync.state import (
    QUARANTINED,
    WAITING,
    QueueRow,
    SyncStatus,
    list_items,
    retry_quarantined,
)
from ui.context import CounterContext
from ui.dossier_detail_data import EVENT_LABELS
from ui.rows_model import RowsTableModel
from ui.sync_status import SyncController, SyncStatusBar, moment_text

LIST_LIMIT = 500

NOT_ENROLLED_TEXT = (
    "<b>Chưa đăng ký với cổng tỉnh.</b> Hồ sơ vẫn được lưu đầy đủ trên máy này và sẽ được gửi khi quầy đã đăng ký.<br>"
    "Cách đăng ký: xin quản trị cổng tỉnh một mã đăng ký một lần, rồi quản trị viên của quầy chạy<br>"
    "<code>motcua sync enroll --portal https://địa-chỉ-cổng --code MÃ</code><br>"
    "Nơi không có mạng: <code>motcua bundle export --out TỆP</code> ghi hồ sơ chờ gửi ra USB để mang tới cổng.")


_FEE_LABELS = {"fee.payment": "Thu phí, lệ phí", "fee.exemption": "Miễn, giảm phí", "fee.refund": "Hoàn trả phí"}


def kind_label(kind: str) -> str:
    """The outbox kind as the officer knows the step: "dossier.forwarded" is "Chuyển xử lý"."""
    if kind.startswith("dossier."):
        return EVENT_LABELS.get(kind.split(".", 1)[1], kind)
    return _FEE_LABELS.get(kind, kind)


Column = tuple[str, Callable[[QueueRow], Any]]

QUEUE_COLUMNS: list[Column] = [
    ("Số", lambda r: r.id), ("Loại", lambda r: kind_label(r.kind)), ("Mã hồ sơ", lambda r: r.code),
    ("Tạo lúc", lambda r: moment_text(r.created_at)), ("Lần thử", lambda r: r.attempts),
    ("Lỗi gần nhất", lambda r: r.last_error)]
QUARANTINE_COLUMNS: list[Column] = [
    ("Số", lambda r: r.id), ("Loại", lambda r: kind_label(r.kind)), ("Mã hồ sơ", lambda r: r.code),
    ("Lý do cổng từ chối", lambda r: r.quarantine_reason)]


class QueueModel(RowsTableModel):
    def __init__(self, columns: list[Column], parent: QWidget | None = None):
        super().__init__(parent)
        self._columns = columns
        self.HEADERS = [title for title, _value in columns]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self._columns[index.column()][1](self.rows[index.row()]))
        return None


def _table(model: QueueModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class SyncPage(QWidget):
    def __init__(self, ctx: CounterContext, window: QWidget, config: EngineConfig | None = None):
        super().__init__()
        self._ctx = ctx
        self.controller = SyncController(ctx, window, config)
        self.status_widget = SyncStatusBar(self.controller)

        title = QLabel("Đồng bộ với cổng dịch vụ công tỉnh")
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.not_enrolled = QLabel(NOT_ENROLLED_TEXT)
        self.not_enrolled.setObjectName("dueBanner")
        self.not_enrolled.setWordWrap(True)
        self.not_enrolled.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.not_enrolled.hide()
        self.sync_button = QPushButton("Đồng bộ ngay")
        self.sync_button.setObjectName("primary")
        self.retry_button = QPushButton("Thử lại")
        self.retry_button.setToolTip("Đưa mục đã chọn trong danh sách cách ly (hoặc tất cả, nếu không chọn mục "
                                     "nào) trở lại hàng đợi gửi.")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("hint")

        self.queue_model = QueueModel(QUEUE_COLUMNS, self)
        self.quarantine_model = QueueModel(QUARANTINE_COLUMNS, self)
        self.queue_view = _table(self.queue_model)
        self.quarantine_view = _table(self.quarantine_model)
        self.queue_title = QLabel("Hàng đợi chờ gửi")
        self.queue_title.setObjectName("sectionTitle")
        self.quarantine_title = QLabel("Cách ly (cổng từ chối)")
        self.quarantine_title.setObjectName("sectionTitle")

        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.progress_bar, 1)
        buttons.addWidget(self.progress_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.not_enrolled)
        layout.addLayout(buttons)
        layout.addWidget(self.queue_title)
        layout.addWidget(self.queue_view, 1)
        quarantine_bar = QHBoxLayout()
        quarantine_bar.addWidget(self.quarantine_title)
        quarantine_bar.addStretch()
        quarantine_bar.addWidget(self.retry_button)
        layout.addLayout(quarantine_bar)
        layout.addWidget(self.quarantine_view, 1)

        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.controller.status_changed.connect(self._on_status)
        self.controller.progress.connect(self._on_progress)
        self.controller.round_finished.connect(self._on_round_finished)
        self.controller.running_changed.connect(self._on_running)

    def activate(self) -> None:
        self.controller.refresh_status()
        self.refresh_lists()

    def refresh_lists(self) -> None:
        store = self._ctx.store

        def load() -> tuple[list[QueueRow], list[QueueRow]]:
            with store.read() as session:
                return list_items(session, WAITING, LIST_LIMIT), list_items(session, QUARANTINED, LIST_LIMIT)

        self._ctx.runner.run_read(load, self._on_lists, self._on_error, owner=self)

    def _on_lists(self, lists: tuple[list[QueueRow], list[QueueRow]]) -> None:
        queue, quarantine = lists
        self.queue_model.set_rows(queue)
        self.quarantine_model.set_rows(quarantine)
        self.retry_button.setEnabled(bool(quarantine))

    @Slot(object)
    def _on_status(self, status: SyncStatus) -> None:
        self.not_enrolled.setVisible(not status.enrolled)
        self.sync_button.setEnabled(status.enrolled and not self.controller.running)
        link = {None: "chưa kết nối lần nào", True: "kết nối được", False: "mất kết nối"}[status.online]
        text = (f"Cổng: {status.portal_url or 'chưa đăng ký'} ({link}). Chờ gửi: {status.waiting}; "
                f"cách ly: {status.quarantined}; đã gửi: {status.delivered}. "
                f"Đồng bộ thành công gần nhất: {moment_text(status.last_success)}.")
        if status.last_error:
            text += f"\nLỗi gần nhất: {status.last_error}"
        self.summary.setText(text)
        self.queue_title.setText(f"Hàng đợi chờ gửi ({status.waiting})")
        self.quarantine_title.setText(f"Cách ly — cổng từ chối ({status.quarantined})")
        if self.isVisible():
            self.refresh_lists()

    @Slot()
    def _on_sync_clicked(self) -> None:
        self.controller.start_round()

    @Slot(bool)
    def _on_running(self, running: bool) -> None:
        self.sync_button.setEnabled(not running and bool(self.controller.status and self.controller.status.enrolled))
        self.progress_bar.setVisible(running)
        if running:
            self.progress_bar.setRange(0, 0)
            self.progress_label.setText("Đang đồng bộ…")

    @Slot(object)
    def _on_progress(self, progress: SyncProgress) -> None:
        if progress.phase == "push" and progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(progress.done)
            self.progress_bar.setFormat(f"Đã gửi {progress.done}/{progress.total} mục")
        self.progress_label.setText(progress.message)

    @Slot(object)
    def _on_round_finished(self, outcome: SyncResult | BaseException) -> None:
        if isinstance(outcome, BaseException):
            self.progress_label.setText(f"Không đồng bộ được: {outcome}" if isinstance(outcome, CounterError)
                                        else f"Lỗi không mong đợi khi đồng bộ: {outcome!r}")
            return
        text = (f"Đã gửi {outcome.accepted} mục mới ({outcome.duplicates} cổng đã có), cách ly "
                f"{outcome.quarantined}, nhận {outcome.pulled} thay đổi từ cổng.")
        if outcome.error:
            text += f" {outcome.error}"
        self.progress_label.setText(text)

    @Slot()
    def _on_retry_clicked(self) -> None:
        chosen = {index.row() for index in self.quarantine_view.selectionModel().selectedRows()}
        ids = [self.quarantine_model.rows[row].id for row in sorted(chosen)] or [None]
        ctx = self._ctx

        def retry() -> int:
            return sum(retry_quarantined(ctx.store, ctx.actor, item_id) for item_id in ids)

        self._ctx.runner.run_write(retry, self._on_retried, self._on_error, owner=self)

    def _on_retried(self, count: int) -> None:
        self.progress_label.setText(f"Đã đưa {count} mục trở lại hàng đợi gửi.")
        self.controller.refresh_status()
        self.refresh_lists()

    def _on_error(self, error: BaseException) -> None:
        self.progress_label.setText(str(error) if isinstance(error, CounterError) else repr(error))


__all__ = ["SyncPage", "SyncStatusBar"]

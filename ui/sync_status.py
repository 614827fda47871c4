"""Sync in the window: one controller that runs rounds off the GUI thread, and the status-bar indicator.

A round talks to the network for as long as the link needs (minutes on 2G),
so it runs on its own one-thread pool, never on the runner's serial write
pool where it would hold up the officer's saves; the engine opens its own
short sessions. Closing the window asks the round to stop between batches
and waits for it, so nothing is cut mid-transaction.
"""

import logging
import threading
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app import clock
from app.errors import CounterError
from app.worktime import AGENCY_TZ
from sync.engine import EngineConfig, SyncProgress, SyncResult, run_sync_round
from sync.state import SyncStatus, sync_status
from ui.context import CounterContext

log = logging.getLogger("motcua.ui.sync")

STATUS_REFRESH_MS = 15_000
AUTO_SYNC_MS = 5 * 60_000
# Tighter than the status bar's other labels: four facts have to fit beside who/where and the clock.
_PADDING = "padding: 0 4px;"


def moment_text(moment: datetime | None) -> str:
    return moment.astimezone(AGENCY_TZ).strftime("%H:%M %d/%m/%Y") if moment else "chưa có"


def short_moment(moment: datetime | None) -> str:
    """The hour for today, the day otherwise: the status bar has little room."""
    if moment is None:
        return "chưa có"
    local = moment.astimezone(AGENCY_TZ)
    return local.strftime("%H:%M") if local.date() == clock.now().astimezone(AGENCY_TZ).date() else local.strftime("%d/%m")


class _Relay(QObject):
    progress = Signal(object)
    finished = Signal(object)


class _Round(QRunnable):
    def __init__(self, ctx: CounterContext, relay: _Relay, cancel: threading.Event, config: EngineConfig | None):
        super().__init__()
        self._ctx, self._relay, self._cancel, self._config = ctx, relay, cancel, config
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            outcome: Any = run_sync_round(self._ctx.store, self._config, on_progress=self._relay.progress.emit,
                                          cancel=self._cancel)
        except BaseException as error:
            if not isinstance(error, CounterError):
                log.exception("sync round failed")
            outcome = error
        self._relay.finished.emit(outcome)


class SyncController(QObject):
    """Runs at most one round at a time; tells who cares about progress, results and the status summary."""

    status_changed = Signal(object)  # SyncStatus
    progress = Signal(object)  # SyncProgress
    round_finished = Signal(object)  # SyncResult or the exception
    running_changed = Signal(bool)

    def __init__(self, ctx: CounterContext, window: QWidget, config: EngineConfig | None = None):
        super().__init__(window)
        self._ctx = ctx
        self.config = config
        self.status: SyncStatus | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._cancel = threading.Event()
        self._running = False
        self._closing = False
        self.status_timer = QTimer(self)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start(STATUS_REFRESH_MS)
        self.auto_timer = QTimer(self)
        self.auto_timer.timeout.connect(self._on_auto)
        self.auto_timer.start(AUTO_SYNC_MS)
        window.installEventFilter(self)
        QTimer.singleShot(0, self.refresh_status)

    @property
    def running(self) -> bool:
        return self._running

    @Slot()
    def refresh_status(self) -> None:
        store = self._ctx.store
        self._ctx.runner.run_read(lambda: sync_status(store), self._on_status, self._on_status_failed, owner=self)

    def _on_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_status_failed(self, error: BaseException) -> None:
        log.warning("sync status unreadable: %s", error)

    @Slot()
    def _on_auto(self) -> None:
        if self.status is not None and self.status.enrolled and not self._running:
            self.start_round()

    def start_round(self) -> bool:
        """Start a round unless one is running or the window is closing; False when not started."""
        if self._running or self._closing:
            return False
        self._running = True
        self._cancel = threading.Event()
        self.running_changed.emit(True)
        self._pool.start(_Round(self._ctx, self._relay, self._cancel, self.config))
        return True

    @Slot(object)
    def _on_progress(self, progress: SyncProgress) -> None:
        self.progress.emit(progress)

    @Slot(object)
    def _on_finished(self, outcome: SyncResult | BaseException) -> None:
        self._running = False
        self.running_changed.emit(False)
        self.round_finished.emit(outcome)
        if not self._closing:
            self.refresh_status()

    def shutdown(self, wait_ms: int = 20_000) -> bool:
        """Stop between batches and wait; the engine's transactions are short, so nothing is left half-written."""
        self._closing = True
        self.status_timer.stop()
        self.auto_timer.stop()
        self._cancel.set()
        return self._pool.waitForDone(wait_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


class SyncStatusBar(QWidget):
    """Online/offline, items waiting, last successful sync, quarantined items (red when any)."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.link_label = QLabel("Đồng bộ: …")
        self.waiting_label = QLabel()
        self.last_label = QLabel()
        self.quarantine_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for label in (self.link_label, self.waiting_label, self.last_label, self.quarantine_label):
            label.setStyleSheet(_PADDING)
            layout.addWidget(label)
        controller.status_changed.connect(self._on_status)
        controller.running_changed.connect(self._on_running)
        self._running = False

    def text(self) -> str:
        return " | ".join(w.text() for w in (self.link_label, self.waiting_label, self.last_label,
                                             self.quarantine_label) if w.text())

    @Slot(bool)
    def _on_running(self, running: bool) -> None:
        self._running = running
        if running:
            self.link_label.setText("Đang đồng bộ…")

    @Slot(object)
    def _on_status(self, status: SyncStatus) -> None:
        if not self._running:  # while a round runs the label says so; the round's end refreshes it
            self.link_label.setText("Chưa đăng ký với cổng tỉnh" if not status.enrolled else
                                    {None: "Cổng: chưa kết nối lần nào", True: "● Trực tuyến",
                                     False: "○ Mất kết nối"}[status.online])
        self.link_label.setToolTip(status.last_error or (status.portal_url or ""))
        self.waiting_label.setText(f"Chờ gửi: {status.waiting}")
        last = status.last_success
        self.last_label.setText(f"Lần cuối: {short_moment(last)}")
        self.last_label.setToolTip(f"Đồng bộ thành công gần nhất: {moment_text(last)}")
        self.quarantine_label.setText(f"Cách ly: {status.quarantined}")
        alert = status.quarantined > 0
        self.quarantine_label.setProperty("alert", alert)
        # Red only, not bold: the width must not jump and push the clock aside.
        self.quarantine_label.setStyleSheet(_PADDING + (" color: #b3261e;" if alert else ""))
        self.quarantine_label.setToolTip("Có mục bị cổng từ chối: xem trang Đồng bộ (F7)." if alert else "")
        # The bar squeezes its widgets when the window is narrow: who/where may shrink, these facts may not.
        self.layout().invalidate()
        self.setMinimumWidth(self.layout().sizeHint().width())

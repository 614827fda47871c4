"""The window locks itself when the counter is left unattended, and on demand.

An application-wide event filter restarts a timer on every key press, click,
mouse move or wheel turn. When it runs out, a lock screen covers the main
window: application-modal, so nothing behind it takes input or fires a
shortcut, and only the signed-in officer's own password opens it again
(checked off the GUI thread; wrong attempts count toward the account lockout
like any sign-in). While locked, barcode scans are ignored (the scan
listener's signals are blocked) and dialogs that pop up (a finished print, a
dossier opened before the lock) are hidden until the officer is back.
"""

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Store
from app.errors import CounterError
from app.login import authenticate
from app.permissions import Actor
from ui.tasks import TaskRunner
from ui.widgets import ERROR_STYLE

DEFAULT_IDLE_MS = 10 * 60_000
LOCK_SHORTCUT = "Ctrl+Shift+L"
_LOCK_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}
# Dialogs that run their own event loop: hiding one would end it as if cancelled, so the lock goes over it.
_RUN_THEIR_OWN_LOOP = (QMessageBox, QFileDialog, QPrintDialog)

LOCK_STYLE = """
QDialog#lockScreen { background: #1f3a5f; }
QFrame#lockCard { background: white; border-radius: 10px; }
QLabel#lockTitle { font-size: 18pt; font-weight: 600; color: #1f3a5f; }
"""


class LockScreen(QDialog):
    """Covers the main window; `unlocked` once the same officer's password is accepted."""

    unlocked = Signal()

    def __init__(self, window: QWidget, store: Store, runner: TaskRunner, actor: Actor, agency: str):
        super().__init__(window, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self._store = store
        self._runner = runner
        self._actor = actor
        self._may_close = False
        self.setObjectName("lockScreen")
        self.setStyleSheet(LOCK_STYLE)
        self.setWindowTitle("Màn hình đã khóa — Quầy Một cửa")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)

        title = QLabel("Màn hình đã khóa")
        title.setObjectName("lockTitle")
        self.who = QLabel(f"{agency}<br>Cán bộ đang làm việc: <b>{actor.full_name}</b> ({actor.username})")
        self.who.setWordWrap(True)
        hint = QLabel("Nhập mật khẩu của bạn để tiếp tục. Công việc đang dở vẫn được giữ nguyên.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("mật khẩu")
        self.unlock_button = QPushButton("Mở khóa")
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)

        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(460)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(10)
        card_layout.addWidget(title)
        card_layout.addWidget(self.who)
        card_layout.addWidget(hint)
        card_layout.addLayout(row)
        card_layout.addWidget(self.error)
        outer = QVBoxLayout(self)
        outer.addStretch()
        centre = QHBoxLayout()
        centre.addStretch()
        centre.addWidget(card)
        centre.addStretch()
        outer.addLayout(centre)
        outer.addStretch()

        self.unlock_button.clicked.connect(self._on_unlock)
        self.password.returnPressed.connect(self._on_unlock)

    @Slot()
    def _on_unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        self.error.clear()
        store, username, password = self._store, self._actor.username, self.password.text()
        self._runner.run_write(lambda: authenticate(store, username, password, via="unlock"), self._on_checked,
                               self._on_refused, owner=self)

    def _on_checked(self, actor: Actor) -> None:
        if actor.user_id != self._actor.user_id:  # cannot happen: only this officer's name is checked
            self._on_refused(CounterError("Chỉ cán bộ đã khóa màn hình mới mở khóa được."))
            return
        self._may_close = True
        self.password.clear()
        self.accept()
        self.unlocked.emit()

    def _on_refused(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.error.setText(str(error) if isinstance(error, CounterError) else f"Lỗi không mong đợi: {error}")
        self.password.selectAll()
        self.password.setFocus()

    def reject(self) -> None:
        pass  # Escape does not unlock

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            super().closeEvent(event)
        else:
            event.ignore()

    def release(self) -> None:
        """Close for good (the application is quitting)."""
        self._may_close = True
        self.done(QDialog.DialogCode.Rejected)


class IdleLock(QObject):
    """Owned by the main window. Signals: `locked_changed(bool)`."""

    locked_changed = Signal(bool)

    def __init__(self, window: QWidget, store: Store, runner: TaskRunner, actor: Actor, agency: str,
                 idle_ms: int | None = None):
        super().__init__(window)
        self._window = window
        self._store = store
        self._runner = runner
        self._actor = actor
        self._agency = agency
        self.screen: LockScreen | None = None
        self._hidden: list[QWidget] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms if idle_ms is not None else DEFAULT_IDLE_MS)
        self._timer.timeout.connect(self.lock)
        self._timer.start()
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.installEventFilter(self)
        if idle_ms is None:
            runner.run_read(self._read_setting, self._on_setting, owner=self)

    def _read_setting(self) -> int:
        from app.settings import IDLE_MINUTES

        with self._store.read() as session:
            return int(IDLE_MINUTES.get(session)) * 60_000

    def _on_setting(self, milliseconds: int) -> None:
        self.set_timeout_ms(milliseconds)

    def set_timeout_ms(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)
        if not self.is_locked():
            self._timer.start()

    def timeout_ms(self) -> int:
        return self._timer.interval()

    def is_locked(self) -> bool:
        return self.screen is not None

    @Slot()
    def lock(self) -> None:
        if self.is_locked() or not shiboken6.isValid(self._window):
            return
        self._timer.stop()
        self._set_scans_blocked(True)
        self.screen = LockScreen(self._window, self._store, self._runner, self._actor, self._agency)
        self.screen.unlocked.connect(self._on_unlocked)
        for widget in list(QCoreApplication.instance().topLevelWidgets()):  # type: ignore[union-attr]
            self._cover(widget)
        self._fit()
        self.screen.open()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password.setFocus()
        self.locked_changed.emit(True)

    def _set_scans_blocked(self, blocked: bool) -> None:
        listener = getattr(self._window, "scan_listener", None)
        if isinstance(listener, QObject):
            if blocked and hasattr(listener, "reset"):
                listener.reset()
            listener.blockSignals(blocked)

    def _cover(self, widget: QWidget) -> None:
        """Hide another window of ours that shows (or would show) a citizen's data while locked."""
        if (self.screen is None or widget is self.screen or widget is self._window or not widget.isVisible()
                or not self._belongs(widget)):
            return
        if isinstance(widget, _RUN_THEIR_OWN_LOOP):
            # It keeps its loop; the lock screen goes on top again and takes the input back.
            QTimer.singleShot(0, self, self._reassert)
            return
        widget.hide()
        self._hidden.append(widget)

    @Slot()
    def _reassert(self) -> None:
        if self.screen is not None:
            self.screen.hide()
            self.screen.open()
            self.screen.raise_()
            self.screen.activateWindow()
            self.screen.password.setFocus()

    def _belongs(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self._window:
                return True
            parent = parent.parentWidget()
        return False

    def _fit(self) -> None:
        if self.screen is not None:
            self.screen.setGeometry(self._window.frameGeometry())

    @Slot()
    def _on_unlocked(self) -> None:
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.deleteLater()
        self._set_scans_blocked(False)
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden = []
        self._timer.start()
        self.locked_changed.emit(False)

    def release(self) -> None:
        """The window is closing: no lock any more, and the filter goes."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.screen is not None:
            self.screen.release()
            self.screen = None

    def _is_lock_key(self, watched: QObject, event: QEvent) -> bool:
        return (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_L
                and event.modifiers() == _LOCK_MODIFIERS and isinstance(watched, QWidget)
                and (watched.window() is self._window or self._belongs(watched.window())))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # The lock key works from the dossier dialogs too, where the window's own shortcuts are blocked.
        if kind == QEvent.Type.ShortcutOverride and self._is_lock_key(watched, event):
            event.accept()
            return True
        if kind == QEvent.Type.KeyPress and self._is_lock_key(watched, event):
            self.lock()
            return True
        if kind in _ACTIVITY:
            if self.screen is None:
                self._timer.start()
            return False
        if self.screen is None:
            return False
        if watched is self._window and kind in (QEvent.Type.Move, QEvent.Type.Resize):
            self._fit()
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self._cover(watched)
        return False


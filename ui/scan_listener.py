"""Barcode scans anywhere in the window.

A handheld scanner is a keyboard: it types the dossier code printed on form 01
very fast and ends with Enter. An application-level event filter watches the
key presses sent to the main window and its dialogs and recognises such a
burst (printable keys less than 50 ms apart, at least 10 of them, then Enter —
or Tab, which some scanners are configured to send — looking like a dossier
code). Wherever the focus was, the widget that received the characters is put
back as it was before the burst, the Enter or Tab is swallowed (so it does not
press a default button, submit a search or move the focus), and
`code_scanned(code)` is emitted.

Characters are let through while a burst is still ambiguous: an officer's own
typing is never delayed, and a fast burst that turns out not to be a code
stays where it was typed.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

CODE_PATTERN = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4}$", re.IGNORECASE)
MAX_GAP_S = 0.050
MIN_LENGTH = 10

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
                  Qt.Key.Key_CapsLock)
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | \
    Qt.KeyboardModifier.MetaModifier


def looks_like_code(text: str) -> bool:
    return len(text) >= MIN_LENGTH and CODE_PATTERN.match(text) is not None


@dataclass
class _Snapshot:
    """How the widget that received a burst's first key looked before it; `restore` puts it back."""

    widget: QWidget
    restore_fn: Callable[[], None]

    def restore(self) -> None:
        if shiboken6.isValid(self.widget):
            self.restore_fn()


def _snapshot(widget: QWidget) -> _Snapshot | None:
    if isinstance(widget, QLineEdit):
        text, cursor, modified = widget.text(), widget.cursorPosition(), widget.isModified()

        def restore_line() -> None:
            if widget.text() != text:
                widget.setText(text)
                widget.setModified(modified)
            widget.setCursorPosition(cursor)
        return _Snapshot(widget, restore_line)
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        document = widget.document()
        count, position = document.characterCount(), widget.textCursor().position()

        def restore_text() -> None:
            inserted = document.characterCount() - count
            cursor = widget.textCursor()
            if inserted > 0 and cursor.position() - inserted == position:
                cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                widget.setTextCursor(cursor)
        return _Snapshot(widget, restore_text)
    if isinstance(widget, QDateTimeEdit):
        moment = widget.dateTime()
        return _Snapshot(widget, lambda: widget.setDateTime(moment))
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        number = widget.value()
        return _Snapshot(widget, lambda: widget.setValue(number))
    if isinstance(widget, QComboBox):
        index, text = widget.currentIndex(), widget.currentText()

        def restore_combo() -> None:
            widget.setCurrentIndex(index)
            if widget.isEditable():
                widget.setEditText(text)
        return _Snapshot(widget, restore_combo)
    if isinstance(widget, QAbstractItemView):
        current = QPersistentModelIndex(widget.currentIndex())

        def restore_view() -> None:
            if current.isValid():
                widget.setCurrentIndex(widget.model().index(current.row(), current.column(), current.parent()))
        return _Snapshot(widget, restore_view)
    return None


class ScanListener(QObject):
    """Installed on the application, owned by the main window.

    Signals: `code_scanned(str)` with the scanned dossier code, upper-cased, emitted
    once the key event that completed it has been handled.
    """

    code_scanned = Signal(str)

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic):
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._chars: list[str] = []
        self._last = float("-inf")
        self._snapshot: _Snapshot | None = None
        # A key event that a widget ignores travels on to its parents through the same filter.
        self._last_event: int = 0
        self._last_receiver: QWidget | None = None
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def reset(self) -> None:
        self._chars = []
        self._snapshot = None
        self._last = float("-inf")

    def _belongs(self, widget: QWidget) -> bool:
        top: QWidget | None = widget.window()
        while top is not None:
            if top is self._window:
                return True
            parent = top.parentWidget()
            top = parent.window() if parent is not None else None
        return False

    def _is_propagation(self, event: QEvent, receiver: QWidget) -> bool:
        pointer = shiboken6.getCppPointer(event)[0]
        previous, self._last_event = self._last_event, pointer
        last = self._last_receiver
        self._last_receiver = receiver
        if pointer != previous or last is None or not shiboken6.isValid(last):
            return False
        # Ignored key events travel up to the parents; a new event sent to the focus widget may reuse the address.
        return receiver is not last and receiver.isAncestorOf(last)

    def _burst_code(self, now: float) -> str | None:
        text = "".join(self._chars)
        if self._chars and now - self._last < MAX_GAP_S and looks_like_code(text):
            return text.upper()
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        kind = event.type()
        if kind != QEvent.Type.KeyPress and kind != QEvent.Type.ShortcutOverride:
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent) or not self._belongs(watched):
            return False
        key = event.key()
        if kind == QEvent.Type.ShortcutOverride:
            # The key ending a scan must not trigger a shortcut either: claim it for the key press.
            if key in _ENTER_KEYS and self._burst_code(self._clock()) is not None:
                event.accept()
                return True
            return False
        if self._is_propagation(event, watched):
            return False
        return self._on_key_press(watched, event)

    def _on_key_press(self, receiver: QWidget, event: QKeyEvent) -> bool:
        now = self._clock()
        key = event.key()
        if key in _ENTER_KEYS:
            code = self._burst_code(now)
            snapshot = self._snapshot
            self.reset()
            if code is None:
                return False
            if snapshot is not None:
                snapshot.restore()
            event.accept()
            QTimer.singleShot(0, self, lambda: self.code_scanned.emit(code))
            return True
        if key in _MODIFIER_KEYS:
            return False  # scanners press Shift for capital letters
        text = event.text()
        if len(text) == 1 and text.isprintable() and not (event.modifiers() & _COMMAND_MODIFIERS):
            if self._chars and now - self._last < MAX_GAP_S:
                self._chars.append(text)
            else:
                self._chars = [text]
                self._snapshot = _snapshot(receiver)
            self._last = now
            return False
        self.reset()
        return False

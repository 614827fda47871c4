"""Running work off the GUI thread and handing results back to it.

Database writes go through one serial pool so that the counter's writes are
ordered and never contend; reads and rendering share a small parallel pool.
Workers catch everything: a `CounterError` reaches `on_error` as a message for
the officer, anything else is logged as a bug and reported too, so the window
never freezes and never dies silently.

One long-lived relay object carries every outcome back (tagged with the job's
number): creating and deleting a QObject per job invites use-after-free when a
window closes while work is still running.
"""

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("motcua.ui.tasks")


class _Relay(QObject):
    """Lives on the GUI thread; queued signals carry a worker's outcome back there."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, number: int, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._number = number
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # noqa: BLE001 — handed to the GUI, never swallowed
            if not _is_expected(error):
                log.exception("background task failed")
            self._relay.failed.emit(self._number, error)
        else:
            self._relay.succeeded.emit(self._number, result)


def _is_expected(error: BaseException) -> bool:
    from app.errors import CounterError, describe_environment_error

    if isinstance(error, CounterError):
        return True
    # A full disk or a locked database is the machine's fault, not a bug: one line, no traceback.
    environment = describe_environment_error(error)
    if environment is not None:
        log.warning("environment problem: %s", error)
    return environment is not None


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None

    def owner_alive(self) -> bool:
        # A window closed while its work was running must not be touched afterwards.
        return self.owner is None or shiboken6.isValid(self.owner)


class TaskRunner(QObject):
    """`run_write` for anything that changes the database; `run_read` for everything else.

    Signals: `busy_changed(bool)` when the first job starts and the last one ends.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._on_succeeded)
        self._relay.failed.connect(self._on_failed)
        self._numbers = itertools.count(1)
        self._pending: dict[int, _Pending] = {}

    def run_write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None, owner: QObject | None = None) -> None:
        """`owner`: the widget the callbacks touch; they are skipped if it is gone by the time the work ends."""
        self._start(self._writes, fn, _Pending(on_done, on_error, owner))

    def run_read(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None, owner: QObject | None = None) -> None:
        self._start(self._reads, fn, _Pending(on_done, on_error, owner))

    def _start(self, pool: QThreadPool, fn: Callable[[], Any], pending: _Pending) -> None:
        number = next(self._numbers)
        self._pending[number] = pending
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        pool.start(_Job(number, fn, self._relay))

    def _finish(self, number: int) -> _Pending | None:
        pending = self._pending.pop(number, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return pending if pending is not None and pending.owner_alive() else None

    @Slot(int, object)
    def _on_succeeded(self, number: int, result: Any) -> None:
        pending = self._finish(number)
        if pending and pending.on_done:
            pending.on_done(result)

    @Slot(int, object)
    def _on_failed(self, number: int, error: BaseException) -> None:
        pending = self._finish(number)
        if pending and pending.on_error:
            pending.on_error(error)

    def is_idle(self) -> bool:
        return not self._pending

    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Used at shutdown: let a running save finish before the process ends."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)

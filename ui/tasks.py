"""Running work off the GUI thread and handing results back to it.

Database writes go through one serial pool so that the counter's writes are
ordered and never contend; reads and rendering share a small parallel pool.
Workers catch everything: a `CounterError` reaches `on_error` as a message for
the officer, anything else is logged as a bug and reported too, so the window
never freezes and never dies silently.
"""

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("motcua.ui.tasks")


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry a worker's outcome back there."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # noqa: BLE001 — handed to the GUI, never swallowed
            if not _is_expected(error):
                log.exception("background task failed")
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


def _is_expected(error: BaseException) -> bool:
    from app.errors import CounterError

    return isinstance(error, CounterError)


class TaskRunner(QObject):
    """`run_write` for anything that changes the database; `run_read` for everything else."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._pending: set[_Relay] = set()

    def run_write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None) -> None:
        self._start(self._writes, fn, on_done, on_error)

    def run_read(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        self._start(self._reads, fn, on_done, on_error)

    def _start(self, pool: QThreadPool, fn: Callable[[], Any], on_done: Callable[[Any], None] | None,
               on_error: Callable[[BaseException], None] | None) -> None:
        relay = _Relay(self)
        self._pending.add(relay)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)

        def finish() -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            if not self._pending:
                self.busy_changed.emit(False)

        def done(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            if on_error:
                on_error(error)

        relay.succeeded.connect(done)
        relay.failed.connect(failed)
        pool.start(_Job(fn, relay))

    def is_idle(self) -> bool:
        return not self._pending

    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Used at shutdown: let a running save finish before the process ends."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)

"""One window per data directory, and a record of how the previous one ended.

The window holds a lock file in the data directory for as long as it is open
and removes it when it closes normally. A lock file left by a process that no
longer exists means the previous session was cut short (power cut, crash,
killed): the next start says so, after the database has passed its check, so
the officer knows that everything saved before the cut is still there.
"""

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_NAME = "phien-lam-viec.lock"

ABRUPT_END_TEXT = ("Lần trước ứng dụng đã tắt đột ngột (mất điện, treo máy hoặc bị buộc đóng). Dữ liệu đã được "
                   "kiểm tra và nguyên vẹn: mọi hồ sơ đã lưu trước lúc đó vẫn còn đủ. Hồ sơ đang nhập dở mà chưa "
                   "bấm Lưu thì cần nhập lại.")
ALREADY_OPEN_TEXT = ("Quầy Một cửa đang mở ở một cửa sổ khác trên máy này với cùng thư mục dữ liệu. "
                     "Hãy dùng cửa sổ đó (xem trên thanh tác vụ), hoặc đóng nó trước khi mở lại.")


class SessionGuard:
    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        # Only a dead owner makes the lock stale, however long a counter stays open.
        self._lock.setStaleLockTime(0)
        self.previous_ended_abruptly = False

    def acquire(self) -> bool:
        """False when another live window holds this data directory."""
        left_behind = self.path.exists()
        if not self._lock.tryLock(500):
            return False
        self.previous_ended_abruptly = left_behind
        return True

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

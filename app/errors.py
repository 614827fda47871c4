"""Errors the counter reports to people, in Vietnamese.

Environment and input problems are `CounterError`s: the message is shown as
is, to the officer in the window or on stderr headless. Anything else is a
bug and is logged with its traceback.
"""

from dataclasses import dataclass


class CounterError(Exception):
    """A problem the user can act on; `str(error)` is the Vietnamese message."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class ValidationFailed(CounterError):
    """Input was refused; nothing was written. One message per offending field."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))

    def for_field(self, field: str) -> str | None:
        return next((p.message for p in self.problems if p.field == field), None)


class NotFound(CounterError):
    pass


class NotInitialised(CounterError):
    def __init__(self) -> None:
        super().__init__(
            "Quầy chưa được thiết lập. Hãy mở ứng dụng để thiết lập, "
            "hoặc chạy: motcua init --agency-code … --agency-name … --parent-name … "
            "--level commune --counter 1 --admin-user … --admin-password …"
        )


class PermissionDenied(CounterError):
    pass


class DatabaseTooNew(CounterError):
    pass


class DatabaseDamaged(CounterError):
    """The live database failed its check at start; it is not opened. `backup` is the newest copy that passes."""

    def __init__(self, db_path: object, problem: str, backup: object | None = None):
        self.db_path = db_path
        self.problem = problem
        self.backup = backup
        advice = (f" Bản sao lưu tốt gần nhất: {backup}. Khôi phục bằng lệnh: motcua restore \"{backup}\""
                  if backup else " Không tìm thấy bản sao lưu nào còn tốt; hãy liên hệ bộ phận kỹ thuật.")
        super().__init__(f"Cơ sở dữ liệu {db_path} bị hỏng ({problem}); ứng dụng không mở nó để tránh ghi "
                         f"thêm vào tệp hỏng.{advice}")


def describe_environment_error(error: BaseException) -> str | None:
    """A Vietnamese explanation when the machine, not the program, is at fault (disk full, read-only, locked)."""
    import errno
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).lower()
    if isinstance(original, sqlite3.Error) or isinstance(error, DBAPIError):
        if "disk is full" in text or "disk i/o error" in text:
            return ("Ổ đĩa đã đầy hoặc bị lỗi nên không ghi được dữ liệu. Thao tác vừa rồi chưa được lưu; "
                    "dữ liệu đã lưu trước đó vẫn nguyên vẹn. Hãy giải phóng dung lượng ổ đĩa rồi thử lại.")
        if "readonly" in text or "read-only" in text:
            return ("Thư mục dữ liệu đang ở chế độ chỉ đọc nên không ghi được. Thao tác vừa rồi chưa được lưu. "
                    "Hãy kiểm tra quyền ghi của thư mục dữ liệu hoặc ổ USB.")
        if "locked" in text or "busy" in text:
            return ("Cơ sở dữ liệu đang bị một chương trình khác giữ (có thể một cửa sổ Quầy Một cửa khác đang mở). "
                    "Thao tác vừa rồi chưa được lưu; hãy đóng chương trình kia rồi thử lại.")
        if "unable to open" in text:
            return "Không mở được tệp dữ liệu. Hãy kiểm tra thư mục dữ liệu còn tồn tại và có quyền ghi."
        return None
    if isinstance(original, OSError):
        where = f" ({original.filename})" if original.filename else ""
        if original.errno == errno.ENOSPC:
            return f"Ổ đĩa đã đầy, không ghi được tệp{where}. Hãy giải phóng dung lượng rồi thử lại."
        if original.errno == errno.EROFS:
            return (f"Thư mục dữ liệu đang ở chế độ chỉ đọc{where} nên không ghi được. Thao tác vừa rồi chưa được "
                    "lưu. Hãy kiểm tra ổ đĩa hoặc ổ USB (có thể đang bị khoá ghi).")
        if original.errno in (errno.EACCES, errno.EPERM):
            return f"Không có quyền ghi{where}. Hãy chọn thư mục khác hoặc kiểm tra quyền truy cập."
        if original.errno == errno.ENOENT:
            return f"Không tìm thấy tệp hoặc thư mục{where}."
        return f"Lỗi hệ thống tệp{where}: {original.strerror or original}."
    return None

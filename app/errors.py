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

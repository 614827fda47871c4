"""Writing a file so that a power cut leaves the old file or the new one, never half of one."""

import os
from pathlib import Path

from app.db import restrict_to_owner
from app.errors import CounterError


def write_atomically(path: Path, data: bytes, *, owner_only: bool = False, what: str = "tệp") -> None:
    """Write to `<name>.partial`, fsync, rename over *path*. With *owner_only* the file is 0600 from its creation,
    never readable by others even for a moment (keys, exports with identity data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if owner_only:
        restrict_to_owner(path.parent)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(partial, flags, 0o600 if owner_only else 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CounterError(f"Không ghi được {what} {path}: {error.strerror or error}.") from None
    if owner_only:
        restrict_to_owner(path)

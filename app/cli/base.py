"""What every command shares: the run context, argument types, output helpers."""

import argparse
import json
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import CounterError
from app.paths import resolve_data_dir

USER_ENV = "MOTCUA_USER"
PASSWORD_ENV = "MOTCUA_PASSWORD"


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD") from None


def parse_moment(text: str) -> datetime:
    """ISO date-time; without a zone it is the agency's local time."""
    from app.worktime import AGENCY_TZ

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"thời điểm '{text}' không đúng dạng YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=AGENCY_TZ)


class Context:
    def __init__(self, args: argparse.Namespace):
        from app.bootstrap import open_store

        self.args = args
        self.store = open_store(resolve_data_dir(args.data_dir))

    def actor(self) -> Any:
        """Who runs this command: --user / MOTCUA_USER (checked against MOTCUA_PASSWORD when set)."""
        from app.permissions import Actor
        from app.profile import load_profile
        from app.users import actor_for, authenticate, find_user, first_admin

        username = self.args.user or os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        with self.store.read() as session:
            load_profile(session)
            if username and password is not None:
                actor: Actor = authenticate(session, username, password)
                return actor
            user = find_user(session, username) if username else first_admin(session)
            if user is None or not user.active:
                raise CounterError(f"Không có tài khoản đang hoạt động '{username or 'quản trị'}'.")
            return actor_for(user)


def write_file_atomically(path: Path, data: bytes) -> None:
    """A power cut while saving leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CounterError(f"Không ghi được tệp {path}: {error.strerror or error}.") from None

Handler = Callable[[Context], int]


class CommandLine:
    """The `motcua` sub-command tree; areas add commands and share groups such as `print`."""

    def __init__(self, subparsers: Any):
        self.sub = subparsers
        self._groups: dict[str, Any] = {}

    def group(self, name: str, help: str = "") -> Any:
        """The sub-commands under `motcua NAME`, created once and shared by every area that adds to it."""
        if name not in self._groups:
            self._groups[name] = self.sub.add_parser(name, help=help).add_subparsers(dest="action", required=True)
        return self._groups[name]

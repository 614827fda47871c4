"""What every command shares: the run context, argument types, output helpers."""

import argparse
import getpass
import json
import os
import sys
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


class StandaloneContext:
    """For commands that need no counter database (checking a slip, running the portal): none is opened or created."""

    def __init__(self, args: argparse.Namespace):
        self.args = args


class Context:
    def __init__(self, args: argparse.Namespace):
        from app.bootstrap import open_store

        self.args = args
        self.store = open_store(resolve_data_dir(args.data_dir))
        self._actor: Any = None
        self.password: str | None = None  # the signed-in actor's, kept for `passwd`

    def actor(self, allow_password_change_pending: bool = False) -> Any:
        """Who runs this command: --user / MOTCUA_USER, proven by MOTCUA_PASSWORD or a prompt on a terminal.

        Nobody is assumed: a command that acts on someone's behalf needs that someone's password, so a
        script cannot borrow the administrator's rights and every change in the audit trail has a name.
        """
        from app.login import sign_in
        from app.profile import load_profile

        if self._actor is not None:
            return self._actor
        with self.store.read() as session:
            load_profile(session)  # an uninitialised counter says so before asking who is there
        interactive = sys.stdin is not None and sys.stdin.isatty()
        username = self.args.user or os.environ.get(USER_ENV)
        if not username:
            if not interactive:
                raise CounterError(f"Lệnh này cần biết ai thực hiện: thêm --user TÊN_ĐĂNG_NHẬP (hoặc đặt biến "
                                   f"{USER_ENV}) và mật khẩu trong biến {PASSWORD_ENV}.")
            username = input("Tên đăng nhập: ").strip()
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not interactive:
                raise CounterError(f"Chưa có mật khẩu của tài khoản '{username}': đặt biến {PASSWORD_ENV}, "
                                   "hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập mật khẩu.")
            password = getpass.getpass(f"Mật khẩu của {username}: ")
        signed = sign_in(self.store, username, password, via="cli")
        if signed.must_change_password and not allow_password_change_pending:
            raise CounterError(f"Mật khẩu của tài khoản '{signed.actor.username}' đã được quản trị viên đặt lại; "
                               "hãy đổi mật khẩu trước: motcua passwd")
        self._actor = signed.actor
        self.password = password
        return signed.actor


def write_file_atomically(path: Path, data: bytes) -> None:
    """A power cut while saving leaves either the old file or the new one, never half of one."""
    from app.files import write_atomically

    write_atomically(path, data)


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

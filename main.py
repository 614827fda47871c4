"""Quầy Một cửa: composition root and command line.

`motcua` with no command opens the window; every other command runs headless
on the same use cases in `app/`, so the counter can be scripted and tested
without a display. Each area registers its own commands (`app/cli/`,
`printing/cli.py`, …); this module only puts them together.
"""

import argparse
import os
import sys

from app.cli.base import USER_ENV, CommandLine, Context
from app.errors import CounterError, describe_environment_error
from app.paths import resolve_data_dir

# Each module has register(cli); order is the order of `motcua --help`.
COMMAND_MODULES = ("app.cli.counter", "app.cli.dossiers", "app.cli.users", "app.cli.trust", "app.cli.trust_keys",
                   "printing.cli", "printing.report_cli",
                   "app.cli.warnings", "sync.cli", "sync.bundle_cli")


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.application import run_gui

    return run_gui(resolve_data_dir(args.data_dir))


def build_parser() -> argparse.ArgumentParser:
    import importlib

    from app.cli.parser import ArgumentParser

    parser = ArgumentParser(prog="motcua", description="Quầy Một cửa — tiếp nhận và trả kết quả hồ sơ.")
    parser.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng, "
                                           "hoặc biến MOTCUA_DATA_DIR)")
    parser.add_argument("--user", help=f"tài khoản thực hiện lệnh (hoặc biến {USER_ENV})")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    sub.add_parser("gui", help="mở cửa sổ ứng dụng (mặc định)")
    cli = CommandLine(sub)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return cmd_gui(args)
    try:
        # A command may bring its own context (restore must start even when the database is damaged).
        return int(args.handler(getattr(args, "context", Context)(args)))
    except CounterError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        message = describe_environment_error(error)
        if message is None:
            raise
        print(f"Lỗi: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""argparse speaking Vietnamese: a mistyped command gets "Lỗi: …" like every other refusal.

argparse's own complaints ("error: argument --sets: invalid int value") are
English and end in a usage dump; an officer at a script or a batch file
needs to know in Vietnamese which option was wrong. Exit status stays 2
(a usage error), as argparse and the shell expect.
"""

import argparse
import re
import sys
from typing import NoReturn

_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.DOTALL), r) for p, r in (
    (r"^the following arguments are required: (.*)$", r"thiếu tham số bắt buộc: \1"),
    (r"^argument (.+?): invalid int value: (.*)$", r"tham số \1: \2 không phải số nguyên"),
    (r"^argument (.+?): invalid float value: (.*)$", r"tham số \1: \2 không phải số"),
    (r"^argument (.+?): invalid choice: (.*?) \(choose from (.*)\)$", r"tham số \1: \2 không hợp lệ (chọn một trong: \3)"),
    (r"^argument (.+?): invalid \w+ value: (.*)$", r"tham số \1: giá trị \2 không hợp lệ"),
    (r"^argument (.+?): expected one argument$", r"tham số \1 cần một giá trị"),
    (r"^argument (.+?): expected (.*)$", r"tham số \1 thiếu giá trị"),
    (r"^argument (.+?): ignored explicit argument (.*)$", r"tham số \1 không nhận giá trị \2"),
    (r"^argument (.+?): not allowed with argument (.*)$", r"tham số \1 không dùng cùng với \2"),
    (r"^unrecognized arguments: (.*)$", r"không hiểu tham số: \1"),
    (r"^ambiguous option: (.*?) could match (.*)$", r"tùy chọn \1 chưa rõ, có thể là: \2"),
    (r"^argument (.+?): (.*)$", r"tham số \1: \2"),  # our own ArgumentTypeError texts are Vietnamese already
))


def vietnamese_usage_error(message: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return f"lệnh không hợp lệ ({message})"


class ArgumentParser(argparse.ArgumentParser):
    """Sub-command parsers inherit this class (argparse uses the parent's type for them)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"Lỗi: {vietnamese_usage_error(message)}.\nXem hướng dẫn: {self.prog} --help\n")
        sys.exit(2)

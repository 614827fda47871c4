"""Bad input on the command line (issue #7): real `motcua` processes fed hostile arguments.

Every run ends in success (0), a refusal (1, "Lỗi: …") or a usage error
(2, "Lỗi: …" in Vietnamese, not argparse's English); never a traceback, and
a refused command writes nothing.
"""

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bootstrap import initialise_counter, open_store
from app.cli.parser import vietnamese_usage_error
from app.profile import SAMPLE_SETUP
from tests.reliability.inputs import examples, hostile_text, is_vietnamese_message

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("dossier", "dossier_event", "dossier_document", "audit_entry", "outbox", "payment", "calendar_override",
          "procedure", "sequence")


@pytest.fixture(scope="module")
def counter_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    store = open_store(data_dir)
    initialise_counter(store, SAMPLE_SETUP)
    store.dispose()
    yield data_dir


def counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "motcua.sqlite3") as conn:
        found = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        # Signing in (MOTCUA_PASSWORD) is itself audited before the command is tried; that row is not the command's.
        found["audit_entry"] -= conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'user.login'"
                                             ).fetchone()[0]
        return found


# argv cannot carry NUL; everything else goes.
arg = hostile_text.map(lambda s: s.replace("\x00", ""))
date_text = st.one_of(st.dates().map(str), st.sampled_from(["2026-02-30", "2026-13-01", "31/12/2026", "", "0000-00-00",
                                                            "2026-11-16T25:00", "9999-12-31"]), arg)
number_text = st.one_of(st.integers().map(str), st.sampled_from(["", "1e9", "-0", "0x10", "٣", "１２"]), arg)
commands = st.one_of(
    st.tuples(st.just("receive"), st.just("--procedure"), st.one_of(st.just("1.001193"), arg),
              st.just("--owner-name"), arg, st.just("--owner-id"), st.one_of(st.just("001085123456"), arg),
              st.just("--dob"), date_text, st.just("--sets"), number_text, st.just("--note"), arg,
              st.just("--address"), arg, st.just("--received-at"), date_text),
    st.tuples(st.just("act"), arg, st.sampled_from(["forward", "refuse", "return", "extend", "bogus"]),
              st.just("--reason"), arg, st.just("--new-due"), date_text),
    st.tuples(st.just("pay"), arg, st.just("--amount"), number_text, st.just("--payer"), arg),
    st.tuples(st.just("calendar"), st.sampled_from(["add-holiday", "add-workday"]), date_text, arg),
    st.tuples(st.just("catalog"), st.sampled_from(["import", "search"]), arg),
    st.tuples(st.just("lookup"), arg),
    st.tuples(st.just("search"), arg, st.just("--limit"), number_text),
    # Anything after a real command name (no command at all would open the window).
    st.tuples(st.sampled_from(["receive", "act", "pay", "lookup", "search", "calendar", "catalog", "print"]),
              st.lists(arg, max_size=4)).map(lambda t: (t[0], *t[1])),
).map(list)


@settings(max_examples=examples(12))
@given(argv=commands)
def test_command_line_refuses_in_vietnamese(counter_dir: Path, argv: list[str]) -> None:
    before = counts(counter_dir)
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(counter_dir), *argv], cwd=ROOT, check=False,
                            capture_output=True, text=True, encoding="utf-8", timeout=120,
                            env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
                                 "MOTCUA_USER": "quantri", "MOTCUA_PASSWORD": "motcua2026"})
    assert "Traceback" not in result.stderr, result.stderr
    if argv and argv[0] in ("lookup", "search", "catalog") and result.returncode == 0:
        return
    if result.returncode == 0:
        assert argv[0] in ("receive", "act", "pay", "calendar"), (argv, result.stdout)
        return
    assert result.returncode in (1, 2), (result.returncode, result.stderr)
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("Lỗi: ") and is_vietnamese_message(first), result.stderr
    assert counts(counter_dir) == before, "a refused command wrote something"


@pytest.mark.parametrize("message", [
    "the following arguments are required: --procedure, --owner-name",
    "argument --sets: invalid int value: 'x'",
    "argument action: invalid choice: 'x' (choose from 'forward', 'ready')",
    "argument --procedure: expected one argument",
    "unrecognized arguments: --bogus",
    "ambiguous option: --re could match --reason, --receiver-name",
])
def test_every_argparse_complaint_is_translated(message: str) -> None:
    assert is_vietnamese_message(vietnamese_usage_error(message))

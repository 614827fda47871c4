"""Tests for dossier codes `{agency}-{yyMMdd}-{NNNN}` (app.codes, through app.intake).

The sample counter (conftest `store`) is agency H15.50.05.13, counter 1, so
its codes are H15.50.05.13-yyMMdd-0001 … -0999; counter 2 of the same agency
issues -1001 … -1999 the same day.

`app.clock.now` is the one place the app reads the device clock; tests that
need a fixed "now" pin it there (with a UTC value, like the real clock).
"""

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from app import clock
from app.bootstrap import initialise_counter, open_store
from app.catalog import get_procedure
from app.codes import format_code
from app.db import Store
from app.errors import CounterError
from app.intake import IntakeRequest, IntakeResult, PersonInput, all_documents, receive
from app.permissions import Actor
from app.profile import SAMPLE_SETUP, code_slot_for
from app.worktime import AGENCY_TZ
from models.tables import Sequence

MAIN = Path(__file__).resolve().parent.parent / "main.py"
AGENCY = "H15.50.05.13"
CODE_RE = re.compile(r"^(?P<agency>H15\.50\.05\.13)-(?P<day>\d{6})-(?P<number>\d{4})$")
PROCEDURE = "1.004873"  # xác nhận tình trạng hôn nhân, 3 working days


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AGENCY_TZ)


def request(store: Store, received_at: datetime | None = None, name: str = "Nguyễn Văn An") -> IntakeRequest:
    with store.read() as session:
        _, spec = get_procedure(session, PROCEDURE)
    return IntakeRequest(
        procedure_code=PROCEDURE,
        owner=PersonInput(full_name=name, id_number="001085012345", phone="0912345678"),
        documents=all_documents(spec), received_at=received_at)


def take(store: Store, actor: Actor, received_at: datetime | None = None) -> IntakeResult:
    return receive(store, actor, request(store, received_at))


def number_of(code: str) -> int:
    match = CODE_RE.match(code)
    assert match, code
    return int(match["number"])


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def second_counter(tmp_path: Path, number: int) -> tuple[Store, Actor]:
    other = open_store(tmp_path / f"counter{number}")
    actor = initialise_counter(other, dataclasses.replace(SAMPLE_SETUP, counter_number=number))
    return other, actor


# --- format -------------------------------------------------------------------


def test_format_code_matches_the_national_example() -> None:
    assert format_code("000.00.27.H41", date(2021, 3, 15), 1) == "000.00.27.H41-210315-0001"
    assert format_code("H15.50.05.13", date(2026, 1, 5), 1042) == "H15.50.05.13-260105-1042"


def test_counter_slots() -> None:
    assert [code_slot_for(n) for n in (1, 2, 10)] == [0, 1, 9]


def test_first_dossier_of_the_day_is_0001(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 10, 0))
    first = take(store, admin)
    second = take(store, admin)
    assert first.code == "H15.50.05.13-261120-0001"
    assert second.code == "H15.50.05.13-261120-0002"
    assert CODE_RE.match(first.code)


def test_sequence_restarts_the_next_day(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 10, 0))
    assert [take(store, admin).code for _ in range(3)][-1] == "H15.50.05.13-261120-0003"
    set_now(local(2026, 11, 23, 7, 30))
    assert take(store, admin).code == "H15.50.05.13-261123-0001"
    assert take(store, admin).code == "H15.50.05.13-261123-0002"


def test_code_day_is_the_agency_day_not_the_utc_day(store: Store, admin: Actor,
                                                     set_now: Callable[[datetime], None]) -> None:
    # 00:30 on 20/11 in Việt Nam is still 19/11 (17:30) in UTC.
    set_now(local(2026, 11, 20, 0, 30))
    assert clock.now().date() == date(2026, 11, 19)
    assert take(store, admin).code == "H15.50.05.13-261120-0001"


def test_late_entry_uses_the_day_it_was_received(store: Store, admin: Actor,
                                                 set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 22, 9, 0))
    today = take(store, admin)
    late = take(store, admin, received_at=local(2026, 11, 20, 10, 0))
    late2 = take(store, admin, received_at=local(2026, 11, 20, 14, 0))
    today2 = take(store, admin)
    assert today.code == "H15.50.05.13-261122-0001"
    assert late.code == "H15.50.05.13-261120-0001"
    assert late2.code == "H15.50.05.13-261120-0002"
    assert today2.code == "H15.50.05.13-261122-0002"
    assert late.late_entry and not today.late_entry


# --- several counters offline -------------------------------------------------


def test_two_counters_same_agency_same_day_never_collide(store: Store, admin: Actor, tmp_path: Path,
                                                         set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    other, other_admin = second_counter(tmp_path, 2)
    try:
        with other.read() as session:
            assert session.exec(text("SELECT agency_code, code_slot FROM counter_profile")).one() == (AGENCY, 1)
        first = [take(store, admin).code for _ in range(50)]
        second = [take(other, other_admin).code for _ in range(50)]
    finally:
        other.dispose()
    assert [number_of(c) for c in first] == list(range(1, 51))
    assert [number_of(c) for c in second] == list(range(1001, 1051))
    assert second[0] == "H15.50.05.13-261120-1001"
    assert set(first).isdisjoint(second)
    assert len(set(first) | set(second)) == 100


def test_tenth_counter_uses_slot_9(tmp_path: Path, set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    other, other_admin = second_counter(tmp_path, 10)
    try:
        assert take(other, other_admin).code == "H15.50.05.13-261120-9001"
    finally:
        other.dispose()


# --- concurrency on one machine -----------------------------------------------


def test_threads_on_one_store_get_distinct_consecutive_codes(store: Store, admin: Actor,
                                                              set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    req = request(store)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(10):
            try:
                code = receive(store, admin, req).code
            except BaseException as error:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(error)
            else:
                with lock:
                    codes.append(code)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(codes) == 80
    assert sorted(number_of(c) for c in codes) == list(range(1, 81))
    assert {c[:20] for c in codes} == {"H15.50.05.13-261120-"}
    with store.engine.connect() as conn:
        registers = [r for (r,) in conn.execute(text("SELECT register_number FROM dossier"))]
        last = conn.execute(text("SELECT last FROM sequence WHERE name = 'dossier_code'")).scalar_one()
    assert sorted(registers) == list(range(1, 81))
    assert last == 80


def test_threads_with_separate_stores_on_one_dir(store: Store, admin: Actor,
                                                 set_now: Callable[[datetime], None]) -> None:
    # Like the GUI and a command-line script running at once: separate engines, one file.
    set_now(local(2026, 11, 20, 9, 0))
    req = request(store)
    stores = [Store(store.data_dir) for _ in range(4)]
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(s: Store) -> None:
        for _ in range(5):
            try:
                code = receive(s, admin, req).code
            except BaseException as error:  # noqa: BLE001
                with lock:
                    errors.append(error)
            else:
                with lock:
                    codes.append(code)

    threads = [threading.Thread(target=worker, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for s in stores:
        s.dispose()
    assert errors == []
    assert sorted(number_of(c) for c in codes) == list(range(1, 21))


def test_separate_processes_get_distinct_consecutive_codes(store: Store) -> None:
    env = {**os.environ, "MOTCUA_DATA_DIR": str(store.data_dir), "QT_QPA_PLATFORM": "offscreen"}
    # Commands act as a named user proven by a password: the sample administrator here.
    env["MOTCUA_USER"], env["MOTCUA_PASSWORD"] = "quantri", "motcua2026"
    command = [sys.executable, str(MAIN), "receive", "--procedure", PROCEDURE, "--owner-name", "Lò Văn Pọm",
               "--owner-id", "015085012345", "--documents", "all", "--json"]
    processes = [subprocess.Popen(command, cwd=MAIN.parent, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=60) for p in processes]
    for p, (out, err) in zip(processes, outputs):
        assert p.returncode == 0, err
    codes = [json.loads(out)["code"] for out, _ in outputs]
    assert len(set(codes)) == 3
    assert sorted(number_of(c) for c in codes) == [1, 2, 3]
    days = {CODE_RE.match(c)["day"] for c in codes}  # type: ignore[index]
    assert len(days) == 1
    assert count(store, "dossier") == 3


# --- limits and the last line of defence --------------------------------------


def _preset_sequence(store: Store, day: date, slot: int, last: int) -> None:
    with store.write() as session:
        session.add(Sequence(name="dossier_code", scope=f"{AGENCY}|{day:%Y%m%d}|{slot}", last=last))


def test_999th_dossier_is_the_last_of_the_day(store: Store, admin: Actor,
                                              set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    _preset_sequence(store, date(2026, 11, 20), 0, 998)
    assert take(store, admin).code == "H15.50.05.13-261120-0999"


def test_1000th_dossier_of_a_day_is_refused(store: Store, admin: Actor,
                                            set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    _preset_sequence(store, date(2026, 11, 20), 0, 999)
    audit_before = count(store, "audit_entry")
    with pytest.raises(CounterError) as caught:
        take(store, admin)
    message = str(caught.value)
    assert "đã cấp hết 999 số hồ sơ" in message
    assert "20/11/2026" in message
    assert "quầy khác" in message
    assert count(store, "dossier") == 0
    assert count(store, "audit_entry") == audit_before
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT last FROM sequence WHERE name = 'dossier_code'")).scalar_one() == 999
    # The next day is a fresh range.
    set_now(local(2026, 11, 23, 9, 0))
    assert take(store, admin).code == "H15.50.05.13-261123-0001"


def test_unique_code_is_the_last_line_of_defence(store: Store, admin: Actor,
                                                 set_now: Callable[[datetime], None]) -> None:
    set_now(local(2026, 11, 20, 9, 0))
    take(store, admin)
    # Simulate a corrupted sequence (e.g. restored from an old backup): the number would repeat.
    with store.write() as session:
        session.exec(text("UPDATE sequence SET last = 0 WHERE name = 'dossier_code'"))  # type: ignore[call-overload]
    before = {t: count(store, t) for t in ("dossier", "dossier_event", "audit_entry", "outbox")}
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        take(store, admin)
    assert {t: count(store, t) for t in before} == before

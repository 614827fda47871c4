"""The demo seed: realistic, self-consistent dossiers that the app's own rules accept.

The clock is pinned to Wednesday 18/11/2026 10:30 (agency time), so "today" is a
working day partly gone.
"""

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

import main
from app import clock, demo
from app.bootstrap import initialise_counter, open_store
from app.calendar_store import load_calendar
from app.db import Store
from app.errors import CounterError
from app.intake import IntakeRequest, PersonInput, receive
from app.lifecycle import ALLOWED_FROM, EVENT_OF
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.search import search_dossiers
from app.textfold import fold
from app.validation import check_identity_number, check_phone
from app.worktime import AGENCY_TZ
from models.enums import DossierStatus, EventType
from models.tables import Dossier, DossierEvent, Sequence

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=AGENCY_TZ)
CODE = re.compile(r"^H15\.50\.05\.13-(\d{6})-(\d{4})$")
ACTION_OF = {event.value: action for action, event in EVENT_OF.items()}


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> datetime:
    fixed = NOW.astimezone(UTC)
    monkeypatch.setattr(clock, "now", lambda: fixed)
    return NOW


@pytest.fixture
def seeded(store: Store, pinned: datetime) -> Iterator[tuple[Store, demo.SeedReport]]:
    report = demo.seed(store, 2000, 90, seed=7, batch_size=700)
    yield store, report


def _all(store: Store) -> tuple[list[Dossier], dict[str, list[DossierEvent]]]:
    with store.read() as session:
        dossiers = list(session.exec(select(Dossier).order_by(text("dossier.rowid"))).all())
        events: dict[str, list[DossierEvent]] = {}
        for event in session.exec(select(DossierEvent).order_by(col(DossierEvent.dossier_id),
                                                                 col(DossierEvent.seq))).all():
            events.setdefault(event.dossier_id, []).append(event)
    return dossiers, events


def test_report(seeded: tuple[Store, demo.SeedReport]) -> None:
    _store, report = seeded
    assert report.dossiers == 2000
    assert report.events > 2 * 2000
    assert report.rows == 2 * 2000 + report.events
    assert report.rows_per_second > 0
    assert sum(report.statuses.values()) == 2000
    assert report.slots == (0,)  # about 32 a day: one counter is enough
    assert 55 <= report.working_days <= 65
    assert json.loads(json.dumps(report.as_json()))["dossiers"] == 2000


def test_codes_unique_and_well_formed(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, _events = _all(store)
    codes = [d.code for d in dossiers]
    assert len(set(codes)) == len(codes) == 2000
    per_day: Counter[str] = Counter()
    for d in dossiers:
        match = CODE.match(d.code)
        assert match, d.code
        day, number = match.groups()
        assert day == f"{d.received_at.astimezone(AGENCY_TZ):%y%m%d}"
        assert 1 <= int(number) % 1000 <= 999 and int(number) // 1000 == d.counter_number - 1
        per_day[day] += 1
        assert d.register_book == f"{d.counter_number:02d}/{d.received_at.astimezone(AGENCY_TZ).year}"
    # Numbers run 0001, 0002, ... each day, in order of receipt.
    for day in per_day:
        numbers = [int(CODE.match(d.code).group(2)) for d in dossiers if d.code.split("-")[1] == day]  # type: ignore[union-attr]
        assert numbers == list(range(1, len(numbers) + 1))
    registers = [d.register_number for d in dossiers if d.received_at.astimezone(AGENCY_TZ).year == 2026]
    assert registers == list(range(1, len(registers) + 1))


def test_statuses_follow_the_lifecycle_rules(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, events = _all(store)
    now = NOW.astimezone(UTC)
    for d in dossiers:
        steps = events[d.id]
        assert [e.seq for e in steps] == list(range(1, len(steps) + 1))
        assert steps[0].type == EventType.RECEIVED.value and steps[0].status_after == 2
        assert steps[0].at == d.received_at
        assert all(a.at <= b.at for a, b in zip(steps, steps[1:]))
        assert steps[-1].at <= now
        assert d.status == steps[-1].status_after
        status = DossierStatus.ACCEPTED
        for event in steps[1:]:
            action = ACTION_OF[event.type]
            assert status in ALLOWED_FROM[action], (d.code, status, action)
            if event.type == EventType.EXTENDED.value:
                assert event.status_after == status
            status = DossierStatus(event.status_after)
        by_type = {e.type: e for e in steps}
        ready = by_type.get(EventType.RESULT_READY.value)
        assert d.finished_at == (ready.at if ready else None)
        returned = by_type.get(EventType.RETURNED.value)
        assert d.returned_at == (returned.at if returned else None)
        if returned:
            assert returned.details["satisfaction"] == d.satisfaction
            assert returned.details["receiver_name"] == d.owner_name
        assert d.extended == (EventType.EXTENDED.value in by_type)
        if d.status == DossierStatus.SUPPLEMENT_REQUESTED:
            assert d.paused_at == by_type[EventType.SUPPLEMENT_REQUESTED.value].at
        else:
            assert d.paused_at is None
        assert sum(e.type == EventType.SUPPLEMENT_REQUESTED.value for e in steps) <= 1
        assert sum(e.type == EventType.EXTENDED.value for e in steps) <= 1


def test_a_realistic_spread_of_outcomes(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, report = seeded
    dossiers, _ = _all(store)
    statuses = Counter(d.status for d in dossiers)
    assert statuses == report.statuses
    assert statuses[10] > 0.8 * 2000  # most are returned
    for status in (2, 4, 5, 9):
        assert statuses[status] > 0, status
    assert statuses[3] + statuses[7] + statuses[8] < 0.06 * 2000
    now = NOW.astimezone(UTC)
    overdue = [d for d in dossiers if d.status in (2, 4, 6) and d.due_at and d.due_at < now]
    assert 0 < len(overdue) < 0.05 * 2000
    on_the_spot = [d for d in dossiers if d.due_at is None]
    assert 0.3 * 2000 < len(on_the_spot) < 0.8 * 2000  # chứng thực bản sao, khai sinh, …
    assert all(d.procedure_code for d in dossiers)
    fields = Counter(d.field_code for d in dossiers)
    assert fields["CT"] + fields["HT"] > 0.75 * 2000


def test_times_and_due_dates_follow_the_calendar(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, events = _all(store)
    with store.read() as session:
        calendar = load_calendar(session)
    first = (NOW - timedelta(days=89)).date()
    checked = 0
    for d in dossiers:
        local = d.received_at.astimezone(AGENCY_TZ)
        assert first <= local.date() <= NOW.date()
        assert calendar.is_working_day(local.date())
        assert calendar.next_opening(d.received_at) == d.received_at  # inside office hours
        assert d.received_at <= NOW
        if d.due_at is not None:
            assert calendar.is_working_day(d.due_at.astimezone(AGENCY_TZ).date())
        moved = {e.type for e in events[d.id]} & {EventType.SUPPLEMENTED.value, EventType.EXTENDED.value}
        if not moved:
            assert d.due_at == calendar.due_at(d.received_at, d.processing_value, d.processing_unit), d.code
            checked += 1
        for event in events[d.id]:
            assert calendar.is_working_day(event.at.astimezone(AGENCY_TZ).date())
    assert checked > 1900


def test_supplements_move_the_due_date_by_the_pause(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, events = _all(store)
    with store.read() as session:
        calendar = load_calendar(session)
    seen = 0
    for d in dossiers:
        steps = events[d.id]
        for asked, back in zip(steps, steps[1:]):
            if back.type == EventType.SUPPLEMENTED.value:
                assert asked.type == EventType.SUPPLEMENT_REQUESTED.value
                old = datetime.fromisoformat(back.details["old_due_at"])
                new = datetime.fromisoformat(back.details["new_due_at"])
                assert new == calendar.add_working_time(old, calendar.working_time_between(asked.at, back.at))
                seen += 1
    assert seen > 0


def test_people_look_real(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, _ = _all(store)
    families = Counter(d.owner_name.split()[0] for d in dossiers)
    assert 0.32 < families["Nguyễn"] / 2000 < 0.44
    assert families["Trần"] > families["Đặng"] > 0
    assert any(families[name] for name in ("Lò", "Vàng", "Giàng", "Sùng", "Hà", "Lường"))
    for d in dossiers:
        assert check_identity_number("id", d.owner_id_number, d.owner_dob)[1] is None, d.owner_id_number
        if d.owner_phone:
            assert check_phone("phone", d.owner_phone) == (d.owner_phone, None)
        assert d.search_text == fold(f"{d.code} {d.owner_name} {d.owner_id_number} {d.owner_phone}")
        assert "Tân Lập" in d.owner_address or "xã" in d.owner_address or "phường" in d.owner_address
        assert 18 <= NOW.year - d.owner_dob.year <= 86  # type: ignore[union-attr]
    assert 0.03 < sum(not d.owner_phone for d in dossiers) / 2000 < 0.15


def test_every_dossier_is_findable(seeded: tuple[Store, demo.SeedReport]) -> None:
    store, _ = seeded
    dossiers, _ = _all(store)
    with store.read() as session:
        for d in dossiers:
            assert [x.id for x in search_dossiers(session, d.code)] == [d.id]
            assert d.id in {x.id for x in search_dossiers(session, f"{d.owner_name} {d.owner_id_number}")}
            assert d.id in {x.id for x in search_dossiers(session, d.owner_id_number, limit=1000)}
            if d.owner_phone:
                assert d.id in {x.id for x in search_dossiers(session, d.owner_phone, limit=1000)}
        newest = search_dossiers(session, "nguyen", limit=5)
    nguyen = [d for d in dossiers if fold(d.owner_name).startswith("nguyen ")]
    assert [x.id for x in newest] == [d.id for d in reversed(nguyen[-5:])]


def test_later_intakes_and_seeds_continue_the_numbers(seeded: tuple[Store, demo.SeedReport], admin: Actor) -> None:
    store, _ = seeded
    with store.read() as session:
        today = f"{NOW:%y%m%d}"
        seeded_today = session.exec(select(Dossier.code).where(col(Dossier.code).contains(f"-{today}-"))).all()
        last = session.get(Sequence, ("dossier_code", f"H15.50.05.13|{NOW:%Y%m%d}|0"))
    assert seeded_today and last is not None and last.last == len(seeded_today)
    code = receive(store, admin, IntakeRequest(
        procedure_code="1.001193", owner=PersonInput(full_name="Nguyễn Văn Mới", id_number="001085012345"),
        accept_missing_required=True)).code
    assert code == f"H15.50.05.13-{today}-{len(seeded_today) + 1:04d}"
    again = demo.seed(store, 500, 5, seed=8)
    assert again.dossiers == 500
    with store.read() as session:
        codes = session.exec(select(Dossier.code)).all()
        registers = session.exec(text(  # type: ignore[call-overload]
            "SELECT register_book, register_number, count(*) FROM dossier GROUP BY 1, 2 HAVING count(*) > 1")).all()
    assert len(codes) == len(set(codes)) == 2501
    assert registers == []


def test_a_busy_day_spreads_over_counter_slots(store: Store, pinned: datetime) -> None:
    report = demo.seed(store, 2500, 1, seed=3)
    assert report.slots == (0, 1, 2)
    with store.read() as session:
        rows = session.exec(select(Dossier.code, Dossier.counter_number)).all()
    numbers = Counter(int(code[-4:]) // 1000 for code, _counter in rows)
    assert sorted(numbers) == [0, 1, 2] and max(numbers.values()) <= 999
    assert all(int(code[-4:]) // 1000 == counter - 1 for code, counter in rows)
    with pytest.raises(CounterError, match="--days"):
        demo.seed(store, 9000, 1, seed=4)  # 2,500 already there; ten counters give 9,990


def test_same_seed_same_dossiers(store: Store, pinned: datetime, tmp_path: Path) -> None:
    other = open_store(tmp_path / "other")
    try:
        initialise_counter(other, SAMPLE_SETUP)
        demo.seed(store, 300, 20, seed=5)
        demo.seed(other, 300, 20, seed=5)
        picks = []
        for s in (store, other):
            with s.read() as session:
                picks.append(session.exec(text(  # type: ignore[call-overload]
                    "SELECT code, owner_name, owner_id_number, status, due_at FROM dossier ORDER BY rowid")).all())
        assert picks[0] == picks[1]
    finally:
        other.dispose()


def test_bad_arguments(store: Store, pinned: datetime) -> None:
    with pytest.raises(CounterError):
        demo.seed(store, -1, 10)
    with pytest.raises(CounterError):
        demo.seed(store, 10, 0)
    assert demo.seed(store, 0, 10).dossiers == 0


def test_seed_command(store: Store, pinned: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["demo", "seed", "--dossiers", "300", "--days", "15", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "300" in out and "hồ sơ/giây" in out
    with store.read() as session:
        assert len(session.exec(select(Dossier.id)).all()) == 300
    assert main.main(["search", "nguyen", "--json", "--limit", "3"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3

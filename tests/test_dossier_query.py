"""The dossier list in SQL agrees with a brute-force filter and sort over every row, page by page.

2,000 seeded dossiers over 60 days, the clock pinned to Wednesday 18/11/2026 10:30
(agency time), so there are dossiers due today, due soon and overdue.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from app import clock, demo
from app.calendar_store import load_calendar
from app.db import Store
from app.dossier_query import RUNNING, SORT_KEYS, DossierFilter, DossierRow, count, keyset, page
from app.search import matches, search_terms
from app.textfold import fold
from app.worktime import AGENCY_TZ
from models.tables import Dossier

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=AGENCY_TZ)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One seeded store for the whole module (read-only tests)."""
    from app.bootstrap import initialise_counter, open_store
    from app.profile import SAMPLE_SETUP

    patch = pytest.MonkeyPatch()
    fixed = NOW.astimezone(UTC)
    patch.setattr(clock, "now", lambda: fixed)
    store = open_store(tmp_path_factory.mktemp("list") / "data")
    initialise_counter(store, SAMPLE_SETUP)
    demo.seed(store, 2000, 60, seed=11, batch_size=600)
    with store.read() as session:
        dossiers = list(session.exec(select(Dossier)).all())
        rowids = {id_: rowid for id_, rowid in session.exec(text("SELECT id, rowid FROM dossier"))}  # type: ignore[call-overload]
        calendar = load_calendar(session)
    yield store, dossiers, rowids, calendar
    store.dispose()
    patch.undo()


def _everything(store: Store, filt: DossierFilter, sort_key: str = "received_at", descending: bool = True,
                size: int = 173, use_keyset: bool = False) -> list[DossierRow]:
    got: list[DossierRow] = []
    with store.read() as session:
        while True:
            if use_keyset:
                chunk = page(session, filt, sort_key, descending, limit=size, now=NOW,
                             after=keyset(got[-1], sort_key) if got else None)
            else:
                chunk = page(session, filt, sort_key, descending, offset=len(got), limit=size, now=NOW)
            got += chunk
            if len(chunk) < size:
                return got


def _brute(dossiers: list[Dossier], test: Callable[[Dossier], bool]) -> set[str]:
    return {d.code for d in dossiers if test(d)}


def _check(store: Store, dossiers: list[Dossier], filt: DossierFilter, test: Callable[[Dossier], bool],
           minimum: int = 1) -> None:
    expected = _brute(dossiers, test)
    assert len(expected) >= minimum, f"the seed should give this filter something to find ({filt})"
    rows = _everything(store, filt)
    assert all(a.received_at >= b.received_at for a, b in zip(rows, rows[1:])), "newest first"
    assert len(rows) == len({r.code for r in rows}), "a row came twice"
    assert {r.code for r in rows} == expected
    with store.read() as session:
        assert count(session, filt, now=NOW) == len(expected)


def _running(d: Dossier) -> bool:
    return d.status in RUNNING


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(AGENCY_TZ).date() if moment else None


def test_no_filter(seeded: Any) -> None:
    store, dossiers, _rowids, _cal = seeded
    _check(store, dossiers, DossierFilter(), lambda d: True, 2000)


def test_overdue(seeded: Any) -> None:
    store, dossiers, _rowids, _cal = seeded
    now = NOW.astimezone(UTC)
    _check(store, dossiers, DossierFilter(overdue=True), lambda d: _running(d) and d.due_at is not None
           and d.due_at < now)
    _check(store, dossiers, DossierFilter(overdue=True, statuses=frozenset({4})),
           lambda d: d.status == 4 and d.due_at is not None and d.due_at < now)
    _check(store, dossiers, DossierFilter(overdue=True, field_code="HT"),
           lambda d: _running(d) and d.field_code == "HT" and d.due_at is not None and d.due_at < now)
    _check(store, dossiers, DossierFilter(overdue=True, statuses=frozenset({5, 10})), lambda d: False, 0)


def test_due_today(seeded: Any) -> None:
    store, dossiers, _rowids, _cal = seeded
    _check(store, dossiers, DossierFilter(due_today=True), lambda d: _local_day(d.due_at) == NOW.date())
    _check(store, dossiers, DossierFilter(due_today=True, statuses=frozenset({2, 4, 6})),
           lambda d: _local_day(d.due_at) == NOW.date() and _running(d))


def test_due_within_one_working_day(seeded: Any) -> None:
    store, dossiers, _rowids, calendar = seeded
    now = NOW.astimezone(UTC)
    limit = calendar.add_working_time(now, timedelta(hours=8))
    assert limit.astimezone(AGENCY_TZ) == datetime(2026, 11, 19, 10, 30, tzinfo=AGENCY_TZ)
    _check(store, dossiers, DossierFilter(due_soon=True),
           lambda d: _running(d) and d.due_at is not None and now <= d.due_at <= limit)
    # The colour the GUI gives the same rows.
    for d in dossiers:
        if _running(d) and d.due_at is not None and now < d.due_at <= limit:
            assert calendar.working_time_between(now, d.due_at) <= timedelta(hours=8)


def test_status_field_procedure_and_dates(seeded: Any) -> None:
    store, dossiers, _rowids, _cal = seeded
    _check(store, dossiers, DossierFilter(statuses=frozenset({5})), lambda d: d.status == 5)
    _check(store, dossiers, DossierFilter(statuses=frozenset({2, 4, 9})), lambda d: d.status in (2, 4, 9))
    _check(store, dossiers, DossierFilter(field_code="CT"), lambda d: d.field_code == "CT", 300)
    _check(store, dossiers, DossierFilter(field_code="DD", statuses=frozenset({10})),
           lambda d: d.field_code == "DD" and d.status == 10)
    _check(store, dossiers, DossierFilter(procedure_code="1.004873"), lambda d: d.procedure_code == "1.004873")
    _check(store, dossiers, DossierFilter(procedure_code="9.999999"), lambda d: False, 0)
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    _check(store, dossiers, DossierFilter(received_from=first, received_to=last),
           lambda d: first <= _local_day(d.received_at) <= last)  # type: ignore[operator]
    _check(store, dossiers, DossierFilter(received_from=NOW.date()), lambda d: _local_day(d.received_at) == NOW.date())
    _check(store, dossiers, DossierFilter(received_to=date(2026, 9, 30)),
           lambda d: _local_day(d.received_at) <= date(2026, 9, 30))  # type: ignore[operator]
    _check(store, dossiers, DossierFilter(received_to=date(2026, 9, 1)), lambda d: False, 0)


@pytest.mark.parametrize("text", ["nguyen van", "dang thi h", "lo", "giang a", "Đặng", "0912", "h15 2611"])
def test_text(seeded: Any, text: str) -> None:
    store, dossiers, _rowids, _cal = seeded
    terms = search_terms(text)
    _check(store, dossiers, DossierFilter(text=text), lambda d: matches(d.search_text, terms))
    _check(store, dossiers, DossierFilter(text=text, statuses=frozenset({10})),
           lambda d: d.status == 10 and matches(d.search_text, terms), 0)


def test_text_by_code_and_number(seeded: Any) -> None:
    store, dossiers, _rowids, _cal = seeded
    one = dossiers[1234]
    _check(store, dossiers, DossierFilter(text=one.code.lower()), lambda d: d.code == one.code)
    prefix = one.owner_id_number[:7]
    _check(store, dossiers, DossierFilter(text=prefix), lambda d: d.owner_id_number.startswith(prefix)
           or d.owner_phone.startswith(prefix))
    _check(store, dossiers, DossierFilter(text='"('), lambda d: False, 0)


def _python_order(dossiers: list[Dossier], rowids: dict[str, int], sort_key: str, descending: bool) -> list[str]:
    names = [name for name, _column, _nullable in SORT_KEYS[sort_key]]

    def key(d: Dossier) -> tuple[Any, ...]:
        # SQLite: NULL sorts first ascending; text by code point (UTF-8 bytes); then the rowid.
        return tuple((getattr(d, n) is not None, getattr(d, n)) for n in names) + (rowids[d.id],)

    ordered = sorted(dossiers, key=key)
    return [d.code for d in (reversed(ordered) if descending else ordered)]


@pytest.mark.parametrize("sort_key", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_and_paging(seeded: Any, sort_key: str, descending: bool) -> None:
    store, dossiers, rowids, _cal = seeded
    expected = _python_order(dossiers, rowids, sort_key, descending)
    by_offset = [r.code for r in _everything(store, DossierFilter(), sort_key, descending, size=97)]
    by_keyset = [r.code for r in _everything(store, DossierFilter(), sort_key, descending, size=97, use_keyset=True)]
    assert by_offset == expected
    assert by_keyset == expected


@pytest.mark.parametrize("sort_key", ["received_at", "due_at", "status"])
def test_filtered_keyset_paging(seeded: Any, sort_key: str) -> None:
    store, dossiers, rowids, _cal = seeded
    filt = DossierFilter(field_code="HT", statuses=frozenset({4, 9, 10}))
    subset = [d for d in dossiers if d.field_code == "HT" and d.status in (4, 9, 10)]
    for descending in (False, True):
        expected = _python_order(subset, rowids, sort_key, descending)
        assert [r.code for r in _everything(store, filt, sort_key, descending, 41, True)] == expected
        assert [r.code for r in _everything(store, filt, sort_key, descending, 41, False)] == expected


def test_rows_carry_what_the_list_shows(seeded: Any) -> None:
    store, dossiers, rowids, _cal = seeded
    with store.read() as session:
        row = page(session, DossierFilter(), limit=1, now=NOW)[0]
    newest = max(dossiers, key=lambda d: rowids[d.id])
    assert row.code == newest.code and row.id == newest.id and row.rowid == rowids[newest.id]
    assert (row.owner_name, row.owner_id_number, row.owner_phone, row.procedure_name, row.field_code, row.status,
            row.received_at, row.due_at) == (newest.owner_name, newest.owner_id_number, newest.owner_phone,
                                             newest.procedure_name, newest.field_code, newest.status,
                                             newest.received_at, newest.due_at)
    assert row.received_at.tzinfo is not None
    assert fold(row.owner_name) in newest.search_text


def test_bad_sort_key_and_bounds(seeded: Any) -> None:
    store, _dossiers, _rowids, _cal = seeded
    with store.read() as session:
        with pytest.raises(ValueError):
            page(session, DossierFilter(), "id_number")
        assert len(page(session, DossierFilter(), limit=0, now=NOW)) == 1
        assert len(page(session, DossierFilter(), limit=5000, now=NOW)) == 1000
        assert page(session, DossierFilter(), offset=10_000, now=NOW) == []
        with pytest.raises(ValueError):
            page(session, DossierFilter(), after=(1,), now=NOW)

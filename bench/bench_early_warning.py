"""Benchmark: the early-warning lists on a big database, beside the same SQL straight through sqlite3.

    .venv/bin/python bench/bench_early_warning.py --data-dir /tmp/bench1m/data
    .venv/bin/python bench/bench_early_warning.py --data-dir /tmp/bench1m/data --now 2026-11-20T10:00 --json

The data directory must hold a seeded counter (`motcua demo seed`, or bench/bench_dossiers.py).
Measures app.early_warning.early_warnings (five lists, LIMIT each, COUNT when a list is cut),
for the whole agency and for one counter, and the raw sqlite3 queries of the same lists; then
prints the query plans so a full scan shows up. Target: the whole dashboard well under 100 ms.
"""

import argparse
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import open_store  # noqa: E402
from app.calendar_store import load_calendar  # noqa: E402
from app.dossier_query import local_day_start  # noqa: E402
from app.early_warning import DEFAULT_LIMIT, early_warnings, waiting_since  # noqa: E402
from app.worktime import AGENCY_TZ  # noqa: E402


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)], 2),
            "max_ms": round(max(samples), 2), "n": runs}


def raw_lists(now: datetime, supplement_days: int, uncollected_days: int, calendar: Any,
              counter: int | None) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(name, SQL, parameters) of the five lists, written by hand as sqlite3 would be used directly."""
    day = timedelta(hours=calendar.hours_per_day)
    today = now.astimezone(AGENCY_TZ).date()
    soon = calendar.add_working_time(now, day)
    by_counter = "" if counter is None else f" AND +counter_number = {int(counter)}"
    cols = "code, owner_name, procedure_code, procedure_name, counter_number, status, due_at, paused_at, finished_at"
    n = utc_text(now)
    return [
        ("overdue", f"status IN (2, 4, 6) AND due_at < ?{by_counter}", (n,), "+due_at"),
        ("due_today", f"status IN (2, 4, 6) AND due_at >= ? AND due_at < ? AND due_at >= ?{by_counter}",
         (utc_text(local_day_start(today)), utc_text(local_day_start(today + timedelta(days=1))), n), "+due_at"),
        ("due_soon", f"status IN (2, 4, 6) AND due_at >= ? AND due_at <= ? AND due_at >= ?{by_counter}",
         (n, utc_text(soon), utc_text(local_day_start(today + timedelta(days=1)))), "+due_at"),
        ("supplement", f"status = 5 AND paused_at < ?{by_counter}",
         (utc_text(waiting_since(calendar, now, supplement_days * day)),), "paused_at"),
        ("uncollected", f"status = 9 AND finished_at < ?{by_counter}",
         (utc_text(waiting_since(calendar, now, uncollected_days * day)),), "finished_at"),
    ], cols


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--now", help="agency-local moment, YYYY-MM-DDTHH:MM (default: the clock)")
    parser.add_argument("--counter", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    store = open_store(args.data_dir)
    now = (datetime.fromisoformat(args.now).replace(tzinfo=AGENCY_TZ) if args.now
           else datetime.now(AGENCY_TZ))
    with store.read() as session:
        calendar = load_calendar(session)
        warnings = early_warnings(session, now, calendar)
    results: dict[str, Any] = {"now": now.isoformat(), "limit": DEFAULT_LIMIT,
                               "totals": {w.kind: w.total for w in warnings.lists()},
                               "shown": {w.kind: len(w.lines) for w in warnings.lists()}}

    def app_run(counter: int | None) -> Callable[[], object]:
        def run() -> object:
            with store.read() as session:
                return early_warnings(session, now, calendar, counter=counter)
        return run

    results["app_all"] = timed(app_run(None), args.runs)
    results["app_counter"] = timed(app_run(args.counter), args.runs)

    raw = sqlite3.connect(f"file:{store.db_path}?mode=ro", uri=True)
    plans: dict[str, list[str]] = {}
    for counter, key in ((None, "raw_all"), (args.counter, "raw_counter")):
        lists, cols = raw_lists(now, warnings.supplement_days, warnings.uncollected_days, calendar, counter)

        def run_raw(lists: Any = lists, cols: str = cols) -> None:
            for _name, where, params, order in lists:
                rows = raw.execute(f"SELECT {cols} FROM dossier WHERE {where} ORDER BY {order}, rowid LIMIT ?",
                                   (*params, DEFAULT_LIMIT)).fetchall()
                if len(rows) == DEFAULT_LIMIT:
                    raw.execute(f"SELECT count(*) FROM dossier WHERE {where}", params).fetchone()

        results[key] = timed(run_raw, args.runs)
        if counter is None:
            for name, where, params, order in lists:
                results.setdefault("raw_each", {})[name] = timed(
                    lambda where=where, params=params, order=order, cols=cols: raw.execute(
                        f"SELECT {cols} FROM dossier WHERE {where} ORDER BY {order}, rowid LIMIT ?",
                        (*params, DEFAULT_LIMIT)).fetchall(), args.runs)
                results.setdefault("raw_count_each", {})[name] = timed(
                    lambda where=where, params=params: raw.execute(
                        f"SELECT count(*) FROM dossier WHERE {where}", params).fetchone(), args.runs)
                plans[name] = [row[3] for row in raw.execute(
                    f"EXPLAIN QUERY PLAN SELECT {cols} FROM dossier WHERE {where} ORDER BY {order}, rowid LIMIT 200",
                    params).fetchall()]
    results["plans"] = plans
    with store.engine.connect() as connection:
        results["dossiers"] = connection.exec_driver_sql("SELECT count(*) FROM dossier").scalar_one()
    store.dispose()

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{results['dossiers']:,} dossiers, now = {now:%Y-%m-%d %H:%M} (agency time)")
    print("totals: " + ", ".join(f"{k} {v:,}" for k, v in results["totals"].items()))
    for key, label in (("app_all", "early_warnings(), whole agency"), ("app_counter", f"early_warnings(counter={args.counter})"),
                       ("raw_all", "raw sqlite3, whole agency"), ("raw_counter", f"raw sqlite3, counter {args.counter}")):
        r = results[key]
        print(f"{label:<40} median {r['median_ms']:8.2f} ms   p95 {r['p95_ms']:8.2f} ms   max {r['max_ms']:8.2f} ms")
    for name in plans:
        print(f"  raw {name:<12} list {results['raw_each'][name]['median_ms']:7.2f} ms   "
              f"count {results['raw_count_each'][name]['median_ms']:7.2f} ms   plan: {' / '.join(plans[name])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

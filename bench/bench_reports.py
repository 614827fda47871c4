"""Benchmark: the supervisor reports on a large database, each beside the same SQL run with plain sqlite3.

    .venv/bin/python bench/bench_reports.py --data-dir /tmp/bench1m/data     # a `motcua demo seed` database
    .venv/bin/python bench/bench_reports.py --data-dir DIR --date 2026-11-19 --json

Measures (targets from issue #6, 1,000,000 dossiers):
  daily PDF    app.reports.daily + printing.daily_report, end to end to a file    <= 1 s
  period PDF   one year: app.reports.period + printing.period_report, to a file   <= 3 s
  period xlsx  the same year as a workbook (reported, no target)
The raw baseline replays the very SQL statements the report ran (captured from the engine) through
sqlite3 on the same file, so "report - raw" is what Python, the dataclasses and reportlab add.

The reports rely on four indexes not yet in a migration (see docs/reports.md); the script says
whether they exist and, with --create-indexes, adds them to the benchmark database.
"""

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from app.bootstrap import open_store  # noqa: E402
from app.db import Store  # noqa: E402
from app.users import actor_for, first_admin  # noqa: E402
from app.worktime import AGENCY_TZ  # noqa: E402

PROPOSED_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_dossier_event_type_at ON dossier_event (type, at)",
    ("CREATE INDEX IF NOT EXISTS ix_dossier_report_received ON dossier "
     "(received_at, field_code, procedure_code, channel, counter_number)"),
    ("CREATE INDEX IF NOT EXISTS ix_dossier_report_returned ON dossier "
     "(returned_at, field_code, procedure_code, satisfaction, counter_number)"),
    ("CREATE INDEX IF NOT EXISTS ix_dossier_report_finished ON dossier "
     "(finished_at, due_at, field_code, procedure_code, counter_number)"),
)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """(first run, median of the following *runs*, median CPU time of this process) in seconds, and the
    last result. CPU time is what the work costs when the machine is shared: SQLite runs in this thread."""
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return first, statistics.median(times) if times else first, statistics.median(cpu) if cpu else 0.0, result


class Capture:
    """The SQL statements (with their parameters) the report sends to SQLite, to replay them raw."""

    def __init__(self, store: Store) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.on = False
        event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if self.on:
            self.statements.append((statement, parameters))

    def record(self, fn: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements, self.on = [], True
        try:
            fn()
        finally:
            self.on = False
        return self.statements


def raw_time(db: Path, statements: list[tuple[str, Any]], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds to run *statements* through plain sqlite3 (fresh connection each run)."""
    times, cpu = [], []
    for _ in range(runs):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        start, start_cpu = time.perf_counter(), time.process_time()
        for sql, params in statements:
            con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        con.close()
    return statistics.median(times), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/bench1m/data"))
    parser.add_argument("--date", type=date.fromisoformat, help="report day (default: the last day with dossiers)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--create-indexes", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from printing.daily_report import daily_pdf
    from printing.period_report import period_pdf
    from printing.xlsx_report import period_workbook

    store = open_store(args.data_dir)
    db = store.db_path
    con = sqlite3.connect(db)
    if args.create_indexes:
        for ddl in PROPOSED_INDEXES:
            con.execute(ddl)
        con.commit()
    existing = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    indexes = {ddl.split()[5]: ddl.split()[5] in existing for ddl in PROPOSED_INDEXES}
    dossiers = con.execute("SELECT count(*) FROM dossier").fetchone()[0]
    last = con.execute("SELECT max(received_at) FROM dossier").fetchone()[0]
    con.close()
    from app.reports.common import from_ts

    day = args.date or from_ts(last).astimezone(AGENCY_TZ).date()  # type: ignore[union-attr]
    year_from = day.replace(year=day.year - 1) + timedelta(days=1)
    with store.read() as session:
        actor = actor_for(first_admin(session))  # type: ignore[arg-type]
    capture = Capture(store)
    out = Path(tempfile.mkdtemp(prefix="bench-reports-"))

    def daily() -> Any:
        report, pdf = daily_pdf(store, actor, day)
        (out / "daily.pdf").write_bytes(pdf)
        return report, pdf

    def period() -> Any:
        report, pdf = period_pdf(store, actor, year_from, day)
        (out / "period.pdf").write_bytes(pdf)
        return report, pdf

    def workbook() -> Any:
        from printing.period_report import build_period_with_place

        report, _ = build_period_with_place(store, actor, year_from, day)
        (out / "period.xlsx").write_bytes(period_workbook(report))

    results: dict[str, Any] = {"dossiers": dossiers, "day": day.isoformat(),
                               "period": [year_from.isoformat(), day.isoformat()], "indexes": indexes,
                               "output": str(out)}
    for name, fn, target in (("daily_pdf", daily, 1.0), ("period_pdf", period, 3.0), ("period_xlsx", workbook, None)):
        first, median, cpu, result = timed(fn, args.runs)
        statements = capture.record(fn)
        raw, raw_cpu = raw_time(db, statements, args.runs)
        entry: dict[str, Any] = {"first_s": round(first, 3), "median_s": round(median, 3), "cpu_s": round(cpu, 3),
                                 "raw_sql_s": round(raw, 3), "raw_sql_cpu_s": round(raw_cpu, 3),
                                 "statements": len(statements), "target_s": target}
        if isinstance(result, tuple):
            entry["pages"] = result[1].count(b"/Type /Page\n") or result[1].count(b"/Type /Page")
        results[name] = entry
    store.dispose()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{dossiers:,} dossiers; report day {day:%d/%m/%Y}; year {year_from:%d/%m/%Y}–{day:%d/%m/%Y}")
    print("proposed indexes: " + ", ".join(f"{k} {'present' if v else 'MISSING'}" for k, v in indexes.items()))
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'':12} {'first':>8} {'median':>8} {'CPU':>8} {'raw SQL':>8} {'raw CPU':>8} {'target':>7}  statements")
    for name in ("daily_pdf", "period_pdf", "period_xlsx"):
        e = results[name]
        target = f"{e['target_s']:.0f} s" if e["target_s"] else "—"
        print(f"{name:12} {e['first_s']:>7.3f}s {e['median_s']:>7.3f}s {e['cpu_s']:>7.3f}s {e['raw_sql_s']:>7.3f}s "
              f"{e['raw_sql_cpu_s']:>7.3f}s {target:>7}  {e['statements']}")
    print(f"files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

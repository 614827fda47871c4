"""Benchmark: finding dossiers among a million, each figure beside the raw sqlite3 query on the same file.

    .venv/bin/python bench/bench_dossiers.py                       # seeds 1,000,000 into a temporary dir
    .venv/bin/python bench/bench_dossiers.py --data-dir /tmp/big   # seeds it once, reuses it afterwards
    .venv/bin/python bench/bench_dossiers.py --dossiers 100000 --json

Measures (targets from issue #3):
  lookup      app.dossiers.find_by_code (dossier, documents, events)   median <= 5 ms
  search      app.search.search_dossiers over realistic queries         p95 <= 50 ms
  list        app.dossier_query.page, first 50 rows, filtered           each <= 100 ms
The raw baseline runs the same SQL strategy straight through sqlite3 (no ORM, no folding in
Python), so the ratio is what the app's layers cost on top of SQLite itself.
"""

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import demo  # noqa: E402
from app.bootstrap import initialise_counter, open_store  # noqa: E402
from app.calendar_store import load_calendar  # noqa: E402
from app.db import Store  # noqa: E402
from app.dossier_query import DossierFilter, count, page  # noqa: E402
from app.dossiers import find_by_code  # noqa: E402
from app.profile import SAMPLE_SETUP, is_initialised  # noqa: E402
from app.search import exact_code, match_expression, number_prefix, search_dossiers, search_terms  # noqa: E402
from app.validation import normalise_phone  # noqa: E402
from app.worktime import AGENCY_TZ  # noqa: E402

LIST_COLUMNS = ("rowid, id, code, status, owner_name, owner_id_number, owner_phone, procedure_code, "
                "procedure_name, field_code, channel, counter_number, received_at, due_at, paused_at, finished_at, "
                "returned_at")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def timed(fn: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def each_timed(fns: list[Callable[[], object]], warmup: bool = True) -> list[float]:
    if warmup:
        for fn in fns:
            fn()
    samples = []
    for fn in fns:
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def summary(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples), 3), "p95_ms": round(p95(samples), 3),
            "max_ms": round(max(samples), 3), "n": len(samples)}


def prepare(data_dir: Path | None, dossiers: int, days: int) -> tuple[Store, dict[str, Any], Path | None]:
    scratch = None
    if data_dir is None:
        scratch = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
        data_dir = scratch / "data"
    store = open_store(data_dir)
    with store.read() as session:
        ready = is_initialised(session)
    info: dict[str, Any] = {"data_dir": str(data_dir)}
    existing = 0
    if ready:
        with store.engine.connect() as connection:
            existing = connection.exec_driver_sql("SELECT count(*) FROM dossier").scalar_one()
    else:
        initialise_counter(store, SAMPLE_SETUP)
    if existing >= dossiers:
        info["seed"] = f"reused {existing:,} dossiers"
    else:
        print(f"seeding {dossiers - existing:,} dossiers over {days} days into {data_dir} …", file=sys.stderr, flush=True)
        report = demo.seed(store, dossiers - existing, days)
        info["seed"] = report.as_json()
        print(f"seeded in {report.seconds:.1f} s ({report.dossiers_per_second:,.0f} dossiers/s, "
              f"{report.rows_per_second:,.0f} rows/s)", file=sys.stderr, flush=True)
    with store.engine.connect() as connection:
        info["dossiers"] = connection.exec_driver_sql("SELECT count(*) FROM dossier").scalar_one()
        info["events"] = connection.exec_driver_sql("SELECT count(*) FROM dossier_event").scalar_one()
    sizes = {p.name: p.stat().st_size for p in data_dir.glob("motcua.sqlite3*")}
    info["db_bytes"] = sum(sizes.values())
    info["db_files"] = sizes
    return store, info, scratch


def realistic_queries(raw: sqlite3.Connection, rnd: random.Random, n: int) -> list[tuple[str, str]]:
    """(kind, query) typed as officers would, built from dossiers that exist."""
    top = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0]
    picked = []
    while len(picked) < n:
        row = raw.execute("SELECT code, owner_name, owner_id_number, owner_phone FROM dossier WHERE rowid = ?",
                          (rnd.randint(1, top),)).fetchone()
        if row:
            picked.append(row)
    queries: list[tuple[str, str]] = []
    from app.textfold import fold

    kinds = ["name", "name_folded", "name_partial", "family_given", "phone_prefix", "phone_spaced", "id_full",
             "id_prefix", "code", "code_tail", "given_only", "family_middle"]
    for i, (code, name, id_number, phone) in enumerate(picked):
        kind = kinds[i % len(kinds)]
        words = name.split()
        folded = fold(name).split()
        if kind == "name":
            queries.append((kind, name))
        elif kind == "name_folded":
            queries.append((kind, " ".join(folded)))
        elif kind == "name_partial":  # "nguyen van d"
            queries.append((kind, " ".join(folded[:-1] + [folded[-1][:1]])))
        elif kind == "family_given":
            queries.append((kind, f"{folded[0]} {folded[-1]}"))
        elif kind == "phone_prefix" and phone:
            queries.append((kind, phone[:rnd.choice((4, 6, 8))]))
        elif kind == "phone_spaced" and phone:
            queries.append((kind, f"{phone[:4]} {phone[4:7]} {phone[7:]}"))
        elif kind == "id_full":
            queries.append((kind, id_number))
        elif kind == "id_prefix":
            queries.append((kind, id_number[:rnd.choice((6, 9))]))
        elif kind == "code":
            queries.append((kind, code))
        elif kind == "code_tail":
            queries.append((kind, code.split("-", 1)[1]))
        elif kind == "given_only":
            queries.append((kind, words[-1]))
        else:
            queries.append(("family_middle", " ".join(words[:2])))
    # The worst cases at the desk: one letter, a very common family name, a name nobody has.
    queries += [("one_letter", "d"), ("common", "nguyen"), ("common", "Nguyễn Thị"), ("none", "nguyen thi zyx"),
                ("status_filter", "tran van")]
    return queries


def raw_search(raw: sqlite3.Connection, query: str, limit: int = 50) -> list[Any]:
    """The same strategy as app.search, straight through sqlite3."""
    code = exact_code(query)
    if code:
        rows = raw.execute("SELECT * FROM dossier WHERE code = ?", (code,)).fetchall()
        if rows:
            return rows
    number = number_prefix(query)
    if number:
        phone = normalise_phone(number)
        rows = raw.execute(
            "SELECT * FROM dossier WHERE (owner_id_number >= ? AND owner_id_number < ?) "
            "OR (owner_phone >= ? AND owner_phone < ?) ORDER BY rowid DESC LIMIT ?",
            (number, number[:-1] + chr(ord(number[-1]) + 1), phone, phone[:-1] + chr(ord(phone[-1]) + 1),
             limit)).fetchall()
        if rows:
            return rows
    terms = search_terms(query)
    return raw.execute(
        "SELECT d.* FROM dossier_fts f JOIN dossier d ON d.rowid = f.rowid WHERE dossier_fts MATCH ? "
        "ORDER BY f.rowid DESC LIMIT ?", (match_expression(terms), limit)).fetchall() if terms else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="reuse (or create once) this data directory")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--runs", type=int, default=30, help="runs of each list query")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    store, info, scratch = prepare(args.data_dir, args.dossiers, args.days)
    rnd = random.Random(20261122)
    raw = sqlite3.connect(store.db_path)
    raw.execute("PRAGMA query_only=1")
    results: dict[str, Any] = {"info": info}
    try:
        # 1. Lookup by exact code.
        top = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0]
        codes = [raw.execute("SELECT code FROM dossier WHERE rowid = ?", (rnd.randint(1, top),)).fetchone()
                 for _ in range(args.lookups)]
        codes = [c[0] for c in codes if c]

        def app_lookup(code: str) -> Callable[[], object]:
            def run() -> object:
                with store.read() as session:
                    return find_by_code(session, code)
            return run

        def raw_lookup(code: str) -> Callable[[], object]:
            def run() -> object:
                row = raw.execute("SELECT * FROM dossier WHERE code = ?", (code,)).fetchone()
                return (row, raw.execute("SELECT * FROM dossier_document WHERE dossier_id = ? ORDER BY position",
                                         (row[0],)).fetchall(),
                        raw.execute("SELECT * FROM dossier_event WHERE dossier_id = ? ORDER BY seq",
                                    (row[0],)).fetchall())
            return run

        results["lookup"] = {"app": summary(each_timed([app_lookup(c) for c in codes])),
                             "raw": summary(each_timed([raw_lookup(c) for c in codes])), "target_ms": 5,
                             "target_on": "median_ms"}

        # 2. Search.
        queries = realistic_queries(raw, rnd, args.queries)

        def app_search(query: str, status: int | None) -> Callable[[], object]:
            def run() -> object:
                with store.read() as session:
                    return search_dossiers(session, query, status=status)
            return run

        plan = [(q, 4 if kind == "status_filter" else None) for kind, q in queries]
        app_samples = each_timed([app_search(q, s) for q, s in plan])
        raw_samples = each_timed([lambda q=q: raw_search(raw, q) for q, _s in plan])
        slowest = sorted(zip(app_samples, (q for _k, q in queries)), reverse=True)[:5]
        results["search"] = {"app": summary(app_samples), "raw": summary(raw_samples), "target_ms": 50,
                             "target_on": "p95_ms", "queries": len(queries),
                             "slowest": [{"query": q, "ms": round(ms, 2)} for ms, q in slowest]}

        # 3. First page of the list.
        with store.read() as session:
            calendar = load_calendar(session)
        # The officer's "now": this moment on a working day, else 10:00 on the next one.
        now = datetime.now(UTC)
        if not calendar.is_working_day(now.astimezone(AGENCY_TZ).date()):
            now = datetime.combine(calendar.next_working_day(now.astimezone(AGENCY_TZ).date()),
                                   datetime.min.time().replace(hour=10), tzinfo=AGENCY_TZ).astimezone(UTC)
        results["lists_now"] = now.astimezone(AGENCY_TZ).isoformat()
        soon = calendar.add_working_time(now, timedelta(hours=calendar.hours_per_day))
        today = now.astimezone(AGENCY_TZ).date()
        day_start = datetime.combine(today, datetime.min.time(), tzinfo=AGENCY_TZ)
        order = "ORDER BY received_at DESC, rowid DESC LIMIT 50"
        lists: list[tuple[str, DossierFilter, str, tuple[Any, ...]]] = [
            ("list: status 4 + overdue", DossierFilter(statuses=frozenset({4}), overdue=True),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE status = 4 AND due_at < ? {order}", (utc_text(now),)),
            ("list: field HT", DossierFilter(field_code="HT"),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE field_code = 'HT' {order}", ()),
            ("list: field DD + overdue", DossierFilter(field_code="DD", overdue=True),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE status IN (2, 4, 6) AND +field_code = 'DD' AND due_at < ? "
             f"{order}", (utc_text(now),)),
            ("list: overdue", DossierFilter(overdue=True),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE status IN (2, 4, 6) AND due_at < ? {order}",
             (utc_text(now),)),
            ("list: due within a working day", DossierFilter(due_soon=True),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE status IN (2, 4, 6) AND due_at >= ? AND due_at <= ? {order}",
             (utc_text(now), utc_text(soon))),
            ("list: due today", DossierFilter(due_today=True),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE due_at >= ? AND due_at < ? {order}",
             (utc_text(day_start), utc_text(day_start + timedelta(days=1)))),
            ("list: everything", DossierFilter(), f"SELECT {LIST_COLUMNS} FROM dossier {order}", ()),
            ("list: status 5", DossierFilter(statuses=frozenset({5})),
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE status = 5 {order}", ()),
            ("list: text 'nguyen van'", DossierFilter(text="nguyen van"),
             # The plan app.dossier_query picks for a text matching thousands of dossiers.
             f"SELECT {LIST_COLUMNS} FROM dossier WHERE +rowid IN (SELECT rowid FROM dossier_fts WHERE "
             f"dossier_fts MATCH '\"nguyen\"* \"van\"*') {order}", ()),
        ]
        results["list"] = {}
        for label, filt, sql, params in lists:
            def app_page(filt: DossierFilter = filt) -> object:
                with store.read() as session:
                    return page(session, filt, now=now, calendar=calendar)
            results["list"][label] = {
                "app": summary(timed(app_page, args.runs)),
                "raw": summary(timed(lambda sql=sql, params=params: raw.execute(sql, params).fetchall(), args.runs)),
                "target_ms": 100, "target_on": "median_ms"}
        for label, filt in (("count: status 4 + overdue", DossierFilter(statuses=frozenset({4}), overdue=True)),
                            ("count: field HT", DossierFilter(field_code="HT")),
                            ("count: everything", DossierFilter())):
            def app_count(filt: DossierFilter = filt) -> object:
                with store.read() as session:
                    return count(session, filt, now=now, calendar=calendar)
            raw_sql = {"count: status 4 + overdue": ("SELECT count(*) FROM dossier WHERE status = 4 AND due_at < ?",
                                                     (utc_text(now),)),
                       "count: field HT": ("SELECT count(*) FROM dossier WHERE field_code = 'HT'", ()),
                       "count: everything": ("SELECT count(*) FROM dossier", ())}[label]
            results["list"][label] = {
                "app": summary(timed(app_count, max(5, args.runs // 3))),
                "raw": summary(timed(lambda s=raw_sql: raw.execute(*s).fetchall(), max(5, args.runs // 3))),
                "target_ms": None, "target_on": "median_ms"}
    finally:
        raw.close()
        store.dispose()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"\n{info['dossiers']:,} dossiers, {info['events']:,} events, database "
          f"{info['db_bytes'] / 1e9:.2f} GB ({info['data_dir']})")
    seed = info["seed"]
    if isinstance(seed, dict):
        print(f"seed: {seed['seconds']} s ({seed['dossiers_per_second']:,} dossiers/s, {seed['rows_per_second']:,} "
              f"rows/s; generate {seed['generate_seconds']} s in {seed['workers']} worker(s), write "
              f"{seed['write_seconds']} s, index + checkpoint {seed['index_seconds']} s)")
    else:
        print(f"seed: {seed}")
    rows = [("lookup by exact code (find_by_code)", results["lookup"])]
    rows.append((f"search, {results['search']['queries']} queries", results["search"]))
    rows += list(results["list"].items())
    print(f"\nlists as at {results['lists_now']} (agency time)")
    print(f"\n{'measure':<42} {'app med':>9} {'app p95':>9} {'raw med':>9} {'raw p95':>9} {'ratio':>6}  target")
    for label, r in rows:
        app, base = r["app"], r["raw"]
        ratio = app["median_ms"] / base["median_ms"] if base["median_ms"] else float("inf")
        target = r["target_ms"]
        verdict = ""
        if target is not None:
            value = app[r["target_on"]]
            verdict = f"{r['target_on'][:-3]} <= {target} ms: {'ok' if value <= target else 'MISSED'}"
        print(f"{label:<42} {app['median_ms']:>9.2f} {app['p95_ms']:>9.2f} {base['median_ms']:>9.2f} "
              f"{base['p95_ms']:>9.2f} {ratio:>6.1f}  {verdict}")
    print("\nslowest searches: " + "; ".join(f"{s['query']!r} {s['ms']} ms" for s in results["search"]["slowest"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

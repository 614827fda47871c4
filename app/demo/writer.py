"""Writing the seed: one connection, one transaction per chunk, forked generators for large seeds.

Chunks are generated here or, for large seeds, in forked worker processes (POSIX;
elsewhere generation stays in this process) that write the next chunks into scratch
SQLite files while this process copies the previous one in with `INSERT … SELECT`.
Each chunk's dossiers, events, search index entries and sequence numbers go in one
BEGIN IMMEDIATE transaction, so every commit leaves a consistent database. During the
seed the writing connection uses a 1 GiB page cache, synchronous=NORMAL and a WAL
checkpoint about every gigabyte instead of every 4 MB; all three are restored afterwards.
"""

import multiprocessing
import os
import shutil
import sqlite3
import tempfile
import time as _time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from app.db import Store
from app.search import index_rows_after

from .generator import Batch, Config, DayTask, Generator, generate

SEED_CACHE_KIB = 1024 * 1024
SEED_CHECKPOINT_PAGES = 262_144

DOSSIER_COLUMNS = (
    "id", "code", "procedure_id", "procedure_code", "procedure_name", "field_code", "channel", "status",
    "owner_name", "owner_id_number", "owner_dob", "owner_phone", "owner_email", "owner_address", "subject_type",
    "submitter_name", "submitter_id_number", "submitter_phone", "sets", "collection_method", "collection_address",
    "note", "received_at", "recorded_at", "late_entry", "due_at", "processing_value", "processing_unit",
    "fee_total", "register_book", "register_number", "officer_id", "officer_name", "counter_number",
    "search_text", "paused_at", "finished_at", "returned_at", "extended", "satisfaction", "amount_paid")
EVENT_COLUMNS = ("id", "dossier_id", "seq", "type", "at", "recorded_at", "officer_id", "counter_number",
                 "status_after", "details")
INSERT_DOSSIER = (f"INSERT INTO dossier ({', '.join(DOSSIER_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(DOSSIER_COLUMNS))})")
INSERT_EVENT = (f"INSERT INTO dossier_event ({', '.join(EVENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")
UPSERT_SEQUENCE = ("INSERT INTO sequence (name, scope, last) VALUES (?, ?, ?) "
                   "ON CONFLICT (name, scope) DO UPDATE SET last = max(last, excluded.last)")


# Worker processes: one generator each, built once from the config.
_worker: tuple[Generator, str] | None = None


def _worker_start(config: Config) -> None:
    global _worker
    _worker = (Generator(config), config.agency)


def _worker_chunk(tasks: list[DayTask], path: str) -> tuple[str, int, dict[int, int], float]:
    """Generate a chunk into a scratch SQLite file; the writing process copies it in with one INSERT … SELECT."""
    assert _worker is not None
    generator, agency = _worker
    started = _time.perf_counter()
    generator.statuses.clear()
    generator.events = 0
    batch = generate(generator, agency, tasks)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(f"CREATE TABLE d ({', '.join(DOSSIER_COLUMNS)})")
        connection.execute(f"CREATE TABLE e ({', '.join(EVENT_COLUMNS)})")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO d VALUES ({', '.join('?' * len(DOSSIER_COLUMNS))})", batch.dossiers)
        connection.executemany(f"INSERT INTO e VALUES ({', '.join('?' * len(EVENT_COLUMNS))})", batch.events)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return path, generator.events, dict(generator.statuses), _time.perf_counter() - started


class BatchWriter:
    """Writes chunks through one connection of the store, each in one BEGIN IMMEDIATE transaction.

    Generation never runs in another thread of this process: `executemany` hands the GIL back
    and forth for every row, and a second Python thread made the inserts three to a hundred
    times slower (measured). A worker process has its own GIL; its chunks arrive as scratch
    SQLite files and are copied in by SQLite alone (`INSERT … SELECT`), which also saves the
    per-row parameter binding here, on the busiest core.
    """

    def __init__(self, store: Store):
        self.connection = store._writer.connect()
        raw = self.connection.connection.driver_connection
        assert raw is not None
        self.raw = raw
        self.previous = {pragma: raw.execute(f"PRAGMA {pragma}").fetchone()[0]
                         for pragma in ("cache_size", "synchronous", "wal_autocheckpoint")}
        raw.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
        # Demo data: a power cut may cost the last chunks, never the file's integrity (WAL).
        raw.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint about every gigabyte of log instead of every 4 MB: pages that every chunk
        # touches again (the ends of the indexes, the search index) are copied into the
        # database a few times rather than once per chunk, and the log stays bounded.
        raw.execute(f"PRAGMA wal_autocheckpoint={SEED_CHECKPOINT_PAGES}")
        self.seconds = 0.0
        self.timings: Counter[str] = Counter()

    def _timed(self, name: str, started: float) -> float:
        now = _time.perf_counter()
        self.timings[name] += now - started
        return now

    def write(self, batch: Batch, sequences: dict[tuple[str, str], int]) -> None:
        raw = self.raw
        started = mark = _time.perf_counter()
        with self.connection.begin():
            last = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0] or 0
            raw.executemany(INSERT_DOSSIER, batch.dossiers)
            mark = self._timed("dossiers", mark)
            raw.executemany(INSERT_EVENT, batch.events)
            mark = self._timed("events", mark)
            self._finish(last, sequences, mark)
        self.seconds += self._timed("commit", mark) - started

    def write_file(self, path: str, sequences: dict[tuple[str, str], int]) -> None:
        raw = self.raw
        started = mark = _time.perf_counter()
        raw.execute("ATTACH DATABASE ? AS demo_chunk", (path,))
        try:
            with self.connection.begin():
                last = raw.execute("SELECT max(rowid) FROM dossier").fetchone()[0] or 0
                raw.execute(f"INSERT INTO dossier ({', '.join(DOSSIER_COLUMNS)}) "
                            f"SELECT {', '.join(DOSSIER_COLUMNS)} FROM demo_chunk.d ORDER BY rowid")
                mark = self._timed("dossiers", mark)
                raw.execute(f"INSERT INTO dossier_event ({', '.join(EVENT_COLUMNS)}) "
                            f"SELECT {', '.join(EVENT_COLUMNS)} FROM demo_chunk.e ORDER BY rowid")
                mark = self._timed("events", mark)
                mark = self._finish(last, sequences, mark)
            mark = self._timed("commit", mark)
        finally:
            raw.execute("DETACH DATABASE demo_chunk")
        self.seconds += mark - started

    def _finish(self, last_rowid: int, sequences: dict[tuple[str, str], int], mark: float) -> float:
        index_rows_after(self.raw, last_rowid)
        mark = self._timed("search", mark)
        self.raw.executemany(UPSERT_SEQUENCE, [(n, s, v) for (n, s), v in sequences.items()])
        return mark

    def close(self) -> None:
        try:
            for pragma, value in self.previous.items():
                self.raw.execute(f"PRAGMA {pragma}={value}")
        finally:
            self.connection.close()


def default_workers(dossiers: int) -> int:
    """Generating processes beside the writing one: none for small seeds, none without fork().

    Workers are forked (POSIX): a spawned worker would re-import the caller's main script,
    which breaks any script without an `if __name__ == "__main__"` guard.
    """
    cpus = os.cpu_count() or 1
    if dossiers < 50_000 or cpus < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(1, min(3, cpus - 1))


@dataclass
class Written:
    """What writing the chunks produced, for the seed's report."""

    events: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    timings: Counter[str] = field(default_factory=Counter)


def write_chunks(store: Store, config: Config,
                 chunks: list[tuple[list[DayTask], dict[tuple[str, str], int]]], workers: int) -> Written:
    """Generate and write the planned chunks in order, with `workers` forked generators (0: none)."""
    agency = config.agency
    written = Written()
    writer = BatchWriter(store)
    try:
        if workers <= 0 or len(chunks) < 2:
            generator = Generator(config)
            for chunk_tasks, chunk_sequences in chunks:
                mark = _time.perf_counter()
                batch = generate(generator, agency, chunk_tasks)
                written.generate_seconds += _time.perf_counter() - mark
                writer.write(batch, chunk_sequences)
            written.statuses, written.events = generator.statuses, generator.events
        else:
            scratch = tempfile.mkdtemp(prefix="motcua-demo-")
            try:
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                                         initargs=(config,)) as pool:
                    pending: deque[Future[tuple[str, int, dict[int, int], float]]] = deque()
                    waiting = iter(enumerate(chunks))
                    for number, (chunk_tasks, _s) in islice(waiting, workers + 1):
                        pending.append(pool.submit(_worker_chunk, chunk_tasks, os.path.join(scratch, f"{number}.db")))
                    for _tasks, chunk_sequences in chunks:
                        path, chunk_events, chunk_statuses, seconds = pending.popleft().result()
                        for number, (chunk_tasks, _s) in islice(waiting, 1):
                            pending.append(pool.submit(_worker_chunk, chunk_tasks,
                                                       os.path.join(scratch, f"{number}.db")))
                        writer.write_file(path, chunk_sequences)
                        os.remove(path)
                        written.events += chunk_events
                        written.statuses.update(chunk_statuses)
                        written.generate_seconds += seconds
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        writer.close()
    written.write_seconds, written.timings = writer.seconds, writer.timings
    return written

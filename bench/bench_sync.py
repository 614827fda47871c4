"""Benchmark: push a counter's whole outbox (10,000 dossiers and their events) to the reference portal.

    .venv/bin/python bench/bench_sync.py [--dossiers 10000] [--throttle-seconds 150] [--json OUT]

One run, all on 127.0.0.1, each portal a `motcua portal serve` subprocess on a fresh SQLite file:
  engine     `motcua sync` engine (run_sync_round) in its own counter process: total time (target <= 20 s),
             the process's memory growth during the round (peak RSS, VmHWM reset just before the round,
             beside ru_maxrss and VmRSS; target < 50 MB),
             compressed bytes on the wire per dossier
  raw        bare `requests` POSTing the same gzip'd push bodies (batches of the engine's largest size)
             to the same endpoint of a second fresh portal: the floor set by the portal itself
  throttled  a third fresh portal behind bench/throttle_proxy.py at 64 kbit/s each way: items acknowledged
             per minute, sampled every 10 s, and how steady that is (the round is stopped after a while)

The seeded dossiers (app.demo.seed) carry no outbox rows (demo data must never reach a portal), so the
bench writes the rows a real counter would have written: "dossier.received" with the intake event, then
one "dossier.<type>" item per later event, in the order the events happened.
"""

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests
from sqlmodel import col, func, select

from app.bootstrap import initialise_counter, open_store
from app.demo import seed
from app.profile import SAMPLE_SETUP
from app.serialize import dossier_payload, event_payload, iso
from bench.throttle_proxy import ThrottleProxy
from models.tables import Dossier, DossierEvent, OutboxItem
from sync import state
from sync.engine import EngineConfig, build_push_item
from sync.protocol import PROTOCOL_HEADER, PushRequest
from tests.portal_tools import running_portal


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    return _status_mb("VmRSS")


def peak_mb() -> float:
    return _status_mb("VmHWM")


def reset_peak() -> None:
    """Linux: start VmHWM again from the current RSS (ru_maxrss cannot be reset; opening the store peaks it)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- preparing the counter ------------------------------------------------------------------------------


def prepare(data_dir: Path, dossiers: int) -> dict[str, Any]:
    store = open_store(data_dir)
    initialise_counter(store, SAMPLE_SETUP)
    started = time.perf_counter()
    seed(store, dossiers, days=max(30, dossiers // 300), seed=5)
    seeded = time.perf_counter() - started
    with store.read() as session:
        rows = session.exec(select(Dossier)).all()
        events: dict[str, list[DossierEvent]] = defaultdict(list)
        for event in session.exec(select(DossierEvent).order_by(col(DossierEvent.dossier_id),
                                                                col(DossierEvent.seq))).all():
            events[event.dossier_id].append(event)
        items: list[tuple[Any, OutboxItem]] = []
        for d in rows:
            history = events[d.id]
            items.append((history[0].at, OutboxItem(kind="dossier.received", entity_id=d.id,
                                                    payload=dossier_payload(d, [], history[:1]),
                                                    created_at=history[0].recorded_at)))
            for e in history[1:]:
                items.append((e.at, OutboxItem(kind=f"dossier.{e.type}", entity_id=d.id, created_at=e.recorded_at,
                                               payload={"code": d.code, "status": e.status_after,
                                                        "due_at": iso(d.due_at), "event": event_payload(e)})))
    items.sort(key=lambda pair: pair[0])
    with store.write() as session:
        session.add_all([item for _, item in items])
    with store.read() as session:
        total = session.exec(select(func.count()).select_from(OutboxItem)).one()
    store.dispose()
    return {"dossiers": len(rows), "outbox_items": int(total), "seed_seconds": round(seeded, 1)}


def enroll_at(data_dir: Path, portal_url: str, admin_portal: Any) -> None:
    from app.users import actor_for
    from models.tables import User
    from sync.enrollment import enroll

    store = open_store(data_dir)
    with store.read() as session:
        admin = actor_for(session.exec(select(User).where(User.username == SAMPLE_SETUP.admin_username)).one())
    enroll(store, admin, portal_url, admin_portal.issue_code(SAMPLE_SETUP.agency_code))
    store.dispose()


# --- the counter process: one engine round, measured from inside -----------------------------------------


def push_child(data_dir: Path) -> None:
    """Runs in its own process so its memory figures are the round's, not the seeding's."""
    from sync.engine import run_sync_round

    store = open_store(data_dir)
    state.sync_status(store)  # warm: imports, connections, first queries
    reset_peak()
    before_rss, before_max, before_peak = rss_mb(), maxrss_mb(), peak_mb()
    started = time.perf_counter()
    result = run_sync_round(store, EngineConfig())
    elapsed = time.perf_counter() - started
    print(json.dumps({"ok": result.ok, "error": result.error, "accepted": result.accepted,
                      "duplicates": result.duplicates, "quarantined": result.quarantined,
                      "batches": result.batches, "seconds": round(elapsed, 2), "bytes_sent": result.bytes_sent,
                      "bytes_received": result.bytes_received, "rss_before_mb": round(before_rss, 1),
                      "rss_after_mb": round(rss_mb(), 1), "maxrss_before_mb": round(before_max, 1),
                      "maxrss_after_mb": round(maxrss_mb(), 1), "peak_before_mb": round(before_peak, 1),
                      "peak_after_mb": round(peak_mb(), 1)}))
    store.dispose()


# --- raw requests baseline -------------------------------------------------------------------------------


def push_bodies(data_dir: Path, max_items: int, max_bytes: int) -> list[bytes]:
    """The same push requests the engine sends (batches capped as EngineConfig caps them), gzip'd like the client."""
    store = open_store(data_dir)
    with store.read() as session:
        rows = session.exec(select(OutboxItem.id, OutboxItem.kind, OutboxItem.entity_id,  # type: ignore[call-overload]
                                   OutboxItem.payload, OutboxItem.created_at,
                                   func.length(OutboxItem.payload).label("payload_bytes"))
                            .order_by(col(OutboxItem.id))).all()
        bodies: list[bytes] = []
        batch: list[Any] = []
        size = 0

        def flush() -> None:
            request = PushRequest(batch_id=str(uuid.uuid4()), items=[build_push_item(r) for r in batch])
            bodies.append(gzip.compress(request.model_dump_json().encode("utf-8"), compresslevel=6))

        for row in rows:
            # Sized as SyncEngine._next_batch sizes a batch: the stored JSON's length plus the envelope.
            row_size = (row.payload_bytes or 0) + 200
            if batch and (len(batch) == max_items or size + row_size > max_bytes):
                flush()
                batch, size = [], 0
            batch.append(row)
            size += row_size
        if batch:
            flush()
    store.dispose()
    return bodies


def raw_push(url: str, token: str, bodies: list[bytes]) -> dict[str, Any]:
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip", "Accept-Encoding": "gzip"}
    accepted = 0
    started = time.perf_counter()
    with requests.Session() as http:
        for body in bodies:
            answer = http.post(f"{url}/v1/push", data=body, headers=headers, timeout=120)
            answer.raise_for_status()
            accepted += sum(1 for r in answer.json()["results"] if r["status"] == "accepted")
    return {"seconds": round(time.perf_counter() - started, 2), "accepted": accepted, "batches": len(bodies),
            "bytes_sent": sum(map(len, bodies))}


# --- throttled link ---------------------------------------------------------------------------------------


def throttled(data_dir: Path, portal: Any, seconds: float) -> dict[str, Any]:
    from sync.engine import run_sync_round

    with ThrottleProxy(portal.port, bits_per_second=64_000) as proxy:
        store = open_store(data_dir)
        with store.write() as session:
            state.put(session, state.PORTAL_URL, proxy.url)
        cancel = threading.Event()
        outcome: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: outcome.update(
            result=run_sync_round(store, EngineConfig(), cancel=cancel)), daemon=True)
        started = time.monotonic()
        worker.start()
        samples: list[tuple[float, int]] = []
        while time.monotonic() - started < seconds and worker.is_alive():
            time.sleep(10)
            samples.append((round(time.monotonic() - started, 1), state.sync_status(store).delivered))
        cancel.set()
        worker.join(timeout=300)
        delivered = state.sync_status(store).delivered
        store.dispose()
        wire_up, wire_down = proxy.bytes_up, proxy.bytes_down
    per_window = [b - a for (_, a), (_, b) in zip([(0.0, 0), *samples[:-1]], samples, strict=True)]
    minutes = samples[-1][0] / 60 if samples else 1
    # Steadiness over the full windows after the first (which includes the time check and a small first batch).
    steady = per_window[1:] or per_window
    mean = sum(steady) / len(steady) if steady else 0
    spread = (max(steady) - min(steady)) / mean if mean else 0
    return {"seconds": samples[-1][0] if samples else 0, "delivered": delivered,
            "items_per_minute": round(delivered / minutes, 1), "per_10s": per_window,
            "samples": samples, "spread_of_10s_windows": round(spread, 2), "wire_bytes_up": wire_up,
            "wire_bytes_down": wire_down, "link_use_up": round(wire_up / (samples[-1][0] * 8000), 2) if samples else 0,
            "windows_with_no_ack": sum(1 for n in steady if n == 0)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--throttle-seconds", type=float, default=150)
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--push-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.push_child:
        push_child(Path(args.push_child))
        return 0

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        base = Path(tmp)
        figures["prepared"] = prepare(base / "counter", args.dossiers)
        for name in ("raw", "throttled"):
            shutil.copytree(base / "counter", base / name)
        print("prepared:", figures["prepared"], flush=True)

        with running_portal(str(base / "portal-engine.sqlite3")) as portal:
            enroll_at(base / "counter", portal.url, portal.admin())
            child = subprocess.run([sys.executable, __file__, "--push-child", str(base / "counter")],
                                   check=False, capture_output=True, text=True, cwd=ROOT, timeout=900,
                                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            engine = json.loads(child.stdout.strip().splitlines()[-1])
            engine["maxrss_growth_mb"] = round(engine["maxrss_after_mb"] - engine["maxrss_before_mb"], 1)
            engine["rss_growth_mb"] = round(engine["rss_after_mb"] - engine["rss_before_mb"], 1)
            engine["peak_growth_mb"] = round(engine["peak_after_mb"] - engine["peak_before_mb"], 1)
            engine["wire_bytes_per_dossier"] = round(engine["bytes_sent"] / figures["prepared"]["dossiers"])
            engine["portal_counts"] = portal.admin().counts()
            figures["engine"] = engine
            print("engine:", engine, flush=True)

        config = EngineConfig()
        bodies = push_bodies(base / "raw", config.max_items, config.max_batch_bytes)
        with running_portal(str(base / "portal-raw.sqlite3")) as portal:
            enroll_at(base / "raw", portal.url, portal.admin())
            token = state.load_token(base / "raw")
            assert token
            figures["raw"] = raw_push(portal.url, token, bodies)
            figures["raw"]["wire_bytes_per_dossier"] = round(figures["raw"]["bytes_sent"]
                                                             / figures["prepared"]["dossiers"])
            print("raw requests:", figures["raw"], flush=True)

        with running_portal(str(base / "portal-throttled.sqlite3")) as portal:
            enroll_at(base / "throttled", portal.url, portal.admin())
            figures["throttled_64kbit"] = throttled(base / "throttled", portal, args.throttle_seconds)
            print("throttled 64 kbit/s:", figures["throttled_64kbit"], flush=True)

    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

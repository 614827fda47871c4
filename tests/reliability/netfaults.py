"""The network-fault suite: two counters of one agency syncing through hostile links, for a long time.

One reference portal in a child process on 127.0.0.1; two counters (numbers 1 and 2 of the sample
agency), each behind its own `tests.fault_proxy.FaultProxy` with a seeded schedule. Every round each
counter receives dossiers and carries out steps and payments (the real use cases), the portal's
processing body posts status changes on dossiers set aside for it, and now and then the portal
publishes a holiday or a catalog change; then both counters run a sync round at the same time through
their proxies, with tiny batches and pull pages so that a round is many requests. After the last
round the faults stop, clean rounds drain both queues, and `netagree.check` demands exact agreement.

Dossiers are split so that the two ends never race for one dossier: a dossier set aside for the
portal is forwarded at intake and then left alone by its counter until the portal has posted a final
status (stopped, result ready) and the counter has pulled it; after that the counter may return it.

    python -m tests.reliability.netfaults --rounds 150 --seed 7 [--dossiers 2]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.db import Store
from app.permissions import Actor
from sync.engine import EngineConfig, SyncResult, run_sync_round
from tests.fault_proxy import FaultProxy, Schedule
from tests.reliability.netagree import CATALOG_PROCEDURE, check

ROOT = Path(__file__).resolve().parents[2]
# Tiny batches and pages, short timeouts: many requests per round, and a held answer costs under a second.
HOSTILE = EngineConfig(batch_items=3, max_items=6, backoff_base=0.01, backoff_cap=0.05, max_failures=4,
                       connect_timeout=0.5, read_timeout_base=0.4, link_floor_bytes_per_second=1e6,
                       grow_below_seconds=0.2, pull_limit=3)
CLEAN = EngineConfig(backoff_base=0.01, backoff_cap=0.05, pull_limit=50)


class PathSchedule(Schedule):
    """The proxy's schedule, counting each fate by the request it fell on (push, pull, time check)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.local = threading.local()
        self.by_path: Counter[tuple[str, str]] = Counter()

    def fate(self, number: int) -> str:
        fate = super().fate(number)
        self.by_path[(getattr(self.local, "path", "?"), fate)] += 1
        return fate


class PathProxy(FaultProxy):
    """A FaultProxy that peeks at the request line first (without consuming it) to learn the path."""

    schedule: PathSchedule

    def _handle(self, sock: socket.socket) -> None:
        try:
            sock.settimeout(2.0)
            head = sock.recv(128, socket.MSG_PEEK)
        except OSError:
            head = b""
        finally:
            sock.settimeout(None)
        parts = head.split(b" ", 2)
        self.schedule.local.path = parts[1].split(b"?")[0].decode("ascii", "replace") if len(parts) > 2 else "?"
        super()._handle(sock)


@dataclass
class Desk:
    number: int
    store: Store
    actor: Actor
    proxy: PathProxy
    reserved: set[str] = field(default_factory=set)  # dossiers the portal's processing body handles
    released: dict[str, int] = field(default_factory=dict)  # code -> final status the portal posted
    results: list[SyncResult] = field(default_factory=list)


@dataclass
class PortalLog:
    statuses: dict[str, tuple[int, str, int]] = field(default_factory=dict)  # event id -> (counter, code, status)
    holidays: dict[date, str] = field(default_factory=dict)
    holiday_posts: int = 0
    catalog_name: str | None = None
    catalog_posts: int = 0


def work(desk: Desk, rng: random.Random, dossiers: int) -> None:
    """One round of a counter's day: intakes (some set aside for the portal), steps, payments."""
    from sqlmodel import col, select

    from app import fees
    from app.catalog import list_procedures
    from app.errors import CounterError
    from app.intake import IntakeRequest, all_documents, receive
    from app.lifecycle import Action, StepRequest, allowed_actions, perform
    from models.enums import DossierStatus, PaymentKind
    from models.tables import Dossier
    from tests.reliability.driver import person

    with desk.store.read() as session:
        # The procedure the portal renames is kept out of intakes: catalog changes touch no dossier in flight.
        specs = [s for s in list_procedures(session) if s.code != CATALOG_PROCEDURE]
    for _ in range(dossiers):
        spec = rng.choice(specs)
        code = receive(desk.store, desk.actor, IntakeRequest(
            procedure_code=spec.code, owner=person(rng), documents=all_documents(spec),  # type: ignore[arg-type]
            accept_missing_required=True)).code
        if rng.random() < 0.4:
            perform(desk.store, desk.actor, code, StepRequest(action=Action.FORWARD,
                                                              processing_body="Công chức Tư pháp - Hộ tịch"))
            desk.reserved.add(code)
    with desk.store.read() as session:
        mine = [d for d in session.exec(select(Dossier).where(col(Dossier.status).in_([2, 4, 5, 6, 8, 9]))).all()
                if d.code not in desk.reserved or desk.released.get(d.code) == d.status]
    for _ in range(dossiers * 2):
        if not mine:
            break
        dossier = rng.choice(mine)
        try:
            if rng.random() < 0.3 and dossier.fee_total > dossier.amount_paid and dossier.status not in (
                    DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
                fees.record(desk.store, desk.actor, dossier.code, fees.PaymentRequest(
                    kind=PaymentKind.PAYMENT, amount=rng.randint(1, dossier.fee_total - dossier.amount_paid)))
            else:
                actions = [a for a in allowed_actions(dossier) if a is not Action.EXTEND]
                if actions:
                    perform(desk.store, desk.actor, dossier.code, StepRequest(
                        action=rng.choice(actions), reason="Thiếu bản sao giấy khai sinh.",
                        documents=["Bản sao giấy khai sinh"], processing_body="Công chức Tư pháp - Hộ tịch",
                        satisfaction=1))
        except CounterError:
            pass  # refused for a reason of the domain: not a fault of the link
        with desk.store.read() as session:
            fresh = session.get(Dossier, dossier.id)
        mine = [d for d in mine if d.id != dossier.id] + ([fresh] if fresh is not None else [])


def portal_acts(portal: Any, desks: list[Desk], rng: random.Random, log: PortalLog, round_number: int,
                catalog: list[dict[str, Any]]) -> None:
    """The processing body posts statuses on set-aside dossiers; now and then a holiday or catalog change."""
    from sync.portal.service import PortalError
    from sync.protocol import PORTAL_STATUS_FROM

    for desk in desks:
        pending = sorted(desk.reserved - set(desk.released))
        for code in rng.sample(pending, min(2, len(pending))):
            row = portal.dossier(code)
            if row is None:
                continue  # not pushed yet
            choices = [s for s, allowed in PORTAL_STATUS_FROM.items() if row.status in allowed]
            if not choices:
                continue
            status = rng.choice(choices)
            try:
                change = portal.post_status(code, status, body="Phòng Tư pháp", note=f"Vòng {round_number}")
            except PortalError:
                continue
            log.statuses[change.event_id] = (desk.number, code, status)
            if status in (8, 9):
                desk.released[code] = status
    if rng.random() < 0.2:
        day = date(2027, 1, 1) + timedelta(days=rng.randrange(40))
        name = f"Ngày nghỉ bù vòng {round_number}"
        portal.publish_holiday(day, "holiday", name)
        log.holidays[day] = name
        log.holiday_posts += 1
    if rng.random() < 0.1:
        procedure = dict(next(p for p in catalog if p["code"] == CATALOG_PROCEDURE))
        procedure["name"] = f"Thủ tục đăng ký khai sinh (bản {round_number})"
        portal.publish_catalog({"procedures": [procedure]})
        log.catalog_name = procedure["name"]
        log.catalog_posts += 1


def sync_both(desks: list[Desk], config: EngineConfig) -> list[SyncResult]:
    with ThreadPoolExecutor(len(desks)) as pool:
        results = list(pool.map(lambda d: run_sync_round(d.store, config), desks))
    for desk, result in zip(desks, results):
        desk.results.append(result)
    return results


@dataclass
class Outcome:
    requests: int
    faults: Counter[str]
    directions: Counter[str]  # faults by request: push, pull, time
    items: int
    lost: int
    duplicated: int
    statuses: int
    published: int
    resent: int  # items answered "duplicate": the portal had stored them behind an answer the counter lost
    problems: list[str]
    seconds: float

    def summary(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        directions = ", ".join(f"{k} {v}" for k, v in sorted(self.directions.items()))
        return (f"netfaults: requests {self.requests}, faults {sum(self.faults.values())} ({faults}; on {directions}), "
                f"items {self.items}, lost {self.lost}, duplicated {self.duplicated}, resent and answered duplicate "
                f"{self.resent}, portal status changes "
                f"{self.statuses}, published changes {self.published}, problems {len(self.problems)}, "
                f"{self.seconds:.0f} s")


def run(rounds: int, seed: int, dossiers: int, work_dir: Path, rate: float = 0.35,
        hold_seconds: float = 0.6, tamper: Callable[[Any, list[Desk]], None] | None = None) -> Outcome:
    """The whole suite; `tamper` (tests of the check itself) damages the end state before the check."""
    from sync import state
    from tests.portal_tools import running_portal
    from tests.sync_tools import enroll_with, new_counter

    started = time.monotonic()
    rng = random.Random(seed)
    catalog = json.loads((ROOT / "resources/catalog/sample-commune-catalog.json").read_text("utf-8"))["procedures"]
    with running_portal(str(work_dir / "portal.sqlite3")) as running:
        portal = running.admin()
        desks: list[Desk] = []
        proxies: list[PathProxy] = []
        try:
            for number in (1, 2):
                store, actor = new_counter(work_dir / f"counter{number}", number)
                enroll_with(store, actor, running.url, portal, number)  # enrollment on a good link
                schedule = PathSchedule(seed=seed * 10 + number, faulty=1_000_000, rate=rate)
                proxy = PathProxy(running.port, schedule, hold_seconds=hold_seconds).__enter__()
                proxies.append(proxy)
                with store.write() as session:
                    state.put(session, state.PORTAL_URL, proxy.url)
                desks.append(Desk(number, store, actor, proxy))
            log = PortalLog()
            for round_number in range(rounds):
                for desk in desks:
                    work(desk, rng, dossiers)
                portal_acts(portal, desks, rng, log, round_number, catalog)
                sync_both(desks, HOSTILE)
            requests_faulty = [list(p.log) for p in proxies]
            directions: Counter[str] = Counter()
            for proxy in proxies:
                for (path, fate), n in proxy.schedule.by_path.items():
                    if fate != "pass":
                        directions[path.rsplit("/", 1)[-1]] += n
            for proxy in proxies:
                proxy.schedule.plan = []  # the link heals
            for _ in range(10):
                if all(r.ok for r in sync_both(desks, CLEAN)):
                    break
            requests = sum(len(p.log) for p in proxies)
            faults = Counter(f for fates in requests_faulty for f in fates if f != "pass")
            if tamper is not None:
                tamper(portal, desks)
            problems, items, lost, duplicated = check(portal, desks, log)
        finally:
            for proxy in proxies:
                proxy.__exit__(None, None, None)
            for desk in desks:
                desk.store.dispose()
    resent = sum(r.duplicates for desk in desks for r in desk.results)
    return Outcome(requests, faults, directions, items, lost, duplicated, len(log.statuses),
                   log.holiday_posts + log.catalog_posts, resent, problems, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dossiers", type=int, default=2, help="dossiers received per counter per round")
    parser.add_argument("--rate", type=float, default=0.35, help="share of requests that meet a fault")
    parser.add_argument("--work-dir", type=Path)
    args = parser.parse_args(argv)
    if args.rounds * args.dossiers > 900:
        parser.error("at most 900 dossiers per counter: a counter numbers at most 999 a day")
    with tempfile.TemporaryDirectory(prefix="netfaults-") as tmp:
        work_dir = args.work_dir or Path(tmp)
        work_dir.mkdir(parents=True, exist_ok=True)
        outcome = run(args.rounds, args.seed, args.dossiers, work_dir, rate=args.rate)
    for problem in outcome.problems[:30]:
        print(f"PROBLEM {problem}")
    print(outcome.summary())
    return 1 if outcome.problems else 0


if __name__ == "__main__":
    sys.exit(main())

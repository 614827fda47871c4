"""What must hold after any crash: the checks the power-cut suite runs after every kill.

`check_store(data_dir, reported)` opens the data directory the way the app
does and returns a list of problems (empty: the counter survived). It checks
the file, then every dossier, event, payment, outbox row and audit row
against the others, and every success the killed process had reported.

Sync joins later through `PortalView`: once a portal is in the loop, the
outbox rows it has acknowledged are `delivered` and everything else must
still be waiting. Until then no row may be anything but waiting.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

# Given the store, the (kind, entity_id, event_id) keys of changes the portal holds; None: no portal yet.
PortalView = Callable[[Any], set[tuple[str, str, str]]]


@dataclass
class Reported:
    """Successes the child printed before it was killed."""

    dossiers: dict[str, str] = field(default_factory=dict)  # code -> dossier id
    events: dict[str, tuple[str, int]] = field(default_factory=dict)  # event id -> (code, seq)
    payments: dict[str, tuple[str, int]] = field(default_factory=dict)  # payment id -> (code, amount)

    def add_line(self, line: str) -> bool:
        """Parse one complete stdout line; True when it was a success."""
        parts = line.split()
        if not parts:
            return False
        if parts[0] == "receive" and len(parts) == 3:
            self.dossiers[parts[1]] = parts[2]
        elif parts[0] == "act" and len(parts) == 4:
            self.events[parts[3]] = (parts[1], int(parts[2]))
        elif parts[0] == "pay" and len(parts) == 4:
            self.payments[parts[2]] = (parts[1], int(parts[3]))
        else:
            return False
        return True

    @property
    def total(self) -> int:
        return len(self.dossiers) + len(self.events) + len(self.payments)


def _rows(conn: Any, query: str) -> list[Any]:
    return list(conn.execute(text(query)).all())


def verify_audit_chain(store: Any) -> str | None:
    """None when the chain verifies; else what is wrong (through app.audit_verify when it is there)."""
    try:
        from app.audit_verify import verify_chain
    except ImportError:  # pragma: no cover - the audit helper's module predates this suite in the tree
        verify_chain = None
    with store.read() as session:
        if verify_chain is not None:
            report = verify_chain(session)
            return None if report.ok else report.summary()
        from sqlmodel import col, select

        from app.audit import GENESIS_HASH, recompute
        from models.tables import AuditEntry

        prev = GENESIS_HASH
        for number, entry in enumerate(session.exec(select(AuditEntry).order_by(col(AuditEntry.mono))), 1):
            if entry.mono != number or entry.prev_hash != prev or recompute(entry) != entry.hash:
                return f"audit chain broken at mono {entry.mono}"
            prev = entry.hash
    return None


def check_store(data_dir: Path, reported: Reported, portal: PortalView | None = None) -> list[str]:
    from app.bootstrap import open_store

    problems: list[str] = []
    try:
        store = open_store(data_dir)
    except Exception as error:  # noqa: BLE001 - not opening is the failure being measured
        return [f"database does not open: {error!r}"]
    try:
        with store.read() as session:
            conn = session.connection()
            integrity = [r[0] for r in _rows(conn, "PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {integrity[:5]}")
            fk = _rows(conn, "PRAGMA foreign_key_check")
            if fk:
                problems.append(f"foreign_key_check: {fk[:5]}")
            problems += _check_rows(conn, reported, portal, store)
        with store.write() as session:
            # The external-content search index must match the dossiers it indexes.
            try:
                session.connection().execute(text("INSERT INTO dossier_fts(dossier_fts) VALUES('integrity-check')"))
            except Exception as error:  # noqa: BLE001
                problems.append(f"search index: {error}")
        chain = verify_audit_chain(store)
        if chain:
            problems.append(f"audit: {chain}")
    finally:
        store.dispose()
    return problems


def _check_rows(conn: Any, reported: Reported, portal: PortalView | None, store: Any) -> list[str]:
    problems: list[str] = []
    dossiers = {r.id: r for r in _rows(conn, "SELECT id, code, status, procedure_id, fee_total, amount_paid "
                                             "FROM dossier")}
    by_code = {d.code: d for d in dossiers.values()}
    events: dict[str, list[Any]] = {}
    event_ids: set[str] = set()
    # `from_portal`: a processing body's step pulled from the portal; it has no outbox row of its own.
    for e in _rows(conn, "SELECT e.id, e.dossier_id, e.seq, e.type, e.status_after, u.username = 'cong-tinh' "
                         "AS from_portal FROM dossier_event e LEFT JOIN user_account u ON u.id = e.officer_id "
                         "ORDER BY e.dossier_id, e.seq"):
        events.setdefault(e.dossier_id, []).append(e)
        event_ids.add(e.id)
    docs = Counter(r.dossier_id for r in _rows(conn, "SELECT dossier_id FROM dossier_document"))
    checklist = Counter(r.procedure_id for r in _rows(conn, "SELECT procedure_id FROM procedure_document"))
    payments = {r.id: r for r in _rows(conn, "SELECT id, dossier_id, kind, amount FROM payment")}

    # Every success the killed process printed is on disk, with all the events it had at that moment.
    for code, dossier_id in reported.dossiers.items():
        d = by_code.get(code)
        if d is None or d.id != dossier_id:
            problems.append(f"reported dossier {code} lost")
    for event_id, (code, seq) in reported.events.items():
        d = by_code.get(code)
        if event_id not in event_ids or d is None or len(events.get(d.id, [])) < seq:
            problems.append(f"reported step {seq} of {code} lost")
    for payment_id, (code, amount) in reported.payments.items():
        p = payments.get(payment_id)
        if p is None or p.amount != amount or by_code.get(code) is None or by_code[code].id != p.dossier_id:
            problems.append(f"reported payment {payment_id} of {code} lost")

    # No half-written dossier: first event, contiguous history, cached status, checklist, money.
    paid: Counter[str] = Counter()
    for p in payments.values():
        paid[p.dossier_id] += p.amount if p.kind == "payment" else -p.amount if p.kind == "refund" else 0
    for d in dossiers.values():
        history = events.get(d.id, [])
        if not history or history[0].type != "received" or history[0].seq != 1:
            problems.append(f"dossier {d.code} without its first event")
            continue
        if [e.seq for e in history] != list(range(1, len(history) + 1)):
            problems.append(f"dossier {d.code}: event numbers {[e.seq for e in history]} not contiguous")
        if history[-1].status_after != d.status:
            problems.append(f"dossier {d.code}: status {d.status} but last event says {history[-1].status_after}")
        if docs[d.id] != checklist[d.procedure_id]:
            problems.append(f"dossier {d.code}: {docs[d.id]} documents, checklist has {checklist[d.procedure_id]}")
        if paid[d.id] != d.amount_paid:
            problems.append(f"dossier {d.code}: amount_paid {d.amount_paid} but payments sum to {paid[d.id]}")
    orphans = _rows(conn, "SELECT count(*) AS n FROM dossier_document WHERE dossier_id NOT IN (SELECT id FROM dossier)")
    if orphans[0].n:
        problems.append(f"{orphans[0].n} documents without dossier")
    if set(events) - set(dossiers):
        problems.append(f"events without dossier: {sorted(set(events) - set(dossiers))[:3]}")

    # Dossier numbers: the sequence must be ahead of every code issued, or the next intake would collide.
    seq_last = {r.scope: r.last for r in _rows(conn, "SELECT scope, last FROM sequence WHERE name = 'dossier_code'")}
    for d in dossiers.values():
        agency, day, number = d.code.rsplit("-", 2)
        scope = f"{agency}|20{day}|{int(number) // 1000}"
        if seq_last.get(scope, 0) < int(number) % 1000:
            problems.append(f"sequence {scope} at {seq_last.get(scope)} behind issued code {d.code}")

    problems += _check_outbox(conn, dossiers, events, payments, portal, store)
    problems += _check_audit_rows(conn, dossiers, events, payments)
    return problems


def _change_keys(dossiers: dict[str, Any], events: dict[str, list[Any]], payments: dict[str, Any]
                 ) -> Counter[tuple[str, str, str]]:
    """One key per recorded change: each event of each dossier, each payment."""
    keys: Counter[tuple[str, str, str]] = Counter()
    for dossier_id, history in events.items():
        for e in history:
            if not e.from_portal:
                keys[(f"dossier.{e.type}", dossier_id, e.id)] += 1
    for p in payments.values():
        keys[(f"fee.{p.kind}", p.id, "")] += 1
    return keys


def _outbox_key(row: Any) -> tuple[str, str, str]:
    payload = json.loads(row.payload) if isinstance(row.payload, str) else row.payload
    if row.kind.startswith("dossier."):
        event = payload.get("event") or (payload.get("events") or [{}])[0]
        return (row.kind, row.entity_id, str(event.get("id", "")))
    return (row.kind, row.entity_id, "")


def _check_outbox(conn: Any, dossiers: dict[str, Any], events: dict[str, list[Any]], payments: dict[str, Any],
                  portal: PortalView | None, store: Any) -> list[str]:
    problems: list[str] = []
    rows = _rows(conn, "SELECT id, kind, entity_id, payload, state FROM outbox")
    expected = _change_keys(dossiers, events, payments)
    found = Counter(_outbox_key(r) for r in rows if r.kind.startswith(("dossier.", "fee.")))
    if found != expected:
        missing = expected - found
        extra = found - expected
        problems.append(f"outbox: {sum(missing.values())} changes without a row {list(missing)[:3]}, "
                        f"{sum(extra.values())} rows without a change {list(extra)[:3]}")
    # Hook for sync (issue #5): what the portal holds is delivered, everything else still waits.
    acknowledged = portal(store) if portal is not None else set()
    for r in rows:
        delivered = _outbox_key(r) in acknowledged
        if (r.state == "delivered") != delivered:
            problems.append(f"outbox row {r.id} ({r.kind}) is {r.state} but the portal "
                            f"{'has' if delivered else 'does not have'} it")
    return problems


def _check_audit_rows(conn: Any, dossiers: dict[str, Any], events: dict[str, list[Any]],
                      payments: dict[str, Any]) -> list[str]:
    actions = Counter(r.action for r in _rows(conn, "SELECT action FROM audit_entry"))
    expected: Counter[str] = Counter()
    for history in events.values():
        for e in history:
            expected["dossier.receive" if e.type == "received" else f"dossier.{e.type}"] += 1
    for p in payments.values():
        expected[f"fee.{p.kind}"] += 1
    wrong = {a: (actions[a], n) for a, n in expected.items() if actions[a] != n}
    wrong |= {a: (n, 0) for a, n in actions.items() if a.startswith(("dossier.", "fee.")) and a not in expected}
    return [f"audit rows (found, expected) per action differ: {wrong}"] if wrong else []

"""The end check of the network-fault suite: the portal and both counters in exact agreement."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.reliability.netfaults import Desk, PortalLog

CATALOG_PROCEDURE = "1.001193"  # the procedure the portal renames during the run


def check(portal: Any, desks: list[Desk], log: PortalLog) -> tuple[list[str], int, int, int]:
    """Exact agreement between the portal and both counters: (problems, items, lost, duplicated)."""
    from sqlalchemy import select as sa_select
    from sqlmodel import func, select

    from models.tables import (
        AuditEntry,
        CalendarOverride,
        Dossier,
        DossierEvent,
        OutboxItem,
        Procedure,
        User,
    )
    from sync import state
    from sync.portal import store as t
    from sync.protocol import item_client_id
    from tests.reliability.checker import Reported, _outbox_key, check_store

    problems: list[str] = []
    stored = Counter(portal.stored_ids("item"))
    outboxes: list[Counter[str]] = []
    for desk in desks:
        with desk.store.read() as session:
            rows = session.exec(select(OutboxItem)).all()
            outboxes.append(Counter(item_client_id(r.kind, r.entity_id, r.payload) for r in rows))
            not_delivered = [r.id for r in rows if r.state != state.DELIVERED]
        if not_delivered:
            problems.append(f"counter {desk.number}: {len(not_delivered)} outbox rows not delivered")
        quarantined = sum(r.quarantined for r in desk.results)
        if quarantined:
            problems.append(f"counter {desk.number}: {quarantined} items quarantined")
    union = outboxes[0] + outboxes[1]
    lost = len(set(union) - set(stored))
    duplicated = sum(n - 1 for n in stored.values() if n > 1) + sum(n - 1 for n in union.values() if n > 1)
    extra = set(stored) - set(union)
    if lost or duplicated or extra:
        problems.append(f"items: {lost} lost, {duplicated} duplicated, {len(extra)} on the portal from nowhere")

    with portal.engine.connect() as conn:
        portal_status = dict(conn.execute(sa_select(t.dossier.c.code, t.dossier.c.status)).all())
        last_change = conn.execute(sa_select(func.max(t.change.c.id))).scalar_one() or 0
    for desk in desks:
        with desk.store.read() as session:
            local = dict(session.exec(select(Dossier.code, Dossier.status)).all())
            event_ids = set(session.exec(select(DossierEvent.id)).all())
            portal_events = len(session.exec(select(DossierEvent.id).join(User, User.id == DossierEvent.officer_id)
                                             .where(User.username == "cong-tinh")).all())
            cursor = int(state.get(session, state.CURSOR, 0))
            overrides = {o.day: o.name for o in session.exec(select(CalendarOverride)).all()}
            holiday_audits = session.exec(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.actor == "cong-tinh", AuditEntry.action == "calendar.override")).one()
            procedure = session.exec(select(Procedure).where(Procedure.code == CATALOG_PROCEDURE)).first()
        wrong = {c: (s, portal_status.get(c)) for c, s in local.items() if portal_status.get(c) != s}
        if wrong:
            problems.append(f"counter {desk.number}: {len(wrong)} dossiers differ from the portal "
                            f"(local, portal): {list(wrong.items())[:3]}")
        mine = {e for e, (n, _, _) in log.statuses.items() if n == desk.number}
        theirs = set(log.statuses) - mine
        if mine - event_ids or theirs & event_ids or portal_events != len(mine):
            problems.append(f"counter {desk.number}: portal steps missing {len(mine - event_ids)}, foreign "
                            f"{len(theirs & event_ids)}, {portal_events} applied for {len(mine)} posted")
        if cursor != last_change:
            problems.append(f"counter {desk.number}: pull cursor {cursor}, portal's last change {last_change}")
        if any(overrides.get(day) != name for day, name in log.holidays.items()):
            problems.append(f"counter {desk.number}: holidays differ from what the portal published")
        if holiday_audits != log.holiday_posts:
            problems.append(f"counter {desk.number}: {holiday_audits} holiday changes applied for "
                            f"{log.holiday_posts} published")
        if log.catalog_name and (procedure is None or procedure.name != log.catalog_name):
            problems.append(f"counter {desk.number}: catalog name {procedure and procedure.name!r}")
        held = set(stored)

        def portal_view(store: Any, held: set[str] = held) -> set[tuple[str, str, str]]:
            with store.read() as session:
                return {_outbox_key(r) for r in session.exec(select(OutboxItem)).all()
                        if item_client_id(r.kind, r.entity_id, r.payload) in held}

        problems += [f"counter {desk.number}: {p}"
                     for p in check_store(desk.store.data_dir, Reported(), portal=portal_view)]
    return problems, sum(union.values()), lost, duplicated

"""Applying what the portal publishes: catalog, calendar, users, status set by processing bodies.

Called inside the write transaction that also advances the pull cursor, so a
page of changes is applied entirely or not at all, and a page pulled twice
(after an interruption) is applied to the same end state: catalog and
calendar changes overwrite by key, users by username, status changes by the
portal's event UUID.
"""

import logging
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app import audit, clock
from app.calendar_store import add_override
from app.catalog import CatalogError, apply_catalog, parse_catalog
from app.errors import CounterError
from app.permissions import SYSTEM, Actor
from models.enums import DayKind, DossierStatus, EventType, Role
from models.tables import Dossier, DossierEvent, User
from sync.protocol import PORTAL_STATUS_FROM, Change, HolidayChange, StatusChange, UserChange

log = logging.getLogger("motcua.sync.apply")

PORTAL_ACTOR = Actor(user_id=0, username="cong-tinh", full_name="Cổng dịch vụ công tỉnh", role=SYSTEM.role)
# The account that portal-made dossier steps are attributed to; it can never sign in.
PORTAL_USERNAME = "cong-tinh"
STATUS_STEP: dict[int, EventType] = {
    5: EventType.SUPPLEMENT_REQUESTED, 6: EventType.PAYMENT_REQUESTED, 8: EventType.STOPPED,
    9: EventType.RESULT_READY,
}


@dataclass
class ApplyReport:
    applied: int = 0
    skipped: list[str] = field(default_factory=list)


def apply_changes(session: Session, changes: list[Change]) -> ApplyReport:
    report = ApplyReport()
    procedures = [c.payload.get("procedure") for c in changes if c.kind == "catalog"]
    if procedures:
        try:
            specs = parse_catalog({"procedures": procedures})
        except CatalogError as error:
            # A bad page must not stop the counter forever: record it and let the rest through.
            report.skipped.append(f"danh mục: {error}")
        else:
            apply_catalog(session, PORTAL_ACTOR, specs, source=f"cổng tỉnh #{changes[-1].id}")
            report.applied += len(specs)
    for change in changes:
        try:
            # Validated before anything is written: a malformed change is skipped whole, never half-applied,
            # and cannot hold the cursor back forever.
            if change.kind == "holiday":
                holiday = HolidayChange.model_validate(change.payload)
                add_override(session, PORTAL_ACTOR, holiday.day, DayKind(holiday.kind), holiday.name)
                report.applied += 1
            elif change.kind == "user":
                _apply_user(session, UserChange.model_validate(change.payload))
                report.applied += 1
            elif change.kind == "status":
                applied, skipped = _apply_status(session, StatusChange.model_validate(change.payload))
                if skipped:
                    report.skipped.append(skipped)
                report.applied += applied
        except (ValidationError, CounterError) as error:
            log.warning("skipped portal change %s (%s): %s", change.id, change.kind, error)
            report.skipped.append(f"thay đổi #{change.id} ({change.kind}) không hợp lệ: {error}")
    return report


def _apply_user(session: Session, change: UserChange) -> None:
    user = session.exec(select(User).where(User.username == change.username)).first()
    if user is None:
        if not change.password_hash:
            # Without a hash the account could not sign in anyway; create it disabled.
            change = change.model_copy(update={"active": False})
        user = User(username=change.username, full_name=change.full_name, role=change.role,
                    password_hash=change.password_hash or "!", active=change.active,
                    created_at=clock.now(), must_change_password=False)
    else:
        user.full_name, user.role, user.active = change.full_name, change.role, change.active
        if change.password_hash:
            user.password_hash = change.password_hash
    session.add(user)
    audit.record(session, PORTAL_ACTOR.username, "user.sync", "user", change.username,
                 {"role": change.role, "active": change.active})


def _portal_user_id(session: Session) -> int:
    user = session.exec(select(User).where(User.username == PORTAL_USERNAME)).first()
    if user is None:
        user = User(username=PORTAL_USERNAME, full_name=PORTAL_ACTOR.full_name, password_hash="!",
                    role=Role.OFFICER.value, active=False, created_at=clock.now())
        session.add(user)
        session.flush()
    assert user.id is not None
    return user.id


def _apply_status(session: Session, change: StatusChange) -> tuple[int, str]:
    """Append the processing body's step to the local dossier: (1 if applied, why it was skipped)."""
    if session.get(DossierEvent, change.event_id) is not None:
        return 0, ""  # applied by an earlier pull of the same page
    dossier = session.get(Dossier, change.dossier_id)
    if dossier is None:
        return 0, ""  # another counter's dossier: that counter applies it
    event_type = STATUS_STEP[change.status]
    if dossier.status not in PORTAL_STATUS_FROM[change.status]:
        return 0, (f"{change.code}: trạng thái '{DossierStatus(change.status).label}' từ cổng không áp dụng được "
                   f"khi hồ sơ đang '{DossierStatus(dossier.status).label}'")
    last = session.exec(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                        .order_by(col(DossierEvent.seq).desc()).limit(1)).one()
    note = change.note or f"Theo thông báo của {change.body or 'cơ quan giải quyết'}"
    details: dict[str, object] = {"source": "portal", "body": change.body}
    if change.status == 5:
        details.update(documents=[note], reason=note, resume_status=dossier.status)
        dossier.paused_at = change.at
    elif change.status == 6:
        details.update(reason=note)
    elif change.status == 8:
        details.update(reason=note, legal_basis="")
    else:
        details.update(note=change.note)
        dossier.finished_at = change.at
    dossier.status = change.status
    session.add(dossier)
    session.add(DossierEvent(
        id=change.event_id, dossier_id=dossier.id, seq=last.seq + 1, type=event_type.value,
        at=max(change.at, last.at), recorded_at=clock.now(), officer_id=_portal_user_id(session),
        counter_number=dossier.counter_number, status_after=change.status, details=details))
    session.flush()
    audit.record(session, PORTAL_ACTOR.username, f"dossier.{event_type.value}", "dossier", dossier.code,
                 {"status": change.status, "source": "portal"})
    return 1, ""

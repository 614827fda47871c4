"""What the reference portal does, independent of HTTP: enrollment, push, pull and the admin's actions."""

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, or_, select

from app.catalog import parse_catalog, spec_to_json
from sync.portal import store as t
from sync.portal.ingest import Source, ingest, lock_dossier_writes
from sync.portal.store import as_utc, utcnow
from sync.protocol import (PORTAL_STATUS_FROM, PORTAL_STATUSES, PROTOCOL_VERSION, AuditHead, Change, DeviceInfo,
                           EnrollRequest, EnrollResponse, HolidayChange, PullResponse, PushRequest, PushResponse,
                           StatusChange, UserChange)

log = logging.getLogger("motcua.portal")

CODE_VALID_DAYS = 7
# Status each processing-body status is recorded with as an event type on both ends.
STATUS_EVENT_TYPE = {5: "supplement_requested", 6: "payment_requested", 8: "stopped", 9: "result_ready"}


class PortalError(Exception):
    """A refusal of a whole request; the HTTP layer turns it into status + ErrorBody."""

    def __init__(self, status_code: int, error: str, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.error = error
        self.message = message


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Device:
    device_id: str
    agency_code: str
    counter_number: int


class Portal:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- admin ---------------------------------------------------------------

    def issue_code(self, agency_code: str, counter_number: int | None = None, valid_days: int = CODE_VALID_DAYS
                   ) -> str:
        # 10 characters of an unambiguous alphabet: typed by hand at the counter from a phone call.
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(t.enrollment_code.insert().values(
                code_hash=secret_hash(code), agency_code=agency_code.upper(), counter_number=counter_number,
                created_at=now, expires_at=now + timedelta(days=valid_days)))
        return code

    def devices(self) -> list[DeviceInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.device).order_by(t.device.c.agency_code, t.device.c.counter_number)).all()
        return [DeviceInfo(device_id=r.device_id, agency_code=r.agency_code, counter_number=r.counter_number,
                           enrolled_at=as_utc(r.enrolled_at), revoked_at=as_utc(r.revoked_at),
                           last_seen_at=as_utc(r.last_seen_at), audit_mono=r.audit_mono, audit_hash=r.audit_hash)
                for r in rows]

    def revoke(self, device_id: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(t.device.update().where(t.device.c.device_id == device_id,
                                                        t.device.c.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
        return done.rowcount == 1

    def _add_change(self, conn: Connection, kind: str, payload: dict[str, Any], agency_code: str | None) -> int:
        result = conn.execute(t.change.insert().values(kind=kind, agency_code=agency_code, payload=payload,
                                                       created_at=utcnow()))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def publish_catalog(self, document: Any) -> int:
        """Validate a catalog document (the counter's import format) and publish one change per procedure."""
        specs = parse_catalog(document)
        with self.engine.begin() as conn:
            for spec in specs:
                self._add_change(conn, "catalog", {"procedure": spec_to_json(spec)}, None)
        return len(specs)

    def publish_holiday(self, day: date, kind: str, name: str) -> int:
        change = HolidayChange(day=day, kind=kind, name=name)  # type: ignore[arg-type]
        with self.engine.begin() as conn:
            return self._add_change(conn, "holiday", change.model_dump(mode="json"), None)

    def publish_user(self, agency_code: str, user: UserChange) -> int:
        agency_code = agency_code.upper()
        with self.engine.begin() as conn:
            key = {"agency_code": agency_code, "username": user.username}
            values = {"full_name": user.full_name, "role": user.role, "active": user.active}
            if conn.execute(select(t.portal_user).filter_by(**key)).first() is None:
                conn.execute(t.portal_user.insert().values(**key, **values))
            else:
                conn.execute(t.portal_user.update().filter_by(**key).values(**values))
            return self._add_change(conn, "user", user.model_dump(mode="json"), agency_code)

    def post_status(self, code: str, status: int, body: str = "", note: str = "",
                    at: datetime | None = None) -> StatusChange:
        """Record a status set by a processing body; counters of the dossier's agency pull it."""
        if status not in PORTAL_STATUSES:
            allowed = ", ".join(str(s) for s in PORTAL_STATUSES)
            raise PortalError(400, "bad_status", f"Cơ quan giải quyết chỉ cập nhật được trạng thái {allowed}.")
        at = as_utc(at) or utcnow()
        with self.engine.begin() as conn:
            # A push moving the same dossier reads its status first: the two must not interleave.
            lock_dossier_writes(conn)
            row = conn.execute(select(t.dossier).where(t.dossier.c.code == code)).first()
            if row is None:
                raise PortalError(404, "unknown_dossier", f"Cổng chưa có hồ sơ {code}.")
            if row.status not in PORTAL_STATUS_FROM[status]:
                raise PortalError(409, "bad_transition",
                                  f"Hồ sơ {code} đang ở trạng thái {row.status}; không chuyển sang {status} được.")
            change = StatusChange(event_id=str(uuid.uuid4()), dossier_id=row.id, code=code, status=status, at=at,
                                  body=body, note=note)
            conn.execute(t.dossier_event.insert().values(
                id=change.event_id, dossier_id=row.id, type=STATUS_EVENT_TYPE[status], status_after=status, at=at,
                source="portal", payload=change.model_dump(mode="json")))
            conn.execute(t.dossier.update().where(t.dossier.c.id == row.id).values(status=status, status_at=at))
            self._add_change(conn, "status", change.model_dump(mode="json"), row.agency_code)
        return change

    # --- enrollment and tokens -----------------------------------------------------

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        now = utcnow()
        agency = request.agency_code.upper()
        with self.engine.begin() as conn:
            code = conn.execute(select(t.enrollment_code)
                                .where(t.enrollment_code.c.code_hash == secret_hash(request.code.strip().upper()))
                                ).first()
            if code is None or code.used_at is not None or as_utc(code.expires_at) < now:  # type: ignore[operator]
                raise PortalError(403, "bad_code", "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn.")
            if code.agency_code != agency:
                raise PortalError(403, "bad_code", f"Mã đăng ký này không dành cho cơ quan {agency}.")
            if code.counter_number is not None and code.counter_number != request.counter_number:
                raise PortalError(403, "bad_code",
                                  f"Mã đăng ký này dành cho quầy số {code.counter_number}, không phải quầy "
                                  f"số {request.counter_number}.")
            holder = conn.execute(select(t.device).where(
                t.device.c.agency_code == agency, t.device.c.counter_number == request.counter_number,
                t.device.c.revoked_at.is_(None), t.device.c.device_id != request.device_id)).first()
            if holder is not None:
                raise PortalError(409, "counter_taken",
                                  f"Quầy số {request.counter_number} của {agency} đang được máy {holder.device_id} "
                                  "dùng; hãy thu hồi máy đó trước (portal admin revoke).")
            token = secrets.token_urlsafe(32)
            values = {"agency_code": agency, "counter_number": request.counter_number,
                      "public_key": request.public_key, "token_hash": secret_hash(token), "enrolled_at": now,
                      "revoked_at": None, "last_seen_at": now}
            existing = conn.execute(select(t.device).where(t.device.c.device_id == request.device_id)).first()
            if existing is None:
                conn.execute(t.device.insert().values(device_id=request.device_id, **values))
            elif existing.revoked_at is None and existing.agency_code == agency:
                # A lost token on the same machine: the new code proves the admin's consent.
                conn.execute(t.device.update().where(t.device.c.device_id == request.device_id).values(**values))
            elif existing.revoked_at is not None:
                conn.execute(t.device.update().where(t.device.c.device_id == request.device_id).values(**values))
            else:
                raise PortalError(409, "device_taken", "Máy này đã đăng ký cho cơ quan khác.")
            conn.execute(t.enrollment_code.update().where(t.enrollment_code.c.code_hash == code.code_hash)
                         .values(used_at=now, device_id=request.device_id))
        return EnrollResponse(protocol=PROTOCOL_VERSION, device_token=token, device_id=request.device_id,
                              agency_code=agency, counter_number=request.counter_number, server_time=now)

    def authenticate(self, token: str | None) -> Device:
        if not token:
            raise PortalError(401, "no_token", "Thiếu mã xác thực thiết bị; hãy đăng ký quầy với cổng.")
        with self.engine.connect() as conn:
            row = conn.execute(select(t.device).where(t.device.c.token_hash == secret_hash(token))).first()
        if row is None:
            raise PortalError(401, "invalid_token", "Mã xác thực thiết bị không hợp lệ; hãy đăng ký lại quầy.")
        if row.revoked_at is not None:
            raise PortalError(401, "device_revoked",
                              "Máy này đã bị thu hồi quyền đồng bộ trên cổng; liên hệ quản trị cổng để đăng ký lại.")
        return Device(row.device_id, row.agency_code, row.counter_number)

    # --- push -------------------------------------------------------------------------

    def push(self, dev: Device, request: PushRequest) -> PushResponse:
        now = utcnow()
        with self.engine.begin() as conn:
            lock_dossier_writes(conn)
            results = ingest(conn, Source(dev.device_id, dev.agency_code), request.items, now)
            self._seen(conn, dev, request.audit, now)
        return PushResponse(protocol=PROTOCOL_VERSION, batch_id=request.batch_id, results=results, server_time=now)

    def _seen(self, conn: Connection, dev: Device, audit: AuditHead | None, now: datetime) -> None:
        values: dict[str, Any] = {"last_seen_at": now}
        if audit is not None:
            current = conn.execute(select(t.device.c.audit_mono, t.device.c.audit_hash)
                                   .where(t.device.c.device_id == dev.device_id)).one()
            if current.audit_mono is not None and audit.mono < current.audit_mono:
                # A counter whose chain went backwards was restored from an old copy or tampered with.
                log.warning("device %s reported audit head %s below the stored %s", dev.device_id, audit.mono,
                            current.audit_mono)
            else:
                values.update(audit_mono=audit.mono, audit_hash=audit.hash)
        conn.execute(t.device.update().where(t.device.c.device_id == dev.device_id).values(**values))

    # --- pull --------------------------------------------------------------------------

    def pull(self, dev: Device, after: int, limit: int) -> PullResponse:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.change).where(
                t.change.c.id > after,
                or_(t.change.c.agency_code.is_(None), t.change.c.agency_code == dev.agency_code))
                .order_by(t.change.c.id).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        changes = [Change(id=r.id, kind=r.kind, payload=r.payload, created_at=as_utc(r.created_at))
                   for r in rows]
        return PullResponse(protocol=PROTOCOL_VERSION, changes=changes,
                            next_cursor=rows[-1].id if rows else after, more=more, server_time=utcnow())

    # --- inspection (admin commands, tests, reports) ----------------------------------------

    def stored_ids(self, table: str) -> list[str]:
        column = {"item": t.item.c.client_id, "dossier": t.dossier.c.id, "event": t.dossier_event.c.id}[table]
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(column))]

    def dossier_codes(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(t.dossier.c.code).order_by(t.dossier.c.code))]

    def dossier(self, code: str) -> Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.dossier).where(t.dossier.c.code == code)).first()

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("items", t.item), ("dossiers", t.dossier), ("events", t.dossier_event),
                                        ("changes", t.change),
                                        ("devices", t.device.select().where(
                                            and_(t.device.c.revoked_at.is_(None))).subquery()))}

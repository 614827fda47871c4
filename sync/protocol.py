"""Wire protocol v1 between a counter and the provincial portal (docs/sync-protocol.md).

Client and reference server share these pydantic models, so a field cannot
drift between the two ends; the OpenAPI file (docs/sync-openapi.json) is
generated from the server that uses them. Only a response that validates
against these models counts as an acknowledgement: a captive portal's HTML,
a truncated or malformed body is a failed attempt, never a delivery.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Motcua-Protocol"
SUPPORTED_VERSIONS = (1,)
# A push larger than this is refused with 413: it bounds the portal's memory per request.
MAX_PUSH_ITEMS = 1000
MAX_PULL_CHANGES = 1000

ItemStatus = Literal["accepted", "duplicate", "rejected"]
ChangeKind = Literal["catalog", "holiday", "user", "status"]
# Kinds a counter pushes today (app.outbox callers); the portal rejects any other kind item by item.
PUSH_KINDS = ("dossier.", "fee.")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Model):
    """Every refusal of a whole request (4xx/5xx) carries this body."""

    error: str
    message: str
    supported: list[int] | None = None


class TimeResponse(_Model):
    protocol: Literal[1]
    server_time: datetime


class EnrollRequest(_Model):
    code: str = Field(min_length=4, max_length=64, description="one-time code issued by the portal admin")
    agency_code: str = Field(min_length=1, max_length=13)
    counter_number: int = Field(ge=1, le=10)
    device_id: str = Field(min_length=1, max_length=64)
    public_key: str = Field(default="", max_length=128, description="Ed25519 public key, raw 32 bytes base64")


class EnrollResponse(_Model):
    protocol: Literal[1]
    device_token: str
    device_id: str
    agency_code: str
    counter_number: int
    server_time: datetime


class PushItem(_Model):
    id: str = Field(min_length=1, max_length=64, description="client UUID of the dossier, event or payment")
    kind: str = Field(description="dossier.received, dossier.<event type>, fee.<kind>")
    entity_id: str = Field(description="the dossier (or payment) UUID the item belongs to")
    payload: dict[str, Any]
    created_at: datetime


class AuditHead(_Model):
    """The newest row of the counter's hash-chained audit trail when the batch was sent."""

    mono: int = Field(ge=0)
    hash: str = Field(min_length=64, max_length=64)


class PushRequest(_Model):
    batch_id: str = Field(min_length=1, max_length=64)
    items: list[PushItem] = Field(max_length=MAX_PUSH_ITEMS)
    audit: AuditHead | None = None


class ItemResult(_Model):
    id: str
    status: ItemStatus
    reason: str = ""


class PushResponse(_Model):
    protocol: Literal[1]
    batch_id: str
    results: list[ItemResult]
    server_time: datetime


class Change(_Model):
    id: int = Field(ge=1, description="server cursor position of this change")
    kind: ChangeKind
    payload: dict[str, Any]
    created_at: datetime


class PullResponse(_Model):
    protocol: Literal[1]
    changes: list[Change]
    next_cursor: int = Field(ge=0)
    more: bool
    server_time: datetime


class DeviceInfo(_Model):
    device_id: str
    agency_code: str
    counter_number: int
    enrolled_at: datetime
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None
    audit_mono: int | None = None
    audit_hash: str | None = None


# --- change payloads (Change.payload by kind) --------------------------------


class HolidayChange(_Model):
    day: date
    kind: Literal["holiday", "workday"]
    name: str = Field(min_length=1)


class UserChange(_Model):
    username: str
    full_name: str
    role: Literal["officer", "supervisor", "admin"]
    active: bool = True
    # argon2id hash made on the portal; the clear password never travels.
    password_hash: str = ""


class StatusChange(_Model):
    """A status set by the processing body (cơ quan giải quyết) on the portal."""

    event_id: str
    dossier_id: str
    code: str
    status: int = Field(ge=1, le=10)
    at: datetime
    body: str = ""
    note: str = ""


# Statuses a processing body may post (the counter records the others itself), and the statuses each may
# follow; the portal refuses others when posted, the counter skips them (with a note) when pulled.
PORTAL_STATUS_FROM: dict[int, frozenset[int]] = {
    5: frozenset({2, 4}),
    6: frozenset({4}),
    8: frozenset({4, 5, 6}),
    9: frozenset({2, 4, 6}),
}
PORTAL_STATUSES = tuple(PORTAL_STATUS_FROM)


def item_client_id(kind: str, entity_id: str, payload: dict[str, Any]) -> str:
    """The UUID that makes an outbox item idempotent on the portal.

    A dossier's intake is the dossier's UUID; a later step is its event's UUID
    (the outbox row's entity is the dossier); a payment is the payment's UUID.
    """
    if kind.startswith("dossier.") and kind != "dossier.received":
        event = payload.get("event")
        if isinstance(event, dict) and isinstance(event.get("id"), str):
            return event["id"]
    return entity_id

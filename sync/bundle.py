"""Offline bundles, counter side: everything not yet acknowledged, on a USB stick, and the portal's answer back.

A commune with no link for weeks still delivers: `export_bundle` writes the
waiting outbox (the very push items the engine would send) into one file
signed with the counter's Ed25519 device key; the portal imports it
(sync.portal.bundle_import) and hands back an acknowledgement, which
`import_ack` applies exactly as the engine applies an HTTP answer: delivered
items leave the queue, rejected ones go to quarantine with the portal's
reason. Nothing leaves the queue on export, so a lost stick costs nothing.
"""

import hmac
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app import audit, clock
from app.cli.base import write_file_atomically
from app.db import Store
from app.device_key import Signer, signer_for
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.profile import load_profile
from app.serialize import iso
from models.tables import OutboxItem
from sync import bundle_format as fmt
from sync import state
from sync.engine import apply_results, build_push_item
from sync.protocol import AuditHead, ItemResult

BUNDLE_KIND = "bundle"
ACK_KIND = "bundle-ack"


def _signer(session: Session) -> Signer:
    """This counter's Ed25519 device key (app.device_key); a counter without a usable key cannot export."""
    signer, status = signer_for(session)
    if signer is None:
        raise CounterError(f"Không ký được gói dữ liệu: {status.message}")
    return signer


@dataclass(frozen=True)
class ExportReport:
    path: Path
    bundle_id: str
    items: int
    size: int


def export_bundle(store: Store, actor: Actor, out: Path) -> ExportReport:
    actor.require(Permission.PROCESS)
    with store.read() as session:
        profile = load_profile(session)
        rows = session.exec(select(OutboxItem).where(OutboxItem.state == state.WAITING)
                            .order_by(col(OutboxItem.id))).all()
        if not rows:
            raise CounterError("Không có mục nào chờ gửi lên cổng; không cần tạo gói dữ liệu.")
        head = state.audit_head(session)
        items = [build_push_item(r).model_dump(mode="json") for r in rows]
        body = fmt.body_bytes({"items": items,
                               "audit": AuditHead(mono=head[0], hash=head[1]).model_dump() if head else None})
        bundle_id = str(uuid.uuid4())
        manifest = {"format": BUNDLE_KIND, "version": fmt.FORMAT_VERSION, "bundle_id": bundle_id,
                    "agency_code": profile.agency_code, "counter_number": profile.counter_number,
                    "device_id": profile.device_id, "created_at": iso(clock.now()), "item_count": len(items),
                    "first_outbox_id": rows[0].id, "last_outbox_id": rows[-1].id,
                    "body_bytes": len(body), "body_sha256": fmt.sha256_hex(body)}
        signer = _signer(session)
        # Named in the signed part: the portal can say "signed with another key" instead of just "bad signature".
        manifest["public_key"] = signer.public_key
        signed = fmt.signed_part(fmt.BUNDLE_MAGIC, manifest)
        signature = signer.sign(signed)
    data = fmt.pack(signed, signature, body)
    write_file_atomically(out, data)
    with store.write() as session:
        audit.record(session, actor.username, "sync.bundle_export", "outbox", bundle_id,
                     {"items": len(items), "file": out.name, "bytes": len(data)})
    return ExportReport(out, bundle_id, len(items), len(data))


@dataclass(frozen=True)
class AckReport:
    bundle_id: str
    delivered: int
    quarantined: int
    unchanged: int  # already delivered or quarantined earlier (a second import of the same ack)
    results: int


def read_ack(data: bytes, store: Store) -> tuple[dict[str, Any], list[ItemResult]]:
    """Check an acknowledgement file against this counter; refuse anything not sealed for it."""
    ack = fmt.unpack(data, fmt.ACK_MAGIC)
    manifest = ack.manifest
    with store.read() as session:
        profile = load_profile(session)
    if manifest.get("format") != ACK_KIND:
        raise CounterError("Tệp xác nhận không đúng loại.")
    if manifest.get("device_id") != profile.device_id or manifest.get("agency_code") != profile.agency_code:
        raise CounterError(f"Tệp xác nhận này dành cho máy khác ({manifest.get('agency_code')}, máy "
                           f"{manifest.get('device_id')}), không phải máy này ({profile.agency_code}, máy "
                           f"{profile.device_id}). Không thay đổi gì.")
    token = state.load_token(store.data_dir)
    if token is None:
        raise CounterError("Quầy chưa đăng ký với cổng tỉnh nên không kiểm tra được tệp xác nhận.")
    if not hmac.compare_digest(fmt.mac(fmt.ack_key(token), ack.signed), ack.signature):
        raise CounterError("Tệp xác nhận không có dấu xác thực hợp lệ của cổng (đã bị sửa, hoặc quầy đã đăng ký "
                           "lại sau khi cổng nhập gói). Không thay đổi gì.")
    document = ack.json_body()
    try:
        results = [ItemResult.model_validate(r) for r in document["results"]]
    except (KeyError, TypeError, ValueError) as error:
        raise CounterError(f"Nội dung tệp xác nhận không đúng cấu trúc ({error}).") from None
    if len(results) != manifest.get("item_count"):
        raise CounterError("Số mục trong tệp xác nhận không khớp phần mô tả.")
    return manifest, results


def import_ack(store: Store, actor: Actor, path: Path) -> AckReport:
    actor.require(Permission.PROCESS)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CounterError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None
    manifest, results = read_ack(data, store)
    with store.write() as session:
        # Client ids live in the payload, not a column: offer every row still waiting; the answers pick theirs.
        rows = list(session.exec(select(OutboxItem).where(OutboxItem.state == state.WAITING)).all())
        applied = apply_results(session, rows, results)
        delivered, quarantined = applied.accepted + applied.duplicates, applied.quarantined
        now = clock.now()
        unchanged = len(results) - delivered - quarantined
        if delivered or quarantined:
            audit.record(session, actor.username, "sync.bundle_ack", "outbox", str(manifest.get("bundle_id")),
                         {"delivered": delivered, "quarantined": quarantined, "file": path.name})
            if not state.counts(session)[state.WAITING]:
                state.put(session, state.LAST_SUCCESS, iso(now))
    return AckReport(str(manifest.get("bundle_id")), delivered, quarantined, unchanged, len(results))


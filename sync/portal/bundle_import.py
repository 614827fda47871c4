"""Offline bundles, portal side: check a counter's signed bundle and ingest it as if it had been pushed.

Ingestion goes through `Portal.push`, the code behind POST /v1/push, in
batches of at most MAX_PUSH_ITEMS: the same checks, the same per-item
results, the same idempotency (client UUIDs), so importing a bundle twice, or
a bundle whose items already arrived over the network, stores nothing twice.
Every refusal happens before the first item is stored.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from app.errors import CounterError
from sync import bundle_format as fmt
from sync.bundle import ACK_KIND, BUNDLE_KIND
from sync.portal import store as t
from sync.portal.service import Device, Portal
from sync.portal.store import utcnow
from sync.protocol import MAX_PUSH_ITEMS, AuditHead, ItemResult, PushItem, PushRequest


@dataclass(frozen=True)
class ImportReport:
    bundle_id: str
    device_id: str
    results: list[ItemResult]
    ack_path: Path

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def _verify_ed25519(public_key_b64: str, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(signature, message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _device(portal: Portal, manifest: dict[str, Any]) -> tuple[Device, str, str]:
    """The enrolled device that made the bundle: its identity, public key and token hash (the ack's key)."""
    device_id = manifest.get("device_id")
    with portal.engine.connect() as conn:
        row = conn.execute(select(t.device).where(t.device.c.device_id == str(device_id))).first()
    if row is None:
        raise CounterError(f"Máy {device_id} chưa đăng ký với cổng này; không nhập gói của máy lạ.")
    if row.revoked_at is not None:
        raise CounterError(f"Máy {device_id} đã bị thu hồi quyền đồng bộ; không nhập gói của máy này.")
    if manifest.get("agency_code") != row.agency_code or manifest.get("counter_number") != row.counter_number:
        raise CounterError(f"Gói ghi là của {manifest.get('agency_code')} quầy số {manifest.get('counter_number')}, "
                           f"nhưng máy {device_id} đăng ký cho {row.agency_code} quầy số {row.counter_number}.")
    if not row.public_key:
        raise CounterError(f"Máy {device_id} đăng ký khi chưa có khóa thiết bị; cổng không kiểm tra được chữ ký. "
                           "Hãy đăng ký lại quầy (motcua sync enroll) rồi xuất gói mới.")
    return Device(row.device_id, row.agency_code, row.counter_number), row.public_key, row.token_hash


def read_bundle(portal: Portal, data: bytes) -> tuple[dict[str, Any], Device, str, list[PushItem], AuditHead | None]:
    bundle = fmt.unpack(data, fmt.BUNDLE_MAGIC)
    manifest = bundle.manifest
    if manifest.get("format") != BUNDLE_KIND:
        raise CounterError("Gói dữ liệu không đúng loại.")
    dev, public_key, token_hash = _device(portal, manifest)
    if manifest.get("public_key") not in (None, public_key):
        raise CounterError(f"Gói được ký bằng một khóa khác với khóa máy {dev.device_id} đã đăng ký với cổng "
                           "(quầy đã tạo khóa mới?). Hãy đăng ký lại quầy với cổng rồi xuất gói mới.")
    if not _verify_ed25519(public_key, bundle.signature, bundle.signed):
        raise CounterError(f"Chữ ký của gói không đúng với khóa của máy {dev.device_id}: gói đã bị sửa hoặc không "
                           "phải do máy này tạo. Không nhập gì.")
    document = bundle.json_body()
    try:
        items = [PushItem.model_validate(i) for i in document["items"]]
        audit = AuditHead.model_validate(document["audit"]) if document.get("audit") else None
    except (KeyError, TypeError, AttributeError, ValidationError) as error:
        raise CounterError(f"Nội dung gói không đúng cấu trúc ({error}).") from None
    if len(items) != manifest.get("item_count"):
        raise CounterError("Số mục trong gói không khớp phần mô tả.")
    return manifest, dev, token_hash, items, audit


def ack_bytes(manifest: dict[str, Any], results: list[ItemResult], token_hash: str, at: datetime) -> bytes:
    body = fmt.body_bytes({"results": [r.model_dump() for r in results]})
    ack_manifest = {
        "format": ACK_KIND, "version": fmt.FORMAT_VERSION, "bundle_id": manifest["bundle_id"],
        "bundle_sha256": manifest["body_sha256"], "agency_code": manifest["agency_code"],
        "counter_number": manifest["counter_number"], "device_id": manifest["device_id"],
        "created_at": at.isoformat(), "item_count": len(results),
        "accepted": sum(1 for r in results if r.status == "accepted"),
        "duplicate": sum(1 for r in results if r.status == "duplicate"),
        "rejected": sum(1 for r in results if r.status == "rejected"),
        "body_bytes": len(body), "body_sha256": fmt.sha256_hex(body)}
    signed = fmt.signed_part(fmt.ACK_MAGIC, ack_manifest)
    return fmt.pack(signed, fmt.mac(token_hash.encode("ascii"), signed), body)


def import_bundle(portal: Portal, path: Path, ack_path: Path) -> ImportReport:
    from app.cli.base import write_file_atomically

    try:
        data = path.read_bytes()
    except OSError as error:
        raise CounterError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None
    manifest, dev, token_hash, items, audit = read_bundle(portal, data)
    results: list[ItemResult] = []
    for start in range(0, len(items), MAX_PUSH_ITEMS):
        request = PushRequest(batch_id=f"{manifest['bundle_id']}:{start}", items=items[start:start + MAX_PUSH_ITEMS],
                              audit=audit)
        results.extend(portal.push(dev, request).results)
    write_file_atomically(ack_path, ack_bytes(manifest, results, token_hash, utcnow()))
    return ImportReport(str(manifest["bundle_id"]), dev.device_id, results, ack_path)

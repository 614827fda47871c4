"""Handing the counter's public key to whoever checks its slips (portal, inspectors)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from app import audit, clock
from app.db import Store
from app.device_key import KeyStatus, decode_public_key, fingerprint, key_id, key_status
from app.permissions import Actor
from app.profile import load_profile
from app.worktime import AGENCY_TZ

HEADER = "# Quầy Một cửa - khóa công khai Ed25519 để kiểm tra mã QR đã ký trên giấy tiếp nhận hồ sơ (mẫu 01)"


@dataclass(frozen=True)
class PublicKeyInfo:
    agency_code: str
    agency_name: str
    counter_number: int
    public_key: str  # base64 of the raw 32 bytes
    status: KeyStatus

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def public_key_info(store: Store) -> PublicKeyInfo:
    with store.read() as session:
        profile = load_profile(session)
        status, _ = key_status(store.data_dir, profile)
        return PublicKeyInfo(profile.agency_code, profile.agency_name, profile.counter_number,
                             profile.public_key, status)


def public_key_pem(public_key: str) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PublicKey.from_public_bytes(decode_public_key(public_key))
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def export_text(info: PublicKeyInfo) -> str:
    """Comment lines saying what the file is, then a standard PEM block (OpenSSL and
    most libraries read it as is; PEM readers skip the lines before it)."""
    stamp = clock.now().astimezone(AGENCY_TZ)
    raw = base64.b64encode(decode_public_key(info.public_key)).decode("ascii")
    return "\n".join([
        HEADER,
        f"# Cơ quan: {info.agency_name} (mã định danh {info.agency_code}), quầy số {info.counter_number}",
        f"# Mã khóa (in trong mã QR): {info.key_id}",
        f"# Dấu vân tay SHA-256: {info.fingerprint}",
        f"# Khóa dạng base64 (32 byte thô): {raw}",
        f"# Xuất lúc: {stamp:%H:%M ngày %d/%m/%Y}",
        "# Kiểm tra giấy hẹn: motcua verify-receipt GIAY-HEN.pdf --public-key <tệp này>",
        public_key_pem(info.public_key).rstrip("\n"),
        "",
    ])


def record_export(store: Store, actor: Actor, info: PublicKeyInfo, out: Path) -> None:
    """Every export is in the audit trail; call once the file is written."""
    with store.write() as session:
        audit.record(session, actor.username, "device_key.export", "counter_profile", info.agency_code,
                     {"key_id": info.key_id, "file": out.name})


__all__ = ["HEADER", "PublicKeyInfo", "export_text", "public_key_info", "record_export"]

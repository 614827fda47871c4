"""The offline bundle container, shared by the counter (export, read ack) and the portal (import, write ack).

A bundle (or its acknowledgement) is one file of four parts:

    MOTCUA-BUNDLE\\n            magic line (MOTCUA-ACK for an acknowledgement)
    {manifest JSON}\\n          one line: format version, who, when, item count, body length and SHA-256
    signature hex\\n            over magic + manifest line (Ed25519 for a bundle, HMAC-SHA256 for an ack)
    body                       gzip'd JSON

Every byte is covered: the magic and manifest by the signature, the signature
by its own check (hex is canonical; it is re-encoded and compared), the body
by the signed length and hash. So one changed byte, a cut-off copy or a byte
appended by a flaky USB stick is refused, never half-read.
"""

import gzip
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from app.errors import CounterError

BUNDLE_MAGIC = b"MOTCUA-BUNDLE\n"
ACK_MAGIC = b"MOTCUA-ACK\n"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
# A manifest is a few hundred bytes; a longer first line is not ours (and must not be read into memory whole).
MAX_MANIFEST_BYTES = 64 * 1024
# Decompressed body: 10,000 dossiers with their events are ≈ 30 MB of JSON.
MAX_BODY_BYTES = 512 * 1024 * 1024

_WHAT = {BUNDLE_MAGIC: "gói dữ liệu", ACK_MAGIC: "tệp xác nhận"}


@dataclass(frozen=True)
class Container:
    magic: bytes
    signed: bytes  # magic + manifest line: what the signature covers
    manifest: dict[str, Any]
    signature: bytes
    body: bytes  # still compressed

    def json_body(self) -> Any:
        what = _WHAT[self.magic]
        try:
            inflater = gzip.decompress(self.body)
            if len(inflater) > MAX_BODY_BYTES:
                raise CounterError(f"Nội dung {what} quá lớn.")
            return json.loads(inflater.decode("utf-8"))
        except (OSError, EOFError, ValueError) as error:
            raise CounterError(f"Nội dung {what} bị hỏng ({error}).") from None


def body_bytes(document: Any) -> bytes:
    """Compact UTF-8 JSON, gzip'd with no timestamp: the same items give the same bytes."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signed_part(magic: bytes, manifest: dict[str, Any]) -> bytes:
    line = json.dumps(manifest, ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode("ascii")
    return magic + line + b"\n"


def pack(signed: bytes, signature: bytes, body: bytes) -> bytes:
    return signed + signature.hex().encode("ascii") + b"\n" + body


def unpack(data: bytes, magic: bytes) -> Container:
    """Split and check the shape, the version and the body's length and hash; the caller checks the signature."""
    what = _WHAT[magic]
    if not data.startswith(magic):
        other = next((w for m, w in _WHAT.items() if m != magic and data.startswith(m)), None)
        if other:
            raise CounterError(f"Tệp này là {other}, không phải {what}.")
        raise CounterError(f"Tệp này không phải {what} của Quầy Một cửa (hoặc đã bị hỏng phần đầu).")
    end = data.find(b"\n", len(magic), len(magic) + MAX_MANIFEST_BYTES)
    if end < 0:
        raise CounterError(f"Phần mô tả của {what} bị hỏng hoặc bị cắt cụt.")
    signed = data[:end + 1]
    try:
        manifest = json.loads(data[len(magic):end].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise CounterError(f"Phần mô tả của {what} bị hỏng (đã bị sửa?).") from None
    if not isinstance(manifest, dict):
        raise CounterError(f"Phần mô tả của {what} bị hỏng (đã bị sửa?).")
    version = manifest.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise CounterError(f"{what.capitalize()} dùng phiên bản định dạng {version}; máy này chỉ đọc được phiên bản "
                           f"{', '.join(map(str, SUPPORTED_VERSIONS))}. Hãy cập nhật ứng dụng ở nơi đọc tệp.")
    sig_end = data.find(b"\n", end + 1, end + 1 + 1024)
    if sig_end < 0:
        raise CounterError(f"Chữ ký của {what} bị hỏng hoặc bị cắt cụt.")
    sig_text = data[end + 1:sig_end].decode("ascii", errors="replace")
    try:
        signature = bytes.fromhex(sig_text)
    except ValueError:
        raise CounterError(f"Chữ ký của {what} bị hỏng.") from None
    if signature.hex() != sig_text:
        raise CounterError(f"Chữ ký của {what} bị hỏng.")
    body = data[sig_end + 1:]
    expected = manifest.get("body_bytes")
    if not isinstance(expected, int) or len(body) != expected:
        raise CounterError(f"{what.capitalize()} không trọn vẹn: phần dữ liệu dài {len(body)} byte, đúng ra phải "
                           f"{expected} byte (tệp bị cắt cụt hoặc chép lỗi?).")
    if not hmac.compare_digest(sha256_hex(body), str(manifest.get("body_sha256", ""))):
        raise CounterError(f"Dữ liệu trong {what} không khớp mã kiểm tra SHA-256: tệp đã bị sửa hoặc hỏng.")
    return Container(magic, signed, manifest, signature, body)


def ack_key(device_token: str) -> bytes:
    """The ack's HMAC key: SHA-256 of the device token, known to both ends and to no one else.

    The portal keeps only this hash (never the token), so it can seal an ack
    the counter can check, while the counter's bundle is signed with its own
    Ed25519 key.
    """
    return hashlib.sha256(device_token.encode("utf-8")).hexdigest().encode("ascii")


def mac(key: bytes, signed: bytes) -> bytes:
    return hmac.new(key, signed, hashlib.sha256).digest()

"""The counter's Ed25519 device key: it signs the statement in each receipt's QR code.

The private half is an unencrypted PKCS#8 PEM file in ``<data dir>/keys/``,
readable by the app's user only: the counter runs unattended, so there is no
one to type a passphrase, and the file's permissions are what protects it.
The public half (raw 32 bytes, base64) sits in ``CounterProfile.public_key``,
so anyone given it (``motcua key export``) can check a slip offline.

A key is never replaced silently: a data directory restored without its
``keys/`` folder keeps its public key, slips are printed unsigned and
``motcua key show`` says why, until an administrator runs ``motcua key new``
(an audited replacement).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from app import audit
from app.db import Store, restrict_to_owner
from app.errors import CounterError
from app.files import write_atomically
from app.permissions import SYSTEM, Actor, Permission
from models.tables import CounterProfile

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


KEY_DIR = "keys"
KEY_FILE = "counter-ed25519.pem"
PUBLIC_KEY_BYTES = 32
KEY_ID_BYTES = 5  # 8 base32 characters: enough to tell a counter's keys apart, cheap in the QR


class KeyState(StrEnum):
    READY = "ready"
    NO_KEY = "no_key"  # the profile has no public key yet (counter from before signed receipts)
    MISSING = "missing"  # the profile names a key but its private file is gone
    MISMATCH = "mismatch"  # the private file belongs to another key
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class KeyStatus:
    state: KeyState
    public_key: str  # base64 of the raw 32 bytes, "" when none
    path: Path
    detail: str = ""

    @property
    def message(self) -> str:
        """What the officer is told, in Vietnamese."""
        return {
            KeyState.READY: "Khóa thiết bị sẵn sàng: giấy hẹn in ra có mã QR được ký.",
            KeyState.NO_KEY: "Quầy chưa có khóa thiết bị; khóa sẽ được tạo khi mở ứng dụng.",
            KeyState.MISSING: (
                f"Không tìm thấy tệp khóa bí mật {self.path}, trong khi hồ sơ quầy ghi khóa công khai "
                f"{key_id(self.public_key)} (thư mục dữ liệu được khôi phục thiếu thư mục '{KEY_DIR}'?). "
                "Giấy hẹn in ra sẽ KHÔNG có chữ ký. Hãy chép lại tệp khóa cũ vào chỗ đó, hoặc quản trị viên "
                "chạy 'motcua key new' để tạo khóa mới (giấy hẹn cũ vẫn kiểm tra được bằng khóa công khai cũ)."
            ),
            KeyState.MISMATCH: (
                f"Tệp khóa bí mật {self.path} không khớp với khóa công khai {key_id(self.public_key)} của quầy. "
                "Giấy hẹn in ra sẽ KHÔNG có chữ ký cho đến khi chép đúng tệp khóa vào chỗ đó hoặc quản trị viên "
                "chạy 'motcua key new'."
            ),
            KeyState.UNREADABLE: (
                f"Không đọc được tệp khóa bí mật {self.path} ({self.detail}). Giấy hẹn in ra sẽ KHÔNG có chữ ký."
            ),
        }[self.state]


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_DIR / KEY_FILE


def data_dir_of(session: Session) -> Path:
    """The data directory of the database *session* works on (the key lives beside it)."""
    database = session.get_bind().url.database
    if not database:
        raise CounterError("Cơ sở dữ liệu không nằm trong một thư mục dữ liệu; không tìm được khóa thiết bị.")
    return Path(database).parent


# ------------------------------------------------------------ public key text

def decode_public_key(text: str) -> bytes:
    """Raw 32 bytes from base64 (standard or URL-safe, padding optional)."""
    cleaned = "".join(text.split())
    try:
        raw = base64.urlsafe_b64decode(cleaned.replace("+", "-").replace("/", "_") + "=" * (-len(cleaned) % 4))
    except (ValueError, TypeError):
        raise CounterError("Khóa công khai không phải chuỗi base64 hợp lệ.") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise CounterError(f"Khóa công khai Ed25519 phải dài {PUBLIC_KEY_BYTES} byte, chuỗi đã cho là {len(raw)} byte.")
    return raw


def key_id(public_key: str | bytes) -> str:
    """Short name of a public key, printed in every signed statement: base32 of SHA-256[:5]."""
    raw = decode_public_key(public_key) if isinstance(public_key, str) else public_key
    digest = hashlib.sha256(raw).digest()[:KEY_ID_BYTES]
    return base64.b32encode(digest).decode("ascii")


def fingerprint(public_key: str | bytes) -> str:
    """SHA-256 of the raw key, first 16 bytes in hex groups, for reading aloud over the phone."""
    raw = decode_public_key(public_key) if isinstance(public_key, str) else public_key
    digest = hashlib.sha256(raw).hexdigest()[:32].upper()
    return ":".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def public_key_text(private: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


# ------------------------------------------------------------ the private key file

def _write_owner_only(path: Path, data: bytes) -> None:
    write_atomically(path, data, owner_only=True, what="tệp khóa")


def _new_private_key() -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def _write_private_key(path: Path, private: Ed25519PrivateKey) -> None:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    _write_owner_only(path, pem)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise CounterError(f"Không đọc được tệp khóa {path}: {error.strerror or error}.") from None
    except (ValueError, TypeError):
        raise CounterError(f"Tệp {path} không phải khóa bí mật PEM hợp lệ.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CounterError(f"Tệp {path} không chứa khóa Ed25519.")
    return key


def key_status(data_dir: Path, profile: CounterProfile) -> tuple[KeyStatus, Ed25519PrivateKey | None]:
    path = key_path(data_dir)
    if not profile.public_key:
        return KeyStatus(KeyState.NO_KEY, "", path), None
    if not path.exists():
        return KeyStatus(KeyState.MISSING, profile.public_key, path), None
    # A key file copied back by hand (see KeyState.MISSING) may have come with the copier's modes.
    restrict_to_owner(path)
    try:
        private = load_private_key(path)
    except CounterError as error:
        return KeyStatus(KeyState.UNREADABLE, profile.public_key, path, str(error)), None
    if public_key_text(private) != profile.public_key:
        return KeyStatus(KeyState.MISMATCH, profile.public_key, path), None
    return KeyStatus(KeyState.READY, profile.public_key, path), private


# ------------------------------------------------------------ making keys

def install_new_key(session: Session, data_dir: Path, actor_name: str, reason: str) -> str:
    """Make a key pair, write the private file, put the public key in the profile, audit it.

    Call inside a write transaction. If the transaction then fails, the file
    is left behind but the profile never named it, so nothing was signed with
    it and the next key made overwrites it.
    """
    profile = session.get(CounterProfile, 1)
    if profile is None:
        raise CounterError("Quầy chưa được thiết lập.")
    old = profile.public_key
    private = _new_private_key()
    _write_private_key(key_path(data_dir), private)
    profile.public_key = public_key_text(private)
    session.add(profile)
    details = {"key_id": key_id(profile.public_key), "reason": reason}
    if old:
        details["replaced_key_id"] = key_id(old)
    audit.record(session, actor_name, "device_key.create", "counter_profile", profile.agency_code, details)
    return profile.public_key


def ensure_device_key(store: Store) -> None:
    """At each open: give a counter from before signed receipts its key (audited).

    A profile that already names a key is left alone even when its file is
    missing: that is reported where it matters (printing a slip, `motcua key
    show`, :func:`key_status`), not papered over. Nothing is loaded here, so
    opening stays cheap.
    """
    with store.read() as session:
        profile = session.get(CounterProfile, 1)
        if profile is None or profile.public_key:
            return
    with store.write() as session:
        profile = session.get(CounterProfile, 1)
        if profile is None or profile.public_key:
            return  # another process got here first
        path = key_path(store.data_dir)
        adopted = _adoptable(path)
        if adopted is not None:
            # A key file without a profile entry: a database restored from before
            # the key was recorded. Slips may already carry this key, so keep it.
            profile.public_key = public_key_text(adopted)
            session.add(profile)
            audit.record(session, SYSTEM.username, "device_key.adopt", "counter_profile", profile.agency_code,
                         {"key_id": key_id(profile.public_key)})
        else:
            install_new_key(session, store.data_dir, SYSTEM.username, "existing counter without a key")


def _adoptable(path: Path) -> Ed25519PrivateKey | None:
    if not path.exists():
        return None
    try:
        return load_private_key(path)
    except CounterError:
        return None


def replace_device_key(store: Store, actor: Actor) -> str:
    """An administrator's explicit new key, e.g. after the private file was lost or leaked."""
    actor.require(Permission.MANAGE_SETTINGS)
    with store.write() as session:
        return install_new_key(session, store.data_dir, actor.username, "replaced by administrator")


# ------------------------------------------------------------ signing

@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey
    public_key: str

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def signer_for(session: Session) -> tuple[Signer | None, KeyStatus]:
    """The counter's signer, or None with the reason it cannot sign."""
    profile = session.get(CounterProfile, 1)
    if profile is None:
        raise CounterError("Quầy chưa được thiết lập.")
    status, private = key_status(data_dir_of(session), profile)
    if private is None:
        return None, status
    return Signer(private, profile.public_key), status


__all__ = [
    "KeyState",
    "KeyStatus",
    "Signer",
    "decode_public_key",
    "ensure_device_key",
    "fingerprint",
    "install_new_key",
    "key_id",
    "key_path",
    "key_status",
    "load_private_key",
    "replace_device_key",
    "signer_for",
]

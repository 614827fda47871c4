"""The signed statement printed in form 01's QR code (format "MC1"; docs/signed-receipt.md).

    MC1:H15.50.05.13-261122-0001:2611220915:2611251000:<owner hash>:<key id>:<signature>

Only characters of the QR code's alphanumeric mode (0-9 A-Z and " $%*+-./:"),
so a QR encoder packs 5.5 bits per character instead of 8: the whole statement
(177 characters) fits version 7 (45 modules), whose 0.41 mm modules a phone
reads easily at 22 mm. Binary values are therefore base32 (RFC 4648, no
padding), fields are joined by ":" (never part of a code, a time or base32,
and safe unescaped in a URL's query or fragment). The signature is Ed25519
over the ASCII bytes of everything before the last ":". The agency is the
part of the dossier code before its first "-" (QCVN 102 identifier), so it is
not repeated. Times are agency time (UTC+07:00), minute precision.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.worktime import AGENCY_TZ

VERSION = "MC1"
SEPARATOR = ":"
NO_VALUE = "-"
TIME_FORMAT = "%y%m%d%H%M"
OWNER_HASH_BYTES = 8  # 13 base32 characters
SIGNATURE_CHARS = 103  # 64 bytes, base32 without padding
FIELD_COUNT = 7

CODE_PATTERN = re.compile(r"^([A-Z0-9]{3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{2,3})-\d{6}-\d{4}$")
TIME_PATTERN = re.compile(r"^\d{10}$")
OWNER_HASH_PATTERN = re.compile(r"^[A-Z2-7]{13}$")
KEY_ID_PATTERN = re.compile(r"^[A-Z2-7]{8}$")
SIGNATURE_PATTERN = re.compile(r"^[A-Z2-7]{103}$")
BASE32_CHARS = re.compile(r"^[A-Z2-7]*$")
# Where a statement starts inside a longer text, e.g. a look-up URL.
FIND_PATTERN = re.compile(r"MC\d+:[A-Z0-9.:-]*")

SignFunction = Callable[[bytes], bytes]


def b32(data: bytes) -> str:
    return base64.b32encode(data).rstrip(b"=").decode("ascii")


def b32_decode(text: str) -> bytes:
    """Strict: only the one canonical spelling of the bytes is accepted."""
    data = base64.b32decode(text + "=" * (-len(text) % 8))
    if b32(data) != text:
        raise ValueError("non-canonical base32")
    return data


def normalise_id(id_number: str) -> str:
    return "".join(id_number.split()).upper()


def owner_hash(code: str, id_number: str) -> str:
    """SHA-256 of "code|ID", truncated: the dossier code salts it, so one person's
    slips from different dossiers do not carry the same value."""
    normalised = normalise_id(id_number)
    if not normalised:
        return NO_VALUE
    digest = hashlib.sha256(f"{code}|{normalised}".encode()).digest()
    return b32(digest[:OWNER_HASH_BYTES])


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return NO_VALUE
    return moment.astimezone(AGENCY_TZ).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime | None:
    if text == NO_VALUE:
        return None
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=AGENCY_TZ)


@dataclass(frozen=True)
class Statement:
    code: str
    received: str  # yyMMddHHmm, agency time
    due: str  # yyMMddHHmm, or "-" when resolved on the spot
    owner_hash: str  # or "-" when the dossier has no identity number
    key_id: str
    signature: str = ""

    @property
    def agency_code(self) -> str:
        return self.code.split("-", 1)[0]

    def message(self) -> bytes:
        """The signed bytes."""
        return SEPARATOR.join(
            (VERSION, self.code, self.received, self.due, self.owner_hash, self.key_id)
        ).encode("ascii")

    def text(self) -> str:
        return self.message().decode("ascii") + SEPARATOR + self.signature


def build_statement(
    code: str,
    received_at: datetime,
    due_at: datetime | None,
    owner_id_number: str,
    key_id: str,
    sign: SignFunction,
) -> str:
    unsigned = Statement(
        code=code,
        received=format_time(received_at),
        due=format_time(due_at),
        owner_hash=owner_hash(code, owner_id_number),
        key_id=key_id,
    )
    return Statement(**{**unsigned.__dict__, "signature": b32(sign(unsigned.message()))}).text()


def embed_in_url(template: str, code: str, statement: str) -> str:
    """The look-up URL with the statement in it: at "{receipt}" if the admin placed
    it, else as the query parameter "xt" (a phone still opens the page; the
    portal can check the slip from the request)."""
    url = template.replace("{code}", code)
    if "{receipt}" in url:
        return url.replace("{receipt}", statement)
    base, hash_mark, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}xt={statement}{hash_mark}{fragment}"


__all__ = [
    "FIELD_COUNT",
    "FIND_PATTERN",
    "SEPARATOR",
    "VERSION",
    "Statement",
    "build_statement",
    "embed_in_url",
    "owner_hash",
    "parse_time",
]

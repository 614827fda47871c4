"""Checking a receipt's signed statement offline, with nothing but the counter's public key.

A PDF or a photo is read the way a phone would (app/receipt_scan.py); the
PDF's own metadata is never trusted. Format: docs/signed-receipt.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from app.device_key import PUBLIC_KEY_BYTES, decode_public_key, key_id
from app.errors import CounterError
from app.receipt_scan import PageCodes, read_image_codes, read_pdf_codes
from app.receipt_statement import (
    BASE32_CHARS,
    CODE_PATTERN,
    FIELD_COUNT,
    FIND_PATTERN,
    KEY_ID_PATTERN,
    NO_VALUE,
    OWNER_HASH_PATTERN,
    SEPARATOR,
    SIGNATURE_CHARS,
    SIGNATURE_PATTERN,
    TIME_PATTERN,
    VERSION,
    Statement,
    b32_decode,
    owner_hash,
    parse_time,
)
from app.worktime import format_vn_moment

_CODE_ANYWHERE = re.compile(CODE_PATTERN.pattern.strip("^$"))
# A name like these that does not exist is a typo, not QR text or a base64 key.
_KEY_FILE_SUFFIXES = {".txt", ".pem", ".pub", ".key"}
_SLIP_FILE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".txt"}


class Failure(StrEnum):
    MALFORMED = "malformed"
    VERSION = "version"
    TRUNCATED = "truncated"
    WRONG_KEY = "wrong_key"
    BAD_SIGNATURE = "bad_signature"
    OWNER_MISMATCH = "owner_mismatch"
    NO_QR = "no_qr"
    MISMATCHED_BARCODE = "mismatched_barcode"


class ReceiptInvalid(CounterError):
    def __init__(self, failure: Failure, message: str):
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True)
class VerifiedReceipt:
    statement: Statement
    received_at: datetime
    due_at: datetime | None
    owner_checked: bool

    def lines(self) -> list[str]:
        due = format_vn_moment(self.due_at) if self.due_at else "giải quyết ngay khi tiếp nhận"
        if self.statement.owner_hash == NO_VALUE:
            owner = "hồ sơ không ghi số giấy tờ tùy thân"
        elif self.owner_checked:
            owner = "khớp với số đã cho"
        else:
            owner = "chưa kiểm tra (thêm --owner-id SỐ để kiểm tra)"
        return [
            f"Hợp lệ: chữ ký đúng của quầy có khóa {self.statement.key_id}.",
            f"  Mã hồ sơ: {self.statement.code}",
            f"  Cơ quan (mã định danh): {self.statement.agency_code}",
            f"  Thời gian nhận hồ sơ: {format_vn_moment(self.received_at)}",
            f"  Thời gian hẹn trả kết quả: {due}",
            f"  Số giấy tờ của chủ hồ sơ: {owner}",
        ]


# ------------------------------------------------------------ the public key

def read_public_key(argument: str) -> bytes:
    """--public-key: a file written by `motcua key export`, a PEM public key, or the base64 text."""
    path = Path(argument)
    text = argument
    if path.suffix.lower() in _KEY_FILE_SUFFIXES and not path.exists():
        raise CounterError(f"Không tìm thấy tệp khóa công khai {path}.")
    if len(argument) < 1024 and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CounterError(f"Không đọc được tệp khóa công khai {path}: {error}.") from None
    if "-----BEGIN PUBLIC KEY-----" in text:
        return _from_pem(text)
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) != 1:
        raise CounterError("Không tìm thấy khóa công khai: cần tệp do 'motcua key export' ghi hoặc chuỗi base64.")
    return decode_public_key(lines[0])


def _from_pem(text: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_public_key,
    )

    start = text.index("-----BEGIN PUBLIC KEY-----")
    try:
        key = load_pem_public_key(text[start:].encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CounterError("Khối PEM khóa công khai bị hỏng.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CounterError("Khóa công khai không phải khóa Ed25519.")
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


# ------------------------------------------------------------ the statement

def find_statement(text: str) -> str:
    """The statement inside a QR's text (alone, or in a look-up URL)."""
    text = text.strip()
    match = FIND_PATTERN.search(text)
    if match is None:
        bare = _CODE_ANYWHERE.search(text)
        if bare is not None:
            raise ReceiptInvalid(Failure.MALFORMED,
                                 f"Mã QR chỉ có mã hồ sơ {bare.group(0)}, không có chuỗi xác thực đã ký "
                                 "(giấy hẹn in khi quầy chưa có khóa thiết bị dùng được).")
        raise ReceiptInvalid(Failure.MALFORMED,
                             f"Không tìm thấy chuỗi xác thực (phải bắt đầu bằng '{VERSION}{SEPARATOR}').")
    return match.group(0)


def parse_statement(text: str) -> Statement:
    """Split and check the shape of each field; no cryptography yet."""
    statement = find_statement(text)
    fields = statement.split(SEPARATOR)
    if fields[0] != VERSION:
        raise ReceiptInvalid(Failure.VERSION,
                             f"Phiên bản chuỗi xác thực '{fields[0]}' chưa được hỗ trợ (chỉ hỗ trợ {VERSION}).")
    if len(fields) < FIELD_COUNT:
        raise ReceiptInvalid(Failure.TRUNCATED,
                             f"Chuỗi xác thực bị cắt cụt: chỉ có {len(fields)}/{FIELD_COUNT} trường.")
    if len(fields) > FIELD_COUNT:
        raise ReceiptInvalid(Failure.MALFORMED,
                             f"Chuỗi xác thực có {len(fields)} trường, nhiều hơn {FIELD_COUNT}.")
    _, code, received, due, owner, kid, signature = fields
    if SIGNATURE_PATTERN.match(signature) is None:
        if len(signature) < SIGNATURE_CHARS and BASE32_CHARS.match(signature):
            raise ReceiptInvalid(Failure.TRUNCATED,
                                 f"Chuỗi xác thực bị cắt cụt: chữ ký chỉ có {len(signature)}/{SIGNATURE_CHARS} ký tự.")
        raise ReceiptInvalid(Failure.MALFORMED, f"Trường chữ ký không đúng dạng ({SIGNATURE_CHARS} ký tự base32).")
    checks = (
        (CODE_PATTERN.match(code), f"mã hồ sơ '{code}' không đúng dạng <mã cơ quan>-yyMMdd-NNNN"),
        (_is_time(received, allow_none=False), f"thời gian nhận '{received}' không đúng dạng yyMMddHHmm"),
        (_is_time(due, allow_none=True), f"thời gian hẹn trả '{due}' không đúng dạng yyMMddHHmm hoặc '-'"),
        (owner == NO_VALUE or OWNER_HASH_PATTERN.match(owner), f"mã băm số giấy tờ '{owner}' không đúng dạng"),
        (KEY_ID_PATTERN.match(kid), f"mã khóa '{kid}' không đúng dạng"),
    )
    for ok, problem in checks:
        if not ok:
            raise ReceiptInvalid(Failure.MALFORMED, f"Chuỗi xác thực sai dạng: {problem}.")
    return Statement(code, received, due, owner, kid, signature)


def _is_time(text: str, *, allow_none: bool) -> bool:
    if text == NO_VALUE:
        return allow_none
    if not TIME_PATTERN.match(text):
        return False
    try:
        parse_time(text)
    except ValueError:
        return False
    return True


def verify_statement(text: str, public_key: bytes, owner_id: str | None = None) -> VerifiedReceipt:
    """The facts a valid statement vouches for, or ReceiptInvalid saying exactly what fails."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(public_key) != PUBLIC_KEY_BYTES:
        raise CounterError("Khóa công khai Ed25519 phải dài 32 byte.")
    statement = parse_statement(text)
    expected_kid = key_id(public_key)
    if statement.key_id != expected_kid:
        raise ReceiptInvalid(
            Failure.WRONG_KEY,
            f"Sai khóa: giấy hẹn ghi được ký bằng khóa {statement.key_id}, còn khóa công khai đã cho là "
            f"{expected_kid} (khóa của quầy khác, hoặc quầy đã đổi khóa).")
    try:
        signature = b32_decode(statement.signature)
    except ValueError:
        raise ReceiptInvalid(Failure.MALFORMED, "Trường chữ ký không ở dạng base32 chuẩn.") from None
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, statement.message())
    except InvalidSignature:
        raise ReceiptInvalid(
            Failure.BAD_SIGNATURE,
            "Chữ ký không hợp lệ: nội dung mã QR đã bị sửa, hoặc chữ ký lấy từ giấy hẹn khác, "
            "hoặc không do khóa này ký.") from None
    owner_checked = False
    if owner_id is not None:
        if statement.owner_hash == NO_VALUE:
            raise ReceiptInvalid(Failure.OWNER_MISMATCH, "Giấy hẹn không ghi số giấy tờ tùy thân để đối chiếu.")
        if owner_hash(statement.code, owner_id) != statement.owner_hash:
            raise ReceiptInvalid(Failure.OWNER_MISMATCH,
                                 "Chữ ký đúng, nhưng số giấy tờ đã cho KHÔNG khớp với chủ hồ sơ ghi trên giấy hẹn.")
        owner_checked = True
    received = parse_time(statement.received)
    assert received is not None
    return VerifiedReceipt(statement, received, parse_time(statement.due), owner_checked)


# ------------------------------------------------------------ reading the paper

def verify_pages(pages: list[PageCodes], public_key: bytes, owner_id: str | None = None) -> VerifiedReceipt:
    """Every QR on the paper must verify; a page's Code128 must name the same dossier as its QR."""
    if not any(p.qr for p in pages):
        raise ReceiptInvalid(Failure.NO_QR, "Không tìm thấy mã QR nào trên giấy tờ.")
    result: VerifiedReceipt | None = None
    for page in pages:
        for text in page.qr:
            try:
                verified = verify_statement(text, public_key, owner_id)
            except ReceiptInvalid as error:
                raise ReceiptInvalid(error.failure, f"Trang {page.page}: {error}") from None
            for bars in page.code128:
                if bars != verified.statement.code:
                    raise ReceiptInvalid(
                        Failure.MISMATCHED_BARCODE,
                        f"Trang {page.page}: mã vạch ghi hồ sơ {bars} nhưng mã QR đã ký là của hồ sơ "
                        f"{verified.statement.code}.")
            if result is not None and verified.statement != result.statement:
                raise ReceiptInvalid(Failure.MISMATCHED_BARCODE,
                                     f"Trang {page.page}: mã QR khác với mã QR ở trang trước.")
            result = verified
    assert result is not None
    return result


def verify_receipt(source: str, public_key: bytes, owner_id: str | None = None) -> VerifiedReceipt:
    """*source*: a PDF, a picture of the slip, or the QR text itself."""
    path = Path(source)
    if path.suffix.lower() in _SLIP_FILE_SUFFIXES and not path.exists():
        raise CounterError(f"Không tìm thấy tệp {path}.")
    if len(source) < 1024 and path.is_file():
        head = path.read_bytes()[:8]
        if head.startswith(b"%PDF"):
            return verify_pages(read_pdf_codes(path), public_key, owner_id)
        if head.startswith((b"\x89PNG", b"\xff\xd8", b"II*\x00", b"MM\x00*", b"BM")):
            return verify_pages(read_image_codes(path), public_key, owner_id)
        return verify_statement(path.read_text(encoding="utf-8", errors="replace"), public_key, owner_id)
    return verify_statement(source, public_key, owner_id)


__all__ = [
    "Failure",
    "ReceiptInvalid",
    "VerifiedReceipt",
    "read_public_key",
    "verify_receipt",
    "verify_statement",
]

"""Commands for the device key and signed receipts: `motcua key …`, `motcua verify-receipt`."""

import sys
from pathlib import Path

from app.cli.base import CommandLine, Context, StandaloneContext, write_file_atomically


def cmd_key_show(ctx: Context) -> int:
    from app.device_key import KeyState
    from app.key_export import public_key_info

    info = public_key_info(ctx.store)
    if not info.public_key:
        print(info.status.message)
        return 1
    print(f"Khóa công khai Ed25519 của quầy số {info.counter_number}, {info.agency_name} ({info.agency_code}):")
    print(f"  {info.public_key}")
    print(f"  Mã khóa (in trong mã QR): {info.key_id}")
    print(f"  Dấu vân tay SHA-256: {info.fingerprint}")
    print(f"  Tệp khóa bí mật: {info.status.path}")
    if info.status.state is not KeyState.READY:
        print(f"Cảnh báo: {info.status.message}", file=sys.stderr)
        return 1
    print(info.status.message)
    return 0


def cmd_key_export(ctx: Context) -> int:
    from app.errors import CounterError
    from app.key_export import export_text, public_key_info, record_export

    actor = ctx.actor()
    info = public_key_info(ctx.store)
    if not info.public_key:
        raise CounterError("Quầy chưa có khóa thiết bị để xuất.")
    out = Path(ctx.args.out)
    write_file_atomically(out, export_text(info).encode("utf-8"))
    record_export(ctx.store, actor, info, out)
    print(f"Đã lưu khóa công khai (mã khóa {info.key_id}, dấu vân tay {info.fingerprint}) vào {out}")
    return 0


def cmd_key_new(ctx: Context) -> int:
    from app.device_key import KeyState, key_id, replace_device_key
    from app.errors import CounterError
    from app.key_export import public_key_info

    actor = ctx.actor()
    before = public_key_info(ctx.store)
    if before.status.state is KeyState.READY and not ctx.args.force:
        raise CounterError(
            f"Khóa hiện tại ({before.key_id}) vẫn dùng được. Chỉ thay khi khóa bí mật bị lộ: thêm --force. "
            "Hãy xuất khóa công khai cũ trước ('motcua key export') để còn kiểm tra các giấy hẹn đã in.")
    public_key = replace_device_key(ctx.store, actor)
    old = f" thay cho khóa {before.key_id}" if before.public_key else ""
    print(f"Đã tạo khóa thiết bị mới {key_id(public_key)}{old}. Giấy hẹn in từ nay được ký bằng khóa mới; "
          "hãy gửi khóa công khai mới ('motcua key export') cho nơi kiểm tra giấy hẹn.")
    return 0


def cmd_verify_receipt(ctx: StandaloneContext) -> int:
    from app.receipt_verify import ReceiptInvalid, read_public_key, verify_receipt

    public_key = read_public_key(ctx.args.public_key)
    try:
        verified = verify_receipt(ctx.args.source, public_key, ctx.args.owner_id)
    except ReceiptInvalid as error:
        print(f"Không hợp lệ: {error}")
        return 1
    print("\n".join(verified.lines()))
    return 0


def register(cli: CommandLine) -> None:
    key = cli.group("key", "khóa thiết bị ký mã QR trên giấy hẹn")
    p = key.add_parser("show", help="in khóa công khai, mã khóa và dấu vân tay")
    p.set_defaults(handler=cmd_key_show)
    p = key.add_parser("export", help="lưu khóa công khai ra tệp để gửi nơi kiểm tra giấy hẹn")
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_key_export)
    p = key.add_parser("new", help="tạo khóa mới (quản trị viên; khi mất hoặc lộ khóa bí mật)")
    p.add_argument("--force", action="store_true", help="thay cả khi khóa hiện tại vẫn dùng được")
    p.set_defaults(handler=cmd_key_new)

    p = cli.sub.add_parser("verify-receipt", help="kiểm tra chữ ký trong mã QR của giấy hẹn (mẫu 01)")
    p.add_argument("source", metavar="TỆP_PDF|ẢNH|CHUỖI_QR",
                   help="tệp PDF hoặc ảnh chụp giấy hẹn, hoặc nội dung mã QR")
    p.add_argument("--public-key", required=True, metavar="KHÓA",
                   help="tệp do 'motcua key export' ghi, hoặc khóa công khai dạng base64")
    p.add_argument("--owner-id", help="số giấy tờ tùy thân để đối chiếu với chủ hồ sơ")
    p.set_defaults(handler=cmd_verify_receipt, context=StandaloneContext)

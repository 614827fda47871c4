"""`motcua bundle …` on the counter and `motcua portal import` on the portal: sync by USB stick."""

from pathlib import Path
from typing import Any

from app.cli.base import CommandLine, Context, print_json
from sync.cli import PORTAL_DB_ENV, PortalContext


def cmd_export(ctx: Context) -> int:
    from sync.bundle import export_bundle

    report = export_bundle(ctx.store, ctx.actor(), Path(ctx.args.out))
    print(f"Đã ghi {report.items} mục chờ gửi vào {report.path} ({report.size:,} byte). "
          "Mang tệp này tới cổng tỉnh; sau khi cổng nhập, chạy: motcua bundle import-ack TỆP_XÁC_NHẬN")
    return 0


def cmd_import_ack(ctx: Context) -> int:
    from sync.bundle import import_ack

    report = import_ack(ctx.store, ctx.actor(), Path(ctx.args.file))
    if ctx.args.json:
        print_json({"bundle_id": report.bundle_id, "delivered": report.delivered,
                    "quarantined": report.quarantined, "unchanged": report.unchanged})
        return 0
    print(f"Tệp xác nhận của gói {report.bundle_id}: {report.delivered} mục đã gửi xong, "
          f"{report.quarantined} mục bị cổng từ chối (cách ly), {report.unchanged} mục đã xử lý từ trước.")
    if report.quarantined:
        print("Xem lý do: motcua sync status")
    return 0


def cmd_portal_import(ctx: PortalContext) -> int:  # type: ignore[override]
    from sync.portal.bundle_import import import_bundle

    path = Path(ctx.args.file)
    ack = Path(ctx.args.ack) if ctx.args.ack else path.with_name(path.name + ".ack")
    report = import_bundle(ctx.portal(), path, ack)
    if ctx.args.json:
        print_json({"bundle_id": report.bundle_id, "device_id": report.device_id, "ack": str(report.ack_path),
                    **{s: report.count(s) for s in ("accepted", "duplicate", "rejected")}})
        return 0
    print(f"Đã nhập gói {report.bundle_id} của máy {report.device_id}: {report.count('accepted')} mục mới, "
          f"{report.count('duplicate')} mục cổng đã có, {report.count('rejected')} mục bị từ chối.")
    for result in report.results:
        if result.status == "rejected":
            print(f"  Từ chối {result.id}: {result.reason}")
    print(f"Tệp xác nhận: {report.ack_path} (chép về quầy, chạy: motcua bundle import-ack {report.ack_path.name})")
    return 0


def register(cli: CommandLine) -> None:
    bundle = cli.group("bundle", help="đồng bộ qua USB khi quầy không có mạng (gói dữ liệu và tệp xác nhận)")
    e = bundle.add_parser("export", help="ghi mọi mục chờ gửi vào một tệp đã ký để mang tới cổng")
    e.add_argument("--out", required=True, help="tệp gói cần ghi (ví dụ /media/usb/quay1.mcb)")
    e.set_defaults(handler=cmd_export)
    a = bundle.add_parser("import-ack", help="đọc tệp xác nhận của cổng: đánh dấu đã gửi, cách ly mục bị từ chối")
    a.add_argument("file")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_import_ack)

    portal: Any = cli.group("portal")
    q = portal.add_parser("import", help="nhập gói dữ liệu của một quầy (mang tới bằng USB), ghi tệp xác nhận")
    q.add_argument("file")
    q.add_argument("--db", help=f"cơ sở dữ liệu của cổng: tệp SQLite hoặc postgresql://… (hoặc {PORTAL_DB_ENV})")
    q.add_argument("--ack", help="tệp xác nhận cần ghi (mặc định: tên gói + .ack)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_portal_import, context=PortalContext)

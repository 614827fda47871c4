"""`motcua sync …` on the counter and `motcua portal …` for the reference portal."""

import argparse
import json
import os
import sys

from pathlib import Path
from typing import Any

from app.cli.base import CommandLine, Context, parse_date, print_json
from app.errors import CounterError

PORTAL_DB_ENV = "MOTCUA_PORTAL_DB"


class PortalContext:
    """The portal runs on its own machine: its commands never open a counter's database."""

    def __init__(self, args: argparse.Namespace):
        self.args = args

    def portal(self) -> Any:
        from sync.portal.service import Portal
        from sync.portal.store import make_engine

        return Portal(make_engine(self.db_url()))

    def db_url(self) -> str:
        url: str | None = self.args.db or os.environ.get(PORTAL_DB_ENV)
        if not url:
            raise CounterError(f"Cần cơ sở dữ liệu của cổng: --db URL (tệp SQLite hoặc postgresql://…), "
                               f"hoặc biến {PORTAL_DB_ENV}.")
        return url


# --- counter side -----------------------------------------------------------------------------


def _print_result(result: Any, as_json: bool) -> None:
    if as_json:
        print_json(result.to_json())
        return
    print(f"Đã gửi: {result.accepted} mới, {result.duplicates} cổng đã có; cách ly: {result.quarantined}; "
          f"nhận từ cổng: {result.pulled} thay đổi.")
    for skipped in result.pull_skipped:
        print(f"  Bỏ qua thay đổi: {skipped}")
    if result.clock_offset_seconds is not None and abs(result.clock_offset_seconds) > 300:
        print(f"Cảnh báo: đồng hồ máy lệch {result.clock_offset_seconds:+.0f} giây so với cổng.")
    if result.waiting:
        print(f"Còn {result.waiting} mục chờ gửi.")
    if result.quarantine_total:
        print(f"{result.quarantine_total} mục đang bị cách ly (xem: motcua sync status).")
    if result.error:
        print(f"Lỗi: {result.error}", file=sys.stderr)


def cmd_sync(ctx: Context) -> int:
    from sync.engine import EngineConfig, run_sync_round

    config = EngineConfig()
    if ctx.args.batch:
        config.batch_items = max(1, ctx.args.batch)
    result = run_sync_round(ctx.store, config)
    _print_result(result, ctx.args.json)
    # Non-zero when something is left undone: a script or scheduler knows to try again.
    return 0 if result.ok and result.quarantine_total == 0 else 2


def cmd_enroll(ctx: Context) -> int:
    from sync.enrollment import enroll

    answer = enroll(ctx.store, ctx.actor(), ctx.args.portal, ctx.args.code)
    print(f"Đã đăng ký quầy số {answer.counter_number} của {answer.agency_code} với cổng {ctx.args.portal} "
          f"(máy {answer.device_id}).")
    return 0


def cmd_status(ctx: Context) -> int:
    from sync.state import QUARANTINED, WAITING, list_items, sync_status

    status = sync_status(ctx.store)
    with ctx.store.read() as session:
        quarantine = list_items(session, QUARANTINED, limit=ctx.args.limit)
        queue = list_items(session, WAITING, limit=ctx.args.limit)
    if ctx.args.json:
        print_json({**status.to_json(),
                    "quarantine": [{"id": r.id, "kind": r.kind, "code": r.code, "reason": r.quarantine_reason}
                                   for r in quarantine],
                    "queue": [{"id": r.id, "kind": r.kind, "code": r.code, "attempts": r.attempts,
                               "last_error": r.last_error} for r in queue]})
        return 0
    print(f"Cổng: {status.portal_url or 'chưa đăng ký'}")
    state_text = {None: "chưa thử kết nối", True: "kết nối được", False: "mất kết nối"}[status.online]
    print(f"Trạng thái: {state_text}; chờ gửi: {status.waiting}; cách ly: {status.quarantined}; "
          f"đã gửi: {status.delivered}")
    print(f"Đồng bộ thành công gần nhất: {status.last_success.strftime('%d/%m/%Y %H:%M') if status.last_success else 'chưa có'}")
    if status.last_error:
        print(f"Lỗi gần nhất: {status.last_error}")
    for row in quarantine:
        print(f"  [{row.id}] {row.kind} {row.code}: {row.quarantine_reason}")
    return 0


def cmd_retry(ctx: Context) -> int:
    from sync.state import retry_quarantined

    if ctx.args.id is None and not ctx.args.all:
        raise CounterError("Chọn mục cần gửi lại: motcua sync retry ID, hoặc --all.")
    count = retry_quarantined(ctx.store, ctx.actor(), None if ctx.args.all else ctx.args.id)
    print(f"Đã đưa {count} mục trở lại hàng đợi gửi.")
    return 0


# --- portal side ----------------------------------------------------------------------------------


def cmd_portal_serve(ctx: PortalContext) -> int:  # type: ignore[override]
    import uvicorn

    from sync.portal.app import create_app

    app = create_app(ctx.db_url())
    print(f"Cổng đồng bộ tham chiếu đang chạy tại http://{ctx.args.host}:{ctx.args.port}", flush=True)
    # Access logs off: a URL carries no secret, but a busy counter fleet would fill the disk for nothing.
    uvicorn.run(app, host=ctx.args.host, port=ctx.args.port, log_level="warning", access_log=False)
    return 0


def cmd_issue_code(ctx: PortalContext) -> int:
    code = ctx.portal().issue_code(ctx.args.agency, ctx.args.counter, ctx.args.days)
    print(code)
    return 0


def cmd_devices(ctx: PortalContext) -> int:
    devices = ctx.portal().devices()
    if ctx.args.json:
        print_json([d.model_dump(mode="json") for d in devices])
        return 0
    for d in devices:
        state = f"thu hồi {d.revoked_at:%d/%m/%Y %H:%M}" if d.revoked_at else "hoạt động"
        print(f"{d.device_id}  {d.agency_code} quầy {d.counter_number}  {state}  nhật ký #{d.audit_mono or 0}")
    return 0


def cmd_revoke(ctx: PortalContext) -> int:
    if not ctx.portal().revoke(ctx.args.device_id):
        raise CounterError(f"Không có máy đang hoạt động mang mã {ctx.args.device_id}.")
    print(f"Đã thu hồi quyền đồng bộ của máy {ctx.args.device_id}.")
    return 0


def cmd_publish_catalog(ctx: PortalContext) -> int:
    path = Path(ctx.args.file)
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError) as error:
        raise CounterError(f"Không đọc được tệp danh mục {path}: {error}.") from None
    count = ctx.portal().publish_catalog(document)
    print(f"Đã công bố {count} thủ tục.")
    return 0


def cmd_publish_holiday(ctx: PortalContext) -> int:
    kind = "workday" if ctx.args.workday else "holiday"
    ctx.portal().publish_holiday(ctx.args.date, kind, ctx.args.name)
    print(f"Đã công bố {'ngày làm việc bù' if ctx.args.workday else 'ngày nghỉ'} {ctx.args.date:%d/%m/%Y}.")
    return 0


def cmd_add_user(ctx: PortalContext) -> int:
    from app.users import hash_password
    from sync.protocol import UserChange

    password = os.environ.get("MOTCUA_NEW_PASSWORD", "")
    change = UserChange(username=ctx.args.username, full_name=ctx.args.name, role=ctx.args.role,
                        active=not ctx.args.inactive, password_hash=hash_password(password) if password else "")
    ctx.portal().publish_user(ctx.args.agency, change)
    print(f"Đã công bố tài khoản {ctx.args.username} cho {ctx.args.agency.upper()}.")
    return 0


def cmd_post_status(ctx: PortalContext) -> int:
    from sync.portal.service import PortalError

    try:
        change = ctx.portal().post_status(ctx.args.code, ctx.args.status, ctx.args.body or "", ctx.args.note or "")
    except PortalError as error:
        raise CounterError(error.message) from None
    print(f"Đã cập nhật hồ sơ {change.code}: trạng thái {change.status}.")
    return 0


def cmd_national(ctx: PortalContext) -> int:
    from sync.national import national_dossier

    row = ctx.portal().dossier(ctx.args.code)
    if row is None:
        raise CounterError(f"Cổng chưa có hồ sơ {ctx.args.code}.")
    print_json(national_dossier(row.payload, status=row.status))
    return 0


def register(cli: CommandLine) -> None:
    p = cli.sub.add_parser("sync", help="đồng bộ với cổng dịch vụ công tỉnh (một lượt gửi và nhận)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--batch", type=int, help="số mục mỗi lô lúc bắt đầu (tự điều chỉnh theo đường truyền)")
    p.set_defaults(handler=cmd_sync)
    actions = p.add_subparsers(dest="action", metavar="VIỆC")
    e = actions.add_parser("enroll", help="đăng ký quầy với cổng bằng mã một lần do quản trị cổng cấp")
    e.add_argument("--portal", required=True, help="địa chỉ cổng, ví dụ https://dongbo.tinh.gov.vn")
    e.add_argument("--code", required=True, help="mã đăng ký một lần")
    e.set_defaults(handler=cmd_enroll)
    s = actions.add_parser("status", help="hàng đợi, cách ly, lần đồng bộ gần nhất")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=50, help="số mục liệt kê tối đa")
    s.set_defaults(handler=cmd_status)
    r = actions.add_parser("retry", help="đưa mục bị cách ly trở lại hàng đợi")
    r.add_argument("id", nargs="?", type=int, help="số của mục (xem sync status)")
    r.add_argument("--all", action="store_true", help="tất cả mục bị cách ly")
    r.set_defaults(handler=cmd_retry)

    portal = cli.group("portal", help="cổng đồng bộ tham chiếu (chạy trên máy chủ của tỉnh)")

    def portal_cmd(sub: Any, name: str, handler: Any, help: str) -> Any:
        q = sub.add_parser(name, help=help)
        q.add_argument("--db", help=f"cơ sở dữ liệu của cổng: tệp SQLite hoặc postgresql://… (hoặc {PORTAL_DB_ENV})")
        q.set_defaults(handler=handler, context=PortalContext)
        return q

    serve = portal_cmd(portal, "serve", cmd_portal_serve, "chạy cổng (FastAPI + uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    admin = portal.add_parser("admin", help="việc của quản trị cổng").add_subparsers(dest="admin_action",
                                                                                   required=True)
    q = portal_cmd(admin, "issue-code", cmd_issue_code, "cấp mã đăng ký một lần cho một quầy")
    q.add_argument("--agency", required=True, help="mã định danh cơ quan")
    q.add_argument("--counter", type=int, help="chỉ cho quầy số này")
    q.add_argument("--days", type=int, default=7, help="hiệu lực (ngày)")
    q = portal_cmd(admin, "devices", cmd_devices, "các máy đã đăng ký")
    q.add_argument("--json", action="store_true")
    q = portal_cmd(admin, "revoke", cmd_revoke, "thu hồi quyền đồng bộ của một máy")
    q.add_argument("device_id")
    q = portal_cmd(admin, "publish-catalog", cmd_publish_catalog, "công bố danh mục thủ tục (tệp JSON)")
    q.add_argument("file")
    q = portal_cmd(admin, "publish-holiday", cmd_publish_holiday, "công bố ngày nghỉ hoặc ngày làm việc bù")
    q.add_argument("date", type=parse_date, help="YYYY-MM-DD")
    q.add_argument("name", help="tên ngày nghỉ / lý do")
    q.add_argument("--workday", action="store_true", help="là ngày làm việc bù")
    q = portal_cmd(admin, "add-user", cmd_add_user,
                   "công bố tài khoản cán bộ cho các quầy của một cơ quan (mật khẩu trong MOTCUA_NEW_PASSWORD)")
    q.add_argument("--agency", required=True)
    q.add_argument("username")
    q.add_argument("--name", required=True, help="họ và tên")
    q.add_argument("--role", choices=("officer", "supervisor", "admin"), default="officer")
    q.add_argument("--inactive", action="store_true", help="khóa tài khoản")
    q = portal_cmd(admin, "post-status", cmd_post_status, "cập nhật trạng thái hồ sơ như cơ quan giải quyết")
    q.add_argument("code", help="mã hồ sơ")
    q.add_argument("status", type=int, choices=(5, 6, 8, 9), help="5 bổ sung, 6 nghĩa vụ tài chính, 8 dừng, 9 xong")
    q.add_argument("--body", help="tên cơ quan giải quyết")
    q.add_argument("--note", help="nội dung, lý do")
    q = portal_cmd(admin, "national", cmd_national, "hồ sơ theo các trường trao đổi quốc gia (JSON)")
    q.add_argument("code")



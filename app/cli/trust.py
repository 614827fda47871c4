"""Commands that let the counter prove its records: audit chain, backups, restore."""

import argparse
import os
from pathlib import Path
from typing import Any

from app.cli.base import PASSWORD_ENV, USER_ENV, CommandLine, Context, print_json
from app.errors import CounterError, DatabaseDamaged


def cmd_audit_verify(ctx: Context) -> int:
    from app.audit_verify import verify_store
    from app.permissions import Permission

    ctx.actor().require(Permission.VIEW_AUDIT)
    report = verify_store(ctx.store)
    if ctx.args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    return 0 if report.ok else 1


def cmd_audit_list(ctx: Context) -> int:
    from app import audit
    from app.permissions import Permission
    from app.worktime import AGENCY_TZ

    ctx.actor().require(Permission.VIEW_AUDIT)
    with ctx.store.read() as session:
        rows = audit.recent(session, ctx.args.limit)
    if ctx.args.json:
        print_json([{"mono": r.mono, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
                     "entity": r.entity, "entity_id": r.entity_id, "details": r.details, "hash": r.hash}
                    for r in rows])
        return 0
    for r in rows:
        flag = "  ⚠ ĐỒNG HỒ BỊ LÙI" if r.action == audit.CLOCK_BACKWARDS else ""
        print(f"{r.mono:>7}  {r.at.astimezone(AGENCY_TZ):%d/%m/%Y %H:%M:%S}  {r.actor:<12} {r.action:<22} "
              f"{r.entity_id}{flag}")
    return 0


def cmd_backup(ctx: Context) -> int:
    if ctx.args.what == "list":
        return _backup_list(ctx)
    from app.backup import make_backup

    actor = ctx.actor()
    result = make_backup(ctx.store, actor, "manual", Path(ctx.args.to).expanduser() if ctx.args.to else None)
    if ctx.args.json:
        print_json({"path": str(result.path), "kind": result.kind, "size": result.size, "sha256": result.sha256,
                    "head_mono": result.head.mono if result.head else 0, "seconds": round(result.seconds, 2)})
    else:
        print(f"Đã sao lưu vào {result.path} ({result.size / 1_048_576:.1f} MB, kiểm tra toàn vẹn: đạt, "
              f"SHA-256 {result.sha256[:16]}…, {result.seconds:.1f} giây).")
    return 0


def _backup_list(ctx: Context) -> int:
    from app.backup import list_backups
    from app.permissions import Permission
    from app.worktime import AGENCY_TZ

    ctx.actor().require(Permission.VIEW_AUDIT)
    with ctx.store.read() as session:
        rows = list_backups(session)
    if ctx.args.json:
        print_json([{"at": b.at.isoformat(), "path": b.path, "kind": b.kind, "size": b.size, "sha256": b.sha256,
                     "actor": b.actor, "present": b.present} for b in rows])
        return 0
    if not rows:
        print("Chưa có bản sao lưu nào.")
    for b in rows:
        state = "" if b.present else "  (tệp không còn ở đó)"
        print(f"{b.at.astimezone(AGENCY_TZ):%d/%m/%Y %H:%M}  {b.kind:<14} {b.size / 1_048_576:>8.1f} MB  "
              f"{b.path}{state}")
    return 0


class RestoreContext(Context):
    """`motcua restore` must work exactly when the live database cannot be opened."""

    def __init__(self, args: argparse.Namespace):
        from app.paths import resolve_data_dir

        self.damage: DatabaseDamaged | None = None
        self.data_dir = resolve_data_dir(args.data_dir)
        try:
            super().__init__(args)
        except DatabaseDamaged as error:
            self.args = args
            self.damage = error
            self.store = None  # type: ignore[assignment]

    def actor(self, allow_password_change_pending: bool = False) -> Any:
        if self.damage is None:
            return super().actor(allow_password_change_pending)
        return _actor_from_backup(self.args, Path(self.args.file))


def _actor_from_backup(args: argparse.Namespace, file: Path) -> Any:
    from app.restore import actor_from_backup

    username = args.user or os.environ.get(USER_ENV)
    password = os.environ.get(PASSWORD_ENV)
    if not username or password is None:
        raise CounterError(f"Cơ sở dữ liệu đang hỏng: cho biết tài khoản quản trị (--user hoặc {USER_ENV}) và "
                           f"mật khẩu trong biến {PASSWORD_ENV}; mật khẩu được kiểm tra theo bản sao lưu.")
    return actor_from_backup(file, username, password)


def cmd_restore(ctx: Context) -> int:
    from app.restore import restore_from

    actor = ctx.actor()
    target = ctx.store if ctx.store is not None else ctx.data_dir  # type: ignore[attr-defined]
    result = restore_from(target, Path(ctx.args.file), actor, force=ctx.args.force)
    result.store.dispose()
    aside = f" Dữ liệu trước khi khôi phục được giữ ở {result.set_aside}." if result.set_aside else ""
    forced = " (khôi phục dữ liệu của cơ quan khác theo --force)" if result.forced else ""
    print(f"Đã khôi phục dữ liệu từ {result.source}{forced}.{aside}")
    return 0


def register(cli: CommandLine) -> None:
    audit_group = cli.group("audit", help="nhật ký hệ thống (chuỗi băm chống sửa)")
    p = audit_group.add_parser("verify", help="kiểm tra chuỗi nhật ký còn nguyên vẹn")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit_verify)
    p = audit_group.add_parser("list", help="các dòng nhật ký mới nhất")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit_list)

    p = cli.sub.add_parser("backup", help="sao lưu dữ liệu ngay (hoặc: backup list)")
    p.add_argument("what", nargs="?", choices=["list"], help="list: các bản sao lưu đã tạo")
    p.add_argument("--to", help="thư mục đích (mặc định: cài đặt backup.folder)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backup)

    p = cli.sub.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu (quản trị viên)")
    p.add_argument("file", help="tệp sao lưu motcua-….sqlite3")
    p.add_argument("--force", action="store_true", help="chấp nhận dữ liệu của cơ quan khác")
    p.set_defaults(handler=cmd_restore, context=RestoreContext)

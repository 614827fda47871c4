"""Accounts from the command line: `motcua user add|disable|enable|reset-password|list` and `motcua passwd`."""

import getpass
import sys

from app.cli.base import CommandLine, Context, print_json
from app.errors import CounterError

ROLES = ("officer", "supervisor", "admin")


def _new_password(given: str | None, prompt: str) -> str:
    """--password, or typed twice on a terminal; a script without a terminal must pass it."""
    if given is not None:
        return str(given)
    if sys.stdin is None or not sys.stdin.isatty():
        raise CounterError("Chưa có mật khẩu mới: thêm --password, hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập.")
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("Nhập lại để xác nhận: ") != first:
        raise CounterError("Hai lần nhập mật khẩu không khớp nhau; chưa thay đổi gì.")
    return first


def cmd_user_add(ctx: Context) -> int:
    from app.users import create_user
    from models.enums import Role

    actor = ctx.actor()
    a = ctx.args
    password = _new_password(a.password, f"Mật khẩu cho {a.username}")
    with ctx.store.write() as session:
        user = create_user(session, actor, a.username, a.name, password, Role(a.role))
    print(f"Đã tạo tài khoản '{user.username}' ({Role(user.role).label}): {user.full_name}.")
    return 0


def _cmd_set_active(active: bool):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> int:
        from app.users import set_active

        actor = ctx.actor()
        with ctx.store.write() as session:
            user = set_active(session, actor, ctx.args.username, active)
        print(f"Đã {'mở lại' if active else 'vô hiệu hóa'} tài khoản '{user.username}'.")
        return 0

    return run


def cmd_user_reset_password(ctx: Context) -> int:
    from app.users import reset_password

    actor = ctx.actor()
    password = _new_password(ctx.args.password, f"Mật khẩu tạm cho {ctx.args.username}")
    with ctx.store.write() as session:
        user = reset_password(session, actor, ctx.args.username, password)
    print(f"Đã đặt lại mật khẩu của '{user.username}'. Người dùng phải đổi mật khẩu khi đăng nhập lần sau.")
    return 0


def cmd_user_list(ctx: Context) -> int:
    from app.users import list_users
    from app.worktime import format_vn_moment

    actor = ctx.actor()
    with ctx.store.read() as session:
        users = list_users(session, actor)
    if ctx.args.json:
        print_json([{
            "username": u.username, "full_name": u.full_name, "role": u.role.value, "active": u.active,
            "locked_until": u.locked_until.isoformat() if u.locked_until else None,
            "must_change_password": u.must_change_password,
            "created_at": u.created_at.isoformat(),
            "password_changed_at": u.password_changed_at.isoformat() if u.password_changed_at else None,
        } for u in users])
    else:
        for u in users:
            extra = f" đến {format_vn_moment(u.locked_until)}" if u.locked_until else ""
            print(f"{u.username:<16} {u.role.label:<20} {u.status_label}{extra:<10}  {u.full_name}")
    return 0


def cmd_passwd(ctx: Context) -> int:
    from app.users import change_own_password

    actor = ctx.actor(allow_password_change_pending=True)
    assert ctx.password is not None
    new = _new_password(ctx.args.new_password, "Mật khẩu mới")
    with ctx.store.write() as session:
        change_own_password(session, actor, ctx.password, new)
    print(f"Đã đổi mật khẩu của '{actor.username}'.")
    return 0


def register(cli: CommandLine) -> None:
    users = cli.group("user", "tài khoản cán bộ (quản trị viên)")
    p = users.add_parser("add", help="tạo tài khoản")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="họ và tên")
    p.add_argument("--role", choices=ROLES, default="officer",
                   help="officer: cán bộ một cửa; supervisor: lãnh đạo, giám sát; admin: quản trị")
    p.add_argument("--password", help="mật khẩu ban đầu (không có: nhập khi được hỏi)")
    p.set_defaults(handler=cmd_user_add)
    for name, active, text in (("disable", False, "vô hiệu hóa tài khoản"), ("enable", True, "mở lại tài khoản")):
        p = users.add_parser(name, help=text)
        p.add_argument("username")
        p.set_defaults(handler=_cmd_set_active(active))
    p = users.add_parser("reset-password", help="đặt mật khẩu tạm; người dùng phải đổi khi đăng nhập")
    p.add_argument("username")
    p.add_argument("--password", help="mật khẩu tạm (không có: nhập khi được hỏi)")
    p.set_defaults(handler=cmd_user_reset_password)
    p = users.add_parser("list", help="liệt kê tài khoản")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_user_list)

    p = cli.sub.add_parser("passwd", help="đổi mật khẩu của chính mình")
    p.add_argument("--new-password", help="mật khẩu mới (không có: nhập khi được hỏi)")
    p.set_defaults(handler=cmd_passwd)

"""Commands that save the counter's forms as PDF files (`motcua print …`)."""

from collections.abc import Callable
from pathlib import Path

from app.cli.base import CommandLine, Context, parse_date, write_file_atomically


def _cmd_print_form(form: str) -> Callable[[Context], int]:
    def run(ctx: Context) -> int:
        from app.permissions import Permission
        from app.printlog import record_print
        from printing.dossier_forms import Form, render_for

        actor = ctx.actor()
        actor.require(Permission.PRINT)
        with ctx.store.read() as session:
            pdf = render_for(session, ctx.args.code, form)
        out = Path(ctx.args.out)
        write_file_atomically(out, pdf)
        record_print(ctx.store, actor, ctx.args.code, form, str(out))
        print(f"Đã lưu {Form(form).label.lower()} của hồ sơ {ctx.args.code} vào {out}")
        return 0

    return run


def cmd_print_register(ctx: Context) -> int:
    from app.permissions import Permission
    from app.printlog import record_print
    from printing.dossier_forms import render_register_between

    actor = ctx.actor()
    actor.require(Permission.PRINT)
    with ctx.store.read() as session:
        pdf = render_register_between(session, ctx.args.date_from, ctx.args.date_to)
    out = Path(ctx.args.out)
    write_file_atomically(out, pdf)
    record_print(ctx.store, actor, None, "register", str(out))
    print(f"Đã lưu sổ theo dõi hồ sơ từ {ctx.args.date_from:%d/%m/%Y} đến {ctx.args.date_to:%d/%m/%Y} vào {out}")
    return 0


def register(cli: CommandLine) -> None:
    prn = cli.group("print", "in giấy tờ ra tệp PDF")
    for form, text in (("receipt", "giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"),
                       ("supplement", "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"),
                       ("refusal", "phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"),
                       ("extension", "văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)"),
                       ("stop", "thông báo dừng giải quyết hồ sơ (mẫu 05)"),
                       ("control", "phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)"),
                       ("fee", "biên lai thu tiền phí, lệ phí")):
        p = prn.add_parser(form, help=text)
        p.add_argument("code")
        p.add_argument("--out", required=True)
        p.set_defaults(handler=_cmd_print_form(form))
    p = prn.add_parser("register", help="sổ theo dõi hồ sơ (mẫu 07) theo khoảng ngày nhận")
    p.add_argument("--from", dest="date_from", type=parse_date, required=True)
    p.add_argument("--to", dest="date_to", type=parse_date, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_print_register)
    from printing.report_cli import add_print_daily

    add_print_daily(prn)

"""`motcua report`: a period report as JSON, an Excel workbook or a PDF (`motcua print daily` is in printing.cli)."""

import json
import sys
from pathlib import Path

from app.cli.base import CommandLine, Context, parse_date, write_file_atomically


def _counter(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"số quầy '{value}' phải là một số") from None
    if not 1 <= number <= 99:
        raise argparse.ArgumentTypeError("số quầy phải từ 1 đến 99")
    return number


def cmd_report(ctx: Context) -> int:
    from app.reports.output_log import record_report_output
    from printing.form07 import period_text
    from printing.period_report import build_period_with_place, render_period

    actor = ctx.actor()
    args = ctx.args
    report, place = build_period_with_place(ctx.store, actor, args.date_from, args.date_to, args.counter)
    period = period_text(args.date_from, args.date_to)
    if args.xlsx:
        from printing.xlsx_report import period_workbook

        out = Path(args.xlsx)
        write_file_atomically(out, period_workbook(report))
        record_report_output(ctx.store, actor, "report-period", "xlsx", str(out), period, args.counter)
        print(f"Đã lưu báo cáo kỳ ({period.lower()}) vào {out}")
    elif args.pdf:
        out = Path(args.pdf)
        write_file_atomically(out, render_period(report, place))
        record_report_output(ctx.store, actor, "report-period", "pdf", str(out), period, args.counter)
        print(f"Đã lưu báo cáo kỳ ({period.lower()}) vào {out}")
    else:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        record_report_output(ctx.store, actor, "report-period", "json", "stdout", period, args.counter)
        sys.stdout.write(text + "\n")
    return 0


def cmd_print_daily(ctx: Context) -> int:
    from app.reports.output_log import record_report_output
    from printing.daily_report import daily_pdf

    actor = ctx.actor()
    _report, pdf = daily_pdf(ctx.store, actor, ctx.args.date, ctx.args.counter)
    out = Path(ctx.args.out)
    write_file_atomically(out, pdf)
    record_report_output(ctx.store, actor, "report-daily", "pdf", str(out), ctx.args.date.isoformat(),
                         ctx.args.counter)
    print(f"Đã lưu báo cáo ngày {ctx.args.date:%d/%m/%Y} vào {out}")
    return 0


def add_print_daily(prn: object) -> None:
    """`motcua print daily`, added to the shared `print` group by printing.cli.register."""
    p = prn.add_parser("daily", help="báo cáo ngày (A4, ký và lưu) của cả cơ quan hoặc một quầy")  # type: ignore[attr-defined]
    p.add_argument("--date", type=parse_date, required=True)
    p.add_argument("--counter", type=_counter, help="chỉ các hồ sơ tiếp nhận tại quầy số N")
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_print_daily)


def register(cli: CommandLine) -> None:
    p = cli.sub.add_parser("report", help="báo cáo kỳ theo tháng, lĩnh vực, thủ tục (JSON, Excel hoặc PDF)")
    p.add_argument("--from", dest="date_from", type=parse_date, required=True)
    p.add_argument("--to", dest="date_to", type=parse_date, required=True)
    p.add_argument("--counter", type=_counter, help="chỉ các hồ sơ tiếp nhận tại quầy số N")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="in mọi số liệu ra màn hình dạng JSON (mặc định)")
    out.add_argument("--xlsx", metavar="TỆP", help="lưu thành tệp Excel (.xlsx)")
    out.add_argument("--pdf", metavar="TỆP", help="lưu thành tệp PDF khổ A4 ngang")
    p.set_defaults(handler=cmd_report)

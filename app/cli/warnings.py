"""`motcua warnings`: the early-warning lists of the window's dashboard, on the command line."""

from typing import Any

from app.cli.base import CommandLine, Context, parse_moment, print_json


def warnings_payload(warnings: Any) -> dict[str, Any]:
    from app.serialize import iso

    return {
        "now": iso(warnings.now),
        "counter": warnings.counter,
        "supplement_days": warnings.supplement_days,
        "uncollected_days": warnings.uncollected_days,
        "lists": {
            lst.kind: {
                "title": lst.title,
                "total": lst.total,
                "lines": [{"code": line.code, "owner_name": line.owner_name, "procedure_code": line.procedure_code,
                           "procedure_name": line.procedure_name, "counter_number": line.counter_number,
                           "status": line.status, "step": line.step, "due_at": iso(line.due_at),
                           "since": iso(line.since), "working_minutes": int(line.working_time.total_seconds() // 60),
                           "text": line.text} for line in lst.lines],
            } for lst in warnings.lists()
        },
    }


def cmd_warnings(ctx: Context) -> int:
    from app.early_warning import early_warnings
    from app.worktime import AGENCY_TZ

    a = ctx.args
    with ctx.store.read() as session:
        warnings = early_warnings(session, a.now, counter=a.counter, supplement_days=a.supplement_days,
                                  uncollected_days=a.uncollected_days, limit=a.limit)
    if a.json:
        print_json(warnings_payload(warnings))
        return 0
    where = "toàn cơ quan" if warnings.counter is None else f"quầy số {warnings.counter}"
    print(f"CẢNH BÁO HẠN XỬ LÝ — {where} — lúc {warnings.now.astimezone(AGENCY_TZ):%H:%M %d/%m/%Y}")
    for lst in warnings.lists():
        print()
        print(f"{lst.title.upper()}: {lst.total} hồ sơ")
        if not lst.lines:
            print("  Không có hồ sơ nào.")
            continue
        for line in lst.lines:
            due = f"{line.due_at.astimezone(AGENCY_TZ):%H:%M %d/%m/%Y}" if line.due_at else "—"
            print(f"  {line.code:<26} {line.owner_name:<24} hẹn {due}  {line.text}  [{line.step}]")
            print(f"  {'':<26} {line.procedure_code} {line.procedure_name}")
        if lst.total > len(lst.lines):
            print(f"  … và {lst.total - len(lst.lines)} hồ sơ khác (xem trong cửa sổ Tra cứu hồ sơ).")
    return 0


def register(cli: CommandLine) -> None:
    p = cli.sub.add_parser("warnings", help="cảnh báo hạn xử lý: quá hạn, đến hạn, chờ bổ sung, chưa trả kết quả")
    p.add_argument("--counter", type=int, help="chỉ hồ sơ của quầy này (mặc định: toàn cơ quan)")
    p.add_argument("--now", type=parse_moment, help="tính tại thời điểm này (YYYY-MM-DDTHH:MM, giờ Việt Nam)")
    p.add_argument("--supplement-days", type=int, help="chờ bổ sung quá bao nhiêu ngày làm việc (mặc định: cài đặt)")
    p.add_argument("--uncollected-days", type=int, help="có kết quả chưa trả quá bao nhiêu ngày làm việc "
                                                        "(mặc định: cài đặt)")
    p.add_argument("--limit", type=int, default=50, help="số dòng tối đa mỗi danh sách (mặc định 50)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_warnings)

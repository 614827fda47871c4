"""Commands that set up the counter: first start, catalog, calendar, settings."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.cli.base import CommandLine, Context, parse_date, print_json


def cmd_init(ctx: Context) -> int:
    from app.bootstrap import initialise_counter
    from app.profile import CounterSetup
    from models.enums import AgencyLevel

    a = ctx.args
    setup = CounterSetup(
        agency_code=a.agency_code, agency_name=a.agency_name, parent_name=a.parent_name,
        level=AgencyLevel(a.level), counter_number=a.counter, admin_username=a.admin_user,
        admin_full_name=a.admin_name or "Quản trị viên", admin_password=a.admin_password,
        agency_address=a.agency_address or "")
    catalog_file = None if a.no_sample_catalog else (Path(a.catalog) if a.catalog else _sample_catalog())
    initialise_counter(ctx.store, setup, catalog_file)
    print(f"Đã thiết lập quầy số {a.counter} của {setup.agency_name} ({setup.agency_code.upper()}) "
          f"tại {ctx.store.data_dir}.")
    return 0


def _sample_catalog() -> Path:
    from app.bootstrap import SAMPLE_CATALOG

    return SAMPLE_CATALOG


def cmd_catalog_import(ctx: Context) -> int:
    from app import catalog

    actor = ctx.actor()
    path = Path(ctx.args.file)
    specs = catalog.read_catalog_file(path)
    with ctx.store.write() as session:
        report = catalog.apply_catalog(session, actor, specs, source=path.name)
    print(f"Đã nhập {len(specs)} thủ tục: {report.created} mới, {report.updated} cập nhật.")
    return 0


def cmd_catalog_list(ctx: Context) -> int:
    from app import catalog

    with ctx.store.read() as session:
        specs = catalog.list_procedures(session)
    if ctx.args.json:
        print_json({"procedures": [catalog.spec_to_json(s) for s in specs]})
    else:
        for spec in specs:
            print(f"{spec.code:<14} {spec.field_name:<22.22} {spec.name}")
    return 0


def cmd_catalog_search(ctx: Context) -> int:
    from app import catalog

    with ctx.store.read() as session:
        hits = catalog.search_procedures(session, ctx.args.text, limit=ctx.args.limit)
    if ctx.args.json:
        print_json([hit.__dict__ for hit in hits])
    else:
        for hit in hits:
            print(f"{hit.code:<14} {hit.name}")
    return 0


def _cmd_calendar_add(kind: str) -> Callable[[Context], int]:
    def run(ctx: Context) -> int:
        from app.calendar_store import add_override
        from models.enums import DayKind

        actor = ctx.actor()
        with ctx.store.write() as session:
            add_override(session, actor, ctx.args.date, DayKind(kind), ctx.args.name)
        label = "ngày nghỉ" if kind == "holiday" else "ngày làm việc"
        print(f"Đã ghi {ctx.args.date:%d/%m/%Y} là {label}: {ctx.args.name}")
        return 0

    return run


def cmd_calendar_list(ctx: Context) -> int:
    from app.calendar_store import year_days_off

    with ctx.store.read() as session:
        lines = year_days_off(session, ctx.args.year)
    if ctx.args.json:
        print_json([{"date": d.isoformat(), "kind": k, "name": n} for d, k, n in lines])
    else:
        for day, kind, name in lines:
            print(f"{day:%d/%m/%Y}  {'nghỉ     ' if kind == 'holiday' else 'làm việc '} {name}")
    return 0


def cmd_settings_list(ctx: Context) -> int:
    from app import settings

    with ctx.store.read() as session:
        values = {d.key: (d.label, d.get(session)) for d in settings.ALL}
    if ctx.args.json:
        print_json({key: value for key, (_, value) in values.items()})
    else:
        for key, (label, value) in values.items():
            print(f"{key:<24} {value!s:<28} {label}")
    return 0


def cmd_settings_set(ctx: Context) -> int:
    from app import settings

    actor = ctx.actor()
    with ctx.store.write() as session:
        value = settings.change(session, actor, ctx.args.key, ctx.args.value)
    print(f"Đã đặt {ctx.args.key} = {value}")
    return 0


def register(cli: CommandLine) -> None:
    p = cli.sub.add_parser("init", help="thiết lập quầy lần đầu")
    p.add_argument("--agency-code", required=True)
    p.add_argument("--agency-name", required=True)
    p.add_argument("--parent-name", required=True)
    p.add_argument("--agency-address")
    p.add_argument("--level", choices=["province", "district", "commune"], default="commune")
    p.add_argument("--counter", type=int, required=True)
    p.add_argument("--admin-user", required=True)
    p.add_argument("--admin-name", help="họ và tên quản trị viên")
    p.add_argument("--admin-password", required=True)
    p.add_argument("--catalog", help="tệp danh mục thủ tục (mặc định: danh mục mẫu)")
    p.add_argument("--no-sample-catalog", action="store_true")
    p.set_defaults(handler=cmd_init)

    cat = cli.group("catalog", "danh mục thủ tục hành chính")
    p = cat.add_parser("import", help="nhập danh mục từ tệp JSON")
    p.add_argument("file")
    p.set_defaults(handler=cmd_catalog_import)
    p = cat.add_parser("list", help="liệt kê danh mục")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_catalog_list)
    p = cat.add_parser("search", help="tìm thủ tục (không phân biệt dấu)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_catalog_search)

    cal = cli.group("calendar", "lịch làm việc")
    for name, kind, text in (("add-holiday", "holiday", "thêm ngày nghỉ"), ("add-workday", "workday",
                                                                            "thêm ngày làm bù")):
        p = cal.add_parser(name, help=text)
        p.add_argument("date", type=parse_date)
        p.add_argument("name")
        p.set_defaults(handler=_cmd_calendar_add(kind))
    p = cal.add_parser("list", help="ngày nghỉ và ngày làm bù trong năm")
    p.add_argument("--year", type=int, default=date.today().year)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_calendar_list)

    st = cli.group("settings", "cài đặt của quầy")
    p = st.add_parser("list", help="xem các cài đặt")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings_list)
    p = st.add_parser("set", help="đổi một cài đặt (quản trị viên)")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(handler=cmd_settings_set)

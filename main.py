"""Quầy Một cửa: composition root and command line.

`motcua` with no command opens the window; every other command runs headless
on the same use cases in `app/`, so the counter can be scripted and tested
without a display.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import CounterError, describe_environment_error
from app.paths import resolve_data_dir

USER_ENV = "MOTCUA_USER"
PASSWORD_ENV = "MOTCUA_PASSWORD"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD") from None


def _parse_moment(text: str) -> datetime:
    """ISO date-time; without a zone it is the agency's local time."""
    from app.worktime import AGENCY_TZ

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"thời điểm '{text}' không đúng dạng YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=AGENCY_TZ)


# --- context ---------------------------------------------------------------


class Context:
    def __init__(self, args: argparse.Namespace):
        from app.bootstrap import open_store

        self.args = args
        self.store = open_store(resolve_data_dir(args.data_dir))

    def actor(self) -> Any:
        """Who runs this command: --user / MOTCUA_USER (checked against MOTCUA_PASSWORD when set)."""
        from app.permissions import Actor
        from app.profile import load_profile
        from app.users import actor_for, authenticate, find_user, first_admin

        username = self.args.user or os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        with self.store.read() as session:
            load_profile(session)
            if username and password is not None:
                actor: Actor = authenticate(session, username, password)
                return actor
            user = find_user(session, username) if username else first_admin(session)
            if user is None or not user.active:
                raise CounterError(f"Không có tài khoản đang hoạt động '{username or 'quản trị'}'.")
            return actor_for(user)


# --- commands --------------------------------------------------------------


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
        _print_json({"procedures": [catalog.spec_to_json(s) for s in specs]})
    else:
        for spec in specs:
            print(f"{spec.code:<14} {spec.field_name:<22.22} {spec.name}")
    return 0


def cmd_catalog_search(ctx: Context) -> int:
    from app import catalog

    with ctx.store.read() as session:
        hits = catalog.search_procedures(session, ctx.args.text, limit=ctx.args.limit)
    if ctx.args.json:
        _print_json([hit.__dict__ for hit in hits])
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
        _print_json([{"date": d.isoformat(), "kind": k, "name": n} for d, k, n in lines])
    else:
        for day, kind, name in lines:
            print(f"{day:%d/%m/%Y}  {'nghỉ     ' if kind == 'holiday' else 'làm việc '} {name}")
    return 0


def _documents_arg(text: str | None, spec: Any) -> tuple[list[Any], bool]:
    """`all`, or names / 1-based numbers separated by ';'. Returns (documents, everything_ticked)."""
    from app.intake import DocumentReceived, all_documents
    from app.textfold import fold

    if not text:
        return [], False
    if text.strip().lower() == "all":
        return all_documents(spec), True
    chosen = []
    for item in (part.strip() for part in text.split(";") if part.strip()):
        if item.isdigit() and 1 <= int(item) <= len(spec.documents):
            position = int(item) - 1
        else:
            matches = [i for i, d in enumerate(spec.documents) if fold(d.name) == fold(item)]
            if not matches:
                raise CounterError(f"Thủ tục {spec.code} không có giấy tờ '{item}'.")
            position = matches[0]
        doc = spec.documents[position]
        chosen.append(DocumentReceived(position, doc.originals, doc.certified_copies, doc.copies))
    return chosen, False


def cmd_receive(ctx: Context) -> int:
    from app.catalog import get_procedure
    from app.intake import IntakeRequest, PersonInput, receive
    from app.serialize import iso
    from app.worktime import format_vn_moment
    from models.enums import CollectionMethod, SubjectType

    a = ctx.args
    actor = ctx.actor()
    with ctx.store.read() as session:
        _, spec = get_procedure(session, a.procedure)
    documents, _ = _documents_arg(a.documents, spec)
    submitter = PersonInput(full_name=a.submitter_name, id_number=a.submitter_id or "") if a.submitter_name else None
    request = IntakeRequest(
        procedure_code=a.procedure,
        owner=PersonInput(full_name=a.owner_name, id_number=a.owner_id, dob=a.dob, phone=a.phone or "",
                          email=a.email or "", address=a.address or ""),
        subject_type=SubjectType(a.subject_type), submitter=submitter, sets=a.sets,
        collection=CollectionMethod.POST if a.post_to else CollectionMethod.COUNTER,
        collection_address=a.post_to or "", note=a.note or "", received_at=a.received_at,
        documents=documents,
        # Headless intake cannot ask; it records the gap and says so on stderr.
        accept_missing_required=True,
    )
    result = receive(ctx.store, actor, request)
    if result.missing_required:
        print("Lưu ý: hồ sơ thiếu giấy tờ bắt buộc: " + "; ".join(result.missing_required), file=sys.stderr)
    if a.json:
        _print_json({"code": result.code, "status": int(result.status), "received_at": iso(result.received_at),
                     "due_at": iso(result.due_at), "procedure_code": result.procedure_code})
    else:
        due = format_vn_moment(result.due_at) if result.due_at else "giải quyết ngay"
        print(f"Đã tiếp nhận hồ sơ {result.code}. Hẹn trả: {due}.")
    return 0


def cmd_lookup(ctx: Context) -> int:
    from app.dossiers import find_by_code
    from app.serialize import dossier_payload
    from app.worktime import format_vn_moment

    with ctx.store.read() as session:
        record = find_by_code(session, ctx.args.code)
    data = dossier_payload(record.dossier, record.documents, record.events)
    if ctx.args.json:
        _print_json(data)
    else:
        d = record.dossier
        due = format_vn_moment(d.due_at) if d.due_at else "giải quyết ngay"
        print(f"{d.code}  {data['status_label']}\n  Chủ hồ sơ: {d.owner_name}\n  Thủ tục: {d.procedure_name}\n"
              f"  Tiếp nhận: {format_vn_moment(d.received_at)}\n  Hẹn trả: {due}")
    return 0


def cmd_act(ctx: Context) -> int:
    from app.lifecycle import Action, StepRequest, perform
    from app.serialize import dossier_payload
    from app.worktime import format_vn_moment
    from models.enums import DossierStatus

    a = ctx.args
    actor = ctx.actor()
    request = StepRequest(
        action=Action(a.action), at=a.at, reason=a.reason or "",
        documents=[d.strip() for d in (a.documents or "").split(";") if d.strip()], new_due=a.new_due,
        receiver_name=a.receiver_name or "", receiver_id=a.receiver_id or "", satisfaction=a.satisfaction,
        legal_basis=a.legal_basis or "", processing_body=a.to or "", note=a.note or "")
    record = perform(ctx.store, actor, a.code, request)
    if a.json:
        _print_json(dossier_payload(record.dossier, record.documents, record.events))
    else:
        d = record.dossier
        due = format_vn_moment(d.due_at) if d.due_at else "không có hẹn"
        print(f"{d.code}: {Action(a.action).label} — trạng thái mới: {DossierStatus(d.status).label}; hẹn trả: {due}")
    return 0


def cmd_settings_list(ctx: Context) -> int:
    from app import settings

    with ctx.store.read() as session:
        values = {d.key: (d.label, d.get(session)) for d in settings.ALL}
    if ctx.args.json:
        _print_json({key: value for key, (_, value) in values.items()})
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


def cmd_pay(ctx: Context) -> int:
    from app import fees
    from models.enums import PaymentKind, PaymentMethod

    a = ctx.args
    actor = ctx.actor()
    payment = fees.record(ctx.store, actor, a.code, fees.PaymentRequest(
        kind=PaymentKind(a.kind), amount=a.amount, method=PaymentMethod(a.method), payer=a.payer or "",
        note=a.note or ""))
    if a.json:
        _print_json({"id": payment.id, "kind": payment.kind, "amount": payment.amount,
                     "receipt_number": payment.receipt_number, "method": payment.method})
    else:
        receipt = f", biên lai số {payment.receipt_number}" if payment.receipt_number else ""
        amount = f"{payment.amount:,}".replace(",", ".")
        print(f"Đã ghi {amount} đồng cho hồ sơ {a.code}{receipt}.")
    return 0


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
        _write_file_atomically(out, pdf)
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
    _write_file_atomically(out, pdf)
    record_print(ctx.store, actor, None, "register", str(out))
    print(f"Đã lưu sổ theo dõi hồ sơ từ {ctx.args.date_from:%d/%m/%Y} đến {ctx.args.date_to:%d/%m/%Y} vào {out}")
    return 0


def _write_file_atomically(path: Path, data: bytes) -> None:
    """A power cut while saving leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CounterError(f"Không ghi được tệp {path}: {error.strerror or error}.") from None


# --- search and demo commands ---------------------------------------------


def cmd_search(ctx: Context) -> int:
    from app.search import search_dossiers
    from app.serialize import iso
    from models.enums import DossierStatus

    a = ctx.args
    with ctx.store.read() as session:
        found = search_dossiers(session, a.text, status=a.status, limit=a.limit)
    if a.json:
        _print_json([{"code": d.code, "status": d.status, "received_at": iso(d.received_at), "due_at": iso(d.due_at),
                      "owner_name": d.owner_name, "procedure_code": d.procedure_code} for d in found])
    elif not found:
        print("Không tìm thấy hồ sơ nào.")
    else:
        for d in found:
            print(f"{d.code}  {DossierStatus(d.status).label:<24.24}  {d.owner_name:<28.28}  {d.procedure_code}")
    return 0


def cmd_demo_seed(ctx: Context) -> int:
    from app import demo
    from app.permissions import Permission

    def number(value: float) -> str:  # 1.000.000 as written in Vietnamese
        return f"{value:,.0f}".replace(",", ".")

    a = ctx.args
    ctx.actor().require(Permission.MANAGE_SETTINGS)
    if not a.json:
        print(f"Đang tạo {number(a.dossiers)} hồ sơ mẫu trong {a.days} ngày gần đây…", file=sys.stderr)
    report = demo.seed(ctx.store, a.dossiers, a.days, seed=a.seed)
    if a.json:
        _print_json(report.as_json())
    else:
        seconds = f"{report.seconds:.1f}".replace(".", ",")
        print(f"Đã tạo {number(report.dossiers)} hồ sơ mẫu ({number(report.events)} bước xử lý) trong "
              f"{report.working_days} ngày làm việc, mất {seconds} giây: {number(report.dossiers_per_second)} "
              f"hồ sơ/giây, {number(report.rows_per_second)} dòng/giây.")
    return 0


# --- end of search and demo commands ---------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.application import run_gui

    return run_gui(resolve_data_dir(args.data_dir))


# --- parser ----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motcua", description="Quầy Một cửa — tiếp nhận và trả kết quả hồ sơ.")
    parser.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng, "
                                           "hoặc biến MOTCUA_DATA_DIR)")
    parser.add_argument("--user", help=f"tài khoản thực hiện lệnh (hoặc biến {USER_ENV})")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    sub.add_parser("gui", help="mở cửa sổ ứng dụng (mặc định)")

    p = sub.add_parser("init", help="thiết lập quầy lần đầu")
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

    cat = sub.add_parser("catalog", help="danh mục thủ tục hành chính").add_subparsers(dest="action", required=True)
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

    cal = sub.add_parser("calendar", help="lịch làm việc").add_subparsers(dest="action", required=True)
    for name, kind, text in (("add-holiday", "holiday", "thêm ngày nghỉ"), ("add-workday", "workday",
                                                                            "thêm ngày làm bù")):
        p = cal.add_parser(name, help=text)
        p.add_argument("date", type=_parse_date)
        p.add_argument("name")
        p.set_defaults(handler=_cmd_calendar_add(kind))
    p = cal.add_parser("list", help="ngày nghỉ và ngày làm bù trong năm")
    p.add_argument("--year", type=int, default=date.today().year)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_calendar_list)

    p = sub.add_parser("receive", help="tiếp nhận một hồ sơ")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--owner-name", required=True)
    p.add_argument("--owner-id", required=True, help="số CCCD/CMND/hộ chiếu")
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--address")
    p.add_argument("--dob", type=_parse_date)
    p.add_argument("--subject-type", type=int, choices=[1, 2, 3, 4], default=1)
    p.add_argument("--submitter-name")
    p.add_argument("--submitter-id")
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--post-to", help="trả kết quả qua bưu chính đến địa chỉ này")
    p.add_argument("--note")
    p.add_argument("--received-at", type=_parse_moment, help="thời điểm tiếp nhận thực tế (nhập bù)")
    p.add_argument("--documents", help="'all', hoặc tên/số thứ tự giấy tờ cách nhau bởi ';'")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_receive)

    p = sub.add_parser("lookup", help="tra cứu hồ sơ theo mã")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_lookup)

    p = sub.add_parser("act", help="thực hiện một bước xử lý hồ sơ")
    p.add_argument("code")
    p.add_argument("action", choices=["forward", "request-supplement", "supplemented", "refuse", "request-payment",
                                      "ready", "return", "withdraw", "stop", "extend"])
    p.add_argument("--reason")
    p.add_argument("--documents", help="giấy tờ cần bổ sung, cách nhau bởi ';'")
    p.add_argument("--new-due", type=_parse_moment, help="ngày giờ hẹn trả mới (gia hạn)")
    p.add_argument("--receiver-name")
    p.add_argument("--receiver-id")
    p.add_argument("--satisfaction", type=int, choices=[1, 2, 3], help="1 hài lòng, 2 chấp nhận được, 3 không hài lòng")
    p.add_argument("--legal-basis")
    p.add_argument("--to", help="cơ quan xử lý")
    p.add_argument("--note")
    p.add_argument("--at", type=_parse_moment, help="thời điểm thực hiện (mặc định: bây giờ)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_act)

    st = sub.add_parser("settings", help="cài đặt của quầy").add_subparsers(dest="action", required=True)
    p = st.add_parser("list", help="xem các cài đặt")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings_list)
    p = st.add_parser("set", help="đổi một cài đặt (quản trị viên)")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(handler=cmd_settings_set)

    p = sub.add_parser("pay", help="ghi thu phí, lệ phí (hoặc miễn giảm, hoàn trả) cho hồ sơ")
    p.add_argument("code")
    p.add_argument("--amount", type=int, required=True)
    p.add_argument("--kind", choices=["payment", "exemption", "refund"], default="payment")
    p.add_argument("--method", choices=["cash", "bank_transfer", "online"], default="cash")
    p.add_argument("--payer")
    p.add_argument("--note", help="lý do (bắt buộc khi miễn giảm hoặc hoàn trả)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_pay)

    prn = sub.add_parser("print", help="in giấy tờ ra tệp PDF").add_subparsers(dest="form", required=True)
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
    p.add_argument("--from", dest="date_from", type=_parse_date, required=True)
    p.add_argument("--to", dest="date_to", type=_parse_date, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_print_register)

    # search and demo parsers
    p = sub.add_parser("search", help="tìm hồ sơ theo mã, số giấy tờ, điện thoại hoặc họ tên (không cần dấu)")
    p.add_argument("text")
    p.add_argument("--status", type=int, action="append", choices=range(1, 11), metavar="N",
                   help="chỉ hồ sơ ở trạng thái này (mã 1–10; có thể lặp lại)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    demo_commands = sub.add_parser("demo", help="dữ liệu mẫu để trình diễn và đo hiệu năng").add_subparsers(
        dest="action", required=True)
    p = demo_commands.add_parser("seed", help="thêm hồ sơ mẫu (chỉ dùng trên thư mục dữ liệu thử)")
    p.add_argument("--dossiers", type=int, required=True)
    p.add_argument("--days", type=int, default=365, help="rải đều trong bấy nhiêu ngày gần đây (mặc định 365)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_demo_seed)
    # end of search and demo parsers
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return cmd_gui(args)
    try:
        return int(args.handler(Context(args)))
    except CounterError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        message = describe_environment_error(error)
        if message is None:
            raise
        print(f"Lỗi: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

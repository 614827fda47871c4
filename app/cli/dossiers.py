"""Commands on dossiers: intake, lookup, steps, fees, search, demo data."""

import sys
from typing import Any

from app.cli.base import CommandLine, Context, parse_date, parse_moment, print_json
from app.errors import CounterError


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
        print_json({"code": result.code, "status": int(result.status), "received_at": iso(result.received_at),
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
        print_json(data)
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
        print_json(dossier_payload(record.dossier, record.documents, record.events))
    else:
        d = record.dossier
        due = format_vn_moment(d.due_at) if d.due_at else "không có hẹn"
        print(f"{d.code}: {Action(a.action).label} — trạng thái mới: {DossierStatus(d.status).label}; hẹn trả: {due}")
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
        print_json({"id": payment.id, "kind": payment.kind, "amount": payment.amount,
                     "receipt_number": payment.receipt_number, "method": payment.method})
    else:
        receipt = f", biên lai số {payment.receipt_number}" if payment.receipt_number else ""
        amount = f"{payment.amount:,}".replace(",", ".")
        print(f"Đã ghi {amount} đồng cho hồ sơ {a.code}{receipt}.")
    return 0


def cmd_search(ctx: Context) -> int:
    from app.search import search_dossiers
    from app.serialize import iso
    from models.enums import DossierStatus

    a = ctx.args
    with ctx.store.read() as session:
        found = search_dossiers(session, a.text, status=a.status, limit=a.limit)
    if a.json:
        print_json([{"code": d.code, "status": d.status, "received_at": iso(d.received_at), "due_at": iso(d.due_at),
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
        print_json(report.as_json())
    else:
        seconds = f"{report.seconds:.1f}".replace(".", ",")
        print(f"Đã tạo {number(report.dossiers)} hồ sơ mẫu ({number(report.events)} bước xử lý) trong "
              f"{report.working_days} ngày làm việc, mất {seconds} giây: {number(report.dossiers_per_second)} "
              f"hồ sơ/giây, {number(report.rows_per_second)} dòng/giây.")
    return 0


def register(cli: CommandLine) -> None:
    p = cli.sub.add_parser("receive", help="tiếp nhận một hồ sơ")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--owner-name", required=True)
    p.add_argument("--owner-id", required=True, help="số CCCD/CMND/hộ chiếu")
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--address")
    p.add_argument("--dob", type=parse_date)
    p.add_argument("--subject-type", type=int, choices=[1, 2, 3, 4], default=1)
    p.add_argument("--submitter-name")
    p.add_argument("--submitter-id")
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--post-to", help="trả kết quả qua bưu chính đến địa chỉ này")
    p.add_argument("--note")
    p.add_argument("--received-at", type=parse_moment, help="thời điểm tiếp nhận thực tế (nhập bù)")
    p.add_argument("--documents", help="'all', hoặc tên/số thứ tự giấy tờ cách nhau bởi ';'")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_receive)

    p = cli.sub.add_parser("lookup", help="tra cứu hồ sơ theo mã")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_lookup)

    p = cli.sub.add_parser("act", help="thực hiện một bước xử lý hồ sơ")
    p.add_argument("code")
    p.add_argument("action", choices=["forward", "request-supplement", "supplemented", "refuse", "request-payment",
                                      "ready", "return", "withdraw", "stop", "extend"])
    p.add_argument("--reason")
    p.add_argument("--documents", help="giấy tờ cần bổ sung, cách nhau bởi ';'")
    p.add_argument("--new-due", type=parse_moment, help="ngày giờ hẹn trả mới (gia hạn)")
    p.add_argument("--receiver-name")
    p.add_argument("--receiver-id")
    p.add_argument("--satisfaction", type=int, choices=[1, 2, 3], help="1 hài lòng, 2 chấp nhận được, 3 không hài lòng")
    p.add_argument("--legal-basis")
    p.add_argument("--to", help="cơ quan xử lý")
    p.add_argument("--note")
    p.add_argument("--at", type=parse_moment, help="thời điểm thực hiện (mặc định: bây giờ)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_act)

    p = cli.sub.add_parser("pay", help="ghi thu phí, lệ phí (hoặc miễn giảm, hoàn trả) cho hồ sơ")
    p.add_argument("code")
    p.add_argument("--amount", type=int, required=True)
    p.add_argument("--kind", choices=["payment", "exemption", "refund"], default="payment")
    p.add_argument("--method", choices=["cash", "bank_transfer", "online"], default="cash")
    p.add_argument("--payer")
    p.add_argument("--note", help="lý do (bắt buộc khi miễn giảm hoặc hoàn trả)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_pay)

    p = cli.sub.add_parser("search", help="tìm hồ sơ theo mã, số giấy tờ, điện thoại hoặc họ tên (không cần dấu)")
    p.add_argument("text")
    p.add_argument("--status", type=int, action="append", choices=range(1, 11), metavar="N",
                   help="chỉ hồ sơ ở trạng thái này (mã 1–10; có thể lặp lại)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    demo_commands = cli.group("demo", "dữ liệu mẫu để trình diễn và đo hiệu năng")
    p = demo_commands.add_parser("seed", help="thêm hồ sơ mẫu (chỉ dùng trên thư mục dữ liệu thử)")
    p.add_argument("--dossiers", type=int, required=True)
    p.add_argument("--days", type=int, default=365, help="rải đều trong bấy nhiêu ngày gần đây (mặc định 365)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_demo_seed)

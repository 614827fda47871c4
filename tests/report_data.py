"""A small hand-built history for the report tests, made through the real use cases.

Days (agency time, Asia/Ho_Chi_Minh): D1 = Mon 16/11/2026, D2 = Tue 17/11/2026; the
reports are made on D2 at 17:30. 24/11/2026 is a holiday, far enough away not to matter.
Office hours 07:00–11:30, 13:30–17:00 (8 working hours a day). Procedures:
P3 = 1.004873 (hộ tịch, 3 working days, fee 10.000), P2 = 2.001035 (chứng thực, 2 working
days, fee 50.000), P0 = 2.000884 (chứng thực, settled on the spot: no due date, fee 10.000).

  N  Sat 31/10 23:30 online  P3  due Wed 04/11 17:00                open (status 2)
  J  Mon 09/11 08:00 counter P2  due Wed 11/11 08:00  ready D2 11:00 (quá hạn), returned D2 11:30, rating 3
  K  Wed 11/11 09:00 counter P3  due Mon 16/11 09:00                open (status 2)
  I  Thu 12/11 09:00 counter P3  due Tue 17/11 09:00  forwarded 12/11 10:00 (status 4)
  M  Thu 12/11 10:00 counter P2  due Mon 16/11 10:00  ready D1 08:30 (đúng hạn: the due day, before 10:00)
  L  D1 07:30 counter P3  due Thu 19/11 07:30, extended D2 14:00 to Mon 23/11 17:00   open (status 2)
  A  D1 08:00 counter P3  due Thu 19/11 08:00  paid cash D1 08:05 (receipt 0000001/2026), forwarded D1 09:00,
                                               ready D2 10:00 (trước hạn), returned D2 10:30, rating 1
  B  D1 09:00 counter P0  no due              paid transfer D1 09:05 (0000002/2026), ready D1 09:10 (đúng hạn),
                                               returned D1 09:20, rating 2
  C  D1 10:00 counter P2  due Wed 18/11 10:00; supplement asked D1 14:00, given D2 08:00 (paused 14:00–17:00 D1
                          + 07:00–08:00 D2 = 4 h) → due Wed 18/11 16:00; paid online D2 08:10 (0000003/2026)
  D  D1 11:00 counter P3  refused D1 14:30
  E  D1 13:45 counter P3  forwarded D1 15:00, withdrawn D2 09:00
  F  D1 23:30 online  P3  (= 16:30 UTC) due Thu 19/11 17:00, forwarded D2 08:00 (status 4)
  G  D2 06:30 online  P3  (= 23:30 UTC on D1) due Thu 19/11 17:00   open (status 2)
  H  D2 08:30 postal  P0  paid cash D2 08:35 (0000004/2026), ready D2 09:00, refund 5.000 D2 09:30;
                          result not yet collected
"""

from collections.abc import Callable
from datetime import date, datetime

from app import fees
from app.catalog import get_procedure
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor
from app.worktime import AGENCY_TZ
from models.enums import Channel, PaymentKind, PaymentMethod

P3, P2, P0 = "1.004873", "2.001035", "2.000884"
D1, D2 = date(2026, 11, 16), date(2026, 11, 17)
NOW = datetime(2026, 11, 17, 17, 30, tzinfo=AGENCY_TZ)
NAMES = {"N": "Nguyễn Văn Nam", "J": "Trần Thị Giang", "K": "Lê Văn Khánh", "I": "Phạm Thị Yến",
         "M": "Hoàng Văn Minh", "L": "Vũ Thị Lan", "A": "Đặng Văn An", "B": "Bùi Thị Bích", "C": "Đỗ Văn Cường",
         "D": "Hồ Thị Dung", "E": "Ngô Văn Em", "F": "Dương Thị Phương", "G": "Lý Văn Giáp", "H": "Mai Thị Hà"}


def vn(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AGENCY_TZ)


def build(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> dict[str, str]:
    """Make the history above in time order; returns the dossier codes by letter."""
    codes: dict[str, str] = {}

    def rx(letter: str, when: datetime, procedure: str, channel: Channel = Channel.COUNTER) -> None:
        set_now(when)
        with store.read() as session:
            _, spec = get_procedure(session, procedure)
        codes[letter] = receive(store, admin, IntakeRequest(
            procedure_code=procedure, owner=PersonInput(full_name=NAMES[letter], id_number="001190001234"),
            documents=all_documents(spec), channel=channel)).code

    def step(letter: str, when: datetime, action: Action, **details: object) -> None:
        set_now(when)
        perform(store, admin, codes[letter], StepRequest(action, **details))  # type: ignore[arg-type]

    def pay(letter: str, when: datetime, amount: int, method: PaymentMethod = PaymentMethod.CASH,
            kind: PaymentKind = PaymentKind.PAYMENT) -> None:
        set_now(when)
        fees.record(store, admin, codes[letter], fees.PaymentRequest(
            kind, amount, method, note="" if kind is PaymentKind.PAYMENT else "Thu thừa"))

    rx("N", vn(10, 31, 23, 30), P3, Channel.ONLINE)
    rx("J", vn(11, 9, 8, 0), P2)
    rx("K", vn(11, 11, 9, 0), P3)
    rx("I", vn(11, 12, 9, 0), P3)
    step("I", vn(11, 12, 10, 0), Action.FORWARD)
    rx("M", vn(11, 12, 10, 0), P2)
    # D1
    rx("L", vn(11, 16, 7, 30), P3)
    rx("A", vn(11, 16, 8, 0), P3)
    pay("A", vn(11, 16, 8, 5), 10_000)
    step("M", vn(11, 16, 8, 30), Action.READY)
    step("A", vn(11, 16, 9, 0), Action.FORWARD)
    rx("B", vn(11, 16, 9, 0), P0)
    pay("B", vn(11, 16, 9, 5), 10_000, PaymentMethod.BANK_TRANSFER)
    step("B", vn(11, 16, 9, 10), Action.READY)
    step("B", vn(11, 16, 9, 20), Action.RETURN, satisfaction=2)
    rx("C", vn(11, 16, 10, 0), P2)
    rx("D", vn(11, 16, 11, 0), P3)
    rx("E", vn(11, 16, 13, 45), P3)
    step("C", vn(11, 16, 14, 0), Action.REQUEST_SUPPLEMENT, documents=["Bản sao hợp đồng"], reason="Thiếu giấy tờ")
    step("D", vn(11, 16, 14, 30), Action.REFUSE, reason="Không thuộc thẩm quyền")
    step("E", vn(11, 16, 15, 0), Action.FORWARD)
    rx("F", vn(11, 16, 23, 30), P3, Channel.ONLINE)
    # D2
    rx("G", vn(11, 17, 6, 30), P3, Channel.ONLINE)
    step("C", vn(11, 17, 8, 0), Action.SUPPLEMENTED)
    step("F", vn(11, 17, 8, 0), Action.FORWARD)
    pay("C", vn(11, 17, 8, 10), 50_000, PaymentMethod.ONLINE)
    rx("H", vn(11, 17, 8, 30), P0, Channel.POSTAL)
    pay("H", vn(11, 17, 8, 35), 10_000)
    step("E", vn(11, 17, 9, 0), Action.WITHDRAW)
    step("H", vn(11, 17, 9, 0), Action.READY)
    pay("H", vn(11, 17, 9, 30), 5_000, kind=PaymentKind.REFUND)
    step("A", vn(11, 17, 10, 0), Action.READY)
    step("A", vn(11, 17, 10, 30), Action.RETURN, satisfaction=1)
    step("J", vn(11, 17, 11, 0), Action.READY)
    step("J", vn(11, 17, 11, 30), Action.RETURN, satisfaction=3)
    step("L", vn(11, 17, 14, 0), Action.EXTEND, reason="Chờ xác minh", new_due=vn(11, 23, 17, 0))
    set_now(NOW)
    return codes

"""Report figures against a hand-built history (tests/report_data.py) whose answers are worked out here.

The whole history is built and reported with the machine's clock zone set to UTC and to New
York: the agency's days (Asia/Ho_Chi_Minh) must not move with it.
"""

import json
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.db import Store
from app.errors import PermissionDenied
from app.permissions import Actor
from app.reports.common import ReportCancelled
from app.reports.daily import build_daily
from app.reports.period import build_period
from app.users import actor_for, create_user
from models.enums import Role
from printing.daily_report import daily_pdf
from printing.period_report import period_pdf
from printing.xlsx_report import period_workbook
from tests import report_data as rd
from tests.cli_tools import motcua
from tests.pdf_tools import pdf_text, write

MACHINE_ZONES = ["UTC", "America/New_York"]


@pytest.fixture(params=MACHINE_ZONES)
def machine_tz(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def history(store: Store, admin: Actor, set_now) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return rd.build(store, admin, set_now)


def lines(items: list[dict[str, object]]) -> dict[object, object]:
    return {i["key"]: i["count"] for i in items}


def test_daily_figures_by_hand(machine_tz: str, store: Store, admin: Actor, history: dict[str, str]) -> None:
    r = build_daily(store, admin, rd.D2).to_dict()
    # Received on D2 (local day): G at 06:30 (= 23:30 UTC the day before) and H. F (23:30 on D1) is not here.
    assert r["received"]["total"] == 2
    assert lines(r["received"]["by_channel"]) == {"counter": 0, "online": 1, "postal": 1}
    assert lines(r["received"]["by_field"]) == {"HT": 1, "CT": 1}
    assert lines(r["received"]["by_procedure"]) == {rd.P3: 1, rd.P0: 1}
    # Steps on D2: forwarded F; returned A and J; withdrawn E; extended L; nothing refused or asked to supplement.
    assert r["steps"] == {"forwarded": 1, "returned": 2, "refused": 0, "withdrawn": 1,
                          "supplement_requested": 0, "extended": 1}
    # Due on D2: only I (due 17/11 09:00), still processing.
    assert r["due_today"] == {"total": 1, "with_result": 0, "ended_without_result": 0, "pending": 1}
    # Overdue at 17:30 D2, most late first. N: due 04/11, working days 05,06,09..13,16,17/11 = 9;
    # K: due 16/11 → 1 (17/11); I: due 17/11 09:00 → 0. C (paused earlier, now due 18/11) is not late.
    late = [(d["code"], d["days_late"], d["step"]) for d in r["overdue"]]
    assert late == [(history["N"], 9, "Được tiếp nhận"), (history["K"], 1, "Được tiếp nhận"),
                    (history["I"], 0, "Đang xử lý")]
    assert r["overdue"][0]["owner_name"] == rd.NAMES["N"]
    assert r["overdue"][0]["due_at"] == "2026-11-04T17:00:00+07:00"
    # Next working day 18/11: C, due 16:00 after its 4-hour pause.
    assert r["next_working_day"] == "2026-11-18"
    assert [(d["code"], d["due_at"]) for d in r["due_next_working_day"]] == [
        (history["C"], "2026-11-18T16:00:00+07:00")]
    # Results waiting: M (ready 16/11 08:30) and H (17/11 09:00).
    assert r["awaiting_collection"] == {"count": 2, "oldest_ready_at": "2026-11-16T08:30:00+07:00"}
    # Fees on D2: C online 50.000 (receipt 3), H cash 10.000 (receipt 4); refund 5.000 on H.
    by_method = {m["method"]: (m["count"], m["amount"], m["receipts"]) for m in r["fees"]["by_method"]}
    assert by_method == {"cash": (1, 10_000, ["0000004/2026"]), "bank_transfer": (0, 0, []),
                         "online": (1, 50_000, ["0000003/2026"])}
    assert (r["fees"]["collected"], r["fees"]["refunded"], r["fees"]["exempted"], r["fees"]["net"]) == (
        60_000, 5_000, 0, 55_000)
    # Results ready on D2: A early (due 19/11), H on time (settled on the spot), J late (due 11/11).
    assert r["on_time_day"] == {"finished": 3, "early": 1, "on_time": 1, "late": 1, "rate": 66.7}
    # 01–17/11 adds B (spot) and M (ready on its due day, 08:30 before 10:00): both on time.
    assert r["on_time_month"] == {"finished": 5, "early": 1, "on_time": 3, "late": 1, "rate": 80.0}
    # 14 working days ending 17/11 start on 29/10 (N came on a Saturday, so is in no bar).
    series = {s["day"]: (s["received"], s["returned"]) for s in r["series"]}
    assert len(series) == 14 and min(series) == "2026-10-29" and "2026-10-31" not in series
    assert {d: v for d, v in series.items() if v != (0, 0)} == {
        "2026-11-09": (1, 0), "2026-11-11": (1, 0), "2026-11-12": (2, 0), "2026-11-16": (7, 1),
        "2026-11-17": (2, 2)}
    with store.read() as session:
        from sqlmodel import col, func, select

        from models.tables import AuditEntry, DossierEvent, Payment
        head = session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc())).first()
        # Never synced: every intake, step and payment of the history is still waiting, the first one oldest.
        changes = session.exec(select(func.count()).select_from(DossierEvent)).one() + \
            session.exec(select(func.count()).select_from(Payment)).one()
        first_event = session.exec(select(func.min(DossierEvent.recorded_at))).one()
    assert r["sync"]["waiting"] == changes and r["sync"]["quarantined"] == 0
    assert r["sync"]["last_success"] is None
    from datetime import datetime
    assert abs((datetime.fromisoformat(r["sync"]["oldest_waiting_at"]) - first_event).total_seconds()) < 1
    assert head is not None and r["audit_head"] == [head.mono, head.hash[:16]]


def test_daily_figures_of_the_first_day(machine_tz: str, store: Store, admin: Actor,
                                        history: dict[str, str]) -> None:
    r = build_daily(store, admin, rd.D1).to_dict()
    # A B C D E L at the counter, F online at 23:30 (16:30 UTC, still D1 here).
    assert r["received"]["total"] == 7
    assert lines(r["received"]["by_channel"]) == {"counter": 6, "online": 1, "postal": 0}
    assert lines(r["received"]["by_field"]) == {"HT": 5, "CT": 2}
    assert r["steps"] == {"forwarded": 2, "returned": 1, "refused": 1, "withdrawn": 0,
                          "supplement_requested": 1, "extended": 0}
    # Due on D1: K (still open) and M (result ready).
    assert r["due_today"] == {"total": 2, "with_result": 1, "ended_without_result": 0, "pending": 1}
    assert r["on_time_day"] == {"finished": 2, "early": 0, "on_time": 2, "late": 0, "rate": 100.0}
    assert [m["receipts"] for m in r["fees"]["by_method"]] == [["0000001/2026"], ["0000002/2026"], []]
    assert r["fees"]["collected"] == 20_000
    assert r["next_working_day"] == "2026-11-17"


def test_period_figures_by_hand(machine_tz: str, store: Store, admin: Actor, history: dict[str, str]) -> None:
    p = build_period(store, admin, date(2026, 10, 1), rd.D2).to_dict()
    october, november = p["months"]
    assert (october["month"], november["month"]) == ("2026-10-01", "2026-11-01")
    # N came on Sat 31/10 at 23:30 agency time: October, whatever the machine's zone.
    assert october["received"] == 1 and october["by_channel"] == {"counter": 0, "online": 1, "postal": 0}
    assert november["received"] == 13
    assert november["by_channel"] == {"counter": 10, "online": 2, "postal": 1}
    # Forwarded I (12/11), A, E (16/11), F (17/11); returned B, A, J; refused D; withdrawn E.
    assert {k: november[k] for k in ("forwarded", "returned", "refused", "withdrawn", "supplement_requested",
                                     "extended")} == {"forwarded": 4, "returned": 3, "refused": 1, "withdrawn": 1,
                                                      "supplement_requested": 1, "extended": 1}
    assert {k: november[k] for k in ("finished", "early", "on_time", "late", "on_time_rate")} == {
        "finished": 5, "early": 1, "on_time": 3, "late": 1, "on_time_rate": 80.0}
    assert (november["fees_collected"], november["fees_refunded"]) == (80_000, 5_000)
    assert p["total"]["received"] == 14
    fields = {(g["month"], g["key"]): (g["received"], g["returned"], g["finished"], g["early"], g["on_time"],
                                       g["late"]) for g in p["by_field"]}
    # Hộ tịch in November: A D E F L G I K received, A returned early. Chứng thực: B C H J M; B, J returned;
    # B H M on time, J late. October: N.
    assert fields == {("2026-10-01", "HT"): (1, 0, 0, 0, 0, 0), ("2026-11-01", "HT"): (8, 1, 1, 1, 0, 0),
                      ("2026-11-01", "CT"): (5, 2, 4, 0, 3, 1)}
    procedures = {(g["month"], g["key"]): g["received"] for g in p["by_procedure"]}
    assert procedures == {("2026-10-01", rd.P3): 1, ("2026-11-01", rd.P3): 8, ("2026-11-01", rd.P2): 3,
                          ("2026-11-01", rd.P0): 2}
    d = p["d766"]
    assert d["on_time"]["rate"] == 80.0
    # 14 received: 10 at the counter, 3 online (N F G), 1 by post.
    assert [(s["count"], s["percent"]) for s in d["channels"]] == [(10, 71.4), (3, 21.4), (1, 7.1)]
    assert d["digitised"] == "không có dữ liệu"
    assert (d["payments_total"], d["payments_online"], d["online_payment_share"]) == (4, 1, 25.0)
    assert (d["payment_amount_online"], d["payment_amount_total"]) == (50_000, 80_000)
    assert [(s["count"], s["percent"]) for s in d["satisfaction"]] == [(1, 33.3), (1, 33.3), (1, 33.3)]
    assert d["satisfaction_unrated"] == 0


def test_counter_filter_and_permission(store: Store, admin: Actor, history: dict[str, str]) -> None:
    # Every dossier was received at counter 1: counter 1 is the whole agency, counter 2 has nothing.
    whole = build_daily(store, admin, rd.D2).to_dict()
    one = build_daily(store, admin, rd.D2, counter=1).to_dict()
    two = build_daily(store, admin, rd.D2, counter=2).to_dict()
    for key in ("received", "steps", "due_today", "fees", "on_time_day", "on_time_month", "series", "overdue"):
        assert one[key] == whole[key]
    assert two["received"]["total"] == 0 and two["steps"]["returned"] == 0 and two["overdue"] == []
    assert two["fees"]["collected"] == 0
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    with pytest.raises(PermissionDenied):
        build_daily(store, officer, rd.D2)
    with pytest.raises(PermissionDenied):
        build_period(store, officer, rd.D1, rd.D2)


def test_cancel_stops_the_build(store: Store, admin: Actor, history: dict[str, str]) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ReportCancelled, match="Đã hủy"):
        build_daily(store, admin, rd.D2, cancel=cancel)
    with pytest.raises(ReportCancelled):
        build_period(store, admin, date(2026, 1, 1), rd.D2, cancel=cancel)


def layout_lines(path: Path) -> list[str]:
    return [" ".join(line.split()) for line in pdf_text(path, None, None, "-layout").splitlines()]


def test_daily_pdf_shows_the_json_numbers(store: Store, admin: Actor, history: dict[str, str],
                                          tmp_path: Path) -> None:
    report, pdf = daily_pdf(store, admin, rd.D2)
    r = report.to_dict()
    text = layout_lines(write(tmp_path, pdf))
    joined = "\n".join(text)
    for label, value in (("Hồ sơ tiếp nhận trong ngày", r["received"]["total"]),
                         ("Hồ sơ chuyển xử lý", r["steps"]["forwarded"]),
                         ("Hồ sơ đã trả kết quả", r["steps"]["returned"]),
                         ("Hồ sơ công dân rút", r["steps"]["withdrawn"]),
                         ("Hồ sơ đến hạn trong ngày", r["due_today"]["total"]),
                         ("Phí, lệ phí đã thu (đồng)", "60.000")):
        assert f"{label} {value}" in text, label
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ TRẢ KẾT QUẢ HỒ SƠ" in joined
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined and "NGƯỜI LẬP BÁO CÁO" in joined
    assert "Ngày 17/11/2026 3 1 1 1 66,7%" in text
    assert "Từ 01/11/2026 đến 17/11/2026 5 1 3 1 80,0%" in text
    for code in (history["N"], history["K"], history["I"], history["C"]):
        assert code in joined
    assert "0000003/2026" in joined and "0000004/2026" in joined
    assert f"Chờ gửi: {r['sync']['waiting']} (cũ nhất" in joined
    assert f"Bản ghi số {r['audit_head'][0]}, mã băm {r['audit_head'][1]}" in joined
    assert "Trang 1/" in joined
    # The 14-day table under the chart: the last two days.
    assert any(line.startswith("Tiếp nhận ") and line.endswith(" 7 2") for line in text)


def test_period_pdf_and_workbook_agree_with_json(store: Store, admin: Actor, history: dict[str, str],
                                                 tmp_path: Path) -> None:
    report, pdf = period_pdf(store, admin, date(2026, 10, 1), rd.D2)
    text = layout_lines(write(tmp_path, pdf))
    # Month row: received, counter, online, postal, forwarded, returned, refused, withdrawn,
    # finished, early, on time, late, rate, fees. November is cut at the 17th, and says so.
    assert "01–17/11/2026 13 10 2 1 4 3 1 1 5 1 3 1 80,0% 80.000" in text
    assert "10/2026 1 0 1 0 0 0 0 0 0 0 0 0 — 0" in text
    assert any(line.startswith("Cộng 14 10 3 1 4 3 1 1 5 1 3 1 80,0% 80.000") for line in text)
    assert "không có dữ liệu" in "\n".join(text)

    path = tmp_path / "ky.xlsx"
    path.write_bytes(period_workbook(report))
    book = load_workbook(path)
    assert book.sheetnames == ["Theo tháng", "Theo lĩnh vực", "Theo thủ tục", "QĐ 766"]
    sheet = book["Theo tháng"]
    assert "Báo cáo kết quả tiếp nhận" in sheet["A1"].value
    assert sheet["B2"].value.startswith("Ủy ban nhân dân xã Tân Lập")
    assert isinstance(sheet["B5"].value, datetime) and sheet["B5"].is_date
    header = [c.value for c in sheet[8]]
    assert header[:3] == ["Tháng", "Tiếp nhận", "Trực tiếp"]
    november = next(row for row in sheet.iter_rows(min_row=9) if row[0].value == datetime(2026, 11, 1))
    values = {header[i]: cell for i, cell in enumerate(november)}
    assert november[0].is_date and november[0].number_format == "mm/yyyy"
    assert values["Tiếp nhận"].value == 13 and values["Tiếp nhận"].data_type == "n"
    assert values["Trả kết quả"].value == 3 and values["Quá hạn"].value == 1
    assert values["Tỷ lệ đúng hạn"].value == pytest.approx(0.8) and values["Tỷ lệ đúng hạn"].number_format == "0.0%"
    assert values["Phí đã thu (đồng)"].value == 80_000
    fields = book["Theo lĩnh vực"]
    rows = {(r[0].value, r[1].value): r[3].value for r in fields.iter_rows(min_row=9) if r[0].value}
    assert rows == {(datetime(2026, 10, 1), "HT"): 1, (datetime(2026, 11, 1), "HT"): 8,
                    (datetime(2026, 11, 1), "CT"): 5}
    d766 = {r[0].value: (r[1].value, r[3].value) for r in book["QĐ 766"].iter_rows(min_row=9) if r[0].value}
    assert d766["Biên lai thanh toán trực tuyến"] == (1, pytest.approx(0.25))
    assert d766["Hồ sơ có thành phần được số hóa"] == ("không có dữ liệu", "không có dữ liệu")


def test_command_line(store: Store, admin: Actor, history: dict[str, str], data_dir: Path, tmp_path: Path) -> None:
    store.dispose()
    result = motcua(data_dir, "report", "--from", "2026-10-01", "--to", "2026-11-17", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "period" and data["total"]["received"] == 14
    assert data["months"][1]["on_time_rate"] == 80.0 and data["d766"]["online_payment_share"] == 25.0

    xlsx = tmp_path / "bao-cao.xlsx"
    result = motcua(data_dir, "report", "--from", "2026-11-01", "--to", "2026-11-17", "--xlsx", str(xlsx))
    assert result.returncode == 0, result.stderr
    assert load_workbook(xlsx)["Theo tháng"]["B9"].value == 13

    out = tmp_path / "ngay.pdf"
    result = motcua(data_dir, "print", "daily", "--date", "2026-11-17", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Đã lưu báo cáo ngày 17/11/2026" in result.stdout
    assert "Hồ sơ tiếp nhận trong ngày 2" in layout_lines(out)

    result = motcua(data_dir, "print", "daily", "--date", "2026-11-17", "--counter", "2", "--out", str(out))
    assert result.returncode == 0 and "Hồ sơ tiếp nhận trong ngày 0" in layout_lines(out)
    assert "Quầy số 2" in " ".join(layout_lines(out))

    with store.read() as session:
        from sqlmodel import col, select

        from models.tables import AuditEntry, PrintedForm
        printed = session.exec(select(PrintedForm).where(col(PrintedForm.dossier_id).is_(None))).all()
        exports = session.exec(select(AuditEntry).where(AuditEntry.action == "report.export")).all()
    assert [p.form for p in printed] == ["report-period", "report-period", "report-daily", "report-daily"]
    assert [e.details["format"] for e in exports] == ["json", "xlsx", "pdf", "pdf"]

    with store.write() as session:
        create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER)
    store.dispose()
    refused = motcua(data_dir, "report", "--from", "2026-11-01", "--to", "2026-11-17", user="canbo1",
                     password="matkhau1")
    assert refused.returncode == 1 and refused.stderr.startswith("Lỗi:") and "báo cáo" in refused.stderr
    future = motcua(data_dir, "print", "daily", "--date", "2999-01-01", "--out", str(out))
    assert future.returncode == 1 and "chưa tới" in future.stderr

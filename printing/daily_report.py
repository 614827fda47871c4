"""Báo cáo ngày (the supervisor's daily report) as an A4 PDF, from app.reports.daily.DailyReport.

Every number printed here is a field of the DailyReport, which is also what
`motcua report`'s JSON is made of, so the paper and the file cannot disagree.
"""

from __future__ import annotations

import threading
from datetime import date

from reportlab.platypus import Flowable, Spacer

from app.db import Store
from app.permissions import Actor
from app.profile import load_profile
from app.reports.daily import DailyReport, build_daily_in
from app.reports.sync_state import NO_SYNC_TEXT, SyncState
from printing.dossier_forms import place_name
from printing.page import PageSetup, page_setup
from printing.pdf import render_form
from printing.report_chart import series_chart
from printing.report_parts import (
    LIST_FONT_SIZE,
    closing,
    code_column,
    day,
    figures_table,
    footer,
    moment,
    note,
    number,
    opening,
    pct,
    section,
)

TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ TRẢ KẾT QUẢ HỒ SƠ"
MAX_LISTED = 100  # longer lists are cut on paper; the JSON and the workbook keep every dossier


def _summary(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    rows = [
        ["Hồ sơ tiếp nhận trong ngày", number(r.received.total)],
        ["Hồ sơ chuyển xử lý", number(r.steps.forwarded)],
        ["Hồ sơ đã trả kết quả", number(r.steps.returned)],
        ["Hồ sơ từ chối", number(r.steps.refused)],
        ["Hồ sơ công dân rút", number(r.steps.withdrawn)],
        ["Yêu cầu bổ sung", number(r.steps.supplement_requested)],
        ["Gia hạn (xin lỗi, hẹn lại)", number(r.steps.extended)],
        ["Hồ sơ đến hạn trong ngày", number(r.due_today.total)],
        ["- trong đó: đã có kết quả", number(r.due_today.with_result)],
        ["- trong đó: kết thúc không có kết quả (từ chối, rút, dừng)", number(r.due_today.ended_without_result)],
        ["- trong đó: chưa có kết quả", number(r.due_today.pending)],
        [f"Hồ sơ quá hạn chưa có kết quả (lúc {moment(r.overdue_as_of)})", number(len(r.overdue))],
        [f"Hồ sơ đến hạn ngày làm việc tiếp theo ({day(r.next_working_day)})", number(len(r.due_next_working_day))],
        ["Kết quả đang chờ trả" + (f" (lâu nhất từ {moment(r.awaiting_collection.oldest_ready_at)})"
                                   if r.awaiting_collection.oldest_ready_at else ""),
         number(r.awaiting_collection.count)],
        ["Phí, lệ phí đã thu (đồng)", number(r.fees.collected)],
    ]
    return [section("I. Tổng hợp", setup), figures_table(["Nội dung", "Số lượng"], rows, setup, [0.8, 0.2])]


def _received(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    total = number(r.received.total)
    return [
        section("II. Hồ sơ tiếp nhận", setup),
        figures_table(["Kênh tiếp nhận", "Số hồ sơ"],
                      [[c.name, number(c.count)] for c in r.received.by_channel] + [["Cộng", total]],
                      setup, [0.8, 0.2], bold_last=True),
        Spacer(1, setup.sp(6)),
        figures_table(["Lĩnh vực", "Số hồ sơ"],
                      [[c.name, number(c.count)] for c in r.received.by_field] + [["Cộng", total]],
                      setup, [0.8, 0.2], bold_last=True),
        Spacer(1, setup.sp(6)),
        figures_table(["Mã thủ tục", "Tên thủ tục", "Số hồ sơ"],
                      [[c.key, c.name, number(c.count)] for c in r.received.by_procedure] + [["", "Cộng", total]],
                      setup, [0.16, 0.64, 0.2], ["left", "left", "right"], bold_last=True),
    ]


def _on_time(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    rows = [[label, number(o.finished), number(o.early), number(o.on_time), number(o.late), pct(o.rate)]
            for label, o in ((f"Ngày {day(r.day)}", r.on_time_day),
                             (f"Từ {day(r.day.replace(day=1))} đến {day(r.day)}", r.on_time_month))]
    return [
        section("III. Kết quả giải quyết đúng hạn", setup),
        figures_table(["Thời gian", "Có kết quả", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn"], rows,
                      setup, [0.32, 0.13, 0.13, 0.13, 0.13, 0.16]),
        note("Trước hạn: có kết quả trước ngày hẹn trả; đúng hạn: có kết quả trong ngày hẹn trả, không muộn hơn "
             "giờ hẹn (hoặc giải quyết ngay); quá hạn: có kết quả sau giờ hẹn. "
             "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / số hồ sơ có kết quả.", setup),
    ]


def _chart(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    # Days across, so the fourteen values sit under the bars they belong to.
    rows = [["Tiếp nhận", *(number(s.received) for s in r.series)],
            ["Trả kết quả", *(number(s.returned) for s in r.series)]]
    days = [f"{s.day:%d/%m}" for s in r.series]
    return [
        section(f"IV. Tiếp nhận và trả kết quả {len(r.series)} ngày làm việc gần nhất", setup),
        series_chart(r.series, setup.frame_width),
        Spacer(1, setup.sp(4)),
        figures_table(["Ngày", *days], rows, setup, [0.12] + [0.88 / max(1, len(days))] * len(days),
                      ["left"] + ["right"] * len(days), font_size=8.5),
    ]


def _late(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    shown = r.overdue[:MAX_LISTED]
    rows = [[str(i), d.code, d.owner_name, d.procedure_name, moment(d.due_at), number(d.days_late), d.step]
            for i, d in enumerate(shown, start=1)]
    code_w = code_column([d.code for d in shown], setup)
    out: list[Flowable] = [
        section(f"V. Hồ sơ quá hạn ({number(len(r.overdue))} hồ sơ, lúc {moment(r.overdue_as_of)})", setup),
        figures_table(["STT", "Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Hạn trả", "Số ngày quá hạn", "Bước hiện tại"],
                      rows, setup, [0.07, code_w, 0.19, 0.34, 0.16, 0.1, 0.16],
                      ["center", "left", "left", "left", "center", "right", "left"],
                      empty="Không có hồ sơ quá hạn.", font_size=LIST_FONT_SIZE),
        note("Số ngày quá hạn tính bằng ngày làm việc, từ ngày sau ngày hẹn trả đến ngày lập báo cáo "
             "(0: quá giờ hẹn trong cùng ngày). Không tính hồ sơ đang chờ bổ sung (thời hạn tạm dừng).", setup),
    ]
    if len(r.overdue) > MAX_LISTED:
        out.append(note(f"Chỉ in {MAX_LISTED} hồ sơ quá hạn lâu nhất; danh sách đầy đủ "
                        f"({number(len(r.overdue))} hồ sơ) có trong tệp Excel hoặc JSON của báo cáo.", setup))
    return out


def _due_soon(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    shown = r.due_next_working_day[:MAX_LISTED]
    rows = [[str(i), d.code, d.owner_name, d.procedure_name, moment(d.due_at), d.step]
            for i, d in enumerate(shown, start=1)]
    code_w = code_column([d.code for d in shown], setup)
    out: list[Flowable] = [
        section(f"VI. Hồ sơ đến hạn ngày {day(r.next_working_day)} "
                f"({number(len(r.due_next_working_day))} hồ sơ chưa có kết quả)", setup),
        figures_table(["STT", "Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Hạn trả", "Bước hiện tại"], rows, setup,
                      [0.07, code_w, 0.2, 0.39, 0.16, 0.18], ["center", "left", "left", "left", "center", "left"],
                      empty="Không có hồ sơ đến hạn.", font_size=LIST_FONT_SIZE),
    ]
    if len(r.due_next_working_day) > MAX_LISTED:
        out.append(note(f"Chỉ in {MAX_LISTED} hồ sơ đầu tiên; danh sách đầy đủ có trong tệp Excel hoặc JSON.",
                        setup))
    return out


def _fees(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    rows = [[m.label, number(m.count), number(m.amount), ", ".join(m.receipts) or "—"] for m in r.fees.by_method]
    rows.append(["Cộng", number(sum(m.count for m in r.fees.by_method)), number(r.fees.collected), ""])
    return [
        section("VII. Phí, lệ phí đã thu", setup),
        figures_table(["Hình thức", "Số biên lai", "Số tiền (đồng)", "Số biên lai đã lập"], rows, setup,
                      [0.22, 0.12, 0.18, 0.48], ["left", "right", "right", "left"], bold_last=True),
        note(f"Hoàn trả trong ngày: {number(r.fees.refunded)} đồng; miễn, giảm: {number(r.fees.exempted)} đồng; "
             f"thực thu (thu − hoàn trả): {number(r.fees.net)} đồng.", setup),
    ]


def _trust(r: DailyReport, setup: PageSetup) -> list[Flowable]:
    sync = NO_SYNC_TEXT.capitalize() if r.sync is None else (
        f"Chờ gửi: {number(r.sync.waiting)} (cũ nhất {moment(r.sync.oldest_waiting_at)}); "
        f"bị cách ly: {number(r.sync.quarantined)} (cũ nhất {moment(r.sync.oldest_quarantined_at)}); "
        f"lần đồng bộ thành công gần nhất: {moment(r.sync.last_success)}")
    head = ("Chưa có nhật ký." if r.audit_head is None
            else f"Bản ghi số {number(r.audit_head[0])}, mã băm {r.audit_head[1]}…")
    return [section("VIII. Đồng bộ và nhật ký", setup),
            figures_table(["Nội dung", "Tình trạng"], [["Đồng bộ với cổng dịch vụ công", sync],
                                                       ["Đầu chuỗi nhật ký (kiểm tra toàn vẹn)", head]],
                          setup, [0.4, 0.6], ["left", "left"])]


def render_daily(report: DailyReport, place: str) -> bytes:
    setup = page_setup("A4")
    subtitle = f"Ngày {day(report.day)}"
    story = opening(report.header, place, TITLE, subtitle, setup)
    for part in (_summary, _received, _on_time, _chart, _late, _due_soon, _fees, _trust):
        story += part(report, setup)
    story.append(closing(report.header, place, setup))
    return render_form(story, setup, _Issuer(report, place), title=f"Báo cáo ngày {day(report.day)}",
                       subject="Báo cáo ngày", page_count_hook=footer(setup, f"Báo cáo ngày {day(report.day)}"))


class _Issuer:
    def __init__(self, report: DailyReport, place: str) -> None:
        self.parent_agency_name = report.header.parent_name
        self.agency_name = report.header.agency_name
        self.place_name = place
        self.issued_at = report.header.made_at


def daily_pdf(store: Store, actor: Actor, on: date, counter: int | None = None,
              cancel: threading.Event | None = None, sync: SyncState | None = None) -> tuple[DailyReport, bytes]:
    """Build the report (one read) and lay it out: what `motcua print daily` and the window print."""
    with store.read() as session:
        report = build_daily_in(session, actor, on, counter, cancel, sync)
        place = place_name(session, load_profile(session))
    return report, render_daily(report, place)

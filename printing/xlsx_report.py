"""Period (and daily) reports as .xlsx workbooks: one sheet per table, real numbers and dates.

Each sheet starts with rows saying what the file holds (agency, period,
counter, when made and by whom), then a header row and the table. Counts are
integer cells, shares are fractions with a percent format, months and days
are date cells, so a province officer can sum and chart them directly.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.daily import DailyReport, ReportHeader
from app.reports.period import Counts, PeriodReport
from app.worktime import AGENCY_TZ
from models.enums import Channel
from printing.report_parts import scope_text

INT = "#,##0"
PCT = "0.0%"
MONTH = "mm/yyyy"
DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: moments are written as agency wall time (stated in the sheet's head)."""
    return None if moment is None else moment.astimezone(AGENCY_TZ).replace(tzinfo=None)


def _fraction(percent: float | None) -> float | None:
    return None if percent is None else percent / 100.0


class _Sheet:
    def __init__(self, book: Workbook, title: str, header: ReportHeader, what: str, period: str) -> None:
        self.ws: Worksheet = book.create_sheet(title[:31])
        self.ws.append([what])
        self.ws["A1"].font = TITLE
        self.ws.append(["Cơ quan", f"{header.agency_name} ({header.agency_code})"])
        self.ws.append(["Kỳ báo cáo", period])
        self.ws.append(["Phạm vi", scope_text(header.counter)])
        self.ws.append(["Lập lúc (giờ Việt Nam)", _local(header.made_at)])
        self.ws["B5"].number_format = MOMENT
        self.ws["B5"].alignment = Alignment(horizontal="left")
        self.ws.append(["Người lập", f"{header.made_by} ({header.made_by_username})"])
        self.ws.append([])
        self.formats: list[str | None] = []

    def columns(self, headers: Sequence[str], formats: Sequence[str | None], widths: Sequence[int]) -> None:
        self.ws.append(list(headers))
        for cell in self.ws[self.ws.max_row]:
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        self.formats = list(formats)
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.ws.freeze_panes = f"A{self.ws.max_row + 1}"  # a string: ws.cell() would create a blank row

    def row(self, values: Sequence[Any], bold: bool = False) -> None:
        self.ws.append(list(values))
        for cell, fmt in zip(self.ws[self.ws.max_row], self.formats, strict=False):
            if fmt:
                cell.number_format = fmt
            if bold:
                cell.font = BOLD


def _counts(c: Counts) -> list[Any]:
    return [c.finished, c.early, c.on_time, c.late, _fraction(c.on_time_rate)]


TIMELINESS = ["Có kết quả", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn"]
TIMELINESS_FMT = [INT, INT, INT, INT, PCT]


def period_workbook(report: PeriodReport) -> bytes:
    from printing.form07 import period_text

    book = Workbook()
    book.remove(book.active)
    period = period_text(report.first, report.last)
    what = "Báo cáo kết quả tiếp nhận và giải quyết hồ sơ"

    s = _Sheet(book, "Theo tháng", report.header, what + " — tổng hợp theo tháng", period)
    s.columns(["Tháng", "Tiếp nhận", "Trực tiếp", "Trực tuyến", "Bưu chính", "Chuyển xử lý", "Trả kết quả",
               "Từ chối", "Rút hồ sơ", "Yêu cầu bổ sung", "Gia hạn", *TIMELINESS, "Phí đã thu (đồng)",
               "Hoàn trả (đồng)"],
              [MONTH] + [INT] * 10 + TIMELINESS_FMT + [INT, INT], [12] + [12] * 17)
    for m in [*report.months, report.total]:
        s.row([m.month if m is not report.total else "Cộng", m.received,
               *(m.by_channel.get(c.value, 0) for c in Channel), m.forwarded, m.returned, m.refused, m.withdrawn,
               m.supplement_requested, m.extended, *_counts(m), m.fees_collected, m.fees_refunded],
              bold=m is report.total)

    for title, groups, with_code in (("Theo lĩnh vực", report.by_field, False),
                                     ("Theo thủ tục", report.by_procedure, True)):
        s = _Sheet(book, title, report.header, f"{what} — {title.lower()}, từng tháng", period)
        s.columns(["Tháng", "Mã", "Lĩnh vực" if not with_code else "Thủ tục", "Tiếp nhận", "Trả kết quả",
                   *TIMELINESS], [MONTH, None, None, INT, INT, *TIMELINESS_FMT],
                  [10, 14, 60, 11, 11, 11, 11, 11, 11, 12])
        for g in groups:
            s.row([g.month, g.key, g.name, g.received, g.returned, *_counts(g)])

    d = report.d766
    s = _Sheet(book, "QĐ 766", report.header, f"{what} — chỉ số theo Quyết định 766/QĐ-TTg", period)
    s.columns(["Chỉ số", "Số lượng", "Trên tổng số", "Tỷ lệ"], [None, INT, INT, PCT], [70, 14, 14, 10])
    s.row(["Hồ sơ giải quyết đúng hạn (trước hạn + đúng hạn)", d.on_time.early + d.on_time.on_time,
           d.on_time.finished, _fraction(d.on_time.rate)])
    for share in d.channels:
        s.row([f"Hồ sơ tiếp nhận {share.label.lower()}", share.count, report.total.received, _fraction(share.percent)])
    s.row(["Hồ sơ có thành phần được số hóa", d.digitised, d.digitised, d.digitised])
    s.row(["Biên lai thanh toán trực tuyến", d.payments_online, d.payments_total, _fraction(d.online_payment_share)])
    s.row(["Số tiền thanh toán trực tuyến (đồng)", d.payment_amount_online, d.payment_amount_total,
           None if d.payment_amount_total == 0 else d.payment_amount_online / d.payment_amount_total])
    rated = sum(x.count for x in d.satisfaction)
    for share in d.satisfaction:
        s.row([f"Đánh giá “{share.label}”", share.count, rated, _fraction(share.percent)])
    s.row(["Hồ sơ trả kết quả không có đánh giá", d.satisfaction_unrated, None, None])
    return _save(book)


def daily_workbook(report: DailyReport) -> bytes:
    from printing.report_parts import day

    book = Workbook()
    book.remove(book.active)
    period = f"Ngày {day(report.day)}"
    what = "Báo cáo ngày"
    s = _Sheet(book, "Tổng hợp", report.header, what, period)
    s.columns(["Nội dung", "Số lượng"], [None, INT], [60, 14])
    for label, value in (("Tiếp nhận", report.received.total), ("Chuyển xử lý", report.steps.forwarded),
                         ("Trả kết quả", report.steps.returned), ("Từ chối", report.steps.refused),
                         ("Rút hồ sơ", report.steps.withdrawn), ("Đến hạn trong ngày", report.due_today.total),
                         ("Quá hạn (lúc lập báo cáo)", len(report.overdue)),
                         ("Đến hạn ngày làm việc tiếp theo", len(report.due_next_working_day)),
                         ("Kết quả chờ trả", report.awaiting_collection.count),
                         ("Phí, lệ phí đã thu (đồng)", report.fees.collected)):
        s.row([label, value])
    s = _Sheet(book, "Quá hạn", report.header, what + " — hồ sơ quá hạn", period)
    s.columns(["Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Hạn trả", "Số ngày làm việc quá hạn", "Bước hiện tại"],
              [None, None, None, MOMENT, INT, None], [26, 24, 50, 17, 12, 22])
    for d in report.overdue:
        s.row([d.code, d.owner_name, d.procedure_name, _local(d.due_at), d.days_late, d.step])
    s = _Sheet(book, "14 ngày", report.header, what + " — 14 ngày làm việc gần nhất", period)
    s.columns(["Ngày", "Tiếp nhận", "Trả kết quả"], [DAY, INT, INT], [12, 12, 12])
    for point in report.series:
        s.row([point.day, point.received, point.returned])
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["daily_workbook", "period_workbook"]

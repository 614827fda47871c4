"""Báo cáo kỳ (period report) as an A4 landscape PDF, from app.reports.period.PeriodReport."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from reportlab.platypus import Flowable, Spacer

from app.db import Store
from app.permissions import Actor
from app.profile import load_profile
from app.reports.common import next_month
from app.reports.period import Counts, PeriodReport, build_period_in
from models.enums import Channel
from printing.dossier_forms import place_name
from printing.form07 import period_text
from printing.page import PageSetup, landscape_setup
from printing.pdf import render_form
from printing.report_parts import closing, figures_table, footer, note, number, opening, pct, section

TITLE = "BÁO CÁO KẾT QUẢ TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ"


def month_label(r: PeriodReport, first: date) -> str:
    """"11/2026"; a month cut by the period's ends says which days it covers ("20–30/11/2025")."""
    end = min(next_month(first) - timedelta(days=1), r.last)
    if first.day == 1 and end == next_month(first) - timedelta(days=1):
        return f"{first:%m/%Y}"
    return f"{first:%d}–{end:%d}/{first:%m/%Y}"


def _timeliness(c: Counts) -> list[str]:
    return [number(c.finished), number(c.early), number(c.on_time), number(c.late), pct(c.on_time_rate)]


def _months(r: PeriodReport, setup: PageSetup) -> list[Flowable]:
    headers = ["Tháng", "Tiếp nhận", "Trực tiếp", "Trực tuyến", "Bưu chính", "Chuyển xử lý", "Trả kết quả",
               "Từ chối", "Rút hồ sơ", "Có kết quả", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn",
               "Phí đã thu (đồng)"]
    rows = []
    for m in [*r.months, r.total]:
        label = "Cộng" if m is r.total else month_label(r, m.month)
        rows.append([label, number(m.received), *(number(m.by_channel.get(c.value, 0)) for c in Channel),
                     number(m.forwarded), number(m.returned), number(m.refused), number(m.withdrawn),
                     *_timeliness(m), number(m.fees_collected)])
    return [section("I. Tổng hợp theo tháng", setup),
            figures_table(headers, rows, setup, [0.105] + [0.064] * 13 + [0.095], ["center"] + ["right"] * 14,
                          bold_last=True, font_size=9.5),
            note("Tiếp nhận theo ngày nhận hồ sơ; trả kết quả theo ngày trả; có kết quả và tỷ lệ đúng hạn theo ngày "
                 "có kết quả (trước hạn: trước ngày hẹn; đúng hạn: trong ngày hẹn, không muộn hơn giờ hẹn; quá hạn: "
                 "sau giờ hẹn). Ngày tính theo giờ Việt Nam.", setup)]


def _groups(title: str, rows_in: list, with_code: bool, setup: PageSetup) -> list[Flowable]:  # type: ignore[type-arg]
    headers = ["Tháng", *(["Mã"] if with_code else []), "Lĩnh vực" if not with_code else "Thủ tục",
               "Tiếp nhận", "Trả kết quả", "Có kết quả", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn"]
    rows = [[f"{g.month:%m/%Y}", *([g.key] if with_code else []), g.name, number(g.received), number(g.returned),
             *_timeliness(g)] for g in rows_in]
    widths = [0.06, *([0.08] if with_code else []), 0.34 if with_code else 0.42] + [0.075] * 7
    return [section(title, setup),
            figures_table(headers, rows, setup, widths, ["center", *(["left"] if with_code else []), "left"]
                          + ["right"] * 7, empty="Không có hồ sơ.", font_size=9.5)]


def _d766(r: PeriodReport, setup: PageSetup) -> list[Flowable]:
    d = r.d766
    rows = [["Tỷ lệ hồ sơ giải quyết đúng hạn (trước hạn + đúng hạn / có kết quả)",
             f"{number(d.on_time.early + d.on_time.on_time)} / {number(d.on_time.finished)}", pct(d.on_time.rate)]]
    rows += [[f"Hồ sơ tiếp nhận {s.label.lower()}", number(s.count), pct(s.percent)] for s in d.channels]
    rows.append(["Hồ sơ có thành phần được số hóa", d.digitised, d.digitised])
    rows.append(["Thanh toán trực tuyến (số biên lai trực tuyến / tổng số biên lai)",
                 f"{number(d.payments_online)} / {number(d.payments_total)}", pct(d.online_payment_share)])
    rows.append(["Số tiền thanh toán trực tuyến / tổng số tiền đã thu (đồng)",
                 f"{number(d.payment_amount_online)} / {number(d.payment_amount_total)}", ""])
    rows += [[f"Đánh giá “{s.label}” (trên số hồ sơ được đánh giá khi trả kết quả)", number(s.count), pct(s.percent)]
             for s in d.satisfaction]
    rows.append(["Hồ sơ trả kết quả không có đánh giá", number(d.satisfaction_unrated), ""])
    return [section("IV. Chỉ số theo Quyết định 766/QĐ-TTg (phần quầy tính được)", setup),
            figures_table(["Chỉ số", "Số lượng", "Tỷ lệ"], rows, setup, [0.64, 0.2, 0.16]),
            note("Ứng dụng quầy không lưu bản số hóa giấy tờ nên chỉ số số hóa ghi “không có dữ liệu”.", setup)]


def render_period(report: PeriodReport, place: str) -> bytes:
    setup = landscape_setup("A4")
    period = period_text(report.first, report.last)
    story = opening(report.header, place, TITLE, period, setup)
    story += _months(report, setup)
    story += _groups("II. Theo lĩnh vực, từng tháng", report.by_field, False, setup)
    story += _groups("III. Theo thủ tục, từng tháng", report.by_procedure, True, setup)
    story += _d766(report, setup)
    story += [Spacer(1, 4), closing(report.header, place, setup)]
    return render_form(story, setup, _Issuer(report, place), title=f"Báo cáo kỳ - {period}",
                       subject="Báo cáo kỳ", page_count_hook=footer(setup, f"Báo cáo kỳ - {period}"))


class _Issuer:
    def __init__(self, report: PeriodReport, place: str) -> None:
        self.parent_agency_name = report.header.parent_name
        self.agency_name = report.header.agency_name
        self.place_name = place
        self.issued_at = report.header.made_at


def build_period_with_place(store: Store, actor: Actor, first: date, last: date, counter: int | None = None,
                            cancel: threading.Event | None = None) -> tuple[PeriodReport, str]:
    with store.read() as session:
        report = build_period_in(session, actor, first, last, counter, cancel)
        return report, place_name(session, load_profile(session))


def period_pdf(store: Store, actor: Actor, first: date, last: date, counter: int | None = None,
               cancel: threading.Event | None = None) -> tuple[PeriodReport, bytes]:
    report, place = build_period_with_place(store, actor, first, last, counter, cancel)
    return report, render_period(report, place)

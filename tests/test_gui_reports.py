"""The reports page (F7): built off the GUI thread, previewed, exported, cancelled quietly."""

import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from app.db import Store
from app.permissions import Actor
from app.users import actor_for, create_user
from models.enums import Role
from tests import report_data as rd
from ui import reports_page


def test_only_supervisors_and_admins_see_the_page(store: Store, admin: Actor, make_window) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
        supervisor = actor_for(create_user(session, admin, "giamsat", "Lê Thị Hoa", "matkhau1", Role.SUPERVISOR))
    assert "reports" not in make_window(officer)._page_keys
    assert "reports" in make_window(supervisor)._page_keys


def test_daily_preview_period_excel_and_cancel(qtbot, store: Store, admin: Actor, set_now, make_window,  # type: ignore[no-untyped-def]
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rd.build(store, admin, set_now)
    window = make_window(admin)
    window.show_page("reports")
    page = window.reports_page
    assert page.day_edit.date() == QDate(2026, 11, 17)  # today, agency time

    page.daily_button.click()
    assert page.is_busy() and page.progress.isVisible() and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: len(page.previews) == 1, timeout=20_000)
    preview = page.previews[0]
    assert preview.windowTitle() == "Báo cáo ngày 17/11/2026"
    assert preview.document.pageCount() >= 1 and not page.is_busy()
    preview.reject()
    qtbot.waitUntil(lambda: not page.previews, timeout=5_000)

    # Cancel: the builder waits for the button, then meets the cancelled event at its first check.
    started = threading.Event()
    real = reports_page.period_pdf

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        args[-1].wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports_page, "period_pdf", held)
    page.from_edit.setDate(QDate(2026, 10, 1))
    page.period_button.click()
    qtbot.waitUntil(started.is_set, timeout=5_000)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)
    assert page.status.text() == "Đã hủy." and not page.previews and page.period_button.isEnabled()

    monkeypatch.setattr(reports_page, "period_pdf", real)
    page.period_button.click()
    qtbot.waitUntil(lambda: len(page.previews) == 1, timeout=20_000)
    assert page.previews[0].windowTitle() == "Báo cáo kỳ 01/10/2026 – 17/11/2026"

    target = tmp_path / "ky"
    monkeypatch.setattr(page, "ask_save_path", lambda suggested: str(target))
    page.counter_box.setCurrentIndex(page.counter_box.findData(1))
    page.excel_button.click()
    qtbot.waitUntil(lambda: not page.is_busy() and page.status.text().startswith("Đã lưu"), timeout=20_000)
    book = load_workbook(tmp_path / "ky.xlsx")
    assert book["Theo tháng"]["B4"].value == "Quầy số 1"
    assert [r[1].value for r in book["Theo tháng"].iter_rows(min_row=9) if r[0].value == "Cộng"] == [14]

    def exported() -> list[str]:
        from sqlmodel import select

        from models.tables import AuditEntry
        with store.read() as session:
            return [e.details["format"] for e in session.exec(
                select(AuditEntry).where(AuditEntry.action == "report.export")).all()]

    qtbot.waitUntil(lambda: exported() == ["xlsx"], timeout=5_000)

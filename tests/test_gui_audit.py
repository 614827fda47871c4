"""The audit & backup page: chain state, flagged clock rows, backups; only for supervisors and admins."""

from datetime import timedelta

from sqlmodel import col, select

from app import clock, settings
from app.profile import load_profile
from app.users import actor_for, create_user
from models.enums import Role
from models.tables import AuditEntry
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def _window(qtbot, store, actor):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    window = MainWindow(CounterContext(store, runner, actor, profile))
    qtbot.addWidget(window)
    return window, runner


def test_page_shows_chain_state_flags_and_backs_up(qtbot, store, admin, monkeypatch):  # type: ignore[no-untyped-def]
    real = clock.now
    with store.read() as session:
        latest = session.exec(select(AuditEntry).order_by(col(AuditEntry.mono).desc())).first()
    # The device clock an hour behind the trail's latest row: a backwards jump, flagged.
    monkeypatch.setattr(clock, "now", lambda: latest.at - timedelta(hours=1))
    with store.write() as session:
        settings.change(session, admin, "receipt.copies", "1")
    monkeypatch.setattr(clock, "now", real)
    window, runner = _window(qtbot, store, admin)
    window.show_page("audit")
    page = window.audit_page
    qtbot.waitUntil(lambda: page.chain_label.text().startswith("✔ Chuỗi nhật ký toàn vẹn"), timeout=10_000)
    assert "1 lần đồng hồ máy bị lùi" in page.chain_label.text()
    qtbot.waitUntil(lambda: page.audit_model.rowCount() > 0, timeout=10_000)
    flagged = [r for r in range(page.audit_model.rowCount())
               if page.audit_model.index(r, 3).data() == "⚠ Đồng hồ máy bị lùi"]
    assert len(flagged) == 1
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.backup_model.rowCount() == 1, timeout=20_000)
    assert "Đã sao lưu vào" in page.backup_status.text()
    runner.wait_for_done()


def test_officer_has_no_audit_page(qtbot, store, admin):  # type: ignore[no-untyped-def]
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    window, runner = _window(qtbot, store, officer)
    assert "audit" not in window._page_keys
    assert not hasattr(window, "audit_page")
    runner.wait_for_done()

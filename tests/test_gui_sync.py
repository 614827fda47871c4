"""The sync page and status bar against the real reference portal on 127.0.0.1."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlmodel import col, select

from app.db import Store
from app.permissions import Actor
from app.profile import load_profile
from models.tables import OutboxItem
from sync import state
from sync.engine import EngineConfig, run_sync_round
from tests.portal_tools import RunningPortal, running_portal
from tests.sync_tools import enroll_with, outbox_count, outbox_ids, record_activity
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

FAST = EngineConfig(backoff_base=0.05, backoff_cap=0.2, max_failures=3, connect_timeout=2, read_timeout_base=5)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[RunningPortal]:
    with running_portal(str(tmp_path / "portal.sqlite3")) as running:
        yield running


@pytest.fixture
def make_window(qtbot, store: Store, admin: Actor) -> Callable[[], MainWindow]:  # type: ignore[no-untyped-def]
    def make(config: EngineConfig = FAST) -> MainWindow:
        with store.read() as session:
            profile = load_profile(session)
        main = MainWindow(CounterContext(store, TaskRunner(), admin, profile))
        main.sync_page.controller.config = config
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        return main

    return make


def bar_text(main: MainWindow) -> str:
    return main.sync_page.status_widget.text()


def test_sync_now_empties_the_queue_in_the_status_bar(qtbot, store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                                      portal: RunningPortal, make_window) -> None:
    record_activity(store, admin, 3)
    enroll_with(store, admin, portal.url, portal.admin())
    waiting = outbox_count(store)
    main = make_window()
    qtbot.waitUntil(lambda: f"Chờ gửi: {waiting}" in bar_text(main), timeout=5000)
    assert "Cách ly: 0" in bar_text(main) and "Lần cuối: chưa có" in bar_text(main)
    main.show_page("sync")
    page = main.sync_page
    qtbot.waitUntil(lambda: page.queue_model.rowCount() == waiting, timeout=5000)
    assert page.not_enrolled.isHidden()

    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Chờ gửi: 0" in bar_text(main), timeout=20000)
    assert "Trực tuyến" in bar_text(main)
    assert "Lần cuối: chưa có" not in bar_text(main)
    qtbot.waitUntil(lambda: page.queue_model.rowCount() == 0, timeout=5000)
    assert f"Đã gửi {waiting} mục mới" in page.progress_label.text()
    assert set(portal.admin().stored_ids("item")) == outbox_ids(store)


def test_quarantined_item_shows_its_reason_and_retry_requeues_it(qtbot, store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                                                 portal: RunningPortal, make_window) -> None:
    record_activity(store, admin, 2, seed=3)
    with store.write() as session:
        first = session.exec(select(OutboxItem).where(OutboxItem.kind == "dossier.received")
                             .order_by(col(OutboxItem.id))).first()
        assert first is not None
        first.payload = {**first.payload, "code": "XX-" + first.payload["code"]}
        session.add(first)
    enroll_with(store, admin, portal.url, portal.admin())
    main = make_window()
    main.show_page("sync")
    page = main.sync_page
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Chờ gửi: 0" in bar_text(main) and "Cách ly: 0" not in bar_text(main), timeout=20000)
    label = main.sync_page.status_widget.quarantine_label
    assert label.property("alert") is True and "#b3261e" in label.styleSheet()
    qtbot.waitUntil(lambda: page.quarantine_model.rowCount() >= 1, timeout=5000)
    reasons = [page.quarantine_model.data(page.quarantine_model.index(r, 3))
               for r in range(page.quarantine_model.rowCount())]
    assert any("không thuộc cơ quan" in reason for reason in reasons), reasons
    held = page.quarantine_model.rowCount()

    page.quarantine_view.selectRow(0)
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.quarantine_model.rowCount() == held - 1, timeout=5000)
    qtbot.waitUntil(lambda: "Chờ gửi: 1" in bar_text(main), timeout=5000)
    assert page.queue_model.rowCount() == 1
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)  # nothing selected: all the rest
    qtbot.waitUntil(lambda: f"Chờ gửi: {held}" in bar_text(main) and "Cách ly: 0" in bar_text(main), timeout=5000)
    assert label.property("alert") is False


def test_not_enrolled_counter_explains_instead_of_failing(qtbot, store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                                          make_window) -> None:
    record_activity(store, admin, 1)
    main = make_window()
    main.sync_page.controller.auto_timer.setInterval(50)
    main.show_page("sync")
    page = main.sync_page
    qtbot.waitUntil(lambda: "Chưa đăng ký với cổng tỉnh" in bar_text(main), timeout=5000)
    assert page.not_enrolled.isVisible() and "motcua sync enroll" in page.not_enrolled.text()
    assert not page.sync_button.isEnabled()
    qtbot.wait(300)  # the automatic timer fired several times and did not try
    assert state.sync_status(store).last_attempt is None


def test_automatic_sync_runs_on_its_timer(qtbot, store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                          portal: RunningPortal, make_window) -> None:
    record_activity(store, admin, 2)
    enroll_with(store, admin, portal.url, portal.admin())
    main = make_window()
    qtbot.waitUntil(lambda: "Chờ gửi: 0" not in bar_text(main) and "Chờ gửi" in bar_text(main), timeout=5000)
    main.sync_page.controller.auto_timer.setInterval(100)
    qtbot.waitUntil(lambda: "Chờ gửi: 0" in bar_text(main), timeout=20000)


def test_closing_the_window_during_a_sync_loses_and_duplicates_nothing(qtbot, store: Store, admin: Actor,  # type: ignore[no-untyped-def]
                                                                       portal: RunningPortal, make_window) -> None:
    record_activity(store, admin, 12, seed=5)
    enroll_with(store, admin, portal.url, portal.admin())
    total = outbox_count(store)
    # One item per batch: the round is surely in the middle of pushing when the window closes.
    main = make_window(EngineConfig(batch_items=1, max_items=1, backoff_base=0.05, backoff_cap=0.2,
                                    connect_timeout=2, read_timeout_base=5))
    pushed: list[int] = []
    main.sync_page.controller.progress.connect(lambda p: pushed.append(p.done) if p.phase == "push" else None)
    qtbot.waitUntil(lambda: main.sync_page.sync_button.isEnabled(), timeout=5000)
    assert main.sync_page.controller.start_round()
    qtbot.waitUntil(lambda: any(done >= 2 for done in pushed), timeout=20000)
    main.close()
    assert not main.sync_page.controller.running or main.sync_page.controller._pool.activeThreadCount() == 0

    status = state.sync_status(store)
    assert 0 < status.delivered < total and status.waiting == total - status.delivered
    # Everything marked delivered is on the portal; the rest goes in the next round, nothing twice.
    assert outbox_ids(store, state.DELIVERED) <= set(portal.admin().stored_ids("item"))
    result = run_sync_round(store, FAST)
    assert result.ok, result.error
    assert set(portal.admin().stored_ids("item")) == outbox_ids(store)
    assert portal.admin().counts()["items"] == total

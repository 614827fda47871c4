"""The early-warning page: filled off the GUI thread, opens dossiers, greets supervisors at login."""

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.db import Store
from app.early_warning import DUE_SOON, DUE_TODAY, OVERDUE, SUPPLEMENT, UNCOLLECTED
from app.lifecycle import Action
from app.permissions import Actor
from app.users import actor_for, create_user
from app.worktime import AGENCY_TZ
from models.enums import Role
from tests.gui_dossiers import new_dossier, walk
from ui.dashboard_page import EMPTY_TEXT
from ui.main_window import WARNINGS, MainWindow

# Monday 23/11/2026 10:00. Received Mon 16/11 09:00 with 3 working days: due Thu 19/11 09:00, overdue.
# Received Fri 20/11 10:00: due Wed 25/11 10:00 (Tue 24/11 is a holiday): not within one working day.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AGENCY_TZ)


def _user(store: Store, admin: Actor, username: str, role: Role) -> Actor:
    with store.write() as session:
        return actor_for(create_user(session, admin, username, "Lê Thị Giám Sát", "matkhau123", role))


@pytest.fixture
def dossiers(store: Store, admin: Actor, set_now: Callable[[datetime], None]) -> dict[str, str]:
    set_now(datetime(2026, 11, 16, 9, 0, tzinfo=AGENCY_TZ))
    late = new_dossier(store, admin, name="Nguyễn Văn Trễ")
    walk(store, admin, late, Action.FORWARD)
    set_now(datetime(2026, 11, 20, 10, 0, tzinfo=AGENCY_TZ))
    calm = new_dossier(store, admin, name="Trần Thị Bình")
    set_now(NOW)
    return {"late": late, "calm": calm}


def _loaded(window: MainWindow) -> bool:
    return window.warnings_page.warnings is not None


def test_supervisor_lands_on_the_filled_warnings(qtbot, store, admin, dossiers, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(_user(store, admin, "giamsat", Role.SUPERVISOR))
    assert window.current_page_key() == WARNINGS
    page = window.warnings_page
    qtbot.waitUntil(lambda: _loaded(window), timeout=10_000)
    overdue = page.sections[OVERDUE]
    assert overdue.model.rowCount() == 1
    assert overdue.model.line(0).code == dossiers["late"]
    assert overdue.header.text() == "Quá hạn xử lý — 1 hồ sơ"
    # Thu 19/11 09:00 -> Mon 23/11 10:00: Thu 6 h + Fri 8 h + Mon 3 h = 17 h.
    assert overdue.model.index(0, 4).data() == "quá hạn 2 ngày 1 giờ làm việc"
    assert overdue.model.index(0, 5).data() == "Đang xử lý"
    assert overdue.table.isVisible()
    for kind in (DUE_TODAY, DUE_SOON, SUPPLEMENT, UNCOLLECTED):
        section = page.sections[kind]
        assert section.model.rowCount() == 0
        assert section.empty.isVisible() and section.empty.text() == EMPTY_TEXT
        assert not section.table.isVisible()
    # The badge in the left-hand list.
    assert "(1)" in window.nav.item(window._page_keys.index(WARNINGS)).text()


def test_double_click_and_enter_open_the_dossier(qtbot, store, admin, dossiers, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(_user(store, admin, "giamsat", Role.SUPERVISOR))
    page = window.warnings_page
    qtbot.waitUntil(lambda: _loaded(window), timeout=10_000)
    table = page.sections[OVERDUE].table
    rect = table.visualRect(page.sections[OVERDUE].model.index(0, 1))
    with qtbot.waitSignal(page.open_requested, timeout=5_000) as signal:
        # What a mouse sends: press, release, then the double click (the view checks the pressed line).
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert signal.args == [dossiers["late"]]
    # The main window opens it.
    qtbot.waitUntil(lambda: len(window.details) == 1 and window.details[0].code == dossiers["late"], timeout=10_000)
    window.details[0].reject()
    qtbot.waitUntil(lambda: not window.details)
    table.setFocus()
    table.setCurrentIndex(page.sections[OVERDUE].model.index(0, 0))
    with qtbot.waitSignal(page.open_requested, timeout=5_000) as signal:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert signal.args == [dossiers["late"]]


def test_officer_starts_on_intake_with_the_overdue_count_one_key_away(  # type: ignore[no-untyped-def]
        qtbot, store, admin, dossiers, make_window) -> None:
    window = make_window(_user(store, admin, "canbo", Role.OFFICER))
    assert window.current_page_key() == "intake"
    qtbot.waitUntil(lambda: _loaded(window), timeout=10_000)
    assert window.nav.item(window._page_keys.index(WARNINGS)).text().startswith("Cảnh báo hạn (1)")
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.current_page_key() == WARNINGS, timeout=5_000)


def test_refresh_sees_a_dossier_handed_back(qtbot, store, admin, dossiers, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(_user(store, admin, "giamsat", Role.SUPERVISOR))
    page = window.warnings_page
    qtbot.waitUntil(lambda: _loaded(window), timeout=10_000)
    assert page.sections[OVERDUE].model.rowCount() == 1
    walk(store, admin, dossiers["late"], Action.READY, Action.RETURN)
    # A load started before the hand-back may still be in flight (the button is disabled meanwhile):
    # wait for it, then ask for a fresh one the way the officer does.
    qtbot.waitUntil(page.refresh_button.isEnabled, timeout=10_000)
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.refresh_button.isEnabled() and page.sections[OVERDUE].model.rowCount() == 0,
                    timeout=10_000)
    assert page.sections[OVERDUE].empty.isVisible()
    assert window.nav.item(window._page_keys.index(WARNINGS)).text() == "Cảnh báo hạn   F6"

"""Barcode scans anywhere in the window, and the "Mã hồ sơ" box; offscreen, fresh database each test."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlmodel import select

from app.lifecycle import Action
from app.profile import load_profile
from models.enums import DossierStatus, EventType, Satisfaction
from models.tables import Dossier, DossierEvent
from tests.gui_dossiers import new_dossier, scan, walk
from tests.gui_helpers import type_text
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.scan_listener import ScanListener, looks_like_code
from ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot, store, admin):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    main = MainWindow(CounterContext(store, runner, admin, profile))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for detail in list(main.details):
        detail.reject()
    runner.wait_for_done()


def _dossier(store, code):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return session.exec(select(Dossier).where(Dossier.code == code)).one()


def _close_previews(detail) -> None:  # type: ignore[no-untyped-def]
    for preview in list(detail.previews):
        preview.accept()


def test_code_pattern() -> None:
    assert looks_like_code("H15.50.05.13-261122-0001")
    assert looks_like_code("000.00.27.h41-210315-1001")
    assert not looks_like_code("H15-2611-0001")
    assert not looks_like_code("Nguyễn Văn Đức")
    assert not looks_like_code("A-261122-0001x")


def test_scan_in_the_owner_name_field_opens_the_ready_dossier_and_returns_it(
        qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    walk(store, admin, code, Action.FORWARD, Action.READY)
    name = window.intake_page.owner.name
    window.activateWindow()
    type_text(name, "Lò Văn")  # the officer was typing the next citizen when the first one came back
    qtbot.wait(120)  # a person's pause before picking up the scanner
    scan(name, code)

    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    assert name.text() == "Lò Văn"
    detail = window.details[0]
    qtbot.waitExposed(detail)
    button = detail.default_button()
    assert button is not None and button.text() == "Trả kết quả"
    assert detail.focusWidget() is button
    assert Action.READY not in detail.action_buttons  # not allowed any more: not offered

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is not None)
    step = detail.step_dialog
    assert step.receiver_name.text() == "Nguyễn Văn Đức"  # prefilled with the owner
    qtbot.mouseClick(step.satisfaction.buttons[Satisfaction.SATISFIED], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(step.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dossier(store, code).status == DossierStatus.RETURNED, timeout=10_000)
    dossier = _dossier(store, code)
    assert dossier.satisfaction == Satisfaction.SATISFIED
    assert dossier.returned_at is not None
    qtbot.waitUntil(lambda: DossierStatus(detail.data.dossier.status) is DossierStatus.RETURNED)
    assert detail.action_buttons == {}
    assert "Đã trả kết quả" in detail.status_chip.text()


def test_scan_swallows_enter_and_leaves_no_characters_anywhere(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    page = window.intake_page
    page.search.setFocus()
    scan(page.search, code)
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    assert page.search.text() == ""
    detail = window.details[0]
    assert detail.default_button().text() == Action.FORWARD.label
    # A second scan while the detail is open replaces it (one dossier on screen at a time).
    other = new_dossier(store, admin, name="Hà Thị Mai", id_number="001190004321")
    scan(detail.default_button(), other)
    qtbot.waitUntil(lambda: len(window.details) == 1 and window.details[0].code == other, timeout=10_000)
    with store.read() as session:  # the Enter of the scan pressed no button
        assert session.exec(select(DossierEvent).where(DossierEvent.type == EventType.FORWARDED.value)).all() == []


def test_scanner_ending_with_tab_opens_the_dossier_and_leaves_the_focus(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    name = window.intake_page.owner.name
    window.activateWindow()
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    type_text(name, "Lò")
    qtbot.wait(120)
    scan(name, code, suffix=Qt.Key.Key_Tab)
    assert name.hasFocus()  # the Tab ending the scan moved nothing
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    assert window.details[0].code == code
    assert name.text() == "Lò"


def test_slow_typing_is_not_a_scan(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    clock = [0.0]
    window.scan_listener._clock = lambda: clock[0]
    name = window.intake_page.owner.name
    name.setFocus()
    for ch in code:
        clock[0] += 0.2  # 200 ms between keys: a person
        QTest.sendKeyEvent(QTest.KeyAction.Click, name, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
    QTest.sendKeyEvent(QTest.KeyAction.Click, name, Qt.Key.Key_Return, "\r", Qt.KeyboardModifier.NoModifier)
    qtbot.wait(100)
    assert window.details == []
    assert name.text() == code


def test_code_typed_by_hand_in_the_code_box(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    walk(store, admin, code, Action.FORWARD)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.code_box.hasFocus() or window.focusWidget() is window.code_box
    qtbot.keyClicks(window.code_box, code.lower())  # ASCII only; case does not matter
    qtbot.keyClick(window.code_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    detail = window.details[0]
    assert detail.code == code
    assert detail.default_button().text() == Action.READY.label
    assert window.code_box.text() == ""


def test_unknown_code_is_said_in_the_status_bar(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    name = window.intake_page.owner.name
    name.setFocus()
    scan(name, "H99.99.99.99-260101-0001")
    qtbot.waitUntil(lambda: "Không tìm thấy" in window.statusBar().currentMessage(), timeout=10_000)
    assert "H99.99.99.99-260101-0001" in window.statusBar().currentMessage()
    assert window.details == []
    assert name.text() == ""
    window.code_box.setText("khong-phai-ma")
    window.code_box.returnPressed.emit()
    qtbot.waitUntil(lambda: "KHONG-PHAI-MA" in window.statusBar().currentMessage(), timeout=10_000)


def test_listener_restores_each_kind_of_widget(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    text, spin, combo = QPlainTextEdit("ghi chú "), QSpinBox(), QComboBox()
    spin.setRange(0, 10**9)
    spin.setValue(3)
    combo.addItems(["Công dân", "Doanh nghiệp", "H15", "Tổ chức"])
    for widget in (text, spin, combo):
        layout.addWidget(widget)
    listener = ScanListener(host)
    seen: list[str] = []
    listener.code_scanned.connect(seen.append)
    host.show()
    text.moveCursor(text.textCursor().MoveOperation.End)
    scan(text, "H15.50.05.13-261122-0001")
    scan(spin, "H15.50.05.13-261122-0002")
    scan(combo, "H15.50.05.13-261122-0003")
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == ["H15.50.05.13-261122-0001", "H15.50.05.13-261122-0002", "H15.50.05.13-261122-0003"]
    assert text.toPlainText() == "ghi chú "
    assert spin.value() == 3
    assert combo.currentIndex() == 0

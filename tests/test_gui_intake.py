"""The intake screen driven with real key events, offscreen, on a fresh database each test."""

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import func, select

from app.profile import load_profile
from models.tables import AuditEntry, Dossier, DossierEvent
from tests.gui_helpers import type_text
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot, store, admin):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    main = MainWindow(CounterContext(store, runner, admin, profile))
    qtbot.addWidget(main)
    main.show()
    yield main
    runner.wait_for_done()


def _count(store, table) -> int:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def _pick_procedure(qtbot, page, query: str, code: str) -> None:  # type: ignore[no-untyped-def]
    type_text(page.search, query)
    qtbot.waitUntil(lambda: page.results_model.rowCount() > 0 and
                    any(page.results_model.hit(r).code == code for r in range(page.results_model.rowCount())))
    row = next(r for r in range(page.results_model.rowCount()) if page.results_model.hit(r).code == code)
    page.results.setCurrentIndex(page.results_model.index(row))
    qtbot.waitUntil(lambda: page._loaded is not None and page._loaded.spec.code == code)


def test_officer_types_a_vietnamese_dossier_and_gets_the_slip(qtbot, window, store):  # type: ignore[no-untyped-def]
    page = window.intake_page
    _pick_procedure(qtbot, page, "dang ky khai tu", "1.000656")
    assert "Khai tử" in page.procedure_info.text() or "khai tử" in page.procedure_info.text()
    page.tick_all.click()
    type_text(page.owner.name, "Hoàng Thị Thu Hằng")
    type_text(page.owner.id_number, "015185000321")
    type_text(page.owner.dob, "02/09/1985")
    type_text(page.owner.phone, "0986 111 222")
    type_text(page.owner.address, "Bản Phìn Hồ, xã Tân Lập")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(window.previews) == 1, timeout=10_000)
    preview = window.previews[0]
    assert preview.document.pageCount() == 2  # Liên 1: lưu, Liên 2: giao người nộp
    with store.read() as session:
        dossier = session.exec(select(Dossier)).one()
    assert dossier.owner_name == "Hoàng Thị Thu Hằng"
    assert unicodedata.is_normalized("NFC", dossier.owner_name)
    assert dossier.owner_phone == "0986111222"
    assert dossier.code in preview.windowTitle()
    # The form is cleared for the next citizen, the search box has focus again.
    assert page.owner.name.text() == ""
    preview.accept()


def test_invalid_identity_number_is_shown_next_to_the_field_and_nothing_is_written(
        qtbot, window, store):  # type: ignore[no-untyped-def]
    page = window.intake_page
    _pick_procedure(qtbot, page, "khai sinh", "1.001193")
    page.tick_all.click()
    type_text(page.owner.name, "Lò Văn Páo")
    type_text(page.owner.id_number, "99912345")
    type_text(page.owner.phone, "12345")
    page.save_button.click()
    id_error = page.owner.rows["owner_id"].error
    qtbot.waitUntil(lambda: id_error.isVisibleTo(page) and "CCCD" in id_error.text())
    assert "Số điện thoại" in page.owner.rows["owner_phone"].error.text()
    assert _count(store, Dossier) == 0
    assert _count(store, DossierEvent) == 0
    audit_rows = _count(store, AuditEntry)
    page.save_button.click()
    qtbot.waitUntil(lambda: page.save_button.isEnabled())
    assert _count(store, AuditEntry) == audit_rows


def test_missing_required_document_asks_before_accepting(qtbot, window, store, monkeypatch):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def answer_no(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    page = window.intake_page
    _pick_procedure(qtbot, page, "khai sinh", "1.001193")
    type_text(page.owner.name, "Vàng A Dế")
    type_text(page.owner.id_number, "010099001122")
    page.save_button.click()
    assert asked and "Chưa đánh dấu" in asked[0]
    assert _count(store, Dossier) == 0

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.save_button.click()
    qtbot.waitUntil(lambda: _count(store, Dossier) == 1, timeout=10_000)
    with store.read() as session:
        event = session.exec(select(DossierEvent)).one()
    assert event.details["missing_required"]
    qtbot.waitUntil(lambda: len(window.previews) == 1, timeout=10_000)
    window.previews[0].accept()


def test_today_page_lists_the_new_dossier_and_reprints(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    from app.intake import IntakeRequest, PersonInput, all_documents, receive
    from app import catalog

    with store.read() as session:
        _, spec = catalog.get_procedure(session, "1.001193")
    result = receive(store, admin, IntakeRequest(
        procedure_code="1.001193", owner=PersonInput(full_name="Đặng Văn Đạt", id_number="001090004567"),
        documents=all_documents(spec)))
    qtbot.keyClick(window, Qt.Key.Key_F3)
    page = window.today_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.row_at(0).code == result.code
    assert "1 hồ sơ" in page.summary.text()
    page.reprint_button.click()
    qtbot.waitUntil(lambda: len(window.previews) == 1, timeout=10_000)
    assert window.previews[0].document.pageCount() >= 1
    window.previews[0].accept()


def test_officer_without_late_entry_right_cannot_tick_it(qtbot, store):  # type: ignore[no-untyped-def]
    from app.users import create_user
    from models.enums import Role

    with store.write() as session:
        from app.users import actor_for

        officer = actor_for(create_user(session, store.admin, "canbo1", "Trần Văn Bình", "matkhau123",
                                        Role.OFFICER))
        profile = load_profile(session)
    main = MainWindow(CounterContext(store, TaskRunner(), officer, profile))
    qtbot.addWidget(main)
    assert not main.intake_page.late_entry.isEnabled()
    assert "Cán bộ một cửa" in main.officer_label.text()

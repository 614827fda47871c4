"""Closing the window while work is in flight (issue #7): a print render, a database save, a PDF save.

The task runner must let the work finish or drop its result cleanly: no crash, no callback on a dead
window, no half-written file; at the next start the database is consistent. (Closing during a sync
joins when sync/ lands.)
"""

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

import ui.main_window as main_window_module
from app.catalog import get_procedure
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.permissions import Actor
from app.profile import load_profile
from tests.reliability.checker import Reported, check_store
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.pdf_preview import PdfPreviewDialog
from ui.tasks import TaskRunner

SLOW = 1.5


def _window(qtbot, store: Store, admin: Actor) -> tuple[MainWindow, TaskRunner]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    window = MainWindow(CounterContext(store, runner, admin, profile))
    window.show()
    qtbot.waitExposed(window)
    return window, runner


def _request(store: Store) -> IntakeRequest:
    with store.read() as session:
        _, spec = get_procedure(session, "1.001193")
    return IntakeRequest(procedure_code=spec.code, documents=all_documents(spec),
                         owner=PersonInput(full_name="Giàng Thị Dợ", id_number="001085123456"))


def _previews() -> list[PdfPreviewDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()]


def _close_and_destroy(qtbot, window: MainWindow) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    window.close()
    took = time.monotonic() - started
    window.deleteLater()
    qtbot.wait(300)  # the finished job's result arrives now, for a window that no longer exists
    return took


def test_close_during_a_long_print_render(qtbot, store: Store, admin: Actor, data_dir: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code = receive(store, admin, _request(store)).code
    real_render = main_window_module.render_receipt_for
    rendered: list[int] = []

    def slow_render(session, code_):  # type: ignore[no-untyped-def]
        time.sleep(SLOW)  # an old PC rendering a two-copy slip
        pdf = real_render(session, code_)
        rendered.append(len(pdf))
        return pdf

    monkeypatch.setattr(main_window_module, "render_receipt_for", slow_render)
    window, runner = _window(qtbot, store, admin)
    window.show_receipt(code)
    qtbot.wait(200)
    took = _close_and_destroy(qtbot, window)
    assert rendered and took < 15  # the render finished inside close, and close did not hang
    assert runner.is_idle()
    assert _previews() == []  # no preview popped up for a closed window
    assert check_store(data_dir, Reported()) == []


def test_close_during_a_save(qtbot, store: Store, admin: Actor, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, runner = _window(qtbot, store, admin)
    results: list[str] = []
    request = _request(store)
    # Ten intakes queued on the serial writer, then the window closes with most still waiting.
    for _ in range(10):
        runner.run_write(lambda: receive(store, admin, request), lambda r: results.append(r.code), owner=window)
    took = _close_and_destroy(qtbot, window)
    assert took < 15 and runner.is_idle()
    # Next start: every save either happened whole or not at all, and the store is consistent.
    assert check_store(data_dir, Reported()) == []
    with store.read() as session:
        from sqlmodel import func, select

        from models.tables import Dossier

        saved = session.exec(select(func.count()).select_from(Dossier)).one()
    assert saved == 10  # close waits for the writes in flight rather than abandoning them


def test_close_during_a_pdf_save(qtbot, store: Store, admin: Actor, tmp_path: Path,  # type: ignore[no-untyped-def]
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from printing.receipts import render_receipt_for

    code = receive(store, admin, _request(store)).code
    with store.read() as session:
        pdf = render_receipt_for(session, code)
    target = tmp_path / "luu" / "giay-hen.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Tệp PDF (*.pdf)"))
    window, runner = _window(qtbot, store, admin)
    dialog = PdfPreviewDialog("Giấy hẹn", pdf, "giay-hen.pdf", runner, window)
    dialog.show()
    dialog._on_save()
    took = _close_and_destroy(qtbot, window)
    assert took < 15 and runner.is_idle()
    # Either the whole file or nothing, never a partial one left behind.
    assert sorted(p.name for p in target.parent.iterdir()) == ["giay-hen.pdf"]
    assert target.read_bytes() == pdf

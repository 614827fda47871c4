"""Driving the counter's widgets the way an officer (or a Vietnamese input method) does."""

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app.db import Store
from app.permissions import Actor
from app.profile import load_profile
from ui.context import CounterContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def type_text(widget: QWidget, text: str) -> None:
    """One key event per character: qtbot.keyClicks aborts on non-ASCII text."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def make_window(qtbot, store: Store) -> Iterator[Callable[[Actor], MainWindow]]:  # type: ignore[no-untyped-def]
    """Open main windows for given actors; afterwards close their dialogs and wait for their workers."""
    made: list[tuple[MainWindow, TaskRunner]] = []

    def make(actor: Actor) -> MainWindow:
        with store.read() as session:
            profile = load_profile(session)
        runner = TaskRunner()
        main = MainWindow(CounterContext(store, runner, actor, profile))
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        made.append((main, runner))
        return main

    yield make
    for main, runner in made:
        for detail in list(main.details):
            detail.reject()
        page = getattr(main, "reports_page", None)
        for preview in list(page.previews if page else []):
            preview.reject()
        runner.wait_for_done()

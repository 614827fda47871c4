"""Shared fixtures: every test gets its own fresh data directory and database."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# GUI fixtures (make_window) live beside the GUI helpers.
pytest_plugins = ["tests.gui_helpers"]

from app.bootstrap import initialise_counter, open_store  # noqa: E402
from app.db import Store  # noqa: E402
from app.permissions import Actor  # noqa: E402
from app.profile import SAMPLE_SETUP  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    # Commands and the GUI resolve the data directory from here when no --data-dir is given.
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(path))
    # Commands run in-process act as the sample administrator (SAMPLE_SETUP) unless a test says otherwise.
    monkeypatch.setenv("MOTCUA_USER", SAMPLE_SETUP.admin_username)
    monkeypatch.setenv("MOTCUA_PASSWORD", SAMPLE_SETUP.admin_password)
    return path


@pytest.fixture
def empty_store(data_dir: Path) -> Iterator[Store]:
    store = open_store(data_dir)
    yield store
    store.dispose()


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A counter set up like a newcomer's first start: sample commune, sample catalog."""
    from datetime import UTC, datetime

    from app import clock

    # Set up "long ago": tests then pin the clock to 2026 dates, and a chain that went from today back to
    # such a date would (rightly) get a clock.backwards audit row in front of the test's own rows.
    real_now = clock.now
    clock.now = lambda: datetime(2025, 1, 2, 1, 0, tzinfo=UTC)
    try:
        empty_store.admin = initialise_counter(empty_store, SAMPLE_SETUP)  # type: ignore[attr-defined]
    finally:
        clock.now = real_now
    return empty_store


@pytest.fixture
def admin(store: Store) -> Actor:
    return store.admin  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal message box would hang an offscreen test; an unexpected one fails it with its text instead."""
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind: str):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError(f"unexpected QMessageBox.{kind}: {title}: {text}")
        return show

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Pin the device clock (app.clock.now) to a moment; call again to move it."""
    from datetime import UTC

    from app import clock

    def pin(moment):  # type: ignore[no-untyped-def]
        fixed = moment.astimezone(UTC)
        monkeypatch.setattr(clock, "now", lambda: fixed)

    return pin

"""Helpers for the dossier list, detail and scan tests: dossiers made through the real use cases."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app import catalog
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor

MARRIAGE_STATUS = "1.004873"  # xác nhận tình trạng hôn nhân: 3 working days


def new_dossier(store: Store, admin: Actor, name: str = "Nguyễn Văn Đức", id_number: str = "001085012345",
                phone: str = "", procedure: str = MARRIAGE_STATUS, all_docs: bool = True) -> str:
    with store.read() as session:
        _, spec = catalog.get_procedure(session, procedure)
    documents = all_documents(spec) if all_docs else []
    return receive(store, admin, IntakeRequest(
        procedure_code=procedure, owner=PersonInput(full_name=name, id_number=id_number, phone=phone),
        documents=documents, accept_missing_required=not all_docs)).code


def walk(store: Store, admin: Actor, code: str, *actions: Action) -> None:
    for action in actions:
        perform(store, admin, code, StepRequest(action=action))


def key_for(ch: str) -> Qt.Key:
    if ch == ".":
        return Qt.Key.Key_Period
    if ch == "-":
        return Qt.Key.Key_Minus
    return Qt.Key(ord(ch.upper()))


def scan(widget: QWidget, code: str, suffix: Qt.Key = Qt.Key.Key_Return) -> None:
    """What a handheld scanner does: the code's keys as fast as possible, then Enter (or Tab, if so configured)."""
    for ch in code:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key_for(ch), ch, Qt.KeyboardModifier.NoModifier)
    text = "\t" if suffix == Qt.Key.Key_Tab else "\r"
    QTest.sendKeyEvent(QTest.KeyAction.Click, widget, suffix, text, Qt.KeyboardModifier.NoModifier)

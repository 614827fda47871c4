"""Counters with real activity, enrolled with a real portal: shared by the sync tests."""

import dataclasses
import random
from pathlib import Path

from sqlmodel import select

from app.bootstrap import initialise_counter, open_store
from app.catalog import get_procedure
from app.db import Store
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from models.tables import OutboxItem
from sync.enrollment import enroll
from sync.portal.service import Portal
from sync.protocol import item_client_id

PROCEDURE = "2.000635"
NAMES = ["Nguyễn Văn Đức", "Trần Thị Hà", "Lê Văn Nam", "Phạm Thị Thu", "Hoàng Văn Sơn", "Vũ Thị Lan"]


def new_counter(data_dir: Path, counter_number: int = 1) -> tuple[Store, Actor]:
    store = open_store(data_dir)
    admin = initialise_counter(store, dataclasses.replace(SAMPLE_SETUP, counter_number=counter_number))
    return store, admin


def record_activity(store: Store, admin: Actor, dossiers: int, seed: int = 1) -> list[str]:
    """Receive dossiers and move some forward: intake, forward, supplement request, result ready."""
    rng = random.Random(seed)
    with store.read() as session:
        _, spec = get_procedure(session, PROCEDURE)
    codes = []
    for i in range(dossiers):
        code = receive(store, admin, IntakeRequest(
            procedure_code=PROCEDURE, owner=PersonInput(full_name=f"{rng.choice(NAMES)} {i}",
                                                        id_number="001085012345"),
            documents=all_documents(spec))).code
        codes.append(code)
        if rng.random() < 0.6:
            perform(store, admin, code, StepRequest(action=Action.FORWARD, processing_body="Phòng Tư pháp"))
            if rng.random() < 0.5:
                perform(store, admin, code, StepRequest(action=Action.READY, note="Đã ký"))
    return codes


def enroll_with(store: Store, admin: Actor, portal_url: str, portal: Portal, counter_number: int | None = None
                ) -> None:
    code = portal.issue_code(SAMPLE_SETUP.agency_code, counter_number)
    enroll(store, admin, portal_url, code)


def outbox_ids(store: Store, state: str | None = None) -> set[str]:
    with store.read() as session:
        query = select(OutboxItem)
        if state:
            query = query.where(OutboxItem.state == state)
        return {item_client_id(r.kind, r.entity_id, r.payload) for r in session.exec(query).all()}


def outbox_count(store: Store) -> int:
    with store.read() as session:
        return len(session.exec(select(OutboxItem.id)).all())

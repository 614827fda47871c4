"""Transactional outbox: a change and its message to the portal commit together."""

from typing import Any

from sqlmodel import Session

from app import clock
from models.tables import OutboxItem


def enqueue(session: Session, kind: str, entity_id: str, payload: dict[str, Any]) -> None:
    session.add(OutboxItem(kind=kind, entity_id=entity_id, payload=payload, created_at=clock.now()))

"""Reading dossiers back: by code, and today's list for the counter."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.worktime import AGENCY_TZ
from models.tables import Dossier, DossierDocument, DossierEvent


@dataclass(frozen=True)
class DossierRecord:
    dossier: Dossier
    documents: list[DossierDocument]
    events: list[DossierEvent]


def normalise_code(text: str) -> str:
    return text.strip().upper()


def find_by_code(session: Session, code: str) -> DossierRecord:
    dossier = session.exec(select(Dossier).where(Dossier.code == normalise_code(code))).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ có mã '{code.strip()}'.")
    documents = session.exec(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id)
                             .order_by(col(DossierDocument.position))).all()
    events = session.exec(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                          .order_by(col(DossierEvent.seq))).all()
    return DossierRecord(dossier, list(documents), list(events))


def day_bounds(day_local: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of an agency-local day, as aware datetimes."""
    moment = (day_local or datetime.now(AGENCY_TZ)).astimezone(AGENCY_TZ)
    start = datetime.combine(moment.date(), time(0), tzinfo=AGENCY_TZ)
    return start, start + timedelta(days=1)


def received_between(session: Session, start: datetime, end: datetime, limit: int = 500, offset: int = 0
                     ) -> list[Dossier]:
    return list(session.exec(
        select(Dossier).where(col(Dossier.received_at) >= start, col(Dossier.received_at) < end)
        .order_by(col(Dossier.received_at).desc(), col(Dossier.code).desc()).offset(offset).limit(limit)).all())


def count_received_between(session: Session, start: datetime, end: datetime) -> int:
    return session.exec(select(func.count()).select_from(Dossier)
                        .where(col(Dossier.received_at) >= start, col(Dossier.received_at) < end)).one()

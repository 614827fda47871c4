"""Which form was printed or saved for which dossier: shown on the dossier, kept in the audit trail."""

from sqlmodel import Session

from app import audit, clock
from app.db import Store
from app.dossiers import find_by_code
from app.permissions import Actor, Permission
from models.tables import PrintedForm


def record_print(store: Store, actor: Actor, code: str | None, form: str, destination: str = "") -> None:
    actor.require(Permission.PRINT)
    with store.write() as session:
        _record(session, actor, code, form, destination)


def _record(session: Session, actor: Actor, code: str | None, form: str, destination: str) -> None:
    dossier_id = find_by_code(session, code).dossier.id if code else None
    session.add(PrintedForm(dossier_id=dossier_id, form=form, at=clock.now(), officer_id=actor.user_id))
    audit.record(session, actor.username, "print", "dossier" if code else "register", code or form,
                 {"form": form, "to": destination})

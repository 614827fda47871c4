"""A report saved or printed: recorded like any printed form, and audited as an export of data."""

from app import audit
from app.db import Store
from app.permissions import Actor, Permission
from app.printlog import _record as record_printed


def record_report_output(store: Store, actor: Actor, report: str, fmt: str, destination: str,
                         period: str, counter: int | None) -> None:
    """One transaction: the printed-form row (no dossier) and an audit row 'report.export'."""
    actor.require(Permission.VIEW_REPORTS)
    actor.require(Permission.PRINT)
    with store.write() as session:
        record_printed(session, actor, None, report, destination)
        audit.record(session, actor.username, "report.export", "report", report,
                     {"format": fmt, "period": period, "counter": counter, "to": destination})

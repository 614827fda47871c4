"""Dossier codes `{agency}-{yyMMdd}-{NNNN}` that never collide, even offline.

Each counter of an agency owns one "slot" (0-9), the thousands digit of the
daily sequence: counter 1 issues 0001-0999, counter 2 issues 1001-1999, and so
on. Two counters that have not spoken to each other for a week still cannot
produce the same code, and counter 1's first dossier of the day is -0001, as in
the national examples. Within one counter, numbers come from the `sequence`
table inside the intake's BEGIN IMMEDIATE transaction, so concurrent intakes
on one machine are serialised by SQLite's write lock. The UNIQUE index on
`dossier.code` is the last line of defence, and the portal rejects a code
already used by another dossier.
"""

from datetime import date

from sqlmodel import Session

from app.errors import CounterError
from models.tables import Sequence

NUMBERS_PER_SLOT = 999


def next_value(session: Session, name: str, scope: str) -> int:
    """Advance a named sequence; call only inside a write transaction."""
    row = session.get(Sequence, (name, scope))
    if row is None:
        row = Sequence(name=name, scope=scope, last=0)
    row.last += 1
    session.add(row)
    session.flush()
    return row.last


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def allocate_dossier_code(session: Session, agency_code: str, slot: int, day: date) -> str:
    ordinal = next_value(session, "dossier_code", f"{agency_code}|{day:%Y%m%d}|{slot}")
    if ordinal > NUMBERS_PER_SLOT:
        raise CounterError(
            f"Quầy đã cấp hết {NUMBERS_PER_SLOT} số hồ sơ của ngày {day:%d/%m/%Y}. "
            "Hãy tiếp nhận ở quầy khác hoặc liên hệ quản trị viên.")
    return format_code(agency_code, day, slot * 1000 + ordinal)


def allocate_register_number(session: Session, counter_number: int, year: int) -> int:
    return next_value(session, "register", f"{year}|{counter_number}")

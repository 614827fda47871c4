"""The working-time calendar as this counter knows it: statutory days plus stored corrections."""

from datetime import date

from sqlmodel import Session, col, select

from app import audit, clock, settings
from app.errors import ValidationFailed
from app.permissions import Actor, Permission
from app.validation import MAX_NAME, check_text
from app.worktime import DayOverride, WorkCalendar, parse_office_hours, statutory_holidays, statutory_makeup_workdays
from models.enums import DayKind
from models.tables import CalendarOverride


def load_calendar(session: Session) -> WorkCalendar:
    overrides = [DayOverride(row.day, row.kind, row.name)  # type: ignore[arg-type]
                 for row in session.exec(select(CalendarOverride)).all()]
    return WorkCalendar(
        overrides,
        office_hours=parse_office_hours(settings.OFFICE_HOURS.get(session)),
        hours_per_day=settings.HOURS_PER_DAY.get(session),
    )


def add_override(session: Session, actor: Actor, day: date, kind: DayKind, name: str) -> CalendarOverride:
    actor.require(Permission.MANAGE_CALENDAR)
    # The name is printed in lists and shown in the window: the same rules as any typed text.
    name, problem = check_text("name", name, "Tên/lý do của ngày điều chỉnh", MAX_NAME, required=True)
    if problem:
        raise ValidationFailed([problem])
    row = session.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day, kind=kind.value, name=name, created_by=actor.username,
                               created_at=clock.now())
    else:
        row.kind, row.name, row.created_by, row.created_at = kind.value, name, actor.username, clock.now()
    session.add(row)
    audit.record(session, actor.username, "calendar.override", "calendar", day.isoformat(),
                 {"kind": kind.value, "name": name})
    return row


def year_days_off(session: Session, year: int) -> list[tuple[date, str, str]]:
    """(day, kind, name, source) lines for `calendar list`: statutory holidays, make-up days, overrides."""
    lines: dict[date, tuple[str, str]] = {}
    for day, name in statutory_holidays(year).items():
        lines[day] = ("holiday", f"{name} (theo luật)")
    for day, name in statutory_makeup_workdays(year).items():
        lines[day] = ("workday", f"{name} (theo luật)")
    rows = session.exec(select(CalendarOverride).where(col(CalendarOverride.day) >= date(year, 1, 1),
                                                       col(CalendarOverride.day) <= date(year, 12, 31))).all()
    for row in rows:
        lines[row.day] = (row.kind, f"{row.name} (điều chỉnh bởi {row.created_by})")
    return [(day, kind, name) for day, (kind, name) in sorted(lines.items())]

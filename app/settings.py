"""Typed settings registry with defaults, stored in the `setting` table."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlmodel import Session

from models.tables import Setting

T = TypeVar("T")


@dataclass(frozen=True)
class SettingDef(Generic[T]):
    key: str
    default: T
    label: str
    choices: tuple[T, ...] = ()

    def get(self, session: Session) -> T:
        row = session.get(Setting, self.key)
        return self.default if row is None else row.value

    def set(self, session: Session, value: T) -> None:
        if self.choices and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise ValueError(f"Giá trị '{value}' không hợp lệ cho '{self.label}' (chọn: {allowed}).")
        row = session.get(Setting, self.key)
        if row is None:
            session.add(Setting(key=self.key, value=value))
        else:
            row.value = value
            session.add(row)


RECEIPT_COPIES: SettingDef[int] = SettingDef("receipt.copies", 2, "Số liên giấy hẹn", (1, 2))
PAPER_SIZE: SettingDef[str] = SettingDef("receipt.paper_size", "A4", "Khổ giấy", ("A4", "A5"))
# {code} is replaced by the dossier code; empty means the QR holds the code alone.
LOOKUP_URL_TEMPLATE: SettingDef[str] = SettingDef("receipt.lookup_url", "", "Địa chỉ tra cứu hồ sơ (QR)")
OFFICE_HOURS: SettingDef[str] = SettingDef("calendar.office_hours", "07:00-11:30,13:30-17:00", "Giờ làm việc")
HOURS_PER_DAY: SettingDef[int] = SettingDef("calendar.hours_per_day", 8, "Số giờ của một ngày làm việc")

ALL: tuple[SettingDef[Any], ...] = (
    RECEIPT_COPIES,
    PAPER_SIZE,
    LOOKUP_URL_TEMPLATE,
    OFFICE_HOURS,
    HOURS_PER_DAY,
)

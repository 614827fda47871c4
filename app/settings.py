"""Typed settings registry with defaults, stored in the `setting` table."""

from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlmodel import Session

from app.worktime import parse_office_hours
from models.tables import Setting

if TYPE_CHECKING:
    from app.permissions import Actor

T = TypeVar("T")


@dataclass(frozen=True)
class SettingDef(Generic[T]):
    key: str
    default: T
    label: str
    choices: tuple[T, ...] = ()
    # Raises ValueError with a Vietnamese message when a value would break the counter later.
    check: Callable[[T], object] | None = None

    def get(self, session: Session) -> T:
        row = session.get(Setting, self.key)
        return self.default if row is None else row.value

    def set(self, session: Session, value: T) -> None:
        if self.choices and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise ValueError(f"Giá trị '{value}' không hợp lệ cho '{self.label}' (chọn: {allowed}).")
        if self.check is not None:
            self.check(value)
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
OFFICE_HOURS: SettingDef[str] = SettingDef("calendar.office_hours", "07:00-11:30,13:30-17:00", "Giờ làm việc",
                                           check=parse_office_hours)
HOURS_PER_DAY: SettingDef[int] = SettingDef("calendar.hours_per_day", 8, "Số giờ của một ngày làm việc",
                                            choices=tuple(range(1, 13)))

# Printed on forms 04 and 05 (signed by the head of the agency) and on every form's date line.
PLACE_NAME: SettingDef[str] = SettingDef("forms.place_name", "", "Địa danh ghi trên văn bản (để trống: lấy từ tên cơ quan)")
HEAD_TITLE: SettingDef[str] = SettingDef("forms.head_title", "CHỦ TỊCH", "Chức danh người ký văn bản")
HEAD_AUTHORITY: SettingDef[str] = SettingDef("forms.head_authority", "TM. ỦY BAN NHÂN DÂN", "Thẩm quyền ký")
HEAD_NAME: SettingDef[str] = SettingDef("forms.head_name", "", "Họ tên người ký văn bản")
# Fee receipts (biên lai thu phí, lệ phí).
FEE_TAX_CODE: SettingDef[str] = SettingDef("fees.tax_code", "", "Mã số thuế đơn vị thu phí")
FEE_TEMPLATE: SettingDef[str] = SettingDef("fees.template", "01BLP0-001", "Mẫu số biên lai")
FEE_SERIES: SettingDef[str] = SettingDef("fees.series", "QMC-26E", "Ký hiệu biên lai")
# A counter left unattended locks itself after this many minutes without keyboard or mouse input.
IDLE_MINUTES: SettingDef[int] = SettingDef("security.idle_minutes", 10, "Tự khóa màn hình sau (phút không thao tác)",
                                           check=lambda m: _check_range(m, 1, 120, "Thời gian tự khóa màn hình (phút)"))
# Empty: the "backups" folder inside the data directory. An admin may point it at a USB drive.
BACKUP_FOLDER: SettingDef[str] = SettingDef("backup.folder", "", "Thư mục sao lưu (để trống: thư mục backups trong thư mục dữ liệu)")
BACKUP_KEEP_DAILY: SettingDef[int] = SettingDef("backup.keep_daily", 14, "Số bản sao lưu hằng ngày giữ lại",
                                                choices=tuple(range(1, 366)))


def _check_range(value: int, low: int, high: int, what: str) -> None:
    if not low <= value <= high:
        raise ValueError(f"{what} phải từ {low} đến {high}.")


def _check_warning_days(value: int) -> None:
    if not 1 <= value <= 60:
        raise ValueError("Số ngày làm việc để cảnh báo phải từ 1 đến 60.")


# Early warnings (app.early_warning): waiting longer than this many working days is flagged.
SUPPLEMENT_DAYS: SettingDef[int] = SettingDef("warnings.supplement_days", 5, "Cảnh báo chờ bổ sung quá (ngày làm việc)",
                                              check=_check_warning_days)
UNCOLLECTED_DAYS: SettingDef[int] = SettingDef("warnings.uncollected_days", 5,
                                               "Cảnh báo kết quả chưa trả quá (ngày làm việc)", check=_check_warning_days)

ALL: tuple[SettingDef[Any], ...] = (
    RECEIPT_COPIES,
    PAPER_SIZE,
    LOOKUP_URL_TEMPLATE,
    OFFICE_HOURS,
    HOURS_PER_DAY,
    PLACE_NAME,
    HEAD_TITLE,
    HEAD_AUTHORITY,
    HEAD_NAME,
    FEE_TAX_CODE,
    FEE_TEMPLATE,
    FEE_SERIES,
    IDLE_MINUTES,
    SUPPLEMENT_DAYS,
    UNCOLLECTED_DAYS,
    BACKUP_FOLDER,
    BACKUP_KEEP_DAILY,
)


def find(key: str) -> SettingDef[Any]:
    for definition in ALL:
        if definition.key == key:
            return definition
    known = ", ".join(d.key for d in ALL)
    raise KeyError(f"Không có cài đặt '{key}' (có: {known}).")


def parse_value(definition: SettingDef[Any], text: str) -> Any:
    """A value typed on the command line, converted to the setting's type."""
    if isinstance(definition.default, bool):
        return text.strip().lower() in ("1", "true", "co", "có", "yes")
    if isinstance(definition.default, int):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"'{definition.label}' phải là số nguyên.") from None
    return text.strip()


def change(session: Session, actor: "Actor", key: str, text: str) -> Any:
    """Set one setting by key (admin only), audited."""
    from app import audit
    from app.permissions import Permission

    actor.require(Permission.MANAGE_SETTINGS)
    try:
        definition = find(key)
    except KeyError as error:
        from app.errors import CounterError

        raise CounterError(str(error.args[0])) from None
    try:
        value = parse_value(definition, text)
        definition.set(session, value)
    except ValueError as error:
        from app.errors import CounterError

        raise CounterError(str(error)) from None
    audit.record(session, actor.username, "setting.change", "setting", key, {"value": value})
    return value

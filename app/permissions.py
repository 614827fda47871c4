"""Who may do what. Every use case checks its actor here, GUI or command line alike."""

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDenied
from models.enums import Role


class Permission(StrEnum):
    RECEIVE = "receive"
    PROCESS = "process"
    FEE_OVERRIDE = "fee_override"
    LATE_ENTRY = "late_entry"
    PRINT = "print"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_REPORTS = "view_reports"
    VIEW_AUDIT = "view_audit"
    RESTORE = "restore"


# Officers receive, process and print; supervisors (lãnh đạo bộ phận) also answer for the counter's
# figures and exceptions; administrators also look after accounts, settings, the catalog and restores.
_OFFICER = {Permission.RECEIVE, Permission.PROCESS, Permission.PRINT}
_SUPERVISOR = _OFFICER | {Permission.LATE_ENTRY, Permission.MANAGE_CALENDAR, Permission.FEE_OVERRIDE,
                          Permission.VIEW_REPORTS, Permission.VIEW_AUDIT}
_ADMIN = _SUPERVISOR | {Permission.MANAGE_CATALOG, Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS,
                        Permission.RESTORE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(_OFFICER),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(_ADMIN),
}

_PERMISSION_LABELS = {
    Permission.RECEIVE: "tiếp nhận hồ sơ",
    Permission.PROCESS: "cập nhật các bước xử lý hồ sơ",
    Permission.FEE_OVERRIDE: "miễn, giảm hoặc hoàn trả phí, lệ phí",
    Permission.LATE_ENTRY: "nhập bù hồ sơ nhận trên giấy",
    Permission.PRINT: "in giấy tờ",
    Permission.MANAGE_CATALOG: "cập nhật danh mục thủ tục",
    Permission.MANAGE_CALENDAR: "sửa lịch làm việc",
    Permission.MANAGE_USERS: "quản lý tài khoản",
    Permission.MANAGE_SETTINGS: "thay đổi cài đặt",
    Permission.VIEW_REPORTS: "xem báo cáo, thống kê",
    Permission.VIEW_AUDIT: "xem nhật ký hệ thống",
    Permission.RESTORE: "khôi phục dữ liệu từ bản sao lưu",
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person on whose behalf a use case runs."""

    user_id: int
    username: str
    full_name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"Tài khoản '{self.username}' ({self.role.label}) không có quyền "
                f"{_PERMISSION_LABELS[permission]}."
            )


# The actor for bootstrap work done before any account exists (first-start setup).
SYSTEM = Actor(user_id=0, username="system", full_name="Hệ thống", role=Role.ADMIN)

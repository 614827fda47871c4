"""Table models for the audit and backup page."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.audit import CLOCK_BACKWARDS
from app.worktime import AGENCY_TZ
from ui.rows_model import Index as _Index
from ui.rows_model import RowsTableModel

_FLAG = QColor("#fde2e1")

# What a supervisor reads instead of the stored action code (the code stays in the tooltip).
ACTION_LABELS: dict[str, str] = {
    "counter.init": "Thiết lập quầy", "demo.seed": "Tạo dữ liệu mẫu", "catalog.import": "Nhập danh mục thủ tục",
    "calendar.override": "Sửa lịch làm việc", "setting.change": "Đổi cài đặt", "print": "In / lưu giấy tờ",
    "report.export": "Xuất báo cáo", "dossier.receive": "Tiếp nhận hồ sơ",
    "fee.payment": "Thu phí, lệ phí", "fee.exemption": "Miễn, giảm phí", "fee.refund": "Hoàn trả phí",
    "user.create": "Tạo tài khoản", "user.enable": "Mở lại tài khoản", "user.disable": "Vô hiệu hóa tài khoản",
    "user.reset_password": "Đặt lại mật khẩu", "user.change_password": "Đổi mật khẩu",
    "user.login": "Đăng nhập", "user.login_failed": "Đăng nhập sai", "user.lockout": "Tạm khóa tài khoản",
    "user.sync": "Tài khoản từ cổng tỉnh", "backup.create": "Sao lưu", "backup.restore": "Khôi phục dữ liệu",
    "device_key.create": "Tạo khóa ký giấy hẹn", "device_key.adopt": "Nhận lại khóa ký giấy hẹn",
    "device_key.export": "Xuất khóa công khai", "sync.enroll": "Đăng ký với cổng tỉnh",
    "sync.retry": "Gửi lại mục bị từ chối", "sync.bundle_export": "Xuất tệp đồng bộ (USB)",
    "sync.bundle_ack": "Nhập xác nhận của cổng (USB)",
    "app.abrupt_end": "Phiên trước tắt đột ngột",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("dossier."):
        from ui.dossier_detail_data import EVENT_LABELS

        return EVENT_LABELS.get(action.split(".", 1)[1], action)
    return action


class AuditTableModel(RowsTableModel):
    HEADERS = ("Số", "Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        flagged = row.action == CLOCK_BACKWARDS
        if role == Qt.ItemDataRole.BackgroundRole and flagged:
            return _FLAG
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return row.action
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return str(row.mono)
        if column == 1:
            return row.at.astimezone(AGENCY_TZ).strftime("%d/%m/%Y %H:%M:%S")
        if column == 2:
            return row.actor
        if column == 3:
            return "⚠ Đồng hồ máy bị lùi" if flagged else action_label(row.action)
        if column == 4:
            return f"{row.entity} {row.entity_id}".strip()
        if flagged:
            details = row.details
            return (f"trước: {_local(details.get('previous_at'))}, máy báo: {_local(details.get('device_at'))} "
                    f"(lùi {int(details.get('behind_seconds', 0)) // 60} phút)")
        return ", ".join(f"{k}={v}" for k, v in sorted(row.details.items()))[:160]


def _local(text: Any) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(text)).astimezone(AGENCY_TZ).strftime("%H:%M:%S %d/%m/%Y")
    except ValueError:
        return str(text)


KIND_LABELS = {"daily": "Hằng ngày", "exit": "Khi thoát", "manual": "Thủ công", "before-restore": "Trước khôi phục"}


class BackupTableModel(RowsTableModel):
    HEADERS = ("Thời gian", "Loại", "Dung lượng", "Người tạo", "Tệp")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and not row.present:
            return QColor("#888888")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (row.at.astimezone(AGENCY_TZ).strftime("%d/%m/%Y %H:%M"), KIND_LABELS.get(row.kind, row.kind),
                f"{row.size / 1_048_576:.1f} MB", row.actor,
                row.path + ("" if row.present else "  (đã xoá theo vòng quay hoặc ổ không cắm)"))[index.column()]

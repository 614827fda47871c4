"""At start, when the database failed its check: offer the newest good backup (admin credentials)."""

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from app.errors import CounterError, DatabaseDamaged


def _backup_date(path: Path) -> str:
    # motcua-YYYYMMDD-HHMMSS-kind.sqlite3
    parts = path.name.split("-")
    try:
        d, t = parts[1], parts[2]
        return f"{t[:2]}:{t[2:4]} ngày {d[6:8]}/{d[4:6]}/{d[:4]}"
    except IndexError:
        return path.name


def offer_restore(data_dir: Path, damaged: DatabaseDamaged) -> bool:
    """True when a backup was restored and the store can be opened again."""
    backup = Path(str(damaged.backup)) if damaged.backup else None
    if backup is None:
        QMessageBox.critical(None, "Dữ liệu bị hỏng", str(damaged))
        return False
    answer = QMessageBox.question(
        None, "Dữ liệu bị hỏng",
        f"Cơ sở dữ liệu bị hỏng ({damaged.problem}).\n\nBản sao lưu tốt gần nhất được tạo lúc "
        f"{_backup_date(backup)}:\n{backup}\n\nKhôi phục bản sao này? (Quản trị viên xác nhận bằng mật khẩu; "
        "dữ liệu hỏng được giữ lại trong thư mục backups.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    from app.restore import actor_from_backup, restore_from

    username, ok = QInputDialog.getText(None, "Khôi phục dữ liệu", "Tài khoản quản trị:")
    if not ok:
        return False
    password, ok = QInputDialog.getText(None, "Khôi phục dữ liệu", "Mật khẩu:", QLineEdit.EchoMode.Password)
    if not ok:
        return False
    try:
        actor = actor_from_backup(backup, username, password)
        restore_from(data_dir, backup, actor).store.dispose()
    except CounterError as error:
        QMessageBox.critical(None, "Không khôi phục được", str(error))
        return False
    QMessageBox.information(None, "Đã khôi phục", f"Đã khôi phục dữ liệu từ bản sao lúc {_backup_date(backup)}.")
    return True

"""Small building blocks shared by the counter's screens."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e; font-size: 9pt;"


class FieldWithError(QWidget):
    """An input with the Vietnamese message about it shown right underneath."""

    def __init__(self, field: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)
        self.setFocusProxy(field)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.field.setProperty("invalid", bool(message))
        self.field.style().unpolish(self.field)
        self.field.style().polish(self.field)


def add_row(form: QFormLayout, label: str, field: QWidget) -> FieldWithError:
    wrapped = FieldWithError(field)
    caption = QLabel(label)
    caption.setBuddy(field)
    caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.addRow(caption, wrapped)
    return wrapped


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label

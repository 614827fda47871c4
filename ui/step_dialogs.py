"""Dialogs for one step of a dossier's life, and for taking a fee payment.

Each dialog asks only what its step needs, runs the step on the write worker,
shows the core's per-field messages next to the fields, and stays open until
the step is stored. Signals: `StepDialog.performed(DossierRecord)`,
`PaymentDialog.recorded(Payment)`.
"""

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError, ValidationFailed, describe_environment_error
from app.fees import PaymentRequest, record
from app.lifecycle import Action, StepRequest, perform
from app.worktime import AGENCY_TZ, WorkCalendar, format_vn_moment
from models.enums import PaymentKind, PaymentMethod, Satisfaction
from models.tables import Dossier, DossierDocument
from ui.context import CounterContext
from ui.widgets import ERROR_STYLE, FieldWithError, add_row

MAX_PAYMENT = 2_000_000_000  # a QSpinBox holds 32-bit numbers; no commune fee comes near

_REASON_LABELS: dict[Action, str] = {
    Action.REQUEST_SUPPLEMENT: "Lý do:",
    Action.REFUSE: "Lý do từ chối:",
    Action.STOP: "Lý do dừng xử lý:",
    Action.EXTEND: "Lý do chậm trễ:",
    Action.REQUEST_PAYMENT: "Nghĩa vụ tài chính:",
    Action.WITHDRAW: "Lý do rút hồ sơ:",
}

_EXPLANATIONS: dict[Action, str] = {
    Action.REQUEST_SUPPLEMENT: "Thông báo <b>một lần, đầy đủ</b> mọi giấy tờ cần bổ sung (mẫu 02). "
                               "Thời gian giải quyết tạm dừng cho đến khi công dân nộp bổ sung.",
    Action.SUPPLEMENTED: "Công dân đã nộp đủ giấy tờ bổ sung. Thời gian tạm dừng được cộng vào hạn trả.",
    Action.REFUSE: "Hồ sơ sẽ kết thúc ở trạng thái “Không được tiếp nhận”; in phiếu từ chối (mẫu 03) giao công dân.",
    Action.REQUEST_PAYMENT: "Công dân cần thực hiện nghĩa vụ tài chính trước khi hồ sơ được giải quyết tiếp.",
    Action.READY: "Cơ quan giải quyết đã có kết quả; hồ sơ chuyển sang chờ trả kết quả.",
    Action.WITHDRAW: "Công dân rút hồ sơ; hồ sơ sẽ kết thúc.",
    Action.STOP: "Hồ sơ sẽ dừng xử lý; in thông báo dừng giải quyết (mẫu 05).",
    Action.EXTEND: "Văn bản xin lỗi và hẹn lại ngày trả (mẫu 04). Chỉ được hẹn lại <b>một lần</b>, "
                   "chậm nhất một ngày làm việc trước hạn.",
}


def _agency_qt(moment: datetime) -> QDateTime:
    return QDateTime(moment.astimezone(AGENCY_TZ).replace(tzinfo=None))


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _clear_errors(rows: dict[str, FieldWithError], general: QLabel) -> None:
    for row in rows.values():
        row.set_error(None)
    general.hide()


def _show_failure(parent: QWidget, title: str, error: BaseException, rows: dict[str, FieldWithError],
                  general: QLabel) -> None:
    """ValidationFailed messages go under their fields; any other problem in a message box."""
    if isinstance(error, ValidationFailed):
        shown: list[FieldWithError] = []
        others: list[str] = []
        for problem in error.problems:
            row = rows.get(problem.field)
            if row is not None:
                row.set_error(problem.message)
                shown.append(row)
            else:
                others.append(problem.message)
        if others:
            general.setText("\n".join(others))
            general.show()
        if shown:
            shown[0].field.setFocus()
        return
    environment = describe_environment_error(error)
    if isinstance(error, CounterError) or environment:
        QMessageBox.warning(parent, title, environment or str(error))
    else:
        QMessageBox.critical(parent, "Lỗi không mong đợi",
                             f"Đã xảy ra lỗi chưa lường trước; chưa có gì được ghi.\n\n{error!r}")


def _general_error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class SatisfactionButtons(QWidget):
    """Three quick buttons; clicking the chosen one again clears the rating (it is optional)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[Satisfaction, QPushButton] = {}
        for rating in Satisfaction:
            button = QPushButton(rating.label)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setObjectName("rating")
            self.group.addButton(button, int(rating))
            layout.addWidget(button)
            self.buttons[rating] = button
        layout.addStretch()
        self.group.idToggled.connect(self._on_toggled)

    @Slot(int, bool)
    def _on_toggled(self, rating: int, checked: bool) -> None:
        if checked:
            for other, button in self.buttons.items():
                if int(other) != rating and button.isChecked():
                    button.setChecked(False)

    def value(self) -> int | None:
        return next((int(r) for r, b in self.buttons.items() if b.isChecked()), None)


class StepDialog(QDialog):
    """One step (`Action`) on one dossier. Signals: `performed(DossierRecord)` once it is stored."""

    performed = Signal(object)

    def __init__(self, ctx: CounterContext, action: Action, dossier: Dossier, documents: list[DossierDocument],
                 calendar: WorkCalendar, forward_rule: str = "", fee_balance: int = 0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.action = action
        self.code = dossier.code
        self._busy = False
        self.setWindowTitle(f"{action.label} — {dossier.code}")
        self.setMinimumWidth(620)

        heading = QLabel(f"<b>{action.label}</b><br>Hồ sơ <b>{dossier.code}</b> · {dossier.owner_name}"
                         f"<br><span style='color:#5f6b7a'>{dossier.procedure_name}</span>")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        explanation = _EXPLANATIONS.get(action)
        if action is Action.FORWARD and forward_rule:
            explanation = f"Quy định: hồ sơ nhận trước 15 giờ chuyển trong ngày.<br><b>{forward_rule}</b>"
        if explanation:
            info = QLabel(explanation)
            info.setObjectName("stepInfo")
            info.setWordWrap(True)
            info.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(info)
        self.info_text = explanation or ""

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.rows: dict[str, FieldWithError] = {}
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(64)
        self.documents = QListWidget()
        self.other_documents = QPlainTextEdit()
        self.other_documents.setTabChangesFocus(True)
        self.other_documents.setPlaceholderText("Giấy tờ khác cần bổ sung: mỗi dòng một giấy tờ")
        self.other_documents.setFixedHeight(64)
        self.processing_body = QLineEdit()
        self.note = QLineEdit()
        self.legal_basis = QLineEdit()
        self.new_due = QDateTimeEdit()
        self.receiver_name = QLineEdit()
        self.receiver_id = QLineEdit()
        self.satisfaction = SatisfactionButtons()

        if action is Action.FORWARD:
            self.processing_body.setPlaceholderText("ví dụ: Công chức Tư pháp - Hộ tịch (không bắt buộc)")
            self.rows["processing_body"] = add_row(form, "Chuyển đến:", self.processing_body)
        if action is Action.REQUEST_SUPPLEMENT:
            for document in documents:
                if not document.submitted:
                    item = QListWidgetItem(document.name)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked)
                    self.documents.addItem(item)
            self.documents.setFixedHeight(min(150, 30 + 26 * max(1, self.documents.count())))
            if self.documents.count() == 0:
                self.documents.hide()
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(self.documents)
            box_layout.addWidget(self.other_documents)
            self.rows["documents"] = add_row(form, "Giấy tờ cần bổ sung:", box)
            self.rows["documents"].field = self.other_documents if self.documents.isHidden() else self.documents
        if action in _REASON_LABELS:
            if action is Action.WITHDRAW:
                self.reason.setPlaceholderText("không bắt buộc")
            self.rows["reason"] = add_row(form, _REASON_LABELS[action], self.reason)
        if action is Action.STOP:
            self.legal_basis.setPlaceholderText("văn bản, điều khoản (không bắt buộc)")
            self.rows["legal_basis"] = add_row(form, "Căn cứ pháp lý:", self.legal_basis)
        if action is Action.EXTEND:
            self.new_due.setDisplayFormat("HH:mm  dd/MM/yyyy")
            self.new_due.setCalendarPopup(True)
            if dossier.due_at is not None:
                current = QLabel(format_vn_moment(dossier.due_at))
                form.addRow("Hạn trả hiện tại:", current)
                proposed = calendar.add_working_time(dossier.due_at, timedelta(hours=calendar.hours_per_day))
                self.new_due.setDateTime(_agency_qt(proposed))
            self.rows["new_due"] = add_row(form, "Hẹn trả mới:", self.new_due)
        if action in (Action.READY, Action.SUPPLEMENTED):
            self.note.setPlaceholderText("không bắt buộc")
            self.rows["note"] = add_row(form, "Ghi chú:", self.note)
        if action is Action.RETURN:
            self.receiver_name.setText(dossier.submitter_name or dossier.owner_name)
            self.receiver_id.setPlaceholderText("CCCD/CMND người nhận (không bắt buộc)")
            self.rows["receiver_name"] = add_row(form, "Người nhận kết quả:", self.receiver_name)
            self.rows["receiver_id"] = add_row(form, "Số giấy tờ:", self.receiver_id)
            self.rows["satisfaction"] = add_row(form, "Mức độ hài lòng:", self.satisfaction)
            if fee_balance > 0:
                owed = QLabel(f"Lưu ý: hồ sơ còn <b>{_money(fee_balance)}</b> phí, lệ phí chưa thu.")
                owed.setStyleSheet("color: #8a5300;")
                form.addRow("", owed)
        layout.addLayout(form)
        self.general_error = _general_error_label()
        layout.addWidget(self.general_error)
        layout.addStretch()

        self.cancel_button = QPushButton("Hủy (Esc)")
        self.cancel_button.setAutoDefault(False)
        self.confirm_button = QPushButton(f"Xác nhận: {action.label}")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self._on_confirm)

        first = next(iter(self.rows.values()), None)
        if action is Action.RETURN:
            self.confirm_button.setFocus()
        elif first is not None:
            first.field.setFocus()
        else:
            self.confirm_button.setFocus()

    def request(self) -> StepRequest:
        documents: list[str] = []
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                documents.append(item.text())
        documents += [line.strip() for line in self.other_documents.toPlainText().splitlines() if line.strip()]
        new_due = None
        if self.action is Action.EXTEND:
            new_due = self.new_due.dateTime().toPython().replace(tzinfo=AGENCY_TZ)
        return StepRequest(
            action=self.action, reason=self.reason.toPlainText(), documents=documents, new_due=new_due,
            receiver_name=self.receiver_name.text(), receiver_id=self.receiver_id.text(),
            satisfaction=self.satisfaction.value() if self.action is Action.RETURN else None,
            legal_basis=self.legal_basis.text(), processing_body=self.processing_body.text(), note=self.note.text())

    @Slot()
    def _on_confirm(self) -> None:
        if self._busy:
            return
        _clear_errors(self.rows, self.general_error)
        request = self.request()
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.confirm_button.setText("Đang lưu…")
        ctx, code = self._ctx, self.code
        ctx.runner.run_write(lambda: perform(ctx.store, ctx.actor, code, request), self._on_done, self._on_failed,
                             owner=self)

    def _finish(self) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        self.confirm_button.setText(f"Xác nhận: {self.action.label}")

    def _on_done(self, record: object) -> None:
        self._finish()
        self.performed.emit(record)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._finish()
        _show_failure(self, f"Không thể “{self.action.label}”", error, self.rows, self.general_error)


class PaymentDialog(QDialog):
    """Take a fee payment. Signals: `recorded(Payment)` once it is stored."""

    recorded = Signal(object)

    def __init__(self, ctx: CounterContext, dossier: Dossier, balance: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.code = dossier.code
        self._busy = False
        self.setWindowTitle(f"Thu phí, lệ phí — {dossier.code}")
        self.setMinimumWidth(520)
        heading = QLabel(f"<b>Thu phí, lệ phí</b><br>Hồ sơ <b>{dossier.code}</b> · {dossier.owner_name}"
                         f"<br>Còn phải thu: <b>{_money(max(balance, 0))}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)

        form = QFormLayout()
        self.amount = QSpinBox()
        self.amount.setRange(0, MAX_PAYMENT)
        self.amount.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # 10.000
        self.amount.setGroupSeparatorShown(True)
        self.amount.setSuffix(" đồng")
        self.amount.setSingleStep(1000)
        self.amount.setValue(min(max(balance, 0), MAX_PAYMENT))
        self.cash = QRadioButton(PaymentMethod.CASH.label)
        self.transfer = QRadioButton(PaymentMethod.BANK_TRANSFER.label)
        self.cash.setChecked(True)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.cash)
        self.method_group.addButton(self.transfer)
        methods = QWidget()
        methods_layout = QHBoxLayout(methods)
        methods_layout.setContentsMargins(0, 0, 0, 0)
        methods_layout.addWidget(self.cash)
        methods_layout.addWidget(self.transfer)
        methods_layout.addStretch()
        self.payer = QLineEdit(dossier.submitter_name or dossier.owner_name)
        self.note = QLineEdit()
        self.note.setPlaceholderText("không bắt buộc")
        self.rows: dict[str, FieldWithError] = {
            "amount": add_row(form, "Số tiền:", self.amount),
            "method": add_row(form, "Hình thức:", methods),
            "payer": add_row(form, "Người nộp tiền:", self.payer),
            "note": add_row(form, "Ghi chú:", self.note),
        }
        self.general_error = _general_error_label()
        self.cancel_button = QPushButton("Hủy (Esc)")
        self.cancel_button.setAutoDefault(False)
        self.confirm_button = QPushButton("Thu tiền và in biên lai")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.amount.setFocus()
        self.amount.selectAll()

    def request(self) -> PaymentRequest:
        method = PaymentMethod.BANK_TRANSFER if self.transfer.isChecked() else PaymentMethod.CASH
        return PaymentRequest(kind=PaymentKind.PAYMENT, amount=self.amount.value(), method=method,
                              payer=self.payer.text(), note=self.note.text())

    @Slot()
    def _on_confirm(self) -> None:
        if self._busy:
            return
        _clear_errors(self.rows, self.general_error)
        request = self.request()
        self._busy = True
        self.confirm_button.setEnabled(False)
        ctx, code = self._ctx, self.code
        ctx.runner.run_write(lambda: record(ctx.store, ctx.actor, code, request), self._on_done, self._on_failed,
                             owner=self)

    def _on_done(self, payment: object) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        self.recorded.emit(payment)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        _show_failure(self, "Chưa thu được phí", error, self.rows, self.general_error)

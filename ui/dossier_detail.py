"""One dossier at a glance, and every step the counter can take on it.

The dialog shows who and what the dossier is, its due time and whether it is
late, its history (every event, with the officer and the details the step
recorded), the forms printed for it, its fees, and one button per step that is
allowed now; the usual next step is the focused default button, so a scanned
dossier whose result is ready is returned with Enter. Everything is read and
written on the task runner's workers.

Signals: `DossierDetailDialog.changed(code)` after a step or a payment was stored.
"""

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError, describe_environment_error
from app.lifecycle import Action
from app.worktime import format_vn_moment
from models.enums import DossierStatus, SubjectType
from ui.context import CounterContext
from ui.dossier_detail_data import (
    FILE_NAMES,
    FORM_AFTER,
    FORMS,
    DetailData,
    load_detail,
    money_text,
    render_form,
)
from ui.dossier_list_model import Urgency, local_text
from ui.pdf_preview import PdfPreviewDialog
from ui.step_dialogs import PaymentDialog, StepDialog
from ui.timeline_model import TimelineModel

S = DossierStatus

_STATUS_COLOURS: dict[S, tuple[str, str]] = {
    S.ACCEPTED: ("#e8f1fb", "#123e6b"),
    S.PROCESSING: ("#e8f1fb", "#123e6b"),
    S.SUPPLEMENT_REQUESTED: ("#fff3d6", "#7a4b00"),
    S.PAYMENT_REQUESTED: ("#fff3d6", "#7a4b00"),
    S.RESULT_READY: ("#e3f4e6", "#1d5e2a"),
    S.RETURNED: ("#eceff3", "#3b4652"),
    S.REFUSED: ("#fde8e6", "#a11d1d"),
    S.WITHDRAWN: ("#fde8e6", "#a11d1d"),
    S.STOPPED: ("#fde8e6", "#a11d1d"),
    S.REGISTERED_ONLINE: ("#eceff3", "#3b4652"),
}
_DANGEROUS = frozenset({Action.REFUSE, Action.STOP, Action.WITHDRAW})


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


class DossierDetailDialog(QDialog):
    changed = Signal(str)

    def __init__(self, ctx: CounterContext, data: DetailData, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.data = data
        self.code = data.code
        self.step_dialog: StepDialog | None = None
        self.payment_dialog: PaymentDialog | None = None
        self.previews: list[PdfPreviewDialog] = []
        self.action_buttons: dict[Action, QPushButton] = {}
        self.setWindowTitle(f"Hồ sơ {data.code}")
        available = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(1160, available.width() - 40), min(700, available.height() - 40))

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("statusChip")
        header_row = QHBoxLayout()
        header_row.addWidget(self.header)
        header_row.addWidget(self.status_chip)
        header_row.addStretch()

        # --- what the dossier is --------------------------------------------------
        info_box = QGroupBox("Thông tin hồ sơ")
        info = QFormLayout(info_box)
        info.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        info.setVerticalSpacing(4)
        self.owner_label = _value_label()
        self.contact_label = _value_label()
        self.submitter_label = _value_label()
        self.procedure_label = _value_label()
        self.received_label = _value_label()
        self.due_label = _value_label()
        self.documents_label = _value_label()
        info.addRow("Chủ hồ sơ:", self.owner_label)
        info.addRow("Liên hệ:", self.contact_label)
        info.addRow("Người nộp:", self.submitter_label)
        info.addRow("Thủ tục:", self.procedure_label)
        info.addRow("Tiếp nhận:", self.received_label)
        info.addRow("Hẹn trả:", self.due_label)
        info.addRow("Giấy tờ:", self.documents_label)

        # --- fees and printed forms -------------------------------------------------
        fee_box = QGroupBox("Phí, lệ phí")
        fee_grid = QGridLayout(fee_box)
        self.fee_total = QLabel()
        self.fee_paid = QLabel()
        self.fee_exempted = QLabel()
        self.fee_balance = QLabel()
        self.fee_balance.setObjectName("feeBalance")
        for row, (caption, label) in enumerate((("Tổng phải nộp:", self.fee_total), ("Đã thu:", self.fee_paid),
                                                ("Miễn, giảm:", self.fee_exempted),
                                                ("Còn phải thu:", self.fee_balance))):
            fee_grid.addWidget(QLabel(caption), row, 0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            fee_grid.addWidget(label, row, 1)
        self.pay_button = QPushButton("Thu phí…")
        self.pay_button.setAutoDefault(False)
        fee_grid.addWidget(self.pay_button, 4, 0, 1, 2)
        printed_box = QGroupBox("Giấy tờ đã in")
        printed_layout = QVBoxLayout(printed_box)
        self.printed_label = QLabel()
        self.printed_label.setWordWrap(True)
        self.printed_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        printed_layout.addWidget(self.printed_label)
        side = QVBoxLayout()
        side.addWidget(fee_box)
        side.addWidget(printed_box, 1)

        top = QHBoxLayout()
        top.addWidget(info_box, 3)
        top.addLayout(side, 1)

        # --- history ------------------------------------------------------------------
        self.timeline_model = TimelineModel()
        self.timeline = QTableView()
        self.timeline.setModel(self.timeline_model)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setWordWrap(True)
        self.timeline.verticalHeader().hide()
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        history_title = QLabel("Quá trình xử lý")
        history_title.setObjectName("sectionTitle")

        # --- steps ------------------------------------------------------------------
        self.message = QLabel()
        self.message.setObjectName("detailMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.actions_row = QHBoxLayout()
        self.no_action_label = QLabel("Hồ sơ đã kết thúc; không còn bước xử lý nào.")
        self.no_action_label.setObjectName("hint")
        self.reprint_button = QPushButton("In lại…")
        self.reprint_button.setAutoDefault(False)
        self.reprint_menu = QMenu(self)
        self.reprint_button.setMenu(self.reprint_menu)
        self.close_button = QPushButton("Đóng (Esc)")
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addLayout(self.actions_row)
        buttons.addWidget(self.no_action_label)
        buttons.addStretch()
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header_row)
        layout.addLayout(top)
        layout.addWidget(history_title)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.pay_button.clicked.connect(self._on_pay)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("F5"), self, self.reload)
        self._apply(data)

    # --- showing the data -----------------------------------------------------------

    def _apply(self, data: DetailData) -> None:
        self.data = data
        d = data.dossier
        status = S(d.status)
        self.header.setText(f"<span style='font-size:15pt; font-weight:600; color:#1f3a5f'>Hồ sơ {d.code}</span>")
        background, foreground = _STATUS_COLOURS.get(status, ("#eceff3", "#3b4652"))
        self.status_chip.setText(status.label)
        self.status_chip.setStyleSheet(f"background:{background}; color:{foreground}; border-radius:10px; "
                                       f"padding:3px 10px; font-weight:600;")
        subject = SubjectType(d.subject_type).label
        owner = f"<b>{d.owner_name}</b> ({subject.lower()})"
        if d.owner_id_number:
            owner += f" · Số giấy tờ: {d.owner_id_number}"
        if d.owner_dob:
            owner += f" · Sinh ngày {d.owner_dob:%d/%m/%Y}"
        self.owner_label.setText(owner)
        contact = [part for part in (d.owner_phone, d.owner_email, d.owner_address) if part]
        self.contact_label.setText(" · ".join(contact) or "—")
        submitter = d.submitter_name
        if submitter and d.submitter_id_number:
            submitter += f" · Số giấy tờ: {d.submitter_id_number}"
        self.submitter_label.setText(submitter or "Chủ hồ sơ tự nộp")
        self.procedure_label.setText(f"{d.procedure_name} <span style='color:#5f6b7a'>({d.procedure_code})</span>")
        received = f"{format_vn_moment(d.received_at)} · {d.officer_name} · Quầy số {d.counter_number}"
        if d.late_entry:
            received += " · <span style='color:#7a4b00'>nhập bù</span>"
        self.received_label.setText(received)
        colour = {Urgency.OVERDUE: "#a11d1d", Urgency.NEAR: "#7a4b00"}.get(data.urgency)
        self.due_label.setText(f"<b style='color:{colour}'>{data.due_text}</b>" if colour
                               else f"<b>{data.due_text}</b>")
        submitted = [doc for doc in data.documents if doc.submitted]
        missing = [doc.name for doc in data.documents if not doc.submitted]
        documents = f"Đã nộp {len(submitted)}/{len(data.documents)} giấy tờ · {d.sets} bộ"
        if missing:
            documents += "<br><span style='color:#5f6b7a'>Chưa nộp: " + "; ".join(missing) + "</span>"
        self.documents_label.setText(documents)

        fees = data.fees
        self.fee_total.setText(money_text(fees.total))
        self.fee_paid.setText(money_text(fees.paid - fees.refunded))
        self.fee_exempted.setText(money_text(fees.exempted))
        self.fee_balance.setText(f"<b>{money_text(fees.balance)}</b>")
        self.fee_balance.setStyleSheet("color:#a11d1d;" if fees.balance > 0 else "color:#1d5e2a;")
        self.pay_button.setEnabled(fees.balance > 0 and status not in (S.REFUSED, S.WITHDRAWN))
        if data.printed:
            self.printed_label.setText("<br>".join(
                f"{local_text(p.at, '%H:%M %d/%m/%Y')} — {p.form}" + (f" ({p.officer})" if p.officer else "")
                for p in data.printed))
        else:
            self.printed_label.setText("<span style='color:#5f6b7a'>Chưa in giấy tờ nào.</span>")

        self.timeline_model.set_lines(data.timeline)
        self.timeline.resizeRowsToContents()
        self.timeline.scrollToBottom()
        self._build_actions(data)
        self._build_reprint_menu(data)

    def _build_actions(self, data: DetailData) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons = {}
        ordered = sorted(data.actions, key=lambda a: a is not data.next_action)
        for action in ordered:
            button = QPushButton(action.label)
            if action is data.next_action:
                button.setObjectName("primary")
            elif action in _DANGEROUS:
                button.setObjectName("danger")
            button.clicked.connect(lambda _checked=False, a=action: self.start_step(a))
            self.actions_row.addWidget(button)
            self.action_buttons[action] = button
        self.no_action_label.setVisible(not ordered)
        default = self.action_buttons.get(data.next_action) if data.next_action else None
        if default is not None:
            default.setDefault(True)
            default.setFocus()
        else:
            self.close_button.setDefault(True)
            self.close_button.setFocus()

    def _build_reprint_menu(self, data: DetailData) -> None:
        self.reprint_menu.clear()
        for key, title in FORMS.items():
            action = self.reprint_menu.addAction(title)
            action.setEnabled(data.forms.get(key, False))
            action.triggered.connect(lambda _checked=False, form=key: self.show_form(form))

    def default_button(self) -> QPushButton | None:
        return next((b for b in self.action_buttons.values() if b.isDefault()), None)

    def show_message(self, text: str, warning: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#7a4b00; background:#fff3d6; border:1px solid #ecd9a3; padding:6px;"
                                   if warning else
                                   "color:#1d5e2a; background:#e3f4e6; border:1px solid #b6dcbd; padding:6px;")
        self.message.show()

    @Slot()
    def reload(self) -> None:
        store, code = self._ctx.store, self.code
        self._ctx.runner.run_read(lambda: load_detail(store, code), self._apply, self._show_error, owner=self)

    # --- steps and payments -------------------------------------------------------

    def start_step(self, action: Action) -> None:
        if self.step_dialog is not None or action not in self.data.actions:
            return
        data = self.data
        dialog = StepDialog(self._ctx, action, data.dossier, data.documents, data.calendar, data.forward_rule,
                            data.fees.balance, self)
        self.step_dialog = dialog
        dialog.performed.connect(lambda record: self._on_step_done(action, record))
        dialog.finished.connect(lambda result: self._on_step_dialog_closed(dialog, result))
        dialog.open()

    def _on_step_dialog_closed(self, dialog: StepDialog, result: int) -> None:
        if self.step_dialog is dialog:
            self.step_dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.reload()  # the step may have been refused because the dossier changed at another counter

    def _on_step_done(self, action: Action, record: Any) -> None:
        status = S(record.dossier.status)
        self.show_message(f"Đã ghi “{action.label}”. Trạng thái mới: {status.label}.")
        self.changed.emit(self.code)
        self.reload()
        form = FORM_AFTER.get(action)
        if form is not None:
            self.show_form(form)

    @Slot()
    def _on_pay(self) -> None:
        if self.payment_dialog is not None:
            return
        dialog = PaymentDialog(self._ctx, self.data.dossier, self.data.fees.balance, self)
        self.payment_dialog = dialog
        dialog.recorded.connect(self._on_paid)
        dialog.finished.connect(lambda _result: self._on_payment_dialog_closed(dialog))
        dialog.open()

    def _on_payment_dialog_closed(self, dialog: PaymentDialog) -> None:
        if self.payment_dialog is dialog:
            self.payment_dialog = None
        dialog.deleteLater()

    def _on_paid(self, payment: Any) -> None:
        self.show_message(f"Đã thu {money_text(payment.amount)}, biên lai số {payment.receipt_number}.")
        self.changed.emit(self.code)
        self.reload()
        self.show_form("fee")

    def is_busy(self) -> bool:
        """A step or payment dialog is open: the officer is in the middle of something."""
        return self.step_dialog is not None or self.payment_dialog is not None

    # --- printing -------------------------------------------------------------------

    def show_form(self, form: str) -> None:
        store, code = self._ctx.store, self.code

        def render() -> bytes:
            with store.read() as session:
                return render_form(session, code, form)

        def show(pdf: bytes) -> None:
            title = f"{FORMS.get(form, form)} — {code}"
            dialog = PdfPreviewDialog(title, pdf, f"{FILE_NAMES.get(form, form)}-{code}.pdf", self._ctx.runner, self)
            self.previews.append(dialog)
            dialog.finished.connect(lambda _result: self._on_preview_closed(dialog))
            dialog.delivered.connect(lambda destination: self._record_print(form, destination))
            dialog.open()

        self._ctx.runner.run_read(render, show, lambda error: self._show_error(error, "Không tạo được giấy tờ"),
                                  owner=self)

    def _record_print(self, form: str, destination: str) -> None:
        """Printed or saved: note it on the dossier (shown under “Giấy tờ đã in”)."""
        from app.printlog import record_print

        ctx, code = self._ctx, self.code
        ctx.runner.run_write(lambda: record_print(ctx.store, ctx.actor, code, form, destination),
                             lambda _none: self.reload(),
                             lambda error: self.show_message(f"Đã in nhưng chưa ghi được vào hồ sơ: {error}", True),
                             owner=self)

    def _on_preview_closed(self, dialog: PdfPreviewDialog) -> None:
        if dialog in self.previews:
            self.previews.remove(dialog)
        dialog.deleteLater()
        default = self.default_button()
        (default or self.close_button).setFocus()

    def _show_error(self, error: BaseException, title: str = "Quầy Một cửa") -> None:
        environment = describe_environment_error(error)
        if isinstance(error, CounterError) or environment:
            QMessageBox.warning(self, title, environment or str(error))
        else:
            QMessageBox.critical(self, "Lỗi không mong đợi", f"Đã xảy ra lỗi chưa lường trước.\n\n{error!r}")

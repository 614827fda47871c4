"""The intake screen: pick a procedure, tick the documents, type the citizen, save and print.

Keyboard-first: Ctrl+F jumps to the procedure search, arrows and Enter pick a
procedure, Tab walks the form, Ctrl+S saves and opens the slip.
"""

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QDateTime, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import catalog
from app.calendar_store import load_calendar
from app.catalog import ProcedureSpec
from app.errors import CounterError, ValidationFailed, describe_environment_error
from app.intake import IntakeRequest, IntakeResult, PersonInput, receive
from app.permissions import Permission
from app.validation import check_email, check_identity_number, check_phone
from app.worktime import AGENCY_TZ, WorkCalendar, format_vn_moment
from models.enums import CollectionMethod, SubjectType
from ui.checklist_model import DocumentChecklistModel
from ui.context import CounterContext
from ui.procedure_list_model import ProcedureListModel, processing_label
from ui.widgets import FieldWithError, add_row, section_title

SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class _LoadedProcedure:
    spec: ProcedureSpec
    calendar: WorkCalendar


def _parse_dob(text: str) -> tuple[date | None, str | None]:
    text = text.strip()
    if not text:
        return None, None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, "Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1987."


def _agency_now_qt() -> QDateTime:
    """The agency's wall-clock time, whatever zone the PC is set to (the edit shows agency time)."""
    return QDateTime(datetime.now(AGENCY_TZ).replace(tzinfo=None))


class PersonFields:
    """Name, identity number, date of birth, phone, email, address: for the owner or the submitter."""

    def __init__(self, form: QFormLayout, prefix: str, with_contact: bool = True):
        self.prefix = prefix
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("CCCD 12 số, CMND 9 số hoặc hộ chiếu")
        self.dob = QLineEdit()
        self.dob.setPlaceholderText("ngày/tháng/năm")
        self.rows: dict[str, FieldWithError] = {
            f"{prefix}_name": add_row(form, "Họ và tên:", self.name),
            f"{prefix}_id": add_row(form, "Số giấy tờ:", self.id_number),
            f"{prefix}_dob": add_row(form, "Ngày sinh:", self.dob),
        }
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QLineEdit()
        if with_contact:
            self.phone.setPlaceholderText("ví dụ 0912 345 678")
            self.rows |= {
                f"{prefix}_phone": add_row(form, "Điện thoại:", self.phone),
                f"{prefix}_email": add_row(form, "Email:", self.email),
                f"{prefix}_address": add_row(form, "Địa chỉ:", self.address),
            }
        self.id_number.editingFinished.connect(self._check_id)
        self.dob.editingFinished.connect(self._check_dob)
        self.phone.editingFinished.connect(self._check_phone)
        self.email.editingFinished.connect(self._check_email)
        self.business = False

    def value(self) -> PersonInput:
        dob, _ = _parse_dob(self.dob.text())
        return PersonInput(full_name=self.name.text(), id_number=self.id_number.text(), dob=dob,
                           phone=self.phone.text(), email=self.email.text(), address=self.address.text())

    def clear(self) -> None:
        for widget in (self.name, self.id_number, self.dob, self.phone, self.email, self.address):
            widget.clear()
        for row in self.rows.values():
            row.set_error(None)

    def dob_problem(self) -> str | None:
        return _parse_dob(self.dob.text())[1]

    # Instant feedback as the officer leaves a field; the use case checks everything again on save.
    def _check_id(self) -> None:
        if self.id_number.text().strip():
            dob, _ = _parse_dob(self.dob.text())
            _, problem = check_identity_number(f"{self.prefix}_id", self.id_number.text(), dob, self.business)
            self.rows[f"{self.prefix}_id"].set_error(problem.message if problem else None)

    def _check_dob(self) -> None:
        self.rows[f"{self.prefix}_dob"].set_error(self.dob_problem())
        self._check_id()

    def _check_phone(self) -> None:
        if f"{self.prefix}_phone" in self.rows:
            _, problem = check_phone(f"{self.prefix}_phone", self.phone.text())
            self.rows[f"{self.prefix}_phone"].set_error(problem.message if problem else None)

    def _check_email(self) -> None:
        if f"{self.prefix}_email" in self.rows:
            _, problem = check_email(f"{self.prefix}_email", self.email.text())
            self.rows[f"{self.prefix}_email"].set_error(problem.message if problem else None)


class IntakePage(QWidget):
    """Signals: `dossier_saved(IntakeResult)` after a dossier is stored."""

    dossier_saved = Signal(object)

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._loaded: _LoadedProcedure | None = None
        self._wanted_code: str | None = None
        self._search_serial = 0
        self._saving = False

        title = QLabel("Tiếp nhận hồ sơ")
        title.setObjectName("pageTitle")

        # --- left: procedure picker, details and checklist -------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm thủ tục: gõ tên hoặc mã, không cần dấu (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.results_model = ProcedureListModel()
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setMinimumHeight(96)
        self.procedure_info = QLabel("Chưa chọn thủ tục.")
        self.procedure_info.setWordWrap(True)
        self.procedure_info.setTextFormat(Qt.TextFormat.RichText)
        self.procedure_row = FieldWithError(self.procedure_info)
        self.checklist_model = DocumentChecklistModel()
        self.checklist = QTableView()
        self.checklist.setModel(self.checklist_model)
        self.checklist.setAlternatingRowColors(True)
        self.checklist.setWordWrap(True)
        header = self.checklist.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.checklist.verticalHeader().hide()
        self.checklist.setMinimumHeight(180)
        self.checklist_row = FieldWithError(self.checklist)
        self.tick_all = QPushButton("Đánh dấu đã nộp đủ")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(section_title("1. Thủ tục hành chính"))
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.results, 2)
        left_layout.addWidget(self.procedure_row)
        checklist_title = QHBoxLayout()
        checklist_title.addWidget(section_title("2. Thành phần hồ sơ"))
        checklist_title.addStretch()
        checklist_title.addWidget(self.tick_all)
        left_layout.addLayout(checklist_title)
        left_layout.addWidget(self.checklist_row, 3)

        # --- right: people and delivery ------------------------------------------
        owner_box = QGroupBox("3. Chủ hồ sơ")
        owner_form = QFormLayout(owner_box)
        self.subject_type = QComboBox()
        for subject in SubjectType:
            self.subject_type.addItem(subject.label, subject)
        owner_form.addRow("Đối tượng:", self.subject_type)
        self.owner = PersonFields(owner_form, "owner")

        self.submitter_box = QGroupBox("Người nộp khác chủ hồ sơ")
        self.submitter_box.setCheckable(True)
        self.submitter_box.setChecked(False)
        submitter_form = QFormLayout(self.submitter_box)
        self.submitter = PersonFields(submitter_form, "submitter", with_contact=False)

        delivery_box = QGroupBox("4. Số bộ, nơi nhận kết quả")
        delivery_form = QFormLayout(delivery_box)
        self.sets = QSpinBox()
        self.sets.setRange(1, 99)
        self.at_counter = QRadioButton("Tại Bộ phận Một cửa")
        self.by_post = QRadioButton("Qua bưu chính công ích")
        self.at_counter.setChecked(True)
        self.collection_group = QButtonGroup(self)
        self.collection_group.addButton(self.at_counter)
        self.collection_group.addButton(self.by_post)
        collection = QWidget()
        collection_layout = QVBoxLayout(collection)
        collection_layout.setContentsMargins(0, 0, 0, 0)
        collection_layout.addWidget(self.at_counter)
        collection_layout.addWidget(self.by_post)
        self.post_address = QLineEdit()
        self.post_address.setPlaceholderText("để trống: gửi về địa chỉ chủ hồ sơ")
        self.post_address.setEnabled(False)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(54)
        self.late_entry = QCheckBox("Nhập bù: hồ sơ đã nhận trên giấy lúc:")
        self.late_entry_time = QDateTimeEdit()
        self.late_entry_time.setDisplayFormat("HH:mm  dd/MM/yyyy")
        self.late_entry_time.setCalendarPopup(True)
        self.late_entry_time.setEnabled(False)
        self.late_entry_time.setDateTime(_agency_now_qt())
        late = QWidget()
        late_layout = QVBoxLayout(late)
        late_layout.setContentsMargins(0, 0, 0, 0)
        late_layout.addWidget(self.late_entry)
        late_layout.addWidget(self.late_entry_time)
        if not ctx.actor.can(Permission.LATE_ENTRY):
            self.late_entry.setEnabled(False)
            self.late_entry.setToolTip("Chỉ lãnh đạo bộ phận được nhập bù.")
        self.delivery_rows = {
            "sets": add_row(delivery_form, "Số bộ hồ sơ:", self.sets),
            "collection": add_row(delivery_form, "Nhận kết quả:", collection),
            "collection_address": add_row(delivery_form, "Địa chỉ gửi:", self.post_address),
            "note": add_row(delivery_form, "Ghi chú:", self.note),
            "received_at": add_row(delivery_form, "", late),
        }

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(owner_box)
        right_layout.addWidget(self.submitter_box)
        right_layout.addWidget(delivery_box)
        right_layout.addStretch()
        right_scroll = QScrollArea()
        right_scroll.setWidgetResizable(True)
        right_scroll.setWidget(right)
        right_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 520])
        splitter.setChildrenCollapsible(False)

        # --- bottom: what the citizen pays and when to come back ------------------
        self.fee_banner = QLabel("Phí, lệ phí: —")
        self.fee_banner.setObjectName("feeBanner")
        self.fee_banner.setWordWrap(True)
        self.due_banner = QLabel("Hẹn trả: chọn thủ tục để xem ngày hẹn.")
        self.due_banner.setObjectName("dueBanner")
        self.due_banner.setWordWrap(True)
        self.clear_button = QPushButton("Hồ sơ mới (Ctrl+N)")
        self.save_button = QPushButton("Lưu và in giấy hẹn (Ctrl+S)")
        self.save_button.setObjectName("primary")
        self.save_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fee_banner, 2)
        bottom.addWidget(self.due_banner, 3)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_due)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._on_search_enter)
        self.results.activated.connect(self._on_procedure_activated)
        self.results.selectionModel().currentChanged.connect(self._on_result_current_changed)
        self.tick_all.clicked.connect(lambda: self.checklist_model.set_all_handed_in(True))
        self.by_post.toggled.connect(self.post_address.setEnabled)
        self.late_entry.toggled.connect(self._on_late_entry_toggled)
        self.late_entry_time.dateTimeChanged.connect(self._update_due_banner)
        self.subject_type.currentIndexChanged.connect(self._on_subject_type_changed)
        self.clear_button.clicked.connect(self.reset)
        self.save_button.clicked.connect(self._on_save)
        QShortcut(QKeySequence("Ctrl+S"), self, self._on_save)
        QShortcut(QKeySequence("Ctrl+N"), self, self.reset)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)

        self._all_rows: dict[str, FieldWithError] = {
            "procedure": self.procedure_row, "documents": self.checklist_row,
            **self.owner.rows, **self.submitter.rows, **self.delivery_rows}
        self._run_search("")

    # --- procedure search --------------------------------------------------------

    def activate(self) -> None:
        self.focus_search()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def _on_search_due(self) -> None:
        self._run_search(self.search.text())

    def _run_search(self, text: str) -> None:
        self._search_serial += 1
        serial = self._search_serial

        def search() -> list[catalog.ProcedureHit]:
            with self._ctx.store.read() as session:
                return catalog.search_procedures(session, text, limit=200)

        def show(hits: list[catalog.ProcedureHit]) -> None:
            if serial == self._search_serial:  # an answer to an older keystroke is dropped
                self.results_model.set_hits(hits)
                if hits:
                    self.results.setCurrentIndex(self.results_model.index(0))

        self._ctx.runner.run_read(search, show, self._show_unexpected, owner=self)

    @Slot()
    def _on_search_enter(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._run_search(self.search.text())
            return
        index = self.results.currentIndex()
        if index.isValid():
            self._on_procedure_activated(index)

    @Slot(QModelIndex, QModelIndex)
    def _on_result_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.load_procedure(self.results_model.hit(current.row()).code)

    @Slot(QModelIndex)
    def _on_procedure_activated(self, index: QModelIndex) -> None:
        self.load_procedure(self.results_model.hit(index.row()).code)
        self.checklist.setFocus()

    def load_procedure(self, code: str) -> None:
        if self._wanted_code == code:
            return
        self._wanted_code = code

        def load() -> _LoadedProcedure:
            with self._ctx.store.read() as session:
                _, spec = catalog.get_procedure(session, code)
                return _LoadedProcedure(spec, load_calendar(session))

        self._ctx.runner.run_read(load, self._show_procedure, self._show_unexpected, owner=self)

    def _show_procedure(self, loaded: _LoadedProcedure) -> None:
        # Loads finish out of order when the officer arrows quickly through the list:
        # only the procedure currently chosen may fill the form.
        if loaded.spec.code != self._wanted_code:
            return
        self._loaded = loaded
        spec = loaded.spec
        self.procedure_row.set_error(None)
        postal = "có" if spec.postal_return else "không"
        self.procedure_info.setText(
            f"<b>{spec.name}</b><br>Mã: {spec.code} · Lĩnh vực: {spec.field_name}<br>"
            f"Thời hạn giải quyết: <b>{processing_label(spec.processing_value, spec.processing_unit)}</b>"
            f" · {spec.online_level.label} · Trả qua bưu chính: {postal}")
        self.checklist_model.set_documents(spec.documents)
        self.checklist.resizeRowsToContents()
        self.by_post.setEnabled(spec.postal_return)
        if not spec.postal_return:
            self.at_counter.setChecked(True)
        if spec.fees:
            items = "<br>".join(f"{f.kind.label}: {f.name}: <b>{f.amount:,} đ</b>".replace(",", ".")
                                for f in spec.fees)
            total = f"{spec.fee_total:,}".replace(",", ".")
            self.fee_banner.setText(f"{items}<br>Tổng: <b>{total} đồng</b>")
        else:
            self.fee_banner.setText("Phí, lệ phí: <b>không thu</b>")
        self.save_button.setEnabled(True)
        self._update_due_banner()

    # --- the rest of the form ----------------------------------------------------

    def _received_at(self) -> datetime | None:
        if not self.late_entry.isChecked():
            return None
        return self.late_entry_time.dateTime().toPython().replace(tzinfo=AGENCY_TZ)

    @Slot()
    def _update_due_banner(self) -> None:
        if self._loaded is None:
            return
        spec = self._loaded.spec
        received = self._received_at() or datetime.now(AGENCY_TZ)
        due = self._loaded.calendar.due_at(received, spec.processing_value, spec.processing_unit)
        when = "nếu tiếp nhận lúc này" if self._received_at() is None else "theo giờ nhận trên giấy"
        if due is None:
            self.due_banner.setText("Giải quyết và trả kết quả <b>ngay khi tiếp nhận</b>.")
        else:
            self.due_banner.setText(f"Hẹn trả ({when}):<br><b>{format_vn_moment(due)}</b>")

    @Slot(bool)
    def _on_late_entry_toggled(self, checked: bool) -> None:
        self.late_entry_time.setEnabled(checked)
        if checked:
            now = _agency_now_qt()
            self.late_entry_time.setMaximumDateTime(now)
            self.late_entry_time.setDateTime(now.addSecs(-3600))
        self._update_due_banner()

    @Slot(int)
    def _on_subject_type_changed(self, _index: int) -> None:
        self.owner.business = SubjectType(self.subject_type.currentData()) is SubjectType.BUSINESS

    def request(self, accept_missing: bool) -> IntakeRequest:
        assert self._loaded is not None
        return IntakeRequest(
            procedure_code=self._loaded.spec.code,
            owner=self.owner.value(),
            subject_type=SubjectType(self.subject_type.currentData()),
            submitter=self.submitter.value() if self.submitter_box.isChecked() else None,
            sets=self.sets.value(),
            collection=CollectionMethod.POST if self.by_post.isChecked() else CollectionMethod.COUNTER,
            collection_address=self.post_address.text(),
            note=self.note.toPlainText(),
            received_at=self._received_at(),
            documents=self.checklist_model.received(),
            accept_missing_required=accept_missing,
        )

    @Slot()
    def _on_save(self) -> None:
        if self._saving:
            return
        if self._loaded is None:
            self.procedure_row.set_error("Vui lòng chọn thủ tục trước.")
            self.focus_search()
            return
        for row in self._all_rows.values():
            row.set_error(None)
        dob_problems = {p.prefix: p.dob_problem() for p in (self.owner, self.submitter)}
        if any(dob_problems.values()):
            for prefix, problem in dob_problems.items():
                if problem:
                    self._all_rows[f"{prefix}_dob"].set_error(problem)
            return
        missing = self.checklist_model.missing_required()
        if missing:
            answer = QMessageBox.question(
                self, "Hồ sơ còn thiếu giấy tờ",
                "Chưa đánh dấu các giấy tờ bắt buộc sau:\n\n• " + "\n• ".join(missing)
                + "\n\nVẫn tiếp nhận hồ sơ (và yêu cầu bổ sung sau)?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.checklist.setFocus()
                return
        request = self.request(accept_missing=bool(missing))
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText("Đang lưu…")
        self._ctx.runner.run_write(lambda: receive(self._ctx.store, self._ctx.actor, request),
                                   self._on_saved, self._on_save_failed, owner=self)

    def _finish_saving(self) -> None:
        self._saving = False
        self.save_button.setText("Lưu và in giấy hẹn (Ctrl+S)")
        self.save_button.setEnabled(self._loaded is not None)

    def _on_saved(self, result: IntakeResult) -> None:
        self._finish_saving()
        self.dossier_saved.emit(result)
        self.reset()

    def _on_save_failed(self, error: BaseException) -> None:
        self._finish_saving()
        if isinstance(error, ValidationFailed):
            shown = []
            for problem in error.problems:
                row = self._all_rows.get(problem.field)
                if row is not None:
                    row.set_error(problem.message)
                    shown.append(row)
                else:
                    QMessageBox.warning(self, "Chưa lưu được hồ sơ", problem.message)
            if shown:
                shown[0].field.setFocus()
            return
        self._show_unexpected(error)

    def _show_unexpected(self, error: BaseException) -> None:
        environment = describe_environment_error(error)
        if isinstance(error, CounterError) or environment:
            QMessageBox.warning(self, "Quầy Một cửa", environment or str(error))
        else:
            QMessageBox.critical(self, "Lỗi không mong đợi",
                                 f"Đã xảy ra lỗi chưa lường trước; dữ liệu đã nhập chưa bị mất.\n\n{error!r}")

    @Slot()
    def reset(self) -> None:
        """Ready for the next citizen: keep the procedure list, clear the person and the ticks."""
        self.owner.clear()
        self.submitter.clear()
        self.submitter_box.setChecked(False)
        self.subject_type.setCurrentIndex(0)
        self.sets.setValue(1)
        self.at_counter.setChecked(True)
        self.post_address.clear()
        self.note.clear()
        self.late_entry.setChecked(False)
        for row in self._all_rows.values():
            row.set_error(None)
        if self._loaded is not None:
            self.checklist_model.set_documents(self._loaded.spec.documents)
        self.focus_search()

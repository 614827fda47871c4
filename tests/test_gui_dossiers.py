"""The dossier list (lazy, filtered and sorted in SQL), the dossier detail and its steps; offscreen, fresh DB."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from app import clock
from app.lifecycle import Action, StepRequest, perform
from app.profile import load_profile
from models.enums import DossierStatus, EventType, PaymentKind, Satisfaction
from models.tables import Dossier, DossierEvent, Payment
from tests.gui_dossiers import new_dossier
from tests.gui_helpers import type_text
from ui.context import CounterContext
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_detail_data import load_detail
from ui.dossier_list_model import (
    DUE,
    OVERDUE_BACKGROUND,
    STATUS,
    DossierListModel,
    ListRow,
    Urgency,
    mask_id,
    near_limit,
)
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

S = DossierStatus


@pytest.fixture
def window(qtbot, store, admin):  # type: ignore[no-untyped-def]
    with store.read() as session:
        profile = load_profile(session)
    runner = TaskRunner()
    main = MainWindow(CounterContext(store, runner, admin, profile))
    qtbot.addWidget(main)
    main.show()
    yield main
    for detail in list(main.details):
        for preview in list(detail.previews):
            preview.accept()
        detail.reject()
    runner.wait_for_done()


def _dossier(store, code):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return session.exec(select(Dossier).where(Dossier.code == code)).one()


def _open(qtbot, window, code) -> DossierDetailDialog:  # type: ignore[no-untyped-def]
    window.open_dossier(code)
    qtbot.waitUntil(lambda: len(window.details) == 1 and window.details[0].code == code, timeout=10_000)
    return window.details[0]


def _close_previews(detail: DossierDetailDialog) -> None:
    for preview in list(detail.previews):
        preview.accept()


def _take_step(qtbot, detail: DossierDetailDialog, action: Action, fill=None) -> None:  # type: ignore[no-untyped-def]
    """Click the step's button, fill its dialog, confirm; wait until the detail shows the new state."""
    events_before = len(detail.data.events)
    qtbot.mouseClick(detail.action_buttons[action], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is not None)
    step = detail.step_dialog
    if fill:
        fill(step)
    qtbot.mouseClick(step.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is None and len(detail.data.events) == events_before + 1,
                    timeout=10_000)


# --- helpers of the list model ----------------------------------------------------------------


def test_identity_numbers_are_masked_in_the_list() -> None:
    assert mask_id("015190001221") == "0151******21"
    assert mask_id("015090123") == "0150***23"
    assert mask_id("") == ""


# --- the detail and its steps -------------------------------------------------------------------


def test_dossier_walked_through_forward_ready_return_in_the_gui(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, name="Nguyễn Văn Đức")
    detail = _open(qtbot, window, code)
    assert detail.default_button().text() == Action.FORWARD.label
    assert "Nguyễn Văn Đức" in detail.owner_label.text()
    assert "còn" in detail.due_label.text()  # time left before the due moment

    def to_body(step):  # type: ignore[no-untyped-def]
        assert "chuyển" in step.info_text  # the 15:00 rule, worked out for this dossier
        type_text(step.processing_body, "Công chức Tư pháp - Hộ tịch")

    _take_step(qtbot, detail, Action.FORWARD, to_body)
    # The process-control sheet (form 06) is offered right away.
    qtbot.waitUntil(lambda: len(detail.previews) == 1, timeout=10_000)
    assert "mẫu 06" in detail.previews[0].windowTitle()
    _close_previews(detail)
    assert S(detail.data.dossier.status) is S.PROCESSING
    assert detail.default_button().text() == Action.READY.label
    assert Action.FORWARD not in detail.action_buttons  # an illegal step is not offered
    assert "Công chức Tư pháp - Hộ tịch" in detail.timeline_model.line(1).details

    _take_step(qtbot, detail, Action.READY)
    assert detail.default_button().text() == Action.RETURN.label
    assert set(detail.action_buttons) == {Action.RETURN}

    def receiver(step):  # type: ignore[no-untyped-def]
        assert step.receiver_name.text() == "Nguyễn Văn Đức"
        step.receiver_name.clear()
        type_text(step.receiver_name, "Nguyễn Thị Lan")
        type_text(step.receiver_id, "001190004321")
        qtbot.mouseClick(step.satisfaction.buttons[Satisfaction.ACCEPTABLE], Qt.MouseButton.LeftButton)

    _take_step(qtbot, detail, Action.RETURN, receiver)
    dossier = _dossier(store, code)
    assert dossier.status == S.RETURNED == 10
    assert dossier.satisfaction == Satisfaction.ACCEPTABLE
    with store.read() as session:
        returned = session.exec(select(DossierEvent).where(DossierEvent.type == EventType.RETURNED.value)).one()
    assert returned.details["receiver_name"] == "Nguyễn Thị Lan"
    assert detail.action_buttons == {}
    assert "Trước hạn" in detail.due_label.text() or "trước hạn" in detail.due_label.text()
    steps = [detail.timeline_model.line(r).step for r in range(detail.timeline_model.rowCount())]
    assert steps == ["Tiếp nhận hồ sơ", "Chuyển xử lý", "Có kết quả", "Trả kết quả"]


def test_step_problems_are_shown_next_to_the_fields(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin, all_docs=False)
    detail = _open(qtbot, window, code)
    qtbot.mouseClick(detail.action_buttons[Action.REFUSE], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is not None)
    step = detail.step_dialog
    qtbot.mouseClick(step.confirm_button, Qt.MouseButton.LeftButton)  # no reason given
    error = step.rows["reason"].error
    qtbot.waitUntil(lambda: error.isVisibleTo(step) and "lý do" in error.text().lower(), timeout=10_000)
    assert _dossier(store, code).status == S.ACCEPTED
    step.reject()
    qtbot.waitUntil(lambda: detail.step_dialog is None)

    # The supplement checklist starts with what the citizen did not hand in.
    qtbot.mouseClick(detail.action_buttons[Action.REQUEST_SUPPLEMENT], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is not None)
    step = detail.step_dialog
    missing = [doc.name for doc in detail.data.documents if not doc.submitted]
    assert [step.documents.item(r).text() for r in range(step.documents.count())] == missing
    type_text(step.other_documents, "Bản sao sổ hộ khẩu")
    type_text(step.reason, "Thiếu giấy tờ theo quy định")
    qtbot.mouseClick(step.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dossier(store, code).status == S.SUPPLEMENT_REQUESTED, timeout=10_000)
    with store.read() as session:
        event = session.exec(select(DossierEvent).where(
            DossierEvent.type == EventType.SUPPLEMENT_REQUESTED.value)).one()
    assert event.details["documents"] == [*missing, "Bản sao sổ hộ khẩu"]
    qtbot.waitUntil(lambda: S(detail.data.dossier.status) is S.SUPPLEMENT_REQUESTED)
    _close_previews(detail)
    assert detail.default_button().text() == Action.SUPPLEMENTED.label
    assert Action.REQUEST_SUPPLEMENT not in detail.action_buttons


def test_a_step_refused_by_the_core_is_explained(qtbot, window, store, admin, monkeypatch):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)
    detail = _open(qtbot, window, code)
    # Someone else forwards it at another counter while this detail is open.
    perform(store, admin, code, StepRequest(action=Action.FORWARD))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: shown.append(text))
    qtbot.mouseClick(detail.action_buttons[Action.FORWARD], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.step_dialog is not None)
    qtbot.mouseClick(detail.step_dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "đã được chuyển xử lý" in shown[0]


def test_fee_payment_prefilled_with_the_balance(qtbot, window, store, admin):  # type: ignore[no-untyped-def]
    code = new_dossier(store, admin)  # lệ phí 10.000 đồng
    fee_total = _dossier(store, code).fee_total
    assert fee_total == 10_000
    detail = _open(qtbot, window, code)
    assert detail.pay_button.isEnabled()
    qtbot.mouseClick(detail.pay_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.payment_dialog is not None)
    payment = detail.payment_dialog
    assert payment.amount.value() == fee_total
    assert payment.payer.text() == "Nguyễn Văn Đức"
    payment.transfer.setChecked(True)
    qtbot.mouseClick(payment.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.data.fees.balance == 0, timeout=10_000)
    with store.read() as session:
        stored = session.exec(select(Payment)).one()
    assert stored.kind == PaymentKind.PAYMENT and stored.amount == fee_total and stored.method == "bank_transfer"
    assert not detail.pay_button.isEnabled()
    _close_previews(detail)


def test_overdue_dossier_is_marked(qtbot, store, admin, set_now):  # type: ignore[no-untyped-def]
    from datetime import datetime

    from app.worktime import AGENCY_TZ

    set_now(datetime(2026, 11, 16, 9, 0, tzinfo=AGENCY_TZ))
    code = new_dossier(store, admin)
    set_now(datetime(2026, 11, 25, 9, 0, tzinfo=AGENCY_TZ))
    data = load_detail(store, code)
    assert data.urgency is Urgency.OVERDUE
    assert "quá hạn" in data.due_text
    runner = TaskRunner()
    model = DossierListModel(runner)
    with store.read() as session:
        dossier = session.exec(select(Dossier)).one()
    row = ListRow.of(dossier, clock.now(), near_limit(data.calendar, clock.now()))
    model.set_fetcher(lambda offset, limit, after: ([row] if offset == 0 else [], True, None))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, DUE).data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert model.index(0, DUE).data(Qt.ItemDataRole.ToolTipRole) == "Quá hạn giải quyết"
    assert model.index(0, STATUS).data() == S.ACCEPTED.label
    runner.wait_for_done()


# --- the list ------------------------------------------------------------------------------


@pytest.fixture
def seeded(store, admin):  # type: ignore[no-untyped-def]
    """A few hundred dossiers in every state (app.demo), plus two typed at the counter today."""
    from app import demo

    demo.seed(store, 340, days=40)
    codes = [new_dossier(store, admin, name="Nguyễn Văn Đức", id_number="015190001221", phone="0912345678"),
             new_dossier(store, admin, name="Nguyễn Vân Dung", id_number="001185004321")]
    return codes


def _list_page(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F4)
    page = window.dossier_list_page
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.is_loading(), timeout=10_000)
    return page


def _wait_reloaded(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.model.is_loading() and not page._search_timer.isActive()
                    and "Đang đếm" not in page.count_label.text() and page.count_label.text() != "", timeout=10_000)


def _db_count(store, *where) -> int:  # type: ignore[no-untyped-def]
    from sqlmodel import func

    with store.read() as session:
        return session.exec(select(func.count()).select_from(Dossier).where(*where)).one()


def test_list_model_passes_the_model_tester_and_loads_lazily(qtbot, qtmodeltester, window, store, seeded):  # type: ignore[no-untyped-def]
    page = _list_page(qtbot, window)
    model = page.model
    qtmodeltester.check(model)
    assert model.rowCount() == 200  # one page, not all 342
    qtbot.waitUntil(lambda: page.count_label.text() == "342 hồ sơ", timeout=10_000)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 342, timeout=10_000)
    assert not model.canFetchMore()
    codes = [model.row_at(r).code for r in range(model.rowCount())]
    assert len(set(codes)) == 342  # keyset paging: no row twice, none skipped
    received = [model.row_at(r).received_at for r in range(model.rowCount())]
    assert received == sorted(received, reverse=True)  # newest first by default
    # Identity numbers are masked in the list.
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == seeded[0])
    assert model.index(row, 2).data() == "0151******21"


def test_filters_change_what_the_list_shows(qtbot, window, store, seeded):  # type: ignore[no-untyped-def]
    page = _list_page(qtbot, window)
    model = page.model
    page.status.setCurrentIndex(page.status.findData(int(S.RETURNED)))
    _wait_reloaded(qtbot, page)
    returned = _db_count(store, Dossier.status == S.RETURNED)
    assert page.count_label.text() == f"{returned} hồ sơ"
    assert {model.row_at(r).status for r in range(model.rowCount())} == {S.RETURNED}

    page.status.setCurrentIndex(0)
    page.overdue.click()
    _wait_reloaded(qtbot, page)
    now = clock.now()
    assert model.rowCount() > 0  # the demo leaves some dossiers late and still processing
    for r in range(model.rowCount()):
        row = model.row_at(r)
        assert row.urgency is Urgency.OVERDUE and row.due_at < now
        assert model.index(r, DUE).data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    page.due_one_day.click()  # the toggles are one at a time
    assert not page.overdue.isChecked()
    _wait_reloaded(qtbot, page)
    assert all(model.row_at(r).urgency is Urgency.NEAR for r in range(model.rowCount()))

    page.clear_filters()
    _wait_reloaded(qtbot, page)
    assert page.count_label.text() == "342 hồ sơ"
    # Received today only: the two typed at the counter (the demo's today share may add some).
    from app.worktime import AGENCY_TZ

    page.date_enabled.setChecked(True)
    today = clock.now().astimezone(AGENCY_TZ).date()
    page.date_from.setDate(today)
    page.date_to.setDate(today)
    _wait_reloaded(qtbot, page)
    assert {c for c in seeded} <= {model.row_at(r).code for r in range(model.rowCount())}
    assert all(model.row_at(r).received_at.astimezone(AGENCY_TZ).date() == today
               for r in range(model.rowCount()))


def test_sorting_by_clicking_a_header_is_done_in_sql(qtbot, window, store, seeded):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    from ui.dossier_list_model import OWNER

    page = _list_page(qtbot, window)
    model = page.model
    header = page.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(OWNER) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    _wait_reloaded(qtbot, page)
    names = [model.row_at(r).owner_name for r in range(model.rowCount())]
    with store.read() as session:
        first = list(session.exec(select(Dossier.owner_name).order_by(Dossier.owner_name).limit(200)).all())
    assert page._sort_key == "owner_name"
    assert names == first  # the first page of the whole table in that order, not the loaded rows re-sorted
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    _wait_reloaded(qtbot, page)
    names = [model.row_at(r).owner_name for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    assert page._descending
    # The masked identity numbers cannot be sorted: a click changes nothing, the arrow stays.
    id_point = QPoint(header.sectionViewportPosition(2) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=id_point)
    assert header.sortIndicatorSection() == OWNER and page._sort_key == "owner_name"
    assert [model.row_at(r).owner_name for r in range(model.rowCount())] == names


def test_search_box_finds_a_name_without_diacritics_and_enter_opens_it(qtbot, window, store, seeded):  # type: ignore[no-untyped-def]
    from app.textfold import fold

    page = _list_page(qtbot, window)
    model = page.model
    type_text(page.search, "nguyen van d")
    _wait_reloaded(qtbot, page)
    names = [model.row_at(r).owner_name for r in range(model.rowCount())]
    assert "Nguyễn Văn Đức" in names
    for name in names:
        words = fold(name).split()
        assert words[0] == "nguyen" and any(w.startswith("van") for w in words)
    # By identity number and by phone, too.
    page.search.clear()
    type_text(page.search, "015190001221")
    _wait_reloaded(qtbot, page)
    assert [model.row_at(r).code for r in range(model.rowCount())] == [seeded[0]]
    page.search.clear()
    type_text(page.search, "0912 345 678")
    _wait_reloaded(qtbot, page)
    assert seeded[0] in [model.row_at(r).code for r in range(model.rowCount())]
    # Enter in the table opens the dossier.
    page.table.setFocus()
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == seeded[0])
    page.table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    assert window.details[0].code == seeded[0]


def test_a_step_taken_in_the_detail_updates_the_row(qtbot, window, store, seeded):  # type: ignore[no-untyped-def]
    page = _list_page(qtbot, window)
    model = page.model
    code = seeded[1]
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == code)
    assert model.index(row, STATUS).data() == S.ACCEPTED.label
    page.table.setCurrentIndex(model.index(row, 0))
    page.open_button.click()
    qtbot.waitUntil(lambda: len(window.details) == 1, timeout=10_000)
    detail = window.details[0]
    _take_step(qtbot, detail, Action.FORWARD)
    qtbot.waitUntil(lambda: model.index(row, STATUS).data() == S.PROCESSING.label, timeout=10_000)
    _close_previews(detail)


def test_reprint_menu_and_printed_forms(qtbot, window, store, admin, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from models.tables import PrintedForm

    code = new_dossier(store, admin)
    detail = _open(qtbot, window, code)
    menu = {a.text(): a for a in detail.reprint_menu.actions()}
    assert menu["Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"].isEnabled()
    assert not menu["Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"].isEnabled()  # nothing refused
    assert "Chưa in" in detail.printed_label.text()
    menu["Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"].trigger()
    qtbot.waitUntil(lambda: len(detail.previews) == 1, timeout=10_000)
    target = tmp_path / "giay-hen.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    detail.previews[0].save_button.click()
    qtbot.waitUntil(lambda: "mẫu 01" in detail.printed_label.text(), timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    with store.read() as session:
        printed = session.exec(select(PrintedForm)).one()
    assert printed.form == "receipt"
    _close_previews(detail)

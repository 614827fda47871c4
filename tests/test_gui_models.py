"""Table and list models checked with pytest-qt's model tester."""

from datetime import UTC, datetime

from app import catalog
from app.catalog import RequiredDocument
from ui.checklist_model import DocumentChecklistModel
from ui.dossier_table_model import DossierRow, DossierTableModel
from ui.procedure_list_model import ProcedureListModel
from PySide6.QtCore import Qt


def test_checklist_model(qtmodeltester):  # type: ignore[no-untyped-def]
    model = DocumentChecklistModel()
    model.set_documents((RequiredDocument("Tờ khai", 1, 0, 0, True), RequiredDocument("Giấy chứng sinh", 0, 0, 0, True),
                         RequiredDocument("Sổ hộ khẩu", 0, 1, 0, False)))
    qtmodeltester.check(model)
    assert model.missing_required() == ["Tờ khai", "Giấy chứng sinh"]
    # Ticking a document asked for in no particular count records one original.
    assert model.setData(model.index(1, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [(d.position, d.originals) for d in model.received()] == [(1, 1)]
    assert not model.setData(model.index(0, 2), 150, Qt.ItemDataRole.EditRole)
    model.set_all_handed_in(True)
    assert model.missing_required() == []


def test_procedure_list_model(qtmodeltester, store):  # type: ignore[no-untyped-def]
    model = ProcedureListModel()
    with store.read() as session:
        model.set_hits(catalog.search_procedures(session, "chung thuc"))
    qtmodeltester.check(model)
    assert model.rowCount() >= 3


def test_dossier_table_model(qtmodeltester):  # type: ignore[no-untyped-def]
    model = DossierTableModel()
    model.set_rows([DossierRow("H15.50.05.13-261122-0001", datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "Lê Thị Hoa",
                               "Thủ tục đăng ký khai sinh", None, 2, False),
                    DossierRow("H15.50.05.13-261122-0002", datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "Lê Văn Nam",
                               "Chứng thực bản sao", datetime(2026, 11, 25, 10, 0, tzinfo=UTC), 2, True)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "09:00"  # agency time, whatever the machine's zone
    assert model.data(model.index(1, 1)) == "10:00 (nhập bù)"
    assert model.data(model.index(0, 4)) == "Trả ngay"
    assert model.data(model.index(0, 5)) == "Được tiếp nhận"

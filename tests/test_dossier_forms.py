"""Each step's form printed from the stored dossier: the text the officer typed comes back on paper."""

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from app import fees
from app.catalog import get_procedure
from app.db import Store
from app.errors import CounterError
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import Actor
from app.worktime import AGENCY_TZ
from models.enums import PaymentKind
from printing.dossier_forms import Form, render_for, render_register_between

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils installed by make test")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AGENCY_TZ)  # type: ignore[misc]


@pytest.fixture
def walked(store: Store, admin: Actor, set_now) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Three dossiers: one supplemented and extended, one refused, one stopped; one paid fee."""
    def new(name: str, procedure: str = "1.004873") -> str:
        with store.read() as session:
            _, spec = get_procedure(session, procedure)
        return receive(store, admin, IntakeRequest(procedure_code=procedure, documents=all_documents(spec),
                                                   owner=PersonInput(full_name=name, id_number="001085012345",
                                                                     address="Thôn Nà Hẩu, xã Tân Lập"))).code

    def act(code: str, at: datetime, action: Action, **fields: object) -> None:
        set_now(at)
        perform(store, admin, code, StepRequest(action=action, **fields))  # type: ignore[arg-type]

    set_now(local(2026, 11, 16, 9, 0))
    main, refused, stopped = new("Nguyễn Thị Hồng Nhung"), new("Lò Văn Páo"), new("Vàng Thị Dợ")
    paid = new("Đặng Văn Đạt", "2.000884")
    fees.record(store, admin, paid, fees.PaymentRequest(PaymentKind.PAYMENT, 10000))
    act(main, local(2026, 11, 16, 9, 30), Action.FORWARD, processing_body="Công chức Tư pháp - Hộ tịch")
    act(main, local(2026, 11, 16, 10, 0), Action.REQUEST_SUPPLEMENT, reason="Giấy tờ đã hết hạn",
        documents=["Bản sao trích lục ghi chú ly hôn", "Giấy xác nhận nơi cư trú"])
    act(main, local(2026, 11, 17, 9, 0), Action.SUPPLEMENTED)
    act(main, local(2026, 11, 17, 9, 30), Action.EXTEND, reason="Phải xác minh tại nơi cư trú trước đây",
        new_due=local(2026, 11, 25, 16, 0))
    act(main, local(2026, 11, 25, 10, 0), Action.READY)
    act(refused, local(2026, 11, 16, 9, 40), Action.REFUSE, reason="Không thuộc thẩm quyền giải quyết của xã")
    act(stopped, local(2026, 11, 16, 9, 45), Action.FORWARD)
    act(stopped, local(2026, 11, 16, 9, 50), Action.STOP, reason="Người yêu cầu đã chết",
        legal_basis="Điều 19 Nghị định 118/2025/NĐ-CP")
    return {"main": main, "refused": refused, "stopped": stopped, "paid": paid}


@needs_poppler
@pytest.mark.parametrize(("form", "which", "expected"), [
    (Form.SUPPLEMENT, "main", ["PHIẾU YÊU CẦU BỔ SUNG", "Giấy xác nhận nơi cư trú", "Giấy tờ đã hết hạn"]),
    (Form.EXTENSION, "main", ["Phải xác minh tại nơi cư trú", "16 giờ 00 phút, ngày 25/11/2026"]),
    (Form.CONTROL, "main", ["PHIẾU KIỂM SOÁT", "Công chức Tư pháp - Hộ tịch", "Trước hạn"]),
    (Form.REFUSAL, "refused", ["TỪ CHỐI", "Không thuộc thẩm quyền giải quyết của xã", "Lò Văn Páo"]),
    (Form.STOP, "stopped", ["DỪNG GIẢI QUYẾT", "Người yêu cầu đã chết", "Điều 19 Nghị định 118/2025"]),
    (Form.FEE, "paid", ["BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ", "Mười nghìn đồng", "0000001/2026"]),
])
def test_form_carries_what_was_decided(store: Store, walked: dict[str, str], tmp_path: Path, form: Form,
                                       which: str, expected: list[str]) -> None:
    with store.read() as session:
        text = pdf_text(render_for(session, walked[which], form), tmp_path)
    assert walked[which] in text
    for phrase in expected:
        assert phrase in " ".join(text.split()), phrase


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools installed by make test")
def test_control_sheet_barcode_reads_back(store: Store, walked: dict[str, str], tmp_path: Path) -> None:
    with store.read() as session:
        (tmp_path / "c.pdf").write_bytes(render_for(session, walked["main"], Form.CONTROL))
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(tmp_path / "c.pdf"),
                    str(tmp_path / "p")], check=True)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(next(tmp_path.glob("p*.png")))], capture_output=True,
                             text=True).stdout.split()
    assert walked["main"] in scanned


def test_a_form_is_refused_before_its_step(store: Store, walked: dict[str, str]) -> None:
    with store.read() as session, pytest.raises(CounterError) as refused:
        render_for(session, walked["refused"], Form.EXTENSION)
    assert "chưa có bước tương ứng" in str(refused.value)


@needs_poppler
def test_register_lists_the_range(store: Store, walked: dict[str, str], tmp_path: Path) -> None:
    with store.read() as session:
        text = pdf_text(render_register_between(session, date(2026, 11, 16), date(2026, 11, 16)), tmp_path)
        empty = pdf_text(render_register_between(session, date(2026, 11, 17), date(2026, 11, 17)), tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert all(code in text for code in walked.values())
    assert not any(code in empty for code in walked.values())

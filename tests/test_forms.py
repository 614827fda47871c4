"""Forms 02-07 and the fee receipt: the printed PDFs read back.

Text is extracted with poppler's pdftotext; form 06's barcode is rasterised
at 300 dpi with pdftoppm and decoded with zbarimg, as a scanner would see it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from printing.fee_receipt import LABEL_GIVE, LABEL_KEEP, LABEL_SINGLE
from printing.forms import (
    ControlSheetData,
    ExtensionData,
    FeeLine,
    FeeReceiptData,
    HandOverRow,
    RefusalData,
    RegisterData,
    RegisterRow,
    StopNoticeData,
    SupplementRequestData,
    render_control_sheet,
    render_extension,
    render_fee_receipt,
    render_refusal,
    render_register,
    render_stop_notice,
    render_supplement_request,
)
from printing.text import place_date_line

CODE = "H15.50.05.13-261123-0007"
OWNER = "Nguyễn Thị Hồng Nhung"
COMMON = {
    "parent_agency_name": "Ủy ban nhân dân tỉnh Lào Cai",
    "agency_name": "Ủy ban nhân dân xã Tân Lập",
    "place_name": "Tân Lập",
    # 02:15 UTC = 09:15 on the agency's clock (UTC+7).
    "issued_at": datetime(2026, 11, 23, 2, 15, tzinfo=UTC),
}
DOSSIER = {
    "code": CODE,
    "owner_name": OWNER,
    "owner_address": "Thôn Phú Hữu, xã Tân Lập, tỉnh Lào Cai",
    "procedure_name": "Đăng ký khai sinh",
    "procedure_code": "1.001193",
}
RECEIVED = datetime(2026, 11, 20, 2, 15, tzinfo=UTC)  # 09:15, 20/11/2026
DUE = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00, 25/11/2026
NEW_DUE = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 15:30, 30/11/2026

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed",
)
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools not installed")


# ------------------------------------------------------------- sample data


from tests.pdf_tools import flat, page_count, pages_text, pdf_text, write


def make_supplement(**changes: object) -> SupplementRequestData:
    data = SupplementRequestData(
        **COMMON,
        **DOSSIER,
        documents=(
            "Bản chính Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp",
            "Bản sao Giấy chứng nhận kết hôn của cha, mẹ (nếu cha, mẹ đã đăng ký kết hôn)",
            "Văn bản ủy quyền có chứng thực (khi người khác nộp thay)",
        ),
        reason="Hồ sơ còn thiếu giấy tờ chứng minh nơi sinh và quan hệ cha, mẹ, con.",
        rules_reference="Điều 16 Luật Hộ tịch năm 2014; Điều 9 Nghị định số 123/2015/NĐ-CP",
        officer_name="Lê Thị Mai",
        receiving_unit="Bộ phận Một cửa - Quầy số 1",
        owner_phone="0912345678",
        contact_phone="0214 3850 123",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def make_refusal(**changes: object) -> RefusalData:
    data = RefusalData(
        **COMMON,
        **DOSSIER,
        reasons=(
            "Trẻ em sinh ra và cư trú ngoài địa bàn xã Tân Lập.",
            "Việc khai sinh đã được đăng ký tại Ủy ban nhân dân phường Cốc Lếu.",
        ),
        guidance=(
            "Đề nghị Ông/Bà liên hệ Ủy ban nhân dân phường Cốc Lếu để được cấp bản sao trích lục."
        ),
        officer_name="Lê Thị Mai",
        legal_basis="Điều 13 Luật Hộ tịch năm 2014",
        receiving_unit="Bộ phận Một cửa - Quầy số 1",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def make_extension(**changes: object) -> ExtensionData:
    data = ExtensionData(
        **COMMON,
        **DOSSIER,
        received_at=RECEIVED,
        original_due_at=DUE,
        delay_reason="Cần xác minh thông tin nơi cư trú của người mẹ tại địa phương khác.",
        new_due_at=NEW_DUE,
        signer_title="Chủ tịch",
        signer_name="Hoàng Văn Dũng",
        signer_authority="TM. Ủy ban nhân dân",
        document_number="15/UBND-VP",
        processing_text="03 ngày làm việc",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def make_stop_notice(**changes: object) -> StopNoticeData:
    data = StopNoticeData(
        **COMMON,
        **DOSSIER,
        received_at=RECEIVED,
        reason="Người yêu cầu đã có văn bản đề nghị rút hồ sơ ngày 22/11/2026.",
        legal_basis=(
            "khoản 2 Điều 19 Nghị định số 61/2018/NĐ-CP, "
            "được sửa đổi bởi Nghị định số 107/2021/NĐ-CP"
        ),
        signer_title="Phó Chủ tịch",
        signer_name="Đặng Thị Thu Hà",
        signer_authority="KT. Chủ tịch",
        guidance="Hồ sơ đã nộp được trả lại tại Bộ phận Một cửa xã Tân Lập.",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def make_control_sheet(**changes: object) -> ControlSheetData:
    data = ControlSheetData(
        **COMMON,
        **DOSSIER,
        received_at=RECEIVED,
        due_at=DUE,
        rows=(
            HandOverRow(
                "Bộ phận Một cửa",
                "Công chức Tư pháp - Hộ tịch",
                datetime(2026, 11, 20, 3, 40, tzinfo=UTC),
                giver_name="Lê Thị Mai",
                receiver_name="Vũ Minh Đức",
            ),
            HandOverRow(
                "Công chức Tư pháp - Hộ tịch",
                "Lãnh đạo Ủy ban nhân dân xã",
                datetime(2026, 11, 24, 1, 5, tzinfo=UTC),
                result="Trước hạn",
                note="Trình ký",
            ),
            HandOverRow(
                "Lãnh đạo Ủy ban nhân dân xã",
                "Bộ phận Một cửa",
                datetime(2026, 11, 24, 8, 20, tzinfo=UTC),
                result="Đúng hạn",
            ),
        ),
        processing_unit="Công chức Tư pháp - Hộ tịch xã Tân Lập",
        blank_rows=1,
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def register_rows(n: int) -> tuple[RegisterRow, ...]:
    procedures = (
        "Đăng ký khai sinh",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
        "Đăng ký kết hôn",
        "Xác nhận tình trạng hôn nhân",
    )
    owners = ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lò Thị Sính", "Giàng A Páo")
    rows = []
    for i in range(n):
        day = 1 + i % 30
        received = datetime(2026, 11, day, 1 + i % 8, (7 * i) % 60, tzinfo=UTC)
        done = i % 3 != 0
        rows.append(
            RegisterRow(
                code=f"H15.50.05.13-2611{day:02d}-{i + 1:04d}",
                procedure_name=procedures[i % 4],
                sets=1 + i % 2,
                owner_name=owners[i % 4],
                owner_address=f"Thôn {i % 9 + 1}, xã Tân Lập, tỉnh Lào Cai",
                owner_phone=f"09{i:08d}",
                processing_agency="Công chức Tư pháp - Hộ tịch",
                received_at=received,
                due_at=received + timedelta(days=3) if i % 5 else None,
                forwarded_at=received + timedelta(hours=2) if done else None,
                result_received_at=received + timedelta(days=2) if done else None,
                returned_at=received + timedelta(days=2, hours=3) if done else None,
                note="Nộp bổ sung" if i % 11 == 0 else "",
            )
        )
    return tuple(rows)


def make_register(n: int = 12, **changes: object) -> RegisterData:
    data = RegisterData(
        **COMMON,
        date_from=date(2026, 11, 1),
        date_to=date(2026, 11, 30),
        rows=register_rows(n),
        register_book="01/2026",
        signer_name="Lê Thị Mai",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def make_fee_receipt(**changes: object) -> FeeReceiptData:
    data = FeeReceiptData(
        **COMMON,
        code=CODE,
        collecting_unit="Ủy ban nhân dân xã Tân Lập",
        tax_code="5300123456",
        template_number="01BLP2-001",
        series="AA-26P",
        receipt_number="0000123",
        payer_name=OWNER,
        payer_address="Thôn Phú Hữu, xã Tân Lập, tỉnh Lào Cai",
        lines=(
            FeeLine("Lệ phí đăng ký kết hôn", 30_000),
            FeeLine("Phí cấp bản sao trích lục hộ tịch (02 bản)", 20_000),
        ),
        payment_method="Tiền mặt",
        collector_name="Lê Thị Mai",
        procedure_name="Đăng ký kết hôn",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------- helpers


def text_of(tmp_path: Path, pdf: bytes) -> str:
    raw = pdf_text(write(tmp_path, pdf))
    assert not any(unicodedata.combining(ch) for ch in raw), "combining marks leaked"
    return flat(raw)


def assert_common(text: str) -> None:
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" in text
    assert "ỦY BAN NHÂN DÂN XÃ TÂN LẬP" in text


# ------------------------------------------------------------- read back


@needs_poppler
@pytest.mark.parametrize(
    ("render", "data", "phrases"),
    [
        pytest.param(
            render_supplement_request,
            make_supplement(),
            (
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "Tân Lập, ngày 23 tháng 11 năm 2026",
                f"Mã hồ sơ: {CODE}",
                f"Tiếp nhận hồ sơ của: Ông/Bà {OWNER}",
                "Đăng ký khai sinh (Mã TTHC: 1.001193)",
                "1. Bản chính Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp",
                "2. Bản sao Giấy chứng nhận kết hôn của cha, mẹ",
                "3. Văn bản ủy quyền có chứng thực",
                "Lý do: Hồ sơ còn thiếu giấy tờ chứng minh nơi sinh",
                "Lý do/quy định tại: Điều 16 Luật Hộ tịch năm 2014; "
                "Điều 9 Nghị định số 123/2015/NĐ-CP",
                "liên hệ Ông/Bà Lê Thị Mai, số điện thoại 0214 3850 123",
                "NGƯỜI HƯỚNG DẪN",
                "(Ký và ghi rõ họ tên)",
            ),
            id="form02-supplement",
        ),
        pytest.param(
            render_refusal,
            make_refusal(),
            (
                "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                CODE,
                OWNER,
                "Căn cứ quy định tại Điều 13 Luật Hộ tịch năm 2014",
                "từ chối tiếp nhận, giải quyết hồ sơ này vì các lý do sau:",
                "1. Trẻ em sinh ra và cư trú ngoài địa bàn xã Tân Lập.",
                "2. Việc khai sinh đã được đăng ký tại Ủy ban nhân dân phường Cốc Lếu.",
                "Hướng dẫn: Đề nghị Ông/Bà liên hệ Ủy ban nhân dân phường Cốc Lếu",
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
                "Lê Thị Mai",
            ),
            id="form03-refusal",
        ),
        pytest.param(
            render_extension,
            make_extension(),
            (
                "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                "Số: 15/UBND-VP",
                f"Kính gửi: Ông/Bà {OWNER}",
                "Ngày 20/11/2026, Ủy ban nhân dân xã Tân Lập tiếp nhận hồ sơ",
                f"Mã hồ sơ: {CODE}",
                "Thời hạn giải quyết hồ sơ theo quy định: 03 ngày làm việc",
                # Agency time (UTC+7), not UTC.
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 25/11/2026",
                "Lý do: Cần xác minh thông tin nơi cư trú của người mẹ",
                "thành thật xin lỗi Ông/Bà",
                "Thời gian hẹn trả kết quả mới: 15 giờ 30 phút, ngày 30/11/2026.",
                "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
                "Hoàng Văn Dũng",
                "Nơi nhận: - Như trên; - Bộ phận Một cửa; - Lưu: VT.",
            ),
            id="form04-extension",
        ),
        pytest.param(
            render_stop_notice,
            make_stop_notice(),
            (
                "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ",
                f"Kính gửi: Ông/Bà {OWNER}",
                f"Mã hồ sơ: {CODE}",
                "Căn cứ pháp lý: khoản 2 Điều 19 Nghị định số 61/2018/NĐ-CP",
                "thông báo dừng giải quyết hồ sơ nêu trên",
                "Lý do: Người yêu cầu đã có văn bản đề nghị rút hồ sơ ngày 22/11/2026.",
                "Hồ sơ đã nộp được trả lại tại Bộ phận Một cửa xã Tân Lập.",
                "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
                "Đặng Thị Thu Hà",
                "Số: ........./.........",
            ),
            id="form05-stop-notice",
        ),
    ],
)
def test_form_reads_back(
    tmp_path: Path, render: Callable[[Any], bytes], data: object, phrases: tuple[str, ...]
) -> None:
    """The full sample: the common heading and every part the form prints."""
    text = text_of(tmp_path, render(data))
    assert_common(text)
    for phrase in phrases:
        assert phrase in text


@needs_poppler
@pytest.mark.parametrize(
    ("render", "data", "present", "absent"),
    [
        pytest.param(
            render_refusal,
            make_refusal(reasons=("Thủ tục không thuộc thẩm quyền của xã.",), legal_basis=""),
            ("giải quyết hồ sơ này vì lý do: Thủ tục không thuộc thẩm quyền của xã.",),
            ("Căn cứ", "1. "),
            id="form03-single-reason-reads-as-a-sentence",
        ),
        pytest.param(
            render_extension,
            make_extension(
                apology="Ủy ban nhân dân xã Tân Lập chân thành xin lỗi vì sự chậm trễ này.",
                document_number="",
                signer_authority="",
                addressee="Bà Nguyễn Thị Hồng Nhung",
            ),
            (
                "chân thành xin lỗi vì sự chậm trễ này.",
                "Số: ........./.........",
                "Kính gửi: Bà Nguyễn Thị Hồng Nhung",
            ),
            ("thành thật xin lỗi", "TM."),
            id="form04-custom-apology-and-blank-number",
        ),
        pytest.param(
            render_register,
            make_register(0, date_from=date(2026, 12, 1), date_to=date(2026, 12, 1)),
            ("Ngày 01/12/2026", "Không có hồ sơ nào trong khoảng thời gian này."),
            (),
            id="form07-empty-period",
        ),
    ],
)
def test_form_variant_reads_back(
    tmp_path: Path,
    render: Callable[[Any], bytes],
    data: object,
    present: tuple[str, ...],
    absent: tuple[str, ...],
) -> None:
    """A changed sample: what the change prints, and what it must leave out."""
    text = text_of(tmp_path, render(data))
    for phrase in present:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text


# ------------------------------------------------------------- form 02


@needs_poppler
def test_supplement_request_decomposed_input_and_a5(tmp_path: Path) -> None:
    nfd = make_supplement(owner_name=unicodedata.normalize("NFD", OWNER))
    pdf = render_supplement_request(nfd, page_size="A5")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 419\.5\d* 595\.2\d*\s*\]", pdf)
    text = text_of(tmp_path, pdf)
    assert OWNER in text and "PHIẾU YÊU CẦU BỔ SUNG" in text


# ------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    "render",
    [
        lambda: render_extension(make_extension(new_due_at=datetime(2026, 11, 30, 15, 30))),
        lambda: render_supplement_request(make_supplement(issued_at=datetime(2026, 11, 23, 9, 15))),
        lambda: render_register(
            make_register(1, date_from=date(2026, 12, 2), date_to=date(2026, 12, 1))
        ),
        lambda: render_fee_receipt(make_fee_receipt(), copies=3),
        lambda: render_fee_receipt(make_fee_receipt(lines=(FeeLine("Sai", -1),))),
        lambda: render_fee_receipt(make_fee_receipt(), page_size="Letter"),
    ],
    ids=[
        "naive-new-due",
        "naive-issued-at",
        "reversed-period",
        "three-copies",
        "negative-fee",
        "letter-paper",
    ],
)
def test_bad_input_is_refused(render: Callable[[], bytes]) -> None:
    with pytest.raises(ValueError):
        render()


# ------------------------------------------------------------- form 06


@needs_poppler
def test_control_sheet_text(tmp_path: Path) -> None:
    pdf = render_control_sheet(make_control_sheet())
    assert page_count(pdf) == 1
    text = text_of(tmp_path, pdf)
    assert_common(text)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert f"Chủ hồ sơ: Ông/Bà {OWNER}" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 20/11/2026" in text
    assert "Thời gian hẹn trả kết quả: 10 giờ 00 phút, ngày 25/11/2026" in text
    for head in ("Tên cơ quan/bộ phận", "Thời gian giao, nhận hồ sơ", "Người giao",
                 "Người nhận", "Ghi chú"):
        assert head in text
    assert "Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn)" in text.replace("/ ", "/")
    assert "1. Giao: Bộ phận Một cửa 2. Nhận: Công chức Tư pháp - Hộ tịch" in text
    assert "10 giờ 40 phút, ngày 20/11/2026" in text
    assert "08 giờ 05 phút, ngày 24/11/2026" in text
    assert "15 giờ 20 phút, ngày 24/11/2026" in text
    assert "Trước hạn" in text and "Đúng hạn" in text and "Trình ký" in text
    assert "Vũ Minh Đức" in text
    # The blank row for the next hand-over.
    assert "..... giờ ..... phút" in text


@needs_poppler
@needs_zbar
def test_control_sheet_barcode_decodes(tmp_path: Path) -> None:
    path = write(tmp_path, render_control_sheet(make_control_sheet()))
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
         str(prefix)],
        check=True,
        capture_output=True,
    )
    png = prefix.with_suffix(".png")
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Scode128.enable", str(png)],
        check=False,
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout.decode("utf-8").splitlines() == [CODE]


@needs_poppler
def test_control_sheet_many_rows_flow_on(tmp_path: Path) -> None:
    rows = tuple(
        HandOverRow(f"Bộ phận số {i}", f"Bộ phận số {i + 1}", RECEIVED + timedelta(hours=i))
        for i in range(1, 16)
    )
    pdf = render_control_sheet(make_control_sheet(rows=rows, blank_rows=0))
    pages = pages_text(write(tmp_path, pdf))
    assert len(pages) >= 2
    assert "Bộ phận số 16" in pages[-1]
    for page in pages[1:]:
        assert f"{CODE} (tiếp theo)" in page
        assert "Tên cơ quan/bộ phận" in page  # header repeated


# ------------------------------------------------------------- form 07


@needs_poppler
def test_register_small(tmp_path: Path) -> None:
    pdf = render_register(make_register(12))
    # Landscape A4: 842 x 595 pt.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 841\.8\d* 595\.2\d*\s*\]", pdf)
    # Content-stream order (-raw): a wrapped header cell reads as one phrase
    # even where pdftotext's column guessing would interleave neighbours.
    text = flat(pdf_text(write(tmp_path, pdf), None, None, "-raw"))
    assert_common(text)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    assert "Quyển số: 01/2026" in text
    for head in ("STT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân/tổ chức",
                 "Địa chỉ", "Số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ",
                 "Ngày hẹn trả kết quả", "Ngày chuyển hồ sơ", "Ngày nhận kết quả",
                 "Ngày trả kết quả", "Ký nhận", "Ghi chú"):
        assert head in text, head
    for row in register_rows(12):
        assert row.code in text
    assert OWNER in text and "Giàng A Páo" in text
    assert "Trả ngay" in text  # dossier 1 has no due date
    n = page_count(pdf)
    assert f"Trang 1/{n}" in text and f"Trang {n}/{n}" in text
    assert "NGƯỜI LẬP SỔ" in text and "Tân Lập, ngày 23 tháng 11 năm 2026" in text


@needs_poppler
def test_register_two_thousand_rows(tmp_path: Path) -> None:
    data = make_register(2000)
    started = time.perf_counter()
    pdf = render_register(data)
    elapsed = time.perf_counter() - started
    print(f"\nregister, 2000 rows: {elapsed:.2f} s, {page_count(pdf)} pages, {len(pdf)} bytes")
    assert elapsed < 30
    pages = pages_text(write(tmp_path, pdf))
    n = len(pages)
    assert n == page_count(pdf) and n > 20
    for i, page in enumerate(pages, start=1):
        assert f"Trang {i}/{n}" in page
        assert "Mã hồ sơ" in page and "Tên TTHC" in page  # header on every page
    codes = re.findall(r"H15\.50\.05\.13-2611\d\d-(\d{4})", " ".join(pages))
    assert sorted(int(c) for c in codes) == list(range(1, 2001))
    assert "NGƯỜI LẬP SỔ" in pages[-1]


# ------------------------------------------------------------- fee receipt


@needs_poppler
def test_fee_receipt_two_copies(tmp_path: Path) -> None:
    pdf = render_fee_receipt(make_fee_receipt())
    assert page_count(pdf) == 2
    first, second = pages_text(write(tmp_path, pdf))
    for text in (first, second):
        assert "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ" in text
        assert "Đơn vị thu phí, lệ phí: Ủy ban nhân dân xã Tân Lập" in text
        assert "Mã số thuế: 5300123456" in text
        assert "Mẫu số: 01BLP2-001" in text
        assert "Ký hiệu: AA-26P" in text
        assert "Số: 0000123" in text
        assert f"Họ và tên người nộp tiền: {OWNER}" in text
        assert f"Mã hồ sơ: {CODE}" in text
        assert "Lệ phí đăng ký kết hôn 30.000" in text
        assert "Phí cấp bản sao trích lục hộ tịch (02 bản) 20.000" in text
        assert "Tổng cộng 50.000" in text
        assert "Tổng số tiền: 50.000 đồng" in text
        assert "Bằng chữ: Năm mươi nghìn đồng." in text
        assert "Hình thức thanh toán: Tiền mặt" in text
        assert "Tân Lập, ngày 23 tháng 11 năm 2026" in text
        assert "NGƯỜI NỘP TIỀN" in text and "NGƯỜI THU TIỀN" in text
    assert LABEL_KEEP in first and "Liên 2" not in first
    assert LABEL_GIVE in second and "Liên 1" not in second


@needs_poppler
def test_fee_receipt_one_copy_large_amount(tmp_path: Path) -> None:
    data = make_fee_receipt(
        lines=(FeeLine("Lệ phí cấp giấy chứng nhận quyền sử dụng đất", 1_250_000),),
        payment_method="Chuyển khoản",
    )
    pdf = render_fee_receipt(data, copies=1)
    assert page_count(pdf) == 1
    text = text_of(tmp_path, pdf)
    assert LABEL_SINGLE in text and "Liên" not in text
    assert "Tổng số tiền: 1.250.000 đồng" in text
    assert "Bằng chữ: Một triệu hai trăm năm mươi nghìn đồng." in text
    assert "Hình thức thanh toán: Chuyển khoản" in text


# ------------------------------------------------------------- shared


def test_place_date_line_follows_decree_30() -> None:
    # 23:30 UTC on 31/12 is already 1 January in Hà Nội.
    assert place_date_line("Tân Lập", datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == (
        "Tân Lập, ngày 01 tháng 01 năm 2026"
    )
    assert place_date_line("Tân Lập", date(2026, 2, 9)) == "Tân Lập, ngày 09 tháng 02 năm 2026"
    assert place_date_line("Tân Lập", date(2026, 3, 5)) == "Tân Lập, ngày 05 tháng 3 năm 2026"
    assert place_date_line("Tân Lập", None).startswith("Tân Lập, ngày .....")

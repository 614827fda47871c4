"""Form 01 (receipt and appointment slip): the printed PDF read back.

The barcode tests rasterise the page with poppler's pdftoppm at 300 dpi and
decode it with zbarimg, i.e. what a counter's scanner would see on paper;
the text tests extract the text with pdftotext.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from printing.barcodes import MIN_QUIET_MODULES, Code128, QRCode, code128_modules
from printing.form01 import (
    LABEL_GIVE,
    LABEL_KEEP,
    LABEL_SINGLE,
    NO_DOCUMENTS,
    ON_THE_SPOT,
    TITLE,
    ReceiptData,
    ReceiptDocument,
    render_receipt,
)

CODE = "H15.50.05.13-261122-0001"
PAYLOAD = "https://dichvucong.laocai.gov.vn/tra-cuu?ma=H15.50.05.13-261122-0001"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed",
)
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools not installed")


from tests.pdf_tools import decode, flat, page_count, pages_text, pdf_text, rasterise, write


def make_data(**changes: object) -> ReceiptData:
    data = ReceiptData(
        code=CODE,
        parent_agency_name="Ủy ban nhân dân tỉnh Lào Cai",
        agency_name="Ủy ban nhân dân xã Tân Lập",
        receiving_unit="Bộ phận Một cửa - Quầy số 1",
        register_book="01/2026",
        register_number=15,
        owner_name="Nguyễn Thị Hồng Nhung",
        owner_id_number="010196001234",
        owner_address="Thôn Phú Hữu, xã Tân Lập, tỉnh Lào Cai",
        owner_phone="0912345678",
        owner_email="nhung@example.vn",
        submitter_name="Trần Văn Đức",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        documents=(
            ReceiptDocument("Tờ khai đăng ký khai sinh", 1, 0, 0),
            ReceiptDocument("Giấy chứng sinh", 1, 0, 1),
            ReceiptDocument("Giấy chứng nhận kết hôn của cha, mẹ", 0, 1, 0),
        ),
        sets=1,
        processing_text="03 ngày làm việc",
        # 02:15 UTC = 09:15 in Hà Nội; 03:00 UTC = 10:00.
        received_at=datetime(2026, 11, 22, 2, 15, tzinfo=UTC),
        due_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        collection_text="Bộ phận Một cửa UBND xã Tân Lập",
        officer_name="Lê Thị Mai",
        late_entry=False,
        note="",
        qr_payload=PAYLOAD,
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------ barcodes


@needs_poppler
@needs_zbar
def test_code128_and_qr_read_back_from_the_printed_page(tmp_path: Path) -> None:
    path = write(tmp_path, render_receipt(make_data()))
    png = rasterise(path, tmp_path)
    assert decode(png, "code128") == [CODE]
    assert decode(png, "qrcode") == [PAYLOAD]


@needs_poppler
@needs_zbar
def test_second_copy_carries_the_same_codes(tmp_path: Path) -> None:
    path = write(tmp_path, render_receipt(make_data(), copies=2))
    png = rasterise(path, tmp_path, page=2)
    assert decode(png, "code128") == [CODE]
    assert decode(png, "qrcode") == [PAYLOAD]


@needs_poppler
@needs_zbar
def test_a5_renders_and_barcode_still_decodes(tmp_path: Path) -> None:
    pdf = render_receipt(make_data(), page_size="A5")
    path = write(tmp_path, pdf)
    # A5 portrait is 148 x 210 mm = 419.53 x 595.28 pt.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 419\.5\d* 595\.2\d*\s*\]", pdf)
    assert page_count(pdf) == 2
    png = rasterise(path, tmp_path)
    assert decode(png, "code128") == [CODE]
    assert decode(png, "qrcode") == [PAYLOAD]
    text = pages_text(path)[0]
    assert TITLE in text and "Nguyễn Thị Hồng Nhung" in text


def test_code128_geometry_quiet_zones_and_fit() -> None:
    modules = code128_modules(CODE)
    assert set(modules) == {"0", "1"}
    assert modules.startswith("11") and modules.endswith("11")  # start / stop bars
    symbol = Code128(CODE, width=80 * mm)
    assert symbol.quiet_modules >= MIN_QUIET_MODULES
    width, height = symbol.wrap(500, 500)
    assert width <= 80 * mm + 1e-6
    assert width == pytest.approx((len(modules) + 2 * symbol.quiet_modules) * symbol.module)
    assert not symbol.module_too_thin
    assert height > 12 * mm  # bars plus the human-readable line
    with pytest.raises(ValueError):
        Code128("Mã có dấu")
    assert QRCode(PAYLOAD, size=22 * mm).wrap(500, 500) == pytest.approx((22 * mm, 22 * mm))


# ------------------------------------------------------------ content


@needs_poppler
def test_text_of_both_copies(tmp_path: Path) -> None:
    pdf = render_receipt(make_data(), copies=2)
    assert page_count(pdf) == 2
    first, second = pages_text(write(tmp_path, pdf))
    for text in (first, second):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" in text
        assert "ỦY BAN NHÂN DÂN XÃ TÂN LẬP" in text
        assert TITLE in text
        assert f"Mã hồ sơ: {CODE}" in text
        assert "Tiếp nhận hồ sơ của: Ông/Bà Nguyễn Thị Hồng Nhung" in text
        assert "Người nộp hồ sơ: Ông/Bà Trần Văn Đức" in text
        assert "Số giấy tờ tùy thân: 010196001234" in text
        assert "Địa chỉ: Thôn Phú Hữu, xã Tân Lập, tỉnh Lào Cai" in text
        assert "Đăng ký khai sinh (Mã TTHC: 1.001193)" in text
        assert "Giấy chứng nhận kết hôn của cha, mẹ" in text
        assert "2. Số lượng hồ sơ: 01 (bộ)" in text
        assert "03 ngày làm việc" in text
        # Times are printed on the agency's clock (UTC+7), not in UTC.
        assert "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 22/11/2026" in text
        assert "10 giờ 00 phút, ngày 25/11/2026" in text
        assert "Quyển số: 01/2026, Số thứ tự: 15" in text
        assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
        assert "Lê Thị Mai" in text
        assert ON_THE_SPOT not in text
        assert "nhập bù" not in text
    assert LABEL_KEEP in first and "Liên 2" not in first
    assert LABEL_GIVE in second and "Liên 1" not in second


@needs_poppler
def test_machine_time_zone_does_not_change_printed_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        pdf = render_receipt(make_data(), copies=1)
    finally:
        monkeypatch.undo()
        time.tzset()
    text = pages_text(write(tmp_path, pdf))[0]
    assert "09 giờ 15 phút, ngày 22/11/2026" in text
    assert "10 giờ 00 phút, ngày 25/11/2026" in text


@needs_poppler
def test_single_copy_is_one_page_for_the_applicant(tmp_path: Path) -> None:
    pdf = render_receipt(make_data(), copies=1)
    assert page_count(pdf) == 1
    (text,) = pages_text(write(tmp_path, pdf))
    assert LABEL_SINGLE in text
    assert "Liên 1" not in text and "Lưu" not in text


def test_copies_must_be_one_or_two() -> None:
    with pytest.raises(ValueError):
        render_receipt(make_data(), copies=3)
    with pytest.raises(ValueError):
        render_receipt(make_data(), page_size="Letter")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        render_receipt(make_data(received_at=datetime(2026, 11, 22, 9, 15)))


@needs_poppler
def test_on_the_spot_when_there_is_no_due_time(tmp_path: Path) -> None:
    pdf = render_receipt(
        make_data(due_at=None, processing_text="Giải quyết ngay trong ngày"), copies=1
    )
    (text,) = pages_text(write(tmp_path, pdf))
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {ON_THE_SPOT}" in text
    assert "Giải quyết ngay trong ngày" in text
    assert "25/11/2026" not in text


@needs_poppler
def test_owner_in_person_has_no_submitter_line(tmp_path: Path) -> None:
    for submitter in (None, "  nguyễn thị hồng nhung "):
        pdf = render_receipt(make_data(submitter_name=submitter), copies=1)
        (text,) = pages_text(write(tmp_path, pdf))
        assert "Người nộp hồ sơ:" not in text
        # The owner signs as the person who handed the dossier in.
        assert text.count("Nguyễn Thị Hồng Nhung") >= 2


@needs_poppler
def test_decomposed_input_prints_as_nfc(tmp_path: Path) -> None:
    nfd = make_data(
        owner_name=unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung"),
        owner_address=unicodedata.normalize("NFD", "Thôn Phú Hữu, xã Tân Lập"),
        agency_name=unicodedata.normalize("NFD", "Ủy ban nhân dân xã Tân Lập"),
        documents=(ReceiptDocument(unicodedata.normalize("NFD", "Giấy chứng sinh"), 1, 0, 0),),
    )
    raw = pdf_text(write(tmp_path, render_receipt(nfd, copies=1)))
    assert not any(unicodedata.combining(ch) for ch in raw), "combining marks leaked"
    text = flat(raw)
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Thôn Phú Hữu, xã Tân Lập" in text
    assert "ỦY BAN NHÂN DÂN XÃ TÂN LẬP" in text
    assert "Giấy chứng sinh" in text


@needs_poppler
def test_no_documents_row_note_and_late_entry(tmp_path: Path) -> None:
    data = make_data(
        documents=(),
        late_entry=True,
        note="Bổ sung bản chính khi nhận kết quả.",
        owner_email="",
    )
    (text,) = pages_text(write(tmp_path, render_receipt(data, copies=1)))
    assert NO_DOCUMENTS in text
    assert "Ghi chú: Bổ sung bản chính khi nhận kết quả." in text
    assert "Hồ sơ nhập bù: tiếp nhận trên giấy lúc 09 giờ 15 phút, ngày 22/11/2026" in text


def test_eight_documents_fit_one_page_per_copy() -> None:
    docs = tuple(
        ReceiptDocument(
            f"Giấy tờ số {i}: bản sao giấy chứng nhận quyền sử dụng đất và tài sản gắn liền với đất",
            1,
            1,
            1,
        )
        for i in range(1, 9)
    )
    data = make_data(documents=docs, late_entry=True, note="Hồ sơ có giấy tờ nước ngoài.")
    assert page_count(render_receipt(data, copies=2)) == 2
    assert page_count(render_receipt(data, copies=1)) == 1


@needs_poppler
def test_long_document_list_flows_onto_more_pages(tmp_path: Path) -> None:
    docs = tuple(ReceiptDocument(f"Giấy tờ kèm theo số {i}", 1, 0, 0) for i in range(1, 41))
    pdf = render_receipt(make_data(documents=docs), copies=2)
    pages = pages_text(write(tmp_path, pdf))
    assert len(pages) >= 4 and len(pages) % 2 == 0
    half = len(pages) // 2
    keep, give = pages[:half], pages[half:]
    assert LABEL_KEEP in keep[0] and LABEL_GIVE in give[0]
    # Continuation pages say which copy and which dossier they belong to,
    # and the table header is repeated.
    for label, copy in ((LABEL_KEEP, keep), (LABEL_GIVE, give)):
        for page in copy[1:]:
            assert f"{label} (tiếp theo)" in page
            assert f"Mã hồ sơ: {CODE}" in page
        joined = " ".join(copy)
        assert "Giấy tờ kèm theo số 40" in joined
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in copy[-1]

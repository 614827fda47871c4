"""End to end, headless: receive a dossier, print its slip, read the paper back like a scanner would."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli_tools import motcua

needs_tools = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdftotext")),
                                 reason="poppler-utils and zbar-tools are installed by `make test`")


@needs_tools
def test_receipt_barcode_reads_back_as_the_dossier_code(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = motcua(data, "init", "--agency-code", "000.00.27.H41", "--agency-name", "Ủy ban nhân dân xã Bảo Nhai",
                  "--parent-name", "Ủy ban nhân dân tỉnh Lào Cai", "--level", "commune", "--counter", "2",
                  "--admin-user", "quantri", "--admin-password", "matkhau-2026")
    assert init.returncode == 0, init.stderr
    received = motcua(data, "receive", "--procedure", "1.001193", "--owner-name", "Nguyễn Thị Hồng Nhung",
                      "--owner-id", "010196004321", "--phone", "0912345678", "--address", "Thôn Nậm Đét, xã Bảo Nhai",
                      "--submitter-name", "Nguyễn Văn Đức", "--documents", "all", "--json",
                      password="matkhau-2026")
    assert received.returncode == 0, received.stderr
    code = json.loads(received.stdout)["code"]
    assert code.startswith("000.00.27.H41-") and code.endswith("-1001")  # counter 2 owns 1001-1999

    pdf = tmp_path / "giay-hen.pdf"
    printed = motcua(data, "print", "receipt", code, "--out", str(pdf), password="matkhau-2026")
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    page = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "--raw", "-q", "-Scode128.enable", str(page)], capture_output=True,
                             text=True)
    symbols = scanned.stdout.split()
    assert code in symbols  # the Code128 bars decode to exactly the code
    qr = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(page)], capture_output=True,
                        text=True).stdout.split()
    assert len(qr) == 1 and qr[0].startswith(f"MC1:{code}:")  # signed statement, docs/signed-receipt.md
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Nguyễn Văn Đức" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Quyển số: 02/" in text  # counter 2's own register book


def test_print_receipt_of_unknown_code_fails_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert motcua(data, "init", "--agency-code", "H15.50.05.13", "--agency-name", "UBND xã A", "--parent-name",
                  "UBND tỉnh B", "--counter", "1", "--admin-user", "quantri",
                  "--admin-password", "matkhau-2026").returncode == 0
    out = tmp_path / "x.pdf"
    result = motcua(data, "print", "receipt", "H15.50.05.13-261122-0099", "--out", str(out),
                    password="matkhau-2026")
    assert result.returncode == 1
    assert "Không tìm thấy hồ sơ" in result.stderr
    assert not out.exists()

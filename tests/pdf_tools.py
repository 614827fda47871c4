"""Reading printed PDFs back the way a person or a scanner would: text, pages, barcodes."""

import re
import subprocess
from pathlib import Path


def write(tmp_path: Path, pdf: bytes, name: str = "form.pdf") -> Path:
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def pdf_text(path: Path, first: int | None = None, last: int | None = None, *extra: str) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *extra]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout
    return out.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so a phrase may be checked across line ends."""
    return " ".join(text.split())


def pages_text(path: Path) -> list[str]:
    return [flat(p) for p in pdf_text(path).split("\f") if p.strip()]


def rasterise(path: Path, tmp_path: Path, page: int = 1) -> Path:
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    return prefix.with_suffix(".png")


def decode(png: Path, symbology: str) -> list[str]:
    """Symbols of one kind that zbarimg finds on the image, one per line."""
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", f"-S{symbology}.enable", str(png)],
        check=False,
        capture_output=True,
    )
    # zbarimg exits 4 when it finds nothing; that is a failed read, not an error.
    assert result.returncode in (0, 4), result.stderr.decode(errors="replace")
    return [line for line in result.stdout.decode("utf-8").splitlines() if line]

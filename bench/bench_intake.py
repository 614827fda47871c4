"""Benchmark: one intake (receive + render form 01), beside the raw baselines, in one run.

    .venv/bin/python bench/bench_intake.py [--runs 200]

Baselines:
  raw sqlite3   one INSERT transaction with the same pragmas (WAL, synchronous=FULL)
  bare reportlab one A4 page with the same embedded font and a line of Vietnamese text
The target in issue #2 is a median <= 100 ms for receive + render on a 2-core machine.
"""

import argparse
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from app import catalog  # noqa: E402
from app.bootstrap import initialise_counter, open_store  # noqa: E402
from app.intake import IntakeRequest, PersonInput, all_documents, receive  # noqa: E402
from app.profile import SAMPLE_SETUP  # noqa: E402
from printing.fonts import SERIF, register_fonts  # noqa: E402
from printing.receipts import render_receipt_for  # noqa: E402

NAMES = ["Nguyễn Thị Hồng Nhung", "Lò Văn Páo", "Hoàng Thị Thu Hằng", "Đặng Văn Đạt", "Vàng A Dế"]


def timed(fn: Callable[[int], object], runs: int, warmup: int = 5) -> list[float]:
    for i in range(warmup):
        fn(-1 - i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
            "min_ms": round(ordered[0], 2)}


def bench_counter(runs: int, root: Path) -> dict[str, dict[str, float]]:
    store = open_store(root / "counter")
    admin = initialise_counter(store, SAMPLE_SETUP)
    with store.read() as session:
        _, spec = catalog.get_procedure(session, "1.001193")  # khai sinh: 3 documents
    documents = all_documents(spec)
    codes: list[str] = []

    def receive_one(i: int) -> None:
        result = receive(store, admin, IntakeRequest(
            procedure_code=spec.code, documents=documents,
            owner=PersonInput(full_name=NAMES[i % len(NAMES)], id_number="015190001234", phone="0912345678",
                              address="Thôn Khe Cảnh, xã Tân Lập, tỉnh Lào Cai")))
        codes.append(result.code)

    def render_one(_i: int) -> None:
        with store.read() as session:
            render_receipt_for(session, codes[-1])

    def both(i: int) -> None:
        receive_one(i)
        render_one(i)

    results = {"receive": summary(timed(receive_one, runs)), "render_form01": summary(timed(render_one, runs)),
               "receive_and_render": summary(timed(both, runs))}
    store.dispose()
    return results


def bench_raw_sqlite(runs: int, root: Path) -> dict[str, float]:
    connection = sqlite3.connect(root / "raw.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE dossier (id INTEGER PRIMARY KEY, code TEXT UNIQUE, owner TEXT, payload TEXT)")

    def insert(i: int) -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO dossier (code, owner, payload) VALUES (?, ?, ?)",
                           (f"H15.50.05.13-261122-{i + 100000}", NAMES[i % len(NAMES)], "x" * 400))
        connection.execute("COMMIT")

    result = summary(timed(insert, runs))
    connection.close()
    return result


def bench_bare_reportlab(runs: int) -> dict[str, float]:
    register_fonts()

    def page(_i: int) -> None:
        canvas = Canvas(io.BytesIO(), pagesize=A4)
        canvas.setFont(SERIF, 13)
        canvas.drawString(72, 760, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ — Nguyễn Thị Hồng Nhung")
        canvas.showPage()
        canvas.save()

    return summary(timed(page, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        results = {**bench_counter(args.runs, root), "raw_sqlite3_insert_tx": bench_raw_sqlite(args.runs, root),
                   "bare_reportlab_page": bench_bare_reportlab(args.runs)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'measure':<24}{'median ms':>11}{'p95 ms':>9}{'min ms':>9}")
    for name, figures in results.items():
        print(f"{name:<24}{figures['median_ms']:>11.2f}{figures['p95_ms']:>9.2f}{figures['min_ms']:>9.2f}")
    total = results["receive_and_render"]["median_ms"]
    print(f"\nreceive + render form 01: median {total:.1f} ms (target <= 100 ms): {'OK' if total <= 100 else 'OVER'}")


if __name__ == "__main__":
    main()

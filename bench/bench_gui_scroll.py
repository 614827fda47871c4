"""Memory while scrolling the dossier list: peak RSS beside a bare QTableView window.

    .venv/bin/python bench/bench_gui_scroll.py --data-dir DIR [--rows 20000]

DIR is a counter's data directory, for example one filled by
`motcua demo seed` with a million dossiers. The list page (ui/dossier_list_page)
is opened in a 1366x768 window and scrolled down, a page at a time, until
`--rows` rows have been fetched (200 per fetch, on a read worker, as the view
asks for them). Each measurement runs in its own process so that one's peak
does not hide in the other's: a bare QTableView over an empty model in the
same window size is the baseline. Memory is read from /proc/self/status
(VmRSS, VmHWM), or resource.getrusage where /proc is missing.

Target: peak RSS of the list below 300 MB. Runs offscreen unless DISPLAY is set.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process, in MB."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak


def _application():  # type: ignore[no-untyped-def]
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.application import make_application

    return make_application()


def _settle(app, until=None, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Let Qt handle what is queued; with `until`, keep at it until it holds."""
    app.processEvents()
    deadline = time.monotonic() + timeout
    while until is not None and not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the list did not finish loading in time")
        time.sleep(0.001)
        app.processEvents()


def run_bare() -> dict[str, float]:
    """PySide6 alone: the same style and window size, an empty model."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from ui.style import APP_STYLE

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    app.setStyleSheet(APP_STYLE)
    window = QMainWindow()
    table = QTableView()
    table.setModel(QStringListModel())
    window.setCentralWidget(table)
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        _settle(app)
    current, peak = memory_mb()
    return {"rss_mb": current, "peak_mb": peak}


def run_list(data_dir: Path, rows: int) -> dict[str, float]:
    from PySide6.QtWidgets import QMainWindow
    from sqlmodel import select

    from app.bootstrap import open_store
    from app.permissions import Actor
    from app.profile import load_profile
    from models.enums import Role
    from models.tables import User
    from ui.context import CounterContext
    from ui.dossier_list_page import DossierListPage
    from ui.tasks import TaskRunner

    app = _application()
    store = open_store(data_dir)
    with store.read() as session:
        profile = load_profile(session)
        user = session.exec(select(User).where(User.role == Role.ADMIN.value)).first() or \
            session.exec(select(User)).first()
    assert user is not None and user.id is not None, "no user in this data directory"
    actor = Actor(user.id, user.username, user.full_name, Role(user.role))
    runner = TaskRunner()
    window = QMainWindow()
    page = DossierListPage(CounterContext(store, runner, actor, profile))
    window.setCentralWidget(page)
    window.resize(1366, 768)
    window.show()
    _, peak_before = memory_mb()
    model, table = page.model, page.table
    fetch_times: list[float] = []
    began = [0.0]

    def on_loading(loading: bool) -> None:  # from fetchMore to the rows in the view
        if loading:
            began[0] = time.perf_counter()
        else:
            fetch_times.append(time.perf_counter() - began[0])

    model.loading_changed.connect(on_loading)
    started = time.perf_counter()
    page.activate()
    _settle(app, lambda: model.rowCount() > 0 and not model.is_loading())
    first_page_s = time.perf_counter() - started
    fetch_times.clear()

    bar = table.verticalScrollBar()
    steps = 0
    scroll_started = time.perf_counter()
    while model.rowCount() < rows:
        before = model.rowCount()
        bar.setValue(bar.value() + bar.pageStep())  # the view asks for more when it reaches the bottom
        steps += 1
        _settle(app, lambda: not model.is_loading())
        if bar.value() >= bar.maximum() and model.rowCount() == before and not model.canFetchMore():
            break  # the whole list is loaded
    scroll_s = time.perf_counter() - scroll_started
    bar.setValue(bar.maximum())
    _settle(app)
    current, peak = memory_mb()
    runner.wait_for_done()
    store.dispose()
    return {"rows": model.rowCount(), "steps": steps, "first_page_ms": first_page_s * 1000,
            "fetch_median_ms": statistics.median(fetch_times) * 1000 if fetch_times else 0.0,
            "fetch_max_ms": max(fetch_times) * 1000 if fetch_times else 0.0, "scroll_s": scroll_s,
            "rss_mb": current, "peak_mb": peak, "peak_before_mb": peak_before}


def _child(args: list[str]) -> dict[str, float]:
    output = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="a counter's data directory (motcua demo seed)")
    parser.add_argument("--rows", type=int, default=20_000, help="rows to fetch by scrolling (default 20000)")
    parser.add_argument("--mode", choices=["bare", "list"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == "bare":
        print(json.dumps(run_bare()))
        return 0
    if args.mode == "list":
        print(json.dumps(run_list(args.data_dir, args.rows)))
        return 0
    if args.data_dir is None:
        parser.error("--data-dir is required")
    bare = _child(["--mode", "bare"])
    listed = _child(["--mode", "list", "--data-dir", str(args.data_dir), "--rows", str(args.rows)])
    print(f"{'measure':<44}{'value':>12}")
    print(f"{'bare QTableView, empty model: peak RSS':<44}{bare['peak_mb']:>9.1f} MB")
    print(f"{'dossier list: rows fetched by scrolling':<44}{int(listed['rows']):>12,}")
    print(f"{'  scroll steps (one page each)':<44}{int(listed['steps']):>12,}")
    print(f"{'  peak RSS with the page open, before rows':<44}{listed['peak_before_mb']:>9.1f} MB")
    print(f"{'  first page shown':<44}{listed['first_page_ms']:>9.1f} ms")
    print(f"{'  fetch of 200 rows, median':<44}{listed['fetch_median_ms']:>9.1f} ms")
    print(f"{'  fetch of 200 rows, slowest':<44}{listed['fetch_max_ms']:>9.1f} ms")
    print(f"{'  time to scroll through':<44}{listed['scroll_s']:>10.2f} s")
    print(f"{'  RSS at the bottom':<44}{listed['rss_mb']:>9.1f} MB")
    print(f"{'  peak RSS (target < 300 MB)':<44}{listed['peak_mb']:>9.1f} MB")
    print(f"{'  peak RSS above the bare window':<44}{listed['peak_mb'] - bare['peak_mb']:>9.1f} MB")
    return 0 if listed["peak_mb"] < 300 else 1


if __name__ == "__main__":
    sys.exit(main())

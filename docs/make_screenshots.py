"""Screenshots for the README, taken from a real window under Xvfb.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/make_screenshots.py

Sets up a throw-away counter, types a citizen's dossier in Vietnamese the way
an officer would, saves it, and captures the screen at each step; then fills
the counter with demo dossiers for the dossier list and opens the typed
dossier's detail once its result is ready; then the supervisor's pages.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import initialise_counter, open_store  # noqa: E402
from app.profile import SAMPLE_SETUP, load_profile  # noqa: E402
from ui.application import make_application  # noqa: E402
from ui.context import CounterContext  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"


def wait(app: QApplication, ms: int) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(ms)
    while timer.isActive():
        app.processEvents()


def shoot(app: QApplication, name: str) -> None:
    wait(app, 400)
    app.primaryScreen().grabWindow(0).save(str(OUT / name))
    print("saved", OUT / name)


def main() -> None:
    app = make_application()
    store = open_store(Path(tempfile.mkdtemp()) / "data")
    admin = initialise_counter(store, SAMPLE_SETUP)
    with store.read() as session:
        profile = load_profile(session)
    window = MainWindow(CounterContext(store, TaskRunner(), admin, profile))
    # A typical counter PC's screen is 1366x768.
    window.move(0, 0)
    window.resize(1366, 768)
    window.show()
    window.show_page("intake")  # an administrator starts on the early warnings; the tour starts at intake
    page = window.intake_page
    page.search.setText("ket hon")
    wait(app, 800)
    page.checklist_model.set_all_handed_in(True)
    page.owner.name.setText("Nguyễn Thị Hồng Nhung")
    page.owner.id_number.setText("015196001234")
    page.owner.dob.setText("12/03/1996")
    page.owner.phone.setText("0912 345 678")
    page.owner.address.setText("Thôn Khe Cảnh, xã Tân Lập, tỉnh Lào Cai")
    page.owner.phone.setFocus()
    page.owner.email.setText("nhung.nguyen@")
    page.owner.email.editingFinished.emit()  # as when the officer tabs out of the field
    shoot(app, "intake.png")
    page.owner.email.clear()
    page.save_button.click()
    wait(app, 1500)
    shoot(app, "receipt-preview.png")
    for dialog in list(window.previews):
        dialog.accept()
    wait(app, 300)
    window.show_page("today")
    shoot(app, "today.png")

    # The dossier list over a few thousand demo dossiers, then the dossier typed above, forwarded and
    # ready, opened as a barcode scan would open it ("Trả kết quả" focused).
    from sqlmodel import select

    from app import demo
    from app.lifecycle import Action, StepRequest, perform
    from models.tables import Dossier

    demo.seed(store, 3000, days=120)
    with store.read() as session:
        code = session.exec(select(Dossier.code).where(Dossier.owner_name == "Nguyễn Thị Hồng Nhung")).first()
    assert code is not None
    perform(store, admin, code, StepRequest(action=Action.FORWARD, processing_body="Công chức Tư pháp - Hộ tịch"))
    perform(store, admin, code, StepRequest(action=Action.READY, note="Đã ký giấy xác nhận"))
    window.show_page("dossiers")
    wait(app, 1500)
    shoot(app, "dossiers.png")
    window.open_dossier(code)
    wait(app, 1000)
    shoot(app, "dossier-detail.png")
    for detail in list(window.details):
        detail.reject()

    # What a supervisor sees: early warnings, the daily report, the sync queue, the audit trail and backups.
    window.show_page("warnings")
    wait(app, 1500)
    shoot(app, "warnings.png")
    window.show_page("reports")
    window.reports_page.daily_button.click()
    wait(app, 4000)
    shoot(app, "daily-report.png")
    for dialog in list(window.reports_page.previews):
        dialog.accept()
    window.show_page("sync")
    wait(app, 1000)
    shoot(app, "sync.png")
    window.show_page("audit")
    wait(app, 2000)
    shoot(app, "audit.png")
    window.close()


if __name__ == "__main__":
    main()

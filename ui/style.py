"""The counter's look: calm, high-contrast, large enough for a busy desk."""

APP_STYLE = """
QWidget { font-size: 10.5pt; }
QMainWindow, QDialog { background: #f6f7f9; }
QLabel#sectionTitle { font-size: 11.5pt; font-weight: 600; color: #1f3a5f; padding: 6px 0 2px 0; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; color: #1f3a5f; }
QLabel#hint { color: #5f6b7a; }
QLabel#dueBanner { background: #e8f1fb; border: 1px solid #b8d3f0; border-radius: 6px; padding: 8px;
                   font-size: 11.5pt; color: #123e6b; }
QLabel#feeBanner { background: #fdf6e3; border: 1px solid #ecd9a3; border-radius: 6px; padding: 8px; }
QLineEdit, QPlainTextEdit, QSpinBox, QComboBox, QDateTimeEdit {
    background: white; border: 1px solid #c4cbd4; border-radius: 4px; padding: 4px 6px; }
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QComboBox:focus, QDateTimeEdit:focus {
    border: 2px solid #2f6fb3; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] { border: 2px solid #b3261e; background: #fff5f4; }
QPushButton { padding: 6px 14px; border-radius: 4px; border: 1px solid #aab4c0; background: white; }
QPushButton:hover { background: #eef3f8; }
QPushButton#primary { background: #1f6fb2; color: white; border: 1px solid #185a91; font-weight: 600; }
QPushButton#primary:hover { background: #185a91; }
QPushButton#primary:disabled { background: #9bb7d1; border-color: #9bb7d1; }
QPushButton#primary:focus { border: 2px solid #0d3a63; }
QPushButton#danger { color: #a11d1d; border-color: #d9a3a0; }
QPushButton#danger:hover { background: #fdf0ef; }
QPushButton#toggle:checked { background: #1f6fb2; color: white; border-color: #185a91; }
QPushButton#toggle[tone="danger"]:checked { background: #b3261e; border-color: #8c1d17; }
QPushButton#rating:checked { background: #1f6fb2; color: white; border-color: #185a91; }
QWidget#topBar { background: #e9edf2; border-bottom: 1px solid #d5dbe2; }
QLabel#countLabel { font-weight: 600; color: #1f3a5f; }
QListWidget#nav { background: #1f3a5f; color: #e8eef5; border: none; font-size: 11pt; }
QListWidget#nav::item { padding: 12px 14px; }
QListWidget#nav::item:selected { background: #2f5a8f; color: white; }
QTableView { background: white; alternate-background-color: #f3f6fa; gridline-color: #e1e5ea;
             selection-background-color: #cfe2f7; selection-color: black; }
QHeaderView::section { background: #e9edf2; padding: 5px; border: none; border-right: 1px solid #d5dbe2;
                       font-weight: 600; }
QGroupBox { border: 1px solid #d5dbe2; border-radius: 6px; margin-top: 12px; padding: 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #1f3a5f; font-weight: 600; }
QStatusBar { background: #e9edf2; }
QStatusBar QLabel { padding: 0 10px; }
"""

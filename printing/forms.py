"""One import point for the counter's printed forms 02-07 and the fee receipt.

Each form lives in its own module (``printing.form02`` ... ``printing.form07``,
``printing.fee_receipt``); form 01 is ``printing.form01``.  Every renderer is
a pure function: a frozen dataclass in, PDF bytes out.
"""

from __future__ import annotations

from printing.fee_receipt import FeeLine, FeeReceiptData, render_fee_receipt
from printing.form02 import SupplementRequestData, render_supplement_request
from printing.form03 import RefusalData, render_refusal
from printing.form04 import ExtensionData, render_extension
from printing.form05 import StopNoticeData, render_stop_notice
from printing.form06 import ControlSheetData, HandOverRow, render_control_sheet
from printing.form07 import RegisterData, RegisterRow, render_register
from printing.vn_words import amount_in_words, format_vnd

__all__ = [
    "ControlSheetData",
    "ExtensionData",
    "FeeLine",
    "FeeReceiptData",
    "HandOverRow",
    "RefusalData",
    "RegisterData",
    "RegisterRow",
    "StopNoticeData",
    "SupplementRequestData",
    "amount_in_words",
    "format_vnd",
    "render_control_sheet",
    "render_extension",
    "render_fee_receipt",
    "render_refusal",
    "render_register",
    "render_stop_notice",
    "render_supplement_request",
]

"""The body of a form, between its heading and its signature: "Label: value"
fields, numbered lists, and ruled tables.

Each helper returns flowables for one :class:`~printing.page.PageSetup`; an
empty value prints dots so the paper can still be filled in by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from printing.page import PageSetup
from printing.styles import make_styles
from printing.text import nfc, para

# ------------------------------------------------------------------- lines


def field(
    label: str,
    value: object,
    setup: PageSetup,
    *,
    bold_value: bool = False,
    style: ParagraphStyle | None = None,
) -> Paragraph:
    """A "Label: value" line; an empty value leaves a dotted line to fill in."""
    st = make_styles(setup)
    text = nfc(value).strip()
    shown = para(text) if text else "." * 40
    if bold_value and text:
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{para(label)} {shown}", style or st.body_left)


def numbered_items(
    items: Sequence[str], setup: PageSetup, *, style: ParagraphStyle | None = None, empty: str = ""
) -> list[Paragraph]:
    """"1. ...", "2. ..." paragraphs with a hanging indent (wrapped lines
    align with the text, not the number).  No items: one line *empty* (or
    dots to fill in by hand)."""
    base = style or make_styles(setup).body
    texts = [nfc(t).strip() for t in items if nfc(t).strip()]
    if not texts:
        return [Paragraph(para(empty) if empty else "." * 60, base)]
    label_w = stringWidth(f"{len(texts)}. ", base.fontName, base.fontSize)
    indent = setup.sp(5 * mm)
    hanging = ParagraphStyle(
        name=f"{base.name}-numbered",
        parent=base,
        leftIndent=indent + label_w,
        firstLineIndent=-label_w,
    )
    return [Paragraph(f"{i}. {para(t)}", hanging) for i, t in enumerate(texts, start=1)]


# ------------------------------------------------------------------ tables

Cell: TypeAlias = "str | Flowable"
ALIGNS = {"left": "table_cell", "center": "table_cell_center", "right": "table_cell_right"}


def document_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    setup: PageSetup,
    *,
    widths: Sequence[float],
    aligns: Sequence[str] | None = None,
    empty_text: str = "",
) -> Table:
    """A ruled table with a bold header row repeated on every page.

    *widths* are fractions of the frame width (normalised to sum to 1) or,
    if they sum to more than 1.5, absolute points.  Strings are wrapped in
    paragraphs with the column's alignment ('left', 'center', 'right').
    With no rows, one row spanning all columns shows *empty_text*.
    """
    st = make_styles(setup)
    n = len(headers)
    if len(widths) != n:
        raise ValueError("widths must match headers")
    aligns = list(aligns or ["left"] * n)
    total = float(sum(widths))
    if total <= 1.5:
        col_widths = [setup.frame_width * x / total for x in widths]
    else:
        col_widths = [float(x) for x in widths]

    pad = setup.sp(4)
    cell_style = st.table_cell
    data: list[list[Cell]] = [[Paragraph(para(h), st.table_head) for h in headers]]
    for row in rows:
        cells: list[Cell] = []
        for i, cell in enumerate(row):
            if isinstance(cell, Flowable):
                cells.append(cell)
                continue
            text = nfc(cell)
            # Text that fits on one line is drawn as a plain table string
            # (several times cheaper than a Paragraph); longer text wraps.
            if "\n" not in text and (
                stringWidth(text, cell_style.fontName, cell_style.fontSize)
                <= col_widths[i] - 2 * pad - 1
            ):
                cells.append(text)
            else:
                cells.append(Paragraph(para(text), getattr(st, ALIGNS[aligns[i]])))
        data.append(cells)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, -1), cell_style.fontName, cell_style.fontSize, cell_style.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), setup.sp(2)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), setup.sp(3)),
    ]
    for i, align in enumerate(aligns):
        commands.append(("ALIGN", (i, 1), (i, -1), align.upper()))
    if not rows:
        data.append([Paragraph(para(empty_text), st.table_cell_center)] + [""] * (n - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """*text* broken into lines no wider than *width*: at spaces, and inside
    a word only when the word alone is too wide.  Lets a long table be drawn
    with plain multi-line strings, several times faster than paragraphs."""
    lines: list[str] = []
    for chunk in nfc(text).split("\n"):
        for line in simpleSplit(chunk, font, size, width) or [""]:
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


__all__ = ["document_table", "field", "numbered_items", "wrap_lines"]

"""The foot of every document: who signs it, and for letters, who receives it.

Decree 30/2020/ND-CP: the signer's title in bold upper case (over the
authority they sign for, "TM." / "KT."), a hint in italics, blank space for
the signature and seal, the name in bold; an official letter also lists its
recipients ("Nơi nhận:") on the left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from printing.fonts import SERIF_BOLD_ITALIC
from printing.page import PageSetup
from printing.styles import make_styles
from printing.text import nfc, para, upper_vn

SIGN_HINT = "(Ký và ghi rõ họ tên)"
OFFICIAL_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"  # signing for the agency, under its seal


@dataclass(frozen=True)
class Signatory:
    """One column of a signature block."""

    title: str  # e.g. "NGƯỜI NỘP HỒ SƠ" (printed upper case, bold)
    name: str = ""  # printed under the blank space; '' leaves it blank
    hint: str = SIGN_HINT
    above: str = ""  # optional italic line above the title (place and date)


def signature_column(
    sig: Signatory | None, setup: PageSetup, *, space: float = 24 * mm
) -> list[Flowable]:
    """The flowables of one signature column (place/date, title, hint, blank
    space, name).  A title with line breaks ("TM. ỦY BAN NHÂN DÂN\nCHỦ
    TỊCH", Decree 30's signing on behalf of a collective) keeps them."""
    if sig is None:
        return []
    st = make_styles(setup)
    out: list[Flowable] = []
    if sig.above:
        out.append(Paragraph(para(sig.above), st.italic_center))
    lines = [upper_vn(line).strip() for line in nfc(sig.title).split("\n")]
    out.append(Paragraph("<br/>".join(escape(line) for line in lines if line), st.sign_title))
    if sig.hint:
        out.append(Paragraph(para(sig.hint), st.sign_hint))
    out.append(Spacer(1, setup.sp(space)))
    if nfc(sig.name).strip():
        out.append(Paragraph(para(sig.name.strip()), st.sign_name))
    return out


def signature_block(
    left: Signatory | None,
    right: Signatory | None,
    setup: PageSetup,
    *,
    space: float = 24 * mm,
) -> Flowable:
    """Two signature columns; either side may be None (left empty)."""
    w = setup.frame_width
    table = Table(
        [[signature_column(left, setup, space=space), signature_column(right, setup, space=space)]],
        colWidths=[w / 2, w / 2],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table  # one row: never split across pages


def official_closing(
    recipients: Sequence[str],
    signatory: Signatory,
    setup: PageSetup,
    *,
    space: float = 24 * mm,
) -> Table:
    """Decree 30's foot of a letter: "Nơi nhận:" and its list on the left
    (11 pt, "- Như trên;", the last one ending with a full stop), the
    signature on the right.  No recipients: the left side stays empty."""
    st = make_styles(setup)
    w = setup.frame_width
    names = [nfc(r).strip().rstrip(";.") for r in recipients if nfc(r).strip()]
    left: list[Flowable] = []
    if names:
        small = st.small_italic.fontSize
        heading = ParagraphStyle(
            name=f"qmc-{setup.name}-recipients-head",
            parent=st.body_left,
            fontName=SERIF_BOLD_ITALIC,
            fontSize=setup.pt(12),
            leading=setup.pt(12) * 1.2,
            spaceAfter=0,
        )
        item = ParagraphStyle(
            name=f"qmc-{setup.name}-recipients-item",
            parent=st.body_left,
            fontSize=small,
            leading=small * 1.2,
            spaceAfter=0,
        )
        left.append(Paragraph("Nơi nhận:", heading))
        for i, name in enumerate(names):
            end = "." if i == len(names) - 1 else ";"
            left.append(Paragraph(f"- {para(name)}{end}", item))
    table = Table(
        [[left, signature_column(signatory, setup, space=space)]],
        colWidths=[w * 0.45, w * 0.55],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def signer_title_lines(authority: str, title: str) -> str:
    """The title of a :class:`Signatory` who signs on behalf of someone:
    the authority ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") over the signer's
    own title (Decree 30); an empty part is left out."""
    return "\n".join(t for t in (nfc(authority).strip(), nfc(title).strip()) if t)


def agency_signatory(authority: str, title: str, name: str) -> Signatory:
    """The head of the agency (or a deputy) signing and sealing a letter."""
    return Signatory(signer_title_lines(authority, title), nfc(name).strip(), hint=OFFICIAL_HINT)


def closing_signature(
    signatory: Signatory,
    setup: PageSetup,
    *,
    recipients: Sequence[str] | None = None,
    gap: float = 14,
) -> Flowable:
    """The signature at the foot of a form, *gap* (given for A4) below the
    text: alone on the right half, or, when *recipients* is given (even
    empty), as :func:`official_closing` with "Nơi nhận:" on the left."""
    if recipients is None:
        block = signature_block(None, signatory, setup)
    else:
        block = official_closing(recipients, signatory, setup)
    # One unit: a signature that does not fit moves to the next page with
    # its gap, rather than leaving the gap behind at the foot of this one.
    return KeepTogether([Spacer(1, setup.sp(gap)), block])


__all__ = [
    "OFFICIAL_HINT",
    "SIGN_HINT",
    "Signatory",
    "agency_signatory",
    "closing_signature",
    "official_closing",
    "signature_block",
    "signature_column",
    "signer_title_lines",
]

"""Laying flowables out on paper and writing the PDF bytes.

Every printed document ends in :func:`build_pdf` (forms through
:func:`render_form`): one frame from margin to margin on the page setup's
paper, with optional hooks per page and a "page x of y" canvas.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from printing.fonts import register_fonts
from printing.heading import Issuer
from printing.page import PageSetup
from printing.text import nfc

# Plain deflate streams: the default extra ASCII85 layer only makes every
# PDF a quarter bigger and slower to write; nothing here needs 7-bit output.
rl_config.useA85 = 0

PageHook = Callable[[Canvas, BaseDocTemplate], None]


def _nothing(canv: Canvas, doc: BaseDocTemplate) -> None:
    return None


PageCountHook = Callable[[Canvas, int, int], None]


def numbered_canvas(draw: PageCountHook) -> type[Canvas]:
    """A canvas class that holds every page back until the document is
    complete, then calls ``draw(canvas, page, total)`` on each before writing
    it: for "Trang x/y" without laying the document out twice."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                draw(self, number, total)
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(
    flowables: Sequence[Flowable],
    setup: PageSetup,
    *,
    title: str = "",
    author: str = "",
    subject: str = "",
    on_page: PageHook | None = None,
    on_page_end: PageHook | None = None,
    page_count_hook: PageCountHook | None = None,
) -> bytes:
    """Lay out *flowables* on *setup*'s paper and return the PDF bytes.

    The frame has no inner padding, so a flowable of ``setup.frame_width``
    spans exactly from margin to margin.  *on_page* runs when a page starts,
    *on_page_end* after its flowables are drawn (both get canvas and doc).
    *page_count_hook* gets (canvas, page, total) once the page count is
    known (see :func:`numbered_canvas`).
    """
    register_fonts()
    # Exported files say what they contain and whose they are: a PDF found in a
    # downloads folder names its document (title) and its agency (subject too).
    if not title:
        raise ValueError("Mọi tệp PDF phải có tiêu đề nói rõ nội dung")
    if author and nfc(author) not in nfc(subject):
        subject = f"{subject} - {author}" if subject else f"{title} - {author}"
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=setup.size,
        leftMargin=setup.left,
        rightMargin=setup.right,
        topMargin=setup.top,
        bottomMargin=setup.bottom,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="Quầy Một cửa",
        lang="vi-VN",
    )
    frame = Frame(
        setup.left,
        setup.bottom,
        setup.frame_width,
        setup.frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=on_page or _nothing,
                onPageEnd=on_page_end or _nothing,
                pagesize=setup.size,
            )
        ]
    )
    if page_count_hook is None:
        doc.build(list(flowables))
    else:
        doc.build(list(flowables), canvasmaker=numbered_canvas(page_count_hook))
    return buffer.getvalue()


def render_form(
    story: Sequence[Flowable],
    setup: PageSetup,
    issuer: Issuer,
    *,
    title: str,
    subject: str,
    on_page_end: PageHook | None = None,
    page_count_hook: PageCountHook | None = None,
) -> bytes:
    """:func:`build_pdf` for a form, with the issuing agency as the PDF's author."""
    return build_pdf(
        story,
        setup,
        title=title,
        author=issuer.agency_name,
        subject=subject,
        on_page_end=on_page_end,
        page_count_hook=page_count_hook,
    )


__all__ = ["PageCountHook", "PageHook", "build_pdf", "numbered_canvas", "render_form"]

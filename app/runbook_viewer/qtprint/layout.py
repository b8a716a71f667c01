"""Lay a :class:`~runbook_viewer.core.printing.document.PrintDocument` out on pages and paint them.

The standard approach of Qt's own ``QTextDocument::print``: the document is laid out with the
printer as paint device and the page body (page minus header and footer) as page size, then
painted page by page with a QPainter, each page clipped and translated. Header (title, kind,
version, last-updated date, short content hash) and footer ("Page N of M", printed-at time) are
drawn here, so "N of M" is always right. The pages, with keep-together groups (steps) that
would straddle a page boundary but fit on one page moved to the next, come from
:mod:`.pages`.

Only QtGui and QtPrintSupport: no widgets, so the CLI can print headless with a
QGuiApplication. No network, no browser, no WebEngine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter

from .. import __version__
from ..core.palette import PRINT_FG
from ..core.printing.document import PageHeader, PrintDocument
from .pages import FONT_FAMILY, Pages, group_spans, paginate

__all__ = ["Pages", "PrintError", "group_spans", "layout_pages", "paint", "pdf_printer",
           "write_pdf"]

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(16, 12, 16, 12)
HEADER_PT = 8.5


class PrintError(Exception):
    """The document could not be printed or written (message is for the user)."""


def ensure_gui_app() -> QGuiApplication:
    """A Q(Gui)Application is needed for fonts; offscreen when there is no display."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
                and os.name == "posix" and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(["runbook-viewer"])
    return app


def configure_printer(printer: QPrinter, page_size: str = "A4", title: str = "") -> None:
    if page_size not in PAGE_SIZES:
        raise PrintError(f"unknown page size {page_size!r}; use A4 or Letter")
    printer.setPageSize(QPageSize(PAGE_SIZES[page_size]))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    printer.setDocName(title or "Runbook")
    printer.setCreator(f"runbook-viewer {__version__}")


def pdf_printer(out_path: str | Path, page_size: str = "A4", title: str = "") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out_path))
    configure_printer(printer, page_size, title)
    return printer


def _elide(metrics: QFontMetricsF, text: str, width: float) -> str:
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


@dataclass
class Frame:
    """Where things go on a page, in printer pixels (origin: top-left of the printable area)."""

    width: float
    height: float
    line: float  # header/footer line height
    font: QFont
    bold: QFont

    @property
    def header_h(self) -> float:
        return self.line * 2.9

    @property
    def footer_h(self) -> float:
        return self.line * 1.9

    @property
    def body(self) -> QSizeF:
        return QSizeF(self.width, self.height - self.header_h - self.footer_h)


def frame_for(printer: QPrinter) -> Frame:
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(HEADER_PT)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    bold = QFont(font)
    bold.setBold(True)
    return Frame(float(area.width()), float(area.height()),
                 QFontMetricsF(font, printer).height(), font, bold)


def layout_pages(pdoc: PrintDocument, printer: QPrinter) -> Pages:
    """The document laid out for this printer's page, exactly as :func:`paint` prints it."""
    return paginate(pdoc, printer, frame_for(printer).body)


def _draw_frame(painter: QPainter, frame: Frame, printer: QPrinter, header: PageHeader,
                page: int, count: int, stamp: str) -> None:
    width, line = frame.width, frame.line
    fm, fm_bold = QFontMetricsF(frame.font, printer), QFontMetricsF(frame.bold, printer)
    right = header.right()
    right_w = fm.horizontalAdvance(right) * 1.05
    painter.setFont(frame.bold)
    painter.drawText(QRectF(0, 0, width - right_w - line, line), Qt.AlignmentFlag.AlignLeft,
                     _elide(fm_bold, header.title, width - right_w - line))
    painter.setFont(frame.font)
    painter.drawText(QRectF(width - right_w, 0, right_w, line), Qt.AlignmentFlag.AlignRight,
                     right)
    second = header.kind.upper() + (f" · {header.path}" if header.path else "")
    painter.drawText(QRectF(0, line, width, line), Qt.AlignmentFlag.AlignLeft,
                     _elide(fm, second, width))
    rule = line * 2.3
    painter.drawLine(QPointF(0, rule), QPointF(width, rule))
    footer_top = frame.height - line
    painter.drawLine(QPointF(0, footer_top - line * 0.3), QPointF(width, footer_top - line * 0.3))
    painter.drawText(QRectF(0, footer_top, width, line), Qt.AlignmentFlag.AlignLeft,
                     f"Printed {stamp} (local time) · runbook-viewer {__version__}")
    painter.setFont(frame.bold)
    painter.drawText(QRectF(0, footer_top, width, line), Qt.AlignmentFlag.AlignRight,
                     f"Page {page} of {count}")


def paint(pdoc: PrintDocument, printer: QPrinter, printed_at: datetime | None = None) -> int:
    """Paint every page of ``pdoc`` onto ``printer``; returns the number of pages."""
    printed_at = printed_at or datetime.now().astimezone()
    stamp = printed_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    painter = QPainter()
    if not painter.begin(printer):
        target = printer.outputFileName() or printer.printerName() or "the printer"
        raise PrintError(f"cannot write to {target}")
    try:
        frame = frame_for(printer)
        pages = paginate(pdoc, printer, frame.body)
        pen = QPen(QColor(PRINT_FG))
        pen.setWidthF(max(1.0, printer.resolution() / 200))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, QColor(PRINT_FG))
        for index, piece in enumerate(pages.slices):
            if index:
                printer.newPage()
            painter.setPen(pen)
            _draw_frame(painter, frame, printer, pages.headers[index], index + 1, pages.count,
                        stamp)
            painter.save()
            painter.translate(0, frame.header_h - piece.top)
            clip = QRectF(0, piece.top, frame.width, piece.height)
            painter.setClipRect(clip)
            # the page of a piece cut before a group ends where that group starts: its heading
            # must not be drawn (clipped text would still be in the PDF's text)
            ctx.clip = clip.adjusted(0, 0, 0, -0.5) if piece.height < pages.page_height \
                else clip
            pages.docs[piece.doc].documentLayout().draw(painter, ctx)
            painter.restore()
        return pages.count
    finally:
        painter.end()


def write_pdf(pdoc: PrintDocument | str, out_path: str | Path, page_size: str = "A4",
              header: PageHeader | None = None, printed_at: datetime | None = None) -> int:
    """Write ``pdoc`` (or bare HTML with ``header``) to a PDF file; returns the page count.

    Raises :class:`PrintError` with a one-line message when the file cannot be written.
    """
    if isinstance(pdoc, str):
        pdoc = PrintDocument(html=pdoc, header=header or PageHeader(title="Runbook"))
    elif header is not None:
        pdoc.header = header
    out = Path(out_path)
    if out.is_dir():
        raise PrintError(f"{out} is a folder; give a file name such as {out / 'runbook.pdf'}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise PrintError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise PrintError(f"cannot write {out}: permission denied")
    ensure_gui_app()
    printer = pdf_printer(out, page_size, pdoc.title)
    return paint(pdoc, printer, printed_at)

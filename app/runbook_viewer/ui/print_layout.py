"""Lay a :class:`~runbook_viewer.core.printdoc.PrintDocument` out on pages and paint them.

The standard approach of Qt's own ``QTextDocument::print``: the document is laid out with the
printer as paint device and the page body (page minus header and footer) as page size, then
painted page by page with a QPainter, each page clipped and translated. Header (title, kind,
version, last-updated date, short content hash) and footer ("Page N of M", printed-at time) are
drawn here, so "N of M" is always right. Before painting, keep-together groups (steps) that
would straddle a page boundary but fit on one page get a page break before them.

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
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from .. import __version__
from ..core.palette import PRINT_FG
from ..core.printdoc import PageHeader, PrintDocument

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(16, 12, 16, 12)
HEADER_PT = 8.5
FONT_FAMILY = "DejaVu Sans"


class PrintError(Exception):
    """The document could not be printed or written (message is for the user)."""


def ensure_gui_app() -> QGuiApplication:
    """A Q(Gui)Application is needed for fonts; offscreen when there is no display."""
    app = QGuiApplication.instance()
    if app is None:
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


def _anchor_blocks(doc: QTextDocument) -> dict[str, QTextBlock]:
    found: dict[str, QTextBlock] = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                found.setdefault(name, block)
            it += 1
        block = block.next()
    return found


def _page_index(y: float, page_h: float) -> int:
    """0-based page of a y position; layout positions carry float noise at page starts."""
    return int((y + 1) // page_h)


@dataclass
class Pages:
    doc: QTextDocument
    page_height: float
    count: int
    headers: list[PageHeader]  # one per page
    moved: int  # keep-together groups moved to a new page


def _keep_together(doc: QTextDocument, names: list[str], page_h: float, line_h: float) -> int:
    """Page breaks before groups that would straddle a page boundary but fit on one page.

    A paginated QTextDocument re-lays out everything after a change at once, so breaks are
    decided in passes over the whole document: each pass simulates the shift its breaks cause,
    sets them in one edit block and lays the document out again. The simulation may be off by a
    line per break and per page boundary crossed since the first one, so a pass stops at the
    first decision that error could flip; the next pass decides it on the real layout. Same
    result as deciding group by group, in a fraction of the time. Returns the groups moved.
    """
    blocks = _anchor_blocks(doc)
    root = doc.rootFrame()
    starts = sorted((blocks[n] for n in dict.fromkeys(names) if n in blocks
                     and QTextCursor(blocks[n]).currentFrame() is root),  # not in a table
                    key=lambda b: b.position())
    if not starts:
        return 0
    ends = [s.previous() for s in starts[1:]] + [doc.lastBlock()]
    layout = doc.documentLayout()
    broken: set[int] = set()
    fmt = QTextBlockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    for _attempt in range(200):
        shift, chosen, first_top = 0.0, [], 0.0
        for start, end in zip(starts, ends, strict=True):
            if start.blockNumber() in broken:
                continue
            top = layout.blockBoundingRect(start).top() + shift
            bottom = max(layout.blockBoundingRect(end).bottom() + shift, top)
            # every page boundary crossed since the first break may also shift by a line
            err = line_h * (len(chosen) + int((top - first_top) // page_h) + 1) if chosen else 0
            boundary = (_page_index(top, page_h) + 1) * page_h
            if err and (abs(bottom - boundary) < err or top % page_h < err
                        or page_h - top % page_h < err):
                break  # too close to call on a simulated layout
            if _page_index(top, page_h) == _page_index(bottom - 2, page_h):
                continue
            room = boundary - top
            if bottom - top <= page_h * 0.98 or room < page_h * 0.2:
                if not chosen:
                    first_top = top
                chosen.append(start)
                shift += room
        if not chosen:
            break
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for start in chosen:
            cursor.setPosition(start.position())
            cursor.mergeBlockFormat(fmt)
            broken.add(start.blockNumber())
        cursor.endEditBlock()
        # a format change alone re-lays out only its block: redo everything after the first
        first = chosen[0].position()
        doc.markContentsDirty(first, doc.characterCount() - first)
    return len(broken)


def _build(pdoc: PrintDocument, html: str, device, size: QSizeF) -> tuple[QTextDocument, int]:
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.documentLayout().setPaintDevice(device)
    font = QFont(FONT_FAMILY, 10)
    # no ligatures: "ﬀ" in a PDF breaks searching and copying "offset", "config", "file"
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setPageSize(size)
    doc.setHtml(html)
    line_h = QFontMetricsF(font, device).lineSpacing() * 3  # a heading with its margins
    moved = _keep_together(doc, pdoc.keep, size.height(), line_h)
    return doc, moved


def _page_of(doc: QTextDocument, block: QTextBlock, page_h: float) -> int:
    return _page_index(doc.documentLayout().blockBoundingRect(block).top(), page_h) + 1


def paginate(pdoc: PrintDocument, device, size: QSizeF) -> Pages:
    """Lay out, keep steps together, fill in contents page numbers, pick a header per page."""
    page_h = size.height()
    doc, moved = _build(pdoc, pdoc.html, device, size)
    if pdoc.with_page_numbers and pdoc.toc_anchors:
        previous: dict[str, int] | None = None
        for _ in range(4):
            blocks = _anchor_blocks(doc)
            pages = {a: _page_of(doc, blocks[a], page_h) for a in pdoc.toc_anchors
                     if a in blocks}
            if pages == previous:
                break
            doc, moved = _build(pdoc, pdoc.with_page_numbers(pages), device, size)
            previous = pages
    count = max(1, doc.pageCount())
    headers = [pdoc.header] * count
    if pdoc.parts:
        blocks = _anchor_blocks(doc)
        starts = sorted((_page_of(doc, blocks[a], page_h), n) for n, (a, _h) in
                        enumerate(pdoc.parts) if a in blocks)
        for page, n in starts:
            for p in range(page - 1, count):
                headers[p] = pdoc.parts[n][1]
    return Pages(doc, page_h, count, headers, moved)


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


def group_spans(pages: Pages, names: list[str]) -> list[tuple[str, int, int, float]]:
    """(anchor, first page, last page, height) of each keep-together group (pages from 1)."""
    blocks = _anchor_blocks(pages.doc)
    starts = sorted(((blocks[n], n) for n in names if n in blocks),
                    key=lambda x: x[0].position())
    layout, page_h, out = pages.doc.documentLayout(), pages.page_height, []
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0].previous() if i + 1 < len(starts) else pages.doc.lastBlock()
        top = layout.blockBoundingRect(start).top()
        bottom = max(layout.blockBoundingRect(end).bottom(), top)
        out.append((name, _page_index(top, page_h) + 1, _page_index(bottom - 2, page_h) + 1,
                    bottom - top))
    return out


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
        for index in range(pages.count):
            if index:
                printer.newPage()
            painter.setPen(pen)
            _draw_frame(painter, frame, printer, pages.headers[index], index + 1, pages.count,
                        stamp)
            painter.save()
            painter.translate(0, frame.header_h - index * pages.page_height)
            clip = QRectF(0, index * pages.page_height, frame.width, pages.page_height)
            painter.setClipRect(clip)
            ctx.clip = clip
            pages.doc.documentLayout().draw(painter, ctx)
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

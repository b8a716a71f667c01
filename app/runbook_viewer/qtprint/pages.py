"""Lay a print document out on pages, keeping steps together, in time linear in its length.

The document is cut before every keep-together group (a step, a section; a binder's chapter)
and laid out in *pieces*: a piece starts on a new page with some group and runs on until the
first later group that would straddle a page boundary but fits on one page (or would start in
the last fifth of a page). That group needs a page break before it — which is exactly what the
next piece, starting on a new page, gives it — so the piece's pages are final up to that
group's top, and everything before it is never laid out again. A piece is laid out once plus
a doubling look-ahead, so the whole document costs a small multiple of one layout.

(The former approach set the breaks inside one QTextDocument and laid it out again after each
pass; Qt re-lays out everything after a change, so a 4,000-step checklist took minutes.)

Where keep-together groups, chapters and contents entries start is found through the marks
of :mod:`runbook_viewer.core.printing.marks` (the print HTML holds no anchors: Qt imports
those in quadratic time). Only QtGui: the CLI prints headless.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QFont, QTextBlock, QTextDocument, QTextOption

from ..core.printing.document import PageHeader, PrintDocument
from ..core.printing.marks import mark_anchors, mark_names, split_groups

FONT_FAMILY = "DejaVu Sans"
FITS = 0.98  # a group at most this share of a page high is never split
SHORT_ROOM = 0.2  # a group starting in the last fifth of a page moves to the next one anyway
LOOK_AHEAD = 4_000  # HTML characters laid out at first to find the next break
_LEADING_BREAK_RE = re.compile(r"^(\s*<p\b[^>]*?)page-break-before:\s*always;?")


def page_index(y: float, page_h: float) -> int:
    """0-based page of a y position; layout positions carry float noise at page starts."""
    return int((y + 1) // page_h)


@dataclass
class Slice:
    """One printed page: the part of piece ``doc`` from ``top``, ``height`` high."""

    doc: int
    top: float
    height: float


@dataclass
class Pages:
    docs: list[QTextDocument]
    page_height: float
    slices: list[Slice]
    moved: int  # keep-together groups moved to a new page
    headers: list[PageHeader] = field(default_factory=list)  # one per page
    marks: dict[str, tuple[int, QTextBlock]] = field(default_factory=dict)  # name -> place
    ends: list[QTextBlock | None] = field(default_factory=list)  # each piece's cut block

    @property
    def count(self) -> int:
        return len(self.slices)

    _tops: dict[int, tuple[list[float], list[int]]] = field(default_factory=dict)

    def index(self) -> None:
        """Where each piece's pages start (call once the slices are final)."""
        self._tops = {}
        for n, s in enumerate(self.slices):
            tops, numbers = self._tops.setdefault(s.doc, ([], []))
            tops.append(s.top)
            numbers.append(n)

    def page_of(self, doc: int, y: float) -> int:
        """1-based page showing ``y`` of piece ``doc``."""
        tops, numbers = self._tops.get(doc, ([0.0], [0]))
        return numbers[max(0, bisect_right(tops, y + 1) - 1)] + 1

    def block_page(self, name: str) -> int | None:
        place = self.marks.get(name)
        if place is None:
            return None
        doc, block = place
        return self.page_of(doc, self.docs[doc].documentLayout().blockBoundingRect(block).top())


def new_document(device, size: QSizeF, html: str) -> QTextDocument:
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
    return doc


def marked_blocks(doc: QTextDocument) -> dict[str, QTextBlock]:
    """The block of each name marked in ``doc`` (first occurrence)."""
    found: dict[str, QTextBlock] = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            tip = it.fragment().charFormat().toolTip()
            if tip:
                for name in mark_names(tip):
                    found.setdefault(name, block)
            it += 1
        block = block.next()
    return found


class _Paginator:
    def __init__(self, pdoc: PrintDocument, html: str, device, size: QSizeF):
        self.device, self.size, self.page_h = device, size, size.height()
        self.wanted = {*pdoc.keep, *pdoc.toc_anchors, *(a for a, _h in pdoc.parts)}
        self.keep = set(pdoc.keep)
        cut_at = {*pdoc.keep, *(a for a, _h in pdoc.parts)}
        self.head, self.segments, self.tail = split_groups(html, cut_at)
        # the name each segment starts with (segment 0: none), to find its block in a piece
        self.first: list[str | None] = [None]
        self.first += [self._first_name(s, cut_at) for s in self.segments[1:]]
        self.pages = Pages([], self.page_h, [], 0)

    @staticmethod
    def _first_name(segment: str, names: set[str]) -> str | None:
        marked = mark_anchors(segment[:4000], names)
        m = re.search(r'title="rv-mark:([^"]*)"', marked)
        return m.group(1).split(" ")[0] if m else None

    def piece(self, i: int, j: int) -> QTextDocument:
        body = "".join(self.segments[i:j])
        if i:  # the piece starts on a new page: a chapter's own page break would add a blank
            body = _LEADING_BREAK_RE.sub(r"\1", body, count=1)
        return new_document(self.device, self.size,
                            mark_anchors(self.head + body + self.tail, self.wanted))

    def run(self) -> Pages:
        i, per_page = 0, 0.0
        while i < len(self.segments):
            j, chars = i + 1, 0
            budget = max(LOOK_AHEAD, int(per_page * 2))
            while True:
                while j < len(self.segments) and chars < budget:
                    chars += len(self.segments[j])
                    j += 1
                doc = self.piece(i, j)
                cut = self._first_break(doc, i, j)
                if cut is not None or j >= len(self.segments):
                    break
                budget *= 2
            pages_before, first = self.pages.count, i
            i = self._emit(doc, cut, i, j)
            done = self.pages.count - pages_before
            if done and cut is not None:  # HTML per printed page, to size the look-ahead
                per_page = sum(len(s) for s in self.segments[first:i]) / done
        self.pages.index()
        return self.pages

    def _starts(self, doc: QTextDocument, i: int, j: int) -> list[tuple[int, QTextBlock]]:
        blocks = marked_blocks(doc)
        out = []
        for k in range(i + 1, j):
            name = self.first[k]
            if name is not None and name in blocks:
                out.append((k, blocks[name]))
        return out

    def _first_break(self, doc: QTextDocument, i: int, j: int) -> tuple[int, QTextBlock] | None:
        layout, page_h = doc.documentLayout(), self.page_h
        starts = self._starts(doc, i, j)
        for n, (k, block) in enumerate(starts):
            if self.first[k] not in self.keep:
                continue
            end = starts[n + 1][1].previous() if n + 1 < len(starts) else doc.lastBlock()
            top = layout.blockBoundingRect(block).top()
            bottom = max(layout.blockBoundingRect(end).bottom(), top)
            if page_index(top, page_h) == page_index(bottom - 2, page_h):
                continue
            room = (page_index(top, page_h) + 1) * page_h - top
            if bottom - top <= page_h * FITS or room < page_h * SHORT_ROOM:
                return k, block
        return None

    def _emit(self, doc: QTextDocument, cut: tuple[int, QTextBlock] | None, i: int,
              j: int) -> int:
        """Add the pages of a piece (up to the cut); returns the next piece's first segment."""
        pages, page_h = self.pages, self.page_h
        index = len(pages.docs)
        pages.docs.append(doc)
        if cut is None:
            count = max(1, doc.pageCount())
            pages.slices += [Slice(index, p * page_h, page_h) for p in range(count)]
            pages.ends.append(None)
            limit = float("inf")
        else:
            limit = doc.documentLayout().blockBoundingRect(cut[1]).top()
            last = page_index(limit, page_h)
            for p in range(last + 1):
                height = min(page_h, limit - p * page_h)
                if height > 1 or p == 0:
                    pages.slices.append(Slice(index, p * page_h, height))
            pages.ends.append(cut[1])
            pages.moved += 1
        layout = doc.documentLayout()
        for name, block in marked_blocks(doc).items():
            if name not in pages.marks and layout.blockBoundingRect(block).top() < limit:
                pages.marks[name] = (index, block)
        return cut[0] if cut is not None else j


def paginate(pdoc: PrintDocument, device, size: QSizeF) -> Pages:
    """Lay out, keep steps together, fill in contents page numbers, pick a header per page."""
    pages = _Paginator(pdoc, pdoc.html, device, size).run()
    if pdoc.with_page_numbers and pdoc.toc_anchors:
        previous: dict[str, int] | None = None
        for _ in range(4):
            numbers = {a: p for a in pdoc.toc_anchors
                       if (p := pages.block_page(a)) is not None}
            if numbers == previous:
                break
            pages = _Paginator(pdoc, pdoc.with_page_numbers(numbers), device, size).run()
            previous = numbers
    headers = [pdoc.header] * pages.count
    starts = sorted((page, n) for n, (a, _h) in enumerate(pdoc.parts)
                    if (page := pages.block_page(a)) is not None)
    for k, (page, n) in enumerate(starts):  # each header runs to the next part's first page
        stop = starts[k + 1][0] - 1 if k + 1 < len(starts) else pages.count
        for p in range(page - 1, stop):
            headers[p] = pdoc.parts[n][1]
    pages.headers = headers
    return pages


def group_spans(pages: Pages, names: list[str]) -> list[tuple[str, int, int, float]]:
    """(anchor, first page, last page, height) of each keep-together group (pages from 1)."""
    starts = sorted((pages.marks[n][0], pages.marks[n][1].position(), n) for n in names
                     if n in pages.marks)
    out = []
    for k, (doc_index, _pos, name) in enumerate(starts):
        doc, block = pages.docs[doc_index], pages.marks[name][1]
        if k + 1 < len(starts) and starts[k + 1][0] == doc_index:
            end = pages.marks[starts[k + 1][2]][1].previous()
        else:
            cut = pages.ends[doc_index]
            end = cut.previous() if cut is not None else doc.lastBlock()
        layout = doc.documentLayout()
        top = layout.blockBoundingRect(block).top()
        bottom = max(layout.blockBoundingRect(end).bottom(), top)
        out.append((name, pages.page_of(doc_index, top), pages.page_of(doc_index, bottom - 2),
                    bottom - top))
    return out

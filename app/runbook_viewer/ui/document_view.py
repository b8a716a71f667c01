"""The document view: a QTextBrowser that never touches the network or leaves the library.

It keeps the operator's place: zooming and resizing keep the line at the top of the view at the
top, and :meth:`DocumentView.reveal_anchor` brings the current checklist item into view.

Lines wrap at spaces only: in table cells a word joiner (U+2060, invisible) follows each ``-``
and ``/`` inside a word, so ``archon-api-01`` or ``/var/lib/archon`` never split across lines
(a wide table scrolls sideways instead). Copying, find and ``toPlainText`` never see the joiners.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import SIGNAL, QMimeData, QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import QTextCursor, QTextDocument, QTextOption, QTextTable
from PySide6.QtWidgets import QTextBrowser, QTextEdit

REVEAL_AT = 3  # a revealed item is placed a third of the way down the view
JOINER = "\u2060"  # WORD JOINER: no line break here, nothing drawn
CODE_RE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.DOTALL | re.IGNORECASE)


def font_safe_html(html: str) -> str:
    """Emoji outside code become glyphs the installed fonts have (core.glyphs.font_safe);
    code is shown exactly as written (it may be copied and run)."""
    from ..core.glyphs import font_safe

    parts = CODE_RE.split(html)
    return "".join(part if n % 2 else font_safe(part) for n, part in enumerate(parts))
BREAK_INSIDE_WORD_RE = re.compile(r"[-/](?=\S)")


def tables(doc: QTextDocument) -> list[QTextTable]:
    found, frames = [], [doc.rootFrame()]
    while frames:
        frame = frames.pop()
        if isinstance(frame, QTextTable):
            found.append(frame)
        frames.extend(frame.childFrames())
    return found


def join_words_in_tables(doc: QTextDocument) -> int:
    """Put a word joiner after every ``-``/``/`` inside a word in table cells; returns how
    many. Line breaking then happens at spaces only there (identifiers never split)."""
    positions = []
    for table in tables(doc):
        for row in range(table.rows()):
            for col in range(table.columns()):
                cell = table.cellAt(row, col)
                start, end = cell.firstPosition(), cell.lastPosition()
                cursor = QTextCursor(doc)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                text = cursor.selectedText()
                positions += [start + m.end() for m in BREAK_INSIDE_WORD_RE.finditer(text)]
    cursor = QTextCursor(doc)
    for position in sorted(set(positions), reverse=True):
        cursor.setPosition(position)
        cursor.insertText(JOINER)
    return len(positions)


class DocumentView(QTextBrowser):
    """Shows rendered runbook HTML. Every link click is emitted as ``linkActivated(str)``;
    nothing is followed by Qt itself. Resources load only from inside the library folder."""

    linkActivated = Signal(str)
    spacePressed = Signal()  # Space resolves the current checklist item (when a listener exists)
    zoomRequested = Signal(int)  # Ctrl+wheel: +1 / -1 (the window zooms and keeps the place)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        # wrap at spaces only: identifiers in tables and code never split mid-word ("content_h
        # ash"); a line wider than the view scrolls sideways instead
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        # one Tab stop (hundreds of boxes and links would trap Tab); Enter follows the link at
        # the text cursor (Ctrl+F puts it there)
        self.setTabChangesFocus(True)
        self.setAccessibleName("Runbook")
        self.setAccessibleDescription("The runbook text; Space resolves the current checklist "
                                      "item")
        self.anchorClicked.connect(lambda url: self.linkActivated.emit(url.toString()))
        self.library_root: Path | None = None
        self.base_dir: Path | None = None
        self.blocked_resources: list[str] = []
        #: called before scrolling to an anchor; True when it showed the page itself (the
        #: part of a very large runbook that holds the anchor) — see MainWindow._to_part
        self.anchor_hook = None
        self._in_hook = False

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        url = QUrl(name) if isinstance(name, str) else name
        text = url.toString()
        if url.scheme() in ("", "file") and self.library_root is not None:
            local = Path(url.toLocalFile() or text)
            if not local.is_absolute() and self.base_dir is not None:
                local = self.base_dir / local
            from ..core.library import resolve_inside

            inside = resolve_inside(self.library_root, local)
            if inside is not None and inside.is_file() and \
                    kind == int(QTextDocument.ResourceType.ImageResource.value):
                return super().loadResource(kind, QUrl.fromLocalFile(str(inside)))
        self.blocked_resources.append(text)
        return None

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Space and not event.modifiers() and \
                self.receivers(SIGNAL("spacePressed()")) > 0:
            self.spacePressed.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.link_at_cursor():
            self.linkActivated.emit(self.link_at_cursor())
            event.accept()
            return
        super().keyPressEvent(event)

    def scrollToAnchor(self, name: str) -> None:
        if self.anchor_hook is not None and not self._in_hook:
            self._in_hook = True
            try:
                if self.anchor_hook(name):
                    return
            finally:
                self._in_hook = False
        super().scrollToAnchor(name)

    def focusNextPrevChild(self, next_: bool) -> bool:
        """Tab leaves the document (QTextBrowser would walk every box and link first)."""
        return QTextEdit.focusNextPrevChild(self, next_)

    def link_at_cursor(self) -> str:
        cursor = self.textCursor()
        if cursor.hasSelection():  # a find match: its first character
            cursor.setPosition(cursor.selectionStart() + 1)
        fmt = cursor.charFormat()
        return fmt.anchorHref() if fmt.isAnchor() else ""

    def wheelEvent(self, event):
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoomRequested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def show_html(self, html: str, anchor: str = "", scroll: int | None = None) -> None:
        self.setHtml(font_safe_html(html))
        self.document().setUndoRedoEnabled(False)
        join_words_in_tables(self.document())
        if scroll is not None:
            self.verticalScrollBar().setValue(scroll)
        elif anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def toPlainText(self) -> str:
        return super().toPlainText().replace(JOINER, "")

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copied text never carries the word joiners (a pasted command must run)."""
        data = super().createMimeDataFromSelection()
        clean = QMimeData()
        clean.setText(data.text().replace(JOINER, ""))
        if data.hasHtml():
            clean.setHtml(data.html().replace(JOINER, ""))
        return clean

    # -- keeping the place -----------------------------------------------------------------
    def top_position(self) -> int:
        """The document position of the first character at the top of the view."""
        return self.cursorForPosition(QPoint(0, 0)).position()

    def scroll_to_position(self, position: int) -> None:
        """Scroll so that the line holding ``position`` is at the top of the view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        line_top = self.cursorRect(cursor).top()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + line_top)

    @contextmanager
    def keeping_place(self):
        """Whatever happens inside (zoom, relayout), the top line stays at the top."""
        at_start = self.verticalScrollBar().value() == 0
        position = self.top_position()
        try:
            yield
        finally:
            if not at_start:
                self.scroll_to_position(position)

    def resizeEvent(self, event):
        if event.oldSize().isValid() and event.oldSize().width() != event.size().width() \
                and self.verticalScrollBar().value() > 0:
            with self.keeping_place():
                super().resizeEvent(event)
        else:
            super().resizeEvent(event)

    # -- anchors ---------------------------------------------------------------------------
    def anchor_position(self, name: str) -> int | None:
        """Document position of the ``<a name=…>`` target ``name``, or None."""
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if name in fragment.charFormat().anchorNames():
                    return fragment.position()
                it += 1
            block = block.next()
        return None

    def anchor_rect(self, name: str) -> QRect | None:
        """Where the anchor's line is, in viewport coordinates (None if there is no such
        anchor)."""
        position = self.anchor_position(name)
        if position is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        return self.cursorRect(cursor)

    def anchor_visible(self, name: str) -> bool:
        rect = self.anchor_rect(name)
        return rect is not None and self.viewport().rect().contains(rect)

    def reveal_anchor(self, name: str) -> bool:
        """Scroll the anchor's line into view (a third of the way down) unless it is already
        fully visible; False if there is no such anchor."""
        rect = self.anchor_rect(name)
        if rect is None:
            return False
        if not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // REVEAL_AT)
        return True

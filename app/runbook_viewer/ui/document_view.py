"""The document view: a QTextBrowser that never touches the network or leaves the library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import SIGNAL, Qt, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser


class DocumentView(QTextBrowser):
    """Shows rendered runbook HTML. Every link click is emitted as ``linkActivated(str)``;
    nothing is followed by Qt itself. Resources load only from inside the library folder."""

    linkActivated = Signal(str)
    spacePressed = Signal()  # Space resolves the current checklist item (when a listener exists)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.anchorClicked.connect(lambda url: self.linkActivated.emit(url.toString()))
        self.library_root: Path | None = None
        self.base_dir: Path | None = None
        self.blocked_resources: list[str] = []
        #: called before scrolling to an anchor; True when it showed the page itself (the
        #: part of a very large runbook that holds the anchor) — see MainWindow._to_part
        self.anchor_hook = None
        self._in_hook = False

    def loadResource(self, kind: int, url: QUrl):
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

    def show_html(self, html: str, anchor: str = "", scroll: int | None = None) -> None:
        self.setHtml(html)
        if scroll is not None:
            self.verticalScrollBar().setValue(scroll)
        elif anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

"""The library tree: the landing page first, then runbooks grouped as the library orders them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.glyphs import font_safe, label_text
from ..core.model import Label, Library
from ..core.palette import GLYPH, palette
from .theme import is_dark

PATH_ROLE = Qt.ItemDataRole.UserRole


class LibraryTree(QTreeWidget):
    runbookSelected = Signal(str)
    typedText = Signal(str)  # printable keys typed in the tree start a search

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def set_library(self, lib: Library) -> None:
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for rb in lib.runbooks:
            labels = [label for label in (Label.CONSTITUTIONAL, Label.OPERATIONAL)
                      if label in rb.labels]
            badges = " ".join(GLYPH[label.value] for label in labels)
            text = f"{font_safe(rb.title)}  {badges}".rstrip()
            if rb.load_error:
                text += "  ⚠"
            parent = self.invisibleRootItem()
            if rb.group and not (rb.is_landing and rb.folder == ""):
                if rb.group not in groups:
                    g = QTreeWidgetItem(self, [font_safe(rb.group)])
                    g.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = g.font(0)
                    font.setBold(True)
                    g.setFont(0, font)
                    g.setExpanded(True)
                    groups[rb.group] = g
                parent = groups[rb.group]
            item = QTreeWidgetItem(parent, [text])
            item.setData(0, PATH_ROLE, rb.path)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, ", ".join(
                [font_safe(rb.title)] + [f"{label.value} steps" for label in labels]))
            tip = [rb.path] + [f"has {label_text(label.value)} steps" for label in labels]
            if rb.last_updated:
                tip.append(f"Last updated {rb.last_updated}")
            if rb.load_error:
                tip.append(rb.load_error)
                item.setForeground(0, QBrush(QColor(palette(is_dark()).tree_error)))
            item.setToolTip(0, "\n".join(tip))
        self.expandAll()

    def select_path(self, path: str) -> None:
        it = self._find(path)
        if it is not None:
            self.blockSignals(True)
            self.setCurrentItem(it)
            self.blockSignals(False)

    def _find(self, path: str):
        stack = [self.invisibleRootItem()]
        while stack:
            node = stack.pop()
            for n in range(node.childCount()):
                child = node.child(n)
                if child.data(0, PATH_ROLE) == path:
                    return child
                stack.append(child)
        return None

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.runbookSelected.emit(path)

    def keyPressEvent(self, event):
        text = event.text()
        if text and text.isprintable() and not text.isspace() and \
                not event.modifiers() & (Qt.KeyboardModifier.ControlModifier |
                                         Qt.KeyboardModifier.AltModifier):
            self.typedText.emit(text)
            return
        super().keyPressEvent(event)

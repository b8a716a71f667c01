"""The library tree: the landing page first, its runbooks grouped as it lists them, then the
library's folders (collapsible; sorted by front-matter weight, then title)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.folders import Folder, display_titles, folder_tree
from ..core.glyphs import font_safe, label_text
from ..core.model import Label, Library, Runbook
from ..core.palette import GLYPH, palette
from .theme import is_dark

PATH_ROLE = Qt.ItemDataRole.UserRole
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1  # a folder node whose rows are not made yet
EXPAND_ALL_UP_TO = 60  # a bigger library opens with its folders collapsed, filled as opened


class LibraryTree(QTreeWidget):
    runbookSelected = Signal(str)
    typedText = Signal(str)  # printable keys typed in the tree start a search

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.itemExpanded.connect(self._fill)
        self.titles: dict[str, str] = {}
        self.pending: dict[str, Folder] = {}  # folder path → folder whose rows wait for opening

    def set_library(self, lib: Library) -> None:
        """The landing page, its runbooks grouped under the landing page's headings, then one
        collapsible node per folder (sorted by weight, then title; a folder node opens the
        folder's landing page)."""
        self.clear()
        self.pending = {}
        self.lazy = len(lib.runbooks) > EXPAND_ALL_UP_TO  # 20,000 rows made at once: 0.5 s
        tree = folder_tree(lib)
        self.titles = display_titles(lib)
        top = self.invisibleRootItem()
        if tree.landing is not None:
            self._runbook(top, tree.landing)
        groups: dict[str, QTreeWidgetItem] = {}
        for rb in tree.runbooks:
            parent = top
            if rb.group:
                if rb.group not in groups:
                    groups[rb.group] = self._node(top, rb.group, None)
                parent = groups[rb.group]
            self._runbook(parent, rb)
        for sub in tree.folders:
            self._folder(top, sub)
        for group in groups.values():
            group.setExpanded(True)
        if len(lib.runbooks) <= EXPAND_ALL_UP_TO:
            self.expandAll()

    def _node(self, parent: QTreeWidgetItem, text: str, path: str | None) -> QTreeWidgetItem:
        node = QTreeWidgetItem(parent, [font_safe(text)])
        if path is None:
            node.setFlags(Qt.ItemFlag.ItemIsEnabled)
        else:
            node.setData(0, PATH_ROLE, path)
        font = node.font(0)
        font.setBold(True)
        node.setFont(0, font)
        return node

    def _folder(self, parent: QTreeWidgetItem, folder: Folder) -> None:
        count = len(folder.all_runbooks())
        node = self._node(parent, f"{folder.title}  ({count})",
                          folder.landing.path if folder.landing is not None else None)
        node.setToolTip(0, f"{folder.path}/ — {count} runbook{'s' * (count != 1)}")
        if self.lazy and (folder.runbooks or folder.folders):
            node.setData(0, FOLDER_ROLE, folder.path)
            node.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.pending[folder.path] = folder
        else:
            self._children(node, folder)

    def _children(self, node: QTreeWidgetItem, folder: Folder) -> None:
        for rb in folder.runbooks:
            self._runbook(node, rb)
        for sub in folder.folders:
            self._folder(node, sub)

    def _fill(self, node: QTreeWidgetItem) -> None:
        """Make a folder's rows the first time it is opened (by click, key or a search)."""
        key = node.data(0, FOLDER_ROLE)
        folder = self.pending.pop(key, None) if key else None
        if folder is not None:
            node.setData(0, FOLDER_ROLE, None)
            node.setChildIndicatorPolicy(
                QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless)
            self._children(node, folder)

    def _runbook(self, parent: QTreeWidgetItem, rb: Runbook) -> None:
        labels = [label for label in (Label.CONSTITUTIONAL, Label.OPERATIONAL)
                  if label in rb.labels]  # badges: shapes every font has, not emoji
        badges = " ".join(GLYPH[label.value] for label in labels)
        title = font_safe(self.titles.get(rb.path, rb.title))
        text = f"{title}  {badges}".rstrip()
        if rb.load_error:
            text += "  ⚠"
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, PATH_ROLE, rb.path)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, ", ".join(
            [title] + [f"{label.value} steps" for label in labels]))
        tip = [rb.path] + [f"has {label_text(label.value)} steps" for label in labels]
        if rb.last_updated:
            tip.append(f"Last updated {rb.last_updated}")
        if rb.load_error:
            tip.append(rb.load_error)
            item.setForeground(0, QBrush(QColor(palette(is_dark()).tree_error)))
        item.setToolTip(0, "\n".join(tip))

    def select_path(self, path: str) -> None:
        it = self._find(path)
        if it is not None:
            self.blockSignals(True)
            self.setCurrentItem(it)
            self.scrollToItem(it)  # opens the folders above it
            self.blockSignals(False)

    def _find(self, path: str):
        stack = [self.invisibleRootItem()]
        while stack:
            node = stack.pop()
            for n in range(node.childCount()):
                child = node.child(n)
                if child is None:
                    continue
                if child.data(0, PATH_ROLE) == path:
                    return child
                waiting = child.data(0, FOLDER_ROLE)
                if waiting and not path.startswith(f"{waiting}/"):
                    continue  # a folder not opened yet that cannot hold it
                self._fill(child)
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

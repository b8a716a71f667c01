"""The "Related to <runbook>" box: where to go next in the incident, and what sends you here.

Entries come from core.scenarios.wayfinding.related(): links out in procedure order (then rollback,
escalation, references), then backlinks. One click opens the target (a backlink opens the step
of the other runbook that links here).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..core.glyphs import font_safe
from ..core.model import Library
from ..core.scenarios.wayfinding import Related, backlinks, related

NEXT_HEADING = "Next in this incident (in procedure order)"
BACK_HEADING = "Runbooks that send you here"
NONE_TEXT = "No other runbook links to or from this one."


class RelatedBox(QWidget):
    openRequested = Signal(str, str)  # path, anchor

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("<b>Related runbooks</b>")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Related runbooks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.entries: list[Related] = []
        self.list.itemClicked.connect(self._open)
        self.list.itemActivated.connect(self._open)

    def show_for(self, library: Library, path: str) -> None:
        rb = library.get(path)
        self.entries = related(library, path)
        self.list.clear()
        self.title.setText(
            f"<b>Related to {html.escape(font_safe(rb.title if rb else path))}</b>")
        bold = QFont()
        bold.setBold(True)
        outgoing = [r for r in self.entries if r.kind != "backlink"]
        incoming = [r for r in self.entries if r.kind == "backlink"]
        for heading, entries in ((NEXT_HEADING, outgoing), (BACK_HEADING, incoming)):
            if not entries:
                continue
            head = QListWidgetItem(heading)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFont(bold)
            self.list.addItem(head)
            for r in entries:
                arrow = "←" if r.kind == "backlink" else "→"
                where = f"from {r.where}" if r.where else r.kind
                item = QListWidgetItem(font_safe(f"{arrow} {r.title}\n     {where}"))
                item.setData(Qt.ItemDataRole.UserRole, r.target)
                item.setToolTip(f"Opens {r.target}")
                self.list.addItem(item)
        hidden = len(backlinks(library).get(path, ())) - len(incoming)
        if incoming and hidden > 0:
            more = QListWidgetItem(f"… and {hidden:,} more runbooks link here")
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(more)
        if not self.entries:
            none = QListWidgetItem(NONE_TEXT)
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(none)

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            path, _, anchor = target.partition("#")
            self.openRequested.emit(path, anchor)

"""Find in page: highlights every match in the document view, Enter/Shift+Enter to step."""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextEdit, QWidget

from ..core.palette import palette
from .document_view import JOINER
from .theme import is_dark


class FindBar(QWidget):
    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.view = view
        self.matches: list[QTextCursor] = []
        self.index = -1
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Find:"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("text in this runbook")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Find in page")
        layout.addWidget(self.field, 1)
        self.count = QLabel("")
        self.count.setAccessibleName("Matches")
        layout.addWidget(self.count)
        prev_btn, next_btn, close_btn = QPushButton("↑"), QPushButton("↓"), QPushButton("✕")
        for b, tip in ((prev_btn, "Previous match (Shift+Enter)"),
                       (next_btn, "Next match (Enter)"), (close_btn, "Close find (Esc)")):
            b.setToolTip(tip)
            b.setAccessibleName(tip.split(" (")[0])
            b.setFixedWidth(32)
            layout.addWidget(b)
        prev_btn.clicked.connect(lambda: self.step(-1))
        next_btn.clicked.connect(lambda: self.step(1))
        close_btn.clicked.connect(self.close_bar)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(lambda: self.step(1))
        back = QShortcut(QKeySequence("Shift+Return"), self.field)
        back.activated.connect(lambda: self.step(-1))
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self.search(self.field.text())

    def close_bar(self) -> None:
        self.view.setExtraSelections([])
        self.hide()
        self.view.setFocus()

    def search(self, text: str) -> None:
        """Find every occurrence (case-insensitive) and highlight them all (the invisible word
        joiners of table cells may sit between any two characters)."""
        self.matches = []
        doc = self.view.document()
        if text:
            pattern = QRegularExpression(
                f"{re.escape(JOINER)}?".join(re.escape(ch) for ch in text),
                QRegularExpression.PatternOption.CaseInsensitiveOption)
            cursor = QTextCursor(doc)
            while True:
                cursor = doc.find(pattern, cursor)
                if cursor.isNull() or not cursor.hasSelection():
                    break
                self.matches.append(QTextCursor(cursor))
        self.index = 0 if self.matches else -1
        self._paint()

    def refresh(self) -> None:
        """Re-run the search after the document changed (another runbook, a tick)."""
        if self.isVisible():
            self.search(self.field.text())

    def step(self, delta: int) -> None:
        if not self.matches:
            return
        self.index = (self.index + delta) % len(self.matches)
        self._paint()

    def _paint(self) -> None:
        selections = []
        all_fmt = QTextCharFormat()
        pal = palette(is_dark())
        all_fmt.setBackground(QColor(pal.find_all_bg))
        all_fmt.setForeground(QColor(pal.find_fg))
        cur_fmt = QTextCharFormat()
        cur_fmt.setBackground(QColor(pal.find_current_bg))
        cur_fmt.setForeground(QColor(pal.find_fg))
        for n, cursor in enumerate(self.matches):
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = cur_fmt if n == self.index else all_fmt
            selections.append(sel)
        self.view.setExtraSelections(selections)
        if self.matches:
            self.view.setTextCursor(QTextCursor(self.matches[self.index]))
            self.view.ensureCursorVisible()
            self.count.setText(f"{self.index + 1} of {len(self.matches)}")
        else:
            self.count.setText("no matches" if self.field.text() else "")

"""A dismissible one-line message above the document (bad links, unreadable files…)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..core.glyphs import font_safe
from ..core.palette import palette
from .theme import is_dark


class NoticeBar(QWidget):
    """A dismissible one-line message above the document (bad links, unreadable files…)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # notices quote imported text
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName("Notice")
        self.copy_button = QPushButton("Copy address")
        self.copy_button.setAccessibleName("Copy the address to the clipboard")
        close = QPushButton("✕")
        close.setFixedWidth(28)
        close.setToolTip("Close this notice")
        close.setAccessibleName("Close the notice")
        self.close_button = close
        layout.addWidget(self.label, 1)
        layout.addWidget(self.copy_button)
        layout.addWidget(close)
        close.clicked.connect(self.hide)
        self.copy_button.clicked.connect(self._copy)
        self.retheme()
        self.setAutoFillBackground(True)
        self.url = ""
        self.hide()

    def retheme(self) -> None:
        pal = palette(is_dark())
        self.setStyleSheet(f"NoticeBar {{ background: {pal.notice_bg}; }} "
                           f"QLabel {{ color: {pal.notice_fg}; }}")

    def show_notice(self, text: str, url: str = "") -> None:
        self.url = url
        self.label.setText(font_safe(text) + (f"\n{url}" if url else ""))
        self.copy_button.setVisible(bool(url))
        self.show()

    def text(self) -> str:
        return self.label.text()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url)
        self.label.setText(f"Copied to the clipboard: {self.url}")

"""Painting of the scenario list: wrapped symptom text, a label pill, the step it opens.

A scenario row is drawn as

    <symptom, wrapped to the panel width; bold dark red when constitutional>
    [CONSTITUTIONAL] → Step 1: Confirm the halt … · Halt and Fork Recovery   (one line, elided)

The pill is a painted rounded rectangle with the word in it, so the distinction reads without
colour and without an emoji font (offscreen and minimal desktops often have none). Group rows
(severity, category) wrap too. Row heights follow the panel width.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from ..core.palette import GLYPH, palette
from .theme import is_dark

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "severity" | "category" | "scenario"
ID_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE_ROLE = Qt.ItemDataRole.UserRole + 3  # the symptom (scenario rows)
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 4  # "→ Step …" line (scenario rows)
LABEL_ROLE = Qt.ItemDataRole.UserRole + 5  # "constitutional" | "operational" | None

PILL = {label: f"{GLYPH[label]} {label.upper()}" for label in GLYPH}
PAD = 4
DETAIL_LINES = 2  # the "→ Step …" line may wrap once, then it is elided (full text: tooltip)


def wrap_lines(fm: QFontMetrics, text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one elided if cut."""
    lines: list[str] = []
    words = text.split(" ")
    current = ""
    for n, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if fm.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[n:])
            break
    if current:
        lines.append(fm.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return lines


class ScenarioTree(QTreeView):
    """A tree whose wrapped rows are re-measured when the panel width changes."""

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()


class ScenarioDelegate(QStyledItemDelegate):
    def __init__(self, view: QTreeView):
        super().__init__(view)
        self.view = view

    # -- geometry ----------------------------------------------------------------------------
    def _depth(self, index) -> int:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return depth

    def _text_width(self, index) -> int:
        """The width a row's text gets: the viewport minus the indentation of its depth
        (QTreeView does not pass the column width to sizeHint reliably)."""
        indent = self.view.indentation() * (self._depth(index) + 1)
        return max(60, self.view.viewport().width() - indent - 2 * PAD)

    @staticmethod
    def _fonts(option, index) -> tuple[QFont, QFont, QFont]:
        title = QFont(index.data(Qt.ItemDataRole.FontRole) or option.font)
        small = QFont(option.font)
        small.setBold(False)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        pill = QFont(small)
        pill.setBold(True)
        return title, small, pill

    def _title_text(self, index) -> str:
        if index.data(KIND_ROLE) == "scenario":
            return index.data(TITLE_ROLE) or ""
        return index.data(Qt.ItemDataRole.DisplayRole) or ""

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._text_width(index)
        title_font, small, _pill = self._fonts(opt, index)
        flags = int(Qt.TextFlag.TextWordWrap)
        height = QFontMetrics(title_font).boundingRect(
            QRect(0, 0, width, 100000), flags, self._title_text(index)).height()
        if index.data(KIND_ROLE) == "scenario":
            lines = wrap_lines(QFontMetrics(small), index.data(DETAIL_ROLE) or "",
                               width - self._pill_width(index, _pill), DETAIL_LINES)
            height += QFontMetrics(small).height() * max(1, len(lines)) + 4
        return QSize(width + 2 * PAD, height + 2 * PAD + 2)

    @staticmethod
    def _pill_width(index, pill_font: QFont) -> int:
        label = index.data(LABEL_ROLE)
        if label not in PILL:
            return 0
        return QFontMetrics(pill_font).horizontalAdvance(PILL[label]) + 16

    # -- painting ----------------------------------------------------------------------------
    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text_backup = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        opt.text = text_backup
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        qpal, pal = opt.palette, palette(is_dark())
        fg = qpal.color(QPalette.ColorRole.HighlightedText) if selected else \
            (index.data(Qt.ItemDataRole.ForegroundRole).color()
             if index.data(Qt.ItemDataRole.ForegroundRole) is not None
             else qpal.color(QPalette.ColorRole.Text))
        title_font, small, pill_font = self._fonts(opt, index)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        title = self._title_text(index)
        painter.save()
        painter.setFont(title_font)
        painter.setPen(fg)
        bound = painter.boundingRect(QRect(rect.left(), rect.top(), rect.width(), 100000),
                                     flags, title)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), bound.height()), flags,
                         title)
        if index.data(KIND_ROLE) == "scenario":
            y = rect.top() + bound.height() + 2
            x = rect.left()
            line_h = QFontMetrics(small).height()
            label = index.data(LABEL_ROLE)
            if label in PILL:
                word = PILL[label]
                bg, badge_fg = pal.badge[label]
                fm = QFontMetrics(pill_font)
                pill = QRect(x, y, fm.horizontalAdvance(word) + 10, line_h)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(bg))
                painter.drawRoundedRect(pill, 4, 4)
                painter.setPen(QColor(badge_fg))
                painter.setFont(pill_font)
                painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), word)
            painter.setFont(small)
            # the step line: the title's colour when selected, else the palette's muted grey
            # (Qt's placeholder grey is below 4.5:1 on white)
            painter.setPen(fg if selected else QColor(pal.muted))
            x = rect.left() + self._pill_width(index, pill_font)
            lines = wrap_lines(QFontMetrics(small), index.data(DETAIL_ROLE) or "",
                               rect.width() - self._pill_width(index, pill_font), DETAIL_LINES)
            for n, line in enumerate(lines):
                painter.drawText(QRect(x, y + n * line_h, rect.right() - x, line_h),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 line)
        painter.restore()

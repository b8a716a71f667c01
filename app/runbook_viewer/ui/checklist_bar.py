"""Small pieces of the checklist panel: the slim bar it collapses to, and its keys.

- :class:`SlimBar` — the collapsed panel: a narrow full-height button with vertical text
  ("Checklist — no run"); a click, Enter or F9 opens the panel again.
- :class:`PanelKeys` — Space resolves the current item wherever the focus is in the panel
  (a focused button is never pressed by Space: that opened a second "New run…" dialog); Enter
  presses the focused button instead.
- :class:`FoldState` — whether the panel is open, per situation (no run open / a run open),
  remembered in the settings as the operator chose.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
)

PAD = 8


class SlimBar(QAbstractButton):
    """A vertical button, a text line wide, that reads bottom-to-top like a book spine."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.height() + 2 * PAD, fm.horizontalAdvance(self.text()) + 4 * PAD)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().height() + 2 * PAD, 4 * PAD)

    def paintEvent(self, _event) -> None:
        painter = QStylePainter(self)
        opt = QStyleOptionButton()
        opt.initFrom(self)
        if self.isDown():
            opt.state |= QStyle.StateFlag.State_Sunken
        painter.drawControl(QStyle.ControlElement.CE_PushButtonBevel, opt)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(0, self.height())
        painter.rotate(-90)
        area = QRect(PAD, 0, self.height() - 2 * PAD, self.width())
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             area.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         text)


class PanelKeys(QObject):
    """Event filter for the panel's widgets (text fields keep their keys)."""

    def __init__(self, on_space, parent=None):
        super().__init__(parent)
        self.on_space = on_space

    def watch(self, *widgets) -> None:
        for widget in widgets:
            if not isinstance(widget, QLineEdit):
                widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        key, plain = event.key(), not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if key == Qt.Key.Key_Space and plain:
            if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                self.on_space()
            return True  # neither press nor release reaches a focused button
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and \
                isinstance(obj, QAbstractButton) and kind == QEvent.Type.KeyPress:
            obj.click()
            return True
        return False


class FoldState:
    """Open or collapsed, per situation; the operator's choice is kept in the settings."""

    def __init__(self, settings):
        self.settings = settings
        self.KEYS = {False: "checklist/without_run", True: "checklist/with_run"}
        self.DEFAULT = {False: "collapsed", True: "open"}

    def is_open(self, run_open: bool) -> bool:
        value = self.settings.value(self.KEYS[run_open], self.DEFAULT[run_open]) \
            if self.settings is not None else self.DEFAULT[run_open]
        return str(value) == "open"

    def remember(self, run_open: bool, is_open: bool) -> None:
        if self.settings is not None:
            self.settings.setValue(self.KEYS[run_open], "open" if is_open else "collapsed")

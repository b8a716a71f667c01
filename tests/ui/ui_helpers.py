"""Helpers for driving the real window in tests: open one, answer modal dialogs, read the line at
the top of the document, list the text/background pairs a QTextDocument draws."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from runbook_viewer.core.palette import contrast
from runbook_viewer.ui.app import build_window

LAPTOP = (1024, 640)


def open_window(qtbot, library: str | Path | None = None, *, deferred: bool = False,
                show: bool = True, size: tuple[int, int] | None = None, active: bool = False,
                runbook: str | None = None):
    """A main window on ``library`` (the bundled one by default), closed at the test's end.

    ``size``: resized before it is shown, and shown on screen before this returns;
    ``active``: the active window (the keyboard goes to it); ``runbook``: that file opened;
    ``show=False``: built but not shown (a test that shows it itself, e.g. inside
    ``qtbot.waitSignal`` for a ``deferred`` window). The ``make_window`` fixture is this with
    the test's ``qtbot``.
    """
    w = build_window(None if library is None else str(library), deferred=deferred)
    qtbot.add_widget(w)
    if size is not None:
        w.resize(*size)
    if show:
        w.show()
    if show and (size is not None or active):
        qtbot.waitExposed(w)
    if active:
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    if runbook is not None:
        w.open_runbook(runbook)
    return w


class ModalAnswers:
    """Answers the modal dialogs that open, in order, as the operator would; a dialog nobody
    expected is rejected and recorded (``unexpected``)."""

    def __init__(self, answers: list[Callable[[QWidget], None]]):
        self.answers = list(answers)
        self.seen: list[str] = []
        self.unexpected: list[str] = []
        self._handled: list[QWidget] = []
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or any(dialog is d for d in self._handled) or not dialog.isVisible():
            return
        self._handled.append(dialog)
        self.seen.append(dialog.windowTitle())
        if self.answers:
            self.answers.pop(0)(dialog)
        else:
            self.unexpected.append(dialog.windowTitle())
            dialog.reject()

    def stop(self) -> None:
        self.timer.stop()


def type_and_ok(text: str) -> Callable[[QWidget], None]:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog), dialog
        dialog.setTextValue(text)
        dialog.accept()
    return answer


def top_position(view) -> int:
    return view.cursorForPosition(QPoint(0, 0)).position()


def line_top(view, position: int) -> int:
    """Viewport y of the line holding ``position`` (0 = at the top of the view)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    return view.cursorRect(cursor).top()


def _background(cursor: QTextCursor, fmt) -> str | None:
    if fmt.hasProperty(QTextFormat.Property.BackgroundBrush):
        return fmt.background().color().name()
    block = cursor.block().blockFormat()
    if block.hasProperty(QTextFormat.Property.BackgroundBrush):
        return block.background().color().name()
    table = cursor.currentTable()
    if table is not None:
        cell = table.cellAt(cursor).format()
        if cell.hasProperty(QTextFormat.Property.BackgroundBrush):
            return cell.background().color().name()
    frame = cursor.currentFrame()
    while frame is not None:
        ff = frame.frameFormat()
        if ff.hasProperty(QTextFormat.Property.BackgroundBrush):
            return ff.background().color().name()
        frame = frame.parentFrame()
    return None


def drawn_pairs(doc: QTextDocument, default_fg: str, default_bg: str) -> dict:
    """{(fg, bg): (sample text, large bold?)} for every visible text fragment of ``doc``."""
    pairs: dict = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            text = fragment.text().strip()
            if text:
                fmt = fragment.charFormat()
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                fg = fmt.foreground().color().name() if fmt.hasProperty(
                    QTextFormat.Property.ForegroundBrush) else default_fg
                bg = _background(cursor, fmt) or default_bg
                size = fmt.fontPointSize() or doc.defaultFont().pointSizeF()
                large = size >= 18 or (size >= 14 and fmt.fontWeight() >= 700)
                pairs.setdefault((fg, bg), (text[:40], large))
            it += 1
        block = block.next()
    return pairs


def failing_pairs(pairs: dict) -> list[str]:
    out = []
    for (fg, bg), (sample, large) in pairs.items():
        minimum = 3.0 if large else 4.5
        if contrast(fg, bg) < minimum:
            out.append(f"{sample!r}: {fg} on {bg} = {contrast(fg, bg):.2f} < {minimum}")
    return out

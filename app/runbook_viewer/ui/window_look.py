"""The window's look: panel widths for its size, light or dark, zoom, and its geometry from
the settings — the part of :class:`~.main_window.MainWindow` about how it is shown, not what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMainWindow

from .theme import is_dark

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter

    from ..core.model import Library
    from .document_view import DocumentView
    from .library_tree import LibraryTree
    from .notice_bar import NoticeBar


def side_width(window_width: int, right: int = 0) -> int:
    """The side panel's width: ~a quarter of the window, less when a right-hand panel of
    ``right`` px is open — the document keeps ≥ 57 % (≥ 55 % is the target at 1024 px)."""
    return max(200, min(360, round(window_width * 0.27), round(window_width * 0.43) - right))


class WindowLook(QMainWindow):
    themeChanged = Signal(bool)  # dark: colours changed (View ▸ Theme or the system's)

    # set by MainWindow (its __init__ and _build)
    view: DocumentView
    notice: NoticeBar
    tree: LibraryTree
    splitter: QSplitter
    library: Library | None
    settings: QSettings | None
    current_path: str | None
    zoom: int
    built: bool
    drawn_dark: bool | None
    user_sized: bool  # the operator dragged a panel edge: widths are theirs now
    on_fit: list[Callable[[int], int]]  # panels' own fitting: the width they take

    def rerender(self) -> None:  # MainWindow: redraw the current runbook in place
        raise NotImplementedError

    def fit_panels(self) -> None:
        """Panel widths for this window size, until the operator drags an edge: the document
        gets the most (≥ 55 % at 1024 px, with the checklist panel open too)."""
        if self.user_sized or not self.built:
            return
        width = self.width()
        right = sum(fit(width) for fit in self.on_fit)
        side = side_width(width, right)
        self.splitter.setSizes([side, max(300, width - right - side)])

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_panels()

    # -- theme ---------------------------------------------------------------------------
    @property
    def dark(self) -> bool:
        return is_dark()

    def set_theme(self, choice: str) -> None:
        """View ▸ Theme: system, light or dark — applied at once and remembered."""
        from .menus import set_theme

        set_theme(self, choice)

    def retheme(self) -> None:
        """Redraw everything coloured when light/dark changed (no-op when it did not)."""
        dark = self.dark
        if not self.built or dark == self.drawn_dark:
            return
        self.drawn_dark = dark
        self.notice.retheme()
        if self.library is not None:
            self.tree.set_library(self.library)
            if self.current_path:
                self.tree.select_path(self.current_path)
        self.themeChanged.emit(dark)
        self.rerender()

    def changeEvent(self, event):
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.built:
            self.retheme()

    # -- zoom ----------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self.zoom_by(1)

    def zoom_out(self) -> None:
        self.zoom_by(-1)

    def zoom_by(self, step: int) -> None:
        """Zoom the document ``step`` points; the line at the top of the view stays there."""
        if not step or not -5 <= self.zoom + step <= 12:
            return
        with self.view.keeping_place():
            (self.view.zoomIn if step > 0 else self.view.zoomOut)(abs(step))
        self.zoom += step

    def zoom_reset(self) -> None:
        if self.zoom:
            self.zoom_by(-self.zoom)

    # -- settings ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """Window geometry from the settings (before the window is shown)."""
        geometry = self.settings.value("window/geometry") if self.settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            from PySide6.QtGui import QGuiApplication

            screen = QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else None
            self.resize(min(1280, room.width()) if room else 1280,
                        min(800, room.height()) if room else 800)

    def _restore_zoom(self) -> None:
        zoom = int(str(self.settings.value("view/zoom", 0) or 0)) if self.settings is not None \
            else 0
        self.zoom_by(max(-5, min(12, zoom)))

"""What a feature panel may use of the main window: the :class:`Host` protocol.

Panels (search, scenarios, checklists, command copy, printing) are given the window as a
``Host`` and keep it as ``self.host`` (``self.window`` would shadow ``QWidget.window()``).
They connect to its signals — ``documentShown``, ``themeChanged``, ``checkLinkActivated``,
``copyLinkActivated`` — and register what the page is drawn with through
``set_state_provider`` / ``set_values_provider``; they never replace a window method or
attribute by assignment. ``main_window`` checks (for mypy) that ``MainWindow`` is a ``Host``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, Qt, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QDockWidget,
        QLabel,
        QLayout,
        QMenu,
        QMenuBar,
        QStatusBar,
        QToolBar,
        QWidget,
    )

    from ..core.model import Library
    from ..core.navigation import History
    from .document_view import DocumentView
    from .library_tree import LibraryTree
    from .notice_bar import NoticeBar
    from .side_tabs import SideTabs

#: (item states, current item id, banner) for drawing a runbook — the checklist's state
PageState = tuple[dict[str, str] | None, str | None, str | None]
StateProvider = Callable[[str], PageState]
ValuesProvider = Callable[[str], dict[str, str]]


class Host(Protocol):
    """The main window as the panels see it."""

    library: Library | None
    current_path: str | None
    settings: QSettings | None
    history: History
    features: dict[str, Any]  # name -> what its module's attach() returned
    menus: dict[str, QMenu]
    view: DocumentView
    notice: NoticeBar
    tree: LibraryTree
    breadcrumbs: QLabel
    side_tabs: SideTabs
    toolbar: QToolBar
    on_fit: list[Callable[[int], int]]  # a dock's fitting: the width it takes
    on_close: list[Callable[[], object]]
    go_menu_panels: QAction
    view_menu_panels: QAction
    file_print_separator: QAction
    print_action: QAction
    copy_command_action: QAction | None

    @property
    def documentShown(self) -> SignalInstance: ...  # (path, anchor)
    @property
    def themeChanged(self) -> SignalInstance: ...  # (dark)
    @property
    def checkLinkActivated(self) -> SignalInstance: ...  # (item id): a check:ID link
    @property
    def copyLinkActivated(self) -> SignalInstance: ...  # (command key): a copy:KEY link
    @property
    def dark(self) -> bool: ...

    def open_runbook(self, path: str, anchor: str = "", *, scroll: int | None = None,
                     record: bool = True, terms: list[str] | None = None) -> bool: ...
    def rerender(self) -> None: ...
    def fit_panels(self) -> None: ...
    def add_go_action(self, action: QAction) -> None: ...
    def add_side_tab(self, widget: QWidget, title: str, first: bool = False,
                     short: str | None = None) -> None: ...
    def set_state_provider(self, provider: StateProvider | None) -> None: ...
    def set_values_provider(self, provider: ValuesProvider | None) -> None: ...

    # the QMainWindow underneath (what panels lay out and talk through)
    def statusBar(self) -> QStatusBar: ...
    def menuBar(self) -> QMenuBar: ...
    def layout(self) -> QLayout | None: ...
    def width(self) -> int: ...
    def addAction(self, action: QAction, /) -> None: ...
    def addDockWidget(self, area: Qt.DockWidgetArea, dockwidget: QDockWidget, /) -> None: ...
    def resizeDocks(self, docks: Sequence[QDockWidget], sizes: Sequence[int],
                    orientation: Qt.Orientation, /) -> None: ...
    def window(self) -> QWidget: ...  # the window itself: a dialog's parent
    def isActiveWindow(self) -> bool: ...
    def isVisible(self) -> bool: ...
    def activateWindow(self) -> None: ...

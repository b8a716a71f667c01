"""The main window: composes the library tree, document view, find bar and side panels.

Navigation logic lives in core.navigation; this class only wires widgets to it. Feature panels
(search, scenarios, checklists, printing) see it as a :class:`~.host.Host` and attach themselves
through its signals (``documentShown``, ``checkLinkActivated``, ``copyLinkActivated``…) and
explicit hooks (``add_side_tab``, ``set_state_provider``, ``set_values_provider``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# Only what the first frame needs is imported here: touching Qt's enums (`Qt`, QKeySequence…)
# and building the widget tree cost ~30 ms, so _build() imports them after the window is shown.
from PySide6.QtCore import QMetaMethod, QSettings, Signal, Slot
from PySide6.QtWidgets import QLabel

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QToolBar, QWidget

    from ..core.model import Library
    from .find_bar import FindBar
    from .host import Host, StateProvider, ValuesProvider
    from .side_tabs import SideTabs

from ..core.navigation import History, Place, resolve_link
from .part_navigation import part_of, show_part_for
from .window_look import WindowLook


def _loading_html(root: str, done: int = 0, total: int = 0) -> str:
    """The page shown while the library loads (plain HTML: Markdown is not imported yet)."""
    page = f"<h2>Opening the runbook library…</h2><p>{html.escape(str(root))}</p>"
    if total:
        page += (f"<p><b>{done:,} of {total:,} files read</b></p><p>A library opened for "
                 "the first time is read whole; later openings reuse what did not change.</p>")
    return page


LOADING_STYLE = "QLabel { padding: 24px; }"


class MainWindow(WindowLook):
    documentShown = Signal(str, str)  # path, anchor
    libraryReady = Signal()  # a library given to set_library() is on screen, panels attached
    checkLinkActivated = Signal(str)  # item id: a check:ID link (the checklist panel ticks)
    copyLinkActivated = Signal(str)  # command key: a copy:KEY link (command_copy copies)

    # built by _build() and menus.build(); features by features.attach_all()
    find_bar: FindBar
    breadcrumbs: QLabel
    side_tabs: SideTabs
    toolbar: QToolBar
    menus: dict[str, QMenu]
    features: dict[str, Any]  # set when the panels attach (not before: tests/ui/test_fast_start)
    back_action: QAction
    forward_action: QAction
    print_action: QAction
    file_print_separator: QAction
    view_menu_panels: QAction
    go_menu_panels: QAction
    open_library_action: QAction
    quit_action: QAction
    copy_action: QAction
    find_action: QAction
    side_action: QAction
    toolbar_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    theme_actions: dict[str, QAction]
    keys_action: QAction
    about_action: QAction
    loading_label: QLabel
    _loader: Any  # app._LoadThread: the library loading after the first paint
    _deferred_load: Any  # app._AfterFirstPaint

    def __init__(self, library: Library | None, library_error: str | None = None,
                 settings: QSettings | None = None, *, loading: str | None = None):
        """``loading``: show the window at once with "Opening the runbook library…" for that
        folder; the library follows through :meth:`set_library` (the fast start of run_gui)."""
        super().__init__()
        self.library = library
        self.settings = settings
        self.history = History()
        self.current_path: str | None = None
        self.current_terms: list[str] = []
        self.current_part = 1  # the part shown of a very large runbook (core.page_parts)
        self._state_provider: StateProvider | None = None
        self._values_provider: ValuesProvider | None = None
        self.copy_command_action: QAction | None = None  # command_copy's Ctrl+Shift+C
        self.on_close: list[Callable[[], object]] = []  # run when the window closes
        self.zoom = 0
        self.built = False
        self.drawn_dark: bool | None = None
        self.user_sized = False  # the operator dragged a panel edge: widths are theirs now
        self.on_fit: list[Callable[[int], int]] = []  # panels' own fitting: width they take
        self.setWindowTitle(self._title())
        self._restore_geometry()
        self.closed = False
        self.loading_root = loading or ""
        if loading is not None:
            self.loading_label = QLabel(_loading_html(loading))
            self.loading_label.setStyleSheet(LOADING_STYLE)
            self.setCentralWidget(self.loading_label)
        else:
            self._build()
            self._show_library(library_error)

    @Slot(int, int)
    def show_load_progress(self, done: int, total: int) -> None:
        """How far the library load is (on the loading page, until the library is shown)."""
        if not self.built:
            self.loading_label.setText(_loading_html(self.loading_root, done, total))

    def set_library(self, library: Library | None, library_error: str | None = None, *,
                    open_first: bool = True) -> None:
        """Show a library loaded after the window was created with ``loading=``;
        ``open_first=False``: the caller opens the first page (:meth:`open_first`) once the
        panels are attached, so it is drawn once, with their state."""
        self.library = library
        self.setWindowTitle(self._title())
        if not self.built:
            self._build()
        self._show_library(library_error, open_first)

    def _show_library(self, library_error: str | None, open_first: bool = True) -> None:
        library = self.library
        if library is None:
            from ..core.render import render_message

            self.view.show_html(render_message("The runbook library could not be opened",
                                               library_error or "unknown error", self.dark))
            self.notice.show_notice(library_error or "The library could not be opened.")
        else:
            self.view.library_root = library.root
            self.tree.set_library(library)
            from ..core.library import NOTICE_CODES, load_notice

            problems = [p.message for p in library.problems
                        if p.level == "error" and p.code not in NOTICE_CODES]
            notice = " ".join(filter(None, ["; ".join(problems), load_notice(library)]))
            if notice:
                self.notice.show_notice(notice)
        if open_first or library is None:
            self.open_first()

    # -- construction --------------------------------------------------------------------
    def _title(self) -> str:
        name = "Runbook Viewer"
        if self.library is not None and self.library.landing is not None:
            from ..core.glyphs import font_safe

            landing = self.library.landing
            about = ", ".join(part for part in (
                f"version {landing.version}" if landing.version else "",
                f"updated {landing.last_updated}" if landing.last_updated else "") if part)
            name = f"{font_safe(landing.title)} — Runbook Viewer" + \
                (f" (library {about})" if about else "")
        return name

    def _build(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter, QToolBar, QVBoxLayout, QWidget

        from . import menus, theme
        from .document_view import DocumentView
        from .find_bar import FindBar
        from .library_tree import LibraryTree
        from .notice_bar import NoticeBar
        from .side_tabs import SideTabs

        self.built = True
        theme.restore(self.settings)
        self.drawn_dark = self.dark
        self.view = DocumentView()
        self.view.anchor_hook = lambda anchor: show_part_for(self, anchor)
        self.view.linkActivated.connect(self.follow_link)
        self.view.zoomRequested.connect(self.zoom_by)
        self.find_bar = FindBar(self.view)
        self.notice = NoticeBar()
        self.breadcrumbs = QLabel()
        self.breadcrumbs.setTextFormat(Qt.TextFormat.RichText)
        self.breadcrumbs.setContentsMargins(6, 2, 6, 2)
        self.breadcrumbs.linkActivated.connect(self.follow_link)
        self.breadcrumbs.setAccessibleName("Where you are")
        self.breadcrumbs.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        center = QWidget()
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.notice)
        col.addWidget(self.breadcrumbs)
        col.addWidget(self.view, 1)
        col.addWidget(self.find_bar)

        self.tree = LibraryTree()
        self.tree.runbookSelected.connect(lambda p: self.open_runbook(p))
        self.tree.setAccessibleName("Library: every runbook")
        self.side_tabs = SideTabs()
        self.side_tabs.add(self.tree, "Library")

        self.splitter = QSplitter()
        self.splitter.addWidget(self.side_tabs)
        self.splitter.addWidget(center)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.splitterMoved.connect(lambda *_a: setattr(self, "user_sized", True))
        self.fit_panels()
        self.setCentralWidget(self.splitter)

        self.toolbar = QToolBar("Navigation")
        self.toolbar.setObjectName("navigation")
        self.addToolBar(self.toolbar)
        menus.build(self)
        self.back_action.setIconText("◀ Back")
        self.forward_action.setIconText("Forward ▶")
        for action in (self.back_action, self.forward_action):
            self.toolbar.addAction(action)
        self._update_nav()
        self.statusBar()
        self._restore_zoom()

    def set_state_provider(self, provider: StateProvider | None) -> None:
        """What a page is drawn with: ``provider(path)`` -> (item states, current item,
        banner) — the checklist panel's open run."""
        self._state_provider = provider

    def set_values_provider(self, provider: ValuesProvider | None) -> None:
        """``provider(path)`` -> the open run's incident values, put into the commands."""
        self._values_provider = provider

    def ask_directory(self) -> str | None:
        from .menus import ask_directory

        return ask_directory(self)

    def add_go_action(self, action: QAction) -> None:
        """A panel's "go to me" action: in the Go menu above the history (with its keys),
        or on the window when it has no menu bar."""
        menus = getattr(self, "menus", None)
        if menus:
            menus["go"].insertAction(self.go_menu_panels, action)
        else:
            self.addAction(action)

    def add_side_tab(self, widget: QWidget, title: str, first: bool = False,
                     short: str | None = None) -> None:
        self.side_tabs.add(widget, title, short=short, first=first)

    # -- navigation ----------------------------------------------------------------------
    def open_runbook(self, path: str, anchor: str = "", *, scroll: int | None = None,
                     record: bool = True, terms: list[str] | None = None) -> bool:
        if self.library is None:
            return False
        rb = self.library.get(path)
        if rb is None:
            self.notice.show_notice(f"{path} is not in the library.")
            return False
        if record:
            self.history.visit(Place(path, anchor), self.view.verticalScrollBar().value())
        same = path == self.current_path
        self.current_path = path
        self.current_terms = terms or []
        if not same or terms is not None or scroll is not None:
            self.current_part = part_of(rb, anchor)
            self._render(anchor=anchor, scroll=scroll)
        elif anchor:
            self.view.scrollToAnchor(anchor)  # in another part of a very large page: its part
        if rb.load_error:
            self.notice.show_notice(f"{rb.path}: {rb.load_error}")
        self.tree.select_path(path)
        self._update_nav()
        from ..core.glyphs import font_safe

        landing = rb is self.library.landing  # its title already leads the window title
        self.setWindowTitle(self._title() if landing else
                            f"{font_safe(rb.title)} — {self._title()}")
        self.find_bar.refresh()
        if self.settings is not None:
            self.settings.setValue("last/runbook", path)
            self.settings.setValue("last/anchor", anchor)
        self.documentShown.emit(path, anchor)
        return True

    def _render(self, anchor: str = "", scroll: int | None = None) -> None:
        rb = self.library.get(self.current_path) if self.library and self.current_path else None
        if rb is None:
            return
        from ..core.render import render_runbook

        states, current, banner = (None, None, None)
        if self._state_provider is not None:
            states, current, banner = self._state_provider(rb.path)
        values = self._values_provider(rb.path) if self._values_provider is not None else None
        html = render_runbook(rb, states=states, current=current, dark=self.dark,
                              terms=self.current_terms, banner=banner, library=self.library,
                              values=values, part=self.current_part)
        self.view.base_dir = rb.abs_path.parent
        self.view.show_html(html, anchor=anchor, scroll=scroll)

    def rerender(self) -> None:
        """Redraw the current runbook in place (after a tick or a theme change)."""
        if self.current_path:
            self._render(scroll=self.view.verticalScrollBar().value())
            self.find_bar.refresh()

    def follow_link(self, href: str) -> None:
        if self.library is None:
            return
        target = resolve_link(self.library, self.current_path, href)
        if target.kind == "runbook":
            self.open_runbook(target.path, target.anchor)
        elif target.kind == "external":
            self.notice.show_notice(target.message, url=target.url)
        elif target.kind == "check":
            self._emit_or_say(self.checkLinkActivated, target.anchor,
                              "Checklists are not available.")
        elif target.kind == "copy":
            self._emit_or_say(self.copyLinkActivated, target.anchor,
                              "Copying commands is not available.")
        else:
            self.notice.show_notice(target.message)
            self.statusBar().showMessage(target.message, 10000)

    def _emit_or_say(self, signal: Any, value: str, unavailable: str) -> None:
        """Emit ``signal`` to the panel that handles it; with none attached, say so."""
        if self.isSignalConnected(QMetaMethod.fromSignal(signal)):
            signal.emit(value)
        else:
            self.statusBar().showMessage(unavailable, 5000)

    def go_back(self) -> None:
        self._go(self.history.back(self.view.verticalScrollBar().value()))

    def go_forward(self) -> None:
        self._go(self.history.forward(self.view.verticalScrollBar().value()))

    def _go(self, place: Place | None) -> None:
        if place is not None:
            self.open_runbook(place.path, place.anchor, scroll=place.scroll or None,
                              record=False)
            self._update_nav()

    def _update_nav(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())

    # -- about ---------------------------------------------------------------------------
    def about_text(self) -> str:
        from .menus import about_text

        return about_text(self)

    # -- opening -------------------------------------------------------------------------
    def open_first(self) -> None:
        """Open the runbook of the last session, else the landing page, else the first one."""
        path, anchor = None, ""
        if self.settings is not None:
            path = self.settings.value("last/runbook")
            anchor = self.settings.value("last/anchor") or ""
        if self.library is None:
            return
        if path and self.library.get(path) is not None:
            self.open_runbook(path, anchor)
        elif self.library.landing is not None:
            self.open_runbook(self.library.landing.path)
        elif self.library.runbooks:
            self.open_runbook(self.library.runbooks[0].path)
        else:
            from ..core.render import render_message

            self.view.show_html(render_message(
                "This library has no runbooks",
                f"No markdown (.md) files were found in {self.library.root}.", self.dark))

    def closeEvent(self, event):
        self.closed = True
        for callback in self.on_close:
            callback()
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            if self.built:
                self.settings.setValue("view/zoom", self.zoom)
            self.settings.sync()
        super().closeEvent(event)


if TYPE_CHECKING:
    def _a_main_window_is_a_host(window: MainWindow) -> Host:
        return window  # mypy checks that MainWindow offers everything Host promises

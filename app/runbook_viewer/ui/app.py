"""Start the desktop app: QApplication, settings, library, main window, feature panels.

``run_gui`` starts fast: the window is shown at once ("Opening the runbook library…"), and the
library is loaded, rendered and the feature panels attached right after its first frame is
painted. Markdown, Pygments, the parser and the panels are not imported before that.
"""

from __future__ import annotations

import contextlib
import os
import sys

from PySide6.QtCore import QEvent, QObject, QSettings, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ..core import paths

LOAD_FALLBACK_MS = 400  # load anyway if no paint arrives (window minimised, odd platform)
_WINDOWS: list = []  # windows opened by File ▸ Open library… (kept alive until closed)


def keep_open(window) -> None:
    _WINDOWS.append(window)
    window.on_close.append(lambda: _WINDOWS.remove(window) if window in _WINDOWS else None)


def make_settings() -> QSettings:
    """The window's settings; when the config folder cannot be created (read-only home, a file
    where the folder should be) they are read if present and simply not saved."""
    try:
        where = paths.settings_file()
    except OSError:
        where = paths.settings_file(create=False)
    return QSettings(str(where), QSettings.Format.IniFormat)


def _load(root: str, progress=None):
    from ..core.library import LibraryError, load_library

    try:
        return load_library(root, progress), None
    except LibraryError as exc:
        return None, str(exc)


def _import_features() -> None:
    """Import the panels' modules (only defines classes: no widget is made here)."""
    import importlib

    from .features import FEATURES

    for name in FEATURES:
        importlib.import_module(f"runbook_viewer.ui.{name}")


class _Loader(QObject):
    """Loads the library off the UI thread (the window repaints and answers meanwhile),
    reporting progress; works out what the panels need from the whole library before handing
    it over, so showing it costs the UI thread only the widgets."""

    progress = Signal(int, int)
    done = Signal(object, str)  # library (or None), error

    def __init__(self):
        super().__init__()
        self.cancelled = False

    def _report(self, done: int, total: int) -> None:
        from ..core.loading import LoadCancelled

        if self.cancelled:
            raise LoadCancelled
        self.progress.emit(done, total)

    @Slot(str)
    def load(self, root: str) -> None:
        from ..core.loading import LoadCancelled, prepare

        try:
            library, error = _load(root, self._report)
            if library is not None:
                prepare(library)
                _import_features()  # a second of imports the UI thread then does not wait for
        except LoadCancelled:
            return
        except Exception as exc:  # never a traceback: the window says what went wrong
            library, error = None, f"the library could not be loaded: {exc}"
        self.done.emit(library, error or "")


class _LoadThread(QObject):
    """Owns the loading thread; lives on the UI thread, so ``finished`` runs there."""

    requested = Signal(str)

    def __init__(self, window, root: str, finished):
        super().__init__(window)
        self.window, self.finished = window, finished
        self.qthread = QThread()
        self.qthread.setObjectName("library-load")
        self.worker = _Loader()
        self.worker.moveToThread(self.qthread)
        self.requested.connect(self.worker.load)
        self.worker.progress.connect(self._progress)
        self.worker.done.connect(self._done)
        self.qthread.start()
        self.requested.emit(root)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if not self.window.closed:
            self.window.show_load_progress(done, total)

    @Slot(object, str)
    def _done(self, library, error: str) -> None:
        self.qthread.quit()
        self.qthread.wait(5000)
        if not self.window.closed:
            self.finished(library, error)

    def stop(self) -> None:
        self.worker.cancelled = True
        self.qthread.quit()
        self.qthread.wait(30000)


def _attach_features(window) -> None:
    from . import features

    features.attach_all(window)


def build_window(library_dir: str | None = None, *, deferred: bool = False):
    """Create the main window for a library folder (the bundled one by default).

    ``deferred``: return the window at once, showing "Opening the runbook library…"; the
    library is loaded on a thread from the window's first paint (or LOAD_FALLBACK_MS), the
    window showing how far it is, then shown, and ``window.libraryReady`` is emitted.
    """
    from . import theme
    from .main_window import MainWindow

    settings = make_settings()
    theme.restore(settings)  # before the first frame: no light flash for a dark choice
    root = library_dir or str(paths.bundled_library())
    if not deferred:
        library, error = _load(root)
        window = MainWindow(library, error, settings)
        _attach_features(window)
        return window
    window = MainWindow(None, settings=settings, loading=root)

    def loaded(library, error: str) -> None:
        window.set_library(library, error or None, open_first=False)
        _attach_features(window)
        if library is not None:
            window.open_first()  # drawn once, with the panels' state (was three times)
        window.libraryReady.emit()

    def start() -> None:
        window._loader = _LoadThread(window, root, loaded)
        window.on_close.append(window._loader.stop)

    window._deferred_load = _AfterFirstPaint(window, start)
    return window


class _AfterFirstPaint(QObject):
    """Run ``callback`` once, as soon as the event loop is idle after ``window``'s first
    paint (or after LOAD_FALLBACK_MS without one) — never after the window was closed."""

    def __init__(self, window, callback):
        super().__init__(window)
        self.window, self.callback, self.done = window, callback, False
        window.installEventFilter(self)
        QTimer.singleShot(LOAD_FALLBACK_MS, self.run)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Close:
            self.done = True  # closed before the library came: nothing to load
        elif event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self.run)
        return False

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        self.window.removeEventFilter(self)
        self.callback()


def make_app() -> QApplication:
    """The QApplication, named and with the app icon (the desktop file's name for docks)."""
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Runbook Viewer")
    app.setOrganizationName("runbook-viewer")
    app.setDesktopFileName("runbook-viewer")
    icon = paths.resource("icons/runbook-viewer.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run_gui(library_dir: str | None = None) -> int:
    app = make_app()
    window = build_window(library_dir, deferred=True)
    with contextlib.suppress(AttributeError):  # Qt < 6.5: no live scheme changes
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: window.retheme())
    if os.environ.get("RUNBOOK_VIEWER_STARTUP_PROBE"):  # benchmarks/startup.py only
        from .startup_probe import install

        install(app, window)
    window.show()
    return app.exec()

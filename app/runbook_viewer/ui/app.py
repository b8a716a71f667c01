"""Start the desktop app: QApplication, settings, library, main window, feature panels."""

from __future__ import annotations

import contextlib
import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ..core import paths
from ..core.library import LibraryError, load_library


def make_settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def build_window(library_dir: str | None = None):
    """Create the main window for a library folder (the bundled one by default)."""
    from .main_window import MainWindow

    root = library_dir or str(paths.bundled_library())
    try:
        library, error = load_library(root), None
    except LibraryError as exc:
        library, error = None, str(exc)
    window = MainWindow(library, error, make_settings())
    from . import features

    features.attach_all(window)
    return window


def run_gui(library_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Runbook Viewer")
    app.setOrganizationName("runbook-viewer")
    app.setDesktopFileName("runbook-viewer")
    icon = paths.resource("icons/runbook-viewer.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    window = build_window(library_dir)
    with contextlib.suppress(AttributeError):  # Qt < 6.5: no live scheme changes
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: window.rerender())
    window.show()
    return app.exec()

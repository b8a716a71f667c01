"""Light and dark palettes that follow the system colour scheme."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    from PySide6.QtCore import Qt  # not at import: Qt's enums cost ~20 ms before the 1st frame

    try:
        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
    except AttributeError:  # Qt < 6.5
        pass
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128

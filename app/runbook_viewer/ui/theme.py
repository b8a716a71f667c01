"""Light and dark: follow the system, or the operator's choice (View ▸ Theme), persisted.

``is_dark()`` answers for what is actually drawn: with the system theme, the lightness of the
application palette's base colour (a GTK dark theme, a dark QPalette or a dark colour scheme all
show there); with a chosen theme, that choice — and then the widgets get a palette made of the
same :mod:`core.palette` colours the documents use.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette

MODES = ("system", "light", "dark")
SETTING = "view/theme"

_state: dict = {"mode": "system", "palette": None, "style": None}


def mode() -> str:
    return _state["mode"]


def is_dark() -> bool:
    if _state["mode"] != "system":
        return _state["mode"] == "dark"
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128


def qpalette(dark: bool) -> QPalette:
    """A widget palette made of the viewer's own colours (core.palette)."""
    from PySide6.QtGui import QColor

    from ..core.palette import palette

    pal = palette(dark)
    qp = QPalette()
    role = QPalette.ColorRole
    for r, colour in ((role.Window, pal.window), (role.WindowText, pal.fg), (role.Base, pal.bg),
                      (role.AlternateBase, pal.code_bg), (role.Text, pal.fg),
                      (role.Button, pal.button), (role.ButtonText, pal.fg),
                      (role.ToolTipBase, pal.window), (role.ToolTipText, pal.fg),
                      (role.Highlight, pal.highlight), (role.HighlightedText, pal.highlight_fg),
                      (role.PlaceholderText, pal.placeholder), (role.Link, pal.link),
                      (role.LinkVisited, pal.link), (role.BrightText, pal.warning),
                      (role.Light, pal.button), (role.Midlight, pal.button),
                      (role.Mid, pal.border), (role.Dark, pal.border), (role.Shadow, pal.border)):
        qp.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        qp.setColor(QPalette.ColorGroup.Disabled, r, QColor(pal.muted))
    return qp


def apply(choice: str) -> None:
    """Use ``choice`` ("system", "light" or "dark") for the whole application."""
    from PySide6.QtWidgets import QApplication

    choice = choice if choice in MODES else "system"
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        _state["mode"] = choice
        return
    if _state["palette"] is None:  # the system's, to go back to
        _state["palette"] = QPalette(app.palette())
        _state["style"] = app.style().name()
    _state["mode"] = choice
    if choice == "system":
        if app.style().name() != _state["style"]:
            app.setStyle(_state["style"])
        app.setPalette(_state["palette"])
    else:
        if app.style().name().lower() != "fusion":  # a style that draws with the palette
            app.setStyle("Fusion")
        app.setPalette(qpalette(choice == "dark"))


def restore(settings) -> str:
    """Apply the theme saved in ``settings`` (QSettings or None); returns it."""
    saved = str(settings.value(SETTING, "system") or "system") if settings is not None \
        else "system"
    if saved != "system" or _state["mode"] != "system":
        apply(saved)
    return _state["mode"]


def reset() -> None:
    """Back to the system's theme and forget it (a new QApplication palette becomes the
    system's): for tests that change the application palette."""
    apply("system")
    _state.update(mode="system", palette=None, style=None)

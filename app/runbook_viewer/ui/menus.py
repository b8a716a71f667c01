"""The menu bar: File, Edit, View, Go, Help — every command one keystroke or two clicks away.

Feature panels add their own entries through the menus kept on the window (``window.menus``);
the key table shown by Help ▸ Keys is :data:`KEYS`, the same table as the README's.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from .. import __version__
from . import theme

if TYPE_CHECKING:
    from .main_window import MainWindow

#: (keys, what they do) — the README's key table lists the same
#: (tests/ui/test_keyboard_all_the_way.py)
KEYS: list[tuple[str, str]] = [
    ("Ctrl+K, Ctrl+L", "search field (typing in the library tree starts a search too)"),
    ("↑ ↓, Enter, Esc", "move in results, open at the section, back to the field"),
    ("Ctrl+Shift+W", "What's happening? — the triage list, filter field focused"),
    ("Ctrl+Tab, Ctrl+Shift+Tab", "next / previous side tab (What's happening?, Library, "
                                 "Search), when the side panel has focus"),
    ("Tab, Shift+Tab", "next / previous part of the window (search, side panel, runbook, find, "
                       "checklist); the runbook is one stop"),
    ("Enter", "in the runbook: follow the link at the cursor (Ctrl+F puts the cursor on it)"),
    ("Space", "resolve the current checklist item (document or checklist panel focused; "
              "click a box to toggle it)"),
    ("Alt+N", "mark the current item not applicable"),
    ("Alt+S", "skip the current item (asks for a reason)"),
    ("Ctrl+Z", "undo the last tick"),
    ("Ctrl+Shift+C", "copy the current checklist item's command (again: its next command); a "
                     "click on ❐ Copy / copy copies that command"),
    ("F9", "show or collapse the checklist panel"),
    ("Ctrl+F", "find in page, every match highlighted (Enter / Shift+Enter: next / previous)"),
    ("Ctrl+C", "copy the selected text"),
    ("Ctrl++ / Ctrl+− / Ctrl+0", "zoom in / out / reset (the line at the top stays at the "
                                 "top)"),
    ("Alt+← / Alt+→", "back / forward"),
    ("Ctrl+P", "print the runbook (File ▸ Print or export: blank checklist, current run, "
               "whole library, PDF, preview)"),
    ("Ctrl+O", "open another runbook library folder"),
    ("Ctrl+Q", "quit"),
    ("F1", "this list of keys"),
]


def _add(menu, text: str, slot, keys=None, *, tip: str = "") -> QAction:
    action = QAction(text, menu)
    if keys is not None:
        sequences = [QKeySequence(k) for k in (keys if isinstance(keys, list) else [keys])]
        action.setShortcuts(sequences)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build(window: MainWindow) -> dict:
    """Create the menu bar; returns the menus by name (also kept as ``window.menus``)."""
    bar = window.menuBar()
    std = QKeySequence.StandardKey
    menus = {name: bar.addMenu(text) for name, text in (
        ("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("checklist", "&Checklist"),
        ("go", "&Go"), ("help", "&Help"))}

    file = menus["file"]
    window.open_library_action = _add(file, "&Open library…", lambda: open_library(window),
                                      std.Open, tip="Open another folder of markdown runbooks")
    window.print_action = QAction("&Print…", file)  # printing.attach connects it
    window.print_action.setShortcut(QKeySequence(std.Print))
    window.print_action.setStatusTip("Print the runbook on screen")
    window.print_action.setEnabled(False)
    file.addAction(window.print_action)
    window.file_print_separator = file.addSeparator()
    window.quit_action = _add(file, "&Quit", window.close, "Ctrl+Q")

    edit = menus["edit"]
    window.copy_action = _add(edit, "&Copy", window.view.copy, std.Copy)
    window.find_action = _add(edit, "&Find in page…", window.find_bar.open_bar, std.Find)

    view = menus["view"]
    window.view_menu_panels = view.addSeparator()
    window.side_action = QAction("&Side panel (triage, library, search)", view, checkable=True,
                                 checked=True)
    window.side_action.toggled.connect(window.side_tabs.setVisible)
    view.addAction(window.side_action)
    window.toolbar_action = window.toolbar.toggleViewAction()
    window.toolbar_action.setText("&Toolbar")
    view.addAction(window.toolbar_action)
    view.addSeparator()
    window.zoom_in_action = _add(view, "Zoom &in", window.zoom_in, [std.ZoomIn, "Ctrl+="])
    window.zoom_out_action = _add(view, "Zoom &out", window.zoom_out, std.ZoomOut)
    window.zoom_reset_action = _add(view, "&Normal size", window.zoom_reset, "Ctrl+0")
    view.addSeparator()
    theme_menu = view.addMenu("T&heme")
    group = QActionGroup(theme_menu)
    window.theme_actions = {}
    for name, text in (("system", "&System"), ("light", "&Light"), ("dark", "&Dark")):
        action = QAction(text, theme_menu, checkable=True)
        action.setChecked(theme.mode() == name)
        action.triggered.connect(lambda _c=False, n=name: window.set_theme(n))
        group.addAction(action)
        theme_menu.addAction(action)
        window.theme_actions[name] = action

    go = menus["go"]
    window.back_action = _add(go, "&Back", window.go_back, std.Back)
    window.forward_action = _add(go, "&Forward", window.go_forward, std.Forward)
    window.go_menu_panels = go.addSeparator()

    help_ = menus["help"]
    window.keys_action = _add(help_, "&Keys…", lambda: show_keys(window), std.HelpContents)
    window.about_action = _add(help_, "&About Runbook Viewer", lambda: show_about(window))
    window.menus = menus
    return menus


def set_theme(window, choice: str) -> None:
    theme.apply(choice)
    if window.settings is not None:
        window.settings.setValue(theme.SETTING, theme.mode())
    for name, action in getattr(window, "theme_actions", {}).items():
        action.setChecked(name == theme.mode())
    window.retheme()


def keys_html() -> str:
    rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                   for k, v in KEYS)
    return f"<table cellspacing='0' cellpadding='4'>{rows}</table>"


def show_keys(window) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keys — Runbook Viewer", keys_html(),
                      parent=window)
    box.setTextFormat(box.textFormat().RichText)
    box.finished.connect(lambda _r: window.view.setFocus())
    box.open()
    return box


def about_text(window) -> str:
    lines = [f"Runbook Viewer {__version__}", "Offline viewer for operations runbooks."]
    library = window.library
    if library is not None:
        lines.append(f"Library: {library.root}")
        landing = library.landing
        if landing is not None:
            lines.append(f"Library version {landing.version or '—'}, last updated "
                         f"{landing.last_updated or '—'}")
        lines.append(f"{len(library.runbooks)} runbooks")
    return "\n".join(lines)


def show_about(window) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About Runbook Viewer", about_text(window),
                      parent=window)
    box.finished.connect(lambda _result: window.view.setFocus())
    box.open()
    return box


def ask_directory(window) -> str | None:
    start = str(window.library.root) if window.library is not None else ""
    path = QFileDialog.getExistingDirectory(window, "Open a runbook library folder", start)
    return path or None


def open_library(window) -> bool:
    """File ▸ Open library…: a new window on that folder replaces this one (same place on
    screen); an unusable folder is said so, and this window stays."""
    folder = window.ask_directory()
    window.view.setFocus()
    if not folder:
        return False
    from .app import build_window, keep_open

    other = build_window(folder)
    if other.library is None:
        problem = other.notice.text() or "it could not be read"
        other.close()
        other.deleteLater()
        window.notice.show_notice(f"Cannot open the library {folder}: {problem}")
        return False
    other.setGeometry(window.geometry())
    keep_open(other)
    other.show()
    window.close()
    return True

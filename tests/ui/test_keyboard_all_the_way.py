"""Issue 14 §9–12: a real menu bar (Ctrl+Q quits), shortcuts for N/A, Skip and Undo shown on the
buttons and in the README, Skip without a reason says so and keeps the dialog, and a focus chain
a screen reader can follow — walked with real Tab presses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton
from ui_helpers import LAPTOP, ModalAnswers

from runbook_viewer.ui.menus import KEYS
from runbook_viewer.ui.run_dialogs import REASON_MISSING, ReasonDialog

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def window(make_window):
    return make_window(size=LAPTOP, active=True, runbook="startup.md")


def with_run(w):
    panel = w.features["checklist_panel"]
    panel.ask_text = lambda title, *_a, **_k: "JD" if title.startswith("Who") else "INC-7"
    assert panel.new_run()
    return panel


def entries(menu) -> dict[str, str]:
    """Menu text (no '&') -> its shortcut, submenus by their title."""
    out = {}
    for action in menu.actions():
        if action.isSeparator():
            continue
        out[action.text().replace("&", "")] = action.shortcut().toString()
    return out


# -- §9 the menu bar -----------------------------------------------------------------------
def test_menu_bar_has_file_edit_view_go_help(window):
    w = window
    titles = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Checklist", "Go", "Help"]
    file, edit, view, go, help_ = (entries(w.menus[k]) for k in
                                   ("file", "edit", "view", "go", "help"))
    assert file["Open library…"] == "Ctrl+O" and file["Print…"] == "Ctrl+P"
    assert file["Quit"] == "Ctrl+Q" and "Print or export" in file
    assert edit["Copy"] == "Ctrl+C" and edit["Find in page…"] == "Ctrl+F"
    assert {"Checklist panel", "Side panel (triage, library, search)", "Toolbar", "Zoom in",
            "Zoom out", "Normal size", "Theme"} <= set(view)
    assert view["Checklist panel"] == "F9"
    assert [k for k in go] == ["Back", "Forward", "What's happening? (triage)", "Search"]
    assert go["What's happening? (triage)"] == "Ctrl+Shift+W" and go["Search"] == "Ctrl+K"
    assert set(help_) == {"Keys…", "About Runbook Viewer"}
    themes = entries(next(a.menu() for a in w.menus["view"].actions()
                          if a.text().replace("&", "") == "Theme"))
    assert list(themes) == ["System", "Light", "Dark"]


def test_ctrl_q_quits(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_go_menu_keys_reach_triage_and_search(qtbot, window):
    w = window
    qtbot.keyClick(w.view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is w.features["scenario_panel"].filter_edit
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.features["search_panel"].field
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.find_bar.field


def test_open_library_replaces_the_window_or_says_why_not(qtbot, window, tmp_path):
    w = window
    w.ask_directory = lambda: str(tmp_path / "nowhere")
    w.open_library_action.trigger()
    assert w.isVisible() and "Cannot open the library" in w.notice.text()
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.md").write_text("# One\n\n- [ ] a box\n")
    w.ask_directory = lambda: str(other)
    w.open_library_action.trigger()
    assert not w.isVisible()
    from runbook_viewer.ui import app

    new = app._WINDOWS[-1]
    qtbot.add_widget(new)
    assert new.isVisible() and new.library.root == other.resolve()


def test_help_keys_lists_the_key_table(qtbot, window):
    from runbook_viewer.ui.menus import show_keys

    box = show_keys(window)
    try:
        for keys, _what in KEYS:
            assert keys.split(",")[0].split(" /")[0] in box.text()
    finally:
        box.close()


# -- §10 shortcuts on the buttons and in the README ----------------------------------------
def test_na_skip_undo_have_keys_shown_on_the_buttons(qtbot, window):
    w = window
    panel = with_run(w)
    for button, keys in ((panel.done_btn, "Space"), (panel.na_btn, "Alt+N"),
                         (panel.skip_btn, "Alt+S"), (panel.undo_btn, "Ctrl+Z")):
        assert keys in button.text()
    items = w.library.get("startup.md").items
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert panel.state.by_id[items[0].id].state == "na"
    panel.ask_reason = lambda title, label: "tooling host is down"
    qtbot.keyClick(w.view, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert panel.state.by_id[items[1].id].state == "skipped"
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.state.by_id[items[1].id].state == "pending"
    assert panel.state.current_item == items[1].id


def readme_keys() -> str:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"\| Key \| Does \|\n(\|.*\|\n)+", text)
    assert table, "README has a key table"
    return table.group(0)


def test_readme_key_table_matches_the_app():
    table = readme_keys()
    for keys, _what in KEYS:
        assert f"| {keys} |" in table, keys
    for keys in ("Alt+N", "Alt+S", "Ctrl+Z", "Ctrl+Shift+W", "Ctrl+Tab", "Ctrl+Q", "Space"):
        assert keys in table


def test_every_menu_shortcut_is_in_the_key_table(window):
    listed = " ".join(k for k, _w in KEYS)
    shortcuts = set()
    for menu in window.menus.values():
        for action in menu.actions():
            for seq in action.shortcuts():
                shortcuts.add(seq.toString(QKeySequence.SequenceFormat.PortableText))
    shortcuts -= {"Ctrl+=", "Ctrl+-", "Ctrl++", "Back", "Alt+Left", "Alt+Right"}
    missing = sorted(s for s in shortcuts if s not in listed)
    assert not missing, missing


# -- §11 Skip with an empty reason ----------------------------------------------------------
def test_skip_with_an_empty_reason_says_so_and_keeps_the_dialog(qtbot, window):
    w = window
    panel = with_run(w)
    first = w.library.get("startup.md").items[0].id
    seen = {}

    def answer(dialog):
        assert isinstance(dialog, ReasonDialog)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no reason typed
        seen["still_open"] = dialog.isVisible()
        seen["message"] = dialog.error.text() if dialog.error.isVisible() else ""
        qtbot.keyClicks(dialog.field, "  ")  # blanks are no reason either
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["blank_open"] = dialog.isVisible()
        dialog.field.setText("monitoring host unreachable")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    answers = ModalAnswers([answer])
    try:
        w.view.setFocus()
        qtbot.keyClick(w.view, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    finally:
        answers.stop()
    assert seen == {"still_open": True, "message": REASON_MISSING, "blank_open": True}
    item = panel.state.by_id[first]
    assert (item.state, item.reason) == ("skipped", "monitoring host unreachable")


# -- §12 accessible names and the focus chain -----------------------------------------------
def accessible_name(widget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return (iface.text(QAccessible.Text.Name) if iface is not None else "") or \
        widget.accessibleName()


def walk_focus(qtbot, start) -> list:
    start.setFocus()
    chain = [start]
    for _ in range(80):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return chain
        assert now not in chain, f"Tab went round without reaching the start: {chain}"
        chain.append(now)
    raise AssertionError("Tab never came back to the start")


@pytest.mark.parametrize("run", [False, True], ids=["no run", "run open"])
def test_focus_chain_every_stop_named_in_reading_order(qtbot, window, run):
    w = window
    if run:
        with_run(w)
    w.notice.show_notice("Search is rebuilding", url="https://example.org/x")
    w.find_bar.open_bar()
    start = w.features["search_panel"].field
    chain = walk_focus(qtbot, start)
    unnamed = [type(x).__name__ for x in chain if not accessible_name(x).strip()]
    assert not unnamed
    scenarios = w.features["scenario_panel"]
    panel = w.features["checklist_panel"]
    order = [start, w.side_tabs.tabBar(), scenarios.filter_edit, scenarios.view,
             w.notice.copy_button, w.view, w.find_bar.field,
             panel.done_btn if run else panel.slim, w.features["printing"].tool_button]
    positions = [chain.index(x) for x in order]
    assert positions == sorted(positions), [type(x).__name__ for x in chain]
    if run:
        assert {panel.na_btn, panel.skip_btn, panel.undo_btn, panel.note_field} <= set(chain)
    # every button in the window can be named (also the ones Tab does not stop at)
    buttons = [b for b in w.findChildren(QPushButton) if b.isVisible()]
    assert all(accessible_name(b).strip() for b in buttons)


def test_ctrl_tab_switches_side_tabs_and_enter_follows_a_link(qtbot, window):
    w = window
    scenarios = w.features["scenario_panel"]
    scenarios.filter_edit.setFocus()
    qtbot.keyClick(scenarios.filter_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert w.side_tabs.currentWidget() is w.tree
    w.view.setFocus()
    w.find_bar.open_bar()
    qtbot.keyClicks(w.find_bar.field, "Shutdown Procedures")  # a link in the purpose
    w.find_bar.close_bar()  # Esc: back to the document, the cursor on the match
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    assert w.current_path == "shutdown.md"

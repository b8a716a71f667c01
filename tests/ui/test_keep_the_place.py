"""Issue 14 §1–5: the operator never loses their place — driven on the real window with the
bundled library, real key presses and real dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import LAPTOP, ModalAnswers, line_top, top_position, type_and_ok

STEP3 = "step-3-start-redis-and-sentinel"


def start_run(qtbot, w, incident="INC-4711"):
    panel = w.features["checklist_panel"]
    answers = ModalAnswers([type_and_ok("JD"), type_and_ok(incident)])
    try:
        qtbot.mouseClick(panel.slim, Qt.MouseButton.LeftButton)  # open the collapsed panel
        qtbot.mouseClick(panel.new_btn, Qt.MouseButton.LeftButton)
    finally:
        answers.stop()
    return panel, answers


# -- §1 Space never presses a button -------------------------------------------------------
def test_space_after_new_run_resolves_the_item_instead_of_a_second_dialog(qtbot, window):
    w = window
    w.open_runbook("startup.md")
    w.view.setFocus()
    panel, answers = start_run(qtbot, w)
    assert answers.seen == ["Who is working this checklist?", "New run"]
    assert panel.run is not None and panel.run.incident == "INC-4711"
    # the document is the window's focus widget again: it has the keys when the window does
    # (offscreen there is no window manager to re-activate the window after the dialog)
    assert w.focusWidget() is w.view
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view)
    first = w.library.get("startup.md").items[0].id
    late = ModalAnswers([])
    try:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    finally:
        late.stop()
    assert late.seen == []  # no second "New run…" dialog
    assert len(panel.store.open_runs("startup.md")) == 1
    assert panel.state.by_id[first].state == "done"


def test_space_on_a_focused_panel_button_resolves_the_current_item(qtbot, window):
    w = window
    w.open_runbook("startup.md")
    panel, _answers = start_run(qtbot, w)
    items = w.library.get("startup.md").items
    panel.na_btn.setFocus()  # e.g. reached with Tab
    qtbot.keyClick(panel.na_btn, Qt.Key.Key_Space)
    assert panel.state.by_id[items[0].id].state == "done"  # resolved as done, not N/A
    panel.steps.setFocus()
    qtbot.keyClick(panel.steps, Qt.Key.Key_Space)
    assert panel.state.by_id[items[1].id].state == "done"
    panel.note_field.setFocus()  # a text field keeps its space
    qtbot.keyClicks(panel.note_field, "a b")
    assert panel.note_field.text() == "a b"
    assert panel.state.by_id[items[2].id].state == "pending"


# -- §2 zoom and resize keep the line at the top ------------------------------------------
def test_zoom_keeps_the_line_at_the_top(qtbot, window):
    w = window
    w.open_runbook("startup.md", STEP3, terms=["redis"])  # as Enter on a search result does
    assert w.view.verticalScrollBar().value() > 0
    at_top = top_position(w.view)
    for key in (Qt.Key.Key_Plus, Qt.Key.Key_Plus, Qt.Key.Key_Plus, Qt.Key.Key_Minus):
        qtbot.keyClick(w.view, key, Qt.KeyboardModifier.ControlModifier)
        assert abs(line_top(w.view, at_top)) <= 4, f"after Ctrl+{key.name}"
    assert w.zoom == 2
    assert "Step 3" in w.breadcrumbs.text()


def test_resize_keeps_the_line_at_the_top(qtbot, make_window):
    w = make_window(size=(1280, 720), active=True)
    w.open_runbook("startup.md", STEP3)
    at_top = top_position(w.view)
    for size in ((1024, 640), (1440, 900), (900, 600)):
        w.resize(*size)
        qtbot.waitUntil(lambda s=size: w.width() == s[0])
        QApplication.processEvents()
        assert abs(line_top(w.view, at_top)) <= 4, f"at {size}"


# -- §3 the page follows the current item --------------------------------------------------
def test_space_keeps_the_current_item_in_view_and_marked(qtbot, window):
    w = window
    w.open_runbook("startup.md")
    panel, _answers = start_run(qtbot, w)
    for _ in range(14):
        qtbot.keyClick(w.view, Qt.Key.Key_Space)
        current = panel.state.current_item
        assert w.view.anchor_visible(f"item-{current}"), panel.holding.text()
    assert "Step 2" in panel.holding.text()
    # marked: the ▶ marker and the highlight are on the current item's line
    cursor = w.view.cursorForPosition(w.view.anchor_rect(f"item-{current}").center())
    assert cursor.block().text().startswith("▶")


# -- §4 the scenario header describes the page shown ---------------------------------------
def crumbs(w) -> str:
    return w.breadcrumbs.text()


def test_scenario_header_follows_tree_search_and_back(qtbot, window):
    w = window
    scenarios = w.features["scenario_panel"]
    qtbot.keyClicks(scenarios.filter_edit, "ArchonHashChainBroken")
    qtbot.keyClick(scenarios.filter_edit, Qt.Key.Key_Return)
    assert "ArchonHashChainBroken" in crumbs(w)
    scenario_page = w.current_path
    # the Library tree (a real click on the row)
    w.side_tabs.setCurrentWidget(w.tree)
    item = w.tree._find("startup.md")
    rect = w.tree.visualItemRect(item)
    qtbot.mouseClick(w.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_path == "startup.md"
    assert "ArchonHashChainBroken" not in crumbs(w) and "Startup Procedures" in crumbs(w)
    # Alt+← back to the scenario's runbook: the header names that runbook, not Startup
    qtbot.keyClick(w.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.current_path == scenario_page
    assert "Startup" not in crumbs(w)
    # Enter on a search result
    qtbot.keyClicks(scenarios.filter_edit, "")
    search = w.features["search_panel"]
    search.focus_field("redis sentinel")
    qtbot.waitUntil(lambda: search.list.count() > 0, timeout=10000)
    qtbot.keyClick(search.field, Qt.Key.Key_Return)
    hit = search.hits[0]
    assert w.current_path == hit.path
    assert "ArchonHashChainBroken" not in crumbs(w)


# -- §5 after a restart, the open run on another runbook is pointed to ----------------------
def test_restart_points_to_the_open_run_on_another_runbook(qtbot, make_window):
    w = make_window(size=LAPTOP, active=True)
    w.open_runbook("startup.md")
    panel, _answers = start_run(qtbot, w)
    items = w.library.get("startup.md").items
    first_of_step2 = next(n for n, i in enumerate(items) if i.section_anchor.startswith("step-2"))
    for _ in range(first_of_step2):  # prerequisites and step 1 done
        qtbot.keyClick(w.view, Qt.Key.Key_Space)
    assert "Step 2" in panel.holding.text()
    w.open_runbook("recovery.md")
    w.close()
    again = make_window(size=LAPTOP, active=True)
    assert again.current_path == "recovery.md"
    panel2 = again.features["checklist_panel"]
    assert panel2.expanded and panel2.body.isVisible()
    text = panel2.info.text()
    assert "INC-4711" in text and "open on Startup Procedures, Step 2" in text and \
        "resume" in text
    assert "No run yet" not in text
    panel2.info.linkActivated.emit("resume")
    assert again.current_path == "startup.md"
    assert again.view.anchor_visible(f"item-{panel2.state.current_item}")

"""Attach the feature panels (search, scenarios, checklists, printing) to a main window.

Each feature module exposes ``attach(window)``; this is the one list of them.
"""

from __future__ import annotations

import importlib
import itertools

FEATURES: list[str] = ["scenario_panel", "search_panel", "checklist_panel", "command_copy",
                       "printing"]


def attach_all(window) -> None:
    window.features = {}
    for name in FEATURES:
        module = importlib.import_module(f"runbook_viewer.ui.{name}")
        window.features[name] = module.attach(window)
    set_tab_order(window)


def focus_chain(window) -> list:
    """The widgets Tab visits, in reading order: the toolbar's search field, the side panel
    (tabs, then the page shown), notices, the document, find, the checklist panel, printing.
    Hidden ones are skipped by Qt as Tab moves."""
    f = window.features
    chain = [getattr(f.get("search_panel"), "field", None), window.side_tabs.tabBar()]
    scenarios = f.get("scenario_panel")
    if scenarios is not None:
        chain += [scenarios.filter_edit, scenarios.view, scenarios.related_list]
    chain.append(window.tree)
    search = f.get("search_panel")
    if search is not None:
        chain.append(search.list)
    chain += [window.notice.copy_button, window.notice.close_button, window.view,
              window.find_bar.field]
    panel = f.get("checklist_panel")
    if panel is not None:
        values = getattr(panel, "values_box", None)  # ui.command_copy: incident values
        chain += [panel.slim, panel.collapse_btn, panel.run_combo, panel.new_btn, panel.done_btn,
                  panel.na_btn, panel.skip_btn, panel.undo_btn, panel.steps,
                  *(values.edits.values() if values is not None else ()), panel.note_field,
                  panel.run_menu_btn]
    printing = f.get("printing")
    if printing is not None:
        chain.append(printing.tool_button)
    return [w for w in chain if w is not None]


def set_tab_order(window) -> None:
    from PySide6.QtWidgets import QWidget

    chain = focus_chain(window)
    for first, second in itertools.pairwise([*chain, chain[0]]):
        QWidget.setTabOrder(first, second)

"""Attach the feature panels (search, scenarios, checklists, printing) to a main window.

Each feature module exposes ``attach(window)``; this is the one list of them.
"""

from __future__ import annotations

import importlib

FEATURES: list[str] = ["scenario_panel", "search_panel", "checklist_panel", "command_copy",
                       "printing"]


def attach_all(window) -> None:
    window.features = {}
    for name in FEATURES:
        module = importlib.import_module(f"runbook_viewer.ui.{name}")
        window.features[name] = module.attach(window)

"""Panels attach to the main window through its signals and explicit hooks (ui/host.py), never
by replacing a window method or attribute."""

from __future__ import annotations

from PySide6.QtCore import QMetaMethod, Signal, SignalInstance

from runbook_viewer.core.library import load_library
from runbook_viewer.ui.app import build_window
from runbook_viewer.ui.main_window import MainWindow

RUNBOOK = ("# Restart\n\n## Procedure\n\n### Step 1: Do it\n\n- [ ] Ping redis\n\n"
           "```bash\nredis-cli ping\n```\n")


def _lib(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "redis.md").write_text(RUNBOOK)
    return root


def test_links_without_a_panel_say_the_feature_is_missing(qtbot, tmp_path):
    w = MainWindow(load_library(_lib(tmp_path)))
    qtbot.add_widget(w)
    w.open_runbook("redis.md")
    w.follow_link("check:0123456789ab")
    assert w.statusBar().currentMessage() == "Checklists are not available."
    w.follow_link("copy:0")
    assert w.statusBar().currentMessage() == "Copying commands is not available."


def test_panels_connect_to_signals_and_register_providers(qtbot, tmp_path):
    w = build_window(str(_lib(tmp_path)))
    qtbot.add_widget(w)
    w.show()
    w.open_runbook("redis.md")
    for name in ("checkLinkActivated", "copyLinkActivated"):
        assert isinstance(getattr(MainWindow, name), Signal)
        assert isinstance(getattr(w, name), SignalInstance)  # not replaced on the instance
        assert w.isSignalConnected(QMetaMethod.fromSignal(getattr(w, name)))
    assert not {"state_provider", "values_provider"} & set(vars(w))
    panel = w.features["checklist_panel"]
    assert panel.host is w and panel.window() is w  # QWidget.window() is Qt's again
    panel.store.set_operator("JD")
    rb = w.library.get("redis.md")
    w.follow_link(f"check:{rb.items[0].id}")  # the signal reaches the panel: a tick
    assert panel.state is not None and panel.state.by_id[rb.items[0].id].state == "done"
    assert "☑" in w.view.toPlainText()  # the page drawn with the registered state provider


def test_a_built_window_has_everything_the_host_protocol_promises(qtbot, tmp_path):
    from runbook_viewer.ui.host import Host

    w = build_window(str(_lib(tmp_path)))
    qtbot.add_widget(w)
    promised = set(Host.__annotations__) | {
        name for name in vars(Host) if not name.startswith("_")}
    assert {"library", "view", "menus", "checkLinkActivated", "set_state_provider"} <= promised
    missing = sorted(name for name in promised if not hasattr(w, name))
    assert missing == []  # mypy checks the types; this, that they are there at run time

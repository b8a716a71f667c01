"""Two windows on one state folder, and a state folder that cannot be written, in the window:
each window shows the other's ticks live; a click on a stale view never overwrites the other's
change; nothing is ever shown as saved when it was not; imported text is never markup."""

from __future__ import annotations

import sqlite3

import pytest
from ui_helpers import open_window

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.checklist import database as database_mod
from runbook_viewer.core.library import load_library
from runbook_viewer.ui import checklist_live

RUNBOOK = """\
# Restart Redis

## Procedure

### Step 1: Check

- [ ] Ping redis
- [ ] Read the log
- [ ] Restart it
"""


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "redis.md").write_text(RUNBOOK, encoding="utf-8")
    return root


def redis_window(qtbot, lib_dir):
    """One of several windows on the same library, each with redis.md open."""
    w = open_window(qtbot, lib_dir, runbook="redis.md")
    panel = w.features["checklist_panel"]
    panel.poll_timer.stop()  # the tests poll by hand (the timer does it every second)
    panel.ask_text = lambda *a, **k: "JD"
    return w, panel


def test_each_window_shows_the_others_ticks_live(qtbot, lib_dir):
    a, pa = redis_window(qtbot, lib_dir)
    b, pb = redis_window(qtbot, lib_dir)
    rb = a.library.get("redis.md")
    a.view.linkActivated.emit(f"check:{rb.items[0].id}")
    assert pa.state.by_id[rb.items[0].id].state == "done"
    checklist_live.poll(pb)
    assert pb.run is not None and pb.run.run_id == pa.run.run_id
    assert pb.state.by_id[rb.items[0].id].state == "done"
    assert "☑" in b.view.toPlainText()
    checklist_live.poll(pb)  # nothing new: no redraw needed
    assert pb.store.changed() is False


def test_a_click_on_a_stale_view_never_overwrites_the_other_window(qtbot, lib_dir):
    a, pa = redis_window(qtbot, lib_dir)
    b, pb = redis_window(qtbot, lib_dir)
    rb = a.library.get("redis.md")
    x = rb.items[0].id
    a.view.linkActivated.emit(f"check:{x}")  # A: done (and B has seen it)
    checklist_live.poll(pb)
    a.view.linkActivated.emit(f"check:{x}")  # A: back to pending; B has not polled yet
    assert pa.state.by_id[x].state == "pending"
    pb.set_state(x, "na")  # B, 209 ms later, on a view that still shows "done"
    assert pb.state.by_id[x].state == "pending"  # refused; B now shows what A did
    assert "another window" in b.notice.text() and "Not saved" in b.notice.text()
    with ChecklistStore() as store:
        assert store.run_state(pa.run.run_id, rb).by_id[x].state == "pending"
    pb.set_state(x, "na")  # now B's view is current: its click is saved
    assert pb.state.by_id[x].state == "na"


def test_a_state_folder_that_cannot_be_written(qtbot, lib_dir, monkeypatch):
    """The runs recorded there are shown; ticks are kept in this window and marked NOT
    saved, and the file is left as it was."""
    rb = load_library(lib_dir).get("redis.md")
    with ChecklistStore() as store:
        store.set_operator("jd")
        run = store.start_run(rb)
        store.set_item(run.run_id, rb.items[0], "done")
        path = store.path
    before = path.read_bytes()
    real_connect = database_mod.connect

    def read_only(target):
        if str(target) != ":memory:":
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(target)

    monkeypatch.setattr(database_mod, "connect", read_only)
    w, panel = redis_window(qtbot, lib_dir)
    assert "can be read but not written" in w.notice.text() and str(path) in w.notice.text()
    assert panel.run.run_id == run.run_id and panel.state.resolved == 1  # shown as recorded
    assert "Nothing can be saved" in panel.info.text()
    w.view.linkActivated.emit(f"check:{rb.items[1].id}")
    assert panel.state.resolved == 2  # kept for this window…
    assert "NOT saved" in panel.saved.text() and "Saved ✓" not in panel.saved.text()
    assert path.read_bytes() == before  # …and nothing written


def test_imported_text_is_never_markup_in_the_panel(qtbot, lib_dir):
    rb = load_library(lib_dir).get("redis.md")
    with ChecklistStore() as store:
        store.start_run(rb, operator="<img src='/etc/passwd'>", incident="<b>INC</b>\x1b[2J")
    _w, panel = redis_window(qtbot, lib_dir)
    info = panel.info.text()
    assert "&lt;img" in info and "<img" not in info and "&lt;b&gt;INC" in info
    assert "\x1b" not in info



def test_window_settings_survive_a_home_that_is_a_file(tmp_path, monkeypatch, qapp):
    """The settings file cannot be created: read if present, not saved — never a traceback
    at start."""
    from runbook_viewer.ui.app import make_settings

    home = tmp_path / "home"
    home.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("RUNBOOK_VIEWER_HOME", str(home))
    settings = make_settings()
    settings.setValue("geometry", "x")
    settings.sync()
    assert home.read_text(encoding="utf-8").startswith("a file")

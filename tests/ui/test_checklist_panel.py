"""Checklist flows in the window: tick, Space, skip with reason, constitutional confirmation,
resume after restart."""

from __future__ import annotations

import pytest
from ui_helpers import open_window

from runbook_viewer.core.checklist import ChecklistStore

RUNBOOK = """\
# Restart Redis

## Procedure

### Step 1: Check

🔵 **OPERATIONAL**

- [ ] Ping redis
- [ ] Read the log

### Step 2: Protect the chain

🔴 **CONSTITUTIONAL** — FR1

- [ ] Verify the chain
- [ ] Record the head
"""


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "redis.md").write_text(RUNBOOK)
    return root


class Answers:
    """Scripted answers for the panel's dialogs."""

    def __init__(self, texts=(), confirms=()):
        self.texts, self.confirms = list(texts), list(confirms)
        self.asked = []

    def install(self, panel):
        panel.ask_text = self.text
        panel.ask_reason = self.text
        panel.ask_confirm = self.confirm

    def text(self, title, label, text=""):
        self.asked.append(title)
        return self.texts.pop(0) if self.texts else None

    def confirm(self, title, text):
        self.asked.append(title)
        return self.confirms.pop(0) if self.confirms else False


def make(qtbot, lib_dir):
    w = open_window(qtbot, lib_dir, runbook="redis.md")
    return w, w.features["checklist_panel"]


def test_click_a_box_asks_operator_once_and_saves(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    answers = Answers(texts=["JD"])
    answers.install(panel)
    rb = w.library.get("redis.md")
    w.view.linkActivated.emit(f"check:{rb.items[0].id}")
    assert answers.asked == ["Who is working this checklist?"]
    assert panel.state.by_id[rb.items[0].id].state == "done"
    assert "☑" in w.view.toPlainText()
    assert panel.saved.text().startswith("Saved ✓")
    # saved durably: a fresh store on the same DB sees it
    store = ChecklistStore()
    run = store.open_runs("redis.md")[0]
    assert store.run_state(run.run_id, rb).by_id[rb.items[0].id].state == "done"
    assert run.operator == "JD"
    # a second click on the same box undoes it; no more questions
    w.view.linkActivated.emit(f"check:{rb.items[0].id}")
    assert panel.state.by_id[rb.items[0].id].state == "pending"
    assert answers.asked == ["Who is working this checklist?"]


def test_space_resolves_current_item_and_placekeeping_moves(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    Answers(texts=["JD"]).install(panel)
    rb = w.library.get("redis.md")
    w.view.setFocus()
    qtbot.keyClick(w.view, " ")
    assert panel.state.current_item == rb.items[1].id
    assert "Step 1: Check, item 2 of 2" in panel.holding.text()
    qtbot.keyClick(w.view, " ")
    assert "Step 2" in panel.holding.text()


def test_skip_needs_reason_and_constitutional_needs_confirmation(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    rb = w.library.get("redis.md")
    Answers(texts=["JD"]).install(panel)
    panel.ensure_run()
    # skip without a reason: nothing recorded
    Answers(texts=[None]).install(panel)
    assert panel.set_state(rb.items[0].id, "skipped") is False
    assert panel.state.by_id[rb.items[0].id].state == "pending"
    Answers(texts=["redis is down anyway"]).install(panel)
    assert panel.set_state(rb.items[0].id, "skipped")
    item = panel.state.by_id[rb.items[0].id]
    assert (item.state, item.reason) == ("skipped", "redis is down anyway")
    # constitutional: reason given but confirmation refused -> not recorded
    answers = Answers(texts=["no time"], confirms=[False])
    answers.install(panel)
    assert panel.set_state(rb.items[2].id, "skipped") is False
    assert answers.asked == ["Reason required", "Constitutional item"]
    assert panel.state.by_id[rb.items[2].id].state == "pending"
    Answers(texts=["chain verified by keeper on paper"], confirms=[True]).install(panel)
    assert panel.set_state(rb.items[2].id, "skipped")
    assert panel.state.by_id[rb.items[2].id].state == "skipped"


def test_complete_only_when_every_item_resolved(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    rb = w.library.get("redis.md")
    Answers(texts=["JD", "head recorded by the keeper"], confirms=[True]).install(panel)
    for item in rb.items[:-1]:
        panel.set_state(item.id, "done")
    assert "COMPLETE" not in panel.info.text()
    assert panel.set_state(rb.items[-1].id, "na")  # constitutional: reason + confirmation
    assert "COMPLETE" in panel.info.text()


def test_resume_after_restart_holds_at_the_same_item(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    rb = w.library.get("redis.md")
    Answers(texts=["JD"]).install(panel)
    panel.set_state(rb.items[0].id, "done")
    panel.set_state(rb.items[1].id, "done")
    panel.note_field.setText("redis-01 was OOM")
    panel.add_note()
    w.close()
    again = open_window(qtbot, lib_dir)
    panel2 = again.features["checklist_panel"]
    assert again.current_path == "redis.md"
    assert panel2.state.current_item == rb.items[2].id
    assert "Holding at Step 2: Protect the chain, item 1 of 2" in panel2.holding.text()
    assert "☑" in again.view.toPlainText() and "▶" in again.view.toPlainText()
    notes = panel2.state.notes
    assert any(n.text == "redis-01 was OOM" for ns in notes.values() for n in ns)


def test_runbook_changed_mid_run_is_shown(qtbot, lib_dir):
    w, panel = make(qtbot, lib_dir)
    rb = w.library.get("redis.md")
    Answers(texts=["JD"]).install(panel)
    panel.set_state(rb.items[1].id, "done")
    w.close()
    (lib_dir / "redis.md").write_text(RUNBOOK.replace("- [ ] Read the log\n", "")
                                      .replace("Ping redis", "Ping redis-01"))
    again = open_window(qtbot, lib_dir, show=False)
    again.open_runbook("redis.md")
    panel2 = again.features["checklist_panel"]
    assert panel2.state.changed_since_start
    assert "changed since this run started" in panel2.info.text()
    assert "Read the log" in panel2.info.text()  # the orphan is listed, not dropped
    assert "changed since the run started" in again.view.toPlainText()


def test_panel_is_a_slim_bar_without_a_run_and_opens_with_one(qtbot, lib_dir):
    (lib_dir / "notes.md").write_text("# Notes\n\nNo checklist here.\n")
    w, panel = make(qtbot, lib_dir)
    assert not panel.expanded and panel.slim.isVisible() and not panel.body.isVisible()
    assert panel.width() < 60
    assert "no run" in panel.slim.text()
    Answers(texts=["JD"]).install(panel)
    w.view.setFocus()
    qtbot.keyClick(w.view, " ")  # Space starts a run: the panel opens
    assert panel.expanded and panel.body.isVisible() and not panel.slim.isVisible()
    assert panel.width() >= 180
    w.open_runbook("notes.md")  # a run is open (elsewhere): stays open, points to it
    assert panel.expanded
    assert "open on Restart Redis" in panel.info.text()

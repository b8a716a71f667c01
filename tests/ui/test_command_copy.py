"""Copy in one action, incident values filled in, every copy on the record (issue 15): what the
clipboard holds after a click or Ctrl+Shift+C, the timeline event, the values box."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.commands import commands_of

RUNBOOK = """\
# Payments API

## Procedure

### Step 1: Look

- [ ] List the pods with `kubectl -n <namespace> get pods` and `kubectl top pods`
- [ ] Read the log:

  ```console
  $ kubectl -n <namespace> logs deploy/api --since=10m \\
  >   | grep -i 'ünïcödé ✓'
  2026-11-27 ünïcödé ✓ error
  $ echo done
  done
  ```

### Step 2: Restart

- [ ] Restart with `kubectl -n <namespace> rollout restart deploy/<app>`
- [ ] Tell the channel: `echo "restarted <app>"`
"""


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "api.md").write_text(RUNBOOK, encoding="utf-8")
    return root


class Answers:
    def __init__(self, unfilled=(), values=(), texts=("JD",)):
        self.unfilled, self.values, self.texts = list(unfilled), list(values), list(texts)
        self.asked: list[tuple[str, str]] = []
        self.told: list[str] = []

    def install(self, window):
        copier = window.features["command_copy"]
        panel = window.features["checklist_panel"]
        copier.ask_unfilled = lambda cmd, names: self._pop("unfilled", self.unfilled,
                                                             ",".join(names))
        copier.ask_value = lambda name, problem="": self._pop("value", self.values,
                                                              f"{name}|{problem}")
        copier.tell = lambda title, text: self.told.append(f"{title}: {text}")
        panel.ask_text = lambda title, label, text="": self._pop("text", self.texts, title)
        panel.tell = lambda title, text: self.told.append(f"{title}: {text}")

    def _pop(self, kind, answers, what):
        self.asked.append((kind, what))
        return answers.pop(0) if answers else None


def make(qtbot, lib_dir, answers=None):
    w = open_window(qtbot, lib_dir, runbook="api.md")
    (answers or Answers()).install(w)
    return w, w.features["checklist_panel"], w.library.get("api.md")


def clipboard() -> str:
    return QApplication.clipboard().text()


def key_of(rb, text_start: str) -> str:
    return next(c.key for c in commands_of(rb) if c.text.startswith(text_start))


def click(w, key):
    w.view.linkActivated.emit(f"copy:{key}")


def test_every_command_on_the_page_has_its_copy_link(qtbot, lib_dir):
    w, _panel, rb = make(qtbot, lib_dir)
    html = w.view.toHtml()
    for cmd in commands_of(rb):
        assert f"copy:{cmd.key}" in html
    assert "❐" in w.view.toPlainText()


def test_a_session_block_copies_commands_without_prompts_or_output(qtbot, lib_dir):
    answers = Answers(unfilled=["fill"], values=["payments"])
    w, panel, rb = make(qtbot, lib_dir, answers)
    QApplication.clipboard().setText("before")
    click(w, key_of(rb, "kubectl -n <namespace> logs"))
    assert clipboard() == ("kubectl -n payments logs deploy/api --since=10m \\\n"
                           "  | grep -i 'ünïcödé ✓'\necho done")
    assert ("unfilled", "namespace") in answers.asked
    assert w.statusBar().currentMessage().startswith("Copied ✓ 3 lines")
    assert "output lines left out" in w.statusBar().currentMessage()
    # the value was recorded for the run and the page now shows it
    assert {k: v.value for k, v in panel.state.values.items()} == {"namespace": "payments"}
    assert "kubectl -n payments get pods" in w.view.toPlainText()


def test_the_copy_is_on_the_record(qtbot, lib_dir):
    answers = Answers(unfilled=["fill"], values=["payments"])
    w, _panel, rb = make(qtbot, lib_dir, answers)
    click(w, key_of(rb, "kubectl -n <namespace> get pods"))
    assert clipboard() == "kubectl -n payments get pods"
    assert "recorded in the run" in w.statusBar().currentMessage()
    store = ChecklistStore()  # a fresh connection: durable
    run = store.open_runs("api.md")[0]
    copy = [e for e in store.timeline(run.run_id) if e.kind == "copy"]
    assert len(copy) == 1 and copy[0].operator == "JD" and copy[0].ts
    assert copy[0].item_id == rb.items[0].id and copy[0].step_anchor == "step-1-look"
    assert copy[0].payload["command"] == "kubectl -n payments get pods"
    assert "Copied command from Step 1: Look" in copy[0].describe()


def test_no_run_copies_but_says_it_is_not_recorded(qtbot, lib_dir):
    w, panel, rb = make(qtbot, lib_dir)
    click(w, key_of(rb, "kubectl top pods"))
    assert clipboard() == "kubectl top pods"
    assert "not recorded: no open checklist run" in w.statusBar().currentMessage()
    assert panel.run is None


def test_unfilled_placeholder_warns_copy_as_written_or_cancel(qtbot, lib_dir):
    answers = Answers(unfilled=[None, "as-is"])
    w, _panel, rb = make(qtbot, lib_dir, answers)
    QApplication.clipboard().setText("before")
    key = key_of(rb, "kubectl -n <namespace> rollout")
    click(w, key)
    assert clipboard() == "before" and w.statusBar().currentMessage() == "Not copied."
    click(w, key)
    assert clipboard() == "kubectl -n <namespace> rollout restart deploy/<app>"
    assert "⚠ <namespace>, <app> not filled in" in w.statusBar().currentMessage()


def test_a_refused_value_is_asked_again_with_the_reason(qtbot, lib_dir):
    answers = Answers(unfilled=["fill"], values=["api; reboot", "api`id`", "api v2"])
    w, panel, rb = make(qtbot, lib_dir, answers)
    panel.ensure_run()
    panel.values_box.save("namespace", "payments")
    click(w, key_of(rb, "kubectl -n <namespace> rollout"))
    problems = [what for kind, what in answers.asked if kind == "value"]
    assert problems[0] == "app|"
    assert "“;” starts a second command" in problems[1] and "backtick" in problems[2]
    assert clipboard() == "kubectl -n payments rollout restart deploy/'api v2'"
    assert "value of <app> quoted for the shell" in w.statusBar().currentMessage()


def test_a_value_that_cannot_go_where_the_placeholder_is_is_never_copied(qtbot, lib_dir):
    answers = Answers()
    w, panel, rb = make(qtbot, lib_dir, answers)
    panel.ensure_run()
    assert panel.values_box.save("app", "$HOME")  # fine outside quotes (it gets quoted) …
    QApplication.clipboard().setText("before")
    click(w, key_of(rb, 'echo "restarted'))  # … but inside "…" the shell would expand it
    assert clipboard() == "before"
    assert "inside \"…\"" in answers.told[-1] and "the shell expands it" in answers.told[-1]
    assert w.statusBar().currentMessage().startswith("Not copied")


def test_ctrl_shift_c_copies_the_current_items_command_then_its_next(qtbot, lib_dir):
    w, panel, rb = make(qtbot, lib_dir, Answers(unfilled=["fill"], values=["payments"]))
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(w.view.hasFocus)
    qtbot.keyClick(w.view, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert clipboard() == "kubectl -n payments get pods"
    assert "command 1 of 2 of the item" in w.statusBar().currentMessage()
    w.copy_command_action.trigger()
    assert clipboard() == "kubectl top pods"
    # the item is done: the current item moves on, and so does Ctrl+Shift+C
    panel.set_state(rb.items[0].id, "done")
    w.copy_command_action.trigger()
    assert clipboard().startswith("kubectl -n payments logs deploy/api")


def type_value(qtbot, box, name, text):
    edit = box.edits[name]
    edit.setFocus()
    edit.setText(text)
    edit.editingFinished.emit()  # Enter, or the focus leaving the field


def test_the_values_box_lists_placeholders_and_refuses_bad_values(qtbot, lib_dir):
    answers = Answers()
    w, panel, _rb = make(qtbot, lib_dir, answers)
    box = panel.values_box
    panel.set_expanded(True)  # no run yet: the panel is a slim bar until opened
    assert box.isVisible() and list(box.edits) == ["namespace", "app"]
    assert box.edits["app"].accessibleName() == "Value of <app>"
    assert box.title.text() == "Incident values (0/2)"
    type_value(qtbot, box, "namespace", "pay; reboot")  # refused, nothing saved
    qtbot.waitUntil(lambda: "starts a second command" in box.message.text())
    assert panel.state.values == {} and box.edits["namespace"].text() == ""
    assert answers.told and answers.told[-1].startswith("Not saved")
    type_value(qtbot, box, "namespace", "payments")
    qtbot.waitUntil(lambda: "namespace" in panel.state.values)
    assert panel.state.values["namespace"].value == "payments"
    assert box.title.text() == "Incident values (1/2)" and not box.message.isVisible()
    assert "kubectl -n payments rollout restart" in w.view.toPlainText()
    type_value(qtbot, box, "namespace", "")  # cleared
    qtbot.waitUntil(lambda: panel.state.values == {})
    assert "kubectl -n <namespace> rollout restart" in w.view.toPlainText()

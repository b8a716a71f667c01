"""Copy a command in one action: a ``❐ Copy`` link on the page, or Ctrl+Shift+C for the current
checklist item's command. Exactly the command goes on the clipboard (core.commands: no prompt,
no output, no trailing newline) with the run's incident values in (core.values: a value that
would change the command is refused with the reason, or quoted and said so); a placeholder
not filled in yet is asked for first. Every copy is recorded in the open run's timeline, and
the status bar says "Copied ✓".

Dialogs go through small ``ask_*`` methods so tests can answer them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QClipboard, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from ..core.checklist import ChecklistError
from ..core.checklist.describe import short_command
from ..core.commands import Command, by_key, item_commands
from ..core.placeholders import display
from ..core.values import Filled, ValueRefused, check_value, fill

if TYPE_CHECKING:
    from .checklist_panel import ChecklistPanel
    from .host import Host

COPY_KEY = "Ctrl+Shift+C"
SHOWN_MS = 8000


class CommandCopier:
    def __init__(self, window: Host, panel: ChecklistPanel):
        self.host, self.panel = window, panel
        self.last: tuple[str, int] | None = None  # (item id, index) of the last Ctrl+Shift+C

    # -- dialogs (tests replace these) ---------------------------------------------------
    def ask_unfilled(self, cmd: Command, names: list[str]) -> str | None:
        """'fill', 'as-is' or None (cancel) for a command with placeholders not filled in."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Placeholder not filled in",
                          f"This command still has {', '.join(display(n) for n in names)}:\n\n"
                          f"{short_command(cmd.text)}\n\nFill in the value now? It is kept "
                          "for this run and put into every command that uses it.",
                          parent=self.host.window())
        fill_btn = box.addButton("Fill in…", QMessageBox.ButtonRole.AcceptRole)
        as_is = box.addButton("Copy with the placeholder", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(fill_btn)
        box.exec()
        clicked = box.clickedButton()
        return "fill" if clicked is fill_btn else "as-is" if clicked is as_is else None

    def ask_value(self, name: str, problem: str = "") -> str | None:
        label = (f"{problem}\n\n" if problem else "") + f"Value of {display(name)} for this run:"
        value, ok = QInputDialog.getText(self.host.window(), "Incident value", label)
        return value if ok else None

    def tell(self, title: str, text: str) -> None:
        QMessageBox.warning(self.host.window(), title, text)

    # -- entry points --------------------------------------------------------------------
    def runbook(self):
        lib, path = self.host.library, self.host.current_path
        return lib.get(path) if lib and path else None

    def copy_key(self, key: str) -> bool:
        """A ``copy:KEY`` link was clicked."""
        rb = self.runbook()
        cmd = by_key(rb).get(key) if rb is not None else None
        if cmd is None:
            self.status("That command is no longer on this page (the runbook changed); "
                        "nothing was copied.")
            return False
        return self.copy(cmd)

    def copy_current(self) -> bool:
        """Ctrl+Shift+C: the current item's command (pressed again: its next command)."""
        rb = self.runbook()
        state = self.panel.state if self.panel.run is not None else None
        if rb is None or not rb.items:
            self.status("This page has no checklist items; click ❐ Copy on a command.")
            return False
        item_id = state.current_item if state is not None else rb.items[0].id
        if item_id is None:
            self.status("Every item is resolved: no current item. Click ❐ Copy on a command.")
            return False
        cmds = item_commands(rb, item_id)
        if not cmds:
            self.status("The current item has no command; click ❐ Copy on a command.")
            return False
        index = (self.last[1] + 1) % len(cmds) if self.last and self.last[0] == item_id else 0
        self.last = (item_id, index)
        which = f" (command {index + 1} of {len(cmds)} of the item; again: the next)" \
            if len(cmds) > 1 else ""
        return self.copy(cmds[index], which)

    # -- the copy ------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        state = self.panel.state
        if self.panel.run is None or state is None:
            return {}
        return {name: v.value for name, v in state.values.items()}

    def copy(self, cmd: Command, which: str = "") -> bool:
        filled = fill(cmd.text, cmd.placeholders, self.values())
        if filled.refused:
            first = filled.refused[0]
            self.tell("Not copied", f"The value of {display(first.name)} cannot go into this "
                      f"command: {first.reason}.\n\nChange the value in the checklist panel "
                      "(Incident values).")
            self.status(f"Not copied: {first}")
            return False
        if filled.missing:
            answer = self.ask_unfilled(cmd, filled.missing)
            if answer is None:
                self.status("Not copied.")
                return False
            if answer == "fill":
                refilled = self.fill_in(cmd, filled)
                if refilled is None:
                    self.status("Not copied.")
                    return False
                filled = refilled
        self.put(filled.text)
        self.status(self.confirmation(cmd, filled, self.record(cmd, filled)) + which)
        return True

    def fill_in(self, cmd: Command, filled: Filled) -> Filled | None:
        """Ask for each missing value (checked where it goes), record it; the command again."""
        values = self.values()
        for name in filled.missing:
            problem = ""
            while True:
                value = self.ask_value(name, problem)
                if value is None:
                    return None
                try:
                    trial = fill(cmd.text, cmd.placeholders, {**values, name: check_value(value)})
                    refused = next((r for r in trial.refused if r.name == name), None)
                    if refused is not None:
                        raise ValueRefused(refused.reason)
                except ValueRefused as exc:
                    problem = f"Refused: {exc}."
                    continue
                break
            if not self.panel.values_box.save(name, value):
                return None
            values = self.values()
        return fill(cmd.text, cmd.placeholders, self.values())

    @staticmethod
    def put(text: str) -> None:
        clipboard = QApplication.clipboard()
        clipboard.setText(text)
        if clipboard.supportsSelection():  # middle-click paste in a terminal too
            clipboard.setText(text, QClipboard.Mode.Selection)

    def record(self, cmd: Command, filled: Filled) -> str:
        """Record the copy in the open run; what to say about it."""
        run = self.panel.run
        if run is None or not run.is_open:
            return "not recorded: no open checklist run"
        try:
            event = self.panel.store.record_copy(run, cmd, filled, self.runbook())
        except ChecklistError as exc:
            return f"NOT recorded: {exc}"
        self.panel.last_saved = event.ts
        self.panel.refresh(rerender=False)
        return "recorded in the run" if self.panel.store.persistent else \
            "kept in this window only (NOT saved)"

    @staticmethod
    def confirmation(cmd: Command, filled: Filled, recorded: str) -> str:
        lines = filled.text.count("\n") + 1
        what = f"{lines} lines" if lines > 1 else short_command(filled.text, 60)
        extra = []
        if filled.quoted:
            extra.append("value of " + ", ".join(display(n) for n in filled.quoted)
                         + " quoted for the shell")
        if filled.missing:
            extra.append("⚠ " + ", ".join(display(n) for n in filled.missing)
                         + " not filled in")
        if cmd.output_lines:
            extra.append("output lines left out")
        return f"Copied ✓ {what}" + "".join(f" — {e}" for e in extra) + f" — {recorded}"

    def status(self, text: str) -> None:
        self.host.statusBar().showMessage(text, SHOWN_MS)


def attach(window: Host) -> CommandCopier:
    from .incident_values import IncidentValues

    panel = window.features["checklist_panel"]
    copier = CommandCopier(window, panel)
    window.copyLinkActivated.connect(copier.copy_key)
    action = QAction("Copy the current item's co&mmand", window.window())
    action.setShortcut(QKeySequence(COPY_KEY))
    action.setToolTip(f"Copy the current checklist item's command, without prompt or output "
                        f"and with the run's values in ({COPY_KEY}; again: its next command)")
    action.triggered.connect(lambda _checked=False: copier.copy_current())
    menus = getattr(window, "menus", {})
    for name in ("edit", "checklist"):
        if name in menus:
            menus[name].addAction(action)
    if not menus:  # a window without a menu bar still has the key
        window.addAction(action)
    window.copy_command_action = action
    panel.values_box = IncidentValues(panel)
    window.set_values_provider(lambda path: copier.values() if panel.run is not None and
                               panel.run.runbook_path == path else {})
    if window.current_path:
        window.rerender()
    return copier

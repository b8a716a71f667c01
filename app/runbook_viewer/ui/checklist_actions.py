"""What the checklist panel does: runs, ticks, notes — the store does the work.

A mixin of :class:`~runbook_viewer.ui.checklist_panel.ChecklistPanel`. The store
(core.checklist) is durable when a call returns; this only asks the operator for what the store
needs (name, reasons, confirmations) through small ``ask_*`` methods that tests can answer.
After a dialog, the keyboard focus goes back to the document, so Space keeps resolving items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox

from ..core.checklist import (
    DONE,
    NA,
    PENDING,
    SKIPPED,
    ChecklistError,
    StaleState,
)
from ..core.glyphs import font_safe, label_text
from ..core.model import Label
from .run_dialogs import ReasonDialog, RunsDialog, export_run_dialog, import_run_dialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QLineEdit

    from ..core.checklist import ChecklistStore, Run, RunState
    from ..core.model import Runbook
    from .host import Host

    _Panel = QDockWidget  # mixed into ChecklistPanel, a dock widget
else:
    _Panel = object


class ChecklistActions(_Panel):
    # what the panel has (checklist_panel.ChecklistPanel)
    host: Host
    store: ChecklistStore
    run: Run | None
    state: RunState | None
    last_saved: str | None
    note_field: QLineEdit

    if TYPE_CHECKING:
        @property
        def runbook(self) -> Runbook | None: ...
        def reload(self) -> None: ...
        def refresh(self, rerender: bool = True, reread: bool = True) -> None: ...
    # -- dialogs (tests replace these) ---------------------------------------------------
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.host.window(), title, label, text=text)
        self.back_to_document()
        return value.strip() if ok else None

    def ask_reason(self, title: str, label: str) -> str | None:
        dialog = ReasonDialog(self.host.window(), title, label)
        accepted = dialog.exec() == ReasonDialog.DialogCode.Accepted
        self.back_to_document()
        return dialog.reason() if accepted else None

    def ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.warning(
            self.host.window(), title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        self.back_to_document()
        return answer == QMessageBox.StandardButton.Yes

    def tell(self, title: str, text: str) -> None:
        self.host.notice.show_notice(text if text.startswith(title) else f"{title}: {text}")

    def back_to_document(self) -> None:
        """Keyboard focus to the document (after a dialog or a button). The window asks to be
        active again too: without a window manager nobody else re-activates it."""
        if not self.host.isActiveWindow() and self.host.isVisible():
            self.host.activateWindow()
        self.host.view.setFocus()

    # -- runs ----------------------------------------------------------------------------
    def operator(self) -> str | None:
        name = self.store.get_operator()
        if name:
            return name
        name = self.ask_text("Who is working this checklist?",
                             "Your name or initials (recorded with every tick):")
        if not name:
            return None
        return self.store.set_operator(name)

    def new_run(self) -> bool:
        rb = self.runbook
        if rb is None or not rb.items:
            self.tell("No checklist", "this page has no checklist items")
            return False
        operator = self.operator()
        if operator is None:
            return False
        incident = self.ask_text("New run", "Incident reference (optional):")
        if incident is None:
            return False
        self.store.start_run(rb, operator=operator, incident=incident or None)
        self.reload()
        return True

    def ensure_run(self) -> bool:
        if self.run is not None and self.run.is_open:
            return True
        rb = self.runbook
        if rb is None or not rb.items:
            return False
        operator = self.operator()
        if operator is None:
            return False
        self.store.start_run(rb, operator=operator)
        self.reload()
        return True

    def close_run(self) -> None:
        if self.run is None:
            return
        if self.state and not self.state.complete and not self.ask_confirm(
                "Close run", "Not every item is resolved. Close the run anyway?"):
            return
        self.store.close_run(self.run)
        self.reload()

    def reset_run(self) -> None:
        if self.run is None or not self.ask_confirm(
                "Reset run", "Set every item back to pending? (The history is kept.)"):
            return
        self.store.reset_run(self.run)
        self.refresh()

    def browse_runs(self) -> None:
        dialog = RunsDialog(self, self.store)
        dialog.finished.connect(lambda _r: self.back_to_document())
        dialog.open()

    def export_run(self) -> None:
        if self.run is not None:
            export_run_dialog(self, self.store, self.run, self.runbook)
            self.back_to_document()

    def import_run(self) -> None:
        import_run_dialog(self, self.store)
        self.back_to_document()

    # -- ticking -------------------------------------------------------------------------
    def toggle(self, item_id: str) -> None:
        """A click on a box: pending → done, anything else → pending."""
        if not self.ensure_run():
            return
        current = self.state.by_id.get(item_id) if self.state else None
        self.set_state(item_id, PENDING if current and current.state != PENDING else DONE)

    def resolve_current(self, state: str) -> bool:
        """Space / Done / N/A / Skip: resolve the item the operator holds at, then bring the
        next one into view (the page follows the operator)."""
        if not self.ensure_run() or self.state is None or not self.state.current_item:
            return False
        done = self.set_state(self.state.current_item, state)
        if done:
            self.follow_current()
        return done

    def follow_current(self) -> None:
        current = self.state.current_item if self.state is not None else None
        if current and self.run is not None and self.run.runbook_path == \
                self.host.current_path:
            self.host.view.reveal_anchor(f"item-{current}")

    def set_state(self, item_id: str, state: str) -> bool:
        if not self.ensure_run():
            return False
        item = self.state.by_id.get(item_id) if self.state else None
        reason, confirm = None, False
        constitutional = item is not None and item.label is Label.CONSTITUTIONAL
        if state == SKIPPED or (state == NA and constitutional):
            reason = self.ask_reason("Reason required", f"Why is this item "
                                     f"{'skipped' if state == SKIPPED else 'not applicable'}?\n"
                                     f"{font_safe(item.text) if item else item_id}")
            if not reason:
                return False
        if constitutional and state in (SKIPPED, NA):
            confirm = self.ask_confirm(
                "Constitutional item",
                f"{label_text('constitutional')} item: it protects a governance guarantee.\n\n"
                f"{font_safe(item.text if item else item_id)}\n\nRecord it as {state} with the "
                f"reason “{reason}”?")
            if not confirm:
                return False
        if self.run is None:  # ensure_run() made one
            return False
        try:  # "expected": never overwrite a change made in another window since it was shown
            event = self.store.set_item(self.run, item_id, state, reason=reason,
                                        confirm_constitutional=confirm, runbook=self.runbook,
                                        expected=item.state if item is not None else None)
        except ChecklistError as exc:  # reason, confirmation, stale view, nothing savable…
            self.tell("Not saved", str(exc))
            if isinstance(exc, StaleState):
                self.refresh()  # show what the other window did
            return False
        self.last_saved = event.ts
        self.refresh()
        return True

    def undo_last(self) -> None:
        if self.run is None or self.state is None:
            return
        touched = [i for i in self.state.items if i.state != PENDING and i.ts]
        if touched:
            last = max(touched, key=lambda i: i.ts or "")
            if self.set_state(last.item_id, PENDING):
                self.follow_current()

    def add_note(self) -> None:
        text = self.note_field.text().strip()
        if not text or not self.ensure_run() or self.run is None:
            return
        holding = self.state.holding if self.state else None
        anchor = holding.step_anchor if holding else (self.state.steps[-1].anchor
                                                      if self.state and self.state.steps else "")
        try:
            event = self.store.add_note(self.run, anchor, text)
        except ChecklistError as exc:
            self.tell("Note not saved", str(exc))
            return
        self.note_field.clear()
        self.last_saved = event.ts
        self.refresh()

    # the shortcuts: Space (document / panel), Alt+N, Alt+S, Ctrl+Z
    def done_current(self) -> None:
        self.resolve_current(DONE)

    def na_current(self) -> None:
        self.resolve_current(NA)

    def skip_current(self) -> None:
        self.resolve_current(SKIPPED)

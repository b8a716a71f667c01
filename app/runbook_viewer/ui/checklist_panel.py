"""Checklists in the window: tick items in the document, placekeeping, runs, notes.

The store (core.checklist) does all the work and is durable when a call returns; this panel only
asks the operator for what the store needs (name, reasons, confirmations) and shows the result.
Dialogs go through small ``ask_*`` methods so tests can answer them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.checklist import (
    DONE,
    NA,
    PENDING,
    SKIPPED,
    ChecklistError,
    ChecklistStore,
    StaleState,
    format_ts,
)
from ..core.model import Label
from ..core.palette import palette
from ..core.textsafe import safe_html
from .checklist_live import saved_label, unsaved_line, watch
from .run_dialogs import RunsDialog, export_run_dialog, import_run_dialog
from .theme import is_dark


class ChecklistPanel(QDockWidget):
    def __init__(self, window, store: ChecklistStore):
        super().__init__("Checklist", window)
        self.setObjectName("checklist")
        self.window = window
        self.store = store
        self.run = None
        self.loaded_path: str | None = None
        self.state = None
        self.last_saved: str | None = None
        body = QWidget()
        col = QVBoxLayout(body)
        row = QHBoxLayout()
        self.run_combo = QComboBox()
        self.run_combo.currentIndexChanged.connect(self._run_chosen)
        new_btn = QPushButton("New run…")
        new_btn.clicked.connect(self.new_run)
        row.addWidget(self.run_combo, 1)
        row.addWidget(new_btn)
        col.addLayout(row)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.info)
        self.holding = QLabel()
        self.holding.setWordWrap(True)
        self.holding.setStyleSheet("font-weight: bold;")
        col.addWidget(self.holding)
        actions = QHBoxLayout()
        self.done_btn = QPushButton("Done (Space)")
        self.na_btn = QPushButton("N/A")
        self.skip_btn = QPushButton("Skip…")
        self.undo_btn = QPushButton("Undo")
        for b in (self.done_btn, self.na_btn, self.skip_btn, self.undo_btn):
            actions.addWidget(b)
        self.done_btn.clicked.connect(lambda: self.resolve_current(DONE))
        self.na_btn.clicked.connect(lambda: self.resolve_current(NA))
        self.skip_btn.clicked.connect(lambda: self.resolve_current(SKIPPED))
        self.undo_btn.clicked.connect(self.undo_last)
        col.addLayout(actions)
        self.steps = QListWidget()
        self.steps.itemActivated.connect(self._step_clicked)
        self.steps.itemClicked.connect(self._step_clicked)
        col.addWidget(self.steps, 1)
        self.note_field = QLineEdit()
        self.note_field.setPlaceholderText("Note on the current step (Enter to save)")
        self.note_field.returnPressed.connect(self.add_note)
        col.addWidget(self.note_field)
        manage = QHBoxLayout()
        for text, slot in (("Close run", self.close_run), ("Reset", self.reset_run),
                           ("Runs…", self.browse_runs), ("Export…", self.export_run),
                           ("Import…", self.import_run)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            manage.addWidget(b)
        col.addLayout(manage)
        self.saved = QLabel()
        col.addWidget(self.saved)
        self.setWidget(body)

    # -- dialogs (tests replace these) ---------------------------------------------------
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.window, title, label, text=text)
        return value.strip() if ok else None

    def ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.warning(
            self.window, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def tell(self, title: str, text: str) -> None:
        self.window.notice.show_notice(text if text.startswith(title) else f"{title}: {text}")

    # -- helpers -------------------------------------------------------------------------
    @property
    def runbook(self):
        lib, path = self.window.library, self.window.current_path
        return lib.get(path) if lib and path else None

    def operator(self) -> str | None:
        name = self.store.get_operator()
        if name:
            return name
        name = self.ask_text("Who is working this checklist?",
                             "Your name or initials (recorded with every tick):")
        if not name:
            return None
        return self.store.set_operator(name)

    def state_for(self, path: str):
        """(states, current item, banner) for rendering ``path`` — loads its run first, so the
        document is drawn once, with its checklist state."""
        self._load(path)
        if self.run is None or self.run.runbook_path != path or self.state is None:
            return None, None, None
        banner = None
        if self.state.changed_since_start:
            gone = len(self.state.orphans)
            banner = ("This runbook changed since the run started; items are matched by their "
                      "ids or text" + (f"; {gone} recorded item(s) no longer exist" if gone
                                       else "") + ".")
        return self.state.states, self.state.current_item, banner

    # -- runs ----------------------------------------------------------------------------
    def _load(self, path: str | None, force: bool = False) -> None:
        """Make ``path``'s newest open run the current one (once per runbook shown)."""
        if path == self.loaded_path and not force:
            return
        self.loaded_path = path
        lib = self.window.library
        runs = self.store.open_runs(path) if lib is not None and path and lib.get(path) else []
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run in runs:
            self.run_combo.addItem(f"{run.display_title} · {format_ts(run.started_at)}",
                                   run.run_id)
        self.run_combo.blockSignals(False)
        self.run = runs[0] if runs else None
        self.state = self.store.run_state(self.run.run_id, lib.get(path)) if self.run else None

    def reload(self) -> None:
        """After runs changed (new, closed, imported): re-read them and redraw."""
        self._load(self.window.current_path, force=True)
        self.refresh()

    def on_document(self, path: str, anchor: str) -> None:
        self._load(path)  # usually already done by the render (state_for)
        self.refresh(rerender=False, reread=False)
        rb = self.runbook
        # the panel is there when the page has a checklist (or a run); otherwise the document
        # gets the room — the toolbar's "Checklist" action still opens it (runs, import)
        visible = bool(rb is not None and rb.items) or self.run is not None
        if visible != self.isVisible():
            self.setVisible(visible)
            self.window.layout().activate()  # the view's new width before scrolling
            if anchor:
                self.window.view.scrollToAnchor(anchor)
        if self.run is not None and not anchor and self.state and self.state.current_item:
            self.window.view.scrollToAnchor(f"item-{self.state.current_item}")

    def _run_chosen(self, index: int) -> None:
        run_id = self.run_combo.itemData(index)
        if run_id:
            self.run = self.store.get_run(run_id)
            self.refresh()

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
        if rb is None:
            return False
        operator = self.operator()
        if operator is None:
            return False
        self.store.start_run(rb, operator=operator)
        self.reload()
        return True

    # -- ticking -------------------------------------------------------------------------
    def toggle(self, item_id: str) -> None:
        """A click on a box: pending → done, anything else → pending."""
        if not self.ensure_run():
            return
        current = self.state.by_id.get(item_id) if self.state else None
        self.set_state(item_id, PENDING if current and current.state != PENDING else DONE)

    def resolve_current(self, state: str) -> None:
        if not self.ensure_run() or self.state is None or not self.state.current_item:
            return
        self.set_state(self.state.current_item, state)

    def set_state(self, item_id: str, state: str) -> bool:
        if not self.ensure_run():
            return False
        item = self.state.by_id.get(item_id) if self.state else None
        reason, confirm = None, False
        constitutional = item is not None and item.label is Label.CONSTITUTIONAL
        if state == SKIPPED or (state == NA and constitutional):
            reason = self.ask_text("Reason required", f"Why is this item "
                                   f"{'skipped' if state == SKIPPED else 'not applicable'}?\n"
                                   f"{item.text if item else item_id}")
            if not reason:
                return False
        if constitutional and state in (SKIPPED, NA):
            confirm = self.ask_confirm(
                "Constitutional item",
                "🔴 This is a CONSTITUTIONAL item: it protects a governance guarantee.\n\n"
                f"{item.text}\n\nRecord it as {state} with the reason “{reason}”?")
            if not confirm:
                return False
        try:  # "expected": never overwrite a change made in another window since it was shown
            event = self.store.set_item(self.run.run_id, item_id, state, reason=reason,
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
            last = max(touched, key=lambda i: i.ts)
            self.set_state(last.item_id, PENDING)

    def add_note(self) -> None:
        text = self.note_field.text().strip()
        if not text or not self.ensure_run():
            return
        holding = self.state.holding if self.state else None
        anchor = holding.step_anchor if holding else (self.state.steps[-1].anchor
                                                      if self.state and self.state.steps else "")
        try:
            event = self.store.add_note(self.run.run_id, anchor, text)
        except ChecklistError as exc:
            self.tell("Note not saved", str(exc))
            return
        self.note_field.clear()
        self.last_saved = event.ts
        self.refresh()

    def close_run(self) -> None:
        if self.run is None:
            return
        if self.state and not self.state.complete and not self.ask_confirm(
                "Close run", "Not every item is resolved. Close the run anyway?"):
            return
        self.store.close_run(self.run.run_id)
        self.reload()

    def reset_run(self) -> None:
        if self.run is None or not self.ask_confirm(
                "Reset run", "Set every item back to pending? (The history is kept.)"):
            return
        self.store.reset_run(self.run.run_id)
        self.refresh()

    def browse_runs(self) -> None:
        RunsDialog(self, self.store).open()

    def export_run(self) -> None:
        if self.run is not None:
            export_run_dialog(self, self.store, self.run, self.runbook)

    def import_run(self) -> None:
        import_run_dialog(self, self.store)

    # -- display -------------------------------------------------------------------------
    def refresh(self, rerender: bool = True, reread: bool = True) -> None:
        """Show the run's state in the panel (re-read from the store unless ``reread`` is
        False) and, unless ``rerender`` is False, redraw the document's boxes."""
        self.steps.clear()
        rb = self.runbook
        if reread:
            self.run = self.store.get_run(self.run.run_id) if self.run is not None else None
            self.state = self.store.run_state(self.run.run_id, rb) if self.run else None
        self._show_info(rb)
        if rerender:
            self.window.rerender()

    def _show_info(self, rb) -> None:
        enabled = self.state is not None and self.state.is_open
        for b in (self.na_btn, self.skip_btn, self.undo_btn):
            b.setEnabled(enabled)
        self.done_btn.setEnabled(rb is not None and bool(rb.items))
        if self.state is None:
            self.info.setText("No run yet. Tick a box (or press Space) to start one."
                              if rb is not None and rb.items else "This page has no checklist.")
            self.holding.setText("")
            self.saved.setText("")
            return
        s, run = self.state, self.run
        pal = palette(is_dark())
        lines = [f"<b>{safe_html(run.display_title)}</b>", f"Operator: {safe_html(run.operator)}"
                 f" · started {format_ts(run.started_at)}",
                 f"{s.resolved} of {s.total} items resolved", *unsaved_line(self.store, pal)]
        if s.complete:
            lines.append(f"<b style='color:{pal.ok}'>✔ COMPLETE — every item resolved</b>")
        if not s.is_open:
            lines.append(f"Closed {format_ts(s.closed_at)}")
        if s.changed_since_start:
            lines.append(f"<b style='color:{pal.warning}'>⚠ Runbook changed since this run started"
                         "</b>")
        for orphan in s.orphans:
            lines.append(f"<span style='color:{pal.warning}'>Item no longer in the runbook: "
                         f"{safe_html(orphan.text)} ({orphan.state})</span>")
        self.info.setText("<br>".join(lines))
        holding = s.holding
        self.holding.setText(str(holding)[:1].upper() + str(holding)[1:] if holding else
                             ("All items resolved." if s.complete else ""))
        for step in s.steps:
            mark = "✔" if step.complete else "▶" if holding and holding.step_anchor == \
                step.anchor else " "
            notes = s.notes.get(step.anchor, [])
            text = f"{mark} {step.title} — {step.resolved}/{step.total}"
            if notes:
                text += f" · {len(notes)} note(s)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, step.anchor)
            if notes:
                item.setToolTip("\n".join(f"{format_ts(n.ts)} {n.operator}: {n.text}"
                                          for n in notes))
            self.steps.addItem(item)
        if self.last_saved:
            self.saved.setText(saved_label(self.store, self.last_saved))

    def _step_clicked(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole)
        if anchor:
            self.window.view.scrollToAnchor(anchor)


def attach(window) -> ChecklistPanel:
    store = ChecklistStore(volatile_writes=True)  # unsavable: kept here, shown as NOT saved
    panel = ChecklistPanel(window, store)
    panel.poll_timer = watch(panel)  # other windows' ticks live; deleted files re-persisted
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.setMinimumWidth(260)
    QTimer.singleShot(0, lambda: window.resizeDocks([panel], [300], Qt.Orientation.Horizontal))
    window.state_provider = panel.state_for
    window.checkLinkActivated = panel.toggle
    window.documentShown.connect(panel.on_document)
    window.view.spacePressed.connect(lambda: panel.resolve_current(DONE))
    toggle = panel.toggleViewAction()
    toggle.setText("Checklist")
    toggle.setToolTip("Show or hide the checklist panel (runs, notes, import)")
    window.toolbar.addAction(toggle)
    if store.recovery_notice:
        window.notice.show_notice(store.recovery_notice)
    if window.current_path:  # drawn before the panel existed: redraw with its state
        panel.reload()
        panel.on_document(window.current_path, "")
    return panel

"""Dialogs around checklist runs: a reason, browse past and open runs, export, import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ..core.checklist import ChecklistError, export_run, format_ts, import_run
from ..core.glyphs import font_safe
from ..core.palette import palette
from .theme import is_dark

if TYPE_CHECKING:
    from ..core.checklist import ChecklistStore, Run
    from ..core.model import Runbook
    from .checklist_actions import ChecklistActions

REASON_MISSING = "A reason is required: it is recorded with the item."


class ReasonDialog(QDialog):
    """Asks why an item is skipped / not applicable. OK with an empty reason says that a
    reason is required and keeps the dialog open (nothing is recorded without one)."""

    def __init__(self, parent, title: str, label: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        col = QVBoxLayout(self)
        prompt = QLabel(font_safe(label))
        prompt.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setAccessibleName("Reason")
        prompt.setBuddy(self.field)
        self.error = QLabel("")
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(f"color: {palette(is_dark()).warning}; font-weight: bold;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda _t: self.error.hide())
        for widget in (prompt, self.field, self.error, self.buttons):
            col.addWidget(widget)
        self.resize(460, self.sizeHint().height())

    def reason(self) -> str:
        return self.field.text().strip()

    def accept(self) -> None:
        if not self.reason():
            self.error.setText(REASON_MISSING)
            self.error.show()
            self.field.setFocus()
            return
        super().accept()


class RunsDialog(QDialog):
    """Every run, newest first; open one (switches to its runbook) or export it."""

    def __init__(self, panel: ChecklistActions, store: ChecklistStore):
        super().__init__(panel.host.window())
        self.setWindowTitle("Checklist runs")
        self.resize(640, 420)
        self.panel, self.store = panel, store
        col = QVBoxLayout(self)
        self.list = QListWidget()
        for run in store.runs():
            status = "open" if run.is_open else f"closed {format_ts(run.closed_at)}"
            state = store.run_state(run)
            item = QListWidgetItem(
                f"{run.runbook_title} — {run.display_title}\n"
                f"   {run.short_id} · {run.operator} · started {format_ts(run.started_at)} · "
                f"{status} · {state.resolved}/{state.total} resolved")
            item.setData(Qt.ItemDataRole.UserRole, run.run_id)
            self.list.addItem(item)
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        col.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        open_btn = QPushButton("Open")
        export_btn = QPushButton("Export…")
        buttons.addButton(open_btn, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(export_btn, QDialogButtonBox.ButtonRole.ActionRole)
        open_btn.clicked.connect(self.open_selected)
        export_btn.clicked.connect(self.export_selected)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def selected_run(self):
        item = self.list.currentItem()
        return self.store.get_run(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def open_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        window = self.panel.host
        if window.library is None or window.library.get(run.runbook_path) is None:
            window.notice.show_notice(f"The run's runbook {run.runbook_path} is not in this "
                                      "library; export the run to read its record.")
            return
        window.open_runbook(run.runbook_path)
        self.panel.run = run
        self.panel.refresh()
        self.accept()

    def export_selected(self) -> None:
        run = self.selected_run()
        if run is not None:
            export_run_dialog(self.panel, self.store, run, None)


def export_run_dialog(panel: ChecklistActions, store: ChecklistStore, run: Run,
                      runbook: Runbook | None) -> Path | None:
    name = f"run-{run.short_id}.md"
    path, chosen = QFileDialog.getSaveFileName(
        panel.host.window(), "Export run", str(Path.home() / name),
        "Markdown timeline (*.md);;Handover file for another viewer (*.json)")
    if not path:
        return None
    fmt = "json" if path.endswith(".json") or "json" in chosen else "md"
    try:
        out = export_run(store, run, path, fmt=fmt, runbook=runbook)
    except (OSError, ChecklistError) as exc:
        panel.tell("Export failed", str(exc))
        return None
    panel.host.statusBar().showMessage(f"Run exported to {out}", 10000)
    return out


def import_run_dialog(panel: ChecklistActions, store: ChecklistStore) -> None:
    path, _ = QFileDialog.getOpenFileName(panel.host.window(), "Import a run (handover file)",
                                          str(Path.home()), "Run handover (*.json)")
    if not path:
        return
    try:
        result = import_run(store, path)
    except (OSError, ChecklistError) as exc:
        panel.tell("Import failed", str(exc))
        return
    panel.host.statusBar().showMessage(
        f"Imported run {result.run.short_id}: {result.added} new event(s)", 10000)
    panel.reload()



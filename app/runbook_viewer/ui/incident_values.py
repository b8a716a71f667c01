"""The checklist panel's "Incident values": the runbook's placeholders, each filled once per run.

A value is checked when it is typed (core.values.check_value: a newline, ``;``, ``|``, ``&``,
a backtick, ``$(``, an unclosed quote… are refused with the reason, and nothing is saved) and
recorded as an event of the run (core.checklist: durable like a tick). The page then shows and
copies every command with the value in. Filling a value starts a run when there is none, as a
tick does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.checklist import ChecklistError
from ..core.commands import commands_of, placeholder_names
from ..core.palette import palette
from ..core.placeholders import display
from ..core.textsafe import clean_line
from .theme import is_dark

ROWS_SHOWN = 4  # rows visible without scrolling (the steps list keeps its room)


class IncidentValues(QGroupBox):
    def __init__(self, panel):
        super().__init__("Incident values")
        self.panel = panel
        self.setObjectName("incident-values")
        self.setAccessibleName("Incident values: the runbook's placeholders, filled once per run")
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Placeholder", "Value"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.
                                                           ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAccessibleName("Placeholders and their values (type to fill one in)")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it)
        self.table.setMinimumWidth(0)
        self.table.itemChanged.connect(self._edited)
        col.addWidget(self.table)
        self.message = QLabel()
        self.message.setWordWrap(True)
        col.addWidget(self.message)
        layout = panel.note_field.parentWidget().layout()
        layout.insertWidget(layout.indexOf(panel.note_field), self)
        panel.on_refresh.append(self.refresh)
        self._filling = False
        self.refresh()

    # -- display -------------------------------------------------------------------------
    def refresh(self) -> None:
        rb = self.panel.runbook
        names = placeholder_names(rb) if rb is not None else []
        self.setVisible(bool(names))
        if not names:
            return
        state = self.panel.state if self.panel.run is not None else None
        values = state.values if state is not None else {}
        uses = {n: sum(1 for c in commands_of(rb) if n in c.names) for n in names}
        self._filling = True
        try:
            self.table.setRowCount(len(names))
            for row, name in enumerate(names):
                label = QTableWidgetItem(display(name))
                label.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                label.setData(Qt.ItemDataRole.UserRole, name)
                label.setToolTip(f"Used in {uses[name]} command(s) of this runbook")
                value = values.get(name)
                cell = QTableWidgetItem(value.value if value else "")
                cell.setToolTip(f"Set {value.ts[:19].replace('T', ' ')} UTC by "
                                f"{value.operator}" if value else "Not filled in: type it")
                self.table.setItem(row, 0, label)
                self.table.setItem(row, 1, cell)
        finally:
            self._filling = False
        filled = sum(1 for n in names if n in values)
        self.setTitle(f"Incident values ({filled}/{len(names)})")  # narrow: the panel is
        self.setToolTip(f"{filled} of {len(names)} placeholders filled in for this run")
        rows = min(len(names), ROWS_SHOWN)
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + \
            sum(self.table.rowHeight(r) for r in range(rows))
        self.table.setFixedHeight(height)

    def _edited(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() != 1:
            return
        name = self.table.item(cell.row(), 0).data(Qt.ItemDataRole.UserRole)
        state = self.panel.state if self.panel.run is not None else None
        old = state.values.get(name) if state is not None else None
        text = cell.text()
        if text.strip() == (old.value if old else ""):
            return
        # after the edit has finished: saving redraws the table, which replaces this cell
        QTimer.singleShot(0, lambda: self.save(name, text))

    def save(self, name: str, value: str) -> bool:
        """Record ``value`` (empty: clear) for this run; False, with the reason shown, if it
        was refused or could not be saved."""
        pal = palette(is_dark())
        if not self.panel.ensure_run():
            self.refresh()
            return False
        try:
            self.panel.store.set_value(self.panel.run.run_id, name, value or None)
        except ChecklistError as exc:
            self.message.setText(clean_line(str(exc)))
            self.message.setStyleSheet(f"color: {pal.warning};")
            self.panel.tell("Not saved", str(exc))
            self.panel.refresh(rerender=False)
            return False
        self.message.setText("")
        self.panel.refresh()  # the page shows the commands with the new value
        return True

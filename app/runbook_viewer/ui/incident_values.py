"""The checklist panel's "Incident values": the runbook's placeholders, each filled once per run.

A value is checked when it is typed (core.values.check_value: a newline, ``;``, ``|``, ``&``,
a backtick, ``$(``, an unclosed quote… are refused with the reason, and nothing is saved) and
recorded as an event of the run (core.checklist: durable like a tick). The page then shows and
copies every command with the value in. Filling a value starts a run when there is none, as a
tick does.

The panel is narrow (a fifth of the window): each placeholder is a line of its own with its
field under it, in a scrolling area a few entries high.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ..core.checklist import ChecklistError
from ..core.commands import commands_of, placeholder_names
from ..core.palette import palette
from ..core.placeholders import display
from ..core.textsafe import clean_line
from .theme import is_dark

ROWS_SHOWN = 3  # entries visible without scrolling (the steps list keeps its room)


class IncidentValues(QWidget):
    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.setObjectName("incident-values")
        self.setAccessibleName("Incident values: the runbook's placeholders, filled once per run")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 4, 0, 0)
        col.setSpacing(2)
        self.title = QLabel()
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        col.addWidget(self.title)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops at the fields
        self.form = QWidget()
        self.rows = QVBoxLayout(self.form)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(1)
        self.area.setWidget(self.form)
        col.addWidget(self.area)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        col.addWidget(self.message)
        self.names: list[str] = []
        self.edits: dict[str, QLineEdit] = {}
        layout = panel.note_field.parentWidget().layout()
        layout.insertWidget(layout.indexOf(panel.note_field), self)
        panel.on_refresh.append(self.refresh)
        self.refresh()

    # -- display -------------------------------------------------------------------------
    def _rebuild(self, names: list[str]) -> None:
        while self.rows.count():
            taken = self.rows.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.names, self.edits = names, {}
        for name in names:
            label = QLabel(display(name))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            edit = QLineEdit()
            edit.setPlaceholderText("not filled in")
            edit.setAccessibleName(f"Value of {display(name)}")
            edit.editingFinished.connect(lambda n=name: self._finished(n))
            label.setBuddy(edit)
            self.rows.addWidget(label)
            self.rows.addWidget(edit)
            self.edits[name] = edit
        self.rows.addStretch(1)

    def refresh(self) -> None:
        rb = self.panel.runbook
        names = placeholder_names(rb) if rb is not None else []
        self.setVisible(bool(names))
        if names != self.names:
            self._rebuild(names)
        if not names:
            return
        values = self.values()
        uses = {n: sum(1 for c in commands_of(rb) if n in c.names) for n in names}
        for name, edit in self.edits.items():
            value = values.get(name)
            if not edit.hasFocus():  # never overwrite what is being typed
                edit.setText(value.value if value else "")
                edit.setCursorPosition(0)
            when = (f"; set {value.ts[:19].replace('T', ' ')} UTC by {value.operator}"
                    if value else "")
            edit.setToolTip(f"{display(name)}: used in {uses[name]} command(s){when}")
        filled = sum(1 for n in names if n in values)
        self.title.setText(f"Incident values ({filled}/{len(names)})")
        self.title.setToolTip(f"{filled} of {len(names)} placeholders filled in for this run; "
                              "the page shows and copies the commands with them in")
        first = self.rows.itemAt(0)
        label = first.widget() if first is not None else None
        entry = self.edits[names[0]].sizeHint().height() + \
            (label.sizeHint().height() if label is not None else 0) + 2
        self.area.setFixedHeight(min(len(names), ROWS_SHOWN) * entry)

    def values(self) -> dict:
        state = self.panel.state if self.panel.run is not None else None
        return state.values if state is not None else {}

    def _finished(self, name: str) -> None:
        edit = self.edits.get(name)
        if edit is None:
            return
        text = edit.text()
        old = self.values().get(name)
        if text.strip() == (old.value if old else ""):
            return
        # after the edit has finished: saving redraws the panel (and the page)
        QTimer.singleShot(0, lambda: self.save(name, text))

    def save(self, name: str, value: str) -> bool:
        """Record ``value`` (empty: clear) for this run; False, with the reason shown, if it
        was refused or could not be saved."""
        if not self.panel.ensure_run():
            self.refresh()
            return False
        try:
            self.panel.store.set_value(self.panel.run, name, value or None)
        except ChecklistError as exc:
            self.message.setText(clean_line(str(exc)))
            self.message.setStyleSheet(f"color: {palette(is_dark()).warning};")
            self.message.setVisible(True)
            self.panel.tell("Not saved", str(exc))
            edit = self.edits.get(name)
            if edit is not None:
                edit.clearFocus()
            self.panel.refresh(rerender=False)
            return False
        self.message.setText("")
        self.message.setVisible(False)
        self.panel.refresh()  # the page shows the commands with the new value
        return True

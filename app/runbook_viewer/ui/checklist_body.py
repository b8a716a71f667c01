"""The checklist panel's open body: header, runs, where the operator holds, the resolve
buttons (each with its key on it), steps, note field and the run menu.

Buttons never take the keyboard focus with a click (the focus stays in the document, where Space
resolves the current item) and give the focus back to the document when done.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: (attribute, button text, shortcut, slot name)
RESOLVE = (("done_btn", "✔ Done", "Space", "done_current"),
           ("na_btn", "N/A", "Alt+N", "na_current"),
           ("skip_btn", "Skip…", "Alt+S", "skip_current"),
           ("undo_btn", "Undo", "Ctrl+Z", "undo_last"))


def _button(panel, text: str, slot, name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the focus where it is
    button.setAccessibleName(name or text.rstrip("…"))
    button.clicked.connect(lambda _c=False: (slot(), panel.back_to_document()))
    return button


def build_body(panel) -> QWidget:
    """The open panel's widgets, kept as attributes of ``panel``."""
    body = QWidget()
    col = QVBoxLayout(body)
    col.setContentsMargins(6, 4, 6, 4)
    head = QHBoxLayout()
    title = QLabel("<b>Checklist</b>")
    panel.collapse_btn = QToolButton()
    panel.collapse_btn.setText("⇥")
    panel.collapse_btn.setToolTip("Collapse the checklist panel (F9)")
    panel.collapse_btn.setAccessibleName("Collapse the checklist panel")
    panel.collapse_btn.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    panel.collapse_btn.clicked.connect(lambda: panel.set_expanded(False, remember=True))
    head.addWidget(title, 1)
    head.addWidget(panel.collapse_btn)
    col.addLayout(head)
    runs = QHBoxLayout()
    panel.run_combo = QComboBox()
    panel.run_combo.setAccessibleName("Open runs of this runbook")
    panel.run_combo.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    panel.run_combo.setSizeAdjustPolicy(
        QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    panel.run_combo.setMinimumContentsLength(4)
    panel.run_combo.currentIndexChanged.connect(panel._run_chosen)
    panel.new_btn = _button(panel, "New run…", panel.new_run, "New run")
    runs.addWidget(panel.run_combo, 1)
    runs.addWidget(panel.new_btn)
    col.addLayout(runs)
    panel.info = QLabel()
    panel.info.setWordWrap(True)
    panel.info.setTextFormat(Qt.TextFormat.RichText)
    panel.info.setAccessibleName("Run")
    panel.info.linkActivated.connect(panel._link)
    col.addWidget(panel.info)
    panel.holding = QLabel()
    panel.holding.setWordWrap(True)
    panel.holding.setAccessibleName("Holding at")
    bold = QFont(panel.holding.font())
    bold.setBold(True)
    panel.holding.setFont(bold)
    col.addWidget(panel.holding)
    grid = QGridLayout()
    grid.setSpacing(4)
    for n, (attr, text, keys, slot) in enumerate(RESOLVE):
        button = _button(panel, f"{text}\n{keys}", getattr(panel, slot), text.strip("✔ …"))
        button.setToolTip(f"{text.strip('✔ ')} the current item ({keys})")
        setattr(panel, attr, button)
        grid.addWidget(button, n // 2, n % 2)
    col.addLayout(grid)
    panel.steps = QListWidget()
    panel.steps.setAccessibleName("Steps and their progress")
    panel.steps.setWordWrap(True)
    panel.steps.itemActivated.connect(panel._step_clicked)
    panel.steps.itemClicked.connect(panel._step_clicked)
    col.addWidget(panel.steps, 1)
    panel.note_field = QLineEdit()
    panel.note_field.setPlaceholderText("Note on the current step (Enter)")
    panel.note_field.setAccessibleName("Note on the current step")
    panel.note_field.returnPressed.connect(panel.add_note)
    col.addWidget(panel.note_field)
    bottom = QHBoxLayout()
    panel.run_menu_btn = QToolButton()
    panel.run_menu_btn.setText("Run ▾")
    panel.run_menu_btn.setAccessibleName("Run actions")
    panel.run_menu_btn.setToolTip("Close, reset, browse, export or import runs")
    panel.run_menu_btn.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    panel.run_menu_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(panel.run_menu_btn)
    panel.run_actions = {}
    for key, text, slot in (("close", "Close run", panel.close_run),
                            ("reset", "Reset run…", panel.reset_run),
                            ("runs", "All runs…", panel.browse_runs),
                            ("export", "Export run…", panel.export_run),
                            ("import", "Import a run…", panel.import_run)):
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False, s=slot: (s(), panel.back_to_document()))
        panel.run_actions[key] = action
    panel.run_menu_btn.setMenu(menu)
    panel.saved = QLabel()
    panel.saved.setWordWrap(True)
    panel.saved.setAccessibleName("Saved")
    bottom.addWidget(panel.run_menu_btn)
    bottom.addWidget(panel.saved, 1)
    col.addLayout(bottom)
    return body

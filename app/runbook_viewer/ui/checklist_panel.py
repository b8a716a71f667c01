"""Checklists in the window: tick items in the document, placekeeping, runs, notes.

The panel sits on the right. With no run open it collapses to a slim bar (the document gets
the room; the operator's choice to keep it open or closed is remembered); with a run open it
shows where the operator holds, the steps, notes and the run's actions. When the page shown has
no run but another runbook has one open (after a restart, say), it points there: "INC-4711
open on Startup Procedures, Step 2 — resume". What it does is in :mod:`checklist_actions`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QWidget,
)

from ..core.checklist import ChecklistStore, Run, RunReport, RunState, format_ts
from ..core.glyphs import font_safe
from ..core.palette import palette
from ..core.textsafe import safe_html
from .checklist_actions import ChecklistActions
from .checklist_bar import FoldState, PanelKeys, SlimBar
from .checklist_body import RESOLVE, build_body
from .checklist_live import saved_label, unsaved_line, watch
from .theme import is_dark

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from ..core.model import Runbook
    from .host import Host, PageState
    from .incident_values import IncidentValues

WIDEST = 320
NARROWEST = 200


def panel_width(window_width: int) -> int:
    """The open panel's width for a window this wide (the document keeps ≥ 55 %)."""
    return max(NARROWEST, min(WIDEST, round(window_width * 0.2)))


class ChecklistPanel(ChecklistActions, QDockWidget):
    # built by checklist_body.build_body / _add_actions / attach / command_copy
    collapse_btn: QToolButton
    run_combo: QComboBox
    new_btn: QPushButton
    done_btn: QPushButton
    na_btn: QPushButton
    skip_btn: QPushButton
    undo_btn: QPushButton
    info: QLabel
    holding: QLabel
    steps: QListWidget
    run_menu_btn: QToolButton
    run_actions: dict[str, QAction]
    saved: QLabel
    resolve_actions: dict[str, QAction]  # Checklist menu: done/na/skip/undo the current item
    toggle_action: QAction
    poll_timer: QTimer
    values_box: IncidentValues

    def __init__(self, window: Host, store: ChecklistStore):
        super().__init__("Checklist", window.window())
        self.setObjectName("checklist")
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.setTitleBarWidget(QWidget())  # the header is inside (title, collapse button)
        self.host = window
        self.store = store
        self.run: Run | None = None
        self.loaded_path: str | None = None
        self.state: RunState | None = None
        self.last_saved: str | None = None
        self.on_refresh: list[Callable[[], None]] = []  # after each refresh (incident values)
        self.elsewhere: tuple[Run, RunState] | None = None  # an open run on another runbook
        self.fold = FoldState(window.settings)
        self.expanded = True
        self.target_width = WIDEST
        self.keys = PanelKeys(self.done_current, self)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.slim = SlimBar()
        self.slim.clicked.connect(lambda: self.set_expanded(True, remember=True))
        self.body = build_body(self)
        row.addWidget(self.slim)
        row.addWidget(self.body, 1)
        self.setWidget(holder)
        self.keys.watch(self, self.slim, *self.body.findChildren(QWidget))

    # -- helpers -------------------------------------------------------------------------
    @property
    def runbook(self) -> Runbook | None:
        lib, path = self.host.library, self.host.current_path
        return lib.get(path) if lib and path else None

    def state_for(self, path: str) -> PageState:
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

    def _load(self, path: str | None, force: bool = False) -> None:
        """Make ``path``'s newest open run the current one (once per runbook shown)."""
        if path == self.loaded_path and not force:
            return
        self.loaded_path = path
        lib = self.host.library
        rb = lib.get(path) if lib is not None and path else None
        runs = self.store.open_runs(path) if rb is not None else []
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run in runs:
            self.run_combo.addItem(font_safe(f"{run.display_title} · "
                                             f"{format_ts(run.started_at)}"), run.run_id)
        self.run_combo.blockSignals(False)
        self.run = runs[0] if runs else None
        self.state = self.store.run_state(self.run, rb) if self.run else None

    def open_elsewhere(self) -> tuple[Run, RunState] | None:
        """(run, state) of the newest open run on another runbook of this library, or None."""
        lib, path = self.host.library, self.host.current_path
        if lib is None:
            return None
        for run in self.store.open_runs():
            rb = lib.get(run.runbook_path)
            if run.runbook_path != path and rb is not None:
                return run, self.store.run_state(run, rb)
        return None

    def reload(self) -> None:
        """After runs changed (new, closed, imported): re-read them and redraw."""
        self._load(self.host.current_path, force=True)
        self.refresh()
        self.fit()

    def on_document(self, path: str, anchor: str) -> None:
        self._load(path)  # usually already done by the render (state_for)
        self.refresh(rerender=False, reread=False)
        self.fit(anchor)
        if self.run is not None and not anchor and self.state and self.state.current_item:
            self.host.view.scrollToAnchor(f"item-{self.state.current_item}")

    def _run_chosen(self, index: int) -> None:
        run_id = self.run_combo.itemData(index)
        if run_id:
            self.run = self.store.get_run(run_id)
            self.refresh()

    def _link(self, href: str) -> None:
        if href == "resume" and self.elsewhere is not None:
            self.host.open_runbook(self.elsewhere[0].runbook_path)
            self.back_to_document()

    def _step_clicked(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole)
        if anchor:
            self.host.view.scrollToAnchor(anchor)

    # -- open or collapsed ---------------------------------------------------------------
    def run_open(self) -> bool:
        return (self.run is not None and self.run.is_open) or self.elsewhere is not None

    def set_expanded(self, expanded: bool, remember: bool = False, anchor: str = "") -> None:
        if remember:
            self.fold.remember(self.run_open(), expanded)
        self.expanded = expanded
        self.body.setVisible(expanded)
        self.slim.setVisible(not expanded)
        self.toggle_action.setChecked(expanded)
        self.setMaximumWidth(16777215 if expanded else self.slim.sizeHint().width())
        self.fit_width(self.host.width())
        self.host.fit_panels()
        _activate(self.host)  # the view's new width before scrolling
        if anchor:
            self.host.view.scrollToAnchor(anchor)
        focus = QApplication.focusWidget()
        if not expanded and focus is not None and self.body.isAncestorOf(focus):
            self.back_to_document()

    def fit(self, anchor: str = "") -> None:
        """Open or collapse as the operator chose for this situation (run open or not)."""
        want = self.fold.is_open(self.run_open())
        if want != self.expanded:
            self.set_expanded(want, anchor=anchor)

    def fit_width(self, window_width: int) -> int:
        """Resize to the width for this window; returns it (the window fits the rest)."""
        width = panel_width(window_width) if self.expanded else self.slim.sizeHint().width()
        self.target_width = width
        self.updateGeometry()
        _activate(self.host)  # the dock's new minimum first (slim ↔ open)
        self.host.resizeDocks([self], [width], Qt.Orientation.Horizontal)
        return width

    def sizeHint(self) -> QSize:
        """The fitted width: the main window re-lays its docks out by their size hints when
        their content changes (a longer label must not take the document's room)."""
        hint = super().sizeHint()
        return QSize(max(self.target_width, self.minimumSizeHint().width()), hint.height())

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.slim.updateGeometry()

    # -- display -------------------------------------------------------------------------
    def refresh(self, rerender: bool = True, reread: bool = True) -> None:
        """Show the run's state in the panel (re-read from the store unless ``reread`` is
        False) and, unless ``rerender`` is False, redraw the document's boxes."""
        self.steps.clear()
        rb = self.runbook
        if reread:
            self.run = self.store.get_run(self.run.run_id) if self.run is not None else None
            self.state = self.store.run_state(self.run, rb) if self.run else None
        self.elsewhere = self.open_elsewhere() if self.state is None else None
        self._show_info(rb)
        for hook in self.on_refresh:
            hook()
        if rerender:
            self.host.rerender()

    def _elsewhere_html(self, run: Run, state: RunState) -> str:
        lib = self.host.library
        rb = lib.get(run.runbook_path) if lib is not None else None
        holding = state.holding
        where = ""
        if holding is not None:
            where = f", Step {holding.step_number}" if holding.step_number else \
                f", {holding.step_title}"
        name = run.incident or run.display_title
        title = rb.title if rb is not None else run.runbook_path
        return font_safe(f"<b>{html.escape(name)}</b> open on {html.escape(title)}"
                         f"{html.escape(where)} — <a href='resume'>resume</a>")

    def _show_info(self, rb: Runbook | None) -> None:
        enabled = self.state is not None and self.state.is_open
        for b in (self.na_btn, self.skip_btn, self.undo_btn):
            b.setEnabled(enabled)
        has_items = rb is not None and bool(rb.items)
        self.done_btn.setEnabled(has_items)
        self.new_btn.setEnabled(has_items)
        for key in ("close", "reset", "export"):
            self.run_actions[key].setEnabled(self.run is not None)
        if self.state is None:
            here = ("No run on this page yet. Tick a box (or press Space) to start one."
                    if has_items else "This page has no checklist.")
            if self.elsewhere is not None:
                self.info.setText(f"{self._elsewhere_html(*self.elsewhere)}<br>"
                                  f"{html.escape(here)}")
                self.slim.setText(f"Checklist — {self.elsewhere[0].incident or 'a run'} open "
                                  "elsewhere")
            else:
                self.info.setText(html.escape(here))
                self.slim.setText("Checklist — no run" if has_items else "Checklist")
            self.holding.setText("")
            self.saved.setText("")
            self._slim_tip()
            return
        report = RunReport.of(self.state)
        self._show_report(self.run or report.run, report)
        self._show_steps(report)
        if self.last_saved:
            self.saved.setText(saved_label(self.store, self.last_saved))
            self.saved.setToolTip(f"Last tick saved durably at {format_ts(self.last_saved)}")

    def _show_report(self, run: Run, report: RunReport) -> None:
        """The run's lines at the top, the slim bar's text and the holding line."""
        pal = palette(is_dark())
        lines = [f"<b>{safe_html(run.display_title)}</b>",
                 f"Operator: {safe_html(run.operator)} · started {format_ts(run.started_at)}",
                 f"{report.resolved} of {report.total} items resolved",
                 *unsaved_line(self.store, pal)]
        if report.complete:
            lines.append(f"<b style='color:{pal.ok}'>✔ COMPLETE — every item resolved</b>")
        if not report.is_open:
            lines.append(f"Closed {format_ts(report.closed_at)}")
        if report.changed_since_start:
            lines.append(f"<b style='color:{pal.warning}'>⚠ Runbook changed since this run started"
                         "</b>")
        for orphan in report.orphans:
            lines.append(f"<span style='color:{pal.warning}'>Item no longer in the runbook: "
                         f"{safe_html(orphan.text)} ({orphan.state})</span>")
        self.info.setText(font_safe("<br>".join(lines)))
        holding = report.holding
        self.holding.setText(font_safe(str(holding)[:1].upper() + str(holding)[1:]) if holding
                             else ("All items resolved." if report.complete else ""))
        self.slim.setText(font_safe(f"Checklist — {run.incident or 'run'}: "
                                    f"{report.resolved}/{report.total}"
                                    + (f", {holding}" if holding else "")))
        self._slim_tip()

    def _show_steps(self, report: RunReport) -> None:
        """One row per step: ✔ complete, ▶ where the operator holds; its count and notes."""
        holding = report.holding
        for step in report.steps:
            mark = "✔" if step.complete else "▶" if holding and holding.step_anchor == \
                step.anchor else " "
            text = f"{mark} {step.title} — {step.resolved}/{step.total}"
            if step.notes:
                text += f" · {len(step.notes)} note(s)"
            item = QListWidgetItem(font_safe(text))
            item.setData(Qt.ItemDataRole.UserRole, step.anchor)
            if step.notes:
                item.setToolTip("\n".join(f"{format_ts(n.ts)} {n.operator}: {n.text}"
                                          for n in step.notes))
            self.steps.addItem(item)

    def _slim_tip(self) -> None:
        self.slim.setToolTip(f"{self.slim.text()} — open the checklist panel (F9)")
        self.slim.setAccessibleName(f"Open the checklist panel: {self.slim.text()}")
        self.slim.updateGeometry()


def _activate(window: Host) -> None:
    """Lay the window out now (a dock's new width before the next step uses it)."""
    layout = window.layout()
    if layout is not None:
        layout.activate()


def _add_actions(window: Host, panel: ChecklistPanel) -> None:
    """Checklist menu (and window-wide shortcuts): resolve, undo, open/collapse the panel."""
    menu = window.menus["checklist"]
    panel.resolve_actions = {}
    for attr, text, keys, slot in RESOLVE:
        action = QAction(f"{text.strip('✔ ')} the current item", window.window())
        if keys != "Space":  # Space belongs to the document and the panel (never a button)
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(getattr(panel, slot))
        menu.addAction(action)
        panel.resolve_actions[attr] = action
    menu.addSeparator()
    toggle = QAction("Checklist &panel", window.window(), checkable=True,
                     checked=panel.expanded)
    toggle.setShortcut(QKeySequence("F9"))  # Ctrl+Shift+C copies a command
    toggle.setToolTip("Open or collapse the checklist panel (runs, notes, import)")
    toggle.triggered.connect(lambda on: panel.set_expanded(on, remember=True))
    menu.addAction(toggle)
    toggle.setIconText("Checklist")
    window.menus["view"].insertAction(window.view_menu_panels, toggle)
    window.toolbar.addAction(toggle)
    panel.toggle_action = toggle


def attach(window: Host) -> ChecklistPanel:
    store = ChecklistStore(volatile_writes=True)  # unsavable: kept here, shown as NOT saved
    panel = ChecklistPanel(window, store)
    panel.poll_timer = watch(panel)  # other windows' ticks live; deleted files re-persisted
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    _add_actions(window, panel)
    window.set_state_provider(panel.state_for)
    window.checkLinkActivated.connect(panel.toggle)
    window.documentShown.connect(panel.on_document)
    window.view.spacePressed.connect(panel.done_current)
    window.on_fit.append(panel.fit_width)
    window.themeChanged.connect(lambda _dark: panel.refresh(rerender=False, reread=False))
    if store.recovery_notice:
        window.notice.show_notice(store.recovery_notice)
    panel.refresh(rerender=False, reread=False)
    panel.set_expanded(panel.fold.is_open(panel.run_open()))
    if window.current_path:  # drawn before the panel existed: redraw with its state
        panel.reload()
        panel.on_document(window.current_path, "")
    return panel

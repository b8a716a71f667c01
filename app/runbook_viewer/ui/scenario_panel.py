"""The "What's happening?" panel: symptom → runbook → step, plus breadcrumbs and related runbooks.

A quick reference handbook on screen: scenarios grouped by severity (most severe first) and by
🔴 constitutional / 🔵 operational, filter-as-you-type, one click (or filter + Enter) opens the
runbook at the step to perform. Below the list, the runbooks related to the one on screen (where
to go next in the incident, and what links here). The window's breadcrumbs show
scenario → runbook → step. All the logic is in core.scenarios (wayfinding included).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.glyphs import font_safe
from ..core.model import Label
from ..core.palette import GLYPH, palette
from ..core.scenarios import (
    SEVERITY_RESPONSE,
    Scenario,
    best_match,
    build_scenarios,
    grouped,
)
from ..core.scenarios.wayfinding import breadcrumbs, relative_href
from ..invocation import example
from .related_list import RelatedBox
from .scenario_delegate import (
    DETAIL_ROLE,
    ID_ROLE,
    KIND_ROLE,
    LABEL_ROLE,
    TITLE_ROLE,
    ScenarioDelegate,
    ScenarioTree,
)
from .scenario_filter import ScenarioFilter

if TYPE_CHECKING:
    from .host import Host

TITLE = "What's happening?"

RED, BLUE = "constitutional", "operational"


BADGES = {label: f"{GLYPH[label.value]} {label.text}" for label in Label}


def _pick(label: str, dark: bool) -> QColor:
    return QColor(palette(dark).label[label])


class ScenarioPanel(QWidget):
    focus_action: QAction  # Go ▸ What's happening? (attach)

    def __init__(self, window: Host):
        super().__init__()
        self.host = window
        self.library = window.library
        self.scenarios = build_scenarios(self.library) if self.library is not None else []
        self.by_id = {s.id: s for s in self.scenarios}
        self.current_scenario: Scenario | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type a symptom, alert or error… then Enter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter scenarios")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.model = QStandardItemModel(self)
        self.proxy = ScenarioFilter(self.by_id, self)
        self.proxy.setSourceModel(self.model)
        self.view = ScenarioTree()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ScenarioDelegate(self.view))
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setIndentation(12)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Scenarios, most severe first")
        self.status.setAccessibleName("Scenario list status")
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.related = RelatedBox()
        self.related_list = self.related.list
        self.related_title = self.related.title

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.related)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

        self._populate()
        self.filter_edit.textChanged.connect(self.set_filter)
        self.filter_edit.returnPressed.connect(self.open_current)
        self.filter_edit.installEventFilter(self)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._activated)
        self.related.openRequested.connect(lambda path, anchor: window.open_runbook(path, anchor))
        self.set_filter("")

    # -- model -------------------------------------------------------------------------------
    @property
    def dark(self) -> bool:
        return bool(getattr(self.host, "dark", False))

    def retheme(self, _dark: bool = False) -> None:
        """Colours changed (View ▸ Theme, the system's): rebuild the rows in the new ones."""
        self.model.clear()
        self._populate()
        self.set_filter(self.filter_edit.text())
        if self.host.current_path:
            current = self.host.history.current
            self.update_breadcrumbs(self.host.current_path, current.anchor if current else "")

    def _populate(self) -> None:
        self._red: tuple[QFont, QBrush] | None = None  # per theme
        root = self.model.invisibleRootItem()
        pal = palette(self.dark)
        bold = QFont()
        bold.setBold(True)
        for severity, cats in grouped(self.scenarios):
            response = SEVERITY_RESPONSE.get(severity, "severity not stated by the runbooks")
            sev_item = self._item(f"{severity} — {response}", "severity", severity)
            sev_item.setFont(bold)
            tint = pal.severity.get(severity)
            if tint:  # the text colour is set too: the pair is the one the palette checks
                sev_item.setBackground(QBrush(QColor(tint)))
                sev_item.setForeground(QBrush(QColor(pal.fg)))
            root.appendRow(sev_item)
            for category, items in cats:
                cat_item = self._item(font_safe(category), "category", f"{severity}/{category}")
                if items[0].label is not None:
                    cat_item.setFont(bold)
                    cat_item.setForeground(QBrush(_pick(
                        RED if items[0].constitutional else BLUE, self.dark)))
                sev_item.appendRow(cat_item)
                for sc in items:
                    cat_item.appendRow(self._scenario_item(sc))

    def _item(self, text: str, kind: str, key: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setData(kind, KIND_ROLE)
        item.setData(key, ID_ROLE)
        return item

    def _scenario_item(self, sc: Scenario) -> QStandardItem:
        badge = BADGES
        if sc.source == "fallback":
            detail = f"→ {sc.step_title}: " if sc.step_title else ""
            detail += sc.description or sc.runbook_title
        else:
            detail = f"→ {sc.step_title or 'top'} · {sc.runbook_title}"
        if sc.mixed and sc.label is Label.OPERATIONAL:
            detail += " (the step also has constitutional checks)"
        title, detail = font_safe(sc.title), font_safe(detail)
        first = f"{badge[sc.label]} · {title}" if sc.label is not None else title
        item = self._item(f"{first}\n{detail}", "scenario", sc.id)
        item.setData(title, TITLE_ROLE)
        item.setData(detail, DETAIL_ROLE)
        item.setData(sc.label.value if sc.label else None, LABEL_ROLE)
        item.setToolTip(self._tooltip(sc))
        item.setData(sc.target, Qt.ItemDataRole.AccessibleDescriptionRole)
        if sc.constitutional:  # one font and brush for the thousands of rows of a big library
            if self._red is None:
                self._red = (QFont(), QBrush(_pick(RED, self.dark)))
                self._red[0].setBold(True)
            item.setFont(self._red[0])
            item.setForeground(self._red[1])
        return item

    @staticmethod
    def _tooltip(sc: Scenario) -> str:
        lines = [f"<b>{html.escape(font_safe(sc.title))}</b>",
                 f"Severity: {sc.severity_text}"
                 + (f" — {SEVERITY_RESPONSE[sc.severity]}" if sc.severity else "")]
        if sc.label is not None:
            lines.append(f"Type: {GLYPH[sc.label.value]} {sc.label.text}")
        if sc.description:
            lines.append(html.escape(font_safe(sc.description)))
        lines.extend(f"Also: {html.escape(font_safe(alias))}" for alias in sc.aliases)
        lines.append(f"Opens: {html.escape(sc.target)}")
        if sc.origin:
            lines.append(f"<i>from {html.escape(sc.origin)}:{sc.line} ({sc.source})</i>")
        return "<br>".join(lines)

    # -- filtering ---------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        self.proxy.set_query(text)
        self.view.expandAll()
        total = len(self.scenarios)
        shown = self.proxy.leaves() if text.strip() else total
        if self.library is None:
            self.status.setText("No library is open, so there are no scenarios.")
        elif not total:
            self.status.setText("This library declares no scenarios: its index has no "
                                "“Quick reference by scenario” and no runbook has Trigger "
                                "Conditions. Use the Library tab or search.")
        elif not shown:
            self.status.setText(f"No scenario matches “{text.strip()}”. "
                                "Try fewer or other words, or use search.")
        elif text.strip():
            self.status.setText(f"{shown} of {total} scenarios match — Enter opens the "
                                "highlighted one.")
        else:
            self.status.setText(f"{total} scenarios, most severe first. Click one to open "
                                "its step.")
        target = self._best_leaf(text)
        if target.isValid():
            self.view.setCurrentIndex(target)
            self.view.scrollTo(target)

    def _best_leaf(self, text: str) -> QModelIndex:
        """The row Enter opens: the best match (core.scenarios.best_match), highlighted."""
        leaves = self._leaves(first=not text.strip())
        pairs = [(ix, sc) for ix in leaves if (sc := self.scenario_at(ix)) is not None]
        best = best_match([sc for _ix, sc in pairs], text)
        return next((ix for ix, sc in pairs if sc is best), QModelIndex())

    def _leaves(self, first: bool = False) -> list[QModelIndex]:
        """The scenario rows shown, in order (``first``: only the first one)."""
        out: list[QModelIndex] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                if first and out:
                    return
                child = self.proxy.index(row, 0, parent)
                if child.data(KIND_ROLE) == "scenario":
                    out.append(child)
                else:
                    walk(child)

        walk(QModelIndex())
        return out

    def _leaf_after(self, current: QModelIndex, step: int) -> QModelIndex:
        leaves = self._leaves()
        if not leaves:
            return QModelIndex()
        if not current.isValid() or current not in leaves:
            return leaves[0] if step > 0 else leaves[-1]
        pos = max(0, min(len(leaves) - 1, leaves.index(current) + step))
        return leaves[pos]

    def eventFilter(self, obj, event) -> bool:
        """In the filter box, ↓/↑ move through the matching scenarios, Esc clears."""
        if obj is self.filter_edit and event.type() == event.Type.KeyPress:
            key = event.key()
            moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                     Qt.Key.Key_PageUp: -5}
            if key in moves:
                target = self._leaf_after(self.view.currentIndex(), moves[key])
                if target.isValid():
                    self.view.setCurrentIndex(target)
                    self.view.scrollTo(target)
                return True
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(obj, event)

    # -- opening -----------------------------------------------------------------------------
    def scenario_at(self, index: QModelIndex) -> Scenario | None:
        if not index.isValid() or index.data(KIND_ROLE) != "scenario":
            return None
        return self.by_id.get(index.data(ID_ROLE))

    def _clicked(self, index: QModelIndex) -> None:
        sc = self.scenario_at(index)
        if sc is not None:
            self.open_scenario(sc)

    def _activated(self, index: QModelIndex) -> None:
        sc = self.scenario_at(index)
        if sc is not None:
            self.open_scenario(sc)
        elif index.isValid():
            self.view.setExpanded(index, not self.view.isExpanded(index))

    def open_current(self) -> None:
        """Enter in the filter box: open the highlighted (else the first) matching scenario."""
        sc = self.scenario_at(self.view.currentIndex())
        if sc is None:
            sc = self.scenario_at(self._best_leaf(self.filter_edit.text()))
        if sc is not None:
            self.open_scenario(sc)

    def open_scenario(self, sc: Scenario) -> bool:
        self.current_scenario = sc
        ok = self.host.open_runbook(sc.path, sc.anchor)
        if ok and not sc.resolved:
            self.host.statusBar().showMessage(
                f"The step this scenario names is not in {sc.path}; showing the top of the "
                f"runbook (run `{example('check')}`).", 10000)
        return ok

    # -- breadcrumbs and related -------------------------------------------------------------
    def on_document_shown(self, path: str, anchor: str) -> None:
        if self.library is None:
            return
        if self.current_scenario is not None and self.current_scenario.path != path:
            self.current_scenario = None  # another page: the header describes what is shown
        self.update_breadcrumbs(path, anchor)
        self.update_related(path)

    def update_breadcrumbs(self, path: str, anchor: str) -> None:
        if self.library is None:
            return
        crumbs = breadcrumbs(self.library, path, anchor, self.current_scenario)
        link = palette(self.dark).link  # in the HTML: a QLabel keeps the link colour it was
        parts = []                      # first laid out with when the theme changes
        for crumb in crumbs:
            text = font_safe(crumb.text)
            text = text if len(text) <= 90 else text[:89].rstrip() + "…"
            text = html.escape(text)
            if crumb.kind == "scenario":
                sc = self.current_scenario
                color = _pick(RED if sc and sc.constitutional else BLUE, self.dark).name()
                text = f'<b style="color:{color};">{text}</b>'
            href = html.escape(relative_href(path, crumb.href), quote=True)
            parts.append(f'<a href="{href}" style="color:{link}; text-decoration:none;">'
                         f"{text}</a>")
        label = self.host.breadcrumbs
        label.setText(" &nbsp;›&nbsp; ".join(parts))
        label.setToolTip("\n".join(font_safe(c.text) for c in crumbs))

    def update_related(self, path: str) -> None:
        if self.library is not None:
            self.related.show_for(self.library, path)


def attach(window: Host) -> ScenarioPanel:
    panel = ScenarioPanel(window)
    window.add_side_tab(panel, TITLE, first=True, short="Triage")
    window.side_tabs.setTabToolTip(window.side_tabs.indexOf(panel),
                                   "Symptom → runbook step, most severe first (Ctrl+Shift+W)")
    window.documentShown.connect(panel.on_document_shown)
    window.themeChanged.connect(panel.retheme)
    window.breadcrumbs.setWordWrap(True)
    action = QAction(f"{TITLE} (triage)", window.window())
    action.setShortcut(QKeySequence("Ctrl+Shift+W"))
    action.triggered.connect(lambda: focus_panel(window, panel))
    window.add_go_action(action)
    panel.focus_action = action
    panel.filter_edit.setFocus()
    if window.current_path:
        current = window.history.current
        panel.on_document_shown(window.current_path, current.anchor if current else "")
    return panel


def focus_panel(window, panel: ScenarioPanel) -> None:
    window.side_tabs.setCurrentWidget(panel)
    panel.filter_edit.setFocus()
    panel.filter_edit.selectAll()

"""The side panel's tabs (triage, library, search): whole words at any width.

On a laptop with the checklist panel open the side panel is about 230 px wide, where the
three full titles ("What's happening?", "Library", "Search") were elided to "What's happen…",
"Lib…", "Se…". A tab may name a short title ("Triage"): when the full titles do not fit, every
tab shows its short one, and the full title stays in the tab's tool tip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QStyle, QTabWidget, QWidget


class SideTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Side panel")
        self.tabBar().setAccessibleName("Side panel: triage, library, search")
        self.setDocumentMode(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)  # only if even the short titles do not fit
        self.setUsesScrollButtons(False)
        self.titles: dict[QWidget, tuple[str, str]] = {}  # widget → (full title, short title)
        self.short = False

    def add(self, widget: QWidget, title: str, *, short: str | None = None,
            first: bool = False) -> None:
        self.titles[widget] = (title, short or title)
        if first:
            self.insertTab(0, widget, title)
            self.setCurrentIndex(0)
        else:
            self.addTab(widget, title)
        if not self.tabToolTip(self.indexOf(widget)):
            self.setTabToolTip(self.indexOf(widget), title)
        self.fit_titles()

    def _titles(self, index: int) -> tuple[str, str]:
        widget = self.widget(index)
        found = self.titles.get(widget) if widget is not None else None
        return found or (self.tabText(index), self.tabText(index))

    def needed_width(self) -> int:
        """The width the full titles take side by side (text and the style's tab margins)."""
        metrics = self.tabBar().fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, self) + 4
        return sum(metrics.horizontalAdvance(self._titles(n)[0]) + margin
                   for n in range(self.count()))

    def fit_titles(self) -> None:
        self.short = self.needed_width() > self.width()
        for n in range(self.count()):
            full, short = self._titles(n)
            text = short if self.short else full
            if self.tabText(n) != text:
                self.setTabText(n, text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_titles()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom: the titles' width changed
            self.fit_titles()

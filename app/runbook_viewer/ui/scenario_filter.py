"""The scenario list's filter: rows whose text has every typed word (core.scenarios.matches);
group rows stay while they hold a visible scenario, and their counts follow the filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ..core.scenarios import Scenario, matches
from .scenario_delegate import ID_ROLE, KIND_ROLE


class ScenarioFilter(QSortFilterProxyModel):
    """Shows scenario rows whose text contains every typed word; group rows stay while they
    have a visible scenario, and their counts follow the filter."""

    def __init__(self, scenarios: dict[str, Scenario], parent=None):
        super().__init__(parent)
        self.scenarios = scenarios
        self.query = ""
        self.setRecursiveFilteringEnabled(True)
        # the count each group row shows, worked out once per filter (a count per paint walked
        # thousands of rows: 3 s per repaint of a 20,000-runbook library's list)
        self.counts: dict[tuple[int, ...], int] = {}
        for signal in (self.modelReset, self.layoutChanged, self.rowsInserted,
                       self.rowsRemoved):
            signal.connect(self.counts.clear)

    def set_query(self, query: str) -> None:
        self.counts.clear()
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateFilter() is deprecated
            self.beginFilterChange()
            self.query = query.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.query = query.strip()
            self.invalidateFilter()
        self.counts.clear()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.query:
            return True  # everything: no need to look (20,000 rows in a large library)
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(KIND_ROLE) != "scenario":
            return not self.query
        sc = self.scenarios.get(index.data(ID_ROLE))
        return sc is not None and matches(sc, self.query)

    def leaves(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        """Scenario rows shown under ``parent``. A category row holds only scenarios, so its
        count is its row count: the groups are walked, never the thousands of scenarios."""
        parent = parent if parent is not None else QModelIndex()
        rows = self.rowCount(parent)
        if parent.isValid():
            kind = parent.data(KIND_ROLE)
            if kind == "category":
                return rows
            if kind == "scenario":
                return 1
        return sum(self.leaves(self.index(row, 0, parent)) for row in range(rows))

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        value = super().data(index, role)
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and \
                index.data(KIND_ROLE) in ("severity", "category"):
            return f"{value}  ({self._count(index)})"
        return value

    def _count(self, index: QModelIndex | QPersistentModelIndex) -> int:
        key: list[int] = []
        at = index
        while at.isValid():
            key.append(at.row())
            at = at.parent()
        path = tuple(key)
        if path not in self.counts:
            self.counts[path] = self.leaves(index)
        return self.counts[path]

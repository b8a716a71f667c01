"""The scenario list's filter: rows whose text has every typed word (core.scenarios.matches);
group rows stay while they hold a visible scenario, and their counts follow the filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

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

    def set_query(self, query: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateFilter() is deprecated
            self.beginFilterChange()
            self.query = query.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.query = query.strip()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.query:
            return True  # everything: no need to look (20,000 rows in a large library)
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(KIND_ROLE) != "scenario":
            return not self.query
        sc = self.scenarios.get(index.data(ID_ROLE))
        return sc is not None and matches(sc, self.query)

    def leaves(self, parent: QModelIndex | None = None) -> int:
        parent = parent if parent is not None else QModelIndex()
        total = 0
        for row in range(self.rowCount(parent)):
            child = self.index(row, 0, parent)
            total += 1 if child.data(KIND_ROLE) == "scenario" else self.leaves(child)
        return total

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        value = super().data(index, role)
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and \
                index.data(KIND_ROLE) in ("severity", "category"):
            return f"{value}  ({self.leaves(index)})"
        return value

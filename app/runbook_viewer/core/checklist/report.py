"""What a run is, for a runbook: the one summary every view of a run reads (no Qt).

:class:`RunReport` is computed once from a :class:`~.runs.RunState` and fed to the checklist
panel (its info and steps), the Markdown export (:func:`.exchange.export_markdown`) and the
printed run (:func:`runbook_viewer.core.printing.checklist.run_document`), so the three cannot
disagree on a count, a step's items or its notes.

Per step: its items with their state, who set it and when, and the reason given; its notes;
its counts. For the run: counts per state (done, not applicable, skipped, pending), resolved
of total, complete or not, where the operator holds, the incident values, notes on sections
that are not steps, items no longer in the runbook, closed or open.
"""

from __future__ import annotations

from dataclasses import dataclass

from .runs import (
    DONE,
    NA,
    PENDING,
    RESOLVED,
    SKIPPED,
    STATES,
    Holding,
    IncidentValue,
    ItemState,
    Note,
    Run,
    RunState,
    StepProgress,
)


@dataclass(frozen=True)
class StepReport:
    """One step of a run: its items in document order, its notes (oldest first), its counts."""

    progress: StepProgress
    items: list[ItemState]
    notes: list[Note]

    @property
    def anchor(self) -> str:
        return self.progress.anchor

    @property
    def title(self) -> str:
        return self.progress.title

    @property
    def number(self) -> int | None:
        return self.progress.number

    @property
    def resolved(self) -> int:
        return self.progress.resolved

    @property
    def total(self) -> int:
        return self.progress.total

    @property
    def complete(self) -> bool:
        return self.progress.complete


@dataclass(frozen=True)
class RunReport:
    """The summary of one run over one outline (the runbook as it is now, or as it started)."""

    state: RunState
    steps: list[StepReport]
    counts: dict[str, int]  # state -> how many items have it (every state, 0 included)
    by_id: dict[str, ItemState]
    loose_notes: dict[str, list[Note]]  # notes on sections that are not steps of the outline

    @classmethod
    def of(cls, state: RunState) -> RunReport:
        by_step: dict[str, list[ItemState]] = {}
        for item in state.items:
            by_step.setdefault(item.step_anchor, []).append(item)
        steps = [StepReport(p, by_step.get(p.anchor, []), state.notes.get(p.anchor, []))
                 for p in state.steps]
        anchors = {p.anchor for p in state.steps}
        counts = dict.fromkeys(STATES, 0)
        for item in state.items:
            counts[item.state] = counts.get(item.state, 0) + 1
        return cls(state, steps, counts, state.by_id,
                   {a: n for a, n in state.notes.items() if a not in anchors})

    # -- the run --------------------------------------------------------------------------
    @property
    def run(self) -> Run:
        return self.state.run

    @property
    def closed_at(self) -> str | None:
        return self.state.closed_at

    @property
    def is_open(self) -> bool:
        return self.state.closed_at is None

    @property
    def operators(self) -> list[str]:
        return self.state.operators

    @property
    def values(self) -> list[IncidentValue]:
        return list(self.state.values.values())

    @property
    def orphans(self) -> list[ItemState]:
        return self.state.orphans

    @property
    def changed_since_start(self) -> bool:
        return self.state.changed_since_start

    @property
    def current_hash(self) -> str | None:
        return self.state.current_hash

    @property
    def last_reset(self) -> str | None:
        return self.state.last_reset

    # -- progress -------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pending(self) -> int:
        return self.counts[PENDING]

    @property
    def resolved(self) -> int:
        return sum(n for s, n in self.counts.items() if s in RESOLVED)

    @property
    def done(self) -> int:
        return self.counts[DONE]

    @property
    def not_applicable(self) -> int:
        return self.counts[NA]

    @property
    def skipped(self) -> int:
        return self.counts[SKIPPED]

    @property
    def complete(self) -> bool:
        """Every item resolved (done, not applicable or skipped); an empty checklist is not."""
        return self.total > 0 and self.resolved == self.total

    @property
    def current_item(self) -> str | None:
        return self.state.current_item

    @property
    def holding(self) -> Holding | None:
        return self.state.holding

    def step(self, anchor: str) -> StepReport | None:
        return next((s for s in self.steps if s.anchor == anchor), None)

    def notes_on(self, anchor: str) -> list[Note]:
        """The notes on the section ``anchor`` (a step or not), oldest first."""
        return self.state.notes.get(anchor) or []

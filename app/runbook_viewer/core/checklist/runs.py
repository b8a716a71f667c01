"""Runs, events and the state derived from them (pure data, no SQL, no Qt).

A run's current state is never stored: :func:`derive` replays the run's append-only events in
hybrid-logical-clock order (:mod:`.clock`: the same on every laptop holding them) and lays the
result over the checklist :class:`Outline` — the runbook as it is now when the caller has it,
else the snapshot taken when the run started. Items are matched by their ids, and an id the
runbook no longer has is matched by the item's text (:mod:`.identity`: a renamed step heading
or a moved item keeps its ticks); ticks of items that are really gone become ``orphans``
(listed, never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..model import ChecklistItem, Label, Runbook
from . import clock, identity

PENDING, DONE, NA, SKIPPED = "pending", "done", "na", "skipped"
STATES = (PENDING, DONE, NA, SKIPPED)
RESOLVED = frozenset({DONE, NA, SKIPPED})
STATE_NAMES = {PENDING: "pending", DONE: "done", NA: "not applicable", SKIPPED: "skipped"}
STATE_MARKS = {DONE: "[x]", NA: "[-]", SKIPPED: "[~]", PENDING: "[ ]"}  # as textrender shows them

# event kinds (COPY and VALUE: a command copied, an incident value set — see .incident)
START, SET, NOTE, RESET, CLOSE, REOPEN = "start", "set", "note", "reset", "close", "reopen"
COPY, VALUE = "copy", "value"
KINDS = (START, SET, NOTE, RESET, CLOSE, REOPEN, COPY, VALUE)


def utc_now() -> str:
    """Fixed-width UTC timestamp, microseconds: sorts as text, parses with fromisoformat."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def format_ts(ts: str | None, *, date: bool = True) -> str:
    """'2026-11-27 03:14:07 UTC' (or '03:14:07') for people; '—' for None."""
    if not ts:
        return "—"
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return ts
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC" if date else "%H:%M:%S")


def requirements(item: ChecklistItem, state: str) -> tuple[bool, bool]:
    """(needs a reason, needs an explicit 🔴 confirmation) to set ``item`` to ``state``.

    The UI asks for these before calling ``set_item`` (which enforces the same rule).
    """
    if item.label is Label.CONSTITUTIONAL and state in (SKIPPED, NA):
        return True, True
    return state == SKIPPED, False


@dataclass(frozen=True)
class Run:
    run_id: str
    runbook_path: str
    library_root: str
    runbook_title: str
    content_hash: str
    runbook_version: str | None
    incident: str | None
    title: str | None
    operator: str
    started_at: str
    closed_at: str | None
    snapshot: dict[str, Any] = field(default_factory=dict[str, Any], compare=False, hash=False)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def short_id(self) -> str:
        return self.run_id[:8]

    @property
    def display_title(self) -> str:
        parts = [p for p in (self.incident, self.title) if p]
        return " — ".join(parts) if parts else self.runbook_title or self.runbook_path


#: a run, or its full id: what the store's methods take (a prefix is resolved once, by
#: ``ChecklistStore.resolve_run``)
RunRef = Run | str


@dataclass(frozen=True)
class Event:
    id: int  # local insertion order
    uid: str  # globally unique; import de-duplicates on it
    run_id: str
    ts: str
    operator: str
    kind: str
    item_id: str | None = None
    step_anchor: str | None = None
    state: str | None = None
    reason: str | None = None
    note: str | None = None
    payload: dict[str, Any] = field(default_factory=dict[str, Any], compare=False, hash=False)
    hlc: str = ""  # hybrid-logical-clock timestamp: state is replayed in (hlc, uid) order

    @property
    def order(self) -> tuple[str, str]:
        return clock.sort_key(self.hlc, self.ts, self.uid)

    def describe(self) -> str:
        """One line for a timeline: 'Skipped: Step 2 › Restart redis — reason: …'."""
        from .describe import describe

        return describe(self)


@dataclass
class OutlineStep:
    anchor: str
    title: str
    number: int | None
    items: list[ChecklistItem]


@dataclass
class Outline:
    """The checklist of a runbook: its items grouped by step, in document order."""

    steps: list[OutlineStep]

    @property
    def items(self) -> list[ChecklistItem]:
        return [i for s in self.steps for i in s.items]

    @classmethod
    def from_runbook(cls, rb: Runbook) -> Outline:
        steps: dict[str, OutlineStep] = {}
        for item in rb.items:
            step = steps.get(item.section_anchor)
            if step is None:
                sec = rb.section(item.section_anchor)
                step = steps[item.section_anchor] = OutlineStep(
                    item.section_anchor, sec.title if sec else item.section_anchor,
                    sec.step_number if sec else None, [])
            step.items.append(item)
        return cls(list(steps.values()))

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Outline:
        """The outline a run recorded at start. Tolerant: entries of the wrong shape (written
        by an older version that imported a damaged file) are skipped, never raised on."""
        steps = []
        raw_steps = data.get("steps") if isinstance(data, dict) else None
        for s in raw_steps if isinstance(raw_steps, list) else []:
            if not isinstance(s, dict):
                continue
            anchor = str(s.get("anchor", ""))
            raw_items = s.get("items")
            items = [ChecklistItem(
                id=str(i.get("id", "")), text=str(i.get("text", "")), line=0, checked=False,
                section_anchor=anchor, label=_label(i.get("label")),
                group=i.get("group") if isinstance(i.get("group"), str) else None)
                for i in (raw_items if isinstance(raw_items, list) else [])
                if isinstance(i, dict) and i.get("id")]
            number = s.get("number")
            steps.append(OutlineStep(anchor, str(s.get("title", anchor)),
                                     number if type(number) is int else None, items))
        return cls(steps)

    def to_snapshot(self) -> dict[str, Any]:
        return {"steps": [{
            "anchor": s.anchor, "title": s.title, "number": s.number,
            "items": [{"id": i.id, "text": i.text, "label": i.label.value if i.label else None,
                       "group": i.group} for i in s.items]} for s in self.steps]}

    def step_title(self, anchor: str) -> str:
        return next((s.title for s in self.steps if s.anchor == anchor), anchor)


def _label(value: Any) -> Label | None:
    try:
        return Label(value) if value else None
    except (ValueError, TypeError):
        return None


@dataclass
class ItemState:
    item_id: str
    text: str
    step_anchor: str
    label: Label | None
    state: str = PENDING
    ts: str | None = None  # when the current state was recorded (None: never touched)
    operator: str | None = None
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        return self.state in RESOLVED

    @property
    def constitutional(self) -> bool:
        return self.label is Label.CONSTITUTIONAL


@dataclass(frozen=True)
class Note:
    step_anchor: str
    text: str
    ts: str
    operator: str
    event_id: int


@dataclass
class StepProgress:
    anchor: str
    title: str
    number: int | None
    item_ids: list[str]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.item_ids)

    @property
    def resolved(self) -> int:
        return self.total - self.counts.get(PENDING, 0)

    @property
    def complete(self) -> bool:
        return self.resolved == self.total

    def __str__(self) -> str:
        return f"{self.resolved}/{self.total}"


@dataclass(frozen=True)
class IncidentValue:
    """A placeholder's value in a run, and who set it when."""

    name: str
    value: str
    ts: str
    operator: str


@dataclass(frozen=True)
class Holding:
    """Where the operator is: the first unresolved item, as 'Step N, item k of m'."""

    item_id: str
    step_anchor: str
    step_title: str
    step_number: int | None
    index: int  # 1-based within the step
    count: int

    def __str__(self) -> str:
        return f"holding at {self.step_title}, item {self.index} of {self.count}"


@dataclass
class RunState:
    run: Run
    items: list[ItemState]  # every item of the outline, document order
    steps: list[StepProgress]
    notes: dict[str, list[Note]]  # step anchor -> notes, oldest first
    orphans: list[ItemState]  # recorded in the run, no longer in the runbook
    closed_at: str | None
    changed_since_start: bool  # runbook content differs from the run's start (False if unknown)
    current_hash: str | None
    last_reset: str | None
    operators: list[str]
    matched: dict[str, str] = field(default_factory=dict)  # recorded id -> item id, by text
    #: incident values: placeholder name -> its latest value (cleared values left out)
    values: dict[str, IncidentValue] = field(default_factory=dict)
    copies: list[Event] = field(default_factory=list)  # commands copied, oldest first

    @property
    def by_id(self) -> dict[str, ItemState]:
        return {i.item_id: i for i in self.items}

    @property
    def states(self) -> dict[str, str]:
        """item id -> state for every item: what render_runbook(states=) takes."""
        return {i.item_id: i.state for i in self.items}

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def resolved(self) -> int:
        return sum(1 for i in self.items if i.resolved)

    def count(self, state: str) -> int:
        return sum(1 for i in self.items if i.state == state)

    @property
    def complete(self) -> bool:
        """Every item resolved (done, not applicable or skipped); an empty checklist is not."""
        return bool(self.items) and all(i.resolved for i in self.items)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def current_item(self) -> str | None:
        """Placekeeping: id of the first unresolved item in document order."""
        return next((i.item_id for i in self.items if not i.resolved), None)

    @property
    def holding(self) -> Holding | None:
        current = self.current_item
        for step in self.steps:
            if current in step.item_ids:
                return Holding(current, step.anchor, step.title, step.number,
                               step.item_ids.index(current) + 1, step.total)
        return None

    def step(self, anchor: str) -> StepProgress | None:
        return next((s for s in self.steps if s.anchor == anchor), None)


def derive(run: Run, events: list[Event], outline: Outline,
           current_hash: str | None = None, start: Outline | None = None) -> RunState:
    """Replay ``events`` in clock order (whatever order they come in) over ``outline``.

    ``start``: the run's start snapshot, when ``outline`` is the runbook as it is now — ticks
    recorded under ids it no longer has are matched by their text (:func:`identity.match`).
    """
    matched = identity.match(outline, start, events) if start is not None else {}
    latest: dict[str, Event] = {}
    ever_set: dict[str, Event] = {}
    notes: dict[str, list[Note]] = {}
    closed_at: str | None = None
    last_reset: str | None = None
    operators: dict[str, None] = {run.operator: None}
    values: dict[str, IncidentValue | None] = {}
    copies: list[Event] = []
    for ev in sorted(events, key=lambda e: e.order):
        operators.setdefault(ev.operator, None)
        if ev.kind == VALUE and isinstance(ev.payload.get("name"), str):
            value = ev.payload.get("value")
            values[ev.payload["name"]] = IncidentValue(ev.payload["name"], value, ev.ts,
                                                       ev.operator) if isinstance(
                value, str) and value else None
        elif ev.kind == COPY:
            copies.append(ev)
        elif ev.kind == SET and ev.item_id:
            item_id = matched.get(ev.item_id, ev.item_id)
            latest[item_id] = ev
            ever_set[item_id] = ev
        elif ev.kind == RESET:
            latest.clear()
            last_reset = ev.ts
        elif ev.kind == NOTE:
            anchor = ev.step_anchor or ""
            notes.setdefault(anchor, []).append(
                Note(anchor, ev.note or "", ev.ts, ev.operator, ev.id))
        elif ev.kind == CLOSE:
            closed_at = ev.ts
        elif ev.kind == REOPEN:
            closed_at = None

    def state_of(item_id: str, text: str, anchor: str, label: Label | None) -> ItemState:
        st = ItemState(item_id, text, anchor, label)
        ev = latest.get(item_id)
        if ev is not None:
            st.state, st.ts, st.operator, st.reason = (ev.state or PENDING, ev.ts, ev.operator,
                                                       ev.reason)
        return st

    items: list[ItemState] = []
    steps: list[StepProgress] = []
    for step in outline.steps:
        step_items = [state_of(i.id, i.text, step.anchor, i.label) for i in step.items]
        items.extend(step_items)
        counts = {s: sum(1 for i in step_items if i.state == s) for s in STATES}
        steps.append(StepProgress(step.anchor, step.title, step.number,
                                  [i.item_id for i in step_items], counts))
    known = {i.item_id for i in items}
    orphans = [state_of(item_id, ev.payload.get("text") or item_id, ev.step_anchor or "",
                        _label(ev.payload.get("label")))
               for item_id, ev in ever_set.items() if item_id not in known]
    return RunState(
        run=run, items=items, steps=steps, notes=notes, orphans=orphans, closed_at=closed_at,
        changed_since_start=bool(current_hash) and current_hash != run.content_hash,
        current_hash=current_hash, last_reset=last_reset, operators=list(operators),
        matched=matched, values={k: v for k, v in values.items() if v is not None},
        copies=copies)

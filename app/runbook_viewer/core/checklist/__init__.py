"""Durable checklists: runs of a runbook, per-item state, notes, an audit trail (no Qt).

Storage is SQLite at :func:`runbook_viewer.core.paths.checklist_db` (WAL, ``synchronous=FULL``,
a checkpoint after every write, busy timeout). Nothing is ever updated in place: every tick,
note, reset, close is an event appended to ``events`` (triggers refuse UPDATE/DELETE; each row
carries a CRC) and the current state is derived from the SET of events in hybrid-logical-clock
order, so stores exchanging handover files converge. Damage is recovered (moved aside,
salvaged), deleted files re-persisted; docs/reliability.md lists every promise and its test.

API (all write methods are durable when they return and raise :class:`ChecklistError`
subclasses with a user-readable message when refused — nothing was written then; reads raise
only :class:`StoreUnavailable` if the file breaks while the app runs). Use a store from one
thread; open one per process (two app instances share the file safely)::

    store = ChecklistStore(path=None, volatile_writes=False)  # opens/creates/migrates/recovers;
                                             # never raises
    store.recovery_notice -> str | None      # "database moved aside to …" / "NOT saved"
    store.persistent -> bool                 # False: nothing can be saved; writes raise
                                             # SaveFailed (volatile_writes=True: kept in memory)
    store.writable_reason -> str | None      # why nothing can be saved, and where
    store.on_notice = callable(str)          # recoveries/re-persists while in use
    store.changed() -> bool                  # another window committed (poll: live refresh)
    store.check_health() -> str | None       # deleted/replaced files re-persisted (poll)
    store.get_operator() -> str | None ; store.set_operator(name) -> str

    store.start_run(runbook, operator=None, incident=None, title=None) -> Run
    store.active_run(runbook_path) -> Run | None     # newest open run: what a tick continues
    store.ensure_run(runbook, operator=None) -> Run  # active_run(...) or start_run(...)
    store.open_runs(runbook_path=None) / past_runs(runbook_path=None) / runs(...) -> [Run]
    store.resolve_run(run_id_or_unique_prefix) -> Run  # what a person typed, resolved once:
        # RunNotFound / AmbiguousRunId; the methods below take that Run (or a full run id,
        # never a prefix) and do not look it up again
    store.get_run(full_run_id) -> Run                # the run's record as stored now
    store.set_item(run_id, item, state, operator=None, reason=None,
                   confirm_constitutional=False, *, expected=None, runbook=None) -> Event
        # state in STATES = pending|done|na|skipped; skipped needs a reason (ReasonRequired);
        # a 🔴 constitutional item skipped or marked na needs a reason AND confirmation
        # (ConfirmationRequired); a closed run refuses (RunClosed); operator=None uses the
        # remembered one (OperatorRequired if none); expected=the state the caller showed:
        # StaleState if it changed meanwhile (another window), nothing written
    requirements(item, state) -> (needs_reason, needs_confirmation)  # ask before set_item
    store.add_note(run_id, step_anchor, text, operator=None, step_title=None) -> Event
    store.reset_run / close_run / reopen_run(run_id, operator=None, reason=None) -> Event
    store.set_value(run_id, name, value, operator=None) -> Event   # an incident value (None
        # clears it); ValueNotAccepted when it would change a command's meaning (core.values)
    store.record_copy(run_id, command, filled, runbook=None, operator=None) -> Event
        # a command put on the clipboard (core.commands.Command, core.values.Filled)
    store.run_state(run_id, runbook=None) -> RunState  # over the runbook as it is now if given
    store.timeline(run_id) -> [Event]                  # ev.describe() -> one readable line
    RunReport.of(state) -> RunReport   # what the run is, computed once: .steps [StepReport(
        # progress, items, notes)], .counts {state: n}, .resolved/.total/.complete, .holding,
        # .values, .loose_notes, .orphans — read by the panel, the export and the print

    RunState: .items [ItemState(item_id, text, step_anchor, label, state, ts, operator,
              reason)] in document order, .states {id: state} (for render_runbook),
              .steps [StepProgress(anchor, title, number, item_ids, counts; resolved, total)],
              .notes {step_anchor: [Note]}, .current_item, .holding ("holding at Step 3…,
              item 2 of 5"), .complete, .resolved/.total, .changed_since_start, .orphans,
              .closed_at/.is_open, .operators, .values {name: IncidentValue(name, value,
              ts, operator)}, .copies [Event]

    export_run(store, run_id, dest, fmt="json"|"md", runbook=None) -> Path   (atomic write)
    export_markdown(store, run_id, runbook=None) -> str ; export_json(store, run_id) -> str
    import_run(store, path) -> ImportResult(run, created, added, already)   # idempotent merge;
        # the whole file is validated first (importcheck.py), ExchangeError names the problem
"""

from .errors import (
    AmbiguousRunId,
    ChecklistError,
    ConfirmationRequired,
    ExchangeError,
    InvalidState,
    OperatorRequired,
    ReasonRequired,
    RunClosed,
    RunNotFound,
    SaveFailed,
    StaleState,
    StoreUnavailable,
    ValueNotAccepted,
)
from .exchange import ImportResult, export_json, export_markdown, export_run, import_run
from .report import RunReport, StepReport
from .runs import (
    DONE,
    NA,
    PENDING,
    SKIPPED,
    STATE_NAMES,
    STATES,
    Event,
    Holding,
    IncidentValue,
    ItemState,
    Note,
    Outline,
    Run,
    RunState,
    StepProgress,
    format_ts,
    requirements,
)
from .store import ChecklistStore

__all__ = [
    "DONE", "NA", "PENDING", "SKIPPED", "STATES", "STATE_NAMES",
    "AmbiguousRunId", "ChecklistError", "ChecklistStore", "ConfirmationRequired", "Event",
    "ExchangeError", "Holding", "ImportResult", "IncidentValue", "InvalidState", "ItemState",
    "Note", "OperatorRequired", "Outline", "ReasonRequired", "Run", "RunClosed", "RunNotFound",
    "RunReport", "RunState", "SaveFailed", "StaleState", "StepProgress", "StepReport",
    "StoreUnavailable",
    "ValueNotAccepted", "export_json", "export_markdown", "export_run", "format_ts",
    "import_run", "requirements",
]

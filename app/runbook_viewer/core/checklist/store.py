"""The checklist store: runs and their append-only event log in SQLite.

Every write is one ``BEGIN IMMEDIATE … COMMIT`` with ``synchronous=FULL``: when a write method
returns, the event is on disk (the UI may show "saved"); when it raises, nothing was written.
Writes only ever INSERT events (triggers refuse UPDATE/DELETE), so two app instances writing
the same run at once lose nothing — each waits for the other's lock (busy timeout) and appends.
See :mod:`runbook_viewer.core.checklist` for the API overview.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ..model import ChecklistItem, Runbook
from . import clock, rows
from .connection import R, StoreConnection
from .database import Damaged
from .errors import (
    AmbiguousRunId,
    ChecklistError,
    ConfirmationRequired,
    InvalidState,
    OperatorRequired,
    ReasonRequired,
    RunClosed,
    RunNotFound,
    StaleState,
)
from .incident import IncidentEvents
from .merge import merge_run
from .runs import (
    CLOSE,
    NOTE,
    REOPEN,
    RESET,
    SET,
    SKIPPED,
    START,
    STATE_NAMES,
    STATES,
    Event,
    Outline,
    Run,
    RunRef,
    RunState,
    derive,
    format_ts,
    requirements,
    utc_now,
)

MAX_OPERATOR = 100
RUN_COLUMNS = ", ".join((*rows.RUN_FIELDS, "crc"))
EVENT_COLUMNS = ", ".join(("id", *rows.EVENT_FIELDS, "crc"))


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed to single spaces; None for nothing but whitespace."""
    return " ".join(text.split()) or None if text else None


def _json_dict(text: str | None) -> dict[str, Any]:
    """A JSON object column as a dict. Text that is not JSON is damage (the store recovers);
    JSON of another shape (an old version's import) reads as empty."""
    try:
        data = json.loads(text or "{}")
    except (ValueError, RecursionError):
        raise Damaged("a stored JSON column is not valid JSON") from None
    return data if isinstance(data, dict) else {}


def library_root_of(rb: Runbook) -> str:
    root = rb.abs_path
    for _ in rb.path.split("/"):
        root = root.parent
    return str(root)


class ChecklistStore(IncidentEvents, StoreConnection):
    """Open (create, migrate, or recover) the checklist database; ``path=None`` = the default.

    ``recovery_notice`` is a sentence for the UI when the database had to be moved aside or
    cannot be saved to; ``persistent`` is False when nothing can be saved (writes raise
    :class:`SaveFailed`, or with ``volatile_writes=True`` are kept in memory for the session).
    ``on_notice`` (a callable) hears of recoveries that happen while the store is in use.
    """

    def __init__(self, path: Path | str | None = None, *,
                 clock: Callable[[], str] = utc_now, volatile_writes: bool = False) -> None:
        self._clock = clock
        self._outlines: dict[str, Outline] = {}
        super().__init__(path, volatile_writes=volatile_writes)

    def __enter__(self) -> ChecklistStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _reset(self) -> None:
        self._outlines.clear()

    def _query(self, sql: str, args: tuple[Any, ...] | list[Any] = (),
               convert: Callable[..., Any] | None = None) -> list[Any]:
        """Rows of ``sql`` (converted inside the recovery guard: a JSON column that does not
        decode is damage too)."""
        def fetch(conn: sqlite3.Connection) -> list[Any]:
            rows = conn.execute(sql, args).fetchall()
            return [convert(r) for r in rows] if convert else rows

        return self.read(fetch)

    def _write(self, work: Callable[[sqlite3.Connection], R]) -> R:
        return self.write(work)

    # -- settings --------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._write(lambda c: c.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value)))

    def get_operator(self) -> str | None:
        return self.get_setting("operator")

    def set_operator(self, name: str) -> str:
        """Remember the operator's name or initials (asked once by the UI)."""
        clean = _clean(name)
        if not clean:
            raise OperatorRequired("The operator name cannot be empty.")
        if len(clean) > MAX_OPERATOR:
            raise OperatorRequired(f"The operator name is longer than {MAX_OPERATOR} characters.")
        self.set_setting("operator", clean)
        return clean

    def _operator(self, operator: str | None) -> str:
        clean = _clean(operator) or self.get_operator()
        if not clean:
            raise OperatorRequired("No operator name: enter your name or initials first "
                                   "(it is recorded with every tick and remembered).")
        return clean[:MAX_OPERATOR]

    # -- reading ---------------------------------------------------------------------------
    @staticmethod
    def _run(row: Any) -> Run:
        if not rows.run_row_ok(dict(zip((*rows.RUN_FIELDS, "crc"), row, strict=True))):
            raise Damaged("a stored run does not match its checksum")
        *fields, snapshot, _crc = row
        return Run(*fields, snapshot=_json_dict(snapshot))  # type: ignore[misc]  # row order

    def get_run(self, run_id: str) -> Run:
        """The run's record as stored now, by its full id (no prefix: see :meth:`resolve_run`)."""
        rows = self._query(f"SELECT {RUN_COLUMNS} FROM runs WHERE run_id = ?", (run_id,),
                           self._run)
        if not rows:
            raise RunNotFound(f"No checklist run {run_id!r}.")
        return cast(Run, rows[0])

    def resolve_run(self, run_id: str) -> Run:
        """The run with this id, or with this unique id prefix (as the CLI accepts): resolve
        what a person typed once, then hand the :class:`Run` to the other methods."""
        wanted = (run_id or "").strip().lower()
        if not wanted:
            raise RunNotFound("No run id given.")
        with contextlib.suppress(RunNotFound):
            return self.get_run(wanted)
        rows = self._query(
            f"SELECT {RUN_COLUMNS} FROM runs WHERE substr(run_id, 1, ?) = ? LIMIT 3",
            (len(wanted), wanted), self._run)
        if not rows:
            raise RunNotFound(f"No checklist run {run_id!r}.")
        if len(rows) > 1:
            raise AmbiguousRunId(f"Run id {run_id!r} matches several runs; give more of it.")
        return cast(Run, rows[0])

    def run_of(self, run: RunRef) -> Run:
        """``run`` itself, or the run with this full id."""
        return run if isinstance(run, Run) else self.get_run(run)

    def runs(self, runbook_path: str | None = None, *, is_open: bool | None = None) -> list[Run]:
        """Runs, newest first; filtered by runbook path and/or open/closed."""
        where, args = [], []
        if runbook_path is not None:
            where.append("runbook_path = ?")
            args.append(runbook_path)
        if is_open is not None:
            where.append("closed_at IS NULL" if is_open else "closed_at IS NOT NULL")
        sql = f"SELECT {RUN_COLUMNS} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._query(sql + " ORDER BY started_at DESC, rowid DESC", args, self._run)

    def open_runs(self, runbook_path: str | None = None) -> list[Run]:
        return self.runs(runbook_path, is_open=True)

    def past_runs(self, runbook_path: str | None = None) -> list[Run]:
        return self.runs(runbook_path, is_open=False)

    def active_run(self, runbook_path: str) -> Run | None:
        """The newest open run of this runbook: the one a tick continues."""
        found = self.open_runs(runbook_path)
        return found[0] if found else None

    def timeline(self, run: RunRef) -> list[Event]:
        """Every event of the run in clock order (the same on every store that holds them)."""
        run = self.run_of(run)
        return self._query(f"SELECT {EVENT_COLUMNS} FROM events WHERE run_id = ? "
                           "ORDER BY hlc, uid", (run.run_id,), self._event)

    @staticmethod
    def _event(row: Any) -> Event:
        if not rows.event_row_ok(dict(zip(("id", *rows.EVENT_FIELDS, "crc"), row,
                                           strict=True))):
            raise Damaged("a stored checklist event does not match its checksum")
        *fields, payload, hlc, _crc = row
        return Event(*fields, payload=_json_dict(payload), hlc=hlc or "")  # type: ignore[misc]

    def outline(self, run: RunRef) -> Outline:
        """The checklist as it was when the run started."""
        run = self.run_of(run)
        if run.run_id not in self._outlines:
            self._outlines[run.run_id] = Outline.from_snapshot(run.snapshot)
        return self._outlines[run.run_id]

    def run_state(self, run: RunRef, runbook: Runbook | None = None) -> RunState:
        """Current state: over ``runbook`` as it is now if given, else the start snapshot."""
        run = self.run_of(run)
        start = self.outline(run)
        if runbook is None:
            return derive(run, self.timeline(run), start)
        state = derive(run, self.timeline(run), Outline.from_runbook(runbook),
                       runbook.content_hash, start)
        for old, new in runbook.anchor_aliases.items():
            if old in state.notes:  # a note written under a step's pre-0.2 anchor
                state.notes.setdefault(new, []).extend(state.notes.pop(old))
        return state

    # -- writing ---------------------------------------------------------------------------
    def start_run(self, runbook: Runbook, operator: str | None = None, incident: str | None = None,
                  title: str | None = None) -> Run:
        """Start a new run of ``runbook`` (several may be open at once, one per incident)."""
        op = self._operator(operator)
        outline = Outline.from_runbook(runbook)
        ts = self._clock()
        run = Run(str(uuid.uuid4()), runbook.path, library_root_of(runbook), runbook.title,
                  runbook.content_hash, runbook.version, _clean(incident), _clean(title), op, ts,
                  None, outline.to_snapshot())

        def work(c: sqlite3.Connection) -> None:
            rows.insert_run(c, run)
            self._insert(c, run.run_id, ts, op, START, payload={
                "runbook_path": run.runbook_path, "content_hash": run.content_hash,
                "version": run.runbook_version, "incident": run.incident, "title": run.title})

        self._write(work)
        self._outlines[run.run_id] = outline
        return run

    def ensure_run(self, runbook: Runbook, operator: str | None = None) -> Run:
        """What a tick does: continue the runbook's newest open run, or start one."""
        return self.active_run(runbook.path) or self.start_run(runbook, operator)

    def _insert(self, c: sqlite3.Connection, run_id: str, ts: str, operator: str, kind: str,
                **values: Any) -> Event:
        last = c.execute("SELECT max(hlc) FROM events").fetchone()[0]
        ev = Event(0, uuid.uuid4().hex, run_id, ts, operator, kind, values.get("item_id"),
                   values.get("step_anchor"), values.get("state"), values.get("reason"),
                   values.get("note"), values.get("payload") or {}, clock.tick(last, ts))
        cur = rows.insert_event(c, ev)
        return dataclasses.replace(ev, id=cur.lastrowid or 0)

    def _append(self, run: RunRef, kind: str, operator: str | None, *,
                require_open: bool = True,
                check: Callable[[sqlite3.Connection, Run], None] | None = None,
                **values: Any) -> Event:
        op = self._operator(operator)
        run = self.run_of(run)

        def work(c: sqlite3.Connection) -> Event:
            row = c.execute("SELECT closed_at FROM runs WHERE run_id = ?",
                            (run.run_id,)).fetchone()  # re-read under the write lock
            if row is None:
                raise RunNotFound(f"No checklist run {run.run_id!r}.")
            if require_open and row[0] is not None:
                raise RunClosed(f"Run {run.short_id} was closed at {format_ts(row[0])}; reopen "
                                "it or start a new run to change it.")
            if check is not None:
                check(c, run)
            ts = self._clock()
            ev = self._insert(c, run.run_id, ts, op, kind, **values)
            if kind in (CLOSE, REOPEN):
                c.execute("UPDATE runs SET closed_at = ? WHERE run_id = ?",
                          (ts if kind == CLOSE else None, run.run_id))
            return ev

        return self._write(work)

    def set_item(self, run: RunRef, item: ChecklistItem | str, state: str,
                 operator: str | None = None, reason: str | None = None,
                 confirm_constitutional: bool = False, *, expected: str | None = None,
                 runbook: Runbook | None = None) -> Event:
        """Record ``item``'s new state. Durable when it returns; raises ChecklistError if refused.

        ``item`` is a ChecklistItem, or an id of ``runbook`` (as it is now) or of the run's
        start snapshot. Skipped needs a reason; a 🔴 constitutional item skipped or marked not
        applicable needs a reason and ``confirm_constitutional=True``.

        ``expected``: the state the caller showed for the item. If the item's state is
        different by the time the write lock is held (another window, an import), nothing is
        written and :class:`StaleState` says what it is now — a click never overwrites a change
        the operator did not see.
        """
        if state not in STATES:
            raise InvalidState(f"Unknown item state {state!r}; use one of {', '.join(STATES)}.")
        run = self.run_of(run)
        if isinstance(item, str):
            known = (runbook.items if runbook is not None else []) + self.outline(run).items
            found = next((i for i in known if i.id == item), None)
            if found is None:
                raise ChecklistError(f"Item {item!r} is not in this run's checklist.")
            item = found
        reason = _clean(reason)
        needs_reason, needs_confirmation = requirements(item, state)
        what = "Skipping an item" if state == SKIPPED else "Marking an item not applicable"
        if needs_confirmation:
            what = f"■ Constitutional item: {what.lower()}"
        if needs_reason and not reason:
            raise ReasonRequired(f"{what} needs a reason; it goes into the record.")
        if needs_confirmation and not confirm_constitutional:
            raise ConfirmationRequired(f"{what} needs an explicit confirmation.")
        outline = self.outline(run)
        payload: dict[str, Any] = {"text": item.text,
                                   "step_title": outline.step_title(item.section_anchor),
                                   "label": item.label.value if item.label else None}
        if needs_confirmation:
            payload["confirmed_constitutional"] = True
        check = None
        if expected is not None:
            check = self._expecting(item, expected, runbook)
        return self._append(run, SET, operator, check=check, item_id=item.id,
                            step_anchor=item.section_anchor, state=state, reason=reason,
                            payload=payload)

    def _expecting(self, item: ChecklistItem, expected: str, runbook: Runbook | None
                   ) -> Callable[[sqlite3.Connection, Run], None]:
        """A check, run under the write lock, that ``item`` still has the state ``expected``."""
        def check(c: sqlite3.Connection, run: Run) -> None:
            found = c.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE run_id = ?",
                              (run.run_id,)).fetchall()
            start = self.outline(run.run_id)
            outline = Outline.from_runbook(runbook) if runbook is not None else start
            now = derive(run, [self._event(r) for r in found], outline, None, start)
            current = now.by_id.get(item.id)
            if current is not None and current.state != expected:
                who = f" by {current.operator} at {format_ts(current.ts)}" if current.ts else ""
                raise StaleState(
                    f"“{item.text}” was changed{who} in another window or by an import: it is "
                    f"now {STATE_NAMES[current.state]}. Nothing was saved; the checklist now "
                    "shows it — click again to change it.")
        return check

    def add_note(self, run: RunRef, step_anchor: str, text: str, operator: str | None = None,
                 step_title: str | None = None) -> Event:
        """Attach a note to a step (kept through resets; shown in the timeline)."""
        note = (text or "").strip()
        if not note:
            raise ChecklistError("A note needs some text.")
        run = self.run_of(run)
        title = step_title or self.outline(run).step_title(step_anchor)
        return self._append(run, NOTE, operator, step_anchor=step_anchor, note=note,
                            payload={"step_title": title})

    def reset_run(self, run: RunRef, operator: str | None = None,
                  reason: str | None = None) -> Event:
        """Every item back to pending; the history before the reset stays in the timeline."""
        return self._append(run, RESET, operator, reason=_clean(reason))

    def close_run(self, run: RunRef, operator: str | None = None,
                  reason: str | None = None) -> Event:
        return self._append(run, CLOSE, operator, reason=_clean(reason))

    def reopen_run(self, run: RunRef, operator: str | None = None,
                   reason: str | None = None) -> Event:
        return self._append(run, REOPEN, operator, require_open=False, reason=_clean(reason))

    def merge_run(self, run: Run, events: list[Event]) -> tuple[bool, int]:
        """Import a validated run and its events (see :func:`.merge.merge_run`)."""
        result = self._write(lambda c: merge_run(c, run, events))
        self._outlines.pop(run.run_id, None)
        return result

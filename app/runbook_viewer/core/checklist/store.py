"""The checklist store: runs and their append-only event log in SQLite.

Every write is one ``BEGIN IMMEDIATE … COMMIT`` with ``synchronous=FULL``: when a write method
returns, the event is on disk (the UI may show "saved"); when it raises, nothing was written.
Writes only ever INSERT events (triggers refuse UPDATE/DELETE), so two app instances writing
the same run at once lose nothing — each waits for the other's lock (busy timeout) and appends.
See :mod:`runbook_viewer.core.checklist` for the API overview.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from .. import paths
from ..model import ChecklistItem, Runbook
from .database import open_database
from .errors import (
    AmbiguousRunId,
    ChecklistError,
    ConfirmationRequired,
    InvalidState,
    OperatorRequired,
    ReasonRequired,
    RunClosed,
    RunNotFound,
    SaveFailed,
    StoreUnavailable,
)
from .runs import (
    CLOSE,
    NOTE,
    REOPEN,
    RESET,
    SET,
    SKIPPED,
    START,
    STATES,
    Event,
    Outline,
    Run,
    RunState,
    derive,
    format_ts,
    requirements,
    utc_now,
)

MAX_OPERATOR = 100
RUN_COLUMNS = ("run_id, runbook_path, library_root, runbook_title, content_hash, runbook_version, "
               "incident, title, operator, started_at, closed_at, snapshot")
EVENT_COLUMNS = "id, uid, run_id, ts, operator, kind, item_id, step_anchor, state, reason, note, " \
                "payload"


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed to single spaces; None for nothing but whitespace."""
    return " ".join(text.split()) or None if text else None


def _json_dict(text: str | None) -> dict:
    """A JSON object column as a dict; anything unreadable reads as empty, never raises."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def library_root_of(rb: Runbook) -> str:
    root = rb.abs_path
    for _ in rb.path.split("/"):
        root = root.parent
    return str(root)


class ChecklistStore:
    """Open (create, migrate, or recover) the checklist database; ``path=None`` = the default.

    ``recovery_notice`` is a sentence for the UI when the database had to be moved aside or
    cannot be saved to; ``persistent`` is False when ticks are only kept in memory.
    """

    def __init__(self, path: Path | str | None = None, *,
                 clock: Callable[[], str] = utc_now) -> None:
        self._clock = clock
        self._outlines: dict[str, Outline] = {}
        target: Path | None
        pre_notice = None
        try:
            target = Path(path) if path is not None else paths.checklist_db()
        except OSError as exc:
            target = None
            pre_notice = (f"The state folder cannot be created ({exc.strerror or exc}): "
                          "ticks in this window are NOT saved.")
        opened = open_database(target)
        self._conn = opened.conn
        self.path: Path | None = opened.path
        self.persistent: bool = opened.persistent
        self.recovery_notice: str | None = pre_notice or opened.notice
        self.moved_to: Path | None = opened.moved_to
        self.migrated_from: int | None = opened.migrated_from

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ChecklistStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _query(self, sql: str, args=()) -> list:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"The checklist database cannot be read ({exc}); restart "
                                   "Runbook Viewer to recover it.") from exc

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
    def _run(row) -> Run:
        *fields, snapshot = row
        return Run(*fields, snapshot=_json_dict(snapshot))

    def get_run(self, run_id: str) -> Run:
        """The run with this id, or with this unique id prefix (as the CLI accepts)."""
        wanted = (run_id or "").strip().lower()
        if not wanted:
            raise RunNotFound("No run id given.")
        rows = self._query(f"SELECT {RUN_COLUMNS} FROM runs WHERE run_id = ?", (wanted,))
        if rows:
            return self._run(rows[0])
        rows = self._query(
            f"SELECT {RUN_COLUMNS} FROM runs WHERE substr(run_id, 1, ?) = ? LIMIT 3",
            (len(wanted), wanted))
        if not rows:
            raise RunNotFound(f"No checklist run {run_id!r}.")
        if len(rows) > 1:
            raise AmbiguousRunId(f"Run id {run_id!r} matches several runs; give more of it.")
        return self._run(rows[0])

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
        rows = self._query(sql + " ORDER BY started_at DESC, rowid DESC", args)
        return [self._run(r) for r in rows]

    def open_runs(self, runbook_path: str | None = None) -> list[Run]:
        return self.runs(runbook_path, is_open=True)

    def past_runs(self, runbook_path: str | None = None) -> list[Run]:
        return self.runs(runbook_path, is_open=False)

    def active_run(self, runbook_path: str) -> Run | None:
        """The newest open run of this runbook: the one a tick continues."""
        found = self.open_runs(runbook_path)
        return found[0] if found else None

    def timeline(self, run_id: str) -> list[Event]:
        """Every event of the run, in the order this store recorded them."""
        run = self.get_run(run_id)
        rows = self._query(f"SELECT {EVENT_COLUMNS} FROM events WHERE run_id = ? ORDER BY id",
                           (run.run_id,))
        return [self._event(r) for r in rows]

    @staticmethod
    def _event(row) -> Event:
        *fields, payload = row
        return Event(*fields, payload=_json_dict(payload))

    def outline(self, run_id: str) -> Outline:
        """The checklist as it was when the run started."""
        run = self.get_run(run_id)
        if run.run_id not in self._outlines:
            self._outlines[run.run_id] = Outline.from_snapshot(run.snapshot)
        return self._outlines[run.run_id]

    def run_state(self, run_id: str, runbook: Runbook | None = None) -> RunState:
        """Current state: over ``runbook`` as it is now if given, else the start snapshot."""
        run = self.get_run(run_id)
        outline = Outline.from_runbook(runbook) if runbook is not None else self.outline(
            run.run_id)
        state = derive(run, self.timeline(run.run_id), outline,
                       runbook.content_hash if runbook is not None else None)
        for old, new in (runbook.anchor_aliases if runbook is not None else {}).items():
            if old in state.notes:  # a note written under a step's pre-0.2 anchor
                state.notes.setdefault(new, []).extend(state.notes.pop(old))
        return state

    # -- writing ---------------------------------------------------------------------------
    def _write(self, work: Callable[[sqlite3.Connection], object]):
        """Run ``work`` in one IMMEDIATE transaction, committed durably; SaveFailed if not."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise SaveFailed(f"Not saved: the checklist database refused the write ({exc}).") \
                from exc
        return result

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
            c.execute(f"INSERT INTO runs ({RUN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                      (run.run_id, run.runbook_path, run.library_root, run.runbook_title,
                       run.content_hash, run.runbook_version, run.incident, run.title,
                       run.operator, run.started_at, None, json.dumps(run.snapshot)))
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
                **values) -> Event:
        ev = Event(0, uuid.uuid4().hex, run_id, ts, operator, kind, values.get("item_id"),
                   values.get("step_anchor"), values.get("state"), values.get("reason"),
                   values.get("note"), values.get("payload") or {})
        cur = c.execute(
            "INSERT INTO events (uid, run_id, ts, operator, kind, item_id, step_anchor, state, "
            "reason, note, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (ev.uid, run_id, ts, operator, kind, ev.item_id, ev.step_anchor, ev.state, ev.reason,
             ev.note, json.dumps(ev.payload, ensure_ascii=False)))
        return dataclasses.replace(ev, id=cur.lastrowid or 0)

    def _append(self, run_id: str, kind: str, operator: str | None, *, require_open: bool = True,
                **values) -> Event:
        op = self._operator(operator)
        run = self.get_run(run_id)

        def work(c: sqlite3.Connection) -> Event:
            row = c.execute("SELECT closed_at FROM runs WHERE run_id = ?",
                            (run.run_id,)).fetchone()  # re-read under the write lock
            if row is None:
                raise RunNotFound(f"No checklist run {run_id!r}.")
            if require_open and row[0] is not None:
                raise RunClosed(f"Run {run.short_id} was closed at {format_ts(row[0])}; reopen "
                                "it or start a new run to change it.")
            ts = self._clock()
            ev = self._insert(c, run.run_id, ts, op, kind, **values)
            if kind in (CLOSE, REOPEN):
                c.execute("UPDATE runs SET closed_at = ? WHERE run_id = ?",
                          (ts if kind == CLOSE else None, run.run_id))
            return ev

        return self._write(work)

    def set_item(self, run_id: str, item: ChecklistItem | str, state: str,
                 operator: str | None = None, reason: str | None = None,
                 confirm_constitutional: bool = False) -> Event:
        """Record ``item``'s new state. Durable when it returns; raises ChecklistError if refused.

        ``item`` is the runbook's ChecklistItem (or an id from the run's start snapshot).
        Skipped needs a reason; a 🔴 constitutional item skipped or marked not applicable needs
        a reason and ``confirm_constitutional=True``.
        """
        if state not in STATES:
            raise InvalidState(f"Unknown item state {state!r}; use one of {', '.join(STATES)}.")
        if isinstance(item, str):
            found = next((i for i in self.outline(run_id).items if i.id == item), None)
            if found is None:
                raise ChecklistError(f"Item {item!r} is not in this run's checklist.")
            item = found
        reason = _clean(reason)
        needs_reason, needs_confirmation = requirements(item, state)
        what = "Skipping an item" if state == SKIPPED else "Marking an item not applicable"
        if needs_confirmation:
            what = f"🔴 Constitutional item: {what.lower()}"
        if needs_reason and not reason:
            raise ReasonRequired(f"{what} needs a reason; it goes into the record.")
        if needs_confirmation and not confirm_constitutional:
            raise ConfirmationRequired(f"{what} needs an explicit confirmation.")
        outline = self.outline(run_id)
        payload = {"text": item.text, "step_title": outline.step_title(item.section_anchor),
                   "label": item.label.value if item.label else None}
        if needs_confirmation:
            payload["confirmed_constitutional"] = True
        return self._append(run_id, SET, operator, item_id=item.id,
                            step_anchor=item.section_anchor, state=state, reason=reason,
                            payload=payload)

    def add_note(self, run_id: str, step_anchor: str, text: str, operator: str | None = None,
                 step_title: str | None = None) -> Event:
        """Attach a note to a step (kept through resets; shown in the timeline)."""
        note = (text or "").strip()
        if not note:
            raise ChecklistError("A note needs some text.")
        title = step_title or self.outline(run_id).step_title(step_anchor)
        return self._append(run_id, NOTE, operator, step_anchor=step_anchor, note=note,
                            payload={"step_title": title})

    def reset_run(self, run_id: str, operator: str | None = None,
                  reason: str | None = None) -> Event:
        """Every item back to pending; the history before the reset stays in the timeline."""
        return self._append(run_id, RESET, operator, reason=_clean(reason))

    def close_run(self, run_id: str, operator: str | None = None,
                  reason: str | None = None) -> Event:
        return self._append(run_id, CLOSE, operator, reason=_clean(reason))

    def reopen_run(self, run_id: str, operator: str | None = None,
                   reason: str | None = None) -> Event:
        return self._append(run_id, REOPEN, operator, require_open=False, reason=_clean(reason))

    def merge_run(self, run: Run, events: list[Event]) -> tuple[bool, int]:
        """Import: add ``run`` if new and every event whose uid is unknown, in the given order.

        Returns (run was created, number of events added). Idempotent. closed_at is re-derived
        from the last close/reopen event.
        """
        def work(c: sqlite3.Connection) -> tuple[bool, int]:
            created = c.execute(
                f"INSERT OR IGNORE INTO runs ({RUN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (run.run_id, run.runbook_path, run.library_root, run.runbook_title,
                 run.content_hash, run.runbook_version, run.incident, run.title, run.operator,
                 run.started_at, None, json.dumps(run.snapshot))).rowcount == 1
            added = 0
            for ev in events:
                added += c.execute(
                    "INSERT OR IGNORE INTO events (uid, run_id, ts, operator, kind, item_id, "
                    "step_anchor, state, reason, note, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (ev.uid, run.run_id, ev.ts, ev.operator, ev.kind, ev.item_id, ev.step_anchor,
                     ev.state, ev.reason, ev.note,
                     json.dumps(ev.payload, ensure_ascii=False))).rowcount
            last = c.execute("SELECT kind, ts FROM events WHERE run_id = ? AND kind IN (?, ?) "
                             "ORDER BY id DESC LIMIT 1", (run.run_id, CLOSE, REOPEN)).fetchone()
            c.execute("UPDATE runs SET closed_at = ? WHERE run_id = ?",
                      (last[1] if last and last[0] == CLOSE else None, run.run_id))
            return created, added

        result = self._write(work)
        self._outlines.pop(run.run_id, None)
        return result

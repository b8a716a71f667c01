"""Importing a validated run: add what is new, refuse what would silently drop events."""

from __future__ import annotations

import sqlite3

from .errors import ExchangeError
from .rows import insert_event, insert_run
from .runs import Event, Run
from .salvage import rederive_closed

IDENTITY = ("kind", "ts", "operator", "item_id", "step_anchor", "state", "reason", "note")


def merge_run(c: sqlite3.Connection, run: Run, events: list[Event]) -> tuple[bool, int]:
    """Inside the caller's write transaction: add ``run`` if new and every event whose uid is
    unknown. Returns (run was created, number of events added).

    Idempotent. Refused with :class:`ExchangeError`, writing nothing, when the run id is
    another runbook's run here, or an event uid already belongs to another run or to a
    different event. A new run keeps no ``library_root``: an imported file never decides
    which files this laptop opens. closed_at is re-derived from the clock order.
    """
    check_ownership(c, run, events)
    created = insert_run(c, run, library_root="", ignore=True) == 1
    added = sum(insert_event(c, ev, ignore=True).rowcount for ev in events)
    rederive_closed(c, run.run_id)
    return created, added


def check_ownership(c: sqlite3.Connection, run: Run, events: list[Event]) -> None:
    """Refuse an import that would silently drop events: uids that belong to another run, or
    name a different event of this run (the file was edited or is from a damaged store)."""
    row = c.execute("SELECT runbook_path FROM runs WHERE run_id = ?", (run.run_id,)).fetchone()
    if row is not None and row[0] != run.runbook_path:
        raise ExchangeError(f"Run {run.short_id} already exists here as a run of {row[0]}, not "
                            f"of {run.runbook_path}; nothing was imported.")
    mine = {ev.uid: ev for ev in events}
    uids = list(mine)
    for start in range(0, len(uids), 500):
        chunk = uids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for found in c.execute(f"SELECT uid, run_id, {', '.join(IDENTITY)} FROM events "
                               f"WHERE uid IN ({marks})", chunk):
            uid, owner, *values = found
            if owner != run.run_id:
                raise ExchangeError(
                    f"Event {uid} in the file already belongs to another run here "
                    f"({owner[:8]}); the file was edited or copied from another run. Nothing "
                    "was imported.")
            ev = mine[uid]
            if tuple(values) != tuple(getattr(ev, k) for k in IDENTITY):
                raise ExchangeError(
                    f"Event {uid} in the file differs from the event with the same uid already "
                    "recorded here; the file was edited. Nothing was imported.")

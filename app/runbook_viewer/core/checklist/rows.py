"""Rows of the runs and events tables: one way to write them, one way to check them.

SQLite checks the structure of its pages (``PRAGMA quick_check``) but not what a row says: a
bit flipped inside a stored text stays valid text, and a tick would silently move to another
item id or operator. So every run and event row carries ``crc``, a CRC-32 of its fields as
written (``closed_at``, the one column ever updated, is left out). A row whose CRC does not
match is damage: the store recovers (moves the file aside, salvages every row that checks).
Rows written before schema v3 got their CRC from what they held when migrated.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from typing import Any

from .runs import Event, Run

RUN_FIELDS = ("run_id", "runbook_path", "library_root", "runbook_title", "content_hash",
              "runbook_version", "incident", "title", "operator", "started_at", "closed_at",
              "snapshot")
EVENT_FIELDS = ("uid", "run_id", "ts", "operator", "kind", "item_id", "step_anchor", "state",
                "reason", "note", "payload", "hlc")
RUN_CHECKED = tuple(f for f in RUN_FIELDS if f != "closed_at")


def crc(values: Iterable[Any]) -> int:
    """CRC-32 of a row's values (None and "" differ; every value as stored)."""
    text = "\x1f".join("\x00" if v is None else str(v) for v in values)
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def run_values(run: Run, library_root: str | None = None) -> dict[str, Any]:
    values = {f: getattr(run, f) for f in RUN_FIELDS if f != "snapshot"}
    values["library_root"] = run.library_root if library_root is None else library_root
    values["closed_at"] = None
    values["snapshot"] = json.dumps(run.snapshot)
    return values


def event_values(ev: Event) -> dict[str, Any]:
    values = {f: getattr(ev, f) for f in EVENT_FIELDS if f != "payload"}
    values["payload"] = json.dumps(ev.payload, ensure_ascii=False)
    values["hlc"] = ev.hlc or None
    return values


def insert_run(c: sqlite3.Connection, run: Run, *, library_root: str | None = None,
               ignore: bool = False) -> int:
    """INSERT the run (OR IGNORE an existing run id); returns the rows added (0 or 1)."""
    values = run_values(run, library_root)
    columns = (*RUN_FIELDS, "crc")
    return c.execute(
        f"INSERT {'OR IGNORE ' if ignore else ''}INTO runs ({', '.join(columns)}) "
        f"VALUES ({','.join('?' * len(columns))})",
        (*(values[f] for f in RUN_FIELDS), crc(values[f] for f in RUN_CHECKED))).rowcount


def insert_event(c: sqlite3.Connection, ev: Event, *, ignore: bool = False) -> sqlite3.Cursor:
    """INSERT the event (OR IGNORE a known uid); ``cursor.rowcount`` says if it was added."""
    values = event_values(ev)
    columns = (*EVENT_FIELDS, "crc")
    return c.execute(
        f"INSERT {'OR IGNORE ' if ignore else ''}INTO events ({', '.join(columns)}) "
        f"VALUES ({','.join('?' * len(columns))})",
        (*(values[f] for f in EVENT_FIELDS), crc(values[f] for f in EVENT_FIELDS)))


def run_row_ok(row: dict[str, Any]) -> bool:
    """Whether a run row (as read) matches its CRC; rows without one are taken as they are."""
    return row.get("crc") is None or row["crc"] == crc(row.get(f) for f in RUN_CHECKED)


def event_row_ok(row: dict[str, Any]) -> bool:
    return row.get("crc") is None or row["crc"] == crc(row.get(f) for f in EVENT_FIELDS)


def backfill(conn: sqlite3.Connection) -> None:
    """Give every run and event row its CRC (migration to v3, inside its transaction; the
    caller has lifted the append-only guard)."""
    for table, fields in (("runs", RUN_CHECKED), ("events", EVENT_FIELDS)):
        rows = conn.execute(f"SELECT rowid, {', '.join(fields)} FROM {table}").fetchall()
        conn.executemany(f"UPDATE {table} SET crc = ? WHERE rowid = ?",
                         [(crc(r[1:]), r[0]) for r in rows])

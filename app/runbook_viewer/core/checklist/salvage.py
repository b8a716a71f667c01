"""Salvage: copy every readable run and event out of a damaged checklist database.

In the manner of SQLite's ``.recover``, but with nothing beyond the standard library: the
damaged file is opened read-only (``mode=ro``, else ``immutable=1``), each table is scanned row
by row and, where a damaged page stops the scan, probed rowid by rowid past it. Each row is
decoded strictly and validated with the same rules as an imported file (:mod:`.importcheck`);
a row that fails is counted as lost, never guessed. A run's unreadable start snapshot or an
event's unreadable payload is replaced by an empty one (the run and the tick are kept; the
details shown with them are not). Events whose run row is lost keep their run when its start
event survived. The result goes into a fresh database in one transaction.

The same reader re-persists a live connection whose file was deleted or replaced on disk
(:mod:`.store`): it reads what that connection still sees.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from . import clock, rows
from .errors import ExchangeError
from .importcheck import parse_event, parse_run
from .runs import CLOSE, REOPEN, START, Event, Run

RUN_FIELDS = (*rows.RUN_FIELDS, "crc")
EVENT_FIELDS = (*rows.EVENT_FIELDS, "crc")
MAX_MISSES = 1000  # rowid probing stops after this many rowids in a row with no row at all
MAX_PROBE = 500_000  # …and never probes further than this past the last row it read


@dataclass
class Dump:
    """What could be read: valid runs, events and settings, and what was lost."""

    runs: dict[str, Run] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    lost: int = 0  # rows that could not be read or failed validation
    repaired: int = 0  # rows kept without their snapshot/payload details

    def summary(self) -> str:
        if not (self.runs or self.events or self.lost):
            return "nothing — no run could be read from the old file"
        text = f"{len(self.runs)} run(s) and {len(self.events)} event(s) were kept"
        if self.repaired:
            text += f" ({self.repaired} without some of their details)"
        if self.lost:
            text += f"; {self.lost} damaged record(s) could not be read and stay in the old file"
        return text


def _rows(conn: sqlite3.Connection, table: str, columns: list[str], dump: Dump
          ) -> Iterator[dict[str, Any]]:
    """Yield every readable row of ``table`` as a dict of raw values (bytes for text)."""
    select = f"SELECT rowid, {', '.join(columns)} FROM {table}"
    last = 0
    try:
        for row in conn.execute(f"{select} ORDER BY rowid"):
            last = row[0]
            yield dict(zip(columns, row[1:], strict=True))
        return
    except sqlite3.DatabaseError:
        pass  # a damaged page stopped the scan: probe past it, rowid by rowid
    hint = _highest_rowid(conn, table)
    end = last + MAX_PROBE  # a damaged counter must not make this loop for ever
    misses = unreadable = 0
    rowid = last
    while rowid < end and (misses + unreadable < MAX_MISSES
                           or (hint is not None and rowid < hint)):
        rowid += 1
        try:
            row = conn.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            unreadable += 1  # a row (or a gap) behind a damaged page: counted once one follows
            continue
        if row is None:
            misses += 1
            continue
        dump.lost += unreadable
        misses = unreadable = 0
        yield dict(zip(columns, row[1:], strict=True))
    if hint is not None:
        dump.lost += max(0, min(unreadable, hint - (rowid - misses - unreadable)))


def _highest_rowid(conn: sqlite3.Connection, table: str) -> int | None:
    """The largest rowid the table ever had, when the database can still say it."""
    for sql, args in (("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)),
                      (f"SELECT max(rowid) FROM {table}", ())):
        try:
            row = conn.execute(sql, args).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row and isinstance(row[0], int):
            return row[0]
    return None


def _text(value: Any) -> str | None:
    """Strict decoding: bytes that are not UTF-8 make the row unreadable."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return cast("str | None", value)


def _json(value: Any, dump: Dump) -> dict[str, Any] | None:
    try:
        data = json.loads(_text(value) or "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        dump.repaired += 1
        return None
    return data


def _columns(conn: sqlite3.Connection, table: str, wanted: tuple[str, ...]) -> list[str]:
    try:
        have = {row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else row[1]
                for row in conn.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        return []
    return [c for c in wanted if c in have]


def _read_runs(conn: sqlite3.Connection, dump: Dump) -> None:
    columns = _columns(conn, "runs", RUN_FIELDS)
    if "run_id" not in columns:
        return
    for raw in _rows(conn, "runs", columns, dump):
        try:
            record: dict[str, Any] = {k: _text(v) for k, v in raw.items()}
            if not rows.run_row_ok(record):
                raise ExchangeError("checksum")
            record["snapshot"] = _json(raw.get("snapshot"), dump)
            run = parse_run(record)
        except (UnicodeDecodeError, ExchangeError):
            dump.lost += 1
            continue
        dump.runs.setdefault(run.run_id, run)


def _read_events(conn: sqlite3.Connection, dump: Dump) -> None:
    columns = _columns(conn, "events", EVENT_FIELDS)
    if "uid" not in columns:
        return
    last: str | None = None
    seen: set[str] = set()
    for raw in _rows(conn, "events", columns, dump):
        try:
            record: dict[str, Any] = {k: _text(v) for k, v in raw.items()}
            if not rows.event_row_ok(record):
                raise ExchangeError("checksum")
            record["payload"] = _json(raw.get("payload"), dump) or {}
            if not clock.is_valid(record.get("hlc")):
                record["hlc"] = None  # given one below, in recorded order
            ev = parse_event(record, 0, str(record.get("run_id") or ""), last)
        except (UnicodeDecodeError, ExchangeError):
            dump.lost += 1
            continue
        if ev.uid in seen or not ev.run_id:
            dump.lost += 1
            continue
        seen.add(ev.uid)
        last = max(last or "", ev.hlc)
        dump.events.append(ev)


def read_connection(conn: sqlite3.Connection) -> Dump:
    """Everything readable through ``conn`` (its text is decoded strictly here)."""
    dump = Dump()
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        _read_runs(conn, dump)
        _read_events(conn, dump)
        if _columns(conn, "settings", ("key", "value")) == ["key", "value"]:
            for raw in _rows(conn, "settings", ["key", "value"], dump):
                try:
                    dump.settings[_text(raw["key"]) or ""] = _text(raw["value"]) or ""
                except UnicodeDecodeError:
                    dump.lost += 1
    finally:
        conn.text_factory = previous
    _adopt_orphan_events(dump)
    return dump


def _adopt_orphan_events(dump: Dump) -> None:
    """Events whose run row was lost: rebuild the run from its start event, else drop them."""
    starts = {ev.run_id: ev for ev in dump.events if ev.kind == START}
    for run_id, ev in starts.items():
        path = ev.payload.get("runbook_path")
        if run_id in dump.runs or not isinstance(path, str):
            continue
        try:
            dump.runs[run_id] = parse_run({
                "run_id": run_id, "runbook_path": path, "operator": ev.operator,
                "started_at": ev.ts, "content_hash": ev.payload.get("content_hash") or "",
                "incident": ev.payload.get("incident"), "title": ev.payload.get("title"),
                "runbook_version": ev.payload.get("version")})
            dump.repaired += 1
        except ExchangeError:
            continue
    kept = [ev for ev in dump.events if ev.run_id in dump.runs]
    dump.lost += len(dump.events) - len(kept)
    dump.events = kept


def _short_by(path: Path) -> int:
    """How many bytes the file lacks against the size its header records (a truncated file:
    SQLite then refuses to read any of it)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return 0
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return 0
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    return max(0, min(pages * page - size, 1 << 30))


def read_file(path: Path) -> Dump:
    """Everything readable in the database file at ``path`` (opened read-only; a truncated
    file is read from a copy padded to its recorded size, so the pages it still has count)."""
    missing = _short_by(path)
    if missing:
        with tempfile.TemporaryDirectory(prefix="runbook-viewer-salvage-") as folder:
            padded = Path(folder) / path.name
            shutil.copyfile(path, padded)
            with open(padded, "ab") as fh:
                fh.truncate(padded.stat().st_size + missing)
            return _read_file(padded)
    return _read_file(path)


def _read_file(path: Path) -> Dump:
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"file:{quote(str(path))}?{mode}", uri=True,
                                   isolation_level=None)
        except sqlite3.Error:
            continue
        try:
            dump = read_connection(conn)
        except sqlite3.Error:
            continue
        finally:
            conn.close()
        if dump.runs or dump.events or dump.settings or mode == "immutable=1":
            return dump
    return Dump()


def write(conn: sqlite3.Connection, dump: Dump) -> tuple[int, int]:
    """Insert the dump into ``conn`` (autocommit mode) in one transaction; rows already there
    (same run id, same event uid) are kept as they are. Returns (runs added, events added)."""
    runs_added = events_added = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for run in dump.runs.values():
            runs_added += rows.insert_run(conn, run, ignore=True)
        for ev in dump.events:
            events_added += rows.insert_event(conn, ev, ignore=True).rowcount
        for key, value in dump.settings.items():
            conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                         (key, value))
        for run_id in dump.runs:
            rederive_closed(conn, run_id)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return runs_added, events_added


def rederive_closed(conn: sqlite3.Connection, run_id: str) -> None:
    """runs.closed_at from the run's last close/reopen event in clock order."""
    last = conn.execute("SELECT kind, ts FROM events WHERE run_id = ? AND kind IN (?, ?) "
                        "ORDER BY hlc DESC, uid DESC LIMIT 1", (run_id, CLOSE, REOPEN)).fetchone()
    conn.execute("UPDATE runs SET closed_at = ? WHERE run_id = ?",
                 (last[1] if last and last[0] == CLOSE else None, run_id))

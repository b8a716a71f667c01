"""Schema of the checklist database: its version and the migrations that reach it.

The version lives in ``PRAGMA user_version``. ``MIGRATIONS[n]`` takes a database from version n
to n+1; :func:`migrate` applies the missing ones in one IMMEDIATE transaction, so two app
instances starting at once never migrate twice. A database whose version is newer than this
code knows raises :class:`SchemaTooNew` (the store moves it aside rather than guess).

History:
  v1 — runs, the append-only events table (triggers refuse UPDATE and DELETE), indexes.
  v2 — settings table (the remembered operator name), index for listing runs.
  v3 — events.hlc: the hybrid-logical-clock timestamp state is derived in (see clock.py);
       events recorded before get clock values from their timestamps in recorded order.
       runs.crc, events.crc: a CRC-32 of each row as written (see rows.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from . import clock


class SchemaTooNew(Exception):
    """The database was written by a newer version of the app."""


class SchemaMismatch(Exception):
    """The file is a SQLite database, but not (or no longer) a checklist database."""


V1 = """
CREATE TABLE runs (
    run_id          TEXT PRIMARY KEY,
    runbook_path    TEXT NOT NULL,
    library_root    TEXT NOT NULL DEFAULT '',
    runbook_title   TEXT NOT NULL DEFAULT '',
    content_hash    TEXT NOT NULL DEFAULT '',
    runbook_version TEXT,
    incident        TEXT,
    title           TEXT,
    operator        TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    closed_at       TEXT,
    snapshot        TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uid         TEXT NOT NULL UNIQUE,
    run_id      TEXT NOT NULL REFERENCES runs(run_id),
    ts          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    item_id     TEXT,
    step_anchor TEXT,
    state       TEXT,
    reason      TEXT,
    note        TEXT,
    payload     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_run ON events(run_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'checklist events are append-only: UPDATE refused');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'checklist events are append-only: DELETE refused');
END;
"""

V2 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs(started_at);
"""

NO_UPDATE_TRIGGER = """
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'checklist events are append-only: UPDATE refused');
END;
"""


def v3(conn: sqlite3.Connection) -> None:
    """Add the clock and checksum columns and fill them for existing rows: clock values in
    recorded order, then each row's CRC (the append-only guard is lifted for this one
    backfill, inside the migration's transaction)."""
    from . import rows  # rows -> runs -> clock: imported here, where it is used

    conn.execute("ALTER TABLE events ADD COLUMN hlc TEXT")
    conn.execute("ALTER TABLE events ADD COLUMN crc INTEGER")
    conn.execute("ALTER TABLE runs ADD COLUMN crc INTEGER")
    conn.execute("DROP TRIGGER events_no_update")
    found = conn.execute("SELECT id, ts FROM events ORDER BY id").fetchall()
    values = clock.legacy([str(ts) for _id, ts in found])
    conn.executemany("UPDATE events SET hlc = ? WHERE id = ?",
                     [(h, row[0]) for h, row in zip(values, found, strict=True)])
    rows.backfill(conn)
    conn.execute(NO_UPDATE_TRIGGER.strip())
    conn.execute("CREATE INDEX events_by_hlc ON events(hlc)")
    conn.execute("CREATE INDEX events_by_run_hlc ON events(run_id, hlc, uid)")


Migration = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [V1, V2, v3]  # MIGRATIONS[n]: version n -> n+1
SCHEMA_VERSION = len(MIGRATIONS)

BASE_COLUMNS = {  # present since v1: what an older database must have to be migrated
    "runs": {"run_id", "runbook_path", "library_root", "runbook_title", "content_hash",
             "runbook_version", "incident", "title", "operator", "started_at", "closed_at",
             "snapshot"},
    "events": {"id", "uid", "run_id", "ts", "operator", "kind", "item_id", "step_anchor",
               "state", "reason", "note", "payload"},
}
REQUIRED_COLUMNS = {
    "runs": BASE_COLUMNS["runs"] | {"crc"},
    "events": BASE_COLUMNS["events"] | {"hlc", "crc"},
    "settings": {"key", "value"},
}
REQUIRED_TRIGGERS = {"events_no_update", "events_no_delete"}


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    out, buf = [], ""
    for line in script.strip().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def apply(conn: sqlite3.Connection, start: int, target: int = SCHEMA_VERSION) -> None:
    """Run migrations ``start``…``target-1`` inside the caller's transaction."""
    for version in range(start, target):
        step = MIGRATIONS[version]
        if callable(step):
            step(conn)
            continue
        for statement in _statements(step):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {int(target)}")


def precheck(conn: sqlite3.Connection) -> int:
    """Read-only: raise unless this is (an older or the current) checklist database."""
    found = user_version(conn)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"it was written by a newer version of Runbook Viewer (schema version {found}; "
            f"this version reads up to {SCHEMA_VERSION})")
    if found == 0:
        if _has_tables(conn):
            raise SchemaMismatch("it is a SQLite database of some other program "
                                 "(unknown tables, no checklist schema version)")
    else:
        for table in ("runs", "events"):  # present since v1
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if not BASE_COLUMNS[table] <= have:
                raise SchemaMismatch(f"it claims schema version {found} but its {table!r} "
                                     "table is missing or incomplete")
    return found


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Bring ``conn`` (autocommit mode) to :data:`SCHEMA_VERSION`. Returns (from, to)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = precheck(conn)
        if found < SCHEMA_VERSION:
            apply(conn, found)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    verify(conn)
    return found, SCHEMA_VERSION


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table' "
                       "AND name NOT LIKE 'sqlite_%'").fetchone()
    return bool(row[0])


def verify(conn: sqlite3.Connection) -> None:
    """Raise :class:`SchemaMismatch` unless every table, column and trigger is there."""
    for table, wanted in REQUIRED_COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = wanted - have
        if missing:
            raise SchemaMismatch(f"table {table!r} lacks {', '.join(sorted(missing))}"
                                 if have else f"it has no {table!r} table")
    triggers = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger'")}
    if REQUIRED_TRIGGERS - triggers:
        raise SchemaMismatch("the append-only guard on events is missing")

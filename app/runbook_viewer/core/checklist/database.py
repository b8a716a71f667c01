"""Opening the checklist database: durable settings, integrity check, recovery.

:func:`open_database` never raises. It returns an :class:`Opened` with a connection that is
always usable:

* the file at ``path``, in WAL mode with ``synchronous=FULL`` (a COMMIT returns only after the
  write-ahead log is fsynced) and a busy timeout, so a second app instance waits instead of
  failing;
* or, when the file is corrupt, not a database, not a checklist database or from a newer app
  version: the file (and its ``-wal``/``-shm``) is renamed to ``<name>.corrupt-<UTC time>`` and
  a fresh database is created — ``notice`` says so and where the old file went;
* or, when the file cannot be used for reasons outside it (locked for too long, read-only
  folder, disk full, I/O error): nothing is moved, an in-memory database is used, ``persistent``
  is False and ``notice`` says that ticks in this session are not saved.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from . import schema

BUSY_TIMEOUT_MS = 10_000
# SQLite result codes that say "the file is not what we need" (move it aside) rather than
# "the file cannot be used right now" (leave it alone).
DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT", "SQLITE_SCHEMA",
                "SQLITE_ERROR", "SQLITE_MISMATCH", "SQLITE_CONSTRAINT"}


@dataclass
class Opened:
    conn: sqlite3.Connection
    path: Path | None  # None: in memory
    persistent: bool
    notice: str | None = None
    moved_to: Path | None = None
    migrated_from: int | None = None


class Damaged(Exception):
    """The database file is damaged or is not a usable checklist database."""


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (callers BEGIN IMMEDIATE themselves), durable pragmas."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA fullfsync = ON")  # macOS: F_FULLFSYNC, a no-op elsewhere
        conn.execute("PRAGMA checkpoint_fullfsync = ON")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def check_integrity(conn: sqlite3.Connection) -> None:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    if rows != ["ok"]:
        raise Damaged("the integrity check failed: " + "; ".join(map(str, rows)))


def validate(path: Path) -> None:
    """Check an existing file through a read-only connection, which changes nothing on disk
    (a read-write one would switch a foreign file to WAL, or checkpoint and delete its -wal)."""
    if not path.exists():
        return
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_integrity(conn)
        schema.precheck(conn)
    finally:
        conn.close()


def _prepare(path: Path) -> tuple[sqlite3.Connection, int]:
    validate(path)
    conn = connect(path)
    try:
        found, _ = schema.migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn, found


def _is_damage(exc: BaseException) -> bool:
    if isinstance(exc, Damaged | schema.SchemaTooNew | schema.SchemaMismatch):
        return True
    if isinstance(exc, sqlite3.DatabaseError):
        name = getattr(exc, "sqlite_errorname", None)
        if name:  # extended codes like SQLITE_IOERR_SHORT_READ -> primary SQLITE_IOERR
            return "_".join(name.split("_")[:2]) in DAMAGE_CODES
        return not isinstance(exc, sqlite3.OperationalError)
    return False


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def aside_name(path: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return candidate


def move_aside(path: Path) -> Path:
    """Rename the database and its -wal/-shm side files; returns the new main file name."""
    target = aside_name(path)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    os.replace(path, target)
    return target


def _memory(notice: str) -> Opened:
    conn = connect(":memory:")
    schema.migrate(conn)
    return Opened(conn, None, False, notice)


def open_database(path: Path | None) -> Opened:
    """Open (create, migrate) the database at ``path``; see the module docstring."""
    if path is None:
        return _memory("Checklist state is kept in memory only: ticks are not saved.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn, found = _prepare(path)
        migrated = found if 0 < found < schema.SCHEMA_VERSION else None
        return Opened(conn, path, True, migrated_from=migrated)
    except Exception as exc:  # every failure becomes a notice, never a crash
        if not _is_damage(exc):
            return _memory(
                f"The checklist database {path} cannot be used right now ({_describe(exc)}). "
                "It was left untouched. Ticks made in this window are NOT saved; close the "
                "other Runbook Viewer window or fix the problem, then restart.")
        reason = _describe(exc)
    try:
        moved = move_aside(path)
    except OSError as exc:
        return _memory(
            f"The checklist database {path} is unreadable ({reason}) and could not be moved "
            f"aside ({exc.strerror or exc}). It was left untouched. Ticks made in this window "
            "are NOT saved.")
    notice = (f"The checklist database could not be read ({reason}). It was moved aside to "
              f"{moved} — nothing was deleted — and a fresh, empty checklist database was "
              "started. Runs recorded before are in the moved file.")
    try:
        conn, _ = _prepare(path)
    except Exception as exc:
        return _memory(notice + f" The fresh database cannot be created either "
                                f"({_describe(exc)}): ticks in this window are NOT saved.")
    return Opened(conn, path, True, notice, moved)

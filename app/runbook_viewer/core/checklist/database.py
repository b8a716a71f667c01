"""Opening the checklist database: durable settings, integrity check, recovery.

:func:`open_database` never raises. It returns an :class:`Opened` with a connection that is
always usable:

* the file at ``path``, in WAL mode with ``synchronous=FULL`` (a COMMIT returns only after the
  write-ahead log is fsynced) and a busy timeout, so a second app instance waits instead of
  failing;
* or, when the file is damaged (``PRAGMA integrity_check`` fails, undecodable text, truncated to 0
  bytes), not a database, not a checklist database or from a newer app version: the file (and
  its ``-wal``/``-shm``) is renamed to ``<name>.corrupt-<UTC time>``, a fresh database is
  created and every readable run and event of the old file is salvaged into it
  (:mod:`.salvage`) — ``notice`` says what was kept and where the old file went;
* or, when the file cannot be used for reasons outside it (locked for too long, read-only
  folder, disk full, I/O error): nothing is moved; an in-memory copy of what can be read is
  used (``source`` names the file), ``persistent`` is False and ``notice`` says that nothing
  can be saved.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ..safe_write import fsync_dir
from . import salvage, schema

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
    source: Path | None = None  # read-only: the file the in-memory copy was read from
    unsaved: str | None = None  # not persistent: why nothing can be saved, and where


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
    """``PRAGMA integrity_check``, not only ``quick_check``: quick_check does not compare the
    indexes with their tables, and a damaged index page makes rows silently vanish from the
    queries that use it (measured in benchmarks/corruption.py). It costs about 4x quick_check
    (some 80 ms for a 20,000-event database)."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
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


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the file is damaged (move it aside, salvage it) rather than
    unusable right now (locked, read-only, disk full: leave it alone)."""
    if isinstance(exc, Damaged | schema.SchemaTooNew | schema.SchemaMismatch):
        return True
    if isinstance(exc, sqlite3.DatabaseError):
        if str(exc).startswith("Could not decode to UTF-8"):  # text that is not text
            return True
        name = getattr(exc, "sqlite_errorname", None)
        if name:  # extended codes like SQLITE_IOERR_SHORT_READ -> primary SQLITE_IOERR
            return "_".join(name.split("_")[:2]) in DAMAGE_CODES
        return not isinstance(exc, sqlite3.OperationalError)
    return False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _create(path: Path) -> None:
    """Create the database whole, then link it into place: the file at ``path`` is never a
    half-made (0-byte) database another instance could take for a truncated one, and of two
    instances creating it at once one wins and the other opens it."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        conn = connect(tmp)
        try:
            schema.migrate(conn)
        finally:
            conn.close()  # checkpoints the -wal into the file and removes it
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another instance created it first
        except OSError:  # a file system without hard links (FAT on a USB stick)
            if not path.exists():
                os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        for side in ("", "-wal", "-shm"):
            Path(f"{tmp}{side}").unlink(missing_ok=True)


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


def _memory(notice: str, unsaved: str) -> Opened:
    conn = connect(":memory:")
    schema.migrate(conn)
    return Opened(conn, None, False, notice, unsaved=unsaved)


def _read_only_copy(path: Path) -> tuple[sqlite3.Connection, bool] | None:
    """An in-memory copy of a database that cannot be opened for writing (read-only folder or
    file), migrated to the current schema; (copy, whether its -wal was left out) or None."""
    for mode in ("mode=ro", "immutable=1"):
        try:
            src = sqlite3.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True,
                                  timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error:
            continue
        mem = connect(":memory:")
        try:
            check_integrity(src)
            schema.precheck(src)
            src.backup(mem)
            schema.migrate(mem)
        except Exception:
            mem.close()
            continue
        finally:
            src.close()
        wal = Path(f"{path}-wal")
        return mem, mode == "immutable=1" and wal.exists() and wal.stat().st_size > 0
    return None


def _unusable(path: Path, exc: BaseException) -> Opened:
    """The file is fine but cannot be written (or even opened) now: show what can be read,
    say plainly that nothing can be saved, and where."""
    why = _describe(exc)
    copy = _read_only_copy(path) if path.exists() else None
    if copy is None:
        hint = ("close the other Runbook Viewer window holding it" if "locked" in why else
                "fix the problem (a read-only or full disk, or a file where the state folder "
                "should be)")
        return _memory(
            f"The checklist database {path} cannot be used right now ({why}). It was left "
            f"untouched. Nothing can be saved: ticks made now are NOT saved; {hint}, then "
            "restart.", f"the checklist database {path} cannot be used ({why})")
    conn, wal_missing = copy
    notice = (f"The checklist database {path} can be read but not written ({why}). The runs "
              "recorded there are shown, but nothing can be saved: ticks made now are NOT "
              "saved.")
    if wal_missing:
        notice += (" Its write-ahead log could not be read, so the most recent ticks may be "
                   "missing from this view (they are still in the file).")
    return Opened(conn, None, False, notice, source=path,
                  unsaved=f"the checklist database {path} cannot be written ({why})")


def open_database(path: Path | None) -> Opened:
    """Open (create, migrate) the database at ``path``; see the module docstring."""
    if path is None:
        return _memory("Checklist state is kept in memory only: nothing can be saved, ticks "
                       "are NOT saved.", "there is no checklist database (memory only)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create(path)
        elif path.is_file() and path.stat().st_size == 0:
            raise Damaged("it is empty (0 bytes): the file was truncated")
        conn, found = _prepare(path)
        migrated = found if 0 < found < schema.SCHEMA_VERSION else None
        return Opened(conn, path, True, migrated_from=migrated)
    except Exception as exc:  # every failure becomes a notice, never a crash
        if not is_damage(exc):
            return _unusable(path, exc)
        return recover(path, _describe(exc))


def recover(path: Path, reason: str) -> Opened:
    """Move the damaged file (and its -wal/-shm) aside, start a fresh database and salvage
    every readable run and event of the old file into it (:mod:`.salvage`)."""
    try:
        moved = move_aside(path)
    except OSError as exc:
        return _memory(
            f"The checklist database {path} is unreadable ({reason}) and could not be moved "
            f"aside ({exc.strerror or exc}). It was left untouched. Nothing can be saved: "
            "ticks made now are NOT saved.",
            f"the checklist database {path} is damaged and cannot be replaced")
    notice = (f"The checklist database could not be read ({reason}). It was moved aside to "
              f"{moved} — nothing was deleted — and a fresh checklist database was started")
    try:
        conn, _ = _prepare(path)
    except Exception as exc:
        return _memory(notice + f", but it cannot be created either ({_describe(exc)}): "
                                "nothing can be saved, ticks made now are NOT saved.",
                       f"a new checklist database cannot be created at {path}")
    try:
        dump = salvage.read_file(moved)
        salvage.write(conn, dump)
        kept = f". Salvaged into it: {dump.summary()}."
    except Exception as exc:  # salvage is best effort; the fresh database works regardless
        kept = f". Nothing could be salvaged from the old file ({_describe(exc)})."
    return Opened(conn, path, True, notice + kept, moved)

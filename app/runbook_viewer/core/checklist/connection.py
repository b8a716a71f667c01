"""The store's connection to its database file, and what keeps it honest.

* **Reads** go through :meth:`StoreConnection.read`: when the file turns out damaged while the
  app runs (SQLite reports corruption, a text column does not decode, a JSON column is not
  JSON), it is recovered at once — moved aside, salvaged into a fresh database
  (:func:`.database.recover`) — the operator is told (``on_notice``) and the read is retried.
  Never "restart to recover it", never stuck.
* **Writes** go through :meth:`StoreConnection.write`: one ``BEGIN IMMEDIATE … COMMIT``
  (``synchronous=FULL``), then a passive checkpoint, so the main file holds every committed
  tick and deleting the ``-wal`` file loses nothing. Before and after each write the identity
  (device, inode) of the database file and of its ``-wal`` is compared with the one opened:
  if either was deleted or replaced, everything this connection still sees is written again
  into the file at the path (:meth:`repersist`) before the write goes on — a tick reported
  saved is in the file at the path.
* A store that cannot write (read-only folder, locked, no state folder) refuses every write
  with :class:`SaveFailed` naming why — unless it was opened with ``volatile_writes=True`` (the
  window: ticks kept for this session, shown as NOT saved).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import paths
from . import salvage
from .database import Damaged, is_damage, open_database, recover
from .errors import SaveFailed, StoreUnavailable

R = TypeVar("R")  # what a read or a write returns

def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class StoreConnection:
    """Open (create, migrate, recover) the database; ``path=None`` = the default location."""

    def __init__(self, path: Path | str | None = None, *, volatile_writes: bool = False) -> None:
        self.volatile_writes = volatile_writes
        self.on_notice: Callable[[str], None] | None = None
        target: Path | None
        pre_notice = None
        try:
            target = Path(path) if path is not None else paths.checklist_db()
        except OSError as exc:
            target = None
            where = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
            pre_notice = (f"The state folder cannot be created ({where}): nothing can be "
                          "saved, ticks made now are NOT saved.")
        opened = open_database(target)
        self._unsaved = (f"the state folder cannot be created ({where})" if pre_notice
                         else opened.unsaved)
        self._conn = opened.conn
        self.path: Path | None = opened.path
        self.persistent: bool = opened.persistent
        self.source: Path | None = opened.source
        self.recovery_notice: str | None = pre_notice or opened.notice
        self.moved_to: Path | None = opened.moved_to
        self.migrated_from: int | None = opened.migrated_from
        self._remember_files()
        self._data_version = self._version()

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def _remember_files(self) -> None:
        self._ident = file_identity(self.path) if self.path else None
        self._wal_ident = file_identity(Path(f"{self.path}-wal")) if self.path else None

    def _notify(self, notice: str) -> None:
        self.recovery_notice = notice
        if self.on_notice is not None:
            self.on_notice(notice)

    def _reset(self) -> None:
        """Hook: forget anything cached from the old connection."""

    @property
    def writable_reason(self) -> str | None:
        """Why nothing can be saved, and where (None when writes are saved)."""
        if self.persistent:
            return None
        return self._unsaved or "checklist state is kept in memory only"

    # -- reads -----------------------------------------------------------------------------
    def read(self, fn: Callable[[sqlite3.Connection], R]) -> R:
        """``fn(conn)``; a damaged file is recovered and ``fn`` retried once."""
        try:
            return fn(self._conn)
        except (sqlite3.Error, Damaged) as exc:
            if not is_damage(exc) or not self._recover(exc):
                raise StoreUnavailable(f"The checklist database cannot be read ({exc}).") \
                    from exc
        try:
            return fn(self._conn)
        except (sqlite3.Error, Damaged) as exc:
            raise StoreUnavailable(f"The checklist database cannot be read even after it was "
                                   f"recovered ({exc}).") from exc

    def _recover(self, exc: BaseException) -> bool:
        """Replace the damaged file by a salvaged fresh one; False if there is no file."""
        if not self.persistent or self.path is None:
            return False
        self._conn.close()
        opened = recover(self.path, str(exc) or type(exc).__name__)
        self._conn, self.persistent, self.moved_to = opened.conn, opened.persistent, \
            opened.moved_to
        self._unsaved = opened.unsaved
        self._remember_files()
        self._reset()
        self._notify(opened.notice or "The checklist database was recovered.")
        return True

    # -- writes ----------------------------------------------------------------------------
    def write(self, work: Callable[[sqlite3.Connection], R]) -> R:
        """Run ``work`` in one IMMEDIATE transaction, committed durably; SaveFailed if not."""
        if not self.persistent and not self.volatile_writes:
            raise SaveFailed(f"Not saved: {self.writable_reason}.")
        self.check_health()
        try:
            result = self._transaction(work)
        except sqlite3.Error as exc:
            if not is_damage(exc) or not self._recover(exc):
                raise SaveFailed(f"Not saved: the checklist database refused the write "
                                 f"({exc}).") from exc
            try:
                result = self._transaction(work)
            except sqlite3.Error as again:
                raise SaveFailed(f"Not saved: the checklist database refused the write "
                                 f"({again}).") from again
        self._checkpoint()
        self.check_health()  # a file deleted during the write: the write is re-persisted too
        return result

    def _transaction(self, work: Callable[[sqlite3.Connection], R]) -> R:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._data_version = self._version()
        return result

    def _checkpoint(self) -> None:
        """Copy the committed transaction into the main file now (best effort: a reader in
        another window may hold some frames back until its read ends)."""
        if self.persistent:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    # -- watching the files ----------------------------------------------------------------
    def file_problem(self) -> str | None:
        """What happened to the files under this connection, or None."""
        if not self.persistent or self.path is None or self._ident is None:
            return None
        if file_identity(self.path) != self._ident:
            return "the database file was deleted, moved or replaced"
        wal = file_identity(Path(f"{self.path}-wal"))
        if self._wal_ident is not None and wal != self._wal_ident:
            return "its write-ahead log (-wal file) was deleted or replaced"
        return None

    def check_health(self) -> str | None:
        """Detect deleted/replaced files and re-persist; returns the notice given, if any.
        The window calls this on a timer; every write calls it before and after."""
        problem = self.file_problem()
        return self.repersist(problem) if problem else None

    def repersist(self, problem: str) -> str:
        """Write everything this connection still sees into the file at the path again."""
        old, path = self._conn, self.path
        assert path is not None
        same_file = file_identity(path) == self._ident
        if same_file:  # only the -wal went: copy its frames into the main file first
            with contextlib.suppress(sqlite3.Error):
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        try:
            dump = salvage.read_connection(old)
        except sqlite3.Error:
            dump = salvage.Dump()
        old.close()
        opened = open_database(path)
        self._conn, self.persistent, self.source = opened.conn, opened.persistent, opened.source
        self._unsaved = opened.unsaved
        self._remember_files()
        self._reset()
        if not self.persistent:
            notice = (f"The checklist database file changed on disk while Runbook Viewer was "
                      f"running ({problem}), and {path} cannot be written again: "
                      f"{opened.notice}")
        else:
            runs, events = salvage.write(self._conn, dump)
            notice = (f"The checklist database file changed on disk while Runbook Viewer was "
                      f"running ({problem}). Everything this window had recorded "
                      f"({len(dump.runs)} run(s), {len(dump.events)} event(s)) is saved again "
                      f"in {path} ({runs} run(s) and {events} event(s) had to be written "
                      "again).")
            if opened.notice:
                notice += " " + opened.notice
        self._notify(notice)
        return notice

    # -- other writers ---------------------------------------------------------------------
    def _version(self) -> int:
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return -1

    def changed(self) -> bool:
        """Whether another window (or process) committed to the database since this store last
        looked: the window polls this to show the other's ticks live."""
        self.check_health()
        now = self._version()
        if now != self._data_version:
            self._data_version = now
            return True
        return False

"""The parse cache: each runbook's model kept between runs, so a library opens again without
parsing what did not change (no Qt).

One SQLite file per library folder (:func:`runbook_viewer.core.paths.parse_cache_file`), one
row per file: its library-relative path, the sha256 of its text, the model (pickled, without
the text, which is read from the file anyway to hash it). The file is tagged with the *parser
key* — a hash of the code of the modules that build the model, markdown-it-py's version and
the format — and emptied when that changes, so a new release or an edited parser never serves
a stale model.

Never in the way: a cache that cannot be made, opened, read or written is left alone and the
library loads by parsing, as without it; a damaged file is removed and rebuilt on the next
load; an entry that does not give back a runbook of that path and hash is parsed again. After
a complete load, rows of files that are gone are dropped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import marshal
import pickle
import sqlite3
import sys
from functools import cache
from pathlib import Path

from .model import Runbook

FORMAT = 1
#: the modules whose code decides what a file's model is
PARSER_MODULES = ("runbook_viewer.core.model", "runbook_viewer.core.links",
                  "runbook_viewer.core.parser",
                  "runbook_viewer.core.markdown.engine", "runbook_viewer.core.markdown.build",
                  "runbook_viewer.core.markdown.bounds", "runbook_viewer.core.parse_cache")
SCHEMA = ("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
          "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, hash TEXT NOT NULL, "
          "model BLOB NOT NULL);"
          "CREATE TABLE IF NOT EXISTS derived (digest TEXT PRIMARY KEY, data BLOB NOT NULL);")


#: the modules whose code decides what is worked out from the whole library (scenarios,
#: backlinks), kept beside the models for the library as it was
DERIVED_MODULES = ("runbook_viewer.core.library", "runbook_viewer.core.links",
                   "runbook_viewer.core.scenarios.build", "runbook_viewer.core.scenarios.model",
                   "runbook_viewer.core.scenarios.sources",
                   "runbook_viewer.core.scenarios.wayfinding")


@cache
def parser_key(modules: tuple[str, ...] = PARSER_MODULES) -> str:
    """What the cached models depend on: this format, the Python and markdown-it-py versions,
    and the compiled code of ``modules`` (frozen or not)."""
    import markdown_it

    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|{markdown_it.__version__}".encode())
    for name in modules:
        try:
            module = importlib.import_module(name)
            code = module.__spec__.loader.get_code(name)  # type: ignore[union-attr]
            h.update(marshal.dumps(code))
        except Exception:  # no code to read (an unusual loader): the versions alone decide
            h.update(name.encode())
    return h.hexdigest()


def library_digest(runbooks: list[Runbook]) -> str:
    """The library as the derived data sees it: every file's path and content, in order,
    and the code that works the data out."""
    h = hashlib.sha256(parser_key(PARSER_MODULES + DERIVED_MODULES).encode())
    for rb in runbooks:
        h.update(f"{rb.path}\0{rb.content_hash}\0{rb.load_error or ''}\0{rb.is_template}\n".encode(
            "utf-8", "surrogatepass"))
    return h.hexdigest()


def text_hash(text: str) -> str:
    """The content hash a runbook carries (``Runbook.content_hash``)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ParseCache:
    """The cache of one library; every method is safe to call whatever state the file is in."""

    def __init__(self, path: Path | None):
        self.path = path
        self.con: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str, bytes]] = []
        self.rows: dict[str, tuple[str, bytes]] | None = None  # read at the first lookup
        self.seen: set[str] = set()
        self.hits = self.misses = 0
        if path is not None:
            self._open(path)

    @classmethod
    def for_library(cls, root: Path) -> ParseCache:
        from . import paths

        try:
            return cls(paths.parse_cache_file(root))
        except OSError:  # no cache folder (read-only home, a file in the way): no cache
            return cls(None)

    def _open(self, path: Path) -> None:
        for attempt in range(2):
            try:
                con = sqlite3.connect(path, timeout=2, isolation_level=None,
                                      check_same_thread=False)
                con.executescript(SCHEMA)
                row = con.execute("SELECT value FROM meta WHERE key = 'parser'").fetchone()
                if row is None or row[0] != parser_key():
                    con.execute("BEGIN IMMEDIATE")
                    con.execute("DELETE FROM entries")
                    con.execute("DELETE FROM derived")
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('parser', ?)",
                                (parser_key(),))
                    con.execute("COMMIT")
                self.con = con
                return
            except sqlite3.DatabaseError:  # damaged: remove it and start a new one
                with contextlib.suppress(Exception):
                    con.close()
                if attempt or not self._remove():
                    return
            except (sqlite3.Error, OSError):  # locked, read-only, unreachable: no cache
                return

    def _remove(self) -> bool:
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return True
        except OSError:
            return False

    def get(self, rel: str, content_hash: str) -> Runbook | None:
        """The cached model of ``rel`` with this content, or None (then parse it)."""
        self.seen.add(rel)
        if self.con is None:
            return None
        try:
            if self.rows is None:  # one query for all: a query per file costs more
                self.rows = {path: (digest, blob) for path, digest, blob in
                             self.con.execute("SELECT path, hash, model FROM entries")}
            row = self.rows.pop(rel, None)
            if row is None or row[0] != content_hash:
                self.misses += 1
                return None
            rb = pickle.loads(row[1])
        except Exception:  # a damaged row or file: parse this one
            self.misses += 1
            return None
        if not isinstance(rb, Runbook) or rb.path != rel or rb.content_hash != content_hash:
            self.misses += 1
            return None
        self.hits += 1
        return rb

    def put(self, rb: Runbook) -> None:
        """Remember a freshly parsed model (written by :meth:`close`)."""
        if self.con is None or rb.load_error or any(p.code == "encoding" for p in rb.problems):
            return  # unreadable, or a notice about its bytes: always read whole
        bare = dataclasses.replace(rb, text="", doc=None, abs_path=None)  # type: ignore[arg-type]
        try:
            self.pending.append((rb.path, rb.content_hash, pickle.dumps(bare, protocol=5)))
        except Exception:  # something in the model does not pickle: not cached
            return

    def get_derived(self, digest: str) -> dict | None:
        """What was worked out from the library when it was exactly as now (see
        :func:`library_digest`), or None."""
        if self.con is None:
            return None
        try:
            row = self.con.execute("SELECT data FROM derived WHERE digest = ?",
                                   (digest,)).fetchone()
            data = pickle.loads(row[0]) if row is not None else None
        except Exception:  # damaged: worked out again
            return None
        return data if isinstance(data, dict) else None

    def put_derived(self, digest: str, data: dict) -> None:
        """Keep ``data`` for this library state (only the latest state is kept)."""
        if self.con is None:
            return
        try:
            blob = pickle.dumps(data, protocol=5)
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute("DELETE FROM derived")
            self.con.execute("INSERT INTO derived VALUES (?, ?)", (digest, blob))
            self.con.execute("COMMIT")
        except Exception:  # read-only, full, locked: worked out again next time
            with contextlib.suppress(Exception):
                self.con.execute("ROLLBACK")

    def close(self, complete: bool) -> None:
        """Write what was parsed; after a ``complete`` load, drop rows of files now gone."""
        con, self.con = self.con, None
        self.rows = None
        if con is None:
            return
        try:
            if self.pending or complete:
                con.execute("BEGIN IMMEDIATE")
                con.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", self.pending)
                if complete:
                    con.execute("CREATE TEMP TABLE seen (path TEXT PRIMARY KEY)")
                    con.executemany("INSERT OR IGNORE INTO seen VALUES (?)",
                                    ((p,) for p in self.seen))
                    con.execute("DELETE FROM entries WHERE path NOT IN (SELECT path FROM seen)")
                con.execute("COMMIT")
        except sqlite3.DatabaseError:
            with contextlib.suppress(Exception):
                con.close()
            self._remove()  # damaged while we used it: the next load builds it again
            return
        except sqlite3.Error:  # read-only, full disk, locked: this load just is not cached
            pass
        finally:
            self.pending = []
        with contextlib.suppress(Exception):
            con.close()

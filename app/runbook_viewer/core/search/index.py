"""The on-disk search index: SQLite FTS5 over runbook sections, built and kept up to date.

One database per library root in :func:`paths.index_cache_dir` (the file name is a hash of the
root), holding:

- ``sections`` — one row per section document (display fields + indexed text);
- ``fts`` — an FTS5 table over ``sections`` (external content, porter stemming on unicode61
  words; bm25 column weights make title, heading, trigger conditions and identifier names weigh
  more than body text);
- ``fields`` — a second FTS5 table over the short, telling columns only (title, heading path,
  trigger conditions, identifier names), so "does this word appear in the heading or a trigger"
  is cheap even for words the bodies use everywhere;
- ``vocab`` — every unstemmed word and identifier part with the number of sections holding it,
  for completing a half-typed word ("configura" → configuration) and typo suggestions
  ("hearbeat" → heartbeat); FTS5 has neither, and ``fts5vocab`` over a porter table only lists
  stems, so this table is kept up to date here, alongside the index;
- ``manifest`` — path → content hash of every indexed runbook, so an update re-indexes only the
  files that were added, changed or removed;
- ``meta`` — schema version and library root.

A missing, stale, foreign or corrupt database is rebuilt, never fatal. A prebuilt index shipped
in a bundle (:func:`paths.prebuilt_index`) is opened read-only (``mode=ro&immutable=1``) when
its manifest matches the library exactly; otherwise it seeds the cache copy, which is then
updated incrementally.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ... import __version__
from .. import paths
from ..model import Library
from .analyzer import vocabulary
from .documents import LANDING_PRIOR, PRIORS, TOP_PRIOR, SectionDoc, section_documents

SCHEMA_VERSION = "rv-search-1"
TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "heading", "triggers", "body", "tags", "names", "parts")
FIELD_COLUMNS = ("title", "heading", "triggers", "names")
WEIGHTS = (4.0, 5.0, 5.0, 1.0, 1.0, 2.0, 0.5)
DISPLAY = ("path", "anchor", "rb_title", "section", "line", "step", "labels", "severity",
           "prior")
# Anything that changes what is stored changes this fingerprint, and the index is rebuilt: the
# app version (analysis code may change between releases), the schema, tokenizer and weights.
FINGERPRINT = hashlib.sha256(repr((
    __version__, SCHEMA_VERSION, TOKENIZER, COLUMNS, FIELD_COLUMNS, WEIGHTS, PRIORS, TOP_PRIOR,
    LANDING_PRIOR,
)).encode()).hexdigest()[:16]
REBUILD_FRACTION = 0.5
MMAP_BYTES = 256 * 1024 * 1024  # re-indexing more than this share of files → rebuild from scratch

Progress = Callable[[int, int], None]


class SearchUnavailable(RuntimeError):
    """Search cannot work on this Python: its SQLite lacks FTS5 (the message says so)."""


def fts5_available() -> bool:
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def check_fts5() -> None:
    """Raise :class:`SearchUnavailable` naming the problem when FTS5 is missing."""
    if not fts5_available():
        raise SearchUnavailable(
            f"search is unavailable: this Python's SQLite {sqlite3.sqlite_version} was built "
            "without the FTS5 full-text extension (or without its porter tokenizer). Use a "
            "Python whose sqlite3 module has FTS5 (python.org and distribution builds do), or "
            "the packaged runbook-viewer, which ships one.")


def index_file_for(root: Path) -> Path:
    key = hashlib.sha256(str(Path(root).resolve()).encode("utf-8")).hexdigest()[:20]
    return paths.index_cache_dir() / f"library-{key}.sqlite3"


@dataclass
class IndexStats:
    path: Path
    files: int = 0
    sections: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    readonly: bool = False
    seconds: float = 0.0

    @property
    def size_bytes(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A connection for queries. ``readonly`` opens a shipped file immutable (no locks)."""
    if readonly:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    else:
        con = sqlite3.connect(path, timeout=10)
        con.execute("PRAGMA query_only = ON")
    # read through a memory map and keep more pages: queries on a 10,000-section library touch
    # more than the default 2 MB page cache, and copying pages in costs more than the search
    con.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    con.execute("PRAGMA cache_size = -16000")
    return con


def manifest_of(library: Library) -> dict[str, str]:
    return {rb.path: rb.content_hash for rb in library.runbooks
            if not rb.load_error and not rb.is_template}


def read_manifest(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT path, content_hash FROM manifest"))


def read_meta(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta"))


def usable(path: Path, root: Path | None, readonly: bool = False) -> dict[str, str] | None:
    """The manifest of an index file built by this version for ``root``, or None.

    ``root=None`` accepts an index built anywhere: the shipped index of the bundled library
    is built in the source tree and used from wherever the bundle is unpacked; its manifest
    (every file's content hash) is what must match."""
    if not path.is_file():
        return None
    try:
        con = connect(path, readonly=readonly)
        try:
            meta = read_meta(con)
            if meta.get("schema") != FINGERPRINT or \
                    (root is not None and meta.get("root") != str(root)):
                return None
            con.execute("SELECT count(*) FROM fts WHERE fts MATCH 'zzzz'").fetchone()
            return read_manifest(con)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def remove_db(path: Path) -> bool:
    ok = True
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            ok = False
    return ok


def create_schema(con: sqlite3.Connection, root: Path) -> None:
    cols = ", ".join(COLUMNS)
    script = f"""
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE manifest(path TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
        CREATE TABLE sections(
            id INTEGER PRIMARY KEY, path TEXT NOT NULL, anchor TEXT NOT NULL,
            rb_title TEXT, section TEXT, line INTEGER, step INTEGER, labels TEXT,
            severity TEXT, prior REAL, {cols});
        CREATE INDEX sections_path ON sections(path);
        CREATE TABLE vocab(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE fts USING fts5({cols}, content='sections', content_rowid='id',
                                            tokenize='{TOKENIZER}');
        CREATE VIRTUAL TABLE fields USING fts5({", ".join(FIELD_COLUMNS)}, content='sections',
                                               content_rowid='id', tokenize='{TOKENIZER}')
    """
    for statement in script.split(";"):
        con.execute(statement)
    weights = ", ".join(str(w) for w in WEIGHTS)
    con.execute("INSERT INTO fts(fts, rank) VALUES('rank', ?)", (f"bm25({weights})",))
    con.executemany("INSERT INTO meta(key, value) VALUES(?, ?)", [
        ("schema", FINGERPRINT), ("root", str(root)), ("tokenizer", TOKENIZER),
        ("sqlite", sqlite3.sqlite_version), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])


class IndexWriter:
    """Builds and updates the index database of one library root."""

    def __init__(self, root: Path, path: Path | None = None,
                 prebuilt: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.path = path or index_file_for(self.root)
        self.prebuilt = prebuilt

    def prebuilt_matching(self, library: Library) -> Path | None:
        """The shipped index when it was built from exactly this library's files."""
        pre = self.prebuilt
        if pre is None or not pre.is_file():
            return None
        return pre if usable(pre, None, readonly=True) == manifest_of(library) else None

    def update(self, library: Library, progress: Progress | None = None) -> IndexStats:
        """Bring the cache index up to date with ``library`` (build, update or rebuild)."""
        start = time.perf_counter()
        wanted = manifest_of(library)
        have = usable(self.path, self.root)
        if have is None and self.prebuilt is not None and self.prebuilt.is_file() \
                and usable(self.prebuilt, None, readonly=True) is not None:
            with contextlib.suppress(OSError, sqlite3.Error):  # seed the cache from it
                remove_db(self.path)
                shutil.copyfile(self.prebuilt, self.path)
                with contextlib.closing(sqlite3.connect(self.path)) as con, con:
                    con.execute("UPDATE meta SET value = ? WHERE key = 'root'", (str(self.root),))
                have = usable(self.path, self.root)
        stats = IndexStats(self.path, files=len(wanted))
        changed = {p for p in wanted if p in (have or {}) and have[p] != wanted[p]}
        added = {p for p in wanted if p not in (have or {})}
        removed = set(have or {}) - set(wanted)
        stats.changed, stats.added, stats.removed = len(changed), len(added), len(removed)
        todo = changed | added | removed
        if have is None or (len(todo) > REBUILD_FRACTION * max(len(wanted), 1) and len(todo) > 8):
            self._rebuild(library, progress)
            stats.rebuilt = True
        else:
            self._apply(library, sorted(changed | removed), sorted(changed | added), progress)
        with contextlib.closing(connect(self.path)) as con:
            stats.sections = con.execute("SELECT count(*) FROM sections").fetchone()[0]
        stats.seconds = time.perf_counter() - start
        return stats

    def _open_rw(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        return con

    def _rebuild(self, library: Library, progress: Progress | None) -> None:
        if not remove_db(self.path):
            # another process holds the old file open (Windows): build beside it
            self.path = self.path.with_name(f"{self.path.stem}-{os.getpid()}.sqlite3")
            remove_db(self.path)
        con = self._open_rw()
        try:
            con.execute("BEGIN IMMEDIATE")
            create_schema(con, self.root)
            self._insert_all(con, library, list(manifest_of(library)), progress)
            con.execute("COMMIT")
            con.execute("INSERT INTO fts(fts) VALUES('optimize')")
            con.execute("INSERT INTO fields(fields) VALUES('optimize')")
        finally:
            con.close()

    def _apply(self, library: Library, delete: list[str], insert: list[str],
               progress: Progress | None) -> None:
        con = self._open_rw()
        try:
            con.execute("BEGIN IMMEDIATE")
            total = len(set(delete) | set(insert))
            delta: Counter[str] = Counter()
            for path in delete:
                self._delete_path(con, path, delta)
                con.execute("DELETE FROM manifest WHERE path = ?", (path,))
            self._write_vocab(con, delta)
            self._insert_all(con, library, insert, progress, done=len(set(delete) - set(insert)),
                             total=total)
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _delete_path(self, con: sqlite3.Connection, path: str, delta: Counter[str]) -> None:
        cols = ", ".join(COLUMNS)
        fcols = ", ".join(FIELD_COLUMNS)
        rows = con.execute(f"SELECT id, {cols} FROM sections WHERE path = ?", (path,)).fetchall()
        marks = ", ".join("?" * (len(COLUMNS) + 1))
        fmarks = ", ".join("?" * (len(FIELD_COLUMNS) + 1))
        for row in rows:
            con.execute(f"INSERT INTO fts(fts, rowid, {cols}) VALUES('delete', {marks})", row)
            values = dict(zip(COLUMNS, row[1:], strict=True))
            con.execute(f"INSERT INTO fields(fields, rowid, {fcols}) VALUES('delete', {fmarks})",
                        (row[0], *(values[c] for c in FIELD_COLUMNS)))
            for term in vocabulary("\n".join(c or "" for c in row[1:])):
                delta[term] -= 1
        con.execute("DELETE FROM sections WHERE path = ?", (path,))

    def _insert_all(self, con: sqlite3.Connection, library: Library, wanted: list[str],
                    progress: Progress | None, done: int = 0, total: int | None = None) -> None:
        total = len(wanted) + done if total is None else total
        cols = ", ".join(COLUMNS)
        fcols = ", ".join(FIELD_COLUMNS)
        fmarks = ", ".join("?" * len(FIELD_COLUMNS))
        names = ", ".join((*DISPLAY, *COLUMNS))
        marks = ", ".join("?" * (len(DISPLAY) + len(COLUMNS)))
        delta: Counter[str] = Counter()
        for path in wanted:
            rb = library.get(path)
            if rb is not None and not rb.load_error:
                for doc in section_documents(rb):
                    cur = con.execute(f"INSERT INTO sections({names}) VALUES({marks})",
                                      _row(doc))
                    con.execute(f"INSERT INTO fts(rowid, {cols}) VALUES(?, {marks_n()})",
                                (cur.lastrowid, *doc.text_columns))
                    con.execute(f"INSERT INTO fields(rowid, {fcols}) VALUES(?, {fmarks})",
                                (cur.lastrowid, *(getattr(doc, c) for c in FIELD_COLUMNS)))
                    delta.update(vocabulary("\n".join(doc.text_columns)))
                con.execute("INSERT OR REPLACE INTO manifest(path, content_hash) VALUES(?, ?)",
                            (rb.path, rb.content_hash))
            done += 1
            if progress is not None:
                progress(done, total)
        self._write_vocab(con, delta)
        if progress is not None and not wanted:
            progress(done, total)

    @staticmethod
    def _write_vocab(con: sqlite3.Connection, delta: Counter[str]) -> None:
        if not delta:
            return
        con.executemany(
            "INSERT INTO vocab(term, df) VALUES(?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            [(t, n) for t, n in delta.items() if n])
        con.execute("DELETE FROM vocab WHERE df <= 0")


def marks_n() -> str:
    return ", ".join("?" * len(COLUMNS))


def _row(doc: SectionDoc) -> tuple:
    return (doc.path, doc.anchor, doc.rb_title, doc.section, doc.line, doc.step, doc.labels,
            doc.severity, doc.prior, *doc.text_columns)


def build_prebuilt(library: Library, out: Path) -> IndexStats:
    """Write a compact, read-only-ready index of ``library`` to ``out`` (for bundling)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    remove_db(tmp)
    writer = IndexWriter(library.root, path=tmp)
    stats = writer.update(library)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("VACUUM")
    finally:
        con.close()
    remove_db(out)
    os.replace(tmp, out)
    stats.path = out
    return stats

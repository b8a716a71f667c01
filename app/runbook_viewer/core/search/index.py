"""The on-disk search index: SQLite FTS5 over runbook sections (its schema, opening and
checking it; :mod:`.writer` builds and updates it).

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
- ``manifest`` — path → content hash of every indexed runbook (with what ranking knows about
  it, :meth:`.operations.Operations.key`), so an update re-indexes only the files that were
  added, changed or removed;
- ``stock`` — the library's boilerplate sentences (:mod:`.stock`), found at the last rebuild;
- ``files`` — size, modification time and SHA-256 of every file the index was built from, so
  that a search from the terminal can tell the index is up to date without parsing the library
  (:mod:`.freshness`);
- ``meta`` — schema version and library root.

Beside the file, ``<name>.sum`` holds its size and CRC-32, written after every change and
checked at every open: bytes damaged anywhere in the file make it rebuilt (SQLite notices only
damage to its page structure, not to the text of the index). A missing, stale, foreign or
corrupt database is rebuilt, never fatal. A prebuilt index shipped
in a bundle (:func:`paths.prebuilt_index`) is opened read-only (``mode=ro&immutable=1``) when
its manifest matches the library exactly; otherwise it seeds the cache copy, which is then
updated incrementally.
"""

from __future__ import annotations

import os
import sqlite3
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from ... import __version__
from .. import paths
from . import ranking, stock

SCHEMA_VERSION = "rv-search-2"
TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "heading", "triggers", "body", "tags", "names", "parts", "stock")
CONTENT_COLUMNS = COLUMNS[:-1]  # what counts towards a query's coverage (not boilerplate)
FIELD_COLUMNS = ("title", "heading", "triggers", "names")
WEIGHTS = (4.0, 5.0, 5.0, 1.0, 1.0, 2.0, 0.5, ranking.STOCK_WEIGHT)
DISPLAY = ("path", "anchor", "rb_title", "section", "line", "step", "labels", "severity",
           "prior")
def _key(text: str) -> str:
    """A 64-bit hex key of ``text`` (zlib: hashlib costs more to import than it is worth)."""
    data = text.encode("utf-8")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


# Anything that changes what is stored changes this fingerprint, and the index is rebuilt: the
# app version (analysis code may change between releases), the schema, tokenizer, weights and
# the constants baked into each section's prior and boilerplate split.
FINGERPRINT = _key(repr((
    __version__, SCHEMA_VERSION, TOKENIZER, COLUMNS, FIELD_COLUMNS, WEIGHTS, ranking.PRIORS,
    ranking.TOP_PRIOR, ranking.LANDING_PRIOR, ranking.SEVERITY_PRIOR, ranking.UNRATED_PRIOR,
    ranking.NON_PRODUCTION_PRIOR, stock.MIN_WORDS, stock.MIN_RUNBOOKS, stock.MIN_SHARE,
)))
MMAP_BYTES = 256 * 1024 * 1024  # read the index through a memory map of up to this size

Progress = Callable[[int, int], None]  # (files done, files in all) while indexing


class IndexBuildStopped(Exception):
    """Raised by a progress callback to stop a build (the window is closing): the build's
    transaction is rolled back and the next open builds again; nothing half-made is kept."""

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
    key = _key(str(Path(root).resolve()))
    return paths.index_cache_dir() / f"library-{key}.sqlite3"


class IndexStats:
    """What building or opening the index did."""

    def __init__(self, path: Path, files: int = 0, sections: int = 0, readonly: bool = False,
                 rebuilt: bool = False) -> None:
        self.path = path
        self.files = files
        self.sections = sections
        self.added = self.changed = self.removed = 0
        self.rebuilt = rebuilt
        self.readonly = readonly
        self.seconds = 0.0
        self.problems: list[str] = []  # files indexed as a single document, unread config

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


def read_manifest(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT path, content_hash FROM manifest"))


def read_meta(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta"))


def usable(path: Path, root: Path | None, readonly: bool = False) -> dict[str, str] | None:
    """The manifest of an index file built by this version for ``root``, or None.

    ``root=None`` accepts an index built anywhere: the shipped index of the bundled library
    is built in the source tree and used from wherever the bundle is unpacked; its manifest
    (every file's content hash) is what must match."""
    if not path.is_file() or not verified(path):
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


def _sum_file(path: Path) -> Path:
    return path.with_name(path.name + ".sum")


def checksum(path: Path) -> str:
    """Size and CRC-32 of the whole database file (about 1 GB/s: a few ms for a library)."""
    crc = 0
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return f"{size}:{crc:08x}"


def write_checksum(path: Path) -> None:
    """Record the file's checksum beside it (after every change, with the WAL checkpointed)."""
    tmp = _sum_file(path).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(checksum(path), encoding="ascii")
    os.replace(tmp, _sum_file(path))


def verified(path: Path) -> bool:
    """Does the file still hold exactly what was written? Bytes damaged anywhere (a bad disk,
    a stray write) change the checksum; SQLite itself notices only damage to its page
    structure, not to the index's text, so a damaged index would show wrong words."""
    try:
        return _sum_file(path).read_text(encoding="ascii").strip() == checksum(path)
    except OSError:
        return False


def remove_db(path: Path) -> bool:
    ok = True
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
              _sum_file(path)):
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
        CREATE TABLE stock(key TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,
                           sha TEXT) WITHOUT ROWID;
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

"""Building and updating the search index (the database itself: :mod:`.index`).

An update compares every runbook's content hash — together with what ranking knows about it
(:meth:`.operations.Operations.key`: its triage severities, a non-production mark) — with the
index's manifest and re-indexes only the files added, changed or removed; more than half of a
library changed, or an index that is missing, foreign or damaged, is rebuilt from scratch. A
rebuild also finds the library's boilerplate sentences (:mod:`.stock`); an incremental update
uses those found last time. Every change ends with the WAL checkpointed, the ``files`` stamps
written (:mod:`.freshness`) and the file's checksum recorded (:func:`.index.write_checksum`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

from . import freshness
from . import stock as stock_mod
from .analyzer import vocabulary
from .index import (
    COLUMNS,
    DISPLAY,
    FIELD_COLUMNS,
    IndexStats,
    Progress,
    connect,
    create_schema,
    index_file_for,
    remove_db,
    usable,
    write_checksum,
)
from .ranking import TOP_PRIOR

# Only what a terminal search needs when the index is fresh is imported at the top; building
# imports the rest (documents → the markdown parser, operations → the scenario list).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..model import Library, Runbook
    from .documents import SectionDoc
    from .operations import Operations

REBUILD_FRACTION = 0.5  # re-indexing more than this share of files → rebuild from scratch


def manifest_of(library: Library, ops: Operations | None = None) -> dict[str, str]:
    """path → what its documents are made from (its text and its ranking context)."""
    from .operations import operations_of

    ops = ops if ops is not None else operations_of(library)
    return {rb.path: f"{rb.content_hash}:{ops.key(rb.path)}" for rb in library.runbooks
            if not rb.load_error and not rb.is_template}


class IndexWriter:
    """Builds and updates the index database of one library root."""

    def __init__(self, root: Path, path: Path | None = None,
                 prebuilt: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.prebuilt = prebuilt
        self.problems: list[str] = []
        self.notice: str | None = None
        self.ops: Operations | None = None
        self.stock: set[str] = set()  # why the index is not where it should be
        if path is None:
            try:
                path = index_file_for(self.root)
            except OSError as exc:
                path = self.fallback(exc, "the search index cache folder")
        self.path = path

    def fallback(self, exc: BaseException, where: str) -> Path:
        """Switch to a private temporary index (removed at exit), noting why."""
        reason = getattr(exc, "strerror", None) or str(exc)
        name = getattr(exc, "filename", None)
        self.notice = (f"{where}{f' {name}' if name else ''} could not be written ({reason}); "
                       "searching from a temporary index this time")
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="rv-search-"))
        atexit.register(shutil.rmtree, folder, True)
        self.path = folder / "index.sqlite3"
        return self.path

    def prebuilt_matching(self, library: Library) -> Path | None:
        """The shipped index when it was built from exactly this library's files."""
        pre = self.prebuilt
        if pre is None or not pre.is_file():
            return None
        return pre if usable(pre, None, readonly=True) == manifest_of(library) else None

    def fresh_index(self) -> tuple[Path, bool] | None:
        """(index file, read-only) when the shipped or the cache index matches the files on
        disk — judged from file stamps, without loading the library (:mod:`.freshness`)."""
        for path, readonly, root in ((self.prebuilt, True, None), (self.path, False, self.root)):
            if path is None or usable(path, root, readonly=readonly) is None:
                continue
            try:
                with contextlib.closing(connect(path, readonly=readonly)) as con:
                    if freshness.is_fresh(con, self.root):
                        return path, readonly
            except sqlite3.Error:
                continue
        return None

    def update(self, library: Library, progress: Progress | None = None) -> IndexStats:
        """Bring the cache index up to date with ``library`` (build, update or rebuild)."""
        from .operations import operations_of

        start = time.perf_counter()
        self.problems = []
        self.ops = operations_of(library)
        wanted = manifest_of(library, self.ops)
        have = usable(self.path, self.root)
        if have is None and self.prebuilt is not None and self.prebuilt.is_file() \
                and usable(self.prebuilt, None, readonly=True) is not None:
            with contextlib.suppress(OSError, sqlite3.Error):  # seed the cache from it
                import shutil

                remove_db(self.path)
                shutil.copyfile(self.prebuilt, self.path)
                with contextlib.closing(sqlite3.connect(self.path)) as con, con:
                    con.execute("UPDATE meta SET value = ? WHERE key = 'root'", (str(self.root),))
                write_checksum(self.path)
                have = usable(self.path, self.root)
        stats = IndexStats(self.path, files=len(wanted))
        changed = {p for p in wanted if have is not None and p in have and have[p] != wanted[p]}
        added = {p for p in wanted if p not in (have or {})}
        removed = set(have or {}) - set(wanted)
        stats.changed, stats.added, stats.removed = len(changed), len(added), len(removed)
        todo = changed | added | removed
        if have is None or (len(todo) > REBUILD_FRACTION * max(len(wanted), 1) and len(todo) > 8):
            self._rebuild(library, progress)
            stats.rebuilt = True
        elif todo:
            self._apply(library, sorted(changed | removed), sorted(changed | added), progress)
        stats.problems = [*self.ops.problems, *self.problems]
        with contextlib.closing(connect(self.path)) as con:
            stats.sections = con.execute("SELECT count(*) FROM sections").fetchone()[0]
            fresh = freshness.is_fresh(con, self.root)
        if not fresh:  # files touched but not changed, or an index from before: re-stamp
            con = self._open_rw()
            try:
                with con:
                    freshness.write_stamps(con, self.root)
                self._seal(con, self.path)
            finally:
                con.close()
        stats.seconds = time.perf_counter() - start
        return stats

    def _open_rw(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        return con

    @staticmethod
    def _seal(con: sqlite3.Connection, path: Path) -> None:
        """Move the WAL into the file and record its checksum (see :func:`verified`)."""
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        write_checksum(path)

    def _rebuild(self, library: Library, progress: Progress | None) -> None:
        if not remove_db(self.path):
            # another process holds the old file open (Windows): build beside it
            self.path = self.path.with_name(f"{self.path.stem}-{os.getpid()}.sqlite3")
            remove_db(self.path)
        con = self._open_rw()
        try:
            con.execute("BEGIN IMMEDIATE")
            create_schema(con, self.root)
            from .documents import stock_text

            total = sum(1 for rb in library.runbooks if not rb.is_template)
            texts = []
            for n, rb in enumerate(rb for rb in library.runbooks if not rb.load_error):
                if progress is not None and n % 1000 == 0:
                    progress(0, total)  # lets a stop land during the boilerplate pass too
                texts.append(stock_text(rb))
            self.stock = stock_mod.common_keys(texts, len(texts))
            if progress is not None:
                progress(0, total)
            con.executemany("INSERT INTO stock(key) VALUES(?)", [(k,) for k in self.stock])
            self._insert_all(con, library, [rb.path for rb in library.runbooks
                                            if not rb.is_template], progress)
            freshness.write_stamps(con, self.root)
            con.execute("COMMIT")
            con.execute("INSERT INTO fts(fts) VALUES('optimize')")
            con.execute("INSERT INTO fields(fields) VALUES('optimize')")
            self._seal(con, self.path)
        finally:
            con.close()

    def _apply(self, library: Library, delete: list[str], insert: list[str],
               progress: Progress | None) -> None:
        con = self._open_rw()
        try:
            con.execute("BEGIN IMMEDIATE")
            self.stock = {k for (k,) in con.execute("SELECT key FROM stock")}
            total = len(set(delete) | set(insert))
            delta: Counter[str] = Counter()
            for path in delete:
                self._delete_path(con, path, delta)
                con.execute("DELETE FROM manifest WHERE path = ?", (path,))
            self._write_vocab(con, delta)
            self._insert_all(con, library, insert, progress, done=len(set(delete) - set(insert)),
                             total=total)
            freshness.write_stamps(con, self.root)
            con.execute("COMMIT")
            self._seal(con, self.path)
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
        if self.ops is None:
            from .operations import operations_of

            self.ops = operations_of(library)
        ops = self.ops
        cols = ", ".join(COLUMNS)
        fcols = ", ".join(FIELD_COLUMNS)
        fmarks = ", ".join("?" * len(FIELD_COLUMNS))
        names = ", ".join((*DISPLAY, *COLUMNS))
        marks = ", ".join("?" * (len(DISPLAY) + len(COLUMNS)))
        delta: Counter[str] = Counter()
        for path in wanted:
            rb = library.get(path)
            if rb is not None and not rb.load_error:
                for doc in self._documents(rb):
                    cur = con.execute(f"INSERT INTO sections({names}) VALUES({marks})",
                                      _row(doc))
                    con.execute(f"INSERT INTO fts(rowid, {cols}) VALUES(?, {marks_n()})",
                                (cur.lastrowid, *doc.text_columns))
                    con.execute(f"INSERT INTO fields(rowid, {fcols}) VALUES(?, {fmarks})",
                                (cur.lastrowid, *(getattr(doc, c) for c in FIELD_COLUMNS)))
                    delta.update(vocabulary("\n".join(doc.text_columns)))
                con.execute("INSERT OR REPLACE INTO manifest(path, content_hash) VALUES(?, ?)",
                            (rb.path, f"{rb.content_hash}:{ops.key(rb.path)}"))
            done += 1
            if progress is not None:
                progress(done, total)
        self._write_vocab(con, delta)
        if progress is not None and not wanted:
            progress(done, total)

    def _documents(self, rb: Runbook) -> list[SectionDoc]:
        """The file's section documents; if they cannot be made (a structure no one foresaw),
        the whole file as one document, and a problem naming it — never the whole library
        lost for one file."""
        from .documents import SectionDoc, plain_text, section_documents

        try:
            return section_documents(rb, self.ops, self.stock)
        except Exception as exc:  # any bug in one file's analysis
            self.problems.append(f"{rb.path}: could not be split into sections "
                                 f"({type(exc).__name__}: {exc}); searched as one document")
            anchor = rb.sections[0].anchor if rb.sections else ""
            body = plain_text(rb.text)
            return [SectionDoc(path=rb.path, anchor=anchor, rb_title=rb.title,
                               section=rb.title, line=1, step=None, labels="", severity=None,
                               prior=TOP_PRIOR, title=rb.title, heading="", triggers="",
                               body=body, tags="", names="", parts="")]

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


def _row(doc: SectionDoc) -> tuple[Any, ...]:
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
    write_checksum(out)
    stats.path = out
    return stats

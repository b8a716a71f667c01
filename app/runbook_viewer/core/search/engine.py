"""The search interface the UI and the command line use.

    engine = SearchEngine(library)          # raises SearchUnavailable if SQLite lacks FTS5
    engine.ensure_index(progress)           # build/update the index; progress(done, total)
    hits = engine.search("redis connection refused", limit=20)
    engine.suggest("hearbeat missing")      # -> "heartbeat missing" (or None)

Threads: one engine may be shared. ``ensure_index`` and ``search`` may be called from any
thread (never the UI thread: a first build takes a moment); every thread gets its own SQLite
connection, opened on first use and reopened after the index changes. Index builds are
serialised by a lock; searches run concurrently with an incremental update (WAL) and see the
index before or after it, never half of it. ``search`` costs about a millisecond on a typical
library, so one query per keystroke is fine; a UI should still drop results of stale queries.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from .. import paths
from .analyzer import Synonyms
from .index import (
    CONTENT_COLUMNS,
    WEIGHTS,
    IndexStats,
    Progress,
    SearchUnavailable,
    check_fts5,
    connect,
    remove_db,
)
from .query import Plan, plan_query
from .ranking import (
    COVERAGE_POWER,
    PROXIMITY_BOOST,
    RUNBOOK_BOOST,
    SECTION_BOOST,
    diversify,
    idf,
)
from .snippets import ELLIPSIS, Snippet, best_snippet, matched_terms
from .vocab import TermCache

SNIPPET_TOKENS = 28  # words in a snippet (FTS5 snippet() picks the best fragment)
CANDIDATES = 60  # sections ranked by bm25 before the coverage re-ranking
MAX_LIMIT = 1000  # results one search returns at most (a bigger request is clamped)
SELECTIVE = 0.2  # words in more than this share of sections do not fetch candidates alone
# bm25() with the column weights spelled out: 2-3× faster than FTS5's configurable `rank`
BM25 = f"bm25(fts, {', '.join(str(w) for w in WEIGHTS)})"
# FTS5's bm25 saturates term frequency after applying column weights, so a word in a heading
# barely outweighs the same word three times in the body. Matches in these columns therefore
# also multiply the score: (1 + SECTION_BOOST × share of the query found in the section's
# heading/trigger conditions + RUNBOOK_BOOST × share found in the runbook's title/names).
SECTION_FIELDS = "heading triggers"
RUNBOOK_FIELDS = "title names"
CONTENT = "{" + " ".join(CONTENT_COLUMNS) + "}"  # every column but the boilerplate

__all__ = ["Hit", "SearchEngine", "SearchError", "SearchUnavailable", "group_hits"]


class SearchError(RuntimeError):
    """Search failed in a way the user should be told about (the message says why)."""


TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..model import Library


class Hit:
    """One search result: a section of a runbook. (A plain class: importing `dataclasses`
    would cost a terminal search more than the search.)"""

    def __init__(self, path: str, title: str, section: str, anchor: str, score: float,
                 snippet: str, snippet_text: str = "",
                 highlights: list[tuple[int, int]] | None = None,
                 terms: list[str] | None = None, labels: list[str] | None = None,
                 severity: str | None = None, step: int | None = None, line: int = 0) -> None:
        self.path = path  # runbook file, library-relative, "/"-separated
        self.title = title  # runbook title
        self.section = section  # heading path, "Procedure › Step 3: Start Redis and Sentinel"
        self.anchor = anchor  # the section's anchor in the rendered runbook
        self.score = score  # higher is better; results come best first (after diversity)
        self.snippet = snippet  # plain text with matched words in [brackets]
        self.snippet_text = snippet_text  # the same without brackets
        self.highlights = highlights or []  # spans in snippet_text
        self.terms = terms or []  # matched words as written in the section
        self.labels = labels or []  # "operational" / "constitutional"
        self.severity = severity  # the most severe trigger condition leading to this section
        self.step = step
        self.line = line

    def __repr__(self) -> str:
        return f"Hit({self.path}#{self.anchor}, score={self.score:.3f})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]

    def snippet_marked(self, open_: str, close: str,
                       escape: Callable[[str], str] | None = None) -> str:
        """The snippet with matches wrapped in ``open_``/``close`` (e.g. ``<b>``/``</b>`` with
        ``escape=html.escape``)."""
        return Snippet(self.snippet_text, self.highlights).marked(open_, close, escape)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "section": self.section,
                "anchor": self.anchor, "score": round(self.score, 4), "snippet": self.snippet,
                "terms": self.terms, "labels": self.labels, "severity": self.severity,
                "step": self.step, "line": self.line}


def group_hits(hits: list[Hit]) -> list[tuple[Hit, list[Hit]]]:
    """Hits grouped by runbook, in the order the runbooks first appear: (its best section,
    its further sections best first). The UI shows one result per runbook with its best
    sections; ``--json`` lists every section, runbooks ranked first."""
    groups: dict[str, tuple[Hit, list[Hit]]] = {}
    for hit in hits:
        if hit.path in groups:
            groups[hit.path][1].append(hit)
        else:
            groups[hit.path] = (hit, [])
    return list(groups.values())


class SearchEngine:
    """Full-text search over one library's sections (see the module doc for threading)."""

    def __init__(self, library: Library | str | Path, *, index_path: Path | None = None,
                 prebuilt: Path | None = None) -> None:
        check_fts5()
        from .writer import IndexWriter

        # a Library (its module is not imported here), or its folder
        self._library: Library | None = None
        if isinstance(library, str | Path):
            root = Path(library).expanduser()
        else:
            self._library, root = library, library.root
        self._root = root
        if prebuilt is None and root.resolve() == paths.bundled_library().resolve():
            prebuilt = paths.prebuilt_index()
        self._writer = IndexWriter(root, path=index_path, prebuilt=prebuilt)
        self.synonyms = Synonyms.load(root)
        self.stats: IndexStats | None = None
        self._db: Path | None = None
        self._readonly = False
        self._generation = 0
        self._cache = TermCache()
        self._build_lock = threading.RLock()
        self._local = threading.local()

    # ---------------------------------------------------------------------------- the index
    @property
    def library(self) -> Library:
        """The library (loaded on first use when the engine was given a folder)."""
        if self._library is None:
            from ..library import LibraryError, load_library  # the parser: only when needed

            try:
                self._library = load_library(self._root)
            except LibraryError as exc:
                raise SearchError(str(exc)) from exc
        return self._library

    @library.setter
    def library(self, library: Library) -> None:
        self._library = library

    def ensure_index(self, progress: Progress | None = None,
                     library: Library | None = None) -> IndexStats:
        """Build the index or bring it up to date (only changed files are re-indexed).

        An engine made from a folder first checks the files against the index's stamps
        (:mod:`.freshness`); when nothing changed it searches without parsing the library."""
        with self._build_lock:
            if library is not None:
                self._library = library
                self.synonyms = Synonyms.load(library.root)
            if self._library is None and self._root.is_dir():
                fresh = self._writer.fresh_index()
                if fresh is not None:
                    return self._use_fresh(*fresh, progress)
            pre = self._writer.prebuilt_matching(self.library)
            if pre is not None:
                stats = IndexStats(pre, files=len(self.library.runbooks), readonly=True)
                if progress is not None:
                    progress(stats.files, stats.files)
                self._switch(pre, readonly=True)
            else:
                stats = self._update(progress)
                self._switch(self._writer.path, readonly=False)
            self.stats = stats
            return stats

    def _use_fresh(self, db: Path, readonly: bool, progress: Progress | None) -> IndexStats:
        self._switch(db, readonly)
        con = self._con()
        stats = IndexStats(db, readonly=readonly,
                           files=con.execute("SELECT count(*) FROM manifest").fetchone()[0],
                           sections=con.execute("SELECT count(*) FROM sections").fetchone()[0])
        if progress is not None:
            progress(stats.files, stats.files)
        self.stats = stats
        return stats

    @property
    def notice(self) -> str | None:
        """Something the user should know about the index (e.g. the cache folder could not
        be written and a temporary index is used), or None."""
        return self._writer.notice

    def _update(self, progress: Progress | None) -> IndexStats:
        try:
            return self._writer.update(self.library, progress)
        except (sqlite3.Error, OSError) as first:
            # the cache folder is unwritable or the file is damaged beyond reuse: try afresh
            # in a private temporary folder before giving up
            self._writer.fallback(first, f"the search index {self._writer.path}")
            try:
                return self._writer.update(self.library, progress)
            except (sqlite3.Error, OSError) as exc:
                raise SearchError(f"cannot build the search index ({first}; {exc})") from exc

    def _switch(self, db: Path, readonly: bool) -> None:
        self._db, self._readonly = db, readonly
        self._generation += 1
        self._cache = TermCache()

    def _con(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            old = getattr(local, "con", None)
            if old is not None:
                old.close()
            assert self._db is not None
            local.con = connect(self._db, readonly=self._readonly)
            local.generation = self._generation
        return cast(sqlite3.Connection, local.con)

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
            self._local.generation = None

    def _rebuild_after_error(self) -> None:
        with self._build_lock:
            self.close()
            if not self._readonly:
                remove_db(self._writer.path)
            else:  # a damaged shipped index: stop using it, build a cache copy instead
                self._writer.prebuilt = None
            stats = self._update(None)
            self._switch(self._writer.path, readonly=False)
            self.stats = stats

    # ---------------------------------------------------------------------------- queries
    def plan(self, query: str) -> Plan:
        if self._db is None:
            self.ensure_index()
        return plan_query(self._con(), self._cache, self.synonyms, query)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Sections matching ``query``, best first (at most ``limit``)."""
        if not query.strip() or limit <= 0:
            return []
        limit = min(limit, MAX_LIMIT)
        try:
            return self._search(query, limit)
        except sqlite3.DatabaseError:
            self._rebuild_after_error()
            try:
                return self._search(query, limit)
            except sqlite3.DatabaseError as exc:
                raise SearchError(f"the search index cannot be read: {exc}") from exc

    def suggest(self, query: str) -> str | None:
        """A corrected query when a word matched nothing and a near library word exists."""
        if not query.strip():
            return None
        try:
            return self.plan(query).suggestion
        except sqlite3.DatabaseError:
            return None

    def _search(self, query: str, limit: int) -> list[Hit]:
        plan = self.plan(query)
        if plan.empty:
            return []
        con = self._con()
        cache = self._cache
        want = max(limit * 2, CANDIDATES)
        exprs = [g.expr for g in plan.groups]
        total = cache.section_count(con)
        sets = [cache.rows(con, f"{CONTENT} : {e}") for e in exprs]
        # candidates: the best sections with every word; with all words but one; with any
        # of the selective words. (Ranking the whole union of common words — all sections
        # with "redis" or "halt" — would cost far more and add sections that lose anyway.)
        ranked: dict[int, tuple[float, str]] = dict(self._ranked(con, plan.and_expr(), want))
        queries: list[str] = []
        if len(exprs) > 2 and len(ranked) < want:
            queries += [" AND ".join(e for j, e in enumerate(exprs) if j != i)
                        for i in range(len(exprs))]
        if len(exprs) > 1:
            order = sorted(range(len(exprs)), key=lambda i: len(sets[i]))
            chosen = [exprs[i] for i in order if len(sets[i]) <= SELECTIVE * total]
            queries.append(" OR ".join(chosen or [exprs[order[0]]]))
        for expr in queries:
            for rowid, found in self._ranked(con, expr, want):
                ranked.setdefault(rowid, found)
        weights = [g.weight * idf(total, len(rows)) for g, rows in zip(plan.groups, sets,
                                                                          strict=True)]
        whole = sum(weights) or 1.0
        strong = [cache.rows(con, f"{{{SECTION_FIELDS}}} : {e}", "fields") for e in exprs]
        named = [cache.rows(con, f"{{{RUNBOOK_FIELDS}}} : {e}", "fields") for e in exprs]
        near = [cache.rows(con, f"{CONTENT} : {p}") for p in plan.pairs]

        def share(rowid: int, found: list[frozenset[int]]) -> float:
            return sum(w for w, rows in zip(weights, found, strict=True) if rowid in rows) / whole

        scored: list[tuple[float, str, int]] = []
        for rowid, (score, path) in ranked.items():
            coverage = share(rowid, sets)
            together = sum(rowid in rows for rows in near) / len(near) if near else 0.0
            scored.append((score * coverage ** COVERAGE_POWER * (
                1 + PROXIMITY_BOOST * together) * (
                1 + SECTION_BOOST * share(rowid, strong) + RUNBOOK_BOOST * share(rowid, named)),
                path, rowid))
        top = diversify(scored)[:limit]
        return self._hits(con, plan, top)

    def _ranked(self, con: sqlite3.Connection, expr: str,
                want: int) -> list[tuple[int, tuple[float, str]]]:
        """(rowid, (bm25 × section prior, path)) of the best ``want``
        sections matching ``expr``."""
        rows = con.execute(
            f"SELECT f.rowid, f.score, s.prior, s.path FROM (SELECT rowid, {BM25} AS "
            "score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?) f "
            "JOIN sections s ON s.id = f.rowid", (expr, want)).fetchall()
        return [(rowid, (-score * (prior or 1.0), path)) for rowid, score, prior, path in rows]

    def _hits(self, con: sqlite3.Connection, plan: Plan,
              top: list[tuple[float, int]]) -> list[Hit]:
        if not top:
            return []
        ids = [rowid for _, rowid in top]
        marks = ",".join("?" * len(ids))
        hl = ", ".join(f"highlight(fts, {c}, char(1), char(2))" for c in range(3))
        hl += f", snippet(fts, 3, char(1), char(2), '{ELLIPSIS}', {SNIPPET_TOKENS})"
        rows = con.execute(
            f"SELECT s.id, s.path, s.anchor, s.rb_title, s.section, s.line, s.step, s.labels, "
            f"s.severity, {hl} FROM fts JOIN sections s ON s.id = fts.rowid "
            f"WHERE fts MATCH ? AND fts.rowid IN ({marks})", (plan.any_expr(), *ids)).fetchall()
        by_id = {r[0]: r for r in rows}
        matcher = plan.matcher()
        hits: list[Hit] = []
        for score, rowid in top:
            r = by_id.get(rowid)
            if r is None:
                continue
            (_id, path, anchor, title, section, line, step, labels, severity,
             h_title, h_heading, h_trig, s_body) = r
            snip = best_snippet([h_trig, s_body], matcher, key=plan.same_word)
            hits.append(Hit(
                path=path, title=title, section=section, anchor=anchor, score=score,
                snippet=snip.marked(), snippet_text=snip.text, highlights=snip.spans,
                terms=matched_terms([h_title, h_heading, h_trig, s_body], matcher),
                labels=[x for x in (labels or "").split(",") if x],
                severity=severity, step=step, line=line or 0))
        return hits

"""The index vocabulary: completing half-typed words and correcting typos.

FTS5 matches whole (stemmed) words only, and has no fuzzy matching. The ``vocab`` table holds
every unstemmed word of the library with its document frequency, so:

- a half-typed last word ("configura", "missin") is completed to the library's words that start
  with it, most frequent first — typing mid-word never shows zero results, even where the
  stemmed prefix would miss ("configura*" does not match the stem "configur");
- a word no section contains ("hearbeat") is corrected to the nearest library word by edit
  distance (optimal string alignment: insertions, deletions, substitutions and swapped
  neighbours count 1), preferring frequent words — that is the "did you mean".

Results are cached per index generation by :class:`TermCache`; a cache is used by one index
state only and is thrown away when the index changes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict

EXPANSIONS = 12  # whole words a half-typed word stands for
MIN_TYPO_LEN = 4  # shorter words are too ambiguous to correct
ROW_SETS = 512  # cached row sets of query words (the cache restarts when full)


class Stemmer:
    """Porter stems exactly as the index computes them: SQLite's own tokenizer is asked (an
    in-memory FTS5 table and its ``fts5vocab``), so no second stemmer can disagree with it."""

    def __init__(self, tokenizer: str) -> None:
        self._con = sqlite3.connect(":memory:", check_same_thread=False)
        self._con.execute(f"CREATE VIRTUAL TABLE s USING fts5(x, tokenize='{tokenizer}')")
        self._con.execute("CREATE VIRTUAL TABLE sv USING fts5vocab(s, 'instance')")
        self._stems: dict[str, str] = {}
        self._lock = threading.Lock()

    def stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            found = self.stems([word]).get(word, word)
        return found

    def stems(self, words: list[str]) -> dict[str, str]:
        todo = [w for w in dict.fromkeys(words) if w not in self._stems]
        if todo:
            with self._lock:
                con = self._con
                con.executemany("INSERT INTO s(rowid, x) VALUES(?, ?)", enumerate(todo, 1))
                got = dict(con.execute("SELECT doc, term FROM sv ORDER BY doc, offset"))
                con.execute("DELETE FROM s")
                if len(self._stems) > 50_000:
                    self._stems.clear()
                for n, w in enumerate(todo, 1):
                    self._stems[w] = got.get(n, w)
        return {w: self._stems.get(w, w) for w in words}


def expansions(prefix: str) -> int:
    """How many words a half-typed word stands for: few for one or two letters (they match
    most of the library anyway and would cost a lot to rank)."""
    return {1: 3, 2: 6}.get(len(prefix), EXPANSIONS)


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_limit(word: str) -> int:
    return 1 if len(word) <= 7 else 2


def _upper_bound(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class TermCache:
    """Per-index-state answers about words: known?, completions, corrections (thread-safe)."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}
        self._prefix: dict[str, list[str]] = {}
        self._fix: dict[tuple[str, bool], list[str]] = {}
        self._rows: dict[tuple[str, str], frozenset[int]] = {}
        self._count: int | None = None
        self._words: dict[str, list[tuple[str, int]]] | None = None
        self._lock = threading.Lock()

    def rows(self, con: sqlite3.Connection, expr: str, table: str = "fts") -> frozenset[int]:
        """Every section matching the FTS5 expression in ``table`` (``fts``: all columns,
        ``fields``: the short ones; cached, bounded)."""
        key = (table, expr)
        found = self._rows.get(key)
        if found is None:
            # one string instead of a tuple per row: thousands of tuples would wake Python's
            # cycle collector, whose full passes cost tens of milliseconds in a big process
            text = con.execute(f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?",
                               (expr,)).fetchone()[0]
            found = frozenset(map(int, text.split(","))) if text else frozenset()
            if len(self._rows) >= ROW_SETS:
                self._rows.clear()
            self._rows[key] = found
        return found

    def section_count(self, con: sqlite3.Connection) -> int:
        if self._count is None:
            self._count = con.execute("SELECT count(*) FROM sections").fetchone()[0]
        return self._count

    def in_vocab(self, con: sqlite3.Connection, term: str) -> bool:
        """Is ``term`` a word of the library (unstemmed, as written)?"""
        key = "=" + term
        hit = self._known.get(key)
        if hit is None:
            row = con.execute("SELECT 1 FROM vocab WHERE term = ?", (term,)).fetchone()
            hit = self._known[key] = row is not None
        return hit

    def known(self, con: sqlite3.Connection, expr: str) -> bool:
        """Does any section match the FTS5 expression (a quoted word or phrase)?"""
        hit = self._known.get(expr)
        if hit is None:
            row = con.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (expr,)).fetchone()
            hit = self._known[expr] = row is not None
        return hit

    def completions(self, con: sqlite3.Connection, prefix: str) -> list[str]:
        """Library words starting with ``prefix``, most frequent first (at most EXPANSIONS)."""
        found = self._prefix.get(prefix)
        if found is None:
            rows = con.execute(
                "SELECT term FROM vocab WHERE term >= ? AND term < ? ORDER BY df DESC, term "
                "LIMIT ?", (prefix, _upper_bound(prefix), expansions(prefix))).fetchall()
            found = self._prefix[prefix] = [r[0] for r in rows]
        return found

    def corrections(self, con: sqlite3.Connection, word: str, partial: bool) -> list[str]:
        """Library words within edit distance of ``word`` (or, ``partial``, of its start)."""
        key = (word, partial)
        found = self._fix.get(key)
        if found is None:
            found = self._fix[key] = self._nearest(con, word, partial)
        return found

    def _bucket(self, con: sqlite3.Connection, first: str) -> list[tuple[str, int]]:
        with self._lock:
            if self._words is None:
                words: dict[str, list[tuple[str, int]]] = defaultdict(list)
                for term, df in con.execute("SELECT term, df FROM vocab"):
                    if term and not term.isdigit():
                        words[term[0]].append((term, df))
                self._words = dict(words)
        return self._words.get(first, [])

    def _nearest(self, con: sqlite3.Connection, word: str, partial: bool) -> list[str]:
        if len(word) < MIN_TYPO_LEN or word.isdigit():
            return []
        limit = typo_limit(word)
        n = len(word)
        scored: list[tuple[int, int, str]] = []
        for term, df in self._bucket(con, word[0]):
            if partial:
                if len(term) < n - 1:
                    continue
                d = min(osa_distance(word, term[:k], limit) for k in (n - 1, n, n + 1))
            else:
                if abs(len(term) - n) > limit:
                    continue
                d = osa_distance(word, term, limit)
            if d <= limit:
                scored.append((d, -df, term))
        if not scored:
            return []
        scored.sort()
        best = scored[0][0]
        return [t for d, _df, t in scored if d == best][:3]

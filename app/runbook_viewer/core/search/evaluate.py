"""Measure search quality: recall@3 of our search against a plain baseline, in the same run.

An evaluation file is JSON: ``{"library": "...", "queries": [{"query": "...", "answers":
["file.md", ...], "anchors": ["file.md#step-3-...", ...]}, ...]}`` — symptom queries phrased as
an operator would type them, each with the runbook files that answer it (and optionally the
sections that do). A query is *found* when one of its answers is among the first ``k`` hits as
shown (sections, so three hits from one wrong runbook count as a miss); recall@k is the share of
queries found.

The baseline is what one gets from an off-the-shelf full-text index: whole files in SQLite FTS5
with the standard ``unicode61`` tokenizer (no stemming, no synonyms, no identifier splitting,
no sections), queried with the OR of the query's words and ranked by plain ``bm25()``.

Run: ``python -m runbook_viewer.core.search.evaluate tests/core/search_eval_corpus.json``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..library import load_library
from ..model import Library
from .analyzer import words
from .engine import SearchEngine

REPO = Path(__file__).resolve().parents[4]


@dataclass
class EvalQuery:
    query: str
    answers: list[str]
    anchors: list[str] = field(default_factory=list)


@dataclass
class EvalResult:
    name: str
    found: list[bool]
    step_found: list[bool | None] = field(default_factory=list)
    top: list[list[str]] = field(default_factory=list)  # the first k hits, path#anchor

    @property
    def recall(self) -> float:
        return sum(self.found) / len(self.found) if self.found else 0.0

    @property
    def step_recall(self) -> float | None:
        judged = [f for f in self.step_found if f is not None]
        return sum(judged) / len(judged) if judged else None


def load_eval(path: Path | str) -> tuple[Path, list[EvalQuery]]:
    """The library folder an evaluation file names (relative to the repository) and its
    queries."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    library = Path(data.get("library", "runbooks"))
    if not library.is_absolute():
        library = (REPO / library).resolve()
    queries = [EvalQuery(q["query"], list(q["answers"]), list(q.get("anchors", [])))
               for q in data["queries"]]
    return library, queries


class BaselineIndex:
    """Whole-file BM25 with a standard analyzer (FTS5 unicode61), in memory."""

    def __init__(self, library: Library) -> None:
        self.con = sqlite3.connect(":memory:")
        self.con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, text, "
                         "tokenize='unicode61')")
        self.con.executemany("INSERT INTO docs(path, text) VALUES(?, ?)",
                             [(rb.path, rb.text) for rb in library.runbooks if rb.text])

    def search(self, query: str, limit: int = 3) -> list[str]:
        terms = list(dict.fromkeys(words(query)))
        if not terms:
            return []
        expr = " OR ".join(f'"{t}"' for t in terms)
        rows = self.con.execute("SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) "
                                "LIMIT ?", (expr, limit)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.con.close()


def run_ours(engine: SearchEngine, queries: list[EvalQuery], k: int = 3) -> EvalResult:
    result = EvalResult("ours (sections, FTS5 porter + analyzer)", [])
    for q in queries:
        hits = engine.search(q.query, limit=k)
        result.found.append(any(h.path in q.answers for h in hits))
        keys = [f"{h.path}#{h.anchor}" for h in hits]
        result.step_found.append(any(x in q.anchors for x in keys) if q.anchors else None)
        result.top.append(keys)
    return result


def run_baseline(library: Library, queries: list[EvalQuery], k: int = 3) -> EvalResult:
    base = BaselineIndex(library)
    try:
        result = EvalResult("baseline (whole files, FTS5 unicode61 bm25)", [])
        for q in queries:
            paths = base.search(q.query, k)
            result.found.append(any(p in q.answers for p in paths))
            result.top.append(paths)
        return result
    finally:
        base.close()


def evaluate(library: Library | Path | str, queries: list[EvalQuery], k: int = 3,
             engine: SearchEngine | None = None) -> tuple[EvalResult, EvalResult]:
    """(ours, baseline) recall@k on the same library and queries."""
    lib = library if isinstance(library, Library) else load_library(library)
    if engine is None:
        engine = SearchEngine(lib)
        engine.ensure_index()
    return run_ours(engine, queries, k), run_baseline(lib, queries, k)


def report(ours: EvalResult, base: EvalResult, queries: list[EvalQuery], k: int = 3,
           misses: bool = True) -> str:
    lines = [f"{len(queries)} queries, recall@{k}:",
             f"  {ours.name:<46} {ours.recall:6.1%}",
             f"  {base.name:<46} {base.recall:6.1%}"]
    if ours.step_recall is not None:
        judged = sum(f is not None for f in ours.step_found)
        lines.append(f"  ours, right section in top {k} ({judged} queries with sections)"
                     f"{'':<3} {ours.step_recall:6.1%}")
    if misses:
        for q, found, top, bfound in zip(queries, ours.found, ours.top, base.found, strict=True):
            if not found:
                lines.append(f"  MISS {q.query!r} → {', '.join(top) or '(nothing)'}"
                             f"{'  [baseline found it]' if bfound else ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("eval_file", nargs="+")
    ap.add_argument("--library", help="override the library folder named in the file")
    ap.add_argument("-k", type=int, default=3)
    args = ap.parse_args(argv)
    for name in args.eval_file:
        library, queries = load_eval(name)
        if args.library:
            library = Path(args.library)
        if not library.is_dir():
            print(f"{name}: library {library} not found; skipped", file=sys.stderr)
            continue
        ours, base = evaluate(library, queries, args.k)
        print(f"== {name} ({library})")
        print(report(ours, base, queries, args.k))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

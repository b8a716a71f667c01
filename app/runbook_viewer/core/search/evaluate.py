"""Measure search quality: recall@3 and MRR of our search and two plain baselines, same run.

An evaluation file is JSON with ``queries``: ``{"query": "...", "kind": "plain",
"answers": ["file.md", ...], "anchors": ["file.md#step-3-..."], "sections": ["Title"]}`` —
queries phrased as an operator would type them. ``kind`` groups them in the report (plain
symptoms, pasted errors, loose alert names, typos/abbreviations, body-only answers). The
library is ``"library": "folder"`` (relative to the repository) or ``"collection": {"source":
"folder", "file": "x.md", "title": "..."}``: one corpus folder concatenated into one file of
``###`` sections, made in a temporary folder (:func:`.baselines.make_collection`).

Judging: with ``sections``, a result counts when its heading path passes through one of those
section titles (section level); otherwise when its file is one of ``answers`` (file level).
recall@k is the share of queries with a right result among the first ``k`` results as shown
(three sections of one wrong runbook are a miss); MRR is the mean of 1/rank of the first right
result within the first :data:`MRR_DEPTH`. ``anchors`` additionally measure whether the right
*step* is in the top ``k`` (ours only).

Run: ``python -m runbook_viewer.core.search.evaluate tests/core/search/search_eval_*.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..library import load_library
from ..model import Library
from .baselines import Found, SectionBaseline, WholeFileBaseline, make_collection
from .documents import SECTION_SEP
from .engine import SearchEngine

REPO = Path(__file__).resolve().parents[4]
MRR_DEPTH = 10


@dataclass
class EvalQuery:
    query: str
    answers: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    kind: str = ""
    sections: list[str] = field(default_factory=list)

    def judge(self, found: Found) -> bool:
        if self.sections:
            return any(t in found.headings for t in self.sections)
        return found.path in self.answers


@dataclass
class EvalResult:
    name: str
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of the first right one
    kinds: list[str] = field(default_factory=list)
    step_found: list[bool | None] = field(default_factory=list)
    top: list[list[str]] = field(default_factory=list)  # the first k results, path#anchor
    k: int = 3

    @property
    def found(self) -> list[bool]:
        return [r is not None and r <= self.k for r in self.ranks]

    @property
    def recall(self) -> float:
        return self.recall_of(None)

    @property
    def mrr(self) -> float:
        return self.mrr_of(None)

    def _select(self, kind: str | None) -> list[int | None]:
        return [r for r, k in zip(self.ranks, self.kinds, strict=True)
                if kind is None or k == kind]

    def recall_of(self, kind: str | None) -> float:
        ranks = self._select(kind)
        return sum(r is not None and r <= self.k for r in ranks) / len(ranks) if ranks else 0.0

    def mrr_of(self, kind: str | None) -> float:
        ranks = self._select(kind)
        return sum(1 / r for r in ranks if r) / len(ranks) if ranks else 0.0

    @property
    def step_recall(self) -> float | None:
        judged = [f for f in self.step_found if f is not None]
        return sum(judged) / len(judged) if judged else None


@dataclass
class EvalSet:
    name: str
    library: Path
    queries: list[EvalQuery]
    collection: dict[str, Any] | None = None

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(q.kind for q in self.queries if q.kind))


def _resolve(folder: str) -> Path:
    path = Path(folder)
    return path if path.is_absolute() else (REPO / path).resolve()


def load_set(path: Path | str) -> EvalSet:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    queries = [EvalQuery(q["query"], list(q.get("answers", [])), list(q.get("anchors", [])),
                         q.get("kind", ""), list(q.get("sections", [])))
               for q in data["queries"]]
    coll = data.get("collection")
    if coll is not None:
        coll = dict(coll, source=_resolve(coll["source"]))
        for q in queries:
            q.answers = q.answers or [coll["file"]]
        return EvalSet(Path(path).stem, coll["source"], queries, coll)
    return EvalSet(Path(path).stem, _resolve(data.get("library", "runbooks")), queries)


def load_eval(path: Path | str) -> tuple[Path, list[EvalQuery]]:
    """The library folder an evaluation file names and its queries."""
    s = load_set(path)
    return s.library, s.queries


def materialise(s: EvalSet, tmp: Path) -> Path:
    """The folder to search: the named library, or the collection built under ``tmp``."""
    if s.collection is None:
        return s.library
    c = s.collection
    return make_collection(c["source"], tmp / s.name, c["file"], c.get("title", s.name))


def _run(name: str, search: Callable[[str, int], list[Found]], queries: list[EvalQuery],
         k: int) -> EvalResult:
    result = EvalResult(name, k=k)
    for q in queries:
        found = search(q.query, max(k, MRR_DEPTH))
        rank = next((n for n, f in enumerate(found, 1) if q.judge(f)), None)
        result.ranks.append(rank)
        result.kinds.append(q.kind)
        keys = [f"{f.path}#{f.anchor}" if f.anchor else f.path for f in found[:k]]
        result.top.append(keys)
        result.step_found.append(any(x in q.anchors for x in keys) if q.anchors else None)
    return result


def run_ours(engine: SearchEngine, queries: list[EvalQuery], k: int = 3) -> EvalResult:
    def search(query: str, limit: int) -> list[Found]:
        return [Found(h.path, h.anchor, tuple(h.section.split(SECTION_SEP)))
                for h in engine.search(query, limit=limit)]
    return _run("ours", search, queries, k)


def run_baseline(library: Library, queries: list[EvalQuery], k: int = 3,
                 kind: type = WholeFileBaseline) -> EvalResult:
    base = kind(library)
    try:
        return _run(base.name, base.search, queries, k)
    finally:
        base.close()


def evaluate(library: Library | Path | str, queries: list[EvalQuery], k: int = 3,
             engine: SearchEngine | None = None) -> tuple[EvalResult, EvalResult, EvalResult]:
    """(ours, whole-file baseline, section baseline) on the same library and queries."""
    lib = library if isinstance(library, Library) else load_library(library)
    if engine is None:
        engine = SearchEngine(lib)
        engine.ensure_index()
    return (run_ours(engine, queries, k), run_baseline(lib, queries, k),
            run_baseline(lib, queries, k, SectionBaseline))


def evaluate_set(s: EvalSet, k: int = 3) -> tuple[EvalResult, EvalResult, EvalResult]:
    with tempfile.TemporaryDirectory(prefix="rv-eval-") as tmp:
        return evaluate(materialise(s, Path(tmp)), s.queries, k)


def report(results: tuple[EvalResult, ...], queries: list[EvalQuery], misses: bool = True,
           title: str = "") -> str:
    ours = results[0]
    k = ours.k
    head = f"{'':<14}" + "".join(f"{r.name:>18}" for r in results)
    lines = [f"{title} ({len(queries)} queries): recall@{k} / MRR@{MRR_DEPTH}", head]
    kinds = list(dict.fromkeys(q.kind for q in queries if q.kind))
    for kind in [None, *kinds]:
        n = len(queries) if kind is None else sum(q.kind == kind for q in queries)
        label = "all" if kind is None else f"{kind} ({n})"
        lines.append(f"  {label:<12}" + "".join(
            f"{r.recall_of(kind):>10.1%} / {r.mrr_of(kind):.2f}" for r in results))
    if ours.step_recall is not None:
        judged = sum(f is not None for f in ours.step_found)
        lines.append(f"  ours, right step in top {k} ({judged} queries with steps): "
                     f"{ours.step_recall:.1%}")
    if misses:
        base_found = [any(f) for f in zip(*(r.found for r in results[1:]), strict=True)] \
            if len(results) > 1 else [False] * len(queries)
        for q, found, top, bf in zip(queries, ours.found, ours.top, base_found, strict=True):
            if not found:
                lines.append(f"  MISS [{q.kind or '-'}] {q.query!r} → {', '.join(top) or '-'}"
                             f"{'  [a baseline found it]' if bf else ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("eval_file", nargs="+")
    ap.add_argument("-k", type=int, default=3)
    ap.add_argument("--quiet", action="store_true", help="no list of misses")
    args = ap.parse_args(argv)
    for name in args.eval_file:
        s = load_set(name)
        if not s.library.is_dir():
            print(f"{name}: library {s.library} not found; skipped", file=sys.stderr)
            continue
        results = evaluate_set(s, args.k)
        print(report(results, s.queries, not args.quiet, title=f"== {s.name}"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

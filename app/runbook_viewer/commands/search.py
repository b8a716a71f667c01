"""`runbook-viewer search QUERY…`: find the runbook section for a symptom.

Same engine as the window (SQLite FTS5 over runbook sections, see
:mod:`runbook_viewer.core.search`). Results are grouped by runbook: the best runbooks first
(the top ones name different runbooks unless one is clearly the answer), each with its best
section and then its other matching sections. Human output: numbered runbooks with title ›
section, ``path#anchor``, a snippet with the matched words in [brackets] and "also:" lines for
further sections; a "did you mean" line when a word matched nothing. ``--json``: an array of
every section found, runbooks ranked first (all sections of the first runbook, best first,
then the second's …), objects with ``path`` (relative to the library, "/"-separated),
``title``, ``section``, ``anchor``, ``score``, ``snippet``, ``runbook_rank`` (and ``terms``,
``labels``, ``severity``, ``step``, ``line``).

When the index is up to date (file stamps match, see ``core/search/freshness.py``) no runbook
is parsed: a search costs little more than starting Python.

Exit status: 0 with hits, 1 with none (or on an error, after a one-line message).
"""

from __future__ import annotations

import sys

from ..core.glyphs import font_safe, label_text
from ..core.search import SearchEngine, SearchError, SearchUnavailable, group_hits
from ..invocation import example
from .common import add_library_option, error, library_dir, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("search", help="find the runbook step for a symptom",
                       description="Search the library's runbook sections for a symptom, an "
                                   "alert name or an error message.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="what you see, in your words")
    add_library_option(p)
    p.add_argument("--limit", "-n", type=_positive, default=10, metavar="N",
                   help="show at most N sections (default 10; at most 1000)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _progress(done: int, total: int) -> None:
    if total >= 50 and sys.stderr.isatty():
        print(f"\rindexing {done}/{total} runbooks…", end="" if done < total else "\n",
              file=sys.stderr, flush=True)


def _badges(hit) -> str:
    return " ".join(filter(None, [
        label_text("constitutional") if "constitutional" in hit.labels else "",
        label_text("operational") if "operational" in hit.labels else "",
        hit.severity or ""]))


def _print_human(groups: list) -> None:
    width = len(str(len(groups)))
    pad = " " * (width + 2)
    for n, (best, more) in enumerate(groups, 1):
        where = f"{best.title} › {best.section}" if best.section and \
            best.section != best.title else best.title
        badges = _badges(best)
        print(font_safe(f"{n:>{width}}. {where}") + (f"   [{badges}]" if badges else ""))
        print(f"{pad}{best.path}#{best.anchor}")
        if best.snippet:
            print(f"{pad}{font_safe(best.snippet)}")
        for hit in more:
            print(font_safe(f"{pad}also: {hit.section}  (#{hit.anchor})"))


def run(args) -> int:
    folder = library_dir(args)
    query = " ".join(args.query).strip()
    if not query:
        error("the search query is empty; type what you see, e.g. "
              f"`{example('search redis connection refused')}`")
        return 1
    try:
        engine = SearchEngine(folder)
        stats = engine.ensure_index(progress=_progress)
        hits = engine.search(query, limit=args.limit)
        suggestion = engine.suggest(query)
    except (SearchUnavailable, SearchError) as exc:
        error(str(exc))
        return 1
    for note in filter(None, [engine.notice, *stats.problems]):
        error(f"note: {note}")
    groups = group_hits(hits)
    if args.json:
        print_json([dict(h.to_json(), runbook_rank=n)
                    for n, (best, more) in enumerate(groups, 1) for h in (best, *more)])
        return 0 if hits else 1
    if suggestion:
        print(f"Did you mean: {suggestion}")
    if not hits:
        if not stats.files:
            error(f"no runbooks in {folder}")
        else:
            print(f"No section matches {query!r} in {folder}.", file=sys.stderr)
        return 1
    _print_human(groups)
    return 0

"""`runbook-viewer search QUERY…`: find the runbook section for a symptom.

Same engine as the window (SQLite FTS5 over runbook sections, see
:mod:`runbook_viewer.core.search`). Human output: numbered hits with runbook title › section,
``path#anchor`` and a snippet with the matched words in [brackets]; a "did you mean" line when
a word matched nothing. ``--json``: an array, best first, of objects with ``path`` (relative to
the library, "/"-separated), ``title``, ``section``, ``anchor``, ``score``, ``snippet`` (and
``terms``, ``labels``, ``severity``, ``step``, ``line``).

Exit status: 0 with hits, 1 with none (or on an error, after a one-line message).
"""

from __future__ import annotations

import sys

from ..core.glyphs import font_safe, label_text
from ..core.search import SearchEngine, SearchError, SearchUnavailable
from .common import add_library_option, error, open_library, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("search", help="find the runbook step for a symptom",
                       description="Search the library's runbook sections for a symptom, an "
                                   "alert name or an error message.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="what you see, in your words")
    add_library_option(p)
    p.add_argument("--limit", "-n", type=_positive, default=10, metavar="N",
                   help="show at most N hits (default 10)")
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


def run(args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    query = " ".join(args.query).strip()
    if not query:
        error("the search query is empty; type what you see, e.g. "
              "`runbook-viewer search redis connection refused`")
        return 1
    try:
        engine = SearchEngine(lib)
        engine.ensure_index(progress=_progress)
        hits = engine.search(query, limit=args.limit)
        suggestion = engine.suggest(query)
    except (SearchUnavailable, SearchError) as exc:
        error(str(exc))
        return 1
    if args.json:
        print_json([h.to_json() for h in hits])
        return 0 if hits else 1
    if suggestion:
        print(f"Did you mean: {suggestion}")
    if not hits:
        if not lib.runbooks:
            error(f"no runbooks in {lib.root}")
        else:
            print(f"No section matches {query!r} in {lib.root}.", file=sys.stderr)
        return 1
    width = len(str(len(hits)))
    for n, h in enumerate(hits, 1):
        badges = " ".join(filter(None, [
            label_text("constitutional") if "constitutional" in h.labels else "",
            label_text("operational") if "operational" in h.labels else "",
            h.severity or ""]))
        where = f"{h.title} › {h.section}" if h.section and h.section != h.title else h.title
        print(font_safe(f"{n:>{width}}. {where}") + (f"   [{badges}]" if badges else ""))
        print(f"{'':>{width}}  {h.path}#{h.anchor}")
        if h.snippet:
            print(f"{'':>{width}}  {font_safe(h.snippet)}")
    return 0

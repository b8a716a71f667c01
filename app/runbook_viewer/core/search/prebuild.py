"""Build the bundled library's search index ahead of time (packaging/build.sh runs this).

    python -m runbook_viewer.core.search.prebuild LIBRARY_DIR OUT.sqlite3

The bundle ships OUT as ``paths.prebuilt_index()``; ``SearchEngine`` opens it read-only when
its manifest (every runbook's content hash) matches the library being searched, so the first
search in a fresh installation needs no index build. A library that does not load, or an
index that cannot be written, is a one-line error and exit status 1.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from ..library import LibraryError, load_library
from .index import SearchUnavailable, usable
from .writer import build_prebuilt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runbook_viewer.core.search.prebuild",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("library", help="the runbook folder to index")
    parser.add_argument("out", help="the index file to write")
    args = parser.parse_args(argv)
    try:
        library = load_library(args.library)
        if not library.runbooks:
            raise LibraryError(f"no runbooks (.md files) in {args.library}")
        stats = build_prebuilt(library, Path(args.out))
    except (LibraryError, SearchUnavailable, OSError, sqlite3.Error) as exc:
        print(f"prebuild: {exc}", file=sys.stderr)
        return 1
    if usable(stats.path, None, readonly=True) is None:
        print(f"prebuild: {stats.path} was written but does not open as an index", file=sys.stderr)
        return 1
    print(f"prebuilt search index: {stats.path} ({stats.files} runbooks, {stats.sections} "
          f"sections, {stats.size_bytes // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

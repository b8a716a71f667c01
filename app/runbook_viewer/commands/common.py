"""Helpers shared by subcommands: the --library option, loading it, printing errors.

Imports stay light (no markdown parser, no json) so that a subcommand that may not need the
library — `search` with an up-to-date index — starts fast; the library is loaded on demand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core import paths
from ..core.textsafe import clean_text, json_safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..core.checklist import Run
    from ..core.model import Library, Runbook


def add_library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS,
                        help="a folder of markdown runbooks (default: the bundled library)")


def library_dir(args: argparse.Namespace) -> Path:
    value = getattr(args, "library", None)
    return Path(value) if value else paths.bundled_library()


def error(message: str) -> None:
    print(f"runbook-viewer: {clean_text(message)}", file=sys.stderr)


def open_library(args: argparse.Namespace) -> Library | None:
    """The library, or None after printing a clear message (the caller exits 1)."""
    from ..core.library import LibraryError, load_library, load_notice  # the parser

    try:
        lib = load_library(library_dir(args))
    except LibraryError as exc:
        error(str(exc))
        return None
    notice = load_notice(lib)
    if notice:
        error(notice)
    return lib


def find_runbook(lib: Library, wanted: str) -> Runbook | None:
    """The runbook a command line names: a library path (``startup``, ``ops/`` and
    ``ops/README.md`` as a link would find them), else a file name the library has once."""
    from ..core.links import resolve

    rb = resolve(lib, wanted)
    if rb is None:
        matches = [r for r in lib.runbooks if r.path.rsplit("/", 1)[-1] in (wanted,
                   wanted + ".md")]
        rb = matches[0] if len(matches) == 1 else None
    return rb


_RUNBOOKS: dict[tuple[str, str], Runbook | None] = {}


def runbook_for(args: argparse.Namespace, run: Run) -> Runbook | None:
    """The run's runbook as it is now: from --library, else the library it was started from
    (never a folder an imported file named: imports keep no library root), else the bundled
    library. Only a ``.md`` file inside the library is opened."""
    roots = [library_dir(args)] if getattr(args, "library", None) else []
    roots += [Path(run.library_root)] if run.library_root else []
    roots.append(library_dir(args))
    if not run.runbook_path.lower().endswith(".md"):
        return None
    for root in roots:
        key = (str(root), run.runbook_path)
        if key not in _RUNBOOKS:
            _RUNBOOKS[key] = _load_from(root, run.runbook_path)
        if _RUNBOOKS[key] is not None:
            return _RUNBOOKS[key]
    return None


def _load_from(root: Path, rel: str) -> Runbook | None:
    from ..core.library import load_runbook, resolve_inside  # the parser

    target = resolve_inside(root, root / rel) if root.is_dir() else None
    if target is None or not target.is_file():
        return None
    rb = load_runbook(root.resolve(), target)
    return None if rb.load_error else rb


def print_json(data) -> None:
    import json

    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")

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
    from ..core.model import Library


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


def print_json(data) -> None:
    import json

    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")

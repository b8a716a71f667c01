"""Helpers shared by subcommands: the --library option, loading it, printing errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core import paths

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
    print(f"runbook-viewer: {message}", file=sys.stderr)


def open_library(args: argparse.Namespace) -> Library | None:
    """The library, or None after printing a clear message (the caller exits 1)."""
    from ..core.library import LibraryError, load_library  # the parser: only when needed

    try:
        return load_library(library_dir(args))
    except LibraryError as exc:
        error(str(exc))
        return None


def print_json(data) -> None:
    import json

    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")

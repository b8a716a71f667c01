"""Helpers shared by subcommands: the --library option, loading it, printing errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core import paths
from ..core.library import LibraryError, load_library, load_notice
from ..core.model import Library
from ..core.textsafe import clean_text, json_safe


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
    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")

"""`runbook-viewer check`: validate a library against its profile (see docs/check.md).

Prints one ``path:line: error|warning: message [code]`` per problem, then
``N errors, M warnings in K runbooks``. Exit 0 when there is no error (and, with --strict, no
warning), 1 when there is, 2 when the check cannot run (no such library, bad profile).
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from ..core.library import LibraryError
from ..core.lint import BUILTIN, ProfileError, check_folder
from .common import add_library_option, error, library_dir, print_json


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {value!r}")
    return days


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="validate the library: template, labels, links, index, dates",
        description="Validate a runbook library and report file:line problems. Exit status: "
                    "0 no errors, 1 errors found (or warnings with --strict), 2 cannot check.")
    add_library_option(p)
    p.add_argument("--json", action="store_true",
                   help="machine-readable output: {problems: [...], summary: {...}}")
    p.add_argument("--profile", metavar="NAME|FILE",
                   help=f"rules to apply: {' or '.join(BUILTIN)}, or a .toml profile file "
                        "(default: the library's .runbook-viewer.toml, else runbook-template "
                        "when it has TEMPLATE.md, else generic)")
    p.add_argument("--max-age-days", type=_days, metavar="N",
                   help="warn about runbooks last updated more than N days ago (default 180, "
                        "or the profile's max_age_days)")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                   help="check dates as if today were this day (reproducible CI runs)")


def display_path(root: Path, rel: str) -> str:
    """A problem's file as the user can open it: relative to the working directory when the
    library is below it, else absolute."""
    full = root / rel if rel else root
    try:
        shown = os.path.relpath(full)
    except ValueError:  # another drive on Windows
        return str(full)
    return str(full) if shown.startswith("..") else shown


def run(args) -> int:
    try:
        report = check_folder(library_dir(args), profile=args.profile, today=args.today,
                              max_age_days=args.max_age_days)
    except (LibraryError, ProfileError) as exc:
        error(f"check: {exc}")
        return 2
    failed = report.failed(args.strict)
    if args.json:
        print_json(report.to_json(args.strict))
        return 1 if failed else 0
    for p in report.problems:
        where = display_path(report.root, p.path)
        print(f"{where}:{p.line}: {p.level}: {p.message} [{p.code}]")
    print(f"{report.summary()} (profile {report.profile.describe()})")
    return 1 if failed else 0

"""`runbook-viewer list`: every runbook with its path, labels and last-updated date."""

from __future__ import annotations

from typing import Any

from ..core.glyphs import GLYPH, font_safe
from .common import add_library_option, open_library, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("list", help="list the runbooks of the library")
    add_library_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    rows: list[dict[str, Any]] = [{
        "path": rb.path,
        "title": rb.title,
        "group": rb.group,
        "labels": sorted(label.value for label in rb.labels),
        "last_updated": rb.last_updated,
        "version": rb.version,
        "severity": rb.severity,
        "steps": len(rb.steps),
        "items": len(rb.items),
        "problem": rb.load_error,
    } for rb in lib.runbooks]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        for p in lib.problems:
            print(p)
        return 1
    width = max(len(r["path"]) for r in rows)
    for r in rows:
        labels = "".join(GLYPH.get(x, "") for x in r["labels"]) or "  "
        updated = r["last_updated"] or "—"
        note = f"  ⚠ {r['problem']}" if r["problem"] else ""
        print(font_safe(f"{r['path']:<{width}}  {labels:<3} {updated:<10}  {r['title']}{note}"))
    return 0

"""`runbook-viewer show PATH [--html]`: a runbook as readable terminal text, or the HTML page
the window shows for it."""

from __future__ import annotations

from ..core.glyphs import font_safe
from ..core.markdown.text import runbook_to_text
from ..invocation import example
from .common import add_library_option, error, open_library


def add_parser(sub) -> None:
    p = sub.add_parser("show", help="print a runbook as text (or as the window's HTML)")
    p.add_argument("path", help="the runbook, relative to the library (e.g. startup.md)")
    p.add_argument("--html", action="store_true",
                   help="print the HTML page the window shows (for scripts and checks)")
    add_library_option(p)


def find_runbook(lib, wanted: str):
    rb = lib.get(wanted) or lib.get(wanted + ".md")
    if rb is None:
        matches = [r for r in lib.runbooks if r.path.rsplit("/", 1)[-1] in (wanted,
                   wanted + ".md")]
        rb = matches[0] if len(matches) == 1 else None
    return rb


def run(args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    rb = find_runbook(lib, args.path)
    if rb is None:
        error(f"no runbook {args.path!r} in {lib.root}; `{example('list')}` shows them all")
        return 1
    if args.html:
        from ..core.render import render_runbook

        print(render_runbook(rb, library=lib), end="")
    else:
        print(font_safe(runbook_to_text(rb)), end="")
    return 1 if rb.load_error else 0

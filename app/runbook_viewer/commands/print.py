"""`runbook-viewer print`: the same PDFs as the window's Print menu, headless.

    print PATH -o FILE.pdf                  the runbook as read
    print PATH --blank -o FILE.pdf          a blank checklist to work with a pen
    print [PATH] --run RUN_ID -o FILE.pdf   a run filled in (PATH defaults to the run's runbook)
    print --all -o FILE.pdf                 the whole library with a contents page
    [--library DIR] [--page-size A4|Letter]

Qt is imported only here (QtGui + QtPrintSupport, offscreen: no display needed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..invocation import example
from ..qtenv import qt_import_problem
from .common import add_library_option, error, find_runbook, open_library, runbook_for


def add_parser(sub) -> None:
    p = sub.add_parser("print", help="write a runbook, blank checklist, run or the library as PDF")
    p.add_argument("path", metavar="PATH", nargs="?",
                   help="the runbook, relative to the library (e.g. startup.md)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--blank", action="store_true", help="a blank checklist to fill in by hand")
    what.add_argument("--run", metavar="RUN_ID",
                      help="a checklist run filled in (an id prefix is enough)")
    what.add_argument("--all", action="store_true",
                      help="the whole library as one document with a contents page")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4",
                   help="paper size (default A4)")
    p.add_argument("-o", "--output", metavar="FILE.pdf", required=True,
                   help="PDF file to write (written to a temporary file, checked, then renamed "
                        "into place); - writes the PDF to standard output")
    add_library_option(p)


def _run_document(args, lib):
    from ..core.checklist import ChecklistError, ChecklistStore
    from ..core.printing.checklist import run_document

    store = ChecklistStore()
    try:
        run = store.resolve_run(args.run)
    except ChecklistError as exc:
        error(f"{exc} (`{example('runs list --all')}` shows the runs)")
        return None
    if args.path:
        rb = find_runbook(lib, args.path)
        if rb is None:
            error(f"no runbook {args.path!r} in {lib.root}; `{example('list')}` shows them all")
            return None
        if rb.path != run.runbook_path:
            error(f"run {run.short_id} is a run of {run.runbook_path}, not of {rb.path}")
            return None
    else:
        rb = lib.get(run.runbook_path) or runbook_for(args, run)
        if rb is None:
            error(f"the runbook of run {run.short_id} ({run.runbook_path}) is not in {lib.root}; "
                  "give its library with --library")
            return None
    return run_document(rb, store.run_state(run, rb), store.timeline(run))


def build_document(args, lib):
    """The PrintDocument the arguments ask for, or None after a one-line error."""
    from ..core.printing.checklist import blank_checklist_document
    from ..core.printing.document import library_document, runbook_document

    if args.all:
        if not lib.runbooks:
            error(f"the library {lib.root} has no runbooks to print")
            return None
        return library_document(lib)
    if args.run:
        return _run_document(args, lib)
    if not args.path:
        error("say what to print: a runbook PATH, or --all for the whole library")
        return None
    rb = find_runbook(lib, args.path)
    if rb is None:
        error(f"no runbook {args.path!r} in {lib.root}; `{example('list')}` shows them all")
        return None
    if rb.load_error:
        error(f"{rb.path} cannot be printed: {rb.load_error}")
        return None
    return blank_checklist_document(rb) if args.blank else runbook_document(rb)


def run(args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    pdoc = build_document(args, lib)
    if pdoc is None:
        return 1
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform not in ("win32", "darwin"):
        # a PDF needs fonts, never a screen. Not on Windows/macOS: the native platform is
        # always there, and Qt's offscreen one on Windows finds no system fonts.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from ..core.safe_write import OutputError, pdf_problem, write_output

    try:
        from ..qtprint.layout import PrintError, write_pdf
    except ImportError as exc:  # a system library Qt needs is missing (e.g. libGL.so.1)
        error(qt_import_problem(exc))
        return 1

    pages = 0

    def produce(tmp: Path) -> None:
        nonlocal pages
        pages = write_pdf(pdoc, tmp, page_size=args.page_size)

    try:
        where = write_output(args.output, produce, pdf_problem)
    except (OutputError, PrintError) as exc:
        error(str(exc))
        return 1
    # the summary goes to stderr when the PDF itself goes to stdout
    print(f"{where}: {pages} page(s), {args.page_size}",
          file=sys.stderr if args.output == "-" else sys.stdout)
    return 0

"""`runbook-viewer runs …`: checklist runs from a terminal.

    runs list [--all] [--json]             open runs (--all: closed ones too)
    runs show RUN_ID [--json]              state, notes and timeline (an id prefix is enough)
    runs export RUN_ID --format md|json [-o FILE]
    runs import FILE                       a JSON export (handover); importing twice is harmless
    runs start PATH [--incident REF] [--title T] [--operator NAME]
    runs tick RUN_ID ITEM --state done|na|skipped|pending [--reason R] [--confirm]
                                           ITEM: an item id, a unique prefix, or "next"
    runs note RUN_ID STEP_ANCHOR TEXT ; runs close|reopen|reset RUN_ID [--reason R]
    runs set RUN_ID [NAME=VALUE …]         incident values for the run's placeholders
                                           (NAME= clears one; none given: list them)
    runs operator [NAME]                   show or remember the operator name
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..core.checklist import (
    STATES,
    ChecklistError,
    ChecklistStore,
    OperatorRequired,
    export_markdown,
    export_run,
    format_ts,
    import_run,
)
from ..core.checklist.exchange import run_to_dict
from ..core.textsafe import clean_text
from ..invocation import example
from .common import (
    add_library_option,
    error,
    find_runbook,
    open_library,
    print_json,
    runbook_for,
)
from .run_values import set_values


def add_parser(sub) -> None:
    p = sub.add_parser("runs", help="checklist runs: list, show, export, import, start, tick")
    rs = p.add_subparsers(dest="runs_command", metavar="ACTION", required=True)

    a = rs.add_parser("list", help="list open runs (--all: past runs too)")
    a.add_argument("--all", action="store_true", help="include closed runs")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    add_library_option(a)

    a = rs.add_parser("show", help="a run's items, notes and timeline")
    a.add_argument("run_id", metavar="RUN_ID", help="the run id or a unique prefix of it")
    a.add_argument("--json", action="store_true", help="the export format, to stdout")
    add_library_option(a)

    a = rs.add_parser("export", help="write a run as Markdown or JSON")
    a.add_argument("run_id", metavar="RUN_ID")
    a.add_argument("--format", choices=("md", "json"), default="md")
    a.add_argument("-o", "--output", metavar="FILE",
                   help="file to write (default, or -: standard output)")
    add_library_option(a)

    a = rs.add_parser("import", help="import a JSON export (handover from another machine)")
    a.add_argument("file", metavar="FILE")

    a = rs.add_parser("start", help="start a run of a runbook")
    a.add_argument("path", metavar="PATH", help="the runbook, relative to the library")
    a.add_argument("--incident", metavar="REF", help="incident or ticket reference")
    a.add_argument("--title", help="a title for the run")
    a.add_argument("--operator", metavar="NAME", help="your name or initials (remembered)")
    add_library_option(a)

    a = rs.add_parser("tick", help="set an item's state")
    a.add_argument("run_id", metavar="RUN_ID")
    a.add_argument("item", metavar="ITEM", help='item id, unique prefix, or "next"')
    a.add_argument("--state", choices=STATES, default="done")
    a.add_argument("--reason", help="why (required to skip)")
    a.add_argument("--confirm", action="store_true",
                   help="confirm skipping / marking n/a a ■ constitutional item")
    a.add_argument("--operator", metavar="NAME")
    add_library_option(a)

    a = rs.add_parser("note", help="attach a note to a step")
    a.add_argument("run_id", metavar="RUN_ID")
    a.add_argument("step", metavar="STEP_ANCHOR", help="the step's anchor, e.g. step-2-…")
    a.add_argument("text", metavar="TEXT")
    a.add_argument("--operator", metavar="NAME")

    for name, text in (("close", "close a run"), ("reopen", "reopen a closed run"),
                       ("reset", "set every item of a run back to pending (history kept)")):
        a = rs.add_parser(name, help=text)
        a.add_argument("run_id", metavar="RUN_ID")
        a.add_argument("--reason")
        a.add_argument("--operator", metavar="NAME")

    a = rs.add_parser("set", help="set the run's incident values (placeholders in commands)")
    a.add_argument("run_id", metavar="RUN_ID")
    a.add_argument("values", metavar="NAME=VALUE", nargs="*",
                   help="e.g. namespace=payments (or '<namespace>=payments'); NAME= clears it")
    a.add_argument("--any-name", action="store_true",
                   help="accept a name that is not a placeholder of the runbook")
    a.add_argument("--operator", metavar="NAME")
    add_library_option(a)

    a = rs.add_parser("operator", help="show or set the remembered operator name")
    a.add_argument("name", metavar="NAME", nargs="?")


def say(text: str, end: str = "\n") -> None:
    """Print text that may hold what an imported file said: control characters replaced."""
    print(clean_text(text), end=end)


def _operator(store: ChecklistStore, args) -> str | None:
    name = getattr(args, "operator", None)
    if name and not store.get_operator():
        store.set_operator(name)
    return name


def _find_item(state, wanted: str):
    if wanted.lower() in ("next", "current"):
        if state.current_item is None:
            raise ChecklistError("Every item of this run is resolved; there is no next item.")
        wanted = state.current_item
    items = state.items + state.orphans
    exact = [i for i in items if i.item_id == wanted]
    found = exact or [i for i in items if i.item_id.startswith(wanted.lower())]
    if not found:
        raise ChecklistError(f"No item {wanted!r} in this run; "
                             f"`{example('runs show ' + state.run.short_id)}` lists them.")
    if len(found) > 1:
        raise ChecklistError(f"Item {wanted!r} matches several items; give more of the id.")
    return found[0]


def _list(store: ChecklistStore, args) -> int:
    runs = store.runs() if args.all else store.open_runs()
    rows: list[dict[str, Any]] = []
    for run in runs:  # over the runbook as it is now, as the window shows it
        st = store.run_state(run, runbook_for(args, run))
        rows.append({"run_id": run.run_id, "open": st.is_open, "runbook": run.runbook_path,
                     "incident": run.incident, "title": run.title, "operator": run.operator,
                     "started_at": run.started_at, "closed_at": st.closed_at,
                     "resolved": st.resolved, "total": st.total, "complete": st.complete,
                     "display_title": run.display_title})
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No open checklist runs." if not args.all else "No checklist runs yet.")
        return 0
    for r in rows:
        status = "open  " if r["open"] else "closed"
        progress = f"{r['resolved']}/{r['total']}" + (" ✓" if r["complete"] else "")
        say(f"{r['run_id'][:8]}  {status}  {format_ts(r['started_at'])}  {progress:<8} "
              f"{r['runbook']}  {r['display_title']}  ({r['operator']})")
    return 0


def _tick(store: ChecklistStore, args) -> int:
    run = store.resolve_run(args.run_id)
    rb = runbook_for(args, run)
    state = store.run_state(run, rb)
    target = _find_item(state, args.item)
    item = next((i for i in (rb.items if rb else []) if i.id == target.item_id), target.item_id)
    ev = store.set_item(run, item, args.state, _operator(store, args), args.reason,
                        args.confirm)
    after = store.run_state(run, rb)
    say(f"SAVED {ev.describe()} ({format_ts(ev.ts)}, {ev.operator})")
    say(f"{after.resolved}/{after.total} resolved"
          + (" — COMPLETE" if after.complete else f"; {after.holding}" if after.holding else ""))
    return 0


def _start(store: ChecklistStore, args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    rb = find_runbook(lib, args.path)
    if rb is None or rb.load_error:
        error(f"no runbook {args.path!r} in {lib.root}; `{example('list')}` shows them all")
        return 1
    run = store.start_run(rb, _operator(store, args), args.incident, args.title)
    say(f"Started run {run.run_id} of {rb.path} ({len(rb.items)} items).")
    return 0


def _operator_action(store: ChecklistStore, args) -> int:
    if args.name:
        say(f"Operator set to {store.set_operator(args.name)}.")
    else:
        say(store.get_operator() or "No operator name remembered yet.")
    return 0


def _show_or_export(store: ChecklistStore, args, run) -> int:
    if (args.runs_command == "show" and args.json) or (
            args.runs_command == "export" and args.format == "json" and args.output in STDOUT):
        print_json(run_to_dict(store, run))
    elif args.runs_command == "show" or args.output in STDOUT:
        say(export_markdown(store, run, runbook_for(args, run)), end="")
    else:
        path = export_run(store, run, args.output, args.format, runbook_for(args, run))
        print(f"Wrote {path}.", file=sys.stderr)
    return 0


def _run_event(store: ChecklistStore, args, run) -> int:
    op = _operator(store, args)
    if args.runs_command == "note":
        ev = store.add_note(run, args.step, args.text, op)
    else:
        ev = getattr(store, f"{args.runs_command}_run")(run, op, args.reason)
    say(f"SAVED {ev.describe()} ({format_ts(ev.ts)}, {ev.operator})")
    return 0


STDOUT = (None, "", "-")
ACTIONS = {"list": _list, "tick": _tick, "start": _start, "operator": _operator_action,
           "set": set_values,
           "import": lambda store, args: _say_imported(store, args)}


def _say_imported(store: ChecklistStore, args: argparse.Namespace) -> int:
    say(str(import_run(store, args.file)))
    return 0


def _dispatch(store: ChecklistStore, args) -> int:
    action = args.runs_command
    if action in ACTIONS:
        return ACTIONS[action](store, args)
    run = store.resolve_run(args.run_id)
    if action in ("show", "export"):
        return _show_or_export(store, args, run)
    return _run_event(store, args, run)  # note, close, reopen, reset


def run(args: argparse.Namespace) -> int:
    store = ChecklistStore()
    try:
        if store.recovery_notice:
            error(store.recovery_notice)
        return _dispatch(store, args)
    except OperatorRequired as exc:
        error(f"{exc} Pass --operator NAME (remembered) or run "
              f"`{example('runs operator NAME')}`.")
        return 1
    except ChecklistError as exc:
        error(str(exc))
        return 1
    finally:
        store.close()

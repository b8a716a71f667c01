"""`runbook-viewer show PATH [--html] [--run RUN] [--commands]`: a runbook as readable terminal
text, or the HTML page the window shows for it.

``--run RUN`` shows it as that checklist run has it: item states, and the commands with the
run's incident values in (placeholders not filled in stay ``<as written>``; the values and what
is still to fill in are listed first). ``--commands`` prints only the commands, each exactly as
the window's Copy puts it on the clipboard.
"""

from __future__ import annotations

from ..core.glyphs import font_safe
from ..core.markdown.text import runbook_to_text
from ..invocation import example
from .common import add_library_option, error, find_runbook, open_library


def add_parser(sub) -> None:
    p = sub.add_parser("show", help="print a runbook as text (or as the window's HTML)")
    p.add_argument("path", help="the runbook, relative to the library (e.g. startup.md)")
    p.add_argument("--html", action="store_true",
                   help="print the HTML page the window shows (for scripts and checks)")
    p.add_argument("--run", metavar="RUN_ID",
                   help="as this checklist run has it: states, and commands with its values")
    p.add_argument("--commands", action="store_true",
                   help="only the commands, each as Copy puts it on the clipboard")
    add_library_option(p)


def _run_state(rb, run_id: str):
    """(states, values, header lines) of the run, or None after printing why not."""
    from ..core.checklist import ChecklistError, ChecklistStore
    from ..core.commands import placeholder_names

    store = ChecklistStore()
    try:
        run = store.resolve_run(run_id)
        if run.runbook_path != rb.path:
            error(f"run {run.short_id} is a run of {run.runbook_path}, not of {rb.path}")
            return None
        state = store.run_state(run, rb)
    except ChecklistError as exc:
        error(str(exc))
        return None
    finally:
        store.close()
    values = {name: v.value for name, v in state.values.items()}
    head = [f"Run {run.short_id} · {run.display_title} · {state.resolved}/{state.total} "
            "resolved"]
    head += [f"  <{name}> = {value}" for name, value in values.items()]
    missing = [n for n in placeholder_names(rb) if n not in values]
    if missing:
        head.append("  not filled in: " + ", ".join(f"<{n}>" for n in missing))
    return state.states, values, head


def commands_text(rb, values: dict[str, str] | None) -> str:
    """Every command of ``rb`` as Copy puts it on the clipboard, with where it is written."""
    from ..core.commands import commands_of
    from ..core.values import fill

    items = {i.id: i for i in rb.items}
    sections = {s.anchor: s for s in rb.sections}
    out: list[str] = []
    for cmd in commands_of(rb):
        where = items[cmd.item_id].text if cmd.item_id in items else (
            sections[cmd.section_anchor].title if cmd.section_anchor in sections else "")
        filled = fill(cmd.text, cmd.placeholders, values or {})
        out.append(f"# line {cmd.line}" + (f" · {where}" if where else ""))
        out += [f"#   {r}" for r in filled.refused]
        out += [filled.text, ""]
    return "\n".join(out) if out else "(this runbook has no commands)\n"


def run(args) -> int:
    from ..core.textsafe import clean_text

    lib = open_library(args)
    if lib is None:
        return 1
    rb = find_runbook(lib, args.path)
    if rb is None:
        error(f"no runbook {args.path!r} in {lib.root}; `{example('list')}` shows them all")
        return 1
    states, values, head = None, None, []
    if args.run:
        found = _run_state(rb, args.run)
        if found is None:
            return 1
        states, values, head = found
    if args.html:
        from ..core.render import render_runbook

        print(render_runbook(rb, library=lib, states=states, values=values), end="")
    elif args.commands:
        print(clean_text("\n".join(f"# {h}" for h in head) + ("\n\n" if head else "")
                         + commands_text(rb, values)), end="")
    else:
        text = font_safe(runbook_to_text(rb, states, values=values))
        print(clean_text("\n".join([*head, text])) if head else text, end="")
    return 1 if rb.load_error else 0

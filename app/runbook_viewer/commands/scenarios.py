"""`runbook-viewer scenarios [FILTER…]`: the "what's happening?" triage list in a terminal.

The same list as the window's panel (core.scenarios): grouped by severity, most severe first,
🔴 constitutional before 🔵 operational (the words are printed too, not only the emoji), each with
the ``path#anchor`` to open (`runbook-viewer show PATH`).
"""

from __future__ import annotations

import shutil
import textwrap

from ..core.glyphs import font_safe, label_text
from ..core.scenarios import SEVERITY_RESPONSE, build_scenarios, filter_scenarios, grouped
from ..invocation import example
from .common import add_library_option, error, open_library, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("scenarios", help="list what-is-happening scenarios, most severe first",
                       description="Triage list: each symptom or alert the library knows, "
                       "its severity, ■ constitutional / ● operational, and the runbook "
                       "step to open.")
    add_library_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("filter", nargs="*", metavar="FILTER",
                   help="only scenarios containing every word (e.g. redis down)")


def _label_text(sc) -> str:
    if sc.label is None:
        return ""
    return label_text(sc.label.value)


def run(args) -> int:
    lib = open_library(args)
    if lib is None:
        return 1
    query = " ".join(args.filter or [])
    everything = build_scenarios(lib)
    shown = filter_scenarios(everything, query)
    if args.json:
        print_json([s.to_dict() for s in shown])
        return 0 if shown or not query else 1
    if not everything:
        error(f"the library {lib.root} declares no scenarios (no 'Quick reference by "
              "scenario' in its index, no Trigger Conditions, no runbooks); "
              f"`{example('list')}` shows what it has")
        return 1
    if not shown:
        error(f"no scenario matches {query!r} ({len(everything)} scenarios in total); try "
              f"fewer words, or `{example('search')}`")
        return 1
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    for severity, cats in grouped(shown):
        response = SEVERITY_RESPONSE.get(severity, "severity not stated by the runbooks")
        count = sum(len(items) for _c, items in cats)
        print(f"{severity} — {response} ({count})")
        for category, items in cats:
            print(font_safe(f"  {category.upper() if items[0].label else category}"))
            for sc in items:
                mark = _label_text(sc)
                head = f"{mark} · {sc.title}" if mark else sc.title
                print(textwrap.fill(font_safe(head), width, initial_indent="    ",
                                    subsequent_indent="        "))
                if sc.description and sc.source == "fallback":
                    print(textwrap.fill(font_safe(sc.description), width,
                                        initial_indent="        ",
                                        subsequent_indent="        "))
                step = f"  ({sc.step_title})" if sc.step_title else ""
                note = "  ⚠ step not found, opens the top" if not sc.resolved else ""
                print(font_safe(f"        → {sc.target}{step}{note}"))
        print()
    total = f" of {len(everything)}" if query else ""
    print(f"{len(shown)}{total} scenarios. Open one with `{example('show PATH')}`.")
    return 0

"""`runbook-viewer runs set RUN NAME=VALUE …`: a run's incident values from a terminal.

Each value is checked as the window checks it (:func:`runbook_viewer.core.values.check_value`):
one that would change what a command does is refused with the reason, exit 1, and nothing
of that call is saved. Without NAME=VALUE it lists the runbook's placeholders and their values.
"""

from __future__ import annotations

from ..core.checklist import ChecklistError, ChecklistStore, format_ts
from ..core.checklist.incident import clean_name
from ..core.commands import placeholder_names
from ..core.values import ValueRefused, check_value
from .common import error


def _pairs(args) -> list[tuple[str, str]]:
    pairs = []
    for raw in args.values:
        if "=" not in raw:
            raise ChecklistError(f"{raw!r} is not NAME=VALUE (e.g. namespace=payments).")
        name, value = raw.split("=", 1)
        pairs.append((clean_name(name), value))
    return pairs


def _check(pairs: list[tuple[str, str]], known: list[str] | None, any_name: bool) -> None:
    """Refuse the whole call before anything is written."""
    for name, value in pairs:
        if known is not None and name not in known and not any_name:
            listed = ", ".join(f"<{n}>" for n in known) or "none"
            raise ChecklistError(f"<{name}> is not a placeholder of this runbook (its "
                                 f"placeholders: {listed}); pass --any-name to set it anyway.")
        if value.strip():
            try:
                check_value(value)
            except ValueRefused as exc:
                raise ChecklistError(f"Not saved: the value for <{name}> is refused — {exc}."
                                     ) from None


def _list(store: ChecklistStore, run, known: list[str] | None) -> int:
    from .runs import say

    values = store.run_state(run).values
    names = list(dict.fromkeys([*(known or []), *values]))
    if not names:
        say(f"Run {run.short_id} has no incident values and its runbook no placeholders.")
        return 0
    for name in names:
        v = values.get(name)
        say(f"<{name}> = {v.value}  ({format_ts(v.ts)}, {v.operator})" if v else
            f"<{name}>   (not filled in)")
    return 0


def set_values(store: ChecklistStore, args) -> int:
    from .common import runbook_for
    from .runs import _operator, say

    run = store.resolve_run(args.run_id)
    rb = runbook_for(args, run)
    known = placeholder_names(rb) if rb is not None else None
    pairs = _pairs(args)
    if not pairs:
        return _list(store, run, known)
    _check(pairs, known, args.any_name)
    operator = _operator(store, args)
    for name, value in pairs:
        ev = store.set_value(run, name, value, operator)
        say(f"SAVED {ev.describe()} ({format_ts(ev.ts)}, {ev.operator})")
    missing = [n for n in known or [] if n not in store.run_state(run).values]
    if missing:
        error("still to fill in: " + ", ".join(f"<{n}>" for n in missing))
    return 0

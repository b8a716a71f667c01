"""One readable line per checklist event, for timelines (panel, ``runs show``, export, print)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .runs import CLOSE, COPY, NOTE, REOPEN, RESET, SET, START, STATE_NAMES, VALUE

if TYPE_CHECKING:
    from .runs import Event

COMMAND_SHOWN = 160  # characters of a copied command a timeline line shows


def _where(ev: Event) -> str:
    p = ev.payload
    return " › ".join(x for x in (p.get("step_title"), p.get("text")) if isinstance(x, str)
                      and x) or (ev.item_id or ev.step_anchor or "")


def _start(ev: Event) -> str:
    incident = ev.payload.get("incident")
    return "Run started" + (f" (incident {incident})" if incident else "")


def _set(ev: Event) -> str:
    text = f"{STATE_NAMES.get(ev.state or '', ev.state or '?').capitalize()}: {_where(ev)}"
    if ev.reason:
        text += f" — reason: {ev.reason}"
    if ev.payload.get("confirmed_constitutional"):
        text += " (■ constitutional, confirmed)"
    return text


def _note(ev: Event) -> str:
    step = ev.payload.get("step_title") or ev.step_anchor or ""
    return f"Note on {step}: {ev.note}" if step else f"Note: {ev.note}"


def _reason(lead: str, sep: str = " — reason: ") -> Callable[[Event], str]:
    return lambda ev: lead + (f"{sep}{ev.reason}" if ev.reason else "")


def short_command(command: str, limit: int = COMMAND_SHOWN) -> str:
    """A command on one line for a timeline: its first line, '(+N lines)', cut at ``limit``."""
    lines = command.split("\n")
    first = lines[0] if len(lines[0]) <= limit else lines[0][:limit - 1] + "…"
    return first + (f" (+{len(lines) - 1} more line{'s' if len(lines) > 2 else ''})"
                    if len(lines) > 1 else "")


def _copy(ev: Event) -> str:
    p = ev.payload
    command = p["command"] if isinstance(p.get("command"), str) else ""
    where = _where(ev)
    text = f"Copied command{' from ' + where if where else ''}: {short_command(command)}"
    unfilled = [n for n in p.get("unfilled") or [] if isinstance(n, str)]
    if unfilled:
        text += " — ⚠ copied with " + ", ".join(f"<{n}>" for n in unfilled) + " not filled in"
    quoted = [n for n in p.get("quoted") or [] if isinstance(n, str)]
    if quoted:
        text += " — value of " + ", ".join(f"<{n}>" for n in quoted) + " quoted for the shell"
    return text


def _value(ev: Event) -> str:
    name, value = ev.payload.get("name"), ev.payload.get("value")
    if not isinstance(value, str) or not value:
        return f"Incident value <{name}> cleared"
    return f"Incident value <{name}> = {value}"


DESCRIBE: dict[str, Callable[[Event], str]] = {
    START: _start, SET: _set, NOTE: _note,
    RESET: _reason("Run reset: every item back to pending"),
    CLOSE: _reason("Run closed", " — "), REOPEN: _reason("Run reopened", " — "),
    COPY: _copy, VALUE: _value,
}


def describe(ev: Event) -> str:
    """'Skipped: Step 2 › Restart redis — reason: …', 'Copied command from …: kubectl …'."""
    handler = DESCRIBE.get(ev.kind)
    return handler(ev) if handler is not None else ev.kind

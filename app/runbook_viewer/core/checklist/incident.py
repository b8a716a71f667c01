"""Incident values and copied commands: events of a run, like ticks (no Qt).

* ``value`` events: ``payload = {"name": "namespace", "value": "payments"}`` (``value`` null:
  cleared). The run's values are the latest per name in clock order (``RunState.values``);
  they survive a reset (they are facts of the incident, not progress).
* ``copy`` events: which command was put on the clipboard, from which step and item, with the
  values it carried — ``payload = {"command", "key", "line", "kind", "lang", "step_title",
  "text", "values", "quoted", "unfilled"}``. A command longer than :data:`MAX_COMMAND` is
  recorded cut, with its length and SHA-256.

Both go through the same durable append as a tick (``ChecklistStore._append``).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from ..textsafe import clean_line
from ..values import ValueRefused, check_value
from .errors import ChecklistError, ValueNotAccepted
from .runs import COPY, VALUE, Event, RunRef

if TYPE_CHECKING:
    from ..commands import Command
    from ..model import Runbook
    from ..values import Filled

MAX_NAME = 100
MAX_COMMAND = 8000


def clean_name(name: str) -> str:
    """A placeholder name as recorded: ``<namespace>`` or ``namespace`` -> ``namespace``."""
    text = " ".join((name or "").split())
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    if not text or len(text) > MAX_NAME or clean_line(text) != text:
        raise ChecklistError(f"{name[:MAX_NAME]!r} is not a placeholder name.")
    return text


class IncidentEvents:
    """Store methods for incident values and copied commands (mixed into ChecklistStore)."""

    def _append(self, run: RunRef, kind: str, operator: str | None, **values: Any) -> Event:
        raise NotImplementedError  # ChecklistStore's

    def set_value(self, run: RunRef, name: str, value: str | None,
                  operator: str | None = None) -> Event:
        """Record the run's value for placeholder ``name`` (None or "" clears it). Refused
        with :class:`ValueNotAccepted` — nothing written — when the value would change what a
        command does (see :func:`runbook_viewer.core.values.check_value`)."""
        key = clean_name(name)
        recorded: str | None = None
        if value is not None and value.strip():
            try:
                recorded = check_value(value)
            except ValueRefused as exc:
                raise ValueNotAccepted(f"Not saved: the value for <{key}> is refused — {exc}."
                                       ) from None
        return self._append(run, VALUE, operator, payload={"name": key, "value": recorded})

    def record_copy(self, run: RunRef, command: Command, filled: Filled,
                    runbook: Runbook | None = None, operator: str | None = None) -> Event:
        """Record that ``command`` was copied as ``filled.text``."""
        item = next((i for i in runbook.items if i.id == command.item_id), None) \
            if runbook is not None and command.item_id else None
        step = item.section_anchor if item is not None else command.section_anchor
        if runbook is not None and item is None:
            owner = runbook.step_of(step)
            step = owner.anchor if owner is not None else step
        section = runbook.section(step) if runbook is not None else None
        text = filled.text
        payload: dict[str, Any] = {"command": text[:MAX_COMMAND], "key": command.key,
                         "line": command.line, "kind": command.kind, "lang": command.lang,
                         "step_title": section.title if section is not None else None,
                         "text": item.text if item is not None else None,
                         "values": dict(filled.used), "quoted": list(filled.quoted),
                         "unfilled": list(filled.missing)}
        if len(text) > MAX_COMMAND:
            payload["command_chars"] = len(text)
            payload["command_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self._append(run, COPY, operator, item_id=command.item_id,
                            step_anchor=step or None, payload=payload)

"""Which item of the runbook as it is now a recorded tick belongs to.

An item's id (``parser.item_id``) is derived from its step's name, its text and its
occurrence, so it survives edits elsewhere in the runbook — but renaming the step heading, or
moving the item to another step, gives it a new id. A tick recorded under the old id must still
land on the item (and `runs list` and the panel must agree about it):

* ids the runbook still has are used as they are;
* every other recorded id (from the run's start snapshot, else from the item text the tick
  event carries) is matched by its text to an item the runbook did *not* have when the run
  started — a renamed or moved item has a new id, an item that already existed is a different
  item — duplicates of the same text pair up in document order;
* what still matches nothing is an orphan: listed, never dropped.

Pure functions over outlines and events; no SQL, no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .runs import Event, Outline


def norm(text: str) -> str:
    """Item text compared without case and whitespace differences."""
    return " ".join(text.split()).casefold()


def recorded_texts(start: Outline, events: list[Event], current: set[str]) -> dict[str, str]:
    """{recorded id the runbook lacks: its item text}, in start order then first-seen order."""
    texts: dict[str, str] = {}
    for item in start.items:
        if item.id not in current:
            texts.setdefault(item.id, item.text)
    for ev in sorted(events, key=lambda e: e.order):
        if ev.item_id and ev.item_id not in current and ev.item_id not in texts:
            text = ev.payload.get("text")
            if isinstance(text, str):
                texts[ev.item_id] = text
    return texts


def match(outline: Outline, start: Outline, events: list[Event]) -> dict[str, str]:
    """{recorded id: id of the same item in ``outline``} for ids ``outline`` does not have."""
    current = {i.id for i in outline.items}
    at_start = {i.id for i in start.items}
    free: dict[str, list[str]] = {}
    for item in outline.items:
        if item.id not in at_start:
            free.setdefault(norm(item.text), []).append(item.id)
    if not free:
        return {}
    mapping: dict[str, str] = {}
    for old, text in recorded_texts(start, events, current).items():
        candidates = free.get(norm(text))
        if candidates:
            mapping[old] = candidates.pop(0)
    return mapping

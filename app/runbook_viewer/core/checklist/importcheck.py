"""Reading and validating a checklist run export before anything is written.

An export comes from another laptop, a USB stick, a chat attachment: it is untrusted. The whole
file is checked against the format below; the first problem raises :class:`ExchangeError`
naming it, and nothing is written. Then the store checks that no event uid already belongs to
another run (``ChecklistStore.merge_run``).

* the source must be a regular file (never a FIFO or a device: ``/dev/zero`` would never end)
  of at most :data:`MAX_IMPORT_BYTES`, read without blocking;
* UTF-8 JSON, nested at most :data:`MAX_DEPTH` deep, every string valid Unicode (no lone
  surrogates);
* ``run``: a UUID, a library-relative ``*.md`` runbook path (no ``..``, not absolute), text
  fields within :data:`LIMITS`, an ISO timestamp; ``snapshot`` of the documented shape;
* ``events``: at most :data:`MAX_EVENTS`, each with a unique uid, a known kind, an ISO ``ts``,
  an optional clock value, text fields within limits, a JSON-object payload;
* ``library_root`` is informational only: an imported run never opens files because the file
  says where they are.
"""

from __future__ import annotations

import json
import os
import re
import stat
import uuid
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from . import clock
from .errors import ChecklistError, ExchangeError
from .runs import COPY, KINDS, SET, STATES, VALUE, Event, Run

FORMAT = "runbook-viewer/checklist-run"
FORMAT_VERSION = 2  # 2: runs may hold incident values and copied commands (.incident)
MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_PAYLOAD_DEPTH = 6
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_EVENTS = 200_000
MAX_ITEMS = 20_000
LIMITS = {"operator": 100, "incident": 200, "title": 300, "runbook_title": 500,
          "runbook_path": 1000, "library_root": 4096, "content_hash": 128,
          "runbook_version": 100, "uid": 64, "item_id": 64, "step_anchor": 300,
          "reason": 10_000, "note": 10_000, "text": 10_000, "anchor": 300, "id": 64,
          "group": 500, "ts": 64}
UID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
LABELS = (None, "operational", "constitutional")


def damaged(what: str) -> ExchangeError:
    return ExchangeError(f"The export is damaged: {what}. Nothing was imported.")


# -- reading -------------------------------------------------------------------------------
def read_export(path: Path) -> bytes:
    """The file's bytes: a regular file only, opened non-blocking, never more than the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ExchangeError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device"
                    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a folder"
                    if stat.S_ISDIR(mode) else "not a regular file")
            raise ExchangeError(f"{path} is {kind}, not an export file; nothing was imported.")
        chunks, total = [], 0
        while total <= MAX_IMPORT_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ExchangeError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    if total > MAX_IMPORT_BYTES:
        raise ExchangeError(f"{path} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: too "
                            "large to be a checklist run export; nothing was imported.")
    return b"".join(chunks)


def decode_export(raw: bytes, path: Path) -> object:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise ExchangeError(f"{path} is not a checklist run export (JSON nested too "
                            "deeply).") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExchangeError(f"{path} is not a checklist run export (not JSON: {exc}).") \
            from None
    problem = _structure_problem(data)
    if problem:
        raise damaged(problem)
    return data


def _structure_problem(data: object) -> str | None:
    """Depth and Unicode, checked without recursion (the depth is what is being checked)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"it is nested more than {MAX_DEPTH} levels deep"
        children = (list(value.keys()) + list(value.values()) if isinstance(value, dict)
                    else value if isinstance(value, list) else None)
        if children is not None:
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return ("it contains text that is not valid Unicode (a lone surrogate "
                        f"\\u{ord(value[exc.start]):04x})")
    return None


# -- fields ----------------------------------------------------------------------------------
def text(value: Any, name: str, *, key: str | None = None, optional: bool = False,
         blank: bool = False) -> str | None:
    """A text field: None allowed when ``optional``; empty allowed when ``blank``."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not value.strip() and not (blank or optional)):
        raise damaged(f"{name} is missing or not text")
    limit = LIMITS.get(key or name.rsplit(" ", 1)[-1].rsplit(".", 1)[-1])
    if limit and len(value) > limit:
        raise damaged(f"{name} is longer than {limit} characters")
    return value


def timestamp(value: Any, name: str) -> str:
    ts = text(value, name, key="ts") or ""
    try:
        datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        raise damaged(f"{name} {ts[:40]!r} is not a timestamp") from None
    return ts


def runbook_path(value: Any) -> str:
    path = text(value, "run.runbook_path") or ""
    pure = PurePosixPath(path)
    if ("\\" in path or "\x00" in path or pure.is_absolute() or ".." in pure.parts
            or not path.lower().endswith(".md")):
        raise damaged(f"the runbook path {path[:80]!r} is not a library-relative .md path")
    return path


def snapshot(value: Any) -> dict[str, Any]:
    """The checklist as it was at start, rebuilt from its validated parts (extra keys
    dropped)."""
    if value is None:
        return {"steps": []}
    if not isinstance(value, dict) or not isinstance(value.get("steps", []), list):
        raise damaged("the run's checklist snapshot is not an object with a list of steps")
    steps, count = [], 0
    for n, step in enumerate(value.get("steps", []), 1):
        where = f"snapshot step {n}"
        if not isinstance(step, dict) or not isinstance(step.get("items", []), list):
            raise damaged(f"{where} is not an object with a list of items")
        number = step.get("number")
        if number is not None and (type(number) is not int or not 0 <= number < 10**6):
            raise damaged(f"{where} has a step number that is not a whole number")
        items = []
        for k, item in enumerate(step.get("items", []), 1):
            at = f"{where} item {k}"
            if not isinstance(item, dict) or item.get("label") not in LABELS:
                raise damaged(f"{at} is not an item object with a known label")
            items.append({"id": text(item.get("id"), f"{at} id", key="id"),
                          "text": text(item.get("text"), f"{at} text", key="text", blank=True),
                          "label": item.get("label"),
                          "group": text(item.get("group"), f"{at} group", key="group",
                                        optional=True)})
        count += len(items)
        if count > MAX_ITEMS:
            raise damaged(f"the snapshot has more than {MAX_ITEMS} items")
        steps.append({"anchor": text(step.get("anchor"), f"{where} anchor", key="anchor",
                                     blank=True),
                      "title": text(step.get("title"), f"{where} title", key="text",
                                    blank=True),
                      "number": number, "items": items})
    return {"steps": steps}


def payload(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise damaged(f"{where} payload is not an object")
    if _depth(value) > MAX_PAYLOAD_DEPTH:
        raise damaged(f"{where} payload is nested too deeply")
    if len(json.dumps(value, ensure_ascii=False)) > MAX_PAYLOAD_BYTES:
        raise damaged(f"{where} payload is larger than {MAX_PAYLOAD_BYTES // 1024} KB")
    return value


def incident_value(body: dict[str, Any], where: str) -> None:
    """A ``value`` event's payload: a placeholder name and a value that could be typed here
    (an imported value never slips a newline or a ``$(…)`` into a command)."""
    from ..values import ValueRefused, check_value
    from .incident import clean_name

    name, value = body.get("name"), body.get("value")
    try:
        valid_name = isinstance(name, str) and clean_name(name) == name
    except ChecklistError:
        valid_name = False
    if not valid_name:
        raise damaged(f"{where} sets an incident value without a valid placeholder name")
    if value is None:
        return
    if not isinstance(value, str):
        raise damaged(f"{where} sets incident value <{name}> to something that is not text")
    try:
        if check_value(value) != value:
            raise ValueRefused("it has spaces around it")
    except ValueRefused as exc:
        raise ExchangeError(f"The export sets incident value <{name}> ({where}) to a value "
                            f"this viewer refuses: {exc}. Nothing was imported.") from None


def _depth(value: object) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


# -- the document ----------------------------------------------------------------------------
def parse_run(raw: Any) -> Run:
    if not isinstance(raw, dict):
        raise damaged("the run record is missing")
    run_id = text(raw.get("run_id"), "run.run_id", key="uid") or ""
    try:
        run_id = str(uuid.UUID(run_id))
    except ValueError:
        raise damaged(f"run id {run_id[:40]!r} is not a UUID") from None
    return Run(run_id, runbook_path(raw.get("runbook_path")),
               text(raw.get("library_root"), "run.library_root", optional=True) or "",
               text(raw.get("runbook_title"), "run.runbook_title", optional=True) or "",
               text(raw.get("content_hash"), "run.content_hash", optional=True) or "",
               text(raw.get("runbook_version"), "run.runbook_version", optional=True),
               text(raw.get("incident"), "run.incident", optional=True),
               text(raw.get("title"), "run.title", optional=True),
               text(raw.get("operator"), "run.operator") or "",
               timestamp(raw.get("started_at"), "run.started_at"), None,
               snapshot(raw.get("snapshot")))


def parse_event(ev: Any, n: int, run_id: str, last_hlc: str | None) -> Event:
    where = f"event {n}"
    if not isinstance(ev, dict):
        raise damaged(f"{where} is not an object")
    kind = ev.get("kind")
    if kind not in KINDS:
        raise damaged(f"{where} has unknown kind {str(kind)[:40]!r} (written by a newer "
                      "Runbook Viewer?)")
    uid = text(ev.get("uid"), f"{where} uid", key="uid") or ""
    if not UID_RE.match(uid):
        raise damaged(f"{where} has an invalid uid")
    ts = timestamp(ev.get("ts"), f"{where} ts")
    hlc = ev.get("hlc")
    if hlc is not None and not (clock.is_valid(hlc) and hlc[:4] < "9000"):
        raise damaged(f"{where} has an invalid clock value")
    fields = {k: text(ev.get(k), f"{where} {k}", key=k, optional=True)
              for k in ("item_id", "step_anchor", "state", "reason", "note")}
    if kind == SET and (fields["state"] not in STATES or not fields["item_id"]):
        raise damaged(f"{where} sets no valid item state")
    body = payload(ev.get("payload"), where)
    if kind == VALUE:
        incident_value(body, where)
    if kind == COPY and not isinstance(body.get("command"), str):
        raise damaged(f"{where} records a copied command without its text")
    return Event(0, uid, run_id, ts, text(ev.get("operator"), f"{where} operator") or "",
                 kind, fields["item_id"], fields["step_anchor"], fields["state"],
                 fields["reason"], fields["note"], body, hlc or clock.tick(last_hlc, ts))


def parse_export(data: Any) -> tuple[Run, list[Event]]:
    """Validate a decoded export; raises :class:`ExchangeError` with a clear message."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError("This file is not a Runbook Viewer checklist run export.")
    version = data.get("format_version")
    if type(version) is not int or version < 1:
        raise ExchangeError("The export has no valid format_version.")
    if version > FORMAT_VERSION:
        raise ExchangeError(f"The export was written by a newer Runbook Viewer (format "
                            f"{version}; this version reads format {FORMAT_VERSION}). Update "
                            "this viewer to import it.")
    run = parse_run(data.get("run"))
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise damaged("the event list is missing")
    if len(raw_events) > MAX_EVENTS:
        raise damaged(f"it has more than {MAX_EVENTS} events")
    events: list[Event] = []
    seen: dict[str, int] = {}
    last: str | None = None
    for n, raw in enumerate(raw_events, 1):
        ev = parse_event(raw, n, run.run_id, last)
        if ev.uid in seen:
            raise damaged(f"events {seen[ev.uid]} and {n} have the same uid {ev.uid!r}")
        seen[ev.uid] = n
        last = max(last or "", ev.hlc)
        events.append(ev)
    return run, events


def load_export(source: str | Path) -> tuple[Run, list[Event]]:
    """Read, decode and validate an export file (nothing is written)."""
    path = Path(source)
    return parse_export(decode_export(read_export(path), path))

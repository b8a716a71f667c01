"""Export a run (Markdown for the incident review, JSON for handover) and import it back.

The JSON format is versioned (``format``/``format_version``) and carries the run record, the
checklist snapshot taken at start and every event with its globally unique ``uid``; importing
it inserts only unknown uids, so importing twice changes nothing and importing a later export
of the same run merges the new events. Files are written atomically (temp file, fsync,
rename — :mod:`runbook_viewer.core.safe_write`): a USB stick pulled mid-write leaves the old file
or the new one, never half of one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ... import __version__
from ..model import Label, Runbook
from ..safe_write import OutputError, write_text_output
from ..textsafe import clean_text, json_safe
from .errors import ExchangeError
from .importcheck import FORMAT, FORMAT_VERSION, load_export
from .report import RunReport
from .runs import (
    COPY,
    STATE_MARKS,
    STATE_NAMES,
    VALUE,
    ItemState,
    Note,
    Run,
    RunRef,
    format_ts,
    utc_now,
)
from .store import ChecklistStore

EVENT_FIELDS = ("uid", "ts", "operator", "kind", "item_id", "step_anchor", "state", "reason",
                "note", "payload", "hlc")


@dataclass(frozen=True)
class ImportResult:
    run: Run
    created: bool  # the run was new to this store
    added: int  # events added
    already: int  # events this store already had

    def __str__(self) -> str:
        what = "imported" if self.created else "merged into the existing run"
        return (f"Run {self.run.short_id} ({self.run.display_title}) {what}: {self.added} new "
                f"event(s), {self.already} already present.")


# -- JSON ----------------------------------------------------------------------------------
def run_to_dict(store: ChecklistStore, run: RunRef) -> dict[str, Any]:
    """The run as its JSON export. ``format_version`` is 1 (what release 0.1 reads) unless the
    run holds incident values or copied commands, which need format 2."""
    run = store.run_of(run)
    events = store.timeline(run)
    newer = any(ev.kind in (COPY, VALUE) for ev in events)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION if newer else 1,
        "exported_at": utc_now(),
        "exported_by": f"runbook-viewer {__version__}",
        "run": asdict(run),
        "events": [{k: getattr(ev, k) for k in EVENT_FIELDS} for ev in events],
    }


def export_json(store: ChecklistStore, run: RunRef) -> str:
    return json.dumps(run_to_dict(store, run), indent=2, ensure_ascii=False) + "\n"


def import_run(store: ChecklistStore, source: str | Path) -> ImportResult:
    """Import a JSON export file (idempotent; merges into an existing run). The whole file is
    validated first (:mod:`.importcheck`); a refused file writes nothing."""
    run, events = load_export(source)
    created, added = store.merge_run(run, events)
    return ImportResult(store.get_run(run.run_id), created, added, len(events) - added)


# -- Markdown ------------------------------------------------------------------------------
def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|") or "—"


def export_markdown(store: ChecklistStore, run: RunRef, runbook: Runbook | None = None) -> str:
    """A readable post-incident record: header, per-step items, notes, orphans, timeline."""
    report = RunReport.of(store.run_state(run, runbook))
    out = _header_markdown(report)
    if report.changed_since_start:
        out += [f"> ⚠ The runbook changed after this run started (sha256 now "
                f"`{(report.current_hash or '')[:16]}`). Items are matched by their ids, or by "
                "their text when a step heading was renamed or an item moved.",
                ""]
    out += values_markdown(report)
    if report.holding and report.is_open:
        holding = str(report.holding)
        out += [f"{holding[0].upper()}{holding[1:]}.", ""]
    out += ["## Steps", ""]
    for step in report.steps:
        out += [f"### {step.title} ({step.resolved}/{step.total})", ""]
        out += [_item_markdown(item) for item in step.items]
        out += _notes(step.notes)
        out.append("")
    if report.loose_notes:
        out += ["## Notes on other sections", ""]
        for anchor, notes in report.loose_notes.items():
            out += [f"### {anchor}", "", *_notes(notes), ""]
    if report.orphans:
        out += ["## Items no longer in the runbook", "",
                "Recorded in this run, but the runbook no longer has them:", ""]
        out += [f"- {STATE_MARKS[o.state]} {o.text} — {STATE_NAMES[o.state]}"
                f"{' ' + format_ts(o.ts) + ' by ' + (o.operator or '') if o.ts else ''}"
                for o in report.orphans]
        out.append("")
    out += ["## Timeline", "", "| Time | Operator | Event |", "|---|---|---|"]
    out += [f"| {format_ts(ev.ts)} | {_cell(ev.operator)} | {_cell(ev.describe())} |"
            for ev in store.timeline(report.run)]
    return "\n".join(out) + "\n"


def _header_markdown(report: RunReport) -> list[str]:
    """The title and the table of what the run is (incident, who, when, progress)."""
    run = report.run
    version = f"{run.runbook_version} · " if run.runbook_version else ""
    rows = [
        ("Runbook", f"{run.runbook_title} (`{run.runbook_path}`)"),
        ("Runbook version at start", f"{version}sha256 `{run.content_hash[:16]}`"),
        ("Incident", run.incident), ("Title", run.title),
        ("Started", f"{format_ts(run.started_at)} by {run.operator}"),
        ("Closed", format_ts(report.closed_at) if report.closed_at else "no (run still open)"),
        ("Operators", ", ".join(report.operators)),
        ("Progress", f"{report.resolved} of {report.total} items resolved — "
                     f"{report.done} done, {report.not_applicable} not applicable, "
                     f"{report.skipped} skipped" + (" — COMPLETE" if report.complete else "")),
        ("Run id", f"`{run.run_id}`"),
    ]
    out = [f"# Checklist run: {run.display_title}", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_cell(v)} |" for k, v in rows]
    return [*out, ""]


def _item_markdown(item: ItemState) -> str:
    red = "🔴 " if item.label is Label.CONSTITUTIONAL else ""
    line = f"- {STATE_MARKS[item.state]} {red}{item.text}"
    if item.ts:
        line += f" — **{STATE_NAMES[item.state]}** {format_ts(item.ts)} by {item.operator}"
    if item.reason:
        line += f"; reason: {item.reason}"
    return line


def values_markdown(report: RunReport) -> list[str]:
    """The run's incident values as a Markdown section (nothing when it has none)."""
    values = report.values
    if not values:
        return []
    out = ["## Incident values", "", "| Placeholder | Value | Set |", "|---|---|---|"]
    out += [f"| `<{_cell(v.name)}>` | `{_cell(v.value)}` | {format_ts(v.ts)} by "
            f"{_cell(v.operator)} |" for v in values]
    return [*out, ""]


def _notes(notes: list[Note]) -> list[str]:
    if not notes:
        return []
    return ["", "Notes:", ""] + [
        f"- {format_ts(n.ts)} — {n.operator}: {' '.join(n.text.split())}" for n in notes]


# -- files ---------------------------------------------------------------------------------
def export_run(store: ChecklistStore, run: RunRef, dest: str | Path, fmt: str = "json",
               runbook: Runbook | None = None) -> Path:
    """Write the run as ``fmt`` ('json' or 'md') to ``dest``; raises ExchangeError on failure."""
    if fmt not in ("json", "md"):
        raise ExchangeError(f"Unknown export format {fmt!r}; use json or md.")
    # what an imported file said is kept as data, but never written out as a raw terminal
    # escape (a reviewer may `cat` the record)
    run = store.run_of(run)
    text = json_safe(export_json(store, run)) if fmt == "json" else clean_text(
        export_markdown(store, run, runbook))
    try:
        return Path(write_text_output(dest, text))
    except OutputError as exc:
        raise ExchangeError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None

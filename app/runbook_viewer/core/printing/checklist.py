"""Checklist print documents (no Qt): a blank checklist to work with a pen, a run filled in.

Both keep only what an operator needs to execute: prerequisites, the steps (label, items,
notes and commands as written, verification), any other section holding checklist items, and
the escalation table. Each unit starts a keep-together group so it is not split across pages
when it fits on one.

- Blank: every item is a table row ☐ | item | Time | Initials, each verification block has a
  "verified" row of its own, each step a notes box; the top has write-in fields for incident,
  operator, date, start and end time.
- Run: the same rows carry each item's state, time and operator; skip reasons and step notes
  appear under them; the top gives incident, title, operators, start/close time and progress; a
  "runbook changed since the run started" notice when it did, items no longer in the runbook,
  and the timeline of events.
"""

from __future__ import annotations

import html

from ..checklist import DONE, NA, PENDING, SKIPPED, Event, ItemState, RunState, format_ts
from ..checklist.report import RunReport
from ..model import ChecklistItem, Label, Runbook, Section
from ..parser import LABEL_RE, find_label
from ..render import markdown_to_html
from .document import (
    CONSTITUTIONAL_MARK,
    OPERATIONAL_MARK,
    PageHeader,
    PrintDocument,
    boxed,
    keep_anchor,
    label_table_open,
    meta_line,
    monochrome,
    short_hash,
    table_open,
    wrap_html,
)
from .units import Chunks, units

TABLE = table_open()
BOX = '<span style="font-size:15pt;">☐</span>'
STATE_TEXT = {DONE: "☑ DONE", NA: "N/A", SKIPPED: "SKIPPED", PENDING: "☐ pending"}
LEGEND = (f"☐ tick when done and write the time and your initials · N/A when it does not apply · "
          f"SKIP only with a reason in the step's notes · <b>{CONSTITUTIONAL_MARK}</b> (heavy "
          f"box): governance requirement — never bypass; skipping needs a reason and the "
          f"constitutional on-call's confirmation · <b>{OPERATIONAL_MARK}</b> (dashed box): "
          f"operational procedure")


def plain_marks(text: str) -> str:
    """Emoji labels in plain text → the printed glyphs."""
    return text.replace("🔴", "■").replace("🔵", "●")


def _md(text: str) -> str:
    """A piece of markdown that is not in the runbook (never used for the runbook's own
    blocks, which come from its tokens)."""
    return monochrome(markdown_to_html(text, interactive=False))


def label_box(label: Label, text: str = "") -> str:
    """The label as text + symbol in its box; ``text`` (HTML) follows the mark."""
    constitutional = label is Label.CONSTITUTIONAL
    mark = CONSTITUTIONAL_MARK if constitutional else OPERATIONAL_MARK
    if text and text[:1].isalnum():
        text = (" " if text[:1].islower() else " — ") + text
    note = ('<br/><span class="small">Governance requirement: do not bypass; stop and escalate '
            "if it cannot be met.</span>" if constitutional else "")
    return f"{label_table_open(constitutional)}<tr><td><b>{mark}</b>{text}{note}</td></tr></table>"


def _heading_label_text(title: str) -> str:
    """'🔴 Constitutional check — FR1' -> 'check — FR1' (the mark is printed before it)."""
    return html.escape(LABEL_RE.sub("", title, count=1).strip())


class _Writer:
    """Renders units; ``report`` None gives the blank checklist."""

    def __init__(self, rb: Runbook, report: RunReport | None):
        self.rb = rb
        self.report = report
        self.by_id = report.by_id if report else {}
        self.progress = {s.anchor: s for s in report.steps} if report else {}
        self.lines = rb.text.splitlines()
        values = {v.name: v.value for v in report.values} if report is not None else None
        self.chunks = Chunks(rb, values)

    def item_html(self, item: ChecklistItem, node=None) -> str:
        text = monochrome(self.chunks.item_html(item, node))
        if item.label is Label.CONSTITUTIONAL:
            text = f"<b>■</b> {text}"
        return text

    def items_table(self, pairs: list) -> str:
        items = [item for item, _node in pairs]
        nodes = {item.id: node for item, node in pairs}
        if self.report is None:
            head = ('<thead><tr><th width="8%" align="center">Done</th><th>Item</th>'
                    '<th width="12%">Time</th><th width="10%">Initials</th></tr></thead>')
            rows = "".join(f'<tr><td align="center">{BOX}</td>'
                           f"<td>{self.item_html(i, nodes[i.id])}</td>"
                           "<td></td><td></td></tr>" for i in items)
            return TABLE + head + rows + "</table>"
        head = self.state_head()
        cells = []
        for item in items:
            st = self.by_id.get(item.id) or ItemState(item.id, item.text, item.section_anchor,
                                                      item.label)
            cells.append(self.state_row(st, self.item_html(item, nodes[item.id])))
        return TABLE + head + "".join(cells) + "</table>"

    @staticmethod
    def state_head() -> str:
        return ('<thead><tr><th width="13%">State</th><th>Item</th><th width="12%">Time (UTC)'
                '</th><th width="12%">By</th></tr></thead>')

    def state_row(self, st: ItemState, text: str) -> str:
        word = STATE_TEXT.get(st.state, st.state)
        word = f"<b>{word}</b>" if st.state != PENDING else word
        when = ""
        if st.ts:  # the time alone while the run's first day lasts, with the date after it
            same_day = self.report is not None and st.ts[:10] == self.report.run.started_at[:10]
            when = format_ts(st.ts, date=not same_day).replace(" UTC", "")
        row = (f"<tr><td>{word}</td><td>{text}</td><td>{when}</td>"
               f"<td>{html.escape(st.operator or '')}</td></tr>")
        if st.reason:
            why = "Skip reason" if st.state == SKIPPED else "Reason"
            row += (f'<tr><td></td><td colspan="3"><i>{why}:</i> '
                    f"{html.escape(st.reason)}</td></tr>")
        return row

    def verify(self, nodes: list) -> str:
        inner = monochrome(self.chunks.html(nodes))
        if self.report is None:
            inner += (f'<table width="100%" cellspacing="0" cellpadding="2"><tr>'
                      f'<td width="8%" align="center">{BOX}</td>'
                      "<td>Verified: expected outcome seen</td>"
                      "<td width=\"30%\">Time ________</td>"
                      "<td width=\"24%\">Initials ______</td></tr></table>")
        return boxed(inner)

    def notes(self, sec: Section) -> str:
        if self.report is None:
            if not sec.is_step:
                return ""
            return boxed('<span class="small">Notes / deviations / skip reasons:</span>'
                         "<br/><br/><br/>")
        notes = self.report.notes_on(sec.anchor)
        if not notes:
            return ""
        rows = "".join(f"<tr><td width=\"22%\">{format_ts(n.ts)}<br/>"
                       f"{html.escape(n.operator)}</td><td>{html.escape(n.text)}</td></tr>"
                       for n in notes)
        return (f"<p><b>Notes on this step</b></p>{TABLE}{rows}</table>")

    def unit(self, sec: Section, n: int) -> str:
        tag = "h3" if sec.is_step or sec.level >= 3 else "h2"
        in_heading = find_label(self.lines[sec.line - 1]) if sec.line else None
        title = html.escape(LABEL_RE.sub("", sec.title, count=1).replace(":  ", ": ").strip(
            " —-–") if in_heading else sec.title)
        progress = self.progress.get(sec.anchor)
        if progress is not None:
            title += f' <span class="small">({progress.resolved}/{progress.total} resolved)</span>'
        parts = [f'<{tag}><a name="{keep_anchor(n)}"></a>{title}</{tag}>']
        if in_heading is not None:
            parts.append(label_box(in_heading, ", ".join(sec.citations)))
        for kind, value in self.chunks.of(sec):
            if kind == "items":
                parts.append(self.items_table(value))
            elif kind == "heading":
                if value.label is not None:
                    parts.append(label_box(value.label, _heading_label_text(value.title)))
                else:
                    parts.append(f"<h4>{html.escape(value.title)}</h4>")
            elif kind == "label":
                parts.append(label_box(value[0], html.escape(value[1]) if value[1] else ""))
            elif kind == "verify":
                parts.append(self.verify(value))
            else:
                parts.append(monochrome(self.chunks.html(value)))
        parts.append(self.notes(sec))
        return "".join(parts)

    def body(self) -> tuple[str, list[str]]:
        chosen = units(self.rb)
        html_units = [self.unit(sec, n) for n, sec in enumerate(chosen, 1)]
        return "".join(html_units), [keep_anchor(n) for n in range(1, len(chosen) + 1)]


def _field_table(rows: list[tuple[str, str, str, str]]) -> str:
    cells = "".join(f'<tr><td width="17%"><b>{a}</b></td><td width="33%">{b}</td>'
                    f'<td width="17%"><b>{c}</b></td><td width="33%">{d}</td></tr>'
                    for a, b, c, d in rows)
    return table_open(padding=8) + cells + "</table>"


def blank_checklist_document(rb: Runbook) -> PrintDocument:
    """(2) A blank checklist of ``rb``, to be worked with a pen."""
    body, keep = _Writer(rb, None).body()
    top = (f"<h1>{html.escape(rb.title)}</h1>"
           f'<p class="meta">{meta_line(rb, "Blank checklist")}</p>'
           + _field_table([("Incident / ticket", "", "Operator", ""),
                           ("Date", "", "Started at", ""),
                           ("Completed at", "", "Signature", "")])
           + f'<p class="small">{LEGEND}</p>')
    if not keep:
        body = "<p><b>This runbook has no steps or checklist items to print.</b></p>"
    return PrintDocument(html=wrap_html(top + body),
                         header=PageHeader.for_runbook(rb, "Blank checklist"), keep=keep)


def _changed_notice(rb: Runbook, report: RunReport) -> str:
    run = report.run
    now = f"sha256 {short_hash(rb.content_hash)}" + (f", version {rb.version}" if rb.version
                                                      else "")
    then = f"sha256 {short_hash(run.content_hash)}" + (
        f", version {run.runbook_version}" if run.runbook_version else "")
    return boxed(f"<b>⚠ RUNBOOK CHANGED SINCE THIS RUN STARTED.</b> The run started on "
                 f"{html.escape(then)}; the runbook is now {html.escape(now)}. Items are "
                 "matched by their stable ids; items that no longer exist are listed under "
                 "“Items no longer in the runbook”.", width=3)


def values_table(report: RunReport) -> str:
    """The run's incident values (shown in the commands below, underlined)."""
    if not report.values:
        return ""
    rows = "".join(f"<tr><td><code>&lt;{html.escape(v.name)}&gt;</code></td>"
                   f"<td><code><b>{html.escape(v.value)}</b></code></td>"
                   f"<td>{format_ts(v.ts)} by {html.escape(v.operator)}</td></tr>"
                   for v in report.values)
    return ("<h2>Incident values</h2><p>Put into the commands below (underlined), as they were "
            "copied.</p>"
            f"{TABLE}<thead><tr><th>Placeholder</th><th>Value</th><th>Set</th></tr></thead>"
            f"{rows}</table>")


def run_summary(report: RunReport) -> str:
    counts = ", ".join(f"{report.counts[s]} {label}" for s, label in
                       ((DONE, "done"), (NA, "n/a"), (SKIPPED, "skipped"),
                        (PENDING, "pending")))
    status = "COMPLETE" if report.complete else f"{report.resolved} of {report.total} resolved"
    return f"{status} ({counts})"


def run_document(rb: Runbook, run_of: RunReport | RunState,
                 timeline: list[Event] | None = None) -> PrintDocument:
    """(3) A run of ``rb`` filled in: the record of what happened (``run_of``: the run's
    report, or its state to make one from)."""
    report = run_of if isinstance(run_of, RunReport) else RunReport.of(run_of)
    run = report.run
    closed = format_ts(report.closed_at) if report.closed_at else "still open"
    holding = report.holding
    top = [f"<h1>{html.escape(rb.title)}</h1>",
           f'<p class="meta">{meta_line(rb, "Run record")}</p>']
    if report.changed_since_start:
        top.append(_changed_notice(rb, report))
    top.append(_field_table([
        ("Incident", html.escape(run.incident or "—"), "Run", html.escape(run.run_id)),
        ("Title", html.escape(run.title or "—"), "Operator", html.escape(run.operator)),
        ("Started", format_ts(run.started_at), "Closed", closed),
        ("Status", run_summary(report), "Operators",
         html.escape(", ".join(report.operators))),
        ("Runbook at start", f"sha256 {short_hash(run.content_hash)}"
         + (f", version {html.escape(run.runbook_version)}" if run.runbook_version else ""),
         "Holding at", html.escape(str(holding)) if holding else "—"),
    ]))
    top.append(values_table(report))
    if report.last_reset:
        top.append(f"<p>The run was reset at {format_ts(report.last_reset)}; states below are "
                   "those recorded since.</p>")
    writer = _Writer(rb, report)
    if report.orphans:
        rows = "".join(writer.state_row(o, html.escape(o.text)) for o in report.orphans)
        top.append(f"<h2>Items no longer in the runbook ({len(report.orphans)})</h2>"
                   "<p>Recorded in this run, but the runbook no longer has them.</p>"
                   f"{TABLE}{writer.state_head()}{rows}</table>")
    body, keep = writer.body()
    tail = []
    if timeline:
        rows = "".join(f'<tr><td width="25%">{format_ts(ev.ts)}</td>'
                       f'<td width="12%">{html.escape(ev.operator)}</td>'
                       f"<td>{html.escape(plain_marks(ev.describe()))}</td></tr>"
                       for ev in timeline)
        tail.append(f'<h2><a name="{keep_anchor(len(keep) + 1)}"></a>Timeline</h2>'
                    f"{TABLE}<thead><tr><th>Time</th><th>By</th><th>Event</th></tr></thead>"
                    f"{rows}</table>")
        keep.append(keep_anchor(len(keep) + 1))
    header = PageHeader.for_runbook(rb, "Run record")
    header.path = f"{rb.path} · run {run.short_id}" + (
        f" · {run.incident}" if run.incident else "")
    return PrintDocument(html=wrap_html("".join(top) + body + "".join(tail)), header=header,
                         keep=keep)

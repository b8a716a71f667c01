"""Rules that hold the runbooks to the library's landing page: every alert a runbook's Trigger
Conditions name is in the landing page's quick reference, and every escalation target is a role
of its contacts table. Library scope: both need the landing page (``index.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Problem, Runbook, Section
from .commands import code_spans
from .registry import CheckContext, top_section
from .tables import Table, plain_name, split_targets, tables_in

QUICK_REFERENCE_RE = re.compile(r"scenario|quick reference|what.s happening", re.IGNORECASE)
CONTACTS_RE = re.compile(r"contact", re.IGNORECASE)
# CamelCase with a lower-case letter: ArchonHaltActive, HAProxyDown; not L7STS, PASS, Watchdog
ALERT_RE = re.compile(r"(?=[A-Za-z0-9]*[a-z])[A-Z][A-Za-z0-9]*?[A-Z][A-Za-z0-9]*")
EVENT_USE_RE = re.compile(r"'([A-Z][A-Za-z0-9]+)'|`([A-Z][A-Za-z0-9]+)`\s+events?\b")
ROLE_COLUMNS = ("Role", "Escalate To", "Team", "Who", "Contact")


def _landing_sections(ctx: CheckContext, pattern: re.Pattern[str]) -> tuple[Runbook | None,
                                                                           list[Section]]:
    landing = ctx.library.landing
    if landing is None or landing.load_error:
        return None, []
    found, until = [], 0
    for sec in landing.sections:
        if sec.line > until and 2 <= sec.level <= 3 and pattern.search(sec.title):
            found.append(sec)
            until = sec.end_line or sec.line
    return landing, found


def event_names(ctx: CheckContext) -> set[str]:
    """Identifiers the library uses as event types: quoted in SQL (``'HaltTriggered'``) or
    written as "`X` event". Those are not alert names."""
    return ctx.names_matching(EVENT_USE_RE)


def trigger_alerts(ctx: CheckContext, rb: Runbook) -> Iterator[tuple[int, str]]:
    """(line, alert name) for each alert named in backticks in the Trigger Conditions."""
    sec = top_section(rb, "Trigger Conditions")
    if sec is None:
        return
    lines = ctx.lines(rb)
    for trig in rb.triggers:
        if sec.line < trig.line <= (sec.end_line or len(lines)):
            for span in code_spans(lines[trig.line - 1]):
                if ALERT_RE.fullmatch(span):
                    yield trig.line, span


def check_alert_index(ctx: CheckContext) -> Iterator[Problem]:
    """alert-index: an alert in any runbook's Trigger Conditions is in the quick reference."""
    landing, sections = _landing_sections(ctx, QUICK_REFERENCE_RE)
    if landing is None:
        return  # index-coverage reports a missing landing page
    indexed = {w for sec in sections for _, text in ctx.region(landing, sec)
               for w in re.findall(r"[A-Za-z0-9]+", text)}
    events = event_names(ctx)
    missing = [(rb, line, alert) for rb in ctx.checked
               if not rb.load_error and not ctx.is_document(rb)
               for line, alert in trigger_alerts(ctx, rb)
               if alert not in indexed and alert not in events]
    if missing and not sections:
        names = sorted({alert for _, _, alert in missing})
        yield ctx.problem(landing.path, 1, "alert-index",
                          f"runbooks are triggered by {len(names)} alert(s) ({', '.join(names[:5])}"
                          f"{', …' if len(names) > 5 else ''}) but {landing.path} has no "
                          "\"Quick reference by scenario\" section to find them from")
        return
    for rb, line, alert in missing:
        yield ctx.problem(rb.path, line, "alert-index",
                          f"alert `{alert}` triggers this runbook but is not in the quick "
                          f"reference of {landing.path}: add a row (symptom, severity, type, "
                          "link to the step)")


def contacts_table(ctx: CheckContext) -> tuple[Runbook | None, Section | None, Table | None]:
    landing, sections = _landing_sections(ctx, CONTACTS_RE)
    if landing is None:
        return None, None, None
    for sec in sections:
        for table in tables_in(ctx.region(landing, sec), ctx.fenced(landing)):
            if table.rows:
                return landing, sec, table
    return landing, (sections[0] if sections else None), None


def roles_of(table: Table) -> set[str]:
    col = table.column(*ROLE_COLUMNS)
    col = 0 if col is None else col
    return {plain_name(cells[col]) for _, cells in table.rows if col < len(cells)}


def escalation_rows(ctx: CheckContext, rb: Runbook) -> Iterator[tuple[int, str]]:
    """(line, "Escalate To" cell) of each row of the runbook's escalation table."""
    sec = top_section(rb, "Escalation")
    if sec is None:
        return
    for table in tables_in(ctx.region(rb, sec), ctx.fenced(rb)):
        col = table.column("Escalate To")
        if col is None:
            continue
        for line, cells in table.rows:
            if col < len(cells):
                yield line, cells[col]
        return


def check_escalation_contacts(ctx: CheckContext) -> Iterator[Problem]:
    """escalation-contact: every escalation target is a role in the landing page's contacts
    table (one table, so nobody looks up a name that is listed nowhere)."""
    landing, sec, table = contacts_table(ctx)
    if landing is None:
        return
    rows = [(rb, line, cell) for rb in ctx.checked
            if not rb.load_error and not ctx.is_document(rb)
            for line, cell in escalation_rows(ctx, rb)]
    if table is None:
        if rows:
            yield ctx.problem(landing.path, sec.line if sec else 1, "escalation-contact",
                              "escalation tables name people to call, but this page has no "
                              "contacts table (| Role | … | under a ## … Contacts section)")
        return
    roles = roles_of(table)
    for rb, line, cell in rows:
        for target in split_targets(cell):
            if target not in roles:
                yield ctx.problem(rb.path, line, "escalation-contact",
                                  f"escalation target \"{target}\" is not a role in the "
                                  f"contacts table of {landing.path} (line {table.line}); "
                                  "name a role listed there, or add the role")

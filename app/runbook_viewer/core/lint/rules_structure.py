"""Rules about a runbook's shape: title and header fields, the Last Updated date (malformed,
future, stale), the template's sections and their order, trigger severities, the escalation
table and a non-empty rollback. Runbooks only; landing pages (library documents) are exempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..model import SEVERITIES, Problem, Runbook
from .registry import CheckContext, norm_title, top_section

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TRIGGER_SEVERITY_RE = re.compile(
    r"^[\[(]?\s*(?:severity\s*[:=]?\s*)?(" + "|".join(SEVERITIES) + r")\b")
TABLE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
BULLET_RE = re.compile(r"^( {0,1})[-*+]\s+\S")
ESCALATION_COLUMNS = ("Condition", "Escalate To", "Contact")


def _title_line(rb: Runbook) -> int:
    h1 = next((s for s in rb.sections if s.level == 1), None)
    return h1.line if h1 else 1


def check_header(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """missing-title, missing-field."""
    first_h2 = next((s.line for s in rb.sections if s.level == 2), None)
    h1 = next((s for s in rb.sections if s.level == 1), None)
    if h1 is None or (first_h2 is not None and h1.line > first_h2):
        yield ctx.problem(rb.path, 1, "missing-title",
                          "no `# Title` heading at the top of the runbook")
    for name in ctx.profile.required_fields:
        if not rb.metadata.get(name):
            yield ctx.problem(rb.path, _title_line(rb), "missing-field",
                              f"header field `{name}:` is missing (put it under the title, "
                              "before the first ## section)")


def parse_date(value: str) -> date | None:
    m = DATE_RE.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def check_dates(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """bad-date, future-date, stale (Hugo `lastmod`/`date` front matter counts for stale)."""
    value = rb.metadata.get("Last Updated")
    line = rb.metadata_lines.get("Last Updated", _title_line(rb))
    if value is None:
        raw = rb.front_matter.get("lastmod") or rb.front_matter.get("date")
        when = parse_date(raw[:10]) if raw else None
        line = 1
    else:
        when = parse_date(value)
        if when is None:
            yield ctx.problem(rb.path, line, "bad-date",
                              f"Last Updated {value!r} is not a real date in YYYY-MM-DD form")
            return
    if when is None:
        return
    if when > ctx.today:
        yield ctx.problem(rb.path, line, "future-date",
                          f"Last Updated {when.isoformat()} is in the future (today is "
                          f"{ctx.today.isoformat()})")
        return
    age = (ctx.today - when).days
    if age > ctx.profile.max_age_days:
        yield ctx.problem(rb.path, line, "stale",
                          f"last updated {when.isoformat()}, {age} days ago (older than "
                          f"{ctx.profile.max_age_days} days): review it")


def check_sections(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """missing-section (reported where the section belongs), section-order."""
    required = list(ctx.profile.required_sections)
    index = {norm_title(t): n for n, t in enumerate(required)}
    present: dict[int, int] = {}  # required index → line of its first heading
    seen_max, seen_title = -1, ""
    for s in rb.sections:
        if s.level != 2:
            continue
        n = index.get(norm_title(s.title))
        if n is None or n in present:
            continue
        present[n] = s.line
        if n < seen_max:
            yield ctx.problem(rb.path, s.line, "section-order",
                              f"## {required[n]} comes after ## {seen_title}; the template "
                              f"order is {', '.join(required)}")
        elif n > seen_max:
            seen_max, seen_title = n, required[n]
    last_line = max(len(ctx.lines(rb)), 1)
    for n, title in enumerate(required):
        if n in present:
            continue
        later = [present[m] for m in range(n + 1, len(required)) if m in present]
        yield ctx.problem(rb.path, min(later) if later else last_line, "missing-section",
                          f"section `## {title}` is missing")


def check_triggers(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """no-triggers, trigger-severity: each top-level trigger bullet starts with a severity."""
    sec = top_section(rb, "Trigger Conditions")
    if sec is None:
        return
    lines = ctx.lines(rb)
    end = sec.end_line or len(lines)
    bullets = [t for t in rb.triggers
               if sec.line < t.line <= end and BULLET_RE.match(lines[t.line - 1])]
    if not bullets:
        yield ctx.problem(rb.path, sec.line, "no-triggers",
                          "Trigger Conditions lists no `- **SEVERITY** — symptom → step` "
                          "bullets")
    for t in bullets:
        if not TRIGGER_SEVERITY_RE.match(t.text):
            yield ctx.problem(rb.path, t.line, "trigger-severity",
                              "trigger has no severity: start it with **CRITICAL**, **HIGH**, "
                              "**MEDIUM**, **LOW** or **INFO**")


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def check_escalation(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """escalation-table: a | Condition | Escalate To | Contact | table with at least one row."""
    sec = top_section(rb, "Escalation")
    if sec is None:
        return
    fenced = ctx.fenced(rb)
    rows = [(n, t) for n, t in ctx.region(rb, sec) if n not in fenced]
    for i in range(len(rows) - 1):
        (n, head), (_, sep) = rows[i], rows[i + 1]
        if not (TABLE_ROW_RE.match(head) and TABLE_SEP_RE.match(sep)):
            continue
        cols = [norm_title(c) for c in _cells(head)]
        missing = [c for c in ESCALATION_COLUMNS if norm_title(c) not in cols]
        body = 0
        for _, text in rows[i + 2:]:
            if not TABLE_ROW_RE.match(text):
                break
            body += 1
        if missing:
            yield ctx.problem(rb.path, n, "escalation-table",
                              f"escalation table has no {', '.join(missing)} column(s); "
                              "expected | Condition | Escalate To | Contact |")
        elif body == 0:
            yield ctx.problem(rb.path, n, "escalation-table", "escalation table has no rows")
        return
    yield ctx.problem(rb.path, sec.line, "escalation-table",
                      "Escalation has no table (| Condition | Escalate To | Contact |)")


def check_rollback(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """empty-rollback: Rollback says what to do, or 'Not applicable: <reason>'."""
    sec = top_section(rb, "Rollback")
    if sec is None:
        return
    for _, text in ctx.region(rb, sec):
        stripped = text.strip()
        if stripped and not stripped.startswith("#") and not re.fullmatch(r"<!--.*-->",
                                                                           stripped):
            return
    yield ctx.problem(rb.path, sec.line, "empty-rollback",
                      "Rollback is empty: give numbered rollback steps, or 'Not applicable: "
                      "<reason>'")

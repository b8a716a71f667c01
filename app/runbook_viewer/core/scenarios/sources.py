"""Scenario sources besides Trigger Conditions (no Qt).

- :func:`index_scenarios` — the landing page's "Quick reference by scenario" section: markdown
  tables whose header names the symptom / severity / type / target columns (or bullet lists);
  a sub-heading can set the severity or 🔴/🔵 type of the rows under it.
- :func:`fallback_scenarios` — a foreign library with no quick reference and no triggers (e.g.
  the prometheus-operator runbooks): one scenario per alert runbook, named after its alert, the
  first sentence of its "Meaning" as description, grouped by folder, pointing at its first
  actionable section; a page that only says "see X" points at X.
"""

from __future__ import annotations

import re

from .. import links
from ..markdown import strip_shortcodes
from ..markdown.table_rows import split_row
from ..model import Label, Library, Runbook, Section
from ..parser import FENCE_RE, LINK_RE, SEVERITY_RE, strip_inline
from .model import (
    Scenario,
    clean_symptom,
    declared_severity,
    first_actionable,
    is_template,
    label_in,
    make_scenario,
    runbook_label,
    scenario_id,
)

SCENARIO_SECTION_RE = re.compile(r"scenario|quick reference|what.s happening", re.IGNORECASE)
DESCRIPTION_RE = re.compile(r"^(meaning|summary|description|overview|purpose|symptoms?)$",
                            re.IGNORECASE)
IMPACT_RE = re.compile(r"^impact$", re.IGNORECASE)
IDENTIFIER_RE = re.compile(r"^[A-Za-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+$")

COLUMN_KEYS = {
    "symptom": ("symptom", "scenario", "alert", "situation", "what you see", "signal",
                "condition", "trigger", "when", "problem", "event"),
    "severity": ("severity", "priority", "sev", "urgency"),
    "type": ("type", "label", "kind", "class", "category", "constitutional", "nature"),
    "target": ("runbook", "step", "go to", "goto", "procedure", "action", "start", "link",
               "where", "see"),
}


# -- the index's quick reference -----------------------------------------------------------
def index_scenarios(lib: Library) -> list[Scenario]:
    out: list[Scenario] = []
    for page in lib.runbooks:
        if not page.is_landing or page.load_error:
            continue
        done_until = 0
        for sec in page.sections:
            if sec.line > done_until and 2 <= sec.level <= 3 and \
                    SCENARIO_SECTION_RE.search(sec.title):
                out.extend(_rows_in(lib, page, sec))
                done_until = sec.end_line
    return out


def _rows_in(lib: Library, page: Runbook, sec: Section) -> list[Scenario]:
    lines = page.text.splitlines()
    out: list[Scenario] = []
    header: dict[str, int] | None = None
    defaults: tuple[str | None, Label | None] = (None, None)
    fence = None
    for lineno in range(sec.line + 1, (sec.end_line or len(lines)) + 1):
        line = lines[lineno - 1]
        if FENCE_RE.match(line):
            fence = None if fence else line
            continue
        if fence:
            continue
        stripped = line.strip()
        if stripped.startswith("#"):  # a sub-heading may declare a severity or a type
            sev = SEVERITY_RE.search(stripped)
            defaults = (sev.group(1) if sev else None, label_in(stripped))
            header = None
            continue
        if stripped.startswith("|"):
            cells = split_row(stripped)
            if all(re.fullmatch(r":?-{2,}:?", c.replace(" ", "")) for c in cells if c):
                continue
            if header is None and not any(LINK_RE.search(c) for c in cells):
                header = _header_map(cells)
                continue
            row = _row_scenario(lib, page, cells, header or {}, defaults, lineno)
            if row:
                out.append(row)
        elif re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", line) and LINK_RE.search(line):
            header = None
            row = _bullet_scenario(lib, page, line, defaults, lineno)
            if row:
                out.append(row)
        elif not stripped:
            header = None
    return out


def _header_map(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key in ("severity", "type", "target", "symptom"):
        for n, cell in enumerate(cells):
            low = strip_inline(cell).lower()
            if n not in found.values() and any(k in low for k in COLUMN_KEYS[key]):
                found[key] = n
                break
    return found


def _row_scenario(lib, page, cells, header, defaults, lineno) -> Scenario | None:
    link_cells = [n for n, c in enumerate(cells) if LINK_RE.search(c)]
    if not link_cells:
        return None
    target_cell = header.get("target", link_cells[-1])
    links = [m.group(3) for m in LINK_RE.finditer(cells[target_cell] if target_cell < len(cells)
                                                   else "")] or \
        [m.group(3) for c in link_cells for m in LINK_RE.finditer(cells[c])]
    links.sort(key=lambda t: "#" not in t)  # a link to a step beats a link to the runbook
    sev_cell = cells[header["severity"]] if header.get("severity", 99) < len(cells) else ""
    sev = SEVERITY_RE.search(sev_cell.upper()) or SEVERITY_RE.search(" ".join(cells))
    type_cell = cells[header["type"]] if header.get("type", 99) < len(cells) else ""
    label = label_in(type_cell) or (None if header.get("type") is not None else
                                     label_in(" ".join(cells))) or defaults[1]
    if "symptom" in header and header["symptom"] < len(cells):
        title = cells[header["symptom"]]
    else:
        used = {header.get("severity"), header.get("type"), target_cell}
        title = next((c for n, c in enumerate(cells) if n not in used and strip_inline(c)), "")
    title = clean_symptom(title)
    if not title:
        return None
    severity = sev.group(1) if sev else defaults[0]
    return make_scenario(lib, page, title, severity, label, links[0], "index", lineno)


def _bullet_scenario(lib, page, line, defaults, lineno) -> Scenario | None:
    links = [m.group(3) for m in LINK_RE.finditer(line) if m.group(1) != "!"]
    if not links:
        return None
    sev = SEVERITY_RE.search(line)
    label = label_in(line) or defaults[1]
    title = clean_symptom(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line))
    if not title:
        return None
    links.sort(key=lambda t: "#" not in t)
    return make_scenario(lib, page, title, sev.group(1) if sev else defaults[0], label, links[0],
                 "index", lineno)


# -- foreign libraries -----------------------------------------------------------------------
def fallback_scenarios(lib: Library) -> list[Scenario]:
    """One scenario per runbook (landing pages and templates aside)."""
    out: list[Scenario] = []
    for rb in lib.runbooks:
        if rb.is_landing or is_template(rb) or rb.load_error:
            continue
        title, aliases = alert_name(rb)
        target_rb, anchor = rb, first_actionable(rb)
        redirect = _stub_redirect(lib, rb)
        description = describe(rb)
        if redirect is not None:
            target_rb, anchor = redirect, first_actionable(redirect)
            description = f"See {redirect.title}: {describe(redirect)}".rstrip(": ")
        sec = target_rb.section(anchor) if anchor else None
        out.append(Scenario(
            id=scenario_id(target_rb.path, anchor, title), title=title,
            severity=declared_severity(rb), label=runbook_label(rb), path=target_rb.path,
            anchor=anchor, step_title=sec.title if sec else "", runbook_title=target_rb.title,
            source="fallback", description=description, group=rb.group or rb.folder,
            line=1, origin=rb.path, aliases=aliases))
    return out


def alert_name(rb: Runbook) -> tuple[str, tuple[str, ...]]:
    """(title, other names): an alert runbook named after its alert (``KubePodCrashLooping.md``)
    is listed under the alert name; else under its H1 or title."""
    h1 = next((s.title for s in rb.sections if s.level == 1), "")
    stem = rb.path.rsplit("/", 1)[-1][:-3] if rb.path.lower().endswith(".md") else rb.path
    names = [n for n in (stem if IDENTIFIER_RE.match(stem) else "", h1, rb.title) if n]
    title = names[0] if names else rb.path
    return title, tuple(dict.fromkeys(n for n in names[1:] if n != title))


def describe(rb: Runbook | None) -> str:
    """The first sentence of the runbook's "Meaning" (or similar) section, else its intro, else
    its "Impact"."""
    if rb is None:
        return ""
    bodies = [s.body for s in rb.sections if DESCRIPTION_RE.match(s.title)]
    bodies += [s.body for s in rb.sections if s.level == 1]
    bodies += [s.body for s in rb.sections if IMPACT_RE.match(s.title)]
    for body in bodies:
        sentence = first_sentence(body)
        if sentence:
            return sentence
    return ""


def first_sentence(markdown_text: str, limit: int = 220) -> str:
    paragraph: list[str] = []
    fence = None
    for line in markdown_text.splitlines():
        s = line.strip()
        if FENCE_RE.match(line):
            fence = None if fence else s[:3]
            if paragraph:
                break
            continue
        if fence:
            continue
        if not s:
            if paragraph:
                break
            continue
        if s.startswith(("```", "~~~", "#", "|", "<", ">", "---")):
            if paragraph:
                break
            continue
        paragraph.append(s)
    joined = strip_shortcodes(" ".join(paragraph))
    text = re.sub(r"\s+", " ", strip_inline(joined)).strip()
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    text = m.group(1) if m else text
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _stub_redirect(lib: Library, rb: Runbook) -> Runbook | None:
    """A page with no sections of its own that only says "see X" points the operator at X."""
    if any(s.level >= 2 for s in rb.sections):
        return None
    found = {}
    for target, _anchor, _line, _text in links.outgoing(rb):
        other = links.resolve(lib, target)
        if other is not None and other is not rb:
            found[other.path] = other
    return next(iter(found.values())) if len(found) == 1 else None

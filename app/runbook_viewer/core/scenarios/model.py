"""The scenario record and the helpers every scenario source shares (no Qt).

A :class:`Scenario` is one "what is happening?" entry: a symptom, its severity, 🔴/🔵 label and
the runbook step that handles it. :func:`make_scenario` resolves a link written in a runbook to
that target; :func:`target_label` reads the label of the step it points at.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .. import links
from ..model import SEVERITIES, Label, Library, Runbook, severity_rank
from ..parser import find_label, strip_inline

#: what each severity asks of the operator (the seed's severity table)
SEVERITY_RESPONSE = {
    "CRITICAL": "page immediately, halt system",
    "HIGH": "page immediately",
    "MEDIUM": "alert on-call, 15-minute response",
    "LOW": "next business day",
    "INFO": "no alert, log only",
}
UNSPECIFIED = "UNSPECIFIED"

ACTIONABLE_RE = re.compile(
    r"^(diagnos\w*|mitigation|procedure|steps?|runbook|resolution|remediation|"
    r"troubleshoot\w*|response|what to do|actions?|fix\w*)\b", re.IGNORECASE)
ARROW_TAIL_RE = re.compile(r"\s*(?:→|->|⇒|=>)\s*[^→]{0,120}$")
LEAD_RE = re.compile(r"^(?:(?:🔴|🔵)\s*(?i:CONSTITUTIONAL|OPERATIONAL)?|"
                     r"(?:CRITICAL|HIGH|MEDIUM|LOW|INFO)\b)\s*[—–:|-]*\s*")


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str  # the symptom as the operator sees it
    severity: str | None  # CRITICAL … INFO, or None when the library does not say
    label: Label | None  # constitutional / operational (None: the library does not say)
    path: str  # the runbook, library-relative
    anchor: str  # the step (or section) to start at; "" = top of the runbook
    step_title: str  # e.g. "Step 1: Confirm the halt on both channels"
    runbook_title: str
    source: str  # "index" | "trigger" | "fallback"
    description: str = ""
    group: str = ""  # folder / landing-page group (used when there is no label)
    line: int = 0  # where the entry is written (index or trigger line)
    origin: str = ""  # the file the entry is written in
    aliases: tuple[str, ...] = ()  # texts of merged duplicates (searchable)
    resolved: bool = True  # False when the written anchor does not exist in the runbook
    mixed: bool = False  # the target step has both 🔵 and 🔴 checks

    @property
    def target(self) -> str:
        return f"{self.path}#{self.anchor}" if self.anchor else self.path

    @property
    def rank(self) -> int:
        return severity_rank(self.severity)

    @property
    def severity_text(self) -> str:
        return self.severity or UNSPECIFIED

    @property
    def constitutional(self) -> bool:
        return self.label is Label.CONSTITUTIONAL

    @property
    def category(self) -> str:
        """The sub-group inside a severity: 🔴 Constitutional / 🔵 Operational / the folder."""
        if self.label is not None:
            return f"{self.label.emoji} {self.label.value.capitalize()}"
        return self.group or "Runbooks"

    @property
    def haystack(self) -> str:
        parts = [self.title, self.description, self.severity_text, self.runbook_title,
                 self.step_title, self.path, self.group, *self.aliases]
        if self.label is not None:
            parts.append(self.label.value)
        text = " ".join(parts).lower()
        return text + " " + re.sub(r"[^\w\s]", "", text)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "severity": self.severity,
                "label": self.label.value if self.label else None, "path": self.path,
                "anchor": self.anchor, "target": self.target, "step": self.step_title,
                "runbook": self.runbook_title, "source": self.source,
                "description": self.description, "group": self.group,
                "origin": f"{self.origin}:{self.line}" if self.origin else "",
                "mixed": self.mixed, "resolved": self.resolved}


def is_template(rb: Runbook) -> bool:
    return rb.is_template or rb.front_matter.get("template", "").lower() in ("true", "yes")


def declared_severity(rb: Runbook) -> str | None:
    """What the file states: front matter, a `**Severity:**` line, alert rule labels."""
    return rb.declared_severity


def first_actionable(rb: Runbook) -> str:
    """The first step; else the first Diagnosis / Mitigation / Procedure-like section."""
    for s in rb.sections:
        if s.is_step:
            return s.anchor
    for s in rb.sections:
        if s.level >= 2 and ACTIONABLE_RE.match(s.title):
            return s.anchor
    return ""


def label_in(text: str) -> Label | None:
    label = find_label(text)
    if label:
        return label
    low = text.lower()
    if "constitutional" in low:
        return Label.CONSTITUTIONAL
    if "operational" in low:
        return Label.OPERATIONAL
    return None


def clean_symptom(text: str) -> str:
    text = strip_inline(text)
    text = ARROW_TAIL_RE.sub("", text)
    for _ in range(3):
        new = LEAD_RE.sub("", text, count=1).strip()
        if new == text:
            break
        text = new
    return re.sub(r"\s+", " ", text).strip(" —–-:;,.")


def scenario_id(path: str, anchor: str, title: str) -> str:
    raw = f"{path}#{anchor}\x1f{norm(title)}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def norm(text: str) -> str:
    """A symptom text compared as a person reads it: case and runs of spaces ignored."""
    return re.sub(r"\s+", " ", text).strip().lower()


def target_label(rb: Runbook, anchor: str) -> tuple[Label | None, bool]:
    """(label, mixed) of the step an anchor points to.

    A step's label paragraph decides; a step split into 🔵/🔴 check groups takes the label of
    its first group (what the step is mainly about) and is reported as mixed. With no step, the
    runbook's prevailing label.
    """
    sec = rb.step_of(anchor) if anchor else None
    if sec is not None:
        kinds = [s.label for s in rb.sections if s.parent == sec.anchor and s.label]
        kinds += [i.label for i in rb.items if i.section_anchor == sec.anchor and i.label]
        mixed = len(set(kinds) | ({sec.label} if sec.label else set())) > 1
        if sec.label is not None:
            return sec.label, mixed
        if kinds:
            first = min((s for s in rb.sections if s.parent == sec.anchor and s.label),
                        key=lambda s: s.line, default=None)
            return (first.label if first else kinds[0]), mixed
    return runbook_label(rb), False


def runbook_label(rb: Runbook) -> Label | None:
    counts = {Label.CONSTITUTIONAL: 0, Label.OPERATIONAL: 0}
    unlabelled = set()
    for s in rb.steps:
        if s.label:
            counts[s.label] += 1
        else:
            unlabelled.add(s.anchor)
    for i in rb.items:
        if i.label and i.section_anchor in unlabelled:
            counts[i.label] += 1
    if not any(counts.values()):
        return None
    return max(counts, key=lambda k: (counts[k], k is Label.CONSTITUTIONAL))


def make_scenario(lib: Library, source: Runbook, title: str, severity: str | None,
          label: Label | None, href: str, kind: str, line: int) -> Scenario | None:
    """A scenario for a link written in ``source``; None if it leads outside the library."""
    href = href.strip()
    rb = links.resolve_link(lib, source.path, href)
    if rb is None:
        return None
    anchor = links.split(href)[1]
    resolved = not anchor or rb.section(anchor) is not None
    if not resolved:
        anchor = ""
    sec = rb.section(anchor) if anchor else None
    step = rb.step_of(anchor) if anchor else None
    where = step or sec
    step_title = where.title if where is not None else ""
    severity = severity.upper() if severity and severity.upper() in SEVERITIES else None
    step_label, mixed = target_label(rb, anchor)
    return Scenario(
        id=scenario_id(rb.path, anchor, title), title=title, severity=severity,
        label=label or step_label, path=rb.path, anchor=anchor, step_title=step_title,
        runbook_title=rb.title, source=kind, group=rb.group or rb.folder, line=line,
        origin=source.path, resolved=resolved, mixed=mixed)

"""Turn a parsed runbook into the section documents the search index stores.

One document per heading-delimited part of a runbook: the text before the first H2, every H2/H3
section, and every step. Sub-headings inside a step (``#### 🔵 Operational check``) are folded
into their step, so a hit lands on the step that fixes the problem. Trigger conditions that link
to a step are also stored with that step (a heavily weighted column), so typing the symptom a
trigger describes finds the step it points to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..links import target_path
from ..model import Runbook, Section, severity_rank
from ..parser import META_RE, strip_inline
from . import stock as stock_mod
from .analyzer import identifier_parts, raw_words
from .operations import Operations
from .ranking import (
    LANDING_PRIOR,
    NON_PRODUCTION_PRIOR,
    PRIORS,
    TOP_PRIOR,
    severity_prior,
)

SECTION_SEP = " › "

FOLD_LEVEL = 4  # headings this deep fold into their parent's document (H4 inside an H3)

STEP_PREFIX_RE = re.compile(r"^\s*Step\s+\d+\s*[:.)-]\s*", re.IGNORECASE)
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
# a code fence line: ``` or ~~~ with an info string; a backtick "fence" whose info string
# holds a backtick is inline code on one line (``` FATAL: … ```), which is text (CommonMark)
_FENCE_LINE_RE = re.compile(r"^\s*(?:`{3,}[^`]*|~{3,}.*)$")
_TABLE_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_ARROW_STEP_RE = re.compile(r"\s*→\s*(?:Step\s+\d+|[^→]{0,60})\s*$")


@dataclass
class SectionDoc:
    """A searchable section: display fields plus the indexed columns."""

    path: str
    anchor: str
    rb_title: str  # the runbook title as shown
    section: str  # heading path as shown, "Procedure › Step 3: Start Redis"
    line: int
    step: int | None
    labels: str  # comma-separated Label values
    severity: str | None
    prior: float
    # indexed columns (names match the FTS5 table's columns)
    title: str
    heading: str
    triggers: str
    body: str
    tags: str
    names: str
    parts: str
    stock: str = ""  # boilerplate sentences taken out of the body (see .stock)

    @property
    def text_columns(self) -> tuple[str, ...]:
        return (self.title, self.heading, self.triggers, self.body, self.tags, self.names,
                self.parts, self.stock)


def plain_text(markdown: str) -> str:
    """Markdown → plain text lines: list markers, checkboxes, fences and table rules dropped,
    inline markup stripped; code and commands kept (operators search for them)."""
    out: list[str] = []
    for line in markdown.splitlines():
        if _FENCE_LINE_RE.match(line) or _TABLE_RULE_RE.match(line.strip()):
            continue
        s = _LIST_RE.sub("", line).strip()
        s = re.sub(r"^#{1,6}\s+", "", s)
        s = re.sub(r"^>\s?", "", s)
        if s.startswith("|"):
            s = " · ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
        s = strip_inline(s)
        if s or (out and out[-1]):
            out.append(s)
    return "\n".join(out).strip()


def _trigger_text(text: str) -> str:
    return _ARROW_STEP_RE.sub("", text).strip()


def _targets(rb: Runbook) -> dict[str, list[Any]]:
    """Trigger conditions grouped by the anchor (in this runbook) they point to."""
    out: dict[str, list[Any]] = {}
    for t in rb.triggers:
        if not t.target or "#" not in t.target:
            continue
        if target_path(rb.path, t.target) != rb.path:
            continue
        out.setdefault(t.target.split("#", 1)[1], []).append(t)
    return out


def _owners(rb: Runbook) -> tuple[list[Section], dict[str, Section]]:
    """The document each section belongs to (in order), and the same by anchor.

    A step is a document of its own (also a step inside a step); a heading below a step, and
    any heading at level 4 or deeper, folds into the document of its parent; everything else
    is a document. Computed in document order from the parent's owner, so any nesting the
    parser produces resolves (a parent that is missing or comes later starts a document)."""
    owners: dict[str, Section] = {}
    each: list[Section] = []
    for sec in rb.sections:
        parent = owners.get(sec.parent or "")
        if sec.is_step or parent is None or (sec.level < FOLD_LEVEL and not parent.is_step):
            owner = sec
        else:
            owner = parent
        owners.setdefault(sec.anchor, owner)
        each.append(owner)
    return each, owners


def _prior(sec: Section) -> float:
    if sec.level <= 1:
        return TOP_PRIOR
    if sec.is_step:
        return 1.0
    return PRIORS.get(sec.title.strip().lower(), 1.0)


def section_documents(rb: Runbook, ops: Operations | None = None,
                      stock: set[str] | None = None) -> list[SectionDoc]:
    """The documents of one runbook, in document order (empty sections skipped). ``ops``
    gives triage severities and non-production marks (the prior), ``stock`` the library's
    boilerplate sentences (kept out of the body column)."""
    if rb.load_error or rb.is_template:
        return []
    ops = ops or Operations()
    non_prod = NON_PRODUCTION_PRIOR if rb.path in ops.non_production else 1.0
    each, owners = _owners(rb)
    order = [sec for sec, owner in zip(rb.sections, each, strict=True) if owner is sec]
    folded: dict[int, list[str]] = {}
    for sec, owner in zip(rb.sections, each, strict=True):
        text = _body_text(sec) if owner is sec else f"{sec.title}\n{_body_text(sec)}"
        folded.setdefault(id(owner), []).append(text)
    targets = _targets(rb)
    by_owner: dict[str, list[Any]] = {}
    for anchor, triggers in targets.items():
        holder = owners.get(anchor)
        if holder is not None:
            by_owner.setdefault(holder.anchor, []).extend(triggers)

    h1 = next((s for s in rb.sections if s.level == 1), None)
    aliases = [rb.title]
    if h1 is not None and h1.title not in aliases:
        aliases.append(h1.title)
    title = " · ".join(aliases)
    stem = rb.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    path_words = " ".join([*rb.path.split("/")[:-1], stem])
    title_parts = identifier_parts(f"{title} {stem}")

    found_labels = _labels(rb, owners)
    docs: list[SectionDoc] = []
    for sec in order:
        body = "\n".join(t for t in folded.get(id(sec), []) if t).strip()
        triggers = by_owner.get(sec.anchor, [])
        trig_text = "\n".join(_trigger_text(t.text) for t in triggers)
        if not body and not trig_text:
            continue
        heading_path = sec.path if sec.level > 1 else (sec.title,)
        heading = SECTION_SEP.join(heading_path)
        indexed_heading = _indexed_heading(heading_path) if sec.level > 1 else ""
        labels = sorted(found_labels.get(sec.anchor, ()))
        sevs = sorted({t.severity for t in triggers if t.severity}, key=severity_rank)
        is_trigger_list = sec.level == 2 and sec.title.strip().lower() == "trigger conditions"
        severity = sevs[0] if sevs else (rb.severity if is_trigger_list else None)
        triage = ops.severity(rb.path, sec.anchor) if ops.is_target(rb.path, sec.anchor) \
            else None
        rating = sorted(filter(None, [*sevs, triage]), key=severity_rank)
        tags = " ".join([*labels, *(sevs or []), *sec.citations, path_words])
        body, stock_text = stock_mod.split(body, stock or set())
        prior = _prior(sec) * (LANDING_PRIOR if rb.is_landing else 1.0) * non_prod
        docs.append(SectionDoc(
            path=rb.path, anchor=sec.anchor, rb_title=rb.title, section=heading,
            line=sec.line, step=sec.step_number, labels=",".join(labels), severity=severity,
            prior=prior * severity_prior(rating[0] if rating else None), title=title,
            heading=indexed_heading,
            triggers=trig_text, body=body, tags=tags,
            names=" ".join([*title_parts, *identifier_parts(indexed_heading)]),
            parts=" ".join(identifier_parts(f"{trig_text}\n{body}")), stock=stock_text))
    return docs


def _indexed_heading(path: tuple[str, ...]) -> str:
    """The heading path without the words every step shares ("Procedure", "Step 3:"): they
    say nothing about the problem, and would make the heading column match "step"."""
    parts = [STEP_PREFIX_RE.sub("", p) for p in path if p.strip().lower() != "procedure"]
    return SECTION_SEP.join(p for p in parts if p)


def _body_text(sec: Section) -> str:
    text = plain_text(sec.body)
    if sec.level <= 1:  # drop the "Last Updated: / Version: / Owner:" lines under the title
        text = "\n".join(line for line in text.splitlines() if not META_RE.match(line))
    return text.strip()


def _labels(rb: Runbook, owners: dict[str, Section]) -> dict[str, set[str]]:
    """The labels of each document (by its anchor): its own, its sub-sections' and its
    checklist items' (one pass over each)."""
    found: dict[str, set[str]] = {}
    for sec in rb.sections:
        owner = owners.get(sec.anchor)
        if sec.label and owner is not None:
            found.setdefault(owner.anchor, set()).add(sec.label.value)
    for item in rb.items:
        owner = owners.get(item.section_anchor)
        if item.label and owner is not None:
            found.setdefault(owner.anchor, set()).add(item.label.value)
    return found


def word_count(doc: SectionDoc) -> int:
    return sum(len(raw_words(c)) for c in doc.text_columns)


def stock_text(rb: Runbook) -> str:
    """The text of a runbook that boilerplate is looked for in (its section bodies)."""
    return "\n".join(plain_text(sec.body) for sec in rb.sections)

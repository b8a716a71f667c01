"""Rules about steps and checklist items: numbering, 🔵/🔴 labels and their FR/ADR citations,
items present, the **Verification:** block, items outside steps, pre-ticked items.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import ChecklistItem, Label, Problem, Runbook, Section
from .registry import CheckContext, h2_of, norm_title, top_section

VERIFICATION_KEYS = ("Expected outcome", "Command to verify")


def check_step_order(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """step-order: `### Step N:` numbered 1..n in document order; Procedure has steps."""
    steps = rb.steps
    procedure = top_section(rb, "Procedure")
    if not steps:
        if procedure is not None:
            yield ctx.problem(rb.path, procedure.line, "step-order",
                              "Procedure has no steps (`### Step 1: <Name>` …)")
        return
    expected = 1
    for s in steps:
        if s.step_number != expected:
            yield ctx.problem(rb.path, s.line, "step-order",
                              f"Step {s.step_number} found where Step {expected} was expected "
                              "(number steps 1..n in order)")
        expected = (s.step_number or 0) + 1


def _within(step: Section, rb: Runbook, position: dict[int, int]) -> list[Section]:
    """The sub-sections of a step, in document order: the run of deeper sections right
    after it (``position``: index of each section; a scan of the run alone, so checking a
    runbook of 100,000 steps stays linear)."""
    out: list[Section] = []
    sections = rb.sections
    for n in range(position[id(step)] + 1, len(sections)):
        s = sections[n]
        if s.level <= step.level or s.line > (step.end_line or s.line):
            break
        out.append(s)
    return out


def _item_in_labelled_group(item: ChecklistItem, subs: list[Section]) -> bool:
    """True when an H4+ section around the item (innermost first) carries a label."""
    around = [s for s in subs if s.line < item.line <= (s.end_line or item.line)]
    return any(s.label is not None and s.level >= 4 for s in around)


def check_step_labels(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """step-label: a label on the step before its first item, or every item of the step
    under a labelled H4 check group. label-citation: 🔴 labels in steps cite an FR/ADR."""
    position = {id(s): n for n, s in enumerate(rb.sections)}
    for step in rb.steps:
        subs = _within(step, rb, position)
        items = rb.items_in(step.anchor)
        if step.label is None:
            loose = [i for i in items if not _item_in_labelled_group(i, subs)]
            if not items and not any(s.label and s.level >= 4 for s in subs):
                yield ctx.problem(rb.path, step.line, "step-label",
                                  f"Step {step.step_number} has no 🔵 OPERATIONAL / 🔴 "
                                  "CONSTITUTIONAL label")
            elif loose:
                where = ", ".join(str(i.line) for i in loose[:5])
                yield ctx.problem(rb.path, step.line, "step-label",
                                  f"Step {step.step_number} has no 🔵/🔴 label, and items on "
                                  f"line(s) {where} are not under a labelled #### check group")
        for sec in (step, *subs):
            if sec.label is Label.CONSTITUTIONAL and not sec.citations:
                yield ctx.problem(rb.path, sec.label_line or sec.line, "label-citation",
                                  "🔴 CONSTITUTIONAL label cites no requirement: add the FR or "
                                  "ADR it serves on the same line (e.g. — FR18, ADR-6)")


def check_step_content(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """step-items, missing-verification."""
    for step in rb.steps:
        if not rb.items_in(step.anchor):
            yield ctx.problem(rb.path, step.line, "step-items",
                              f"Step {step.step_number} has no `- [ ]` checklist items")
        if not step.verification_line:
            yield ctx.problem(rb.path, step.line, "missing-verification",
                              f"Step {step.step_number} has no **Verification:** block "
                              "(- Expected outcome: … / - Command to verify: `…`)")
            continue
        missing = [k for k in VERIFICATION_KEYS if not step.verification.get(k, "").strip()]
        if missing:
            yield ctx.problem(rb.path, step.verification_line, "missing-verification",
                              f"Verification block of Step {step.step_number} has no "
                              + " and no ".join(f"`- {k}: …`" for k in missing))


def check_items(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """stray-item: items only in steps and ## Prerequisites. checked-item: never `- [x]`."""
    by_anchor = {s.anchor: s for s in rb.sections}
    for item in rb.items:
        owner = by_anchor.get(item.section_anchor)
        if owner is None or not owner.is_step:
            top = h2_of(rb, item.section_anchor) if owner else None
            if top is None or norm_title(top.title) != "prerequisites":
                where = f"under ## {top.title}" if top else "before any section"
                yield ctx.problem(rb.path, item.line, "stray-item",
                                  f"checklist item {where}, outside any step; items belong in "
                                  "the steps of ## Procedure or in ## Prerequisites")
        if item.checked:
            yield ctx.problem(rb.path, item.line, "checked-item",
                              "checklist item is ticked (`- [x]`) in the source; runbooks ship "
                              "unticked (ticks live in the viewer)")

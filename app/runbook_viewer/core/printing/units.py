"""What a printed checklist is made of (no Qt): the units (steps, sections with items,
prerequisites, escalation) and each unit's blocks, read from the runbook's parsed tokens.

A unit's content after its heading is a list of chunks:

- ``("md", [node…])`` — blocks printed as the page shows them (code, prose, tables, plain lists);
- ``("items", [(ChecklistItem, node)…])`` — consecutive checklist items (one table of rows);
- ``("heading", Section)`` — a sub-heading (an H4 check group);
- ``("label", (Label, text))`` — a 🔴/🔵 label paragraph;
- ``("verify", [node…])`` — a **Verification:** block (``None`` first when it was a heading).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from ..markdown.html import _plain, _task_of, render
from ..markdown.html_inline import Context, inline_html
from ..model import ChecklistItem, Runbook, Section
from ..parser import LABEL_RE, find_label
from ..render import context, document_of

VERIFY_RE = re.compile(r"^\s*(?:\*\*|__)?\s*Verification\s*:?\s*(?:\*\*|__)?\s*:?\s*$",
                       re.IGNORECASE)
LISTS = ("bullet_list", "ordered_list")


def units(rb: Runbook) -> list[Section]:
    """The sections a checklist prints, in document order, none inside another."""
    chosen: list[Section] = []
    owners = {i.section_anchor for i in rb.items}
    covered = 0  # the last line inside a chosen unit (sections come in document order)
    for sec in rb.sections:
        title = sec.title.lower()
        wanted = (sec.is_step or sec.anchor in owners
                  or (sec.level == 2 and ("prerequisite" in title or "escalat" in title)))
        if wanted and sec.line > covered:
            chosen.append(sec)
            covered = max(covered, sec.end_line)
    return chosen


class Chunks:
    """Splits a unit into chunks and renders their blocks, print-styled (no links to click)."""

    def __init__(self, rb: Runbook, values: dict[str, str] | None = None):
        self.rb = rb
        self.ctx: Context = context(rb, interactive=False, dark=False, values=values)
        self.tree = document_of(rb).tree()
        self.headings = {s.line: s for s in rb.sections}
        # the top-level blocks in document order, with their first lines: a unit's blocks
        # are found by bisection, so a checklist of 100,000 steps stays linear
        self.blocks = [(node.map[0] + 1, node) for node in self.tree.children if node.map]
        self.block_lines = [line for line, _node in self.blocks]

    def of(self, sec: Section) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        verifying = False
        for k in range(bisect_right(self.block_lines, sec.line), len(self.blocks)):
            line, node = self.blocks[k]
            if line > sec.end_line:
                break
            if node.type == "heading":
                h = self.headings.get(line)
                verifying = h is not None and h.title.rstrip(": ").lower() == "verification"
                out.append(("verify", [None]) if verifying else ("heading", h))
                continue
            if node.type == "paragraph":
                text = _plain(node)
                label = find_label(text) if text.strip()[:1] in ("🔴", "🔵") else None
                if label is not None:
                    rest = LABEL_RE.sub("", " ".join(text.split()), count=1)
                    out.append(("label", (label, rest.strip().strip("*_ ").lstrip("—-–: "))))
                    verifying = False
                    continue
                if VERIFY_RE.match(text.split("\n", 1)[0]):
                    out.append(("verify", [node]))
                    verifying = True
                    continue
            if verifying and node.type in LISTS:
                out[-1][1].append(node)
                continue
            verifying = False
            if node.type in LISTS:
                self._list(node, out)
            else:
                _add(out, "md", node)
        return out

    def _list(self, node: SyntaxTreeNode, out: list[tuple[str, Any]]) -> None:
        for li in node.children:
            task = _task_of(li, self.ctx)
            item = task[0] if task else None
            if item is None:
                _add(out, "md", li)
                continue
            _add(out, "items", (item, li))
            for more in li.children[1:]:
                _add(out, "md", more)

    def html(self, nodes: list) -> str:
        """Blocks as the page draws them; loose list items get their list back."""
        parts: list[str] = []
        open_list = False
        for node in nodes:
            if node is None:
                parts.append("<p><b>Verification:</b></p>")
                continue
            if node.type == "list_item" and not open_list:
                parts.append("<ul>")
                open_list = True
            elif node.type != "list_item" and open_list:
                parts.append("</ul>")
                open_list = False
            parts.append(render(node, self.ctx))
        if open_list:
            parts.append("</ul>")
        return "".join(parts)

    def item_html(self, item: ChecklistItem, node: SyntaxTreeNode | None) -> str:
        task = _task_of(node, self.ctx) if node is not None else None
        if task is None or node is None:
            import html

            return html.escape(item.text)
        spans, self.ctx.spans = self.ctx.spans, True  # the item's code spans are commands
        try:
            return inline_html(node.children[0].children[0], self.ctx, skip=task[2])
        finally:
            self.ctx.spans = spans


def _add(out: list[tuple[str, Any]], kind: str, value: Any) -> None:
    if out and out[-1][0] == kind:
        out[-1][1].append(value)
    else:
        out.append((kind, [value]))

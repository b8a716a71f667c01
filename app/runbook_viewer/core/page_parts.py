"""A very large runbook shown in parts, so the window lays out a bounded page (no Qt).

Qt lays a page out in time that grows with the square of its anchors (every heading and
checklist item is one): 8,000 headings took 1.4 s, 100,000 would take minutes. A runbook with
more than :data:`PART_ANCHORS` of them (or :data:`PART_LINES` lines) is cut into parts of
about that size, always between top-level blocks and preferably before a heading; the window
shows one part at a time with a bar to move between them, and a link or a checklist item in
another part opens that part. Everything else — search, the checklist, printing, ``show`` —
works on the whole runbook.

A part is a slice of the parsed token stream (top-level blocks are contiguous runs of tokens),
so showing one costs only its own tokens.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass

from .markdown.engine import Document
from .model import Runbook

PART_ANCHORS = 800  # headings and list items in a part (each may be an anchor on the page)
PART_LINES = 6000  # source lines in a part
PART_ANCHOR = "rv-part-"  # the page anchor that opens part N (1-based): #rv-part-3


@dataclass(frozen=True)
class Part:
    number: int  # 1-based
    tokens: tuple[int, int]  # [start, end) in the document's tokens
    first_line: int  # 1-based source line of its first block
    title: str  # its first heading, "" when it has none


def _title(doc: Document, index: int) -> str:
    inline = doc.tokens[index + 1] if index + 1 < len(doc.tokens) else None
    return inline.content.strip() if inline is not None and inline.type == "inline" else ""


def split_parts(doc: Document) -> list[Part]:
    """The parts of a document (one part when it is small enough to show whole)."""
    if doc.parts is not None:
        return doc.parts
    starts: list[tuple[int, int, str]] = []  # (token index, line, first heading)
    anchors = 0
    begin, first_line = 0, 1
    heading = ""
    for n, tok in enumerate(doc.tokens):
        if tok.level == 0 and tok.nesting >= 0 and n > begin:
            line = tok.map[0] + 1 if tok.map else first_line
            full = anchors >= PART_ANCHORS or line - first_line >= PART_LINES
            if full and (tok.type == "heading_open" or anchors >= 2 * PART_ANCHORS
                         or line - first_line >= 2 * PART_LINES):
                starts.append((begin, first_line, heading))
                begin, first_line, anchors, heading = n, line, 0, ""
        if tok.type in ("heading_open", "list_item_open"):
            anchors += 1
            if tok.type == "heading_open" and not heading:
                heading = _title(doc, n)
    starts.append((begin, first_line, heading))
    parts = [Part(k + 1, (s, starts[k + 1][0] if k + 1 < len(starts) else len(doc.tokens)),
                  line, title) for k, (s, line, title) in enumerate(starts)]
    doc.parts = parts
    return parts


def part_of_line(parts: list[Part], line: int) -> Part:
    return parts[max(0, bisect_right([p.first_line for p in parts], line) - 1)]


def part_for(rb: Runbook, doc: Document, anchor: str) -> Part | None:
    """The part holding ``anchor`` (a heading, ``item-ID``, ``rv-part-N``), None if unknown."""
    parts = split_parts(doc)
    if anchor.startswith(PART_ANCHOR):
        number = anchor[len(PART_ANCHOR):]
        return parts[int(number) - 1] if number.isdigit() and \
            1 <= int(number) <= len(parts) else None
    if anchor.startswith("item-"):
        item = next((i for i in rb.items if i.id == anchor[5:]), None)
        return part_of_line(parts, item.line) if item is not None else None
    sec = rb.section(anchor) if anchor else None
    return part_of_line(parts, sec.line) if sec is not None else None


def part_bar(rb: Runbook, parts: list[Part], part: Part, top: bool = True) -> str:
    """The bar above (``top``) and below a part: where it is, and links to the others."""
    def link(p: Part, text: str) -> str:
        return f'<a href="#{PART_ANCHOR}{p.number}">{html.escape(text)}</a>'

    where = f"“{part.title}”" if part.title else "the start"
    moves = []
    if part.number > 1:
        moves += [link(parts[0], "◀◀ first part"), link(parts[part.number - 2], "◀ previous part")]
    if part.number < len(parts):
        moves += [link(parts[part.number], "next part ▶"), link(parts[-1], "last part ▶▶")]
    target = f'<a name="{PART_ANCHOR}{part.number}"></a>' if top else ""
    return (f'<p class="meta">{target}'
            f"<b>Part {part.number} of {len(parts)}</b>, from {html.escape(where)} — this "
            f"runbook is very large ({len(rb.sections):,} headings, {len(rb.items):,} "
            "checklist items), so the window shows it in parts. "
            f"{' · '.join(moves)}. Find (Ctrl+F) looks in this part; search looks in all "
            "of it.</p>")

"""A runbook as terminal text (`runbook-viewer show`), from the same tokens as the page.

Headings underlined, checklist items as ``[ ]``/``[x]`` (states of a run when given), code
indented four spaces and never wrapped, lists indented with their markers, quotes with ``> ``,
tables as ``cell | cell`` rows, links as ``text <target>`` (anchors in the same page as text).
One handler per node type.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from ..commands import is_verify_command
from ..model import Runbook
from ..parser import TASK_RE

MARKS = {"done": "[x]", "na": "[-]", "skipped": "[~]", "pending": "[ ]"}


@dataclass
class TextContext:
    width: int
    states: dict[str, str] = field(default_factory=dict)
    items_by_line: dict = field(default_factory=dict)
    commands: dict = field(default_factory=dict)  # key -> Command, when values are shown
    values: dict[str, str] = field(default_factory=dict)  # incident values put in commands
    spans: bool = False  # code spans here are commands (in a checklist item)


def _term_width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def _span(content: str, line: int, ctx: TextContext | None) -> str:
    if ctx is not None and ctx.spans and ctx.commands:
        from ..commands import filled_span, inline_key

        if inline_key(line, content) in ctx.commands:
            return filled_span(content, ctx.values).text
    return content


def inline_text(node: SyntaxTreeNode, ctx: TextContext | None = None) -> str:
    out: list[str] = []
    line = node.map[0] + 1 if node.type == "inline" and node.map else 0
    for c in node.children:
        if c.type in ("text", "text_special"):
            out.append(c.content)
        elif c.type == "code_inline":
            out.append(f"`{_span(c.content, line, ctx)}`")
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" " if c.type == "softbreak" else "\n")
        elif c.type == "link":
            text, href = inline_text(c), str(c.attrs.get("href", ""))
            out.append(text if href.startswith("#") or not href else f"{text} <{href}>")
        elif c.type == "image":
            out.append(f"[image: {inline_text(c)}]")
        elif c.type in ("em", "strong", "s"):
            out.append(inline_text(c))
    return "".join(out)


def _wrap(text: str, ctx: TextContext, first: str = "", rest: str = "") -> list[str]:
    lines: list[str] = []
    for n, para in enumerate(text.split("\n")):
        lines += textwrap.wrap(para, ctx.width, initial_indent=first if n == 0 else rest,
                               subsequent_indent=rest) or [first.rstrip()]
    return lines


def heading(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    title = inline_text(node.children[0])
    level = int(node.tag[1])
    if level == 1:
        return ["", title.upper(), "=" * min(len(title), ctx.width)]
    if level == 2:
        return ["", title, "-" * min(len(title), ctx.width)]
    return ["", "#" * (level - 2) + " " + title]


def paragraph(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    return [*_wrap(inline_text(node.children[0], ctx), ctx), ""]


def code(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    text = node.content
    if ctx.commands and node.map:
        from ..commands import block_key, filled_source

        cmd = ctx.commands.get(block_key(node.map[0] + 1))
        text = filled_source(cmd, ctx.values) if cmd is not None else text
    return [*("    " + line for line in text.rstrip("\n").split("\n")), ""]


def list_block(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    out: list[str] = []
    number = int(node.attrs.get("start", 1) or 1)
    for item in node.children:
        marker = f"{number}." if node.type == "ordered_list" else "-"
        number += 1
        out += list_item(item, marker, ctx)
    return [*out, ""]


def list_item(node: SyntaxTreeNode, marker: str, ctx: TextContext) -> list[str]:
    blocks = list(node.children)
    lead = f"{marker} "
    first_lines: list[str] = []
    spans = ctx.spans
    if blocks and blocks[0].type == "paragraph":
        content = blocks[0].children[0].content
        m = TASK_RE.match(content.split("\n", 1)[0])
        ctx.spans = spans or bool(m) or (bool(ctx.commands) and is_verify_command(content))
        text = inline_text(blocks.pop(0).children[0], ctx)
        ctx.spans = spans or bool(m)  # a task's nested blocks are the task's too
        if m:
            item = ctx.items_by_line.get(node.map[0] + 1 if node.map else 0)
            state = ctx.states.get(item.id) if item is not None else None
            lead = MARKS.get(state or "", "[x]" if m.group(1).lower() == "x" else "[ ]") + " "
            text = text[text.index("]") + 1:].lstrip()
        first_lines = _wrap(text, ctx, lead, " " * len(lead))
    pad = " " * len(lead)
    nested: list[str] = []
    for block in blocks:
        nested += [pad + line if line else "" for line in render(block, ctx)]
    while nested and not nested[-1]:
        nested.pop()
    ctx.spans = spans
    return (first_lines or [lead.rstrip()]) + nested


def blockquote(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    inner = [line for c in node.children for line in render(c, ctx)]
    while inner and not inner[-1]:
        inner.pop()
    return [*("> " + line if line else ">" for line in inner), ""]


def table(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    rows = [" | ".join(inline_text(cell.children[0]) if cell.children else ""
                       for cell in tr.children)
            for part in node.children for tr in part.children]
    return [*rows, ""]


def html_block(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    import re

    from .safe import sanitize

    text = re.sub(r"<[^>]+>", "", sanitize(node.content)).strip()
    return [*_wrap(text, ctx), ""] if text else []


TEXT: dict[str, Callable[[SyntaxTreeNode, TextContext], list[str]]] = {
    "heading": heading,
    "paragraph": paragraph,
    "fence": code,
    "code_block": code,
    "bullet_list": list_block,
    "ordered_list": list_block,
    "blockquote": blockquote,
    "table": table,
    "html_block": html_block,
    "hr": lambda node, ctx: ["-" * min(40, ctx.width), ""],
}


def render(node: SyntaxTreeNode, ctx: TextContext) -> list[str]:
    handler = TEXT.get(node.type)
    if handler is not None:
        return handler(node, ctx)
    return [line for c in node.children for line in render(c, ctx)]


def runbook_to_text(rb: Runbook, states: dict[str, str] | None = None,
                    width: int | None = None, values: dict[str, str] | None = None) -> str:
    """The runbook as readable terminal text (see the module doc); with ``values`` (a run's
    incident values, possibly empty) its commands are shown filled in."""
    if rb.load_error:
        return f"{rb.title}\n\nThis file cannot be shown: {rb.load_error}\n"
    from ..render import document_of

    doc = document_of(rb)
    ctx = TextContext(width or _term_width(), states or {}, {i.line: i for i in rb.items})
    if values is not None:
        from ..commands import by_key

        ctx.commands, ctx.values = by_key(rb), dict(values)
    if doc.degraded:
        body = [f"({doc.degraded})", "", *doc.plain_lines()]
    else:
        body = [*(f"({notice})" for notice in doc.notices), *render(doc.tree(), ctx)]
    if not any(line.strip() for line in body):  # never a silently empty screen
        from ..render import EMPTY_NOTICE

        body = [rb.title, "", EMPTY_NOTICE]
    out: list[str] = []
    for line in body:
        if line or (out and out[-1]):
            out.append(line.rstrip())
    return "\n".join(out).strip("\n") + "\n"

"""Runbook markdown → readable terminal text (for `runbook-viewer show` and the CLI)."""

from __future__ import annotations

import re
import shutil
import textwrap

from .model import Runbook
from .parser import FENCE_RE, HEADING_RE, ITEM_RE, closes_fence, split_front_matter, strip_inline


def _term_width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def runbook_to_text(rb: Runbook, states: dict[str, str] | None = None,
                    width: int | None = None) -> str:
    """Headings underlined, items as [ ]/[x], code indented, links as `text <target>`."""
    if rb.load_error:
        return f"{rb.title}\n\nThis file cannot be shown: {rb.load_error}\n"
    width = width or _term_width()
    states = states or {}
    marks = {"done": "[x]", "na": "[-]", "skipped": "[~]", "pending": "[ ]"}
    items = iter(rb.items)
    out: list[str] = []
    fence = None
    lines = rb.text.splitlines()
    _, start = split_front_matter(lines)
    for line in lines[start:]:
        fm = FENCE_RE.match(line)
        if fence is not None:
            if closes_fence(line, fence):
                fence = None
                out.append("")
            else:
                out.append("    " + line)
            continue
        if fm:
            fence = fm.group(1)
            continue
        hm = HEADING_RE.match(line)
        if hm:
            level, title = len(hm.group(1)), strip_inline(hm.group(2))
            if out and out[-1]:
                out.append("")
            if level == 1:
                out += [title.upper(), "=" * min(len(title), width)]
            elif level == 2:
                out += [title, "-" * min(len(title), width)]
            else:
                out.append(("#" * (level - 2)) + " " + title)
            continue
        im = ITEM_RE.match(line)
        if im:
            item = next(items, None)
            state = states.get(item.id) if item else None
            mark = marks.get(state or "", "[x]" if im.group(2).lower() == "x" else "[ ]")
            text = _inline(im.group(3))
            out.extend(textwrap.wrap(text, width, initial_indent=f"{im.group(1)}{mark} ",
                                     subsequent_indent=im.group(1) + "    ") or [mark])
            continue
        if re.match(r"^\s*\|?\s*:?-{3,}", line):
            continue
        stripped = line.rstrip()
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            continue
        indent = re.match(r"^\s*(?:[-*+]|\d+[.)])?\s*", stripped).group(0)
        out.extend(textwrap.wrap(_inline(stripped[len(indent):]), width,
                                 initial_indent=indent, subsequent_indent=" " * len(indent))
                   or [""])
    return "\n".join(out).rstrip() + "\n"


def _inline(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)",
                  lambda m: m.group(1) if m.group(2).startswith("#") else
                  f"{m.group(1)} <{m.group(2)}>", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text

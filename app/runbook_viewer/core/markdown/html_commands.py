"""Commands on the page: a copy link, the run's incident values in, placeholders marked.

A code block or a checklist item's code span that is a command (:mod:`..commands`) is drawn
with a ``copy:KEY`` link (the window puts exactly the command on the clipboard) and with each
placeholder marked: a filled one shows the value as it will be pasted (underlined, on the value
colour), an unfilled one stays ``<as written>`` on the placeholder colour, a value refused for
that place shows the placeholder with ⚠. Output lines of a session are drawn as they are.
Code is still highlighted by Pygments: marked pieces are swapped for plain words before
highlighting and put back after.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..commands import Command, filled_span, segments

if TYPE_CHECKING:
    from .html_inline import Context

COPY_GLYPH = "❐"  # in DejaVu Sans (U+2750); ⧉ and ⎘ are not, and would be empty boxes
SPAN_LINK = "copy"  # a word after a code span: a glyph there reads like a checkbox (☐)
SENTINEL = "RvPh{}Zq"


def mark(text: str, state: str, ctx: Context) -> str:
    """One placeholder or value, escaped and marked."""
    pal = ctx.pal
    escaped = html.escape(text, quote=False)
    if state == "filled":
        return (f'<span style="background-color:{pal.value_bg}; color:{pal.value_fg}; '
                f'text-decoration:underline; font-weight:bold;">{escaped}</span>')
    warn = "⚠" if state == "refused" else ""
    return (f'<span style="background-color:{pal.unfilled_bg}; color:{pal.unfilled_fg}; '
            f'font-style:italic;">{warn}{escaped}</span>')


def block_body(cmd: Command, ctx: Context, highlight) -> str:
    """The inside of the block's ``<code>``: highlighted, values in, placeholders marked.
    ``highlight(text) -> html | None`` is the page's code highlighter."""
    if not cmd.placeholders:
        return highlight(cmd.source) or html.escape(cmd.source, quote=False)
    lines: list[str] = []
    marks: list[tuple[str, str]] = []
    for line in segments(cmd, ctx.values):
        pieces = []
        for text, state in line:
            if state is None:
                pieces.append(text)
            else:
                marks.append((text, state))
                pieces.append(SENTINEL.format(len(marks) - 1))
        lines.append("".join(pieces))
    text = "\n".join(lines)
    body = highlight(text)
    if body is None or any(body.count(SENTINEL.format(n)) != 1 for n in range(len(marks))):
        body = html.escape(text, quote=False)
    for n, (piece, state) in enumerate(marks):
        body = body.replace(SENTINEL.format(n), mark(piece, state, ctx), 1)
    return body


def copy_line(cmd: Command, ctx: Context) -> str:
    """The link above a command block: ``❐ Copy`` and what is left out."""
    if not ctx.copy_links:
        return ""
    note = ""
    if cmd.session:
        total = sum(1 for ln in cmd.lines if ln.source.strip())
        note = (f'<span style="color:{ctx.pal.muted};"> — {cmd.copied_lines} of {total} lines: '
                "the commands, without prompts or output</span>")
    return (f'<p style="margin-top:6px; margin-bottom:0px;"><a href="copy:{cmd.key}" '
            f'style="text-decoration:none;" title="Copy this command">{COPY_GLYPH}\u00a0Copy'
            f"</a>{note}</p>\n")


def span_html(cmd: Command, source: str, ctx: Context) -> str:
    """A command code span: values in, placeholders marked, a copy link after it."""
    filled = filled_span(source, ctx.values)
    if filled.spans:
        parts, pos = [], 0
        for a, b, _name, state in filled.spans:
            parts.append(html.escape(filled.text[pos:a], quote=False))
            parts.append(mark(filled.text[a:b], state, ctx))
            pos = b
        parts.append(html.escape(filled.text[pos:], quote=False))
        body = "".join(parts)
    else:
        body = html.escape(source, quote=False)
    link = (f'\u2009<a href="copy:{cmd.key}" style="text-decoration:none; font-size:small;" '
            f'title="Copy this command">{SPAN_LINK}</a>' if ctx.copy_links else "")
    return f"<code>{body}</code>{link}"
